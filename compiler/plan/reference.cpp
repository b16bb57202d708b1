// reference.cpp — the conditions of an IVP and the linearity of its equations in the
// highest derivatives, by symbolic differentiation.
#include "plan/reference.h"

#include <algorithm>

#include <fmt/format.h>

#include "symbolic/symbolic.h"

namespace pinnc::plan {

namespace {

/// Why the equations cannot be put in explicit form h = -M^-1 c, or "" when they can.
std::string explicit_form_problem(Problem& p) {
  sym::Context& ctx = *p.ctx;
  const int U = static_cast<int>(p.unknowns.size());
  if (static_cast<int>(p.equations.size()) != U) return "the number of equations differs from the number of unknowns";
  std::vector<sym::SymbolId> highest(U);
  for (int j = 0; j < U; ++j) {
    const Unknown& u = p.unknowns[j];
    if (u.order == 0) return fmt::format("'{}' appears without derivatives (an algebraic unknown)", u.name);
    highest[j] = u.derivs[u.order];
  }
  for (const Equation& eq : p.equations)
    for (int j = 0; j < U; ++j) {
      sym::Expr m = sym::diff(ctx, eq.residual, highest[j]);
      for (int i = 0; i < U; ++i)
        if (sym::depends_on(m, highest[i])) return fmt::format("line {} is not linear in the highest derivatives", eq.line);
    }
  return "";
}

}  // namespace

post::ReferencePlan plan_reference(Problem& p) {
  post::ReferencePlan plan;
  plan.variable = p.indep_name;
  const int U = static_cast<int>(p.unknowns.size());
  if (p.conditions.empty()) {
    plan.why_not = "the problem has no conditions";
    return plan;
  }
  // All conditions must be plain values at one point, one per unknown and order < m.
  const double a = p.conditions[0].point;
  std::vector<std::vector<int>> seen(U);
  for (const Condition& c : p.conditions) {
    if (!c.unknown || c.point != a) {
      plan.why_not = "the conditions are not all plain values at one point (a boundary value problem)";
      return plan;
    }
    seen[*c.unknown].push_back(*c.order);
  }
  for (int j = 0; j < U; ++j) {
    std::vector<int> s = seen[j];
    std::sort(s.begin(), s.end());
    for (int k = 0; k < p.unknowns[j].order; ++k)
      if (k >= static_cast<int>(s.size()) || s[k] != k) {
        plan.why_not = fmt::format("'{}' lacks an initial value of order {}", p.unknowns[j].name, k);
        return plan;
      }
  }
  plan.why_not = explicit_form_problem(p);
  if (!plan.why_not.empty()) return plan;
  std::vector<int> offset(U);
  int n_state = 0;
  for (int j = 0; j < U; ++j) offset[j] = n_state, n_state += p.unknowns[j].order;
  plan.x0.assign(n_state, 0.0);
  for (const Condition& cond : p.conditions) plan.x0[offset[*cond.unknown] + *cond.order] = cond.value;
  plan.a = a;
  plan.possible = true;
  return plan;
}

}  // namespace pinnc::plan
