// plot.h — the plots of a training run (solution, loss, error, phase plane, extrapolation),
// drawn with PLplot as SVG (always) and PNG (when PLplot's cairo driver is installed).
//
// Two ways in, one way out: a finished run's folder (`read_run`, what `pinnc plot DIR`
// uses) or a training session in memory (`from_session`, what `pinnc train` and the REPL
// use) both give a RunData; `write_plots` draws it. Files written into DIR:
//   solution.svg       one panel per unknown: the network against the exact or reference
//                      solution over the trained interval
//   loss.svg           every loss term per epoch, log scale, optimizer stages marked
//   error.svg          |network - reference| per unknown (log scale, when a reference
//                      exists) and |residual| per equation (log scale)
//   phase.svg          on request (PlotOptions::phase): one unknown against another
//   extrapolation.svg  on request (add_extrapolation): the solution beyond the interval up
//                      to T, the trained interval shaded
// each also as .png beside it when PNG is available. The same data give the same bytes.
#ifndef PINNC_PLOT_PLOT_H
#define PINNC_PLOT_PLOT_H

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "train/model.h"
#include "train/session.h"

namespace pinnc::plot {

/// Everything the plots show, in plain arrays (no dependence on how it was obtained).
struct RunData {
  std::string file;            ///< the .ode file's name as given, for titles
  std::string variable = "t";  ///< the independent variable's name
  double t0 = 0, t1 = 1;       ///< the trained interval
  std::vector<std::string> unknowns;
  // The evaluation grid (solution.csv).
  std::vector<double> t;
  std::vector<std::vector<double>> u;    ///< u[j][i]: the network's unknown j at t[i]
  std::vector<std::vector<double>> ref;  ///< ref[j][i], or empty for unknowns with no reference
  std::string reference_kind;            ///< "exact", "reference" (classical integrator) or ""
  std::vector<std::vector<double>> bound;  ///< bound[j][i]: the error bound on unknown j, or empty
  std::vector<std::vector<double>> residual;  ///< residual[e][i]: equation e's residual at t[i]
  /// The unknowns' derivatives (y', y'', ... for each unknown up to its order), as named in
  /// solution.csv: the other series a phase plot can use (no reference for them).
  std::vector<std::string> derivative_names;
  std::vector<std::vector<double>> derivatives;
  // The loss history (loss.csv).
  std::vector<double> epoch;
  std::vector<std::string> optimizer;                             ///< per row: adam, lm, ...
  std::vector<std::pair<std::string, std::vector<double>>> loss;  ///< total, residual, ...
  // Beyond the interval (empty unless add_extrapolation was called).
  std::vector<double> ext_t;
  std::vector<std::vector<double>> ext_u, ext_ref;  ///< as u and ref, on ext_t
};

/// What to draw beyond the always-written solution, loss and error plots.
struct PlotOptions {
  std::string phase_x, phase_y;  ///< two series for phase.svg (unknowns or their derivatives, e.g.
                                 ///< theta,theta'); empty: no phase plot
  bool png = true;               ///< also PNG files, when PLplot's cairo driver is available
};

/// Reads DIR/model.json, DIR/solution.csv and DIR/loss.csv, written by `pinnc train`.
/// False with *error naming the file and what is wrong (missing, not a pinnc run, columns
/// that do not match the model). *model (optional) receives the parsed model.json.
bool read_run(const std::filesystem::path& dir, RunData* data, train::Model* model,
              std::string* error);

/// The same data straight from a finished training session (no files needed).
RunData from_session(const train::Prepared& prep, const train::TrainReport& rep);

/// Evaluates the trained network (and the exact or classical reference solution, where the
/// problem has one) on 1001 points from the interval to `T`, which lies outside it, into
/// data->ext_*. `prep` is the model's problem (from the session, or train::prepare_model).
/// False with *error when T is not outside the interval.
bool add_extrapolation(train::Prepared& prep, const train::Model& model, double T, RunData* data,
                       std::string* error);

/// The series a phase plot may use: every unknown, then each one's derivatives up to its
/// order (`orders[j]`), as solution.csv names them: y, z, y', z', z''.
std::vector<std::string> phase_names(const std::vector<std::string>& unknowns, const std::vector<int>& orders);
std::vector<std::string> phase_names(const RunData& data);

/// Checks that x and y are two different series of `names` (phase_names); false with
/// *error listing them otherwise. Used to validate PlotOptions::phase_* early.
bool check_phase(const std::vector<std::string>& names, const std::string& x, const std::string& y,
                 std::string* error);

/// Whether PNG output is possible here (PLplot's `pngcairo` device is installed).
bool png_available();

/// Draws every plot into `dir` (which must exist): every file is rendered completely before
/// any is replaced, so a failed drawing leaves the previous plots untouched (each file is
/// replaced atomically, see train/files.h). *written receives the
/// file names written (without the folder), in a fixed order. False with *error on failure.
/// PLplot keeps global state: calls are serialised internally; safe from one thread at a time.
bool write_plots(const RunData& data, const PlotOptions& options, const std::filesystem::path& dir,
                 std::vector<std::string>* written, std::string* error);

/// Removes every plot file write_plots may have written into `dir` (for a run trained
/// with --no-plots, whose folder must not keep the plots of an earlier model).
void remove_plots(const std::filesystem::path& dir);

}  // namespace pinnc::plot

#endif  // PINNC_PLOT_PLOT_H
