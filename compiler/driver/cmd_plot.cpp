// cmd_plot.cpp — `pinnc plot DIR [--phase X,Y] [--extrapolate T]`: redraws the plots of a
// finished run from its files (model.json, solution.csv, loss.csv); no LLVM needed.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "driver/cli.h"
#include "driver/commands.h"
#include "driver/plot_flags.h"
#include "plot/plot.h"
#include "interp/interp_backend.h"
#include "train/session.h"

namespace pinnc::driver {

int plot_main(int argc, char** argv) {
  CLI::App app{"Redraw the plots of a finished run from its folder (written by pinnc train)",
               "pinnc plot"};
  std::string dir;
  bool quiet = false;
  PlotFlags flags;
  app.add_option("DIR", dir, "the run's folder: model.json, solution.csv, loss.csv")->required();
  app.add_flag("--quiet,-q", quiet, "print nothing but errors");
  add_plot_flags(app, flags, false);
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;
  std::error_code ec;
  std::string error;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr,
                 "pinnc plot: %s: no such folder (give the --out folder of a pinnc train run)\n",
                 dir.c_str());
    return 2;
  }
  plot::RunData data;
  train::Model model;
  if (!plot::read_run(dir, &data, &model, &error)) {
    std::fprintf(stderr, "pinnc plot: %s\n", error.c_str());
    return 1;
  }
  if (int rc = check_plot_flags(plot::phase_names(data), data.t0, data.t1, flags, "plot")) return rc;
  if (flags.extrapolate) {
    interp::InterpBackend backend;
    TrainOptions opt;
    auto prep = train::prepare_model(model, backend, &opt, &error);
    if (!prep || !plot::add_extrapolation(*prep, model, *flags.extrapolate, &data, &error)) {
      std::fprintf(stderr, "pinnc plot: %s/model.json: %s\n", dir.c_str(), error.c_str());
      return 1;
    }
  }
  plot::PlotOptions options;
  if (!flags.phase.empty()) {
    std::size_t comma = flags.phase.find(',');
    options.phase_x = flags.phase.substr(0, comma);
    options.phase_y = flags.phase.substr(comma + 1);
  }
  std::vector<std::string> written;
  if (!plot::write_plots(data, options, dir, &written, &error)) {
    std::fprintf(stderr, "pinnc plot: %s\n", error.c_str());
    return 2;
  }
  if (!quiet) std::printf("plots     %s\n", describe_written(dir, written).c_str());
  return 0;
}

}  // namespace pinnc::driver
