// render.cpp — draws a Figure with PLplot's C API (the only file that sees PLplot).
#include <plplot.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "plot/figure.h"

namespace pinnc::plot {

namespace {

/// PLplot calls its exit handler on fatal errors and then exit(); ours throws instead, so
/// a plotting failure is an error the caller reports, never the end of the process.
struct PlplotFatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};
int on_fatal(PLCHAR_VECTOR message) { throw PlplotFatal(message ? message : "PLplot failed"); }
void on_abort(PLCHAR_VECTOR) {}  // non-fatal complaints: the drawing goes on

std::mutex& plplot_mutex() {
  static std::mutex m;
  return m;
}

// Colour map 0: fixed slots, then a palette of ten series colours (a colour-blind
// friendly set in the spirit of matplotlib's default cycle).
enum Slot : PLINT { kWhite = 0, kBlack, kGrid, kReference, kShade, kMarkGrey, kPalette };
constexpr std::array<std::array<PLINT, 3>, 10> kSeriesColours{{{31, 119, 180},
                                                               {214, 39, 40},
                                                               {44, 160, 44},
                                                               {255, 127, 14},
                                                               {148, 103, 189},
                                                               {140, 86, 75},
                                                               {227, 119, 194},
                                                               {23, 190, 207},
                                                               {188, 189, 34},
                                                               {80, 80, 80}}};

void set_palette() {
  plscmap0n(kPalette + static_cast<PLINT>(kSeriesColours.size()));
  plscol0(kWhite, 255, 255, 255);
  plscol0(kBlack, 0, 0, 0);
  plscol0(kGrid, 222, 222, 222);
  plscol0(kReference, 170, 170, 170);
  plscol0(kShade, 226, 235, 246);
  plscol0(kMarkGrey, 130, 130, 130);
  for (std::size_t i = 0; i < kSeriesColours.size(); ++i)
    plscol0(kPalette + static_cast<PLINT>(i), kSeriesColours[i][0], kSeriesColours[i][1],
            kSeriesColours[i][2]);
}

PLINT colour_of(const Series& s) {
  switch (s.style) {
    case Style::reference:
      return kReference;
    case Style::marker:
      return kMarkGrey;
    case Style::network:
    case Style::term:
      break;
  }
  return kPalette + static_cast<PLINT>(s.colour % static_cast<int>(kSeriesColours.size()));
}

double width_of(const Series& s) {
  switch (s.style) {
    case Style::reference:
      return 6.0;
    case Style::network:
      return 2.0;
    case Style::term:
      return 1.6;
    case Style::marker:
      return 1.0;
  }
  return 1.0;
}

/// PLplot reads '#' as its escape character.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '#') out += '#';
  }
  return out;
}

/// y as drawn: log10 on log axes; NaN where the point is not drawable.
double shown(const Panel& p, double y) {
  if (!std::isfinite(y)) return std::nan("");
  if (!p.log_y) return y;
  return y > 0 ? std::log10(y) : std::nan("");
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(),
         hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
};

/// The window of a panel: x over all series (and the shaded span), y with a margin; log
/// axes start and end on whole decades, at most 16 below the largest value. A strip at
/// the top (kHeadroom of the height) stays free for the legend.
constexpr double kHeadroom = 0.16;
/// More headroom for each further legend row.
constexpr double kRowHeadroom = 0.075;
/// How many characters of legend (labels plus their line samples) fit across a panel.
constexpr std::size_t kLegendCharacters = 72;

std::size_t legend_entries(const Panel& p) {
  std::size_t n = p.shade ? 1 : 0;
  for (const Series& s : p.series) n += s.label.empty() ? 0 : 1;
  return n;
}

/// Columns of the legend: as many equal-width entries (the longest label sets the width)
/// as fit across the panel, so a long legend wraps into rows instead of overflowing.
std::size_t legend_columns(const Panel& p) {
  std::size_t longest = p.shade ? std::string("trained interval").size() : 0;
  for (const Series& s : p.series) longest = std::max(longest, s.label.size());
  const std::size_t fit = std::max<std::size_t>(1, kLegendCharacters / (longest + 7));
  return std::min(std::max<std::size_t>(1, legend_entries(p)), fit);
}

std::size_t legend_rows(const Panel& p) {
  const std::size_t n = legend_entries(p), cols = legend_columns(p);
  return n == 0 ? 0 : (n + cols - 1) / cols;
}

void window_of(const Panel& p, double* x0, double* x1, double* y0, double* y1) {
  Range xr, yr;
  for (const Series& s : p.series) {
    if (s.style == Style::marker) continue;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xr.add(s.x[i]);
      if (std::isfinite(s.x[i])) yr.add(shown(p, s.y[i]));
    }
  }
  if (p.shade) xr.add(p.shade_from), xr.add(p.shade_to);
  if (xr.empty()) xr.lo = 0, xr.hi = 1;
  if (xr.hi == xr.lo) xr.lo -= 0.5, xr.hi += 0.5;
  if (p.pad_x) {
    const double span = xr.hi - xr.lo;
    xr.lo -= 0.04 * span, xr.hi += 0.04 * span;
  }
  if (yr.empty()) yr.lo = p.log_y ? -1 : 0, yr.hi = p.log_y ? 0 : 1;
  if (p.log_y) {
    yr.lo = std::max(std::floor(yr.lo), std::ceil(yr.hi) - 16);
    yr.hi = std::ceil(yr.hi);
    if (yr.hi <= yr.lo) yr.hi = yr.lo + 1;
  } else {
    double span = yr.hi - yr.lo;
    if (span <= 1e-12 * std::max(1.0, std::fabs(yr.hi)))
      span = std::max(1.0, std::fabs(yr.hi)) * 0.2;
    yr.lo -= 0.05 * span, yr.hi += 0.05 * span;
  }
  const double headroom = kHeadroom + kRowHeadroom * double(std::max<std::size_t>(1, legend_rows(p)) - 1);
  yr.hi += (yr.hi - yr.lo) * headroom / (1 - headroom);
  *x0 = xr.lo, *x1 = xr.hi, *y0 = yr.lo, *y1 = yr.hi;
}

/// Draws the finite runs of a series as separate lines (gaps where values are missing).
void draw_series(const Panel& p, const Series& s, double y_floor) {
  plcol0(colour_of(s));
  plwidth(width_of(s));
  std::vector<PLFLT> xs, ys;
  auto flush = [&] {
    if (xs.size() >= 2) plline(static_cast<PLINT>(xs.size()), xs.data(), ys.data());
    xs.clear(), ys.clear();
  };
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    double y = shown(p, s.y[i]);
    if (!std::isfinite(y) || !std::isfinite(s.x[i])) {
      flush();
      continue;
    }
    xs.push_back(s.x[i]);
    ys.push_back(std::max(y, y_floor));
  }
  flush();
}

/// The legend: rows across the top of the panel (legend_columns entries each), in the
/// strip window_of keeps free.
void draw_legend(const Panel& p, double chr) {
  std::vector<const Series*> entries;
  for (const Series& s : p.series)
    if (!s.label.empty()) entries.push_back(&s);
  const std::size_t n = entries.size() + (p.shade ? 1 : 0);
  if (n == 0) return;
  std::vector<PLINT> opt(n, PL_LEGEND_LINE), text_colours(n, kBlack), box_colours(n, kShade),
      box_patterns(n, 0), line_colours(n, kBlack), line_styles(n, 1);
  std::vector<PLFLT> box_scales(n, 0.8), box_widths(n, 1.0), line_widths(n, 1.0);
  std::vector<std::string> texts(n);
  std::vector<PLCHAR_VECTOR> text_ptrs(n);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    texts[i] = escape(entries[i]->label);
    line_colours[i] = colour_of(*entries[i]);
    line_widths[i] = width_of(*entries[i]);
  }
  if (p.shade) {
    opt[n - 1] = PL_LEGEND_COLOR_BOX;
    texts[n - 1] = "trained interval";
  }
  for (std::size_t i = 0; i < n; ++i) text_ptrs[i] = texts[i].c_str();
  PLFLT w = 0, h = 0;
  plwidth(1.0);
  pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
           PL_POSITION_TOP | PL_POSITION_INSIDE | PL_POSITION_VIEWPORT, 0.0, 0.02, 0.05, kWhite,
           kGrid, 1, static_cast<PLINT>(legend_rows(p)), static_cast<PLINT>(legend_columns(p)),
           static_cast<PLINT>(n), opt.data(), 0.6, 0.85 * chr,
           1.6, 0.0, text_colours.data(), text_ptrs.data(), box_colours.data(), box_patterns.data(),
           box_scales.data(), box_widths.data(), line_colours.data(), line_styles.data(),
           line_widths.data(), nullptr, nullptr, nullptr, nullptr);
}

/// Decades between labelled ticks on a log axis: at most about eight labels.
double log_tick(double y0, double y1) { return std::max(1.0, std::ceil((y1 - y0) / 8.0)); }

/// Labels 10^k on a log y axis every `step` decades (PLplot labels every decade itself,
/// which crowds an axis spanning fifteen).
void label_decades(double y0, double y1, double step) {
  const double first = std::ceil(y0 / step) * step;
  for (double k = first; k <= y1 + 1e-9; k += step) {
    std::string text = "10#u" + std::to_string(static_cast<long>(std::lround(k))) + "#d";
    plmtex("lv", 0.6, (k - y0) / (y1 - y0), 1.0, text.c_str());
  }
}

void draw_panel(const Panel& p, double chr, double vx0, double vx1, double vy0, double vy1) {
  double x0, x1, y0, y1;
  window_of(p, &x0, &x1, &y0, &y1);
  plvpor(vx0, vx1, vy0, vy1);
  plwind(x0, x1, y0, y1);
  if (p.shade) {
    const double a = std::max(x0, p.shade_from), b = std::min(x1, p.shade_to);
    std::array<PLFLT, 4> xs{a, b, b, a}, ys{y0, y0, y1, y1};
    plcol0(kShade);
    plfill(4, xs.data(), ys.data());
  }
  plcol0(kGrid);
  plwidth(1.0);
  const double ytick = p.log_y ? log_tick(y0, y1) : 0;
  plbox("g", 0, 0, p.log_y ? "gl" : "g", ytick, 0);
  for (const Series& s : p.series)
    if (s.style == Style::reference) draw_series(p, s, y0);
  for (const Mark& m : p.marks) {
    std::array<PLFLT, 2> xs{m.x, m.x}, ys{y0, y1};
    plcol0(kMarkGrey);
    plwidth(1.0);
    plline(2, xs.data(), ys.data());
    plptex(m.x + 0.01 * (x1 - x0), y0 + 0.04 * (y1 - y0), 1, 0, 0.0, escape(m.label).c_str());
  }
  for (const Series& s : p.series)
    if (s.style != Style::reference) draw_series(p, s, y0);
  plcol0(kBlack);
  plwidth(1.0);
  plbox("bcnst", 0, 0, p.log_y ? "bcstl" : "bcnstv", ytick, 0);
  if (p.log_y) label_decades(y0, y1, ytick);
  plmtex("b", 3.0, 0.5, 0.5, escape(p.xlabel).c_str());
  plmtex("l", p.log_y ? 5.2 : 5.0, 0.5, 0.5, escape(p.ylabel).c_str());
  draw_legend(p, chr);
}

/// Page height in points: one panel is 560 high, each further one adds 330.
int page_height(std::size_t panels) {
  return 560 + 330 * static_cast<int>(panels > 1 ? panels - 1 : 0);
}

void draw(const Figure& fig) {
  constexpr int kWidth = 900, kTop = 56, kBottom = 70, kGap = 84, kLeft = 104, kRight = 24;
  const int height = page_height(fig.panels.size());
  plspage(0, 0, kWidth, height, 0, 0);
  plscolbg(255, 255, 255);
  set_palette();
  plinit();
  pladv(0);
  // PLplot scales characters with the page height; keep them the same size on tall pages.
  const double chr = 1.1 * std::pow(560.0 / height, 0.6);
  plschr(0, chr);
  const std::size_t n = std::max<std::size_t>(1, fig.panels.size());
  const double panel_h = double(height - kTop - kBottom - kGap * int(n - 1)) / double(n);
  const double vx0 = double(kLeft) / kWidth, vx1 = 1.0 - double(kRight) / kWidth;
  for (std::size_t i = 0; i < fig.panels.size(); ++i) {
    const double top = kTop + double(i) * (panel_h + kGap);
    const double vy1 = 1.0 - top / height, vy0 = 1.0 - (top + panel_h) / height;
    draw_panel(fig.panels[i], chr, vx0, vx1, vy0, vy1);
    if (i == 0) {
      plcol0(kBlack);
      plschr(0, chr * 1.1);
      plmtex("t", 1.3, 0.5, 0.5, escape(fig.title).c_str());
      plschr(0, chr);
    }
  }
}

}  // namespace

bool png_available() {
  std::lock_guard<std::mutex> lock(plplot_mutex());
  static const bool available = [] {
    std::array<PLCHAR_VECTOR, 128> menu{}, names{};
    int count = static_cast<int>(names.size());
    PLCHAR_VECTOR* menu_ptr = menu.data();
    PLCHAR_VECTOR* names_ptr = names.data();
    plgDevs(&menu_ptr, &names_ptr, &count);
    for (int i = 0; i < count; ++i)
      if (names[static_cast<std::size_t>(i)] &&
          std::string(names[static_cast<std::size_t>(i)]) == "pngcairo")
        return true;
    return false;
  }();
  return available;
}

bool render(const Figure& fig, Format format, const std::filesystem::path& file,
            std::string* error) {
  std::lock_guard<std::mutex> lock(plplot_mutex());
  plsexit(on_fatal);
  plsabort(on_abort);
  PLINT stream = 0;
  plmkstrm(&stream);
  if (stream < 0) {
    *error = "PLplot: no free plot stream";
    return false;
  }
  try {
    plsdev(format == Format::svg ? "svg" : "pngcairo");
    plsfnam(file.c_str());
    draw(fig);
    plend1();
  } catch (const PlplotFatal& e) {
    *error = std::string("PLplot: ") + e.what();
    plend1();
    return false;
  }
  return true;
}

}  // namespace pinnc::plot
