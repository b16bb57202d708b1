// plot_flags.cpp — see plot_flags.h.
#include "driver/plot_flags.h"

#include <fmt/format.h>

#include <cstdio>
#include <map>

namespace pinnc::driver {

namespace {

/// "x,y" -> ("x", "y"); ("", "") when there is no comma.
std::pair<std::string, std::string> split_phase(const std::string& text) {
  std::size_t comma = text.find(',');
  if (comma == std::string::npos) return {};
  return {text.substr(0, comma), text.substr(comma + 1)};
}

}  // namespace

void add_plot_flags(CLI::App& app, PlotFlags& flags, bool with_no_plots) {
  const char* group = "Plots";
  if (with_no_plots)
    app.add_flag("--no-plots", flags.no_plots,
                 "do not draw the plots (solution, loss, error .svg/.png)")
        ->group(group);
  app.add_option("--phase", flags.phase,
                 "also a phase-plane plot of two unknowns, e.g. --phase x,y")
      ->group(group);
  app.add_option_function<double>(
         "--extrapolate", [&flags](double t) { flags.extrapolate = t; },
         "also plot the solution beyond the trained interval up to T (the interval shaded)")
      ->group(group);
}

int check_plot_flags(const std::vector<std::string>& unknowns, double t0, double t1,
                     const PlotFlags& flags, const char* command) {
  if (flags.no_plots) return 0;
  std::string error;
  if (!flags.phase.empty()) {
    auto [x, y] = split_phase(flags.phase);
    if (x.empty() && y.empty()) {
      std::fprintf(
          stderr,
          "pinnc %s: --phase '%s': give two unknowns (or derivatives) separated by a comma, e.g. --phase x,y or "
          "--phase theta,theta'\n",
          command, flags.phase.c_str());
      return 2;
    }
    if (!plot::check_phase(unknowns, x, y, &error)) {
      std::fprintf(stderr, "pinnc %s: %s\n", command, error.c_str());
      return 2;
    }
  }
  if (flags.extrapolate && (!std::isfinite(*flags.extrapolate) ||
                            (*flags.extrapolate >= t0 && *flags.extrapolate <= t1))) {
    std::fprintf(stderr,
                 "pinnc %s: --extrapolate %g: give a point outside the trained interval [%g, %g]\n",
                 command, *flags.extrapolate, t0, t1);
    return 2;
  }
  return 0;
}

int check_plot_flags(const Problem& problem, const PlotFlags& flags) {
  std::vector<std::string> names;
  std::vector<int> orders;
  for (const Unknown& u : problem.unknowns) names.push_back(u.name), orders.push_back(u.order);
  return check_plot_flags(plot::phase_names(names, orders), problem.t0, problem.t1, flags, "train");
}

void plot_after_training(train::Prepared& prep, const train::TrainReport& rep,
                         const train::Model& model, const std::string& out_dir,
                         const PlotFlags& flags, bool quiet) {
  // Plots of an earlier model in the folder would no longer match this one.
  plot::remove_plots(out_dir);
  if (flags.no_plots) return;
  std::string error;
  plot::RunData data = plot::from_session(prep, rep);
  plot::PlotOptions options;
  std::tie(options.phase_x, options.phase_y) = split_phase(flags.phase);
  std::vector<std::string> written;
  bool ok =
      !flags.extrapolate || plot::add_extrapolation(prep, model, *flags.extrapolate, &data, &error);
  ok = ok && plot::write_plots(data, options, out_dir, &written, &error);
  if (!ok) {
    std::fprintf(stderr, "pinnc train: warning: no plots drawn: %s\n", error.c_str());
    return;
  }
  if (!quiet) std::printf("plots     %s\n", describe_written(out_dir, written).c_str());
}

std::string describe_written(const std::string& dir, const std::vector<std::string>& names) {
  // stem -> extensions, in first-seen order of stems.
  std::vector<std::string> stems;
  std::map<std::string, std::string> exts;
  for (const std::string& n : names) {
    std::size_t dot = n.rfind('.');
    std::string stem = n.substr(0, dot), ext = dot == std::string::npos ? "" : n.substr(dot + 1);
    if (!exts.count(stem)) stems.push_back(stem);
    exts[stem] += (exts[stem].empty() ? "" : ",") + ext;
  }
  bool same = true;
  for (const std::string& s : stems) same = same && exts[s] == exts[stems.front()];
  std::string out = dir + "/";
  if (same && !stems.empty()) {
    std::string list;
    for (const std::string& s : stems) list += (list.empty() ? "" : ",") + s;
    const std::string& e = exts[stems.front()];
    out += (stems.size() > 1 ? "{" + list + "}" : list) + "." +
           (e.find(',') != std::string::npos ? "{" + e + "}" : e);
    return out;
  }
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return out + "{" + list + "}";
}

}  // namespace pinnc::driver
