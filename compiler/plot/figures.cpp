// figures.cpp — which series go into which panel of each plot (see plot.h for the list).
#include <fmt/format.h>

#include <cmath>

#include "plot/figure.h"

namespace pinnc::plot {

namespace {

std::string reference_label(const RunData& d) {
  return d.reference_kind == "exact" ? "exact" : "reference (Odeint)";
}

std::string interval_text(const RunData& d) {
  return fmt::format("{} in [{:.4g}, {:.4g}]", d.variable, d.t0, d.t1);
}

bool has_ref(const std::vector<std::vector<double>>& ref, std::size_t j) {
  return j < ref.size() && !ref[j].empty();
}

/// One panel per unknown: reference (wide, light) under the network (thin, coloured).
std::vector<Panel> solution_panels(const RunData& d, const std::vector<double>& t,
                                   const std::vector<std::vector<double>>& u,
                                   const std::vector<std::vector<double>>& ref) {
  std::vector<Panel> panels;
  for (std::size_t j = 0; j < d.unknowns.size(); ++j) {
    const std::string& name = d.unknowns[j];
    Panel p;
    p.xlabel = d.variable;
    p.ylabel = fmt::format("{}({})", name, d.variable);
    if (has_ref(ref, j))
      p.series.push_back(
          {fmt::format("{} {}", name, reference_label(d)), t, ref[j], Style::reference, 0});
    p.series.push_back({fmt::format("{} network", name), t, u[j], Style::network, int(j)});
    panels.push_back(std::move(p));
  }
  return panels;
}

Figure solution_figure(const RunData& d) {
  Figure f;
  f.name = "solution";
  f.title =
      fmt::format("{}: network vs {}", d.file,
                  d.reference_kind.empty() ? "(no reference)" : reference_label(d) + " solution");
  f.panels = solution_panels(d, d.t, d.u, d.ref);
  return f;
}

/// Loss terms per epoch. `residual` is left out when it equals `total` (no soft
/// conditions), per-equation and per-condition terms only when there are several.
Figure loss_figure(const RunData& d) {
  Figure f;
  f.name = "loss";
  f.title = fmt::format("{}: loss per epoch", d.file);
  Panel p;
  p.xlabel = "epoch";
  p.ylabel = "loss";
  p.log_y = true;
  auto any_positive = [](const std::vector<double>& v) {
    for (double x : v)
      if (x > 0 && std::isfinite(x)) return true;
    return false;
  };
  std::size_t equations = 0, conditions = 0;
  for (const auto& [name, values] : d.loss) {
    equations += name.rfind("equation", 0) == 0;
    conditions += name.rfind("condition", 0) == 0 && name != "conditions";
  }
  const std::vector<double>* total = nullptr;
  int colour = 0;
  for (const auto& [name, values] : d.loss) {
    if (name == "total") total = &values;
    bool show = any_positive(values);
    if (name == "residual" && total && values == *total) show = false;
    if (name.rfind("equation", 0) == 0 && equations < 2) show = false;
    if (name.rfind("condition", 0) == 0 && name != "conditions" && conditions < 2) show = false;
    if (show) p.series.push_back({name, d.epoch, values, Style::term, colour});
    ++colour;
  }
  for (std::size_t i = 0; i < d.optimizer.size() && i < d.epoch.size(); ++i)
    if (i == 0 || d.optimizer[i] != d.optimizer[i - 1])
      p.marks.push_back({d.epoch[i], d.optimizer[i]});
  f.panels.push_back(std::move(p));
  return f;
}

/// |network - reference| per unknown (when a reference exists) and |residual| per equation.
Figure error_figure(const RunData& d) {
  Figure f;
  f.name = "error";
  f.title = fmt::format("{}: pointwise error and residual", d.file);
  Panel err;
  err.xlabel = d.variable;
  err.ylabel = fmt::format("|network - {}|", d.reference_kind == "exact" ? "exact" : "reference");
  bool any_bound = false;
  for (const auto& b : d.bound) any_bound = any_bound || !b.empty();
  if (any_bound) err.ylabel += " and its bound";
  err.log_y = true;
  for (std::size_t j = 0; j < d.unknowns.size(); ++j) {
    if (!has_ref(d.ref, j)) continue;
    std::vector<double> e(d.t.size());
    for (std::size_t i = 0; i < e.size(); ++i) e[i] = std::fabs(d.u[j][i] - d.ref[j][i]);
    err.series.push_back({d.unknowns[j], d.t, std::move(e), Style::term, int(j)});
  }
  // The error bound from the network alone (dashed, as references are drawn).
  for (std::size_t j = 0; j < d.unknowns.size() && j < d.bound.size(); ++j) {
    if (d.bound[j].size() != d.t.size()) continue;
    std::vector<double> b = d.bound[j];
    for (double& x : b)
      if (!std::isfinite(x)) x = NAN;
    err.series.push_back({d.unknowns[j] + " bound", d.t, std::move(b), Style::reference, int(j)});
  }
  if (!err.series.empty())
    f.panels.push_back(std::move(err));
  else
    f.title = fmt::format("{}: residual (no reference solution to measure the error)", d.file);
  Panel res;
  res.xlabel = d.variable;
  res.ylabel = "|residual|";
  res.log_y = true;
  for (std::size_t e = 0; e < d.residual.size(); ++e) {
    std::vector<double> r(d.residual[e].size());
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = std::fabs(d.residual[e][i]);
    std::string label = d.residual.size() == 1 ? "residual" : fmt::format("equation {}", e + 1);
    res.series.push_back({label, d.t, std::move(r), Style::term, int(e) + 3});
  }
  f.panels.push_back(std::move(res));
  return f;
}

/// One series of a phase plot: an unknown (with its reference, where there is one) or a
/// derivative (network only). values == nullptr when `name` is neither.
struct PhaseSeries {
  const std::vector<double>* values = nullptr;
  const std::vector<double>* reference = nullptr;
};

PhaseSeries phase_series(const RunData& d, const std::string& name) {
  for (std::size_t j = 0; j < d.unknowns.size(); ++j)
    if (d.unknowns[j] == name) return {&d.u[j], has_ref(d.ref, j) ? &d.ref[j] : nullptr};
  for (std::size_t i = 0; i < d.derivative_names.size(); ++i)
    if (d.derivative_names[i] == name) return {&d.derivatives[i], nullptr};
  return {};
}

Figure phase_figure(const RunData& d, const std::string& x, const std::string& y) {
  const PhaseSeries a = phase_series(d, x), b = phase_series(d, y);
  Figure f;
  f.name = "phase";
  f.title = fmt::format("{}: phase plane, {}", d.file, interval_text(d));
  Panel p;
  p.xlabel = x;
  p.ylabel = y;
  p.pad_x = true;
  if (a.reference && b.reference) p.series.push_back({reference_label(d), *a.reference, *b.reference, Style::reference, 0});
  p.series.push_back({"network", *a.values, *b.values, Style::network, 0});
  f.panels.push_back(std::move(p));
  return f;
}

Figure extrapolation_figure(const RunData& d) {
  Figure f;
  f.name = "extrapolation";
  f.title = fmt::format("{}: beyond the trained interval [{:.4g}, {:.4g}]", d.file, d.t0, d.t1);
  f.panels = solution_panels(d, d.ext_t, d.ext_u, d.ext_ref);
  for (Panel& p : f.panels) p.shade = true, p.shade_from = d.t0, p.shade_to = d.t1;
  return f;
}

}  // namespace

std::vector<Figure> build_figures(const RunData& data, const PlotOptions& options) {
  std::vector<Figure> figs;
  figs.push_back(solution_figure(data));
  figs.push_back(loss_figure(data));
  figs.push_back(error_figure(data));
  if (!options.phase_x.empty() && phase_series(data, options.phase_x).values &&
      phase_series(data, options.phase_y).values)
    figs.push_back(phase_figure(data, options.phase_x, options.phase_y));
  if (!data.ext_t.empty()) figs.push_back(extrapolation_figure(data));
  return figs;
}

}  // namespace pinnc::plot
