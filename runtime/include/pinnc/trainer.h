// trainer.h — the training loop: settings, optimizer schedule, stopping rules, callbacks.
//
// A Trainer is built from a compiled problem (kernel_abi.h) and TrainerSettings, allocates
// every workspace once, and runs a schedule of optimizer stages (e.g. Adam 2000 epochs
// then LM 200). Each epoch: new collocation points if the sampler says so, loss and
// gradient (or residuals and Jacobian), a non-finite check that names the first bad term,
// the callback (progress line, loss.csv), then one optimizer step. No heap allocation
// happens inside an epoch (tests/runtime/test_alloc.cpp checks it for every optimizer).
//
// Epoch semantics: the loss reported for epoch e is the loss at the weights before that
// epoch's step (as the PyTorch seed prints it). L-BFGS and LM keep the collocation points
// fixed within a stage (a jittered grid becomes the plain grid), since their line search
// and gain ratio compare losses at different weights on the same points.
#ifndef PINNC_RT_TRAINER_H
#define PINNC_RT_TRAINER_H

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/bad_term.h"
#include "pinnc/choices.h"
#include "pinnc/first_order.h"
#include "pinnc/kernel_abi.h"
#include "pinnc/lbfgs.h"
#include "pinnc/levenberg_marquardt.h"
#include "pinnc/model.h"
#include "pinnc/network.h"
#include "pinnc/objective.h"
#include "pinnc/sampler.h"

namespace pinnc::rt {


/// One stage of the optimizer schedule.
struct Stage {
  OptimizerKind optimizer = OptimizerKind::adam;
  int64_t epochs = 1000;
  double lr = 1e-3;                  ///< sgd, adam
  double momentum = 0.0;             ///< sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  ///< adam
  int history = 10;                  ///< lbfgs: correction pairs
  double lambda0 = 1e-3;             ///< lm: initial damping
  /// End the stage when the loss has not dropped below best * (1 - min_improvement) for
  /// `patience` epochs (0: never). L-BFGS/LM also end a stage when a step finds no descent.
  int64_t patience = 0;
  double min_improvement = 1e-4;
};

/// Everything the driver chooses about a training run.
struct TrainerSettings {
  std::vector<int> hidden = {32, 32};         ///< hidden layer widths
  Activation activation = Activation::tanh;
  double leaky_slope = 0.01;
  Init init = Init::glorot_normal;
  bool input_scaling = true;                  ///< map [t0, t1] to [-1, 1]
  std::vector<Stage> schedule = {Stage{}};
  int64_t points = 100;                       ///< collocation points
  /// Adaptive collocation (post/march.h's polish): fixed points in t added after the
  /// sampler's `points` in every epoch, where the residual of an earlier network was large.
  std::vector<double> extra_points;
  SamplerOptions sampling;                    ///< its seed is derived from `seed`
  uint64_t seed = 0;
  std::vector<double> condition_weights;      ///< [C], empty: all 1
  std::vector<DataPoint> data;                ///< optional measurements
  double data_weight = 1.0;
  std::vector<double> params;                 ///< [Q], empty: the problem's defaults
  /// Identification (objective.h): parameters q trained with the network, starting from
  /// params[q] (or the default), kept within [lower_i, upper_i] (infinite: no bound).
  std::vector<int> identify;
  std::vector<double> identify_lower, identify_upper;
  /// A solution bundle (objective.h): parameters q that are network inputs, each over
  /// [lower_i, upper_i], trained on a product grid of bundle_samples evenly spaced values
  /// per parameter (ends included).
  std::vector<int> bundle;
  std::vector<double> bundle_lower, bundle_upper;
  int bundle_samples = 9;
  double loss_tolerance = 0.0;                ///< stop when the total loss <= this
  /// Threads for the epoch's point blocks (objective.h), <= 0: one per core. The result is
  /// the same, bit for bit, for every value: the blocks and their sums' order do not
  /// depend on it.
  int threads = 1;
};

/// What the callback sees after each epoch's loss evaluation (before its step).
struct EpochReport {
  int64_t epoch = 0;         ///< global, from 0
  int stage = 0;
  int64_t stage_epoch = 0;
  OptimizerKind optimizer = OptimizerKind::adam;
  const LossTerms* loss = nullptr;
  double lambda = 0;         ///< LM damping (0 for the others)
  int evaluations = 0;       ///< loss evaluations so far in this run
};

/// Return false to stop training.
using EpochCallback = std::function<bool(const EpochReport&)>;

enum class StopReason { max_epochs, loss_tolerance, no_progress, non_finite, callback };

inline const char* stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::max_epochs: return "max_epochs";
    case StopReason::loss_tolerance: return "loss_tolerance";
    case StopReason::no_progress: return "no_progress";
    case StopReason::non_finite: return "non_finite";
    case StopReason::callback: return "callback";
  }
  return "?";
}

struct TrainResult {
  StopReason reason = StopReason::max_epochs;
  BadTerm bad_term;         ///< with reason non_finite: the term that became NaN/infinite
  int64_t epochs = 0;       ///< epochs run
  int evaluations = 0;      ///< loss evaluations (line searches, LM retries included)
  LossTerms final_loss;     ///< at the final weights, on the last collocation points
  std::string message;      ///< human-readable reason, e.g. which term became NaN
};

/// Checks the settings against the problem; returns "" when fine, else an explanation.
inline std::string validate_settings(const pinnc_problem& pb, const TrainerSettings& s) {
  if (pb.n_unknowns < 1) return "the problem has no unknowns";
  if (pb.order < 0 || pb.order > PINNC_MAX_ORDER) return "derivative order must be 0..4";
  if (pb.order >= 2 && activation_is_piecewise_linear(s.activation))
    return std::string("activation ") + activation_name(s.activation) +
           " has a zero second derivative, so it cannot fit a problem of order " +
           std::to_string(pb.order) + "; use tanh, sin, silu, gelu, softplus or sigmoid";
  if (s.points < 1) return "need at least one collocation point";
  for (double t : s.extra_points)
    if (!std::isfinite(t)) return "the extra collocation points must be finite";
  for (int w : s.hidden)
    if (w < 1) return "hidden layer widths must be >= 1";
  if (!(pb.t1 > pb.t0)) return "the interval must have t1 > t0";
  if (!s.condition_weights.empty() && int(s.condition_weights.size()) != pb.n_conditions)
    return "condition_weights needs one weight per condition";
  if (!s.params.empty() && int(s.params.size()) != pb.n_params) return "params has the wrong length";
  if (s.schedule.empty()) return "the optimizer schedule is empty";
  if (s.identify_lower.size() != s.identify.size() || s.identify_upper.size() != s.identify.size())
    return "identify_lower and identify_upper need one bound per identified parameter";
  for (int q : s.identify)
    if (q < 0 || q >= pb.n_params) return "an identified parameter is out of range";
  if (s.bundle_lower.size() != s.bundle.size() || s.bundle_upper.size() != s.bundle.size())
    return "bundle_lower and bundle_upper need one bound per bundle parameter";
  for (size_t i = 0; i < s.bundle.size(); ++i) {
    if (s.bundle[i] < 0 || s.bundle[i] >= pb.n_params) return "a bundle parameter is out of range";
    if (!(s.bundle_lower[i] < s.bundle_upper[i]) || !std::isfinite(s.bundle_upper[i] - s.bundle_lower[i]))
      return "a bundle parameter's range must be finite and not empty";
  }
  if (!s.bundle.empty() && s.bundle_samples < 2) return "a bundle needs at least 2 samples per parameter";
  if (!s.bundle.empty() && (!s.identify.empty() || !s.data.empty()))
    return "a solution bundle cannot be combined with identified parameters or data yet";
  return "";
}

/// Builds the network shape the settings describe for this problem.
inline NetworkShape make_shape(const pinnc_problem& pb, const TrainerSettings& s) {
  NetworkShape sh;
  sh.widths.push_back(1 + int(s.bundle.size()));
  for (int w : s.hidden) sh.widths.push_back(w);
  sh.widths.push_back(pb.n_unknowns);
  sh.activation = s.activation;
  sh.leaky_slope = s.leaky_slope;
  if (s.input_scaling) {
    sh.input_scale = 2.0 / (pb.t1 - pb.t0);
    sh.input_shift = -(pb.t0 + pb.t1) / (pb.t1 - pb.t0);
  }
  for (size_t i = 0; i < s.bundle.size(); ++i) {  // each range to [-1, 1] too
    const double lo = s.bundle_lower[i], hi = s.bundle_upper[i];
    sh.param_inputs.push_back(s.bundle[i]);
    sh.param_scale.push_back(s.input_scaling ? 2.0 / (hi - lo) : 1.0);
    sh.param_shift.push_back(s.input_scaling ? -(lo + hi) / (hi - lo) : 0.0);
  }
  return sh;
}

/// The bundle's training samples [S][m]: the product grid of n evenly spaced values per
/// parameter, ends included, the first parameter varying slowest.
inline std::vector<double> bundle_grid(const TrainerSettings& s) {
  const size_t m = s.bundle.size();
  std::vector<double> out;
  if (m == 0) return out;
  const int n = s.bundle_samples;
  size_t total = 1;
  for (size_t i = 0; i < m; ++i) total *= size_t(n);
  for (size_t k = 0; k < total; ++k) {
    size_t rest = k;
    std::vector<double> row(m);
    for (size_t i = m; i-- > 0;) {
      const size_t idx = rest % size_t(n);
      rest /= size_t(n);
      row[i] = idx + 1 == size_t(n) ? s.bundle_upper[i]
                                   : s.bundle_lower[i] + (s.bundle_upper[i] - s.bundle_lower[i]) * double(idx) / double(n - 1);
    }
    out.insert(out.end(), row.begin(), row.end());
  }
  return out;
}

template <class Scalar>
class Trainer {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// Throws std::invalid_argument with validate_settings()'s message on bad input.
  Trainer(const pinnc_problem& pb, const TrainerSettings& s)
      : pb_(pb), s_(check(pb, s)), net_(make_shape(pb, s)), obj_(pb, net_, objective_options(pb, s)),
        sampler_(sampler_options(s), pb.t0, pb.t1) {
    net_.initialize(s.init, s.seed);
    const int Qf = obj_.n_identified();
    grad_ = Vec::Zero(net_.n_params() + Qf);
    loss_.resize(pb.n_equations, pb.n_conditions);
    if (Qf > 0) {
      vars_ = Vec::Zero(net_.n_params() + Qf);
      for (int i = 0; i < Qf; ++i) vars_[net_.n_params() + i] = obj_.identified_variable(i);
    }
  }

  Network<Scalar>& network() { return net_; }
  const Network<Scalar>& network() const { return net_; }
  const TrainerSettings& settings() const { return s_; }
  const Objective<Scalar>& objective() const { return obj_; }

  /// The parameter values: the identified ones as trained so far, the others as given.
  std::vector<double> param_values() const {
    std::vector<double> out(size_t(pb_.n_params));
    for (int q = 0; q < pb_.n_params; ++q) out[size_t(q)] = double(obj_.params()[q]);
    return out;
  }

  /// Runs the whole schedule (continuing from the current weights).
  TrainResult train(const EpochCallback& cb = EpochCallback()) {
    TrainResult res;
    if (obj_.n_identified() > 0) vars_.head(net_.n_params()) = net_.params();
    int64_t epoch = 0;
    for (size_t si = 0; si < s_.schedule.size(); ++si) {
      const Stage& st = s_.schedule[si];
      StageEnd end = StageEnd::done;
      switch (st.optimizer) {
        case OptimizerKind::sgd:
        case OptimizerKind::adam: end = run_first_order(int(si), st, epoch, cb, res); break;
        case OptimizerKind::lbfgs: end = run_lbfgs(int(si), st, epoch, cb, res); break;
        case OptimizerKind::lm: end = run_lm(int(si), st, epoch, cb, res); break;
      }
      if (end == StageEnd::stop) break;
      res.reason = end == StageEnd::no_progress ? StopReason::no_progress : StopReason::max_epochs;
    }
    res.epochs = epoch;
    sync();
    if (res.reason != StopReason::non_finite) {
      obj_.evaluate(net_, loss_, nullptr);
      ++evaluations_;
    }
    res.final_loss = loss_;
    res.evaluations = evaluations_;
    if (res.message.empty()) res.message = stop_reason_name(res.reason);
    return res;
  }

  /// u and its derivatives (ABI layout out[(j(order+1)+k) n + p]) at arbitrary points.
  void evaluate(const double* t, Index n, int order, double* out) const {
    const std::vector<double> q = param_values();
    evaluate_solution(pb_, net_, q.data(), t, n, order, out);
  }
  /// Equation residuals r[e n + p] at arbitrary points.
  void residuals(const double* t, Index n, double* r) const {
    const std::vector<double> q = param_values();
    evaluate_residuals(pb_, net_, q.data(), t, n, r);
  }

 private:
  enum class StageEnd { done, no_progress, stop };

  static const TrainerSettings& check(const pinnc_problem& pb, const TrainerSettings& s) {
    const std::string msg = validate_settings(pb, s);
    if (!msg.empty()) throw std::invalid_argument("pinnc::rt::Trainer: " + msg);
    return s;
  }
  static ObjectiveOptions objective_options(const pinnc_problem& pb, const TrainerSettings& s) {
    ObjectiveOptions o;
    o.identify = s.identify;
    o.bundle = s.bundle;
    o.bundle_values = bundle_grid(s);
    for (size_t i = 0; i < s.identify.size(); ++i) {
      // The guess's size; a zero guess takes the bounds' half-width, or 1.
      const int q = s.identify[i];
      const double guess = s.params.empty() ? pb.params[q] : s.params[size_t(q)];
      const double width = 0.5 * (s.identify_upper[i] - s.identify_lower[i]);
      o.identify_scale.push_back(guess != 0 && std::isfinite(guess) ? std::fabs(guess)
                                 : std::isfinite(width) && width > 0 ? width
                                                                     : 1.0);
    }
    o.points = s.points + int64_t(s.extra_points.size());
    o.condition_weights = s.condition_weights;
    o.data = s.data;
    o.data_weight = s.data_weight;
    o.params = s.params;
    o.threads = s.threads;
    return o;
  }
  static SamplerOptions sampler_options(const TrainerSettings& s) {
    SamplerOptions o = s.sampling;
    o.seed = s.seed;
    return o;
  }
  /// What the optimisers change: the network's weights, or with identified parameters
  /// [theta; z] (objective.h), copied into the network and the objective by sync().
  Vec& vars() { return obj_.n_identified() > 0 ? vars_ : net_.params(); }
  void sync() {
    const int Qf = obj_.n_identified();
    if (Qf == 0) return;
    const Index N = net_.n_params();
    for (int i = 0; i < Qf; ++i) {  // the bounds, in the variables' units
      const double lo = s_.identify_lower[size_t(i)], hi = s_.identify_upper[size_t(i)];
      const double value = obj_.identified_scale(i) * double(vars_[N + i]);
      if (value < lo) vars_[N + i] = Scalar(lo / obj_.identified_scale(i));
      if (value > hi) vars_[N + i] = Scalar(hi / obj_.identified_scale(i));
    }
    net_.params() = vars_.head(N);
    obj_.set_identified_variables(vars_.data() + N);
  }

  // The sampler writes the first s_.points; the extra points follow, the same every epoch.
  void sample(int64_t epoch, bool fixed) {
    if (!sampler_.sample(epoch, obj_.points().data(), s_.points, fixed)) return;
    for (size_t i = 0; i < s_.extra_points.size(); ++i) obj_.points()[s_.points + Index(i)] = Scalar(s_.extra_points[i]);
    obj_.points_changed();
  }

  // Non-finite check and callback after a loss evaluation; true: stop the run.
  bool after_eval(int stage, int64_t se, int64_t epoch, OptimizerKind k, double lambda,
                  bool grad_ok, const EpochCallback& cb, TrainResult& res) {
    BadTerm bad = loss_.first_bad();
    if (bad.kind != TermKind::none || !grad_ok) {
      if (bad.kind == TermKind::none) bad = {TermKind::gradient, -1};
      res.reason = StopReason::non_finite;
      res.bad_term = bad;
      res.message = "loss became non-finite at epoch " + std::to_string(epoch) + ": " + term_name(bad);
      return true;
    }
    if (cb) {
      EpochReport r;
      r.epoch = epoch, r.stage = stage, r.stage_epoch = se, r.optimizer = k;
      r.loss = &loss_, r.lambda = lambda, r.evaluations = evaluations_;
      if (!cb(r)) {
        res.reason = StopReason::callback;
        return true;
      }
    }
    if (loss_.total <= s_.loss_tolerance) {
      res.reason = StopReason::loss_tolerance;
      return true;
    }
    return false;
  }

  // Patience bookkeeping; true when the stage made no progress for `patience` epochs.
  struct Progress {
    double best = INFINITY;
    int64_t since = 0;
    bool stalled(const Stage& st, double f) {
      if (f < best * (1 - st.min_improvement)) best = f, since = 0;
      else ++since;
      return st.patience > 0 && since >= st.patience;
    }
  };

  StageEnd run_first_order(int si, const Stage& st, int64_t& epoch, const EpochCallback& cb,
                           TrainResult& res) {
    Sgd<Scalar> sgd;
    Adam<Scalar> adam;
    const bool is_adam = st.optimizer == OptimizerKind::adam;
    if (is_adam) adam.init(vars().size(), st.lr, st.beta1, st.beta2, st.eps);
    else sgd.init(vars().size(), st.lr, st.momentum);
    Progress prog;
    for (int64_t se = 0; se < st.epochs; ++se, ++epoch) {
      sample(epoch, false);
      sync();
      obj_.evaluate(net_, loss_, grad_.data());
      ++evaluations_;
      if (after_eval(si, se, epoch, st.optimizer, 0, grad_.allFinite(), cb, res)) {
        ++epoch;
        return StageEnd::stop;
      }
      if (is_adam) adam.step(vars(), grad_);
      else sgd.step(vars(), grad_);
      if (prog.stalled(st, loss_.total)) {
        ++epoch;
        return StageEnd::no_progress;
      }
    }
    return StageEnd::done;
  }

  StageEnd run_lbfgs(int si, const Stage& st, int64_t& epoch, const EpochCallback& cb,
                     TrainResult& res) {
    Lbfgs<Scalar> opt;
    opt.init(vars().size(), st.history);
    sample(epoch, true);
    auto fg = [&](Vec& g) {
      sync();
      return obj_.evaluate(net_, loss_, g.data());
    };
    double f = fg(grad_);
    ++evaluations_;
    Progress prog;
    for (int64_t se = 0; se < st.epochs; ++se, ++epoch) {
      if (after_eval(si, se, epoch, st.optimizer, 0, grad_.allFinite(), cb, res)) {
        ++epoch;
        return StageEnd::stop;
      }
      const LbfgsStatus status = opt.step(vars(), f, grad_, fg, &evaluations_);
      if (status != LbfgsStatus::ok || prog.stalled(st, f)) {
        ++epoch;
        return StageEnd::no_progress;
      }
    }
    return StageEnd::done;
  }

  StageEnd run_lm(int si, const Stage& st, int64_t& epoch, const EpochCallback& cb,
                  TrainResult& res) {
    const Index N = vars().size(), M = obj_.n_residuals();
    LevenbergMarquardt<Scalar> opt;
    opt.init(N, M, st.lambda0);
    // One residual block per equation, then the conditions and the data: the structure of
    // the sparse normal equations (levenberg_marquardt.h).
    std::vector<Index> blocks(size_t(obj_.n_equations() * obj_.n_samples()), obj_.n_points());
    blocks.push_back(obj_.n_conditions() * obj_.n_samples() + obj_.n_data());
    opt.set_blocks(blocks);
    Vec r = Vec::Zero(M);
    Mat Jt = Mat::Zero(N, M);
    sample(epoch, true);
    auto res_fn = [&](Vec& rout) {
      sync();
      obj_.residuals(net_, loss_, rout.data(), nullptr);
      return loss_.total;
    };
    Progress prog;
    for (int64_t se = 0; se < st.epochs; ++se, ++epoch) {
      sync();
      obj_.residuals(net_, loss_, r.data(), Jt.data());
      ++evaluations_;
      if (after_eval(si, se, epoch, st.optimizer, opt.lambda(), Jt.allFinite(), cb, res)) {
        ++epoch;
        return StageEnd::stop;
      }
      double f = loss_.total;
      if (!opt.step(vars(), r, Jt, f, res_fn, obj_.pool(), &evaluations_) || prog.stalled(st, f)) {
        ++epoch;
        return StageEnd::no_progress;
      }
    }
    return StageEnd::done;
  }

  pinnc_problem pb_;
  TrainerSettings s_;
  Network<Scalar> net_;
  Objective<Scalar> obj_;
  Sampler sampler_;
  Vec grad_;
  Vec vars_;  ///< [theta; z] when parameters are identified (vars())
  LossTerms loss_;
  int evaluations_ = 0;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_TRAINER_H
