// reference.h — a classical reference solution for initial value problems: Boost.Odeint's
// Dormand–Prince 5(4) on the first-order form of the problem, computed from the problem's
// own residual kernel (kernel_abi.h), so `pinnc train` and an emitted solver get the same
// reference bit for bit.
//
// The compiler decides whether a reference exists (ReferencePlan: every condition a plain
// value u_j^(k)(a) = c at one point a, orders 0..m_j-1 of each unknown given, as many
// equations as unknowns, each equation affine in the unknowns' highest derivatives).
// Then R(t, x, h) = c(t, x) + M(t, x) h with h the highest derivatives, and the residual
// kernel at h = 0 gives r = c and the partials dR_e/du_j^(m_j) = M_ej (the entries of the
// sparse pattern residual_partials with k = m_j; unlisted ones are zero): the explicit
// form is h = -M^-1 c, solved pointwise with a full-pivot LU.
#ifndef PINNC_POST_REFERENCE_H
#define PINNC_POST_REFERENCE_H

#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <boost/numeric/odeint.hpp>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"

namespace pinnc::post {

struct ReferenceResult {
  bool ok = false;
  std::vector<std::vector<double>> values;  ///< values[j][i] = u_j(grid[i])
  std::string method;                       ///< e.g. "Dormand-Prince 5(4), ..."
  std::string why_not;                      ///< when !ok
};

/// Integrates the problem from plan.a forwards over the grid points > a and backwards
/// over those < a (`grid` ascending). `params`: [Q] parameter values.
inline ReferenceResult solve_reference(const pinnc_problem& pb, const ReferencePlan& plan,
                                       const std::vector<double>& grid, const double* params) {
  ReferenceResult out;
  if (!plan.possible) {
    out.why_not = plan.why_not;
    return out;
  }
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const int S = U * (K + 1);
  std::vector<int> offset(static_cast<std::size_t>(U));
  int n_state = 0;
  for (int j = 0; j < U; ++j) offset[std::size_t(j)] = n_state, n_state += pb.unknown_order[j];
  if (E != U || n_state != int(plan.x0.size()) || !pb.kernels.residual_f64) {
    out.why_not = "pinnc bug: the reference plan does not match the problem";
    return out;
  }
  using State = std::vector<double>;
  // Where dR_e/du_j^(m_j) sits in the kernel's sparse partials (-1: identically zero).
  const pinnc_pattern& pat = pb.residual_partials;
  std::vector<int> m_entry(static_cast<std::size_t>(E) * U, -1);
  for (int n = 0; n < pat.n; ++n) {
    const int e = pat.row[n], s = pat.col[n], j = s / (K + 1), k = s % (K + 1);
    if (k == pb.unknown_order[j]) m_entry[std::size_t(e * U + j)] = n;
  }
  std::vector<double> u(static_cast<std::size_t>(S), 0.0), r(static_cast<std::size_t>(E)),
      dr(static_cast<std::size_t>(pat.n > 0 ? pat.n : 1));
  Eigen::MatrixXd M(U, U);
  Eigen::VectorXd c(U);
  bool singular = false;
  auto rhs = [&](const State& x, State& dxdt, double t) {
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= K; ++k)
        u[std::size_t(j * (K + 1) + k)] = k < pb.unknown_order[j] ? x[std::size_t(offset[std::size_t(j)] + k)] : 0.0;
    pb.kernels.residual_f64(pb.kernels.ctx, 1, &t, u.data(), params, r.data(), dr.data(), nullptr);
    for (int e = 0; e < E; ++e) {
      c(e) = r[std::size_t(e)];
      for (int j = 0; j < U; ++j) {
        const int at = m_entry[std::size_t(e * U + j)];
        M(e, j) = at < 0 ? 0.0 : dr[std::size_t(at)];
      }
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(M);
    if (!lu.isInvertible()) singular = true;
    const Eigen::VectorXd h = lu.solve(-c);
    for (int j = 0; j < U; ++j) {
      const int off = offset[std::size_t(j)], m = pb.unknown_order[j];
      for (int k = 0; k + 1 < m; ++k) dxdt[std::size_t(off + k)] = x[std::size_t(off + k + 1)];
      dxdt[std::size_t(off + m - 1)] = h(j);
    }
  };
  out.values.assign(std::size_t(U), std::vector<double>(grid.size(), std::nan("")));
  out.method = "Dormand-Prince 5(4), adaptive, abs/rel tolerance 1e-12";
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (grid[i] == plan.a)
      for (int j = 0; j < U; ++j) out.values[std::size_t(j)][i] = plan.x0[std::size_t(offset[std::size_t(j)])];
  namespace ode = boost::numeric::odeint;
  auto stepper = ode::make_dense_output(1e-12, 1e-12, ode::runge_kutta_dopri5<State>());
  auto sweep = [&](bool forward) {
    std::vector<double> times{plan.a};
    std::vector<std::size_t> index{grid.size()};  // grid.size() marks the start point
    if (forward) {
      for (std::size_t i = 0; i < grid.size(); ++i)
        if (grid[i] > plan.a) times.push_back(grid[i]), index.push_back(i);
    } else {
      for (std::size_t i = grid.size(); i-- > 0;)
        if (grid[i] < plan.a) times.push_back(grid[i]), index.push_back(i);
    }
    if (times.size() < 2) return;
    std::size_t n = 0;
    State x = plan.x0;
    const double dt = (forward ? 1 : -1) * 1e-3 * (pb.t1 - pb.t0);
    ode::integrate_times(
        stepper, rhs, x, times.begin(), times.end(), dt,
        [&](const State& s, double) {
          if (n >= index.size()) return;
          const std::size_t i = index[n++];
          if (i == grid.size()) return;
          for (int j = 0; j < U; ++j) out.values[std::size_t(j)][i] = s[std::size_t(offset[std::size_t(j)])];
        },
        ode::max_step_checker(200000));
  };
  // Where the solution stops being finite, seen from the initial point: the last grid
  // point on each side before the first non-finite value (a blow-up, e.g. y' = y^2).
  auto where_it_stops = [&]() -> std::string {
    std::size_t a_index = 0;
    while (a_index < grid.size() && grid[a_index] < plan.a) ++a_index;
    auto finite_at = [&](std::size_t i) {
      for (const auto& row : out.values)
        if (!std::isfinite(row[i])) return false;
      return true;
    };
    for (std::size_t i = a_index; i < grid.size(); ++i)
      if (!finite_at(i))
        return format(" beyond %s = %s (it blows up or is not defined there)", plan.variable.c_str(),
                      shortest(i > a_index ? grid[i - 1] : plan.a).c_str());
    for (std::size_t i = a_index; i-- > 0;)
      if (!finite_at(i))
        return format(" before %s = %s (it blows up or is not defined there)", plan.variable.c_str(),
                      shortest(i + 1 < grid.size() ? grid[i + 1] : plan.a).c_str());
    return " on the interval";
  };
  try {
    sweep(true);
    sweep(false);
  } catch (const std::exception& e) {
    out.why_not = std::string("the reference integrator failed") + where_it_stops() + ": " + e.what();
    return out;
  }
  if (singular) {
    out.why_not = "the equations cannot be solved for the highest derivatives everywhere";
    return out;
  }
  for (const auto& row : out.values)
    for (double v : row)
      if (!std::isfinite(v)) {
        out.why_not = "the reference solution is not finite" + where_it_stops();
        return out;
      }
  out.ok = true;
  return out;
}

}  // namespace pinnc::post

#endif  // PINNC_POST_REFERENCE_H
