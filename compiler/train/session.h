// session.h — one training run from a checked Problem to a report and output files:
// lower, bind kernels (JIT or interpreter), train on the runtime, evaluate on a fine
// grid against the exact or a classical reference solution, and give a verdict.
// Shared by `pinnc train` and the REPL.
#ifndef PINNC_TRAIN_SESSION_H
#define PINNC_TRAIN_SESSION_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lower/lower.h"
#include "pinnc/post/outcome.h"
#include "sema/problem.h"
#include "kernels/backend.h"
#include "train/model.h"
#include "settings/options.h"

namespace pinnc::train {

/// A problem ready to train: checked, lowered, kernels bound. Not movable: the bound
/// kernels and the ABI struct point into it.
struct Prepared {
  Problem problem;
  lower::Lowered lowered;
  pinnc_problem abi{};
  std::vector<double> condition_points, params;
  std::vector<int32_t> unknown_orders;
  std::string backend;
  double compile_ms = 0;
  std::string compile_note;  ///< e.g. "object cache hit" (KernelBackend::compile_note)
  post::ReferencePlan reference_plan;  ///< whether and how a classical reference exists

  Prepared() = default;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
};

/// Lowers `problem` with `opt.conditions`, plans its classical reference and fills the
/// ABI struct's sizes, patterns and data; no kernels yet (enough for `pinnc emit`).
std::unique_ptr<Prepared> lower_problem(Problem problem, const TrainOptions& opt);

/// Binds the kernels of a lowered problem with `backend` (float32 too when `with_f32`).
bool bind(Prepared& prep, kernels::KernelBackend& backend, bool with_f32, std::string* error);

/// lower_problem + bind. nullptr (and *error) on failure.
std::unique_ptr<Prepared> prepare(Problem problem, const TrainOptions& opt, kernels::KernelBackend& backend,
                                  std::string* error);

/// What a run found out, and the pieces of it: the runtime's post-training module
/// (runtime/include/pinnc/post/outcome.h), shared with emitted solvers.
using LossRow = post::LossRow;
using TrainReport = post::Outcome;
using Progress = post::Progress;

/// What the report and the files say about the problem and the settings (names, source
/// lines, the reference plan): plan::run_info for this prepared problem.
post::RunInfo run_info(const Prepared& prep, const TrainOptions& opt);

/// Trains. `initial_theta` (optional) warm-starts when its size matches the network.
TrainReport run_training(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial_theta,
                         const Progress& progress);

/// The run's model file, solution.csv, loss.csv and report (post/outcome.h).
Model make_model(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep);
std::string solution_csv(const Prepared& prep, const TrainReport& rep);
std::string loss_csv(const Prepared& prep, const TrainReport& rep);
std::string report_text(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep);

/// Re-creates a trained solution from its model file: re-compiles the stored source,
/// applies the stored settings, lowers and binds with `backend`. nullptr on failure, with
/// *error (and the rendered diagnostics, if the source no longer compiles).
std::unique_ptr<Prepared> prepare_model(const Model& model, kernels::KernelBackend& backend, TrainOptions* opt,
                                        std::string* error);

/// u_j^(k)(t_p) for k = 0..order (order <= the problem's order) in the ABI layout
/// out[(j(order+1)+k) n + p], evaluated in float64 from the model's weights.
void evaluate_model(const Prepared& prep, const Model& model, const std::vector<double>& t, int order,
                    std::vector<double>* out);

using post::derivative_name;

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_SESSION_H
