// figure.h — a device-independent description of one plot (panels of labelled series),
// built from a RunData by figures.cpp and drawn by render.cpp; internal to compiler/plot.
#ifndef PINNC_PLOT_FIGURE_H
#define PINNC_PLOT_FIGURE_H

#include <filesystem>
#include <string>
#include <vector>

#include "plot/plot.h"

namespace pinnc::plot {

/// How a series is drawn: a palette colour and a line width. A reference solution is a
/// wide light line under the network's thin dark one (PLplot dashes lines in software,
/// one SVG element per dash, so the plots use colour and width instead).
enum class Style { network, reference, term, marker };

struct Series {
  std::string label;  ///< legend text; empty: not in the legend
  std::vector<double> x, y;
  Style style = Style::network;
  int colour = 0;  ///< index into the series palette (render.cpp)
};

/// A vertical line with a label at the top of the panel (an optimizer stage starting).
struct Mark {
  double x = 0;
  std::string label;
};

struct Panel {
  std::string xlabel, ylabel;
  bool log_y = false;  ///< y on a log10 axis (non-positive values are left out)
  bool pad_x = false;  ///< a margin left and right (x is not the interval)
  bool shade = false;  ///< shade [shade_from, shade_to] (the trained interval)
  double shade_from = 0, shade_to = 0;
  std::vector<Series> series;
  std::vector<Mark> marks;
};

struct Figure {
  std::string name;           ///< file name without extension: solution, loss, ...
  std::string title;          ///< above the first panel
  std::vector<Panel> panels;  ///< stacked top to bottom
};

/// The figures for `data`: solution, loss, error; phase and extrapolation on request.
std::vector<Figure> build_figures(const RunData& data, const PlotOptions& options);

/// Output formats of the renderer.
enum class Format { svg, png };

/// Draws `fig` into `file` with PLplot. False with *error on failure (nothing half-written
/// is left behind at `file`'s final name by the caller's atomic rename).
bool render(const Figure& fig, Format format, const std::filesystem::path& file,
            std::string* error);

}  // namespace pinnc::plot

#endif  // PINNC_PLOT_FIGURE_H
