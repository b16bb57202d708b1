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
#include "sema/problem.h"
#include "train/backend.h"
#include "train/model.h"
#include "train/options.h"

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

  Prepared() = default;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
};

/// Lowers `problem` with `opt.conditions` and binds its kernels with `backend`.
/// nullptr (and *error) on failure.
std::unique_ptr<Prepared> prepare(Problem problem, const TrainOptions& opt, KernelBackend& backend,
                                  std::string* error);

/// One row of loss.csv.
struct LossRow {
  int64_t epoch = 0;
  std::string optimizer;
  double total = 0, residual = 0, conditions = 0;
  std::vector<double> equation, condition;
};

/// Everything a run found out.
struct TrainReport {
  // training
  bool diverged = false;
  std::string stop_reason, message;
  int64_t epochs = 0;
  int evaluations = 0;
  double train_seconds = 0;
  LossRow final_loss;
  std::vector<LossRow> history;
  std::vector<double> theta;  ///< trained weights (as double)
  std::vector<int> widths;
  double input_scale = 1, input_shift = 0;
  // evaluation on a fine grid
  std::vector<double> grid;
  std::vector<double> u;          ///< ABI layout [(j(K+1)+k) n + p]
  std::vector<double> residuals;  ///< [e n + p]
  double residual_rms = 0;        ///< on the fine grid, all equations
  double training_residual_rms = 0;
  // error
  std::string reference_kind;  ///< "exact", "reference", or "" (none)
  std::string reference_method, no_reference_why;
  std::vector<std::vector<double>> reference;  ///< [j][p] where available (NaN rows else)
  std::vector<double> rel_l2, max_abs;         ///< per unknown (NaN where no reference)
  double rel_l2_all = 0, max_abs_all = 0;      ///< over unknowns that have a reference
  // verdict
  bool trusted = true;
  std::vector<std::string> warnings;  ///< why not trusted, each a sentence
};

/// Progress after an epoch: (epoch, total epochs, the epoch's loss terms). Return false
/// to stop training (the weights so far are kept).
using Progress = std::function<bool(int64_t, int64_t, const LossRow&)>;

/// Trains. `initial_theta` (optional) warm-starts when its size matches the network.
TrainReport run_training(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial_theta,
                         const Progress& progress);

/// The run's model file.
Model make_model(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep);

/// solution.csv: t, each unknown and its derivatives up to its order, the reference
/// (`y_exact` or `y_reference`) where one exists, and each equation's residual.
std::string solution_csv(const Prepared& prep, const TrainReport& rep);
/// loss.csv: epoch, optimizer, total, residual, conditions, then each term.
std::string loss_csv(const Prepared& prep, const TrainReport& rep);
/// The human-readable final report.
std::string report_text(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep);

/// Re-creates a trained solution from its model file: re-compiles the stored source,
/// applies the stored settings, lowers and binds with `backend`. nullptr on failure, with
/// *error (and the rendered diagnostics, if the source no longer compiles).
std::unique_ptr<Prepared> prepare_model(const Model& model, KernelBackend& backend, TrainOptions* opt,
                                        std::string* error);

/// u_j^(k)(t_p) for k = 0..order (order <= the problem's order) in the ABI layout
/// out[(j(order+1)+k) n + p], evaluated in float64 from the model's weights.
void evaluate_model(const Prepared& prep, const Model& model, const std::vector<double>& t, int order,
                    std::vector<double>* out);

/// Column name of d^k u / dt^k in the language's notation: y, y', y''.
std::string derivative_name(const std::string& unknown, int k);

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_SESSION_H
