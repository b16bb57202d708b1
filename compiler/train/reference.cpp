// reference.cpp — explicit form by symbolic differentiation, then Dormand-Prince 5(4).
#include "train/reference.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

#include "symbolic/symbolic.h"

namespace pinnc::train {

namespace {

using State = std::vector<double>;

struct ExplicitForm {
  std::vector<sym::Expr> coeff;    ///< M[e*U + j] = d r_e / d u_j^(m_j)
  std::vector<sym::Expr> rest;     ///< c[e] = r_e with the highest derivatives set to 0
  std::vector<int> state_offset;   ///< where unknown j's u^(0..m_j-1) start in the state
  int state_size = 0;
};

std::optional<ExplicitForm> explicit_form(Problem& p, std::string& why) {
  sym::Context& ctx = *p.ctx;
  const int U = static_cast<int>(p.unknowns.size());
  if (static_cast<int>(p.equations.size()) != U) {
    why = "the number of equations differs from the number of unknowns";
    return std::nullopt;
  }
  ExplicitForm f;
  std::unordered_map<sym::SymbolId, sym::Expr> zero_highest;
  std::vector<sym::SymbolId> highest(U);
  for (int j = 0; j < U; ++j) {
    const Unknown& u = p.unknowns[j];
    if (u.order == 0) {
      why = fmt::format("'{}' appears without derivatives (an algebraic unknown)", u.name);
      return std::nullopt;
    }
    highest[j] = u.derivs[u.order];
    zero_highest.emplace(highest[j], ctx.num(0));
    f.state_offset.push_back(f.state_size);
    f.state_size += u.order;
  }
  for (const Equation& eq : p.equations) {
    for (int j = 0; j < U; ++j) {
      sym::Expr m = sym::diff(ctx, eq.residual, highest[j]);
      for (int i = 0; i < U; ++i)
        if (sym::depends_on(m, highest[i])) {
          why = fmt::format("line {} is not linear in the highest derivatives", eq.line);
          return std::nullopt;
        }
      f.coeff.push_back(m);
    }
    f.rest.push_back(sym::simplify(ctx, sym::substitute(ctx, eq.residual, zero_highest)));
  }
  return f;
}

}  // namespace

ReferenceResult solve_reference(Problem& p, const std::vector<double>& grid,
                                const std::vector<double>& params) {
  ReferenceResult out;
  const int U = static_cast<int>(p.unknowns.size());
  // All conditions must be plain values at one point, one per unknown and order < m.
  if (p.conditions.empty()) {
    out.why_not = "the problem has no conditions";
    return out;
  }
  const double a = p.conditions[0].point;
  std::vector<std::vector<int>> seen(U);
  for (const Condition& c : p.conditions) {
    if (!c.unknown || c.point != a) {
      out.why_not = "the conditions are not all plain values at one point (a boundary value problem)";
      return out;
    }
    seen[*c.unknown].push_back(*c.order);
  }
  for (int j = 0; j < U; ++j) {
    std::vector<int> s = seen[j];
    std::sort(s.begin(), s.end());
    for (int k = 0; k < p.unknowns[j].order; ++k)
      if (k >= static_cast<int>(s.size()) || s[k] != k) {
        out.why_not = fmt::format("'{}' lacks an initial value of order {}", p.unknowns[j].name, k);
        return out;
      }
  }
  auto form = explicit_form(p, out.why_not);
  if (!form) return out;

  const sym::Context& ctx = *p.ctx;
  std::vector<double> values(ctx.symbol_count(), 0.0);
  for (std::size_t q = 0; q < p.params.size(); ++q)
    values[p.params[q].symbol] = q < params.size() ? params[q] : p.params[q].value;
  Eigen::MatrixXd M(U, U);
  Eigen::VectorXd c(U);
  bool singular = false;
  auto rhs = [&](const State& x, State& dxdt, double t) {
    values[p.indep] = t;
    for (int j = 0; j < U; ++j)
      for (int k = 0; k < p.unknowns[j].order; ++k)
        values[p.unknowns[j].derivs[k]] = x[form->state_offset[j] + k];
    for (int e = 0; e < U; ++e) {
      c(e) = sym::eval(ctx, form->rest[e], values);
      for (int j = 0; j < U; ++j) M(e, j) = sym::eval(ctx, form->coeff[e * U + j], values);
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(M);
    if (!lu.isInvertible()) singular = true;
    Eigen::VectorXd h = lu.solve(-c);
    for (int j = 0; j < U; ++j) {
      const int off = form->state_offset[j], m = p.unknowns[j].order;
      for (int k = 0; k + 1 < m; ++k) dxdt[off + k] = x[off + k + 1];
      dxdt[off + m - 1] = h(j);
    }
  };
  State x0(form->state_size, 0.0);
  for (const Condition& cond : p.conditions) x0[form->state_offset[*cond.unknown] + *cond.order] = cond.value;

  Reference ref;
  ref.values.assign(U, std::vector<double>(grid.size(), std::nan("")));
  ref.method = "Dormand-Prince 5(4), adaptive, abs/rel tolerance 1e-12";
  namespace ode = boost::numeric::odeint;
  auto stepper = ode::make_dense_output(1e-12, 1e-12, ode::runge_kutta_dopri5<State>());
  // Integrate from a forwards over the grid points > a and backwards over those < a;
  // points equal to a take the initial values.
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (grid[i] == a)
      for (int j = 0; j < U; ++j) ref.values[j][i] = x0[form->state_offset[j]];
  auto sweep = [&](bool forward) {
    std::vector<double> times{a};
    std::vector<std::size_t> index{grid.size()};  // grid.size() marks the start point
    if (forward) {
      for (std::size_t i = 0; i < grid.size(); ++i)
        if (grid[i] > a) times.push_back(grid[i]), index.push_back(i);
    } else {
      for (std::size_t i = grid.size(); i-- > 0;)
        if (grid[i] < a) times.push_back(grid[i]), index.push_back(i);
    }
    if (times.size() < 2) return;
    std::size_t n = 0;
    State x = x0;
    const double dt = (forward ? 1 : -1) * 1e-3 * (p.t1 - p.t0);
    ode::integrate_times(stepper, rhs, x, times.begin(), times.end(), dt, [&](const State& s, double) {
      if (n >= index.size()) return;
      std::size_t i = index[n++];
      if (i == grid.size()) return;
      for (int j = 0; j < U; ++j) ref.values[j][i] = s[form->state_offset[j]];
    }, ode::max_step_checker(200000));
  };
  try {
    sweep(true);
    sweep(false);
  } catch (const std::exception& e) {
    out.why_not = std::string("the reference integrator failed: ") + e.what();
    return out;
  }
  if (singular) {
    out.why_not = "the equations cannot be solved for the highest derivatives everywhere";
    return out;
  }
  for (const auto& row : ref.values)
    for (double v : row)
      if (!std::isfinite(v)) {
        out.why_not = "the reference solution is not finite on the interval";
        return out;
      }
  out.reference = std::move(ref);
  return out;
}

}  // namespace pinnc::train
