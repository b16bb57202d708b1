// bound.h — an error bound from the trained network alone (no reference solution), for
// initial value problems in explicit form (post/reference.h FirstOrderForm).
//
// Write the problem as x' = f(t, x) and let x̂ be the network's state (each unknown and
// its derivatives below the highest). The network satisfies x̂' = f(t, x̂) + d(t) with the
// defect d = M^-1 rho in the rows of the highest derivatives (rho the equations'
// residuals, M = dR/dh: R is affine in h, so R(x̂, ĥ) = M (ĥ - h(x̂)) = rho) and zero in
// the chain rows (the network's derivatives are exact). In the weighted norm
// |v|_D = |D^-1 v|_2, with D the state's own scales, the error e = x - x̂ obeys
//   |e(t)|_D <= B(t),  B' = mu(t) B + |d(t)|_D,  B(a) = |e(a)|_D
// (Grönwall with the logarithmic norm mu(t) = lambda_max((J~ + J~^T)/2), J~ = D^-1 J D,
// J = df/dx; backwards from a with mu of -J~). Weighting by the scales makes the bound
// tight for oscillators (y'' = -w^2 y: mu = 0 for D = diag(A, A w)).
//
// Assumptions, stated in the report: J is evaluated along the network, not along the
// true solution (for problems linear in the unknowns J does not depend on the state and
// the result is a bound; otherwise an estimate, valid while the error is small), and
// the residual and mu are sampled on the evaluation grid (between two points the larger
// of the two values is used, exactly integrated; what the samples miss of the network's
// own change over an interval is added, see `unresolved`).
#ifndef PINNC_POST_BOUND_H
#define PINNC_POST_BOUND_H

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/reference.h"

namespace pinnc::post {

struct ErrorBound {
  std::string kind;  ///< "bound" or "estimate"; "" when none (why_not)
  std::string why_not;
  std::vector<double> curve;  ///< [p] B(t_p): bounds |u_j - û_j| / D_j for every unknown j
  std::vector<double> value_scale;  ///< [j] D of each unknown's value
};

/// The bound on `grid` for the network's stack `u` ([(j(K+1)+k) n + p]) and residuals
/// ([e n + p]). `plan` must be a possible IVP plan.
inline ErrorBound error_bound(const pinnc_problem& pb, const ReferencePlan& plan, const double* params,
                              const std::vector<double>& grid, const std::vector<double>& u,
                              const std::vector<double>& residuals) {
  ErrorBound out;
  if (!plan.possible || plan.boundary || !plan.explicit_form) {
    out.why_not = plan.possible ? "it needs an initial value problem" : plan.why_not;
    return out;
  }
  FirstOrderForm form(pb, params);
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations, ns = form.size();
  const std::size_t n = grid.size();
  if (!form.usable() || ns != int(plan.x0.size()) || n < 2) {
    out.why_not = "pinnc bug: the plan does not match the problem";
    return out;
  }
  std::size_t ia = n;
  for (std::size_t i = 0; i < n; ++i)
    if (grid[i] == plan.a) ia = i;
  if (ia == n) {
    out.why_not = "the initial point is not on the evaluation grid";
    return out;
  }
  // The state along the network and its scales D (a derivative's scale is at least the
  // previous order's scale over the interval's length, so a derivative that happens to
  // be near zero does not blow the weights up).
  std::vector<std::vector<double>> x(n, std::vector<double>(std::size_t(ns)));
  std::vector<double> S(std::size_t(ns), 0.0);
  for (int j = 0; j < U; ++j)
    for (int k = 0; k < pb.unknown_order[j]; ++k) {
      const int c = form.offset(j) + k;
      for (std::size_t p = 0; p < n; ++p) {
        const double v = u[std::size_t(j * (K + 1) + k) * n + p];
        x[p][std::size_t(c)] = v;
        S[std::size_t(c)] = std::max(S[std::size_t(c)], std::fabs(v));
      }
    }
  const double T = pb.t1 - pb.t0;
  double value_max = 0;
  for (int j = 0; j < U; ++j) value_max = std::max(value_max, S[std::size_t(form.offset(j))]);
  if (!(value_max > 0) || !std::isfinite(value_max)) value_max = 1;
  out.value_scale.resize(std::size_t(U));
  for (int j = 0; j < U; ++j) {
    const int off = form.offset(j);
    if (!(S[std::size_t(off)] > 0)) S[std::size_t(off)] = value_max;
    for (int k = 1; k < pb.unknown_order[j]; ++k)
      S[std::size_t(off + k)] = std::max(S[std::size_t(off + k)], S[std::size_t(off + k - 1)] / T);
    out.value_scale[std::size_t(j)] = S[std::size_t(off)];
  }
  const Eigen::Map<const Eigen::VectorXd> Dv(S.data(), ns);
  // Log norms (forwards and backwards) and the weighted defect at each grid point.
  std::vector<double> mu_f(n), mu_b(n), defect(n);
  Eigen::MatrixXd J;
  Eigen::VectorXd rho(E);
  for (std::size_t p = 0; p < n; ++p) {
    form.jacobian(grid[p], x[p].data(), J);  // also factorises M at x̂
    const Eigen::MatrixXd Jt = Dv.cwiseInverse().asDiagonal() * J * Dv.asDiagonal();
    const Eigen::MatrixXd sym = 0.5 * (Jt + Jt.transpose());
    if (!sym.allFinite()) {
      out.why_not = "the Jacobian is not finite along the network's solution";
      return out;
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sym, Eigen::EigenvaluesOnly);
    mu_f[p] = es.eigenvalues().maxCoeff();
    mu_b[p] = -es.eigenvalues().minCoeff();
    for (int e = 0; e < E; ++e) rho(e) = residuals[std::size_t(e) * n + p];
    const Eigen::VectorXd d = form.solve_m(rho);
    double d2 = 0;
    for (int j = 0; j < U; ++j) {
      const double w = d(j) / S[std::size_t(form.offset(j) + pb.unknown_order[j] - 1)];
      d2 += w * w;
    }
    defect[p] = std::sqrt(d2);
  }
  if (form.singular) {
    out.why_not = "the equations cannot be solved for the highest derivatives along the network's solution";
    return out;
  }
  // B at a: the network's own initial error (zero for hard constraints).
  double e0 = 0;
  for (int c = 0; c < ns; ++c) {
    const double w = (x[ia][std::size_t(c)] - plan.x0[std::size_t(c)]) / S[std::size_t(c)];
    e0 += w * w;
  }
  out.curve.assign(n, 0.0);
  out.curve[ia] = std::sqrt(e0);
  auto advance = [](double B, double mu, double d, double h) {
    const double z = mu * h;
    const double phi = std::fabs(z) < 1e-8 ? 1.0 + 0.5 * z : std::expm1(z) / z;
    return std::exp(z) * B + h * phi * d;
  };
  // What the grid does not resolve: over each interval, the change of every state
  // component minus a corrected trapezoid rule on the network's own derivative of it. For
  // a smooth network this is O(h^4); where the network has a feature narrower than the
  // grid (a near-jump of a saturated network) it is the part of the defect's integral the
  // samples miss, and it is added to the bound over that interval.
  std::vector<double> unresolved(n, 0.0);
  for (std::size_t p = 0; p + 1 < n; ++p) {
    const double h = grid[p + 1] - grid[p];
    double q2 = 0;
    for (int j = 0; j < U; ++j)
      for (int k = 0; k < pb.unknown_order[j]; ++k) {
        const double* v = u.data() + std::size_t(j * (K + 1) + k) * n;
        const double* dv = u.data() + std::size_t(j * (K + 1) + k + 1) * n;
        // Trapezoid with the end correction h^2/12 (f'(b) - f'(a)), f' by central differences
        // (one-sided at the ends): O(h^4) per interval for a smooth network.
        auto slope = [&](std::size_t i) {
          if (i == 0) return (dv[1] - dv[0]) / h;
          if (i + 1 == n) return (dv[n - 1] - dv[n - 2]) / h;
          return (dv[i + 1] - dv[i - 1]) / (2 * h);
        };
        const double quad = 0.5 * h * (dv[p] + dv[p + 1]) - h * h / 12 * (slope(p + 1) - slope(p));
        const double q = (v[p + 1] - v[p] - quad) / S[std::size_t(form.offset(j) + k)];
        q2 += q * q;
      }
    unresolved[p] = std::sqrt(q2);
  }
  for (std::size_t p = ia; p + 1 < n; ++p)
    out.curve[p + 1] = advance(out.curve[p], std::max(mu_f[p], mu_f[p + 1]), std::max(defect[p], defect[p + 1]),
                               grid[p + 1] - grid[p]) + unresolved[p];
  for (std::size_t p = ia; p > 0; --p)
    out.curve[p - 1] = advance(out.curve[p], std::max(mu_b[p], mu_b[p - 1]), std::max(defect[p], defect[p - 1]),
                               grid[p] - grid[p - 1]) + unresolved[p - 1];
  for (double& b : out.curve)
    if (std::isnan(b)) b = INFINITY;
  out.kind = plan.linear ? "bound" : "estimate";
  return out;
}

}  // namespace pinnc::post

#endif  // PINNC_POST_BOUND_H
