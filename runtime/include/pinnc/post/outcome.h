// outcome.h — the data of a run after its network's weights exist: what the compiler
// knows before training (RunInfo), what training and evaluation found (Outcome) and the
// model file (ModelFile). Light (standard library only) so that the compiler's headers
// can include it; the code that fills and prints these lives beside it:
//   post/evaluate.h   training with the runtime, the fine grid, reference, errors, verdict
//   post/reference.h  the classical reference integrator (Boost.Odeint on the kernels)
//   post/text.h       the report, solution.csv, loss.csv, model.json
//   post/files.h      atomic output files;  post/format.h  number formatting
// `pinnc train`, the REPL and every emitted solver (`pinnc emit`) call exactly this code,
// so a fix is made once and the three cannot drift apart. C++17.
//
// The compiler builds a RunInfo from the checked problem (compiler/train/session.cpp); an
// emitted solver has it written out as code in its main() (compiler/codegen/cpp/
// standalone.cpp).
#ifndef PINNC_POST_OUTCOME_H
#define PINNC_POST_OUTCOME_H

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "pinnc/bad_term.h"

namespace pinnc::post {

/// A condition `u_j^(k)(point) = value` (what the boundary value reference solves with).
struct PlainValue {
  int unknown = 0, order = 0;
  double point = 0, value = 0;
};

/// An affine condition sum_terms coefficient * u_j^(k)(point) = value (Robin and other
/// linear combinations; a plain value is the one-term case).
struct AffineCondition {
  struct Term {
    int unknown = 0, order = 0;
    double coefficient = 1;
  };
  double point = 0, value = 0;
  std::vector<Term> terms;
};

/// Whether and how a classical reference solution can be computed (decided by the
/// compiler, compiler/plan/reference.cpp; computed by post/reference.h).
///   initial value problem (boundary == false): integrated from `a` with state x0;
///   boundary value problem (boundary == true): spectral collocation with Newton on the
///   plain-value conditions `values`, started from the trained network.
struct ReferencePlan {
  bool possible = false;
  std::string why_not;      ///< when not possible: a sentence for the report
  bool boundary = false;    ///< a BVP (conditions at more than one point)
  double a = 0;             ///< the initial point (IVP)
  std::string variable = "t";  ///< the independent variable's name, for messages
  std::vector<double> x0;   ///< u_j^(k)(a) for each unknown j, k = 0..m_j-1, unknowns in order (IVP)
  std::vector<PlainValue> values;  ///< the plain-value conditions (BVP)
  std::vector<AffineCondition> affine;  ///< the other conditions, all affine (BVP)
  /// Every equation is affine in every unknown and derivative: the Jacobian does not
  /// depend on the solution, so the Grönwall error bound is a bound, not an estimate.
  bool linear = false;
  /// The equations are affine in the highest derivatives (the explicit first-order form
  /// exists: the IVP integrators and the error bound need it).
  bool explicit_form = false;
};

/// One time window of a piecewise solution (time-marching, post/march.h): on [a, b] the
/// solution is u_j = A_j + B_j N_j with the window's own network N (weights theta, input
/// x = input_scale t + input_shift) and the initial-value trial functions built from
/// `start` (rt::WindowProblem, runtime/include/pinnc/window.h): start[offset_j + k] =
/// u_j^(k)(a) for k < m_j, unknowns in order (ReferencePlan::x0's layout). Window i
/// covers [a_i, b_i); the last one also its right end, so a derivative at an edge is the
/// right-hand window's.
struct Piece {
  double a = 0, b = 0;
  std::vector<double> start;
  double input_scale = 1, input_shift = 0;
  std::vector<double> theta;
};

/// One unknown as the report and model.json describe it.
struct UnknownInfo {
  std::string name;
  int order = 0;
  std::string trial_kind = "soft";  ///< "initial value", "two-point", ..., or "soft"
  std::string trial_a = "0";        ///< u = A + B*N: A and B as printed expressions
  std::string trial_b = "1";
};

/// A parameter identified from data (`param k = ? guess`), as the compiler declares it.
struct IdentifiedInfo {
  std::string name;
  int index = 0;      ///< q, the parameter's number
  double guess = 1;
  double lower = -std::numeric_limits<double>::infinity(), upper = std::numeric_limits<double>::infinity();
};

/// A parameter of a solution bundle (`param k in [lower, upper]`): a network input.
struct RangedInfo {
  std::string name;
  int index = 0;  ///< q
  double lower = 0, upper = 1;
};

/// How a network takes a parameter as an input (x = scale * value + shift).
struct ParamInput {
  std::string name;
  int index = 0;
  double scale = 1, shift = 0;
};

/// What identification found for one parameter (post/identify.h).
struct Identified {
  std::string name;
  double value = 0, guess = 0;
  double std_error = 0;  ///< NaN when it could not be estimated (std_error_why says why)
  bool at_bound = false; ///< the value sits on one of its bounds
};

/// What the compiler knows about a run before it starts.
struct RunInfo {
  std::string pinnc_version;
  std::string source_file, source_text;
  std::string variable = "t";
  double t0 = 0, t1 = 1;
  int order = 0;
  std::vector<UnknownInfo> unknowns;
  std::vector<std::pair<std::string, double>> params;        ///< name, value (declaration order)
  std::vector<std::string> equation_where;                   ///< "FILE:LINE: the residual of `...`"
  std::vector<std::string> aux_names;                        ///< the aux kernel's outputs, in order
  std::vector<IdentifiedInfo> identified;                    ///< parameters identified from data
  std::vector<std::string> data_files;                       ///< the data statements' files, for the report
  /// The measurements' noise (standard deviation, in their units; --data-noise), or 0 when
  /// not stated: then it is estimated from the misfit (post/identify.h).
  double data_noise = 0;
  std::vector<RangedInfo> bundle;                            ///< the ranged parameters (solution bundles)
  std::vector<std::string> condition_where;                  ///< per soft condition, kernel order
  std::vector<std::pair<std::string, std::string>> settings;  ///< every setting, as the flags spell it
  // What the report's setup line says.
  std::string activation = "tanh", sampling = "grid", precision = "f64", backend = "jit", stages;
  int64_t points = 0;
  ReferencePlan reference;
  int fine_grid = 1001;  ///< points of the evaluation grid (both ends included)
  double rtol = 1e-6, atol = 0;  ///< the verdict's target: |u - ref| <= rtol * scale + atol
  /// Time-marching (post/march.h): "off", "auto" (when one network over the whole
  /// interval misses the target) or "on"; and the wall-clock budget in seconds.
  std::string windows = "auto";
  double budget = 55;  ///< seconds; 55 so that a default run, compile and evaluation included, ends within a minute
  /// Bytes the run may hold (post/limits.h), checked before training; 0: 80% of the machine's memory.
  double memory_limit = 0;
};

/// One row of loss.csv.
struct LossRow {
  int64_t epoch = 0;
  std::string optimizer;
  double total = 0, residual = 0, conditions = 0, data = 0;
  std::vector<double> equation, condition;
};

/// Everything a run found out.
struct Outcome {
  // training
  bool diverged = false;
  /// Stopped by stop_requested() (evaluate.h): the outputs hold the best weights reached.
  bool interrupted = false;
  /// With diverged: the loss grew over kExplodingLoss times its best (else it became NaN/Inf).
  bool exploded = false;
  /// With diverged: theta and params are the best weights reached before (best_epoch), and
  /// the run is evaluated and written with them, marked partial; else there are none.
  bool recovered = false;
  int64_t best_epoch = -1;  ///< interrupted or recovered: the epoch whose weights are kept
  std::string stop_reason, message;
  rt::BadTerm bad_term;  ///< the term that became non-finite, when diverged
  int64_t epochs = 0;
  int evaluations = 0;
  double train_seconds = 0;
  LossRow final_loss;
  std::vector<LossRow> history;
  std::vector<double> theta;  ///< trained weights (as double)
  /// Every parameter's value after training [Q]: the identified ones as trained, the
  /// others as given. What evaluation, the files and the model use.
  std::vector<double> params;
  std::vector<int> widths;
  double input_scale = 1, input_shift = 0;
  std::vector<ParamInput> param_inputs;  ///< the bundle's parameters as network inputs (names from RunInfo)
  /// A piecewise solution (time-marching): its windows, in order; empty for one network
  /// over the whole interval (theta above). When not empty theta is window 0's.
  std::vector<Piece> pieces;
  // evaluation on a fine grid
  std::vector<double> grid;
  std::vector<double> u;          ///< ABI layout [(j(K+1)+k) n + p]
  std::vector<double> residuals;  ///< [e n + p]
  double residual_rms = 0;        ///< on the fine grid, all equations
  double training_residual_rms = 0;
  /// Each equation's residual RMS on the fine grid relative to the RMS size of its
  /// terms (post/evaluate.h equation_scales), and the largest of them.
  std::vector<double> relative_residual;
  double relative_residual_max = 0;
  // error
  std::string reference_kind;  ///< "exact", "reference", or "" (none)
  std::string reference_method, no_reference_why;
  std::string exact_rejected;  ///< why the file's exact solution was not used ("" when it was, or none)
  std::string stiffness;       ///< "" or a sentence: the problem is stiff (from the Jacobian's eigenvalues)
  double reference_accuracy = 0;  ///< the reference's own error estimate, relative to the scale
  std::vector<std::vector<double>> reference;  ///< [j][p] where available (NaN rows else)
  /// The aux quantities on the grid [a][p]: from the network, and from the reference
  /// (NaN rows where the reference lacks an unknown or a derivative the quantity uses).
  std::vector<std::vector<double>> aux, aux_reference;
  std::vector<double> rel_l2, max_abs;         ///< per unknown (NaN where no reference)
  double rel_l2_all = 0, max_abs_all = 0;      ///< over unknowns that have a reference
  std::vector<double> scale;    ///< per unknown: max |reference| (else max |network|), the error's scale
  std::vector<double> rel_max;  ///< per unknown: max |u - reference| / scale (NaN without reference)
  double rel_error = 0;         ///< the largest rel_max (NaN without any reference)
  // the error bound from the network alone (post/bound.h)
  std::string bound_kind;      ///< "bound", "estimate", or "" (none; bound_why_not says why)
  std::string bound_why_not;
  std::vector<double> bound_curve;  ///< [p] the bound at each grid point, relative to the scale
  double bound_rel = 0;             ///< its maximum (the printed bound); NaN when none
  // identification and the data term (post/identify.h)
  std::vector<Identified> identified;
  std::string std_error_why;     ///< why no standard errors ("" when there are)
  std::size_t data_points = 0;   ///< measurements fitted
  double data_misfit = 0;        ///< max over unknowns: RMS(u - data) / max|data| (NaN: no data)
  // a solution bundle, checked over a grid of its parameters' values (post/bundle.h)
  std::size_t bundle_checked = 0;   ///< parameter values checked
  double bundle_worst = 0, bundle_median = 0;  ///< target ratios over them
  double bundle_worst_error = 0;    ///< the error (or bound) where the worst ratio is
  std::string bundle_worst_at;      ///< "k = 0.5"
  std::string bundle_checked_by;    ///< "reference" or "bound" (of the worst)
  // verdict
  double target_ratio = 0;  ///< the error (reference, else bound) divided by the target; NaN when unchecked
  std::string checked_by;   ///< "reference", "bound", or "" (could not be checked)
  bool trusted = true;
  std::vector<std::string> warnings;  ///< why not trusted, each a sentence
  std::vector<std::string> notes;     ///< remarks that do not change the verdict
};

/// Progress after an epoch: (epoch, total epochs, the epoch's loss terms). Return false
/// to stop training (the weights so far are kept).
using Progress = std::function<bool(int64_t, int64_t, const LossRow&)>;

// ---- model.json ----------------------------------------------------------------------

/// model.json: a trained solution, enough to evaluate it and to emit code for it.
/// Schema (format "pinnc-model", version 1; version 2 adds `windows`), in README.md:
///   format, version, pinnc          identification
///   source: {file, text}            the problem as written (re-compiled by eval/emit/repl)
///   settings: {key: value, ...}     every training setting used, as `pinnc train` flags
///   problem: {variable, interval: [t0, t1], order, unknowns: [{name, order}],
///             params: [{name, value}]}
///   identified: [{name, value, std_error, guess}]   parameters identified from data
///                                   (std_error null when not estimated); problem.params
///                                   holds the identified values
///   bundle: [{name, lower, upper}]  version 3: a solution bundle; network.param_inputs
///                                   [{name, scale, shift}] are its inputs after t
///   network: {widths: [1, hidden..., U], activation, input_scale, input_shift,
///             theta: [...]}         theta is the runtime's flat parameter vector: per layer
///                                   l, W_l (width(l+1) x width(l), column-major) then b_l
///   windows: [{interval: [a, b], start: [...], input_scale, input_shift, theta: [...]}]
///                                   version 2 only: a piecewise solution (Piece)
///   trial: [{unknown, kind, A, B}]  the hard-constraint wrapping u = A + B*N (printed
///                                   expressions in the variable), "soft" where none
///   results: {...}                  loss terms, errors, verdict (informational)
struct ModelFile {
  static constexpr int kFormatVersion = 3;  ///< the newest this code reads; 1 is written without windows or bundle
  struct Unknown {
    std::string name;
    int order = 0;
  };
  struct Trial {
    std::string unknown, kind, a, b;
  };
  int version = 1;  ///< 2 when pieces is not empty (make_model)
  bool partial = false;  ///< interrupted or diverged: the best weights reached (written as "partial": true)
  std::string pinnc_version;
  std::string source_file, source_text;
  std::vector<std::pair<std::string, std::string>> settings;
  std::string variable = "t";
  double t0 = 0, t1 = 1;
  int order = 0;
  std::vector<Unknown> unknowns;
  std::vector<std::pair<std::string, double>> params;
  std::vector<Identified> identified;
  std::vector<RangedInfo> bundle;
  std::vector<ParamInput> param_inputs;
  std::vector<int> widths;
  std::string activation;
  double input_scale = 1, input_shift = 0;
  std::vector<double> theta;
  std::vector<Piece> pieces;
  std::vector<Trial> trial;
  std::vector<std::pair<std::string, double>> results;     ///< numbers only, in report order
  std::vector<std::pair<std::string, std::string>> notes;  ///< text results (verdict, ...)
};

}  // namespace pinnc::post

#endif  // PINNC_POST_OUTCOME_H
