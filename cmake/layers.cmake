# layers.cmake — the compiler's phases as separate libraries whose headers are visible
# only along the pipeline. Each library NAME built from compiler/DIR gets a private
# include root (build/layers/NAME) that contains one entry, DIR, a symbolic link to
# compiler/DIR; a library sees the roots of the libraries it links and no others. So
# `#include "train/session.h"` compiles in a library that links pinnc_train (directly
# or through its dependencies) and fails with "No such file or directory" anywhere
# below it: the layering is checked by the compiler, not by review.

# Gives `target` the include root that exposes compiler/`dir` as "dir/...".
function(pinnc_layer_includes target dir)
  set(root ${CMAKE_BINARY_DIR}/layers/${target})
  get_filename_component(parent ${root}/${dir} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${root}/${dir})
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/compiler/${dir} ${root}/${dir} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  elseif(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()

# pinnc_layer(NAME DIR DEPS dep...): a static library of compiler/DIR/*.cpp (an interface
# library when DIR has only headers) linking DEPS publicly, with its include root.
function(pinnc_layer name dir)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/compiler/${dir}/*.cpp)
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_link_libraries(${name} PUBLIC ${L_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${L_DEPS})
  endif()
  pinnc_layer_includes(${name} ${dir})
endfunction()
