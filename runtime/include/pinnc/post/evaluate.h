// evaluate.h — training with the runtime and everything right after it: the fine grid,
// the solution and residuals on it, the reference solution, errors and the verdict (the
// data types are in post/outcome.h).
#ifndef PINNC_POST_EVALUATE_H
#define PINNC_POST_EVALUATE_H

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/reference.h"
#include "pinnc/post/text.h"
#include "pinnc/trainer.h"

namespace pinnc::post {

inline LossRow loss_row(int64_t epoch, const std::string& optimizer, const rt::LossTerms& l) {
  return LossRow{epoch, optimizer, l.total, l.residual, l.conditions, l.equation, l.condition};
}

/// Trains in precision Scalar. `initial_theta` (optional) warm-starts when its size
/// matches the network. Throws std::invalid_argument on settings the runtime rejects.
template <class Scalar>
Outcome train(const pinnc_problem& pb, const rt::TrainerSettings& settings, const std::vector<double>* initial_theta,
              const Progress& progress) {
  Outcome out;
  rt::Trainer<Scalar> trainer(pb, settings);
  auto& theta = trainer.network().params();
  if (initial_theta && static_cast<std::size_t>(theta.size()) == initial_theta->size())
    for (Eigen::Index i = 0; i < theta.size(); ++i) theta[i] = static_cast<Scalar>((*initial_theta)[std::size_t(i)]);
  int64_t total = 0;
  for (const rt::Stage& s : settings.schedule) total += s.epochs;
  const auto start = std::chrono::steady_clock::now();
  const rt::TrainResult res = trainer.train([&](const rt::EpochReport& r) {
    out.history.push_back(loss_row(r.epoch, rt::optimizer_name(r.optimizer), *r.loss));
    return progress ? progress(r.epoch, total, out.history.back()) : true;
  });
  out.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.diverged = res.reason == rt::StopReason::non_finite;
  out.bad_term = res.bad_term;
  out.stop_reason = rt::stop_reason_name(res.reason);
  out.message = res.message;
  out.epochs = res.epochs;
  out.evaluations = res.evaluations;
  out.final_loss = loss_row(res.epochs, "final", res.final_loss);
  out.theta.assign(theta.data(), theta.data() + theta.size());
  const rt::NetworkShape& shape = trainer.network().shape();
  out.widths = shape.widths;
  out.input_scale = shape.input_scale;
  out.input_shift = shape.input_shift;
  return out;
}

/// The trained network in float64, exactly as `pinnc eval` sees it.
inline rt::Network<double> network_of(const std::vector<int>& widths, rt::Activation activation, double input_scale,
                                      double input_shift, const std::vector<double>& theta) {
  rt::NetworkShape shape;
  shape.widths = widths;
  shape.activation = activation;
  shape.input_scale = input_scale;
  shape.input_shift = input_shift;
  rt::Network<double> net(shape);
  for (std::size_t i = 0; i < theta.size(); ++i) net.params()[Eigen::Index(i)] = theta[i];
  return net;
}

/// After training: the fine grid, the solution and residuals on it, the reference (the
/// file's exact solution, else a classical integrator where the plan allows), errors and
/// the verdict. A diverged run only gets its message mapped to the source line.
inline void evaluate(const pinnc_problem& pb, const RunInfo& info, const double* params, Outcome& rep) {
  if (rep.diverged) {
    rep.trusted = false;
    rep.message = divergence_message(info, rep.bad_term, rep.message);
    return;
  }
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const Eigen::Index n = info.fine_grid;
  rep.grid.resize(std::size_t(n));
  for (Eigen::Index i = 0; i < n; ++i) rep.grid[std::size_t(i)] = pb.t0 + (pb.t1 - pb.t0) * double(i) / double(n - 1);
  rep.grid.back() = pb.t1;

  rt::Activation act{};
  if (!rt::parse_activation(info.activation, act))
    throw std::invalid_argument("unknown activation '" + info.activation + "'");
  const rt::Network<double> net = network_of(rep.widths, act, rep.input_scale, rep.input_shift, rep.theta);
  rep.u.assign(std::size_t(U * (K + 1) * n), 0.0);
  rt::evaluate_solution(pb, net, params, rep.grid.data(), n, K, rep.u.data());
  rep.residuals.assign(std::size_t(E * n), 0.0);
  rt::evaluate_residuals(pb, net, params, rep.grid.data(), n, rep.residuals.data());
  double ss = 0;
  for (double r : rep.residuals) ss += r * r;
  rep.residual_rms = std::sqrt(ss / double(rep.residuals.size()));
  rep.training_residual_rms = std::sqrt(rep.final_loss.residual / std::max(1, E));

  // Reference: the exact solution where given, else a classical integrator for IVPs.
  rep.reference.assign(std::size_t(U), std::vector<double>(std::size_t(n), std::nan("")));
  bool any_exact = false;
  if (pb.kernels.exact_f64) {
    std::vector<double> ex(std::size_t(U * (K + 1) * n));
    pb.kernels.exact_f64(pb.kernels.ctx, n, rep.grid.data(), params, ex.data());
    for (int j = 0; j < U; ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        rep.reference[std::size_t(j)][std::size_t(i)] = ex[std::size_t((j * (K + 1)) * n + i)];
    any_exact = true;
    rep.reference_kind = "exact";
    rep.reference_method = "the file's exact solution";
  }
  bool all_exact = any_exact;
  for (int j = 0; j < U; ++j) all_exact = all_exact && std::isfinite(rep.reference[std::size_t(j)][0]);
  if (!all_exact) {
    ReferenceResult r = solve_reference(pb, info.reference, rep.grid, params);
    if (r.ok) {
      for (int j = 0; j < U; ++j)
        if (!std::isfinite(rep.reference[std::size_t(j)][0])) rep.reference[std::size_t(j)] = r.values[std::size_t(j)];
      if (!any_exact) {
        rep.reference_kind = "reference";
        rep.reference_method = r.method;
      } else {
        rep.reference_method += "; " + r.method + " for the others";
      }
    } else {
      rep.no_reference_why = r.why_not;
    }
  }
  // Errors per unknown and over all unknowns with a reference.
  double diff_all = 0, norm_all = 0;
  bool have_ref = false;
  for (int j = 0; j < U; ++j) {
    double d2 = 0, n2 = 0, mx = 0;
    bool ok = true;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double ref = rep.reference[std::size_t(j)][std::size_t(i)], v = rep.u[std::size_t((j * (K + 1)) * n + i)];
      if (!std::isfinite(ref)) {
        ok = false;
        break;
      }
      d2 += (v - ref) * (v - ref);
      n2 += ref * ref;
      mx = std::max(mx, std::fabs(v - ref));
    }
    if (!ok) {
      rep.rel_l2.push_back(std::nan(""));
      rep.max_abs.push_back(std::nan(""));
      continue;
    }
    have_ref = true;
    rep.rel_l2.push_back(n2 > 0 ? std::sqrt(d2 / n2) : std::sqrt(d2 / double(n)));
    rep.max_abs.push_back(mx);
    diff_all += d2, norm_all += n2;
    rep.max_abs_all = std::max(rep.max_abs_all, mx);
  }
  rep.rel_l2_all = have_ref ? (norm_all > 0 ? std::sqrt(diff_all / norm_all) : std::sqrt(diff_all / double(n)))
                            : std::nan("");
  if (!have_ref) rep.reference_kind.clear();

  // Verdict.
  if (have_ref && !(rep.rel_l2_all <= 1e-2))
    rep.warnings.push_back(format("the relative L2 error %.3g is above 1e-2", rep.rel_l2_all));
  if (!(rep.residual_rms <= std::max(10 * rep.training_residual_rms, 1e-3)))
    rep.warnings.push_back(format(
        "the residual RMS on a fine grid (%.3g) is far above the one on the training points (%.3g): "
        "the network fits the points but not the equation between them; use more --points",
        rep.residual_rms, rep.training_residual_rms));
  if (!have_ref && !(rep.residual_rms <= 1e-2))
    rep.warnings.push_back(
        format("the residual RMS %.3g is above 1e-2 and no reference exists to check against", rep.residual_rms));
  if (pb.n_conditions > 0 && !(rep.final_loss.conditions <= 1e-6))
    rep.warnings.push_back(format("the soft conditions are not met (condition loss %.3g)", rep.final_loss.conditions));
  rep.trusted = rep.warnings.empty();
}

}  // namespace pinnc::post

#endif  // PINNC_POST_EVALUATE_H
