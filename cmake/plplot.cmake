# plplot.cmake — PLplot (Debian: libplplot-dev, plus plplot-driver-cairo for PNG) for the
# plots in compiler/plot/; found with pkg-config and linked to pinnc_plot. Only
# compiler/plot/render.cpp includes its headers.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PLPLOT REQUIRED IMPORTED_TARGET plplot)
target_link_libraries(pinnc_plot PRIVATE PkgConfig::PLPLOT)
