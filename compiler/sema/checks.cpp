// checks.cpp — checks over the whole problem (equations per unknown, conditions per
// order, unused parameters) and the numeric verification of exact solutions.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/names.h"
#include "sema/scope.h"
#include "symbolic/symbolic.h"

namespace pinnc::sema {

namespace {

bool mentions(const Unknown& u, sym::Expr e) {
  return std::any_of(u.derivs.begin(), u.derivs.end(),
                     [&](sym::SymbolId s) { return sym::depends_on(e, s); });
}

/// "add e.g. y'(0) = ..." : the derivatives not yet fixed at the first condition's point.
std::string missing_hint(const Problem& p, std::size_t j, int have) {
  const Unknown& u = p.unknowns[j];
  double point = p.t0;
  std::vector<bool> fixed(static_cast<std::size_t>(u.order), false);
  bool found = false;
  for (const Condition& c : p.conditions) {
    if (!mentions(u, c.g)) continue;
    if (!found) {
      point = c.point;
      found = true;
    }
    if (c.point == point && c.unknown && static_cast<std::size_t>(*c.unknown) == j &&
        *c.order < u.order)
      fixed[static_cast<std::size_t>(*c.order)] = true;
  }
  std::vector<std::string> adds;
  for (int k = 0; k < u.order && static_cast<int>(adds.size()) < u.order - have; ++k) {
    if (fixed[static_cast<std::size_t>(k)]) continue;
    adds.push_back(fmt::format("{}({}) = ...", primed(u.name, k), number_text(point)));
  }
  if (adds.empty()) return {};
  std::string out = "add e.g. " + adds[0];
  for (std::size_t i = 1; i < adds.size(); ++i)
    out += (i + 1 == adds.size() ? " and " : ", ") + adds[i];
  return out;
}

}  // namespace

void check_problem(State& st) {
  Problem& p = st.prob;
  const bool identifies = std::any_of(p.params.begin(), p.params.end(), [](const Param& q) { return q.identified; });
  std::size_t n_eq = st.equation_ranges.size();
  if (n_eq == 0 && p.unknowns.empty()) {
    st.diags.report(DiagId::NoEquations, SourceRange{})
        .hint("write an equation such as y' + k*y = 0, with conditions such as y(0) = 1");
    return;
  }
  bool all_differentiated = true;
  const std::vector<std::string> functions = st.function_names();
  std::vector<std::string> differentiated;
  for (const Unknown& u : p.unknowns)
    if (u.order > 0) differentiated.push_back(u.name);
  // Unknowns whose conditions were written under a misspelled name (y(0) = 1 for Y).
  std::vector<bool> conditions_misspelled(p.unknowns.size(), false);
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    const Unknown& u = p.unknowns[j];
    if (u.order > 0) continue;
    all_differentiated = false;
    if (j < st.misspelling_reported.size() && st.misspelling_reported[j]) continue;
    // A name that is never differentiated is most often a typo of a function (sni, Sin)
    // or of an unknown written with other letters' case (y for Y): say so first.
    if (auto best = closest_name(u.name, functions)) {
      st.diags.report(DiagId::Misspelled, u.first_use, {"function", u.name, *best});
      continue;
    }
    if (auto best = closest_name(u.name, differentiated)) {
      auto d = st.diags.report(DiagId::Misspelled, u.first_use, {"name", u.name, *best});
      if (*best != u.name && best->size() == u.name.size()) d.hint("names are case-sensitive");
      for (std::size_t i = 0; i < p.unknowns.size(); ++i)
        if (p.unknowns[i].name == *best && st.condition_stmts[j] > 0) conditions_misspelled[i] = true;
      continue;
    }
    auto d = st.diags.report(DiagId::NotDifferentiated, u.first_use, {u.name});
    d.hint("pinnc solves differential equations: use " + u.name + "' or d" + u.name + "/d" + st.indep_name +
           " in an equation");
  }
  // An undifferentiated unknown is usually a typo; its error says enough.
  if (n_eq != p.unknowns.size() && all_differentiated) {
    std::string names;
    for (std::size_t j = 0; j < p.unknowns.size(); ++j)
      names += (j == 0 ? "" : ", ") + p.unknowns[j].name;
    SourceRange at = n_eq > 0 ? st.equation_ranges.back() : p.unknowns.front().first_use;
    auto d = st.diags.report(DiagId::EquationCount, at,
                             {plural(n_eq, "equation"),
                              plural(p.unknowns.size(), "unknown") + (names.empty() ? "" : " (" + names + ")")});
    d.hint(n_eq < p.unknowns.size() ? "add an equation for each unknown"
                                    : "remove the extra equations, or check the unknowns' names");
  }
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    const Unknown& u = p.unknowns[j];
    if (u.order == 0 || st.raw_order[j] > u.order) continue;  // order errors come first
    if (conditions_misspelled[j]) continue;  // the misspelling's error says where they went
    // Condition statements, counted whether or not they passed their own checks.
    int have = st.condition_stmts[j];
    std::size_t need = static_cast<std::size_t>(u.order);
    if (have < u.order) {
      auto d = st.diags.report(DiagId::MissingConditions, st.order_range[j],
                               {u.name, plural(need, "condition"), std::to_string(u.order),
                                std::to_string(have)});
      std::string hint = missing_hint(p, j, have);
      if (!hint.empty()) d.hint(hint);
    } else if (have > u.order && !identifies) {  // extra conditions decide identified parameters
      st.diags.report(DiagId::ExtraConditions, st.order_range[j],
                      {u.name, plural(static_cast<std::size_t>(have), "condition"), std::to_string(u.order)});
    }
  }
  if (st.diags.has_errors()) return;  // uses inside failed expressions were not recorded
  for (std::size_t q = 0; q < p.params.size(); ++q)
    if (!st.param_used[q] && !p.params[q].identified)  // E-param-undetermined says it
      st.diags.report(DiagId::UnusedParam, p.params[q].range, {p.params[q].name});
}

void verify_exact(State& st) {
  Problem& p = st.prob;
  if (p.exact.empty()) return;
  sym::Context& ctx = st.ctx();
  std::size_t n_u = p.unknowns.size();
  auto K = static_cast<std::size_t>(p.order);
  // derivs[j][k] = d^k exact_j / dt^k, or empty when unknown j has no exact solution.
  std::vector<std::vector<sym::Expr>> derivs(n_u);
  for (const Exact& x : p.exact) {
    auto& d = derivs[static_cast<std::size_t>(x.unknown)];
    d.push_back(x.expr);
    for (std::size_t k = 1; k <= K; ++k) d.push_back(sym::diff(ctx, d.back(), p.indep));
  }
  auto covered = [&](sym::Expr e) {
    for (std::size_t j = 0; j < n_u; ++j)
      if (derivs[j].empty() && mentions(p.unknowns[j], e)) return false;
    return true;
  };
  // Fills the values of t, parameters and every known exact derivative at t; returns
  // the scale of the values involved (for a relative tolerance).
  auto fill = [&](double t, std::vector<double>& v) {
    v = st.values(t);
    double scale = 1;
    for (std::size_t j = 0; j < n_u; ++j) {
      if (derivs[j].empty()) continue;
      for (std::size_t k = 0; k <= K; ++k) {
        double x = sym::eval(ctx, derivs[j][k], v);
        v[p.unknowns[j].derivs[k]] = x;
        if (std::isfinite(x)) scale = std::max(scale, std::fabs(x));
      }
    }
    return scale;
  };
  constexpr double kRelTol = 1e-6;
  std::vector<double> v;
  for (const Equation& eq : p.equations) {
    if (!covered(eq.residual)) continue;
    for (double f : {0.1, 0.3, 0.5, 0.7, 0.9}) {
      double t = p.t0 + f * (p.t1 - p.t0);
      double scale = fill(t, v);
      double r = sym::eval(ctx, eq.residual, v);
      if (std::isfinite(r) && std::fabs(r) <= kRelTol * scale) continue;
      st.diags.report(DiagId::ExactMismatchEquation, eq.range,
                      {fmt::format("{:.3g}", r), p.indep_name, number_text(t)})
          .hint("check the 'exact' line; training still runs, but error reports use it");
      break;
    }
  }
  for (const Condition& c : p.conditions) {
    if (!covered(c.g)) continue;
    double scale = fill(c.point, v);
    double g = sym::eval(ctx, c.g, v);
    if (std::isfinite(g) && std::fabs(g) <= kRelTol * scale) continue;
    st.diags.report(DiagId::ExactMismatchCondition, c.range, {fmt::format("{:.3g}", g)});
  }
}

}  // namespace pinnc::sema
