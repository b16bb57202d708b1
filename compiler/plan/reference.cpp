// reference.cpp — whether a classical reference solution exists, by the shape of the
// conditions and, symbolically, by how the equations depend on the unknowns.
#include "plan/reference.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "symbolic/symbolic.h"

namespace pinnc::plan {

namespace {

/// Why the equations cannot be put in explicit form h = -M^-1 c, or "" when they can.
/// (Each check below walks one expression once: checking the unknowns one by one made a
/// 64-unknown chain spend ~100 ms here, cubic in the number of unknowns.)
std::string explicit_form_problem(const Problem& p) {
  const int U = static_cast<int>(p.unknowns.size());
  const int K = p.order;
  std::vector<sym::SymbolId> highest(U);
  for (int j = 0; j < U; ++j) highest[j] = p.unknowns[j].derivs[p.unknowns[j].order];
  for (const Equation& eq : p.equations)
    for (int j = 0; j < U; ++j) {
      const sym::Expr m = eq.d_unknown[j * (K + 1) + p.unknowns[j].order];  // d residual / d highest_j
      if (sym::depends_on_any(m, highest)) return fmt::format("line {} is not linear in the highest derivatives", eq.line);
    }
  return "";
}

/// True when every equation is affine in every unknown and derivative (its partial
/// derivatives depend on none of them).
bool is_linear(const Problem& p) {
  for (const Equation& eq : p.equations)
    for (const sym::Expr& d : eq.d_unknown)
      if (d && sym::depends_on_kind(*p.ctx, d, sym::SymbolKind::Unknown)) return false;
  return true;
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
  if (static_cast<int>(p.equations.size()) != U) {
    plan.why_not = "the number of equations differs from the number of unknowns";
    return plan;
  }
  for (const Unknown& u : p.unknowns)
    if (u.order == 0) {
      plan.why_not = fmt::format("'{}' appears without derivatives (an algebraic unknown)", u.name);
      return plan;
    }
  // The plan holds the conditions' values as numbers; a value from an identified or a
  // ranged parameter is not one number (the reference would be solved for the guess, or
  // for the range's middle at every value).
  for (const Condition& c : p.conditions)
    for (const Param& q : p.params)
      if (q.variable() && sym::depends_on(c.g, q.symbol)) {
        plan.why_not = fmt::format("the condition on line {} depends on '{}', which {}", c.line, q.name,
                                   q.identified ? "is identified from the data" : "varies over its range");
        return plan;
      }
  bool all_plain = true;
  for (const Condition& c : p.conditions) all_plain = all_plain && c.unknown.has_value();
  plan.linear = is_linear(p);
  const std::string not_explicit = explicit_form_problem(p);
  plan.explicit_form = not_explicit.empty();

  // An initial value problem: every condition a plain value at one point a, orders
  // 0..m-1 of each unknown.
  const double a = p.conditions[0].point;
  bool one_point = all_plain;
  std::vector<std::vector<int>> seen(U);
  for (const Condition& c : p.conditions) {
    one_point = one_point && c.point == a;
    if (c.unknown) seen[*c.unknown].push_back(*c.order);
  }
  bool complete = one_point;
  for (int j = 0; j < U && complete; ++j) {
    std::vector<int> s = seen[j];
    std::sort(s.begin(), s.end());
    for (int k = 0; k < p.unknowns[j].order; ++k)
      if (k >= static_cast<int>(s.size()) || s[k] != k) {
        if (one_point) {
          plan.why_not = fmt::format("'{}' lacks an initial value of order {}", p.unknowns[j].name, k);
          return plan;
        }
        complete = false;
        break;
      }
  }
  if (complete) {
    if (!plan.explicit_form) {
      plan.why_not = not_explicit;
      return plan;
    }
    std::vector<int> offset(U);
    int n_state = 0;
    for (int j = 0; j < U; ++j) offset[j] = n_state, n_state += p.unknowns[j].order;
    plan.x0.assign(n_state, 0.0);
    for (const Condition& cond : p.conditions) plan.x0[offset[*cond.unknown] + *cond.order] = cond.value;
    plan.a = a;
    plan.possible = true;
    return plan;
  }
  // A boundary value problem: spectral collocation needs as many conditions as the
  // orders add up to (the runtime's Newton solve does the rest).
  int total_order = 0;
  for (const Unknown& u : p.unknowns) total_order += u.order;
  if (static_cast<int>(p.conditions.size()) != total_order) {
    plan.why_not = fmt::format("{} conditions for equations of total order {} (a boundary value reference needs them equal)",
                               p.conditions.size(), total_order);
    return plan;
  }
  const int K = p.order;
  std::vector<double> values(p.ctx->symbol_count(), 0.0);
  for (const Param& q : p.params) values[q.symbol] = q.value;
  for (const Condition& c : p.conditions) {
    if (c.unknown) {
      if (*c.order >= p.unknowns[*c.unknown].order) {
        plan.why_not = fmt::format("the condition on line {} gives a derivative of the equation's order", c.line);
        return plan;
      }
      plan.values.push_back({*c.unknown, *c.order, c.point, c.value});
      continue;
    }
    // G(u) = sum_s a_s u_s + G(0) when every partial is free of the unknowns.
    post::AffineCondition cond;
    cond.point = c.point;
    values[p.indep] = c.point;
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= K; ++k) {
        const sym::Expr d = c.d_unknown[j * (K + 1) + k];
        if (!d) continue;
        if (sym::depends_on_kind(*p.ctx, d, sym::SymbolKind::Unknown)) {
          plan.why_not = fmt::format("the condition on line {} is not linear in the unknowns", c.line);
          return plan;
        }
        const double coefficient = sym::eval(*p.ctx, d, values);
        if (coefficient == 0) continue;
        if (k >= p.unknowns[j].order) {
          plan.why_not = fmt::format("the condition on line {} involves a derivative of the equation's order", c.line);
          return plan;
        }
        cond.terms.push_back({j, k, coefficient});
      }
    cond.value = -sym::eval(*p.ctx, c.g, values);  // G at u = 0 (the unknowns' symbols are 0 here)
    if (cond.terms.empty() || !std::isfinite(cond.value)) {
      plan.why_not = fmt::format("the condition on line {} does not involve the unknowns", c.line);
      return plan;
    }
    plan.affine.push_back(std::move(cond));
  }
  plan.boundary = true;
  plan.possible = true;
  return plan;
}

}  // namespace pinnc::plan
