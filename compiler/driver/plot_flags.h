// plot_flags.h — the plot flags shared by `pinnc train` and `pinnc plot` (`--no-plots`,
// `--phase X,Y`, `--extrapolate T`), their checks, and the plotting step after training.
#ifndef PINNC_DRIVER_PLOT_FLAGS_H
#define PINNC_DRIVER_PLOT_FLAGS_H

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plot/plot.h"
#include "sema/problem.h"
#include "train/model.h"
#include "train/session.h"

namespace pinnc::driver {

/// Plot flags as given.
struct PlotFlags {
  bool no_plots = false;
  std::string phase;                  ///< "X,Y": two unknowns for a phase-plane plot
  std::optional<double> extrapolate;  ///< plot the solution beyond the interval up to T
};

/// Adds --phase and --extrapolate, and --no-plots when `with_no_plots` (pinnc train).
void add_plot_flags(CLI::App& app, PlotFlags& flags, bool with_no_plots);

/// Checks the flags against the series a phase plot may use (plot::phase_names) and the
/// interval before anything is trained or drawn; prints a usage message and returns 2 when
/// they do not fit, else 0.
int check_plot_flags(const std::vector<std::string>& phase_names, double t0, double t1,
                     const PlotFlags& flags, const char* command);

/// Overload for a checked problem (pinnc train).
int check_plot_flags(const Problem& problem, const PlotFlags& flags);

/// The plot step of `pinnc train`, after its files are written: draws the plots into
/// `out_dir` and prints their names (unless quiet). A failure is a warning on stderr and
/// never changes the exit code. Earlier plots in `out_dir` are removed first (also with
/// --no-plots): they showed another model.
void plot_after_training(train::Prepared& prep, const train::TrainReport& rep,
                         const train::Model& model, const std::string& out_dir,
                         const PlotFlags& flags, bool quiet);

/// "out/decay/{solution,loss,error}.{svg,png}": the written files, compactly.
std::string describe_written(const std::string& dir, const std::vector<std::string>& names);

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_PLOT_FLAGS_H
