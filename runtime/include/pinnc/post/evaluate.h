// evaluate.h — training with the runtime and everything right after it: the fine grid,
// the solution and residuals on it, the reference solution, errors and the verdict (the
// data types are in post/outcome.h).
#ifndef PINNC_POST_EVALUATE_H
#define PINNC_POST_EVALUATE_H

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/bound.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/reference.h"
#include "pinnc/post/solution.h"
#include "pinnc/post/text.h"
#include "pinnc/trainer.h"

namespace pinnc::post {

inline LossRow loss_row(int64_t epoch, const std::string& optimizer, const rt::LossTerms& l) {
  return LossRow{epoch, optimizer, l.total, l.residual, l.conditions, l.data, l.equation, l.condition};
}

/// Set to ask training to stop (`pinnc train` sets it on SIGINT and SIGTERM; a signal
/// handler may write it): the running stage ends at its current epoch, every loop of
/// march.h ends as when the budget is spent, and the run is evaluated and written with the
/// best weights it reached (Outcome::interrupted).
inline volatile std::sig_atomic_t& stop_flag() {
  static volatile std::sig_atomic_t flag = 0;
  return flag;
}
inline bool stop_requested() { return stop_flag() != 0; }

/// A loss this many times the untrained network's (the first epoch's of a cold start) is
/// diverging: training stops there as on a NaN, and the best weights are kept
/// (Outcome::recovered). Relative to the start, not to the best: Adam's spikes late in
/// training reach 1e7 times the best and settle again. Warm starts (identification's second
/// step, polishing) have no untrained loss to compare with: their first epoch's loss can be
/// 1e-10, and Adam's first steps from there raise it 4e7-fold (identify_bvp) before it
/// settles; they stop on NaN or Inf only.
constexpr double kExplodingLoss = 1e6;

/// The term with the largest share of the loss (an exploding run names its source line).
inline rt::BadTerm largest_term(const rt::LossTerms& l) {
  rt::BadTerm top{rt::TermKind::total, -1};
  double most = -1;
  for (std::size_t e = 0; e < l.equation.size(); ++e)
    if (l.equation[e] > most) most = l.equation[e], top = {rt::TermKind::equation, int(e)};
  for (std::size_t c = 0; c < l.condition.size(); ++c)
    if (l.condition[c] > most) most = l.condition[c], top = {rt::TermKind::condition, int(c)};
  if (l.data > most) top = {rt::TermKind::data, -1};
  return top;
}

/// Trains in precision Scalar. `initial_theta` (optional) warm-starts when its size
/// matches the network. Throws std::invalid_argument on settings the runtime rejects.
template <class Scalar>
Outcome train(const pinnc_problem& pb, const rt::TrainerSettings& settings, const std::vector<double>* initial_theta,
              const Progress& progress) {
  Outcome out;
  rt::Trainer<Scalar> trainer(pb, settings);
  auto& theta = trainer.network().params();
  const bool warm = initial_theta && static_cast<std::size_t>(theta.size()) == initial_theta->size();
  if (warm)
    for (Eigen::Index i = 0; i < theta.size(); ++i) theta[i] = static_cast<Scalar>((*initial_theta)[std::size_t(i)]);
  int64_t total = 0;
  for (const rt::Stage& s : settings.schedule) total += s.epochs;
  const auto start = std::chrono::steady_clock::now();
  // The best weights so far (the loss of epoch e is that of the weights the network holds
  // when the callback sees it, and the parameters' values the objective holds), put in the
  // outcome instead of the last ones when training is interrupted or diverges.
  std::vector<double> best, best_params;
  rt::LossTerms best_terms;
  double best_loss = INFINITY, first_loss = NAN;
  int64_t best_epoch = -1;
  auto keep = [&](const rt::EpochReport& r) {
    best_loss = r.loss->total, best_terms = *r.loss, best_epoch = r.epoch;
    best.assign(theta.data(), theta.data() + theta.size());
    if (!settings.identify.empty()) best_params = trainer.param_values();  // the others never change
  };
  const rt::TrainResult res = trainer.train([&](const rt::EpochReport& r) {
    if (stop_requested()) {
      out.interrupted = true;
      if (r.loss->total <= best_loss) keep(r);
      return false;
    }
    if (std::isnan(first_loss) && !warm) first_loss = r.loss->total;
    out.history.push_back(loss_row(r.epoch, rt::optimizer_name(r.optimizer), *r.loss));
    if (r.loss->total > kExplodingLoss * first_loss) {  // false for a warm start (NaN)
      out.exploded = true;
      out.bad_term = largest_term(*r.loss);
      out.message = format("the loss grew to %.3g at epoch %lld, over %.0e times the untrained network's (%.3g)",
                           r.loss->total, static_cast<long long>(r.epoch), kExplodingLoss, first_loss);
      return false;
    }
    if (r.loss->total < best_loss) keep(r);
    return progress ? progress(r.epoch, total, out.history.back()) : true;
  });
  out.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.diverged = res.reason == rt::StopReason::non_finite || out.exploded;
  if (!out.exploded) out.bad_term = res.bad_term, out.message = res.message;
  out.stop_reason = out.exploded ? "exploded" : rt::stop_reason_name(res.reason);
  out.epochs = res.epochs;
  out.evaluations = res.evaluations;
  out.final_loss = loss_row(res.epochs, "final", res.final_loss);
  out.theta.assign(theta.data(), theta.data() + theta.size());
  out.params = trainer.param_values();
  if ((out.interrupted || out.diverged) && !best.empty()) {
    out.theta = std::move(best);
    if (!settings.identify.empty()) out.params = std::move(best_params);
    out.final_loss = loss_row(best_epoch, "final", best_terms);
    out.best_epoch = best_epoch;
    out.recovered = out.diverged;
  }
  const rt::NetworkShape& shape = trainer.network().shape();
  out.widths = shape.widths;
  out.input_scale = shape.input_scale;
  out.input_shift = shape.input_shift;
  for (size_t i = 0; i < shape.param_inputs.size(); ++i)
    out.param_inputs.push_back({"", shape.param_inputs[i], shape.param_scale[i], shape.param_shift[i]});
  return out;
}

/// The size of each equation's terms on the grid: the RMS over points of the largest of
/// |dR/du_s * u_s| over the stack slots s and of the remainder R - sum_s dR/du_s u_s
/// (for a linear equation these are exactly its terms; for a nonlinear one, the terms of
/// its linearisation). `u` is a stack [(j(K+1)+k) n + p]; residual_out receives R.
inline std::vector<double> equation_scales(const pinnc_problem& pb, const double* params, const std::vector<double>& grid,
                                           const std::vector<double>& u, std::vector<double>* residual_out = nullptr) {
  const int E = pb.n_equations;
  const std::size_t n = grid.size();
  const pinnc_pattern& pat = pb.residual_partials;
  std::vector<double> r(std::size_t(E) * n), dr(std::size_t(std::max(pat.n, 1)) * n);
  pb.kernels.residual_f64(pb.kernels.ctx, int64_t(n), grid.data(), u.data(), params, r.data(), dr.data(), nullptr);
  std::vector<double> biggest(std::size_t(E) * n, 0.0), linear(std::size_t(E) * n, 0.0);
  for (int m = 0; m < pat.n; ++m) {
    const std::size_t e = std::size_t(pat.row[m]), s = std::size_t(pat.col[m]);
    for (std::size_t p = 0; p < n; ++p) {
      const double term = dr[std::size_t(m) * n + p] * u[s * n + p];
      linear[e * n + p] += term;
      biggest[e * n + p] = std::max(biggest[e * n + p], std::fabs(term));
    }
  }
  std::vector<double> scale(std::size_t(E), 0.0);
  for (std::size_t e = 0; e < std::size_t(E); ++e) {
    double top = 0;
    for (std::size_t p = 0; p < n; ++p)
      top = std::max(top, std::max(biggest[e * n + p], std::fabs(r[e * n + p] - linear[e * n + p])));
    if (!(top > 0) || !std::isfinite(top)) continue;
    double ss = 0;  // scaled, so tiny and huge terms neither underflow nor overflow
    for (std::size_t p = 0; p < n; ++p) {
      const double t = std::max(biggest[e * n + p], std::fabs(r[e * n + p] - linear[e * n + p])) / top;
      ss += t * t;
    }
    scale[e] = top * std::sqrt(ss / double(n));
  }
  if (residual_out) *residual_out = std::move(r);
  return scale;
}

/// sqrt(mean(v^2)) without underflow or overflow.
inline double rms(const double* v, std::size_t n, std::size_t stride = 1) {
  double top = 0;
  for (std::size_t i = 0; i < n; ++i) top = std::max(top, std::fabs(v[i * stride]));
  if (!(top > 0) || !std::isfinite(top)) return top;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) ss += (v[i * stride] / top) * (v[i * stride] / top);
  return top * std::sqrt(ss / double(n));
}

/// Why the file's exact solution cannot serve as the reference ("" when it can): it must
/// satisfy the equations (relative residual <= 1e-6 of the equation's terms) and the
/// conditions the reference plan knows (to 1e-8 of the solution's scale).
inline std::string check_exact(const pinnc_problem& pb, const RunInfo& info, const double* params,
                               const std::vector<double>& grid, const std::vector<double>& ex) {
  const int U = pb.n_unknowns, K = pb.order;
  const std::size_t n = grid.size();
  for (int j = 0; j < U; ++j)
    if (!std::isfinite(ex[std::size_t(j * (K + 1)) * n])) return "";  // partial exact: not checked
  std::vector<double> r;
  const std::vector<double> scale = equation_scales(pb, params, grid, ex, &r);
  for (int e = 0; e < pb.n_equations; ++e) {
    const double rr = rms(r.data() + std::size_t(e) * n, n);
    if (!(rr <= 1e-6 * scale[std::size_t(e)]) && !(rr == 0)) {
      const std::string where = e < int(info.equation_where.size()) ? info.equation_where[std::size_t(e)] : "an equation";
      return format("it does not satisfy %s (residual %.2g of the terms' size)", where.c_str(),
                    scale[std::size_t(e)] > 0 ? rr / scale[std::size_t(e)] : rr);
    }
  }
  // Conditions: the plain values the plan lists (IVP: x0 at a; BVP: values).
  std::vector<PlainValue> values = info.reference.values;
  if (info.reference.possible && !info.reference.boundary) {
    std::size_t c = 0;
    for (int j = 0; j < U && c < info.reference.x0.size(); ++j)
      for (int k = 0; k < info.unknowns[std::size_t(j)].order; ++k, ++c)
        values.push_back({j, k, info.reference.a, info.reference.x0[c]});
  }
  for (const PlainValue& v : values) {
    std::vector<double> at(std::size_t(U * (K + 1)));
    pb.kernels.exact_f64(pb.kernels.ctx, 1, &v.point, params, at.data());
    double size = 0;
    for (std::size_t p = 0; p < n; ++p) size = std::max(size, std::fabs(ex[std::size_t(v.unknown * (K + 1) + v.order) * n + p]));
    const double got = at[std::size_t(v.unknown * (K + 1) + v.order)];
    if (!(std::fabs(got - v.value) <= 1e-8 * std::max(size, std::fabs(v.value)))) {
      const std::string name = derivative_name(info.unknowns[std::size_t(v.unknown)].name, v.order);
      return format("it gives %s(%s) = %s instead of %s", name.c_str(), shortest(v.point).c_str(),
                    shortest(got).c_str(), shortest(v.value).c_str());
    }
  }
  return "";
}

/// The aux kernel on the grid: on the network's stack (rep.u), and on the reference's
/// values, whose derivative slots are NaN (the reference is a solution's values only), so
/// a quantity that uses a derivative has no reference row.
inline void aux_values(const pinnc_problem& pb, const double* params, Outcome& rep) {
  rep.aux.clear();
  rep.aux_reference.clear();
  if (!pb.kernels.aux_f64 || pb.n_aux <= 0) return;
  const int U = pb.n_unknowns, K = pb.order, A = pb.n_aux;
  const std::size_t n = rep.grid.size();
  std::vector<double> out(std::size_t(A) * n);
  auto rows = [&](std::vector<std::vector<double>>& dst) {
    dst.assign(std::size_t(A), std::vector<double>(n));
    for (int a = 0; a < A; ++a)
      for (std::size_t i = 0; i < n; ++i) dst[std::size_t(a)][i] = out[std::size_t(a) * n + i];
  };
  pb.kernels.aux_f64(pb.kernels.ctx, int64_t(n), rep.grid.data(), rep.u.data(), params, out.data());
  rows(rep.aux);
  std::vector<double> stack(std::size_t(U * (K + 1)) * n, std::nan(""));
  for (int j = 0; j < U; ++j)
    for (std::size_t i = 0; i < n; ++i) stack[std::size_t(j * (K + 1)) * n + i] = rep.reference[std::size_t(j)][i];
  pb.kernels.aux_f64(pb.kernels.ctx, int64_t(n), rep.grid.data(), stack.data(), params, out.data());
  rows(rep.aux_reference);
}

/// After training: the fine grid, the solution and residuals on it, the reference (the
/// file's exact solution, else a classical method where the plan allows), errors, the
/// error bound and the verdict (README: "How the verdict is reached"). A diverged run
/// gets its message mapped to the source line; unless it kept earlier weights
/// (Outcome::recovered) that is all, else those are evaluated, never trusted.
inline void evaluate(const pinnc_problem& pb, const RunInfo& info, const double* params, Outcome& rep) {
  // The run's own parameter values (identified ones as trained) when it has them.
  if (rep.params.size() == std::size_t(pb.n_params)) params = rep.params.data();
  else if (params) rep.params.assign(params, params + pb.n_params);
  if (rep.diverged) {
    rep.trusted = false;
    rep.message = divergence_message(info, rep.bad_term, rep.message, rep.exploded);
    if (!rep.recovered) return;  // no weights to evaluate
  }
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const Eigen::Index n = info.fine_grid;
  const std::size_t nn = std::size_t(n);
  rep.grid.resize(nn);
  for (Eigen::Index i = 0; i < n; ++i) rep.grid[std::size_t(i)] = pb.t0 + (pb.t1 - pb.t0) * double(i) / double(n - 1);
  rep.grid.back() = pb.t1;

  const TrainedSolution solution = TrainedSolution::of(pb, info.activation, rep);
  rep.u.assign(std::size_t(U * (K + 1) * n), 0.0);
  solution.values(params, rep.grid.data(), nn, K, rep.u.data());
  rep.residuals.assign(std::size_t(E * n), 0.0);
  solution.residuals(params, rep.grid.data(), nn, rep.residuals.data());
  rep.residual_rms = rms(rep.residuals.data(), rep.residuals.size());
  rep.training_residual_rms = std::sqrt(rep.final_loss.residual / std::max(1, E));
  const std::vector<double> term_scale = equation_scales(pb, params, rep.grid, rep.u);
  rep.relative_residual.assign(std::size_t(E), 0.0);
  rep.relative_residual_max = 0;
  for (int e = 0; e < E; ++e) {
    const double rr = rms(rep.residuals.data() + std::size_t(e) * nn, nn);
    const double s = term_scale[std::size_t(e)];
    rep.relative_residual[std::size_t(e)] = rr == 0 ? 0.0 : (s > 0 ? rr / s : INFINITY);
    rep.relative_residual_max = std::max(rep.relative_residual_max, rep.relative_residual[std::size_t(e)]);
  }

  // Reference: the exact solution where given (and consistent), else a classical method.
  rep.reference.assign(std::size_t(U), std::vector<double>(nn, std::nan("")));
  bool any_exact = false;
  if (pb.kernels.exact_f64) {
    std::vector<double> ex(std::size_t(U * (K + 1) * n));
    pb.kernels.exact_f64(pb.kernels.ctx, n, rep.grid.data(), params, ex.data());
    rep.exact_rejected = check_exact(pb, info, params, rep.grid, ex);
    if (rep.exact_rejected.empty()) {
      for (int j = 0; j < U; ++j)
        for (std::size_t i = 0; i < nn; ++i) rep.reference[std::size_t(j)][i] = ex[std::size_t(j * (K + 1)) * nn + i];
      for (int j = 0; j < U; ++j) any_exact = any_exact || std::isfinite(rep.reference[std::size_t(j)][0]);
    }
    if (any_exact) {
      rep.reference_kind = "exact";
      rep.reference_method = "the file's exact solution";
      rep.reference_accuracy = 1e-14;
    }
  }
  bool all_exact = any_exact;
  for (int j = 0; j < U; ++j) all_exact = all_exact && std::isfinite(rep.reference[std::size_t(j)][0]);
  FirstOrderForm form(pb, params);
  bool stiffness_known = false;
  if (!all_exact) {
    const Guess guess = [&](const std::vector<double>& t) {
      std::vector<double> stack(std::size_t(U * (K + 1)) * t.size()), values(std::size_t(U) * t.size());
      solution.values(params, t.data(), t.size(), K, stack.data());
      for (int j = 0; j < U; ++j)
        for (std::size_t i = 0; i < t.size(); ++i)
          values[std::size_t(j) * t.size() + i] = stack[std::size_t(j * (K + 1)) * t.size() + i];
      return values;
    };
    ReferenceResult r = solve_reference(pb, info.reference, rep.grid, params, &guess);
    if (r.ok) {
      for (int j = 0; j < U; ++j)
        if (!std::isfinite(rep.reference[std::size_t(j)][0])) rep.reference[std::size_t(j)] = r.values[std::size_t(j)];
      rep.reference_accuracy = std::max(rep.reference_accuracy, r.accuracy);
      if (!any_exact) {
        rep.reference_kind = "reference";
        rep.reference_method = r.method;
      } else {
        rep.reference_method += "; " + r.method + " for the others";
      }
    } else {
      rep.no_reference_why = r.why_not;
    }
    rep.stiffness = r.stiffness;
    stiffness_known = r.ok && !info.reference.boundary;
  }
  aux_values(pb, params, rep);
  // Stiffness along the network where no integrator looked at it.
  if (!stiffness_known && info.reference.possible && !info.reference.boundary && form.usable() &&
      form.size() == int(info.reference.x0.size())) {
    std::vector<std::vector<double>> states(std::size_t(form.size()), std::vector<double>(nn));
    for (int j = 0; j < U; ++j)
      for (int k = 0; k < pb.unknown_order[j]; ++k)
        for (std::size_t i = 0; i < nn; ++i)
          states[std::size_t(form.offset(j) + k)][i] = rep.u[std::size_t(j * (K + 1) + k) * nn + i];
    rep.stiffness = stiffness_note(form, rep.grid, states, info.variable);
  }

  // Errors per unknown, relative to each unknown's scale (max |reference|, else max
  // |network|; an unknown that is identically zero takes the largest other scale).
  rep.scale.assign(std::size_t(U), 0.0);
  for (int j = 0; j < U; ++j) {
    double s = 0;
    const bool has_ref = std::isfinite(rep.reference[std::size_t(j)][0]);
    for (std::size_t i = 0; i < nn; ++i)
      s = std::max(s, std::fabs(has_ref ? rep.reference[std::size_t(j)][i] : rep.u[std::size_t(j * (K + 1)) * nn + i]));
    rep.scale[std::size_t(j)] = s;
  }
  double largest = 0;
  for (double s : rep.scale)
    if (std::isfinite(s)) largest = std::max(largest, s);
  for (double& s : rep.scale)
    if (!(s > 0)) s = largest > 0 ? largest : 1.0;
  double largest_scale = 0;
  for (double sc : rep.scale) largest_scale = std::max(largest_scale, sc);
  double diff_all = 0, norm_all = 0, worst_ratio = -1;
  bool have_ref = false;
  rep.rel_error = NAN;
  for (int j = 0; j < U; ++j) {
    const std::vector<double>& ref = rep.reference[std::size_t(j)];
    const double s = rep.scale[std::size_t(j)];
    std::vector<double> diff(nn);
    double mx = 0;
    bool ok = true;
    for (std::size_t i = 0; i < nn && ok; ++i) {
      ok = std::isfinite(ref[i]);
      const double d = std::fabs(rep.u[std::size_t(j * (K + 1)) * nn + i] - ref[i]);
      diff[i] = std::isnan(d) ? INFINITY : d;
      mx = std::max(mx, diff[i]);
    }
    if (!ok) {
      rep.rel_l2.push_back(NAN), rep.max_abs.push_back(NAN), rep.rel_max.push_back(NAN);
      continue;
    }
    have_ref = true;
    const double d_rms = rms(diff.data(), nn), r_rms = rms(ref.data(), nn);
    rep.rel_l2.push_back(r_rms > 0 ? d_rms / r_rms : d_rms);
    rep.max_abs.push_back(mx);
    rep.rel_max.push_back(mx / s);
    rep.rel_error = std::isnan(rep.rel_error) ? mx / s : std::max(rep.rel_error, mx / s);
    worst_ratio = std::max(worst_ratio, mx / (info.rtol * s + info.atol));
    // Over all unknowns: sums of squares relative to the largest scale.
    diff_all += std::pow(d_rms / largest_scale, 2), norm_all += std::pow(r_rms / largest_scale, 2);
    rep.max_abs_all = std::max(rep.max_abs_all, mx);
  }
  rep.rel_l2_all = have_ref ? (norm_all > 0 ? std::sqrt(diff_all / norm_all) : std::sqrt(diff_all) * largest_scale) : NAN;
  if (!have_ref) rep.reference_kind.clear();

  // The error bound from the network alone (IVPs).
  const ErrorBound bound = error_bound(pb, info.reference, params, rep.grid, rep.u, rep.residuals);
  rep.bound_rel = NAN;
  double bound_ratio = NAN;
  if (!bound.kind.empty()) {
    double factor = 0, target_factor = 0;
    for (int j = 0; j < U; ++j) {
      factor = std::max(factor, bound.value_scale[std::size_t(j)] / rep.scale[std::size_t(j)]);
      target_factor =
          std::max(target_factor, bound.value_scale[std::size_t(j)] / (info.rtol * rep.scale[std::size_t(j)] + info.atol));
    }
    rep.bound_kind = bound.kind;
    rep.bound_curve.resize(nn);
    double top = 0;
    for (std::size_t i = 0; i < nn; ++i) rep.bound_curve[i] = bound.curve[i] * factor, top = std::max(top, bound.curve[i]);
    rep.bound_rel = top * factor;
    bound_ratio = top * target_factor;
  } else {
    rep.bound_why_not = bound.why_not;
  }

  // Verdict: the error against the reference, else the bound, against the target.
  const std::string target = format("the target (rtol %s, atol %s)", shortest(info.rtol).c_str(), shortest(info.atol).c_str());
  if (have_ref) {
    rep.checked_by = "reference";
    rep.target_ratio = worst_ratio;
  } else if (std::isfinite(bound_ratio)) {
    rep.checked_by = "bound";
    rep.target_ratio = bound_ratio;
  } else {
    rep.checked_by.clear();
    rep.target_ratio = NAN;
  }
  if (!rep.exact_rejected.empty())
    rep.notes.push_back("the file's exact solution is not used: " + rep.exact_rejected);
  if (rep.checked_by.empty()) {
    std::string why = rep.no_reference_why.empty() ? "no reference solution" : "no reference (" + rep.no_reference_why + ")";
    if (!bound.kind.empty())
      why += format(" and the error bound is not finite (%s)", shortest(rep.bound_rel).c_str());
    else if (!rep.bound_why_not.empty() && rep.bound_why_not != rep.no_reference_why)
      why += " and no error bound (" + rep.bound_why_not + ")";
    rep.warnings.push_back("the error could not be checked: " + why);
  } else if (!(rep.target_ratio <= 1)) {
    const double err = rep.checked_by == "reference" ? rep.rel_error : rep.bound_rel;
    rep.warnings.push_back(format("the %s %.3g (relative to the solution's scale) is above %s",
                                  rep.checked_by == "reference" ? "error" : ("error " + rep.bound_kind).c_str(), err,
                                  target.c_str()));
    if (rep.checked_by == "reference" && rep.reference_accuracy > 0.1 * info.rtol)
      rep.notes.push_back(format("the reference itself is only accurate to about %.1e", rep.reference_accuracy));
  }
  if (!rep.stiffness.empty() && !rep.warnings.empty())
    rep.warnings.push_back("the problem is " + rep.stiffness +
                           "; a network struggles with fast transients (try more --points, --epochs, or a shorter interval)");
  if (rep.diverged)
    rep.warnings.insert(rep.warnings.begin(), format("training diverged at epoch %lld; these are the best weights "
                                                     "reached before (epoch %lld)",
                                                     static_cast<long long>(rep.epochs - 1),
                                                     static_cast<long long>(rep.best_epoch)));
  rep.trusted = rep.warnings.empty();
}

}  // namespace pinnc::post

#endif  // PINNC_POST_EVALUATE_H
