// march.h — time-marching: a pure initial value problem trained window by window, each
// window's network starting (as a hard initial condition, rt::WindowProblem) from the
// state where the previous window's ends, the window length controlled by the local
// error like a classical integrator's step. And train_and_evaluate(), what `pinnc train`,
// the REPL and emitted solvers call: one network over the interval, then (setting
// `windows`) time-marching where that misses the verdict's target.
//
// The local error of a window is its distance, on 101 points, from the classical
// reference integrated over the window from the window's own start state (so it measures
// this window's defect, not the error carried in from earlier windows), relative to the
// target rtol * scale + atol with each unknown's scale as the verdict takes it (the largest
// |value| of the reference over the whole interval). (Weighting each equation by the size
// of its unknown was tried and measured worse: SIR 2.1e-6 in 28 windows against 2.8e-7 in 14.)
// A window is accepted when that is within its share of the target (kLocalShare times its
// share of the interval's length, at least kLocalFloor); otherwise it is halved and
// retrained (at most kRetries times). An easy window (below a tenth of the
// share) lets the next one grow by 1.5; kHopeless windows in a row that miss by over
// kHopelessMiss times (a stiff stretch) end the refinement. The verdict afterwards compares the whole
// piecewise solution with the reference over the whole interval, as for any run.
#ifndef PINNC_POST_MARCH_H
#define PINNC_POST_MARCH_H

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Eigenvalues>

#include "pinnc/first_order.h"
#include "pinnc/kernel_abi.h"
#include "pinnc/post/evaluate.h"
#include "pinnc/post/limits.h"
#include "pinnc/post/bundle.h"
#include "pinnc/post/identify.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/reference.h"
#include "pinnc/post/solution.h"
#include "pinnc/trainer.h"
#include "pinnc/window.h"

namespace pinnc::post {

namespace march_detail {

/// A window's share of the target error: kLocalShare times its share of the interval's
/// length (errors add up along the windows), at least kLocalFloor; times `tighten`.
constexpr double kLocalShare = 1.0;
constexpr double kLocalFloor = 0.02;
constexpr int kWindowPoints = 24;    ///< collocation points of a window (at most; fewer if --points says so)
constexpr int kOnePolish = 8;        ///< least-squares rounds of one network that cannot march
constexpr int kDoublings = 4;        ///< of its collocation points, in those rounds
constexpr double kPointsPerScale = 2;  ///< collocation points per fastest time scale (polish, BVPs)
constexpr int64_t kMaxScalePoints = 2048;
constexpr double kKeepGoing = 1.5;   ///< a round of a near miss's polishing must gain this
constexpr double kNearMiss = 30;     ///< one network within this many times the target is polished first
constexpr int kPolish = 3;           ///< extra least-squares rounds of a window before it is shortened
constexpr int kRetries = 6;          ///< halvings of one window before it is accepted anyway
constexpr int kLocalGrid = 101;      ///< points of a window's local error check
constexpr int kScaleGrid = 1001;     ///< points of the whole-interval reference for the scales
constexpr double kHopelessMiss = 100;  ///< a miss by more than this counts toward kHopeless
constexpr double kGrowth = 1.5;
constexpr int kMaxWindows = 2000;
constexpr int kHopeless = 3;  ///< windows in a row that miss their share (by kHopelessMiss) at the shortest

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
/// Whether the budget counted from `t` is spent, or training was asked to stop (an
/// interruption ends every loop here as a spent budget does; stop_requested(), evaluate.h).
inline bool past(Clock::time_point t, double budget) { return seconds_since(t) > budget || stop_requested(); }

/// The largest |eigenvalue| of the linearisation at (t, x): 1 / the fastest time scale.
inline double spectral_radius(FirstOrderForm& form, double t, const double* x) {
  Eigen::MatrixXd J;
  form.jacobian(t, x, J);
  if (J.size() == 0 || !J.allFinite()) return 0;
  Eigen::EigenSolver<Eigen::MatrixXd> es(J, false);
  if (es.info() != Eigen::Success) return 0;
  double r = 0;
  for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i) r = std::max(r, std::abs(es.eigenvalues()(i)));
  return r;
}

/// The schedule's Levenberg-Marquardt stages: what continues a network from where it stopped.
inline std::vector<rt::Stage> least_squares_stages(const std::vector<rt::Stage>& schedule) {
  std::vector<rt::Stage> out;
  for (const rt::Stage& st : schedule)
    if (st.optimizer == rt::OptimizerKind::lm) out.push_back(st);
  return out;
}

}  // namespace march_detail

/// "" when the run can march, else why not (a phrase for the report).
inline std::string march_blocker(const pinnc_problem& pb, const RunInfo& info) {
  const ReferencePlan& plan = info.reference;
  if (!info.bundle.empty()) return "it is a solution bundle (not yet marched)";
  if (!plan.possible || plan.boundary) return "it is not an initial value problem";
  if (!plan.explicit_form) return "its equations have no explicit first-order form";
  if (pb.n_conditions != 0) return "some of its conditions are soft";
  if (plan.a != pb.t0) return "its initial conditions are not at the interval's start";
  std::size_t states = 0;
  for (int j = 0; j < pb.n_unknowns; ++j) states += std::size_t(pb.unknown_order[j]);
  if (plan.x0.size() != states) return "not every unknown has its initial values";
  for (const UnknownInfo& u : info.unknowns)
    if (u.order > 0 && u.trial_kind != "initial value") return "not every initial condition is exact";
  return "";
}

/// Trains window by window (see the top of this file); the result has `pieces`.
/// `started` is when the run began (the budget counts from it).
template <class Scalar>
Outcome march(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& settings, const double* params,
              const Progress& progress, march_detail::Clock::time_point started, double tighten = 1) {
  using namespace march_detail;
  const int U = pb.n_unknowns, K = pb.order;
  const double T = pb.t1 - pb.t0;
  Outcome out;
  std::vector<double> x = info.reference.x0;
  std::vector<int> offset;
  for (int j = 0, s = 0; j < U; ++j) offset.push_back(s), s += pb.unknown_order[j];

  // The first window from the fastest time scale at the start: about 4 / |lambda|max.
  double L = T;
  {
    FirstOrderForm form(pb, params);
    if (form.usable()) {
      const double rho = spectral_radius(form, pb.t0, x.data());
      if (rho > 0 && std::isfinite(rho)) L = std::min(T, 4.0 / rho);
    }
  }
  const double min_length = T * 1e-6;
  // Each unknown's scale as the verdict takes it: the largest |u_j| of the reference over
  // the whole interval (where the reference cannot reach the end, the largest seen so far).
  // A local target relative to the value so far would ask SIR's I, 1e-3 at the start and
  // 0.15 at its peak, for 150 times what the verdict needs.
  std::vector<double> scale(std::size_t(U), 0.0);
  for (int j = 0; j < U; ++j)
    if (pb.unknown_order[j] > 0) scale[std::size_t(j)] = std::fabs(x[std::size_t(offset[std::size_t(j)])]);
  {
    std::vector<double> grid(kScaleGrid);
    for (int i = 0; i < kScaleGrid; ++i) grid[std::size_t(i)] = pb.t0 + T * double(i) / double(kScaleGrid - 1);
    grid.back() = pb.t1;
    const ReferenceResult whole = solve_reference(pb, info.reference, grid, params);
    if (whole.ok)
      for (int j = 0; j < U; ++j)
        for (double v : whole.values[std::size_t(j)])
          if (std::isfinite(v)) scale[std::size_t(j)] = std::max(scale[std::size_t(j)], std::fabs(v));
  }
  // A window spans a fraction of the interval: at most kWindowPoints collocation points
  // (the local check on kLocalGrid points judges between them). Least squares costs about
  // (points * unknowns)^2 * weights an epoch, so this is the march's main speed knob;
  // measured on the suite (bench/suite/README.md): 48 points solved 8 of 11 hard problems
  // to 1e-6 with a median of 11.7 s, 32 points 7 of 9, 24 points 10 of 11 in 3.9 s. Windows after the first
  // start from the previous window's weights: the schedule's least-squares stages alone
  // polish them (the whole schedule where it has none).
  rt::TrainerSettings cold_settings = settings;
  cold_settings.points = std::min<int64_t>(settings.points, kWindowPoints);
  rt::TrainerSettings warm_settings = cold_settings;
  warm_settings.schedule = least_squares_stages(settings.schedule);
  if (warm_settings.schedule.empty()) warm_settings.schedule = settings.schedule;
  std::vector<double> warm;
  int64_t epoch_offset = 0;
  int retried = 0, unchecked = 0, over_target = 0, polished = 0;
  double worst_local = 0, min_len = T, max_len = 0;
  bool out_of_budget = false, gave_up = false;
  int missed_in_row = 0;
  double a = pb.t0;
  LossRow worst_loss;
  while (a < pb.t1) {
    if (!out_of_budget && past(started, info.budget)) out_of_budget = true;
    const bool last_chance = out_of_budget || out.pieces.size() + 1 >= std::size_t(kMaxWindows);
    double length = last_chance ? pb.t1 - a : L;
    Outcome best;
    std::vector<double> end, best_end;  // u_j^(k)(b), the stack layout at one point
    double best_err = INFINITY, best_b = 0, last_share = 0;
    bool best_checked = false, window_spent = false;
    double b = 0;
    for (int attempt = 0;; ++attempt) {
      b = pb.t1 - a <= 1.25 * length ? pb.t1 : a + length;
      rt::WindowProblem window(pb, a, b, x);
      std::vector<double> grid(kLocalGrid);
      for (int i = 0; i < kLocalGrid; ++i) grid[std::size_t(i)] = a + (b - a) * double(i) / double(kLocalGrid - 1);
      grid.back() = b;
      // The window's own reference (from its start state), and the unknowns' scales for
      // the check (the whole interval's, or where it had none the largest |value| so far).
      ReferencePlan plan = info.reference;
      plan.a = a;
      plan.x0 = x;
      const ReferenceResult ref = solve_reference(window.abi(), plan, grid, params);
      std::vector<double> s = scale;
      double largest = 0;
      if (ref.ok)
        for (int j = 0; j < U; ++j)
          for (double v : ref.values[std::size_t(j)]) s[std::size_t(j)] = std::max(s[std::size_t(j)], std::fabs(v));
      for (int j = 0; j < U; ++j) largest = std::max(largest, s[std::size_t(j)]);
      for (int j = 0; j < U; ++j)
        if (!(s[std::size_t(j)] > 1e-12 * largest)) s[std::size_t(j)] = largest > 0 ? largest : 1.0;
      // The budget stops a window's training too (a large system's window can take longer
      // than the whole budget); the window that trains the rest of the interval when the
      // budget is spent gets a tenth of it more, or it would be left untrained.
      const double deadline = last_chance ? 1.1 * info.budget : info.budget;
      const Progress wrapped = [&](int64_t e, int64_t total, const LossRow& row) {
        if (past(started, deadline)) return !(window_spent = true);
        return progress ? progress(epoch_offset + e, epoch_offset + total, row) : true;
      };
      // The local error of a trained window (INFINITY if it diverged), its end state into `e`.
      const auto local_error = [&](const Outcome& o, std::vector<double>& e, bool& checked) {
        checked = false;
        e.clear();
        if (o.diverged) return double(INFINITY);
        const TrainedSolution sol(window.abi(), info.activation, o.widths, o.input_scale, o.input_shift, o.theta, {});
        // Order K on the grid: the values for the check, and (last point, b) the end state.
        const std::size_t n = grid.size();
        std::vector<double> u(std::size_t(U * (K + 1)) * n);
        sol.values(params, grid.data(), n, K, u.data());
        e.assign(std::size_t(U * (K + 1)), 0.0);
        for (std::size_t q = 0; q < e.size(); ++q) e[q] = u[q * n + n - 1];
        if (!ref.ok) return 0.0;  // no local check possible (e.g. the reference fails here): accept
        checked = true;
        double err = 0;
        for (int j = 0; j < U; ++j) {
          const double tol = info.rtol * s[std::size_t(j)] + info.atol;
          for (std::size_t i = 0; i < n; ++i) {
            const double d = std::fabs(u[std::size_t(j * (K + 1)) * n + i] - ref.values[std::size_t(j)][i]);
            err = std::max(err, std::isnan(d) ? INFINITY : d / tol);
          }
        }
        return err;
      };
      const double share = tighten * std::max(kLocalFloor, kLocalShare * (b - a) / T);
      Outcome o = train<Scalar>(window.abi(), warm.empty() ? cold_settings : warm_settings, warm.empty() ? nullptr : &warm, wrapped);
      epoch_offset += o.epochs;
      bool checked = false;
      double err = local_error(o, end, checked);
      // Polishing before shortening: while more least-squares epochs from where the window
      // stopped at least halve its error, they are cheaper than a shorter window's retraining.
      for (int polish = 0; err > share && std::isfinite(err) && polish < kPolish && !past(started, info.budget);
           ++polish) {
        Outcome more = train<Scalar>(window.abi(), warm_settings, &o.theta, wrapped);
        epoch_offset += more.epochs;
        std::vector<double> more_end;
        bool more_checked = false;
        const double more_err = local_error(more, more_end, more_checked);
        const bool better = more_err < err;
        const bool halved = more_err <= 0.5 * err;
        if (better) {
          more.history.insert(more.history.begin(), o.history.begin(), o.history.end());
          more.epochs += o.epochs;
          o = std::move(more), err = more_err, end = std::move(more_end), checked = more_checked;
          ++polished;
        }
        if (!halved) break;
      }
      if (err < best_err || attempt == 0)
        best_err = err, best = std::move(o), best_b = b, best_checked = checked, best_end = end;
      last_share = share;
      const bool accept = err <= share || last_chance || attempt >= kRetries || (b - a) / 2 < min_length ||
                          past(started, info.budget);
      if (accept) break;
      ++retried;
      length = (b - a) / 2;
    }
    if (window_spent) best.stop_reason = "budget";
    if (best.diverged) {
      best.recovered = false;  // its weights are one window's: the march has no whole solution to write
      best.history.insert(best.history.begin(), out.history.begin(), out.history.end());
      return best;  // evaluate() maps its message to the source line
    }
    if (!best_checked) ++unchecked;
    if (best_err > last_share) {
      ++over_target;
      // Windows that miss their share even at their shortest: refining is not working here
      // (a stiff stretch, say); after kHopeless in a row the rest of the interval is one window.
      // A modest miss (within kHopelessMiss) is carried on: the march still tracks the solution.
      if (best_err > kHopelessMiss * last_share) {
        if (++missed_in_row >= kHopeless && !out_of_budget) gave_up = out_of_budget = true;
      } else {
        missed_in_row = 0;
      }
    } else {
      missed_in_row = 0;
    }
    worst_local = std::max(worst_local, best_err);
    b = best_b;  // the attempt that came closest
    out.pieces.push_back(Piece{a, b, x, best.input_scale, best.input_shift, best.theta});
    // The next window starts where this one ends (best is not diverged, so best_end is set).
    for (int j = 0; j < U; ++j) {
      for (int k = 0; k < pb.unknown_order[j]; ++k)
        x[std::size_t(offset[std::size_t(j)] + k)] = best_end[std::size_t(j * (K + 1) + k)];
      if (pb.unknown_order[j] > 0)
        scale[std::size_t(j)] = std::max(scale[std::size_t(j)], std::fabs(x[std::size_t(offset[std::size_t(j)])]));
    }
    min_len = std::min(min_len, b - a), max_len = std::max(max_len, b - a);
    out.history.insert(out.history.end(), best.history.begin(), best.history.end());
    if (best.final_loss.total >= worst_loss.total) worst_loss = best.final_loss;
    if (out.pieces.size() == 1) out.theta = best.theta, out.input_scale = best.input_scale, out.input_shift = best.input_shift;
    out.widths = best.widths;
    out.stop_reason = best.stop_reason;
    warm = best.theta;
    if (best_err * 10 < last_share) L = (b - a) * kGrowth; else L = b - a;
    a = b;
  }
  out.epochs = epoch_offset;
  out.train_seconds = seconds_since(started);
  out.final_loss = worst_loss;
  out.final_loss.epoch = out.epochs;
  out.notes.push_back(format("time-marching: %zu windows of length %.3g to %.3g (%d retried shorter, %d polished "
                             "longer); the worst window reached %.2g of the target against its local reference%s%s",
                             out.pieces.size(), min_len, max_len, retried, polished,
                             worst_local, unchecked ? format(", %d not checked", unchecked).c_str() : "",
                             over_target ? format(", %d above their share", over_target).c_str() : ""));
  if (gave_up)
    out.notes.push_back(format("%d windows in a row missed their share of the target by over %g times even when "
                               "shortened: the rest of the interval is one window",
                               kHopeless, kHopelessMiss));
  else if (out_of_budget && stop_requested())
    out.notes.push_back("training was interrupted: the rest of the interval is one window, trained no further");
  else if (out_of_budget)
    out.notes.push_back(format("the budget of %s s ran out: the rest of the interval is one window", shortest(info.budget).c_str()));
  return out;
}

/// Time-marching until the verdict's target is met: when the whole piecewise solution
/// misses it, marching again with every window's share of the target tightened by the
/// factor it missed by (twice over), while the budget lasts; the best run is returned.
template <class Scalar>
Outcome march_to_target(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& settings,
                        const double* params, const Progress& progress, march_detail::Clock::time_point started) {
  double tighten = 1;
  int64_t offset = 0;
  Outcome best;
  int rounds = 0;
  for (;;) {
    const int64_t base = offset;
    const double round_start = march_detail::seconds_since(started);
    Outcome m = march<Scalar>(pb, info, settings, params,
                              [&](int64_t e, int64_t total, const LossRow& row) {
                                return progress ? progress(base + e, base + total, row) : true;
                              },
                              started, tighten);
    evaluate(pb, info, params, m);
    ++rounds;
    for (LossRow& r : m.history) r.epoch += base;
    offset += m.epochs;
    const bool first = rounds == 1;
    const bool improved = first || (!m.diverged && (best.diverged || m.target_ratio < best.target_ratio));
    if (improved) {
      std::vector<LossRow> earlier = std::move(best.history);
      best = std::move(m);
      best.history.insert(best.history.begin(), earlier.begin(), earlier.end());
    } else {
      best.history.insert(best.history.end(), m.history.begin(), m.history.end());
    }
    best.epochs = offset;
    const double ratio = best.target_ratio;
    if (best.diverged || best.trusted || !(ratio > 1) || !std::isfinite(ratio) || best.checked_by != "reference" ||
        rounds >= 4)
      break;
    // Another round only when what is left of the budget would cover this one again (a
    // tighter round takes longer, and one cut off by the budget rarely does better; the
    // best round is kept either way).
    const double now = march_detail::seconds_since(started);
    if (info.budget - now < now - round_start || stop_requested()) break;
    tighten /= std::min(100.0, 2 * ratio);
  }
  best.final_loss.epoch = best.epochs;
  best.train_seconds = march_detail::seconds_since(started);
  if (rounds > 1)
    best.notes.push_back(format("time-marching ran %d times, each time with every window's share of the target tightened by "
                                "the factor the previous run missed by",
                                rounds));
  return best;
}

/// Adaptive collocation: n points in t placed where `o`'s residual on its fine grid is
/// large. Each equation's residual is taken relative to the size of its terms (evaluate.h),
/// the equations combined as a root sum of squares a(t); the points are the quantiles
/// (i + 1/2)/n of the density a(t)/mean(a) + 1 (piecewise linear between grid points), so
/// half of them, roughly, follow the residual and half stay spread over the interval.
/// Deterministic: no random draws. Empty when the residual is not finite or is zero.
inline std::vector<double> residual_points(const Outcome& o, int64_t n) {
  const std::size_t G = o.grid.size();
  const std::size_t E = o.relative_residual.size();
  if (G < 2 || E == 0 || o.residuals.size() != E * G || n < 1) return {};
  std::vector<double> a(G, 0.0);
  for (std::size_t e = 0; e < E; ++e) {
    const double size = rms(o.residuals.data() + e * G, G);
    const double rel = o.relative_residual[e];
    if (!(size > 0) || !std::isfinite(size) || !(rel > 0) || !std::isfinite(rel)) continue;
    const double per_term = rel / size;  // 1 / the size of the equation's terms
    for (std::size_t p = 0; p < G; ++p) {
      const double v = o.residuals[e * G + p] * per_term;
      a[p] += v * v;
    }
  }
  double mean = 0;
  for (double& v : a) mean += (v = std::sqrt(v));
  mean /= double(G);
  if (!(mean > 0) || !std::isfinite(mean)) return {};
  std::vector<double> cumulative(G, 0.0);  // the density's integral up to each grid point
  for (std::size_t p = 1; p < G; ++p)
    cumulative[p] = cumulative[p - 1] + 0.5 * (a[p - 1] + a[p] + 2 * mean) / mean * (o.grid[p] - o.grid[p - 1]);
  std::vector<double> out;
  out.reserve(std::size_t(n));
  std::size_t p = 1;
  for (int64_t i = 0; i < n; ++i) {
    const double q = (double(i) + 0.5) / double(n) * cumulative[G - 1];
    while (p + 1 < G && cumulative[p] < q) ++p;
    const double c0 = cumulative[p - 1], c1 = cumulative[p];
    const double f = c1 > c0 ? std::clamp((q - c0) / (c1 - c0), 0.0, 1.0) : 0.5;
    out.push_back(o.grid[p - 1] + f * (o.grid[p] - o.grid[p - 1]));
  }
  return out;
}

/// The collocation points the problem's fastest time scale asks for: kPointsPerScale per
/// 1/|lambda|max over the interval, lambda the eigenvalues of the first-order form's
/// Jacobian along `o`'s solution (at up to 65 points of its fine grid); at most
/// kMaxScalePoints, 0 when the problem has no usable first-order form.
inline int64_t time_scale_points(const pinnc_problem& pb, const double* params, const Outcome& o) {
  using namespace march_detail;
  FirstOrderForm form(pb, params);
  const std::size_t n = o.grid.size();
  const int U = pb.n_unknowns, K = pb.order;
  if (!form.usable() || n < 2 || o.u.size() != std::size_t(U * (K + 1)) * n) return 0;
  std::vector<double> x;
  double rho = 0;
  for (std::size_t p = 0; p < n; p += std::max<std::size_t>(1, n / 64)) {
    x.clear();
    for (int j = 0; j < U; ++j)
      for (int k = 0; k < pb.unknown_order[j]; ++k) x.push_back(o.u[std::size_t(j * (K + 1) + k) * n + p]);
    if (int(x.size()) != form.size()) return 0;
    const double r = spectral_radius(form, o.grid[p], x.data());
    if (std::isfinite(r)) rho = std::max(rho, r);
  }
  const double want = kPointsPerScale * rho * (pb.t1 - pb.t0);
  return want >= double(kMaxScalePoints) ? kMaxScalePoints : int64_t(std::ceil(want));
}

/// One network that missed the target: float64 least squares from where it stopped. With
/// `refine_points` (a problem that cannot march: a BVP, say) it starts on the points its
/// fastest time scale asks for (time_scale_points()), goes on while each round at least
/// halves the error, and when a round does not, doubles the collocation points (at most
/// kDoublings times), the new ones placed where the best network so far leaves the largest
/// residual (residual_points()). Without, the points stay and rounds go on while each gains
/// kKeepGoing times.
/// At most kOnePolish rounds, within the budget; the best network is kept. Measured
/// (bench/suite/README.md): the beams and the oscillatory BVP went from 3-34 times the
/// target, boundary layers of width 0.02 to 0.005 from 2e5-1e6 times, to within it; with
/// evenly spaced points instead of residual-based ones, four such problems took 46 s
/// instead of 31 s in all.
template <class Scalar>
Outcome polish(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& settings, const double* params,
               Outcome one, const Progress& progress, march_detail::Clock::time_point started, const std::string& why,
               bool refine_points, int* rounds_run = nullptr) {
  using namespace march_detail;
  rt::TrainerSettings more_settings = settings;
  more_settings.schedule = least_squares_stages(settings.schedule);
  if (rounds_run) *rounds_run = 0;
  if (more_settings.schedule.empty()) return one;  // no least-squares stage to continue
  const double first_ratio = one.target_ratio;
  // A problem that cannot march gets, from its first round on, the points its fastest time
  // scale asks for (a boundary layer of width eps: 2/eps over the interval).
  if (refine_points) more_settings.points = std::max(more_settings.points, time_scale_points(pb, params, one));
  const int64_t base_points = more_settings.points;
  int rounds = 0, doublings = 0;
  int64_t offset = one.epochs, last_points = settings.points;
  int last_samples = settings.bundle_samples;
  while (rounds < kOnePolish && !past(started, info.budget) && !one.trusted && std::isfinite(one.target_ratio)) {
    bool spent = false;
    const int64_t base = offset;
    last_points = more_settings.points + int64_t(more_settings.extra_points.size());
    last_samples = more_settings.bundle_samples;
    Outcome more = train<Scalar>(pb, more_settings, &one.theta, [&](int64_t e, int64_t total, const LossRow& row) {
      if (past(started, info.budget)) return !(spent = true);
      return progress ? progress(base + e, base + total, row) : true;
    });
    if (spent) more.stop_reason = "budget";
    offset += more.epochs;
    ++rounds;
    if (more.diverged) break;
    evaluate(pb, info, params, more);
    if (!info.bundle.empty()) bundle_report(pb, info, more_settings, more);
    const double before = one.target_ratio;
    if (more.target_ratio < before) {
      for (LossRow& r : more.history) r.epoch += base;
      more.history.insert(more.history.begin(), one.history.begin(), one.history.end());
      one = std::move(more);  // its notes are its own evaluation's
    }
    one.epochs = offset;
    if (!(one.target_ratio <= 0.5 * before)) {
      // A problem that could march keeps its points (they were not what it lacked: chain_50
      // reached the target in 50 s on 128 points, in 56 s when the third round doubled them)
      // and goes on while each round gains kKeepGoing (chain_50's rounds gained 7, 1.9 and
      // 2.1 times; linear_3's 2.1, then 1.3, 1.09, ... so it marches instead).
      if (!refine_points) {
        if (one.target_ratio * kKeepGoing <= before) continue;
        break;
      }
      if (doublings >= kDoublings) break;
      ++doublings;
      // A bundle's error is largest between its samples: a sample at every midpoint.
      if (!settings.bundle.empty()) {
        more_settings.bundle_samples = 2 * more_settings.bundle_samples - 1;
      } else {
        // 2, 4, 8, 16 times the points: the evenly spaced ones, and 1, 3, 7, 15 times as many
        // where the best network so far leaves the largest residual.
        more_settings.extra_points = residual_points(one, ((int64_t(1) << doublings) - 1) * base_points);
      }
    }
  }
  one.epochs = offset;
  one.final_loss.epoch = offset;
  one.train_seconds = seconds_since(started);
  if (rounds_run) *rounds_run = rounds;
  if (rounds > 0)
    one.notes.push_back(format("one network reached %.2g times the target and %s: %d more round%s of "
                               "least squares%s took it to %.2g times the target",
                               first_ratio, why.c_str(), rounds, rounds == 1 ? "" : "s",
                               last_points != settings.points
                                   ? format(" (the last on %lld points)", static_cast<long long>(last_points)).c_str()
                               : last_samples != settings.bundle_samples
                                   ? format(" (the last with %d samples per ranged parameter)", last_samples).c_str()
                                   : "",
                               one.target_ratio));
  return one;
}

/// One network, time-marching or polishing, as train_and_evaluate() below describes.
template <class Scalar>
Outcome train_and_evaluate_once(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& settings,
                                const double* params, const std::vector<double>* initial_theta, const Progress& progress) {
  const auto started = march_detail::Clock::now();
  const std::string blocker = info.windows == "off" ? "" : march_blocker(pb, info);
  if (info.windows == "on" && blocker.empty()) return march_to_target<Scalar>(pb, info, settings, params, progress, started);
  // With auto, the budget also caps the first network (a large system's least squares can
  // take minutes); the run keeps the weights it reached.
  bool spent = false;
  const Progress capped = [&](int64_t e, int64_t total, const LossRow& row) {
    if (info.windows == "auto" && march_detail::past(started, info.budget)) return !(spent = true);
    return progress ? progress(e, total, row) : true;
  };
  Outcome one = train<Scalar>(pb, settings, initial_theta, capped);
  if (spent) one.stop_reason = "budget";
  evaluate(pb, info, params, one);
  if (!info.bundle.empty()) bundle_report(pb, info, settings, one);
  if (stop_requested()) return one;
  if (info.windows == "on") one.notes.push_back("time windows were not used: " + blocker);
  if (info.windows == "auto" && !blocker.empty() && !one.trusted && !one.diverged && !spent)
    return polish<Scalar>(pb, info, settings, params, std::move(one), progress, started,
                          "cannot march (" + blocker + ")", /*refine_points=*/true);
  // A near miss is polished first: least squares from where the network stopped cost far
  // less than a march, which trains every window afresh (chain_50 with 16,16: 25 times the
  // target after the schedule, ~1 after 500 more LM epochs; the march reached 26). When
  // polishing does not reach the target and half the budget is left, the march follows.
  if (info.windows == "auto" && blocker.empty() && !one.trusted && !one.diverged && !spent &&
      one.target_ratio <= march_detail::kNearMiss) {
    Outcome polished = polish<Scalar>(pb, info, settings, params, std::move(one), progress, started,
                                      "was close enough to continue it rather than march", false);
    if (polished.trusted || march_detail::seconds_since(started) > 0.5 * info.budget) return polished;
    one = std::move(polished);
  }
  // A march trains every window afresh, the first with the whole schedule; when the one
  // network took over half the budget the march cannot get far (chain_50: 44 s of 60, and
  // the march that followed did no better), so least squares continue the network instead.
  const double first_seconds = march_detail::seconds_since(started);
  if (info.windows == "auto" && blocker.empty() && !one.trusted && !one.diverged && !spent &&
      first_seconds > 0.5 * info.budget) {
    const std::string took = format("the network took %.3g s of the %s s budget", first_seconds, shortest(info.budget).c_str());
    int rounds = 0;
    Outcome polished = polish<Scalar>(pb, info, settings, params, std::move(one), progress, started,
                                      "a march would not fit in the budget (" + took + ")", false, &rounds);
    if (rounds == 0)  // polish() wrote no note of its own
      polished.notes.push_back("time-marching was not tried: " + took + ", and a march trains every window afresh");
    return polished;
  }
  if (info.windows != "auto" || !blocker.empty() || (one.trusted && !one.diverged)) return one;
  if (spent) {
    one.notes.push_back(format("time-marching was not tried: the budget of %s s ran out in the first network's training",
                               shortest(info.budget).c_str()));
    return one;
  }
  const int64_t offset = one.epochs;
  Outcome m = march_to_target<Scalar>(pb, info, settings, params,
                                      [&](int64_t e, int64_t total, const LossRow& row) {
                                        return progress ? progress(offset + e, offset + total, row) : true;
                                      },
                                      started);
  // A march that diverged too is never kept (the network's own message is the plainer one).
  const bool better = !m.diverged && (one.diverged || !(m.target_ratio >= one.target_ratio));
  if (!better) {
    one.notes.push_back(m.diverged ? std::string("time-marching was tried and diverged too")
                                   : format("time-marching was tried (%zu windows) and did no better (%.2g times the target)",
                                            m.pieces.size(), m.target_ratio));
    one.train_seconds = march_detail::seconds_since(started);
    return one;
  }
  for (LossRow& r : m.history) r.epoch += offset;
  m.history.insert(m.history.begin(), one.history.begin(), one.history.end());
  m.epochs += offset;
  m.final_loss.epoch = m.epochs;
  m.notes.insert(m.notes.begin(), format("one network over the whole interval reached %.2g times the target; "
                                         "time-marching took over",
                                         one.target_ratio));
  return m;
}

/// An outcome of a run that stop_requested() cut short says so, whichever step it stopped in.
inline Outcome mark_interrupted(Outcome out) {
  if (!stop_requested()) return out;
  out.interrupted = true;
  out.stop_reason = "callback";  // "interrupted" in the report
  return out;
}

/// Training and evaluation of a run, as `pinnc train`, the REPL and emitted solvers do it:
/// one network over the interval; with info.windows "on" time-marching instead, with
/// "auto" time-marching when the single network misses the target (the better of the two
/// by the verdict's error is kept). Then, for a run with data or identified parameters,
/// the fit and the identified values (post/identify.h).
template <class Scalar>
Outcome train_and_evaluate(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& settings,
                           const double* params, const std::vector<double>* initial_theta, const Progress& progress) {
  // A run too large for the memory is refused before anything is allocated.
  if (const std::string why = memory_check(pb, info, settings); !why.empty()) throw std::invalid_argument(why);
  if (settings.identify.empty()) {
    Outcome out = train_and_evaluate_once<Scalar>(pb, info, settings, params, initial_theta, progress);
    if (!settings.data.empty()) identify_report(pb, info, settings.data, out);
    return mark_interrupted(std::move(out));
  }
  // Identification in two steps. First the network and the identified parameters are
  // fitted together to the equations, the conditions and the data; the parameters come
  // out of that. With noisy data the network also bends a little toward the noise
  // (decay_data.csv: 1.3e-4 of the scale), so then the network alone is trained for the
  // identified values, without the data, warm-started: the solution of the equation with
  // those values, checked like any forward run (time windows and polishing included).
  const auto started = march_detail::Clock::now();
  Outcome fit = train<Scalar>(pb, settings, initial_theta, [&](int64_t e, int64_t total, const LossRow& row) {
    if (march_detail::past(started, info.budget)) return false;
    return progress ? progress(e, total, row) : true;
  });
  if (fit.diverged || fit.params.size() != std::size_t(pb.n_params)) {
    evaluate(pb, info, params, fit);
    identify_report(pb, info, settings.data, fit);
    return mark_interrupted(std::move(fit));
  }
  rt::TrainerSettings solve = settings;
  solve.identify.clear();
  solve.identify_lower.clear();
  solve.identify_upper.clear();
  solve.data.clear();
  solve.params = fit.params;
  RunInfo forward = info;
  forward.identified.clear();
  forward.budget = std::max(0.0, info.budget - march_detail::seconds_since(started));
  const int64_t offset = fit.epochs;
  Outcome out = train_and_evaluate_once<Scalar>(pb, forward, solve, fit.params.data(), &fit.theta,
                                                [&](int64_t e, int64_t total, const LossRow& row) {
                                                  return progress ? progress(offset + e, offset + total, row) : true;
                                                });
  for (LossRow& r : out.history) r.epoch += offset;
  out.history.insert(out.history.begin(), fit.history.begin(), fit.history.end());
  out.epochs += offset;
  out.final_loss.epoch = out.epochs;
  out.final_loss.data = fit.final_loss.data;
  out.train_seconds = march_detail::seconds_since(started);
  out.params = fit.params;
  out.notes.insert(out.notes.begin(),
                   format("the parameters were identified in the first %lld epochs (network and parameters fitted "
                          "together to the equations and the data); the network was then trained for those values alone",
                          static_cast<long long>(offset)));
  identify_report(pb, info, settings.data, out);
  return mark_interrupted(std::move(out));
}

}  // namespace pinnc::post

#endif  // PINNC_POST_MARCH_H
