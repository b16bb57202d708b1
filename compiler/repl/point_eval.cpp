// point_eval.cpp — see point_eval.h.
#include "repl/point_eval.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sema/sema.h"
#include "symbolic/symbolic.h"

namespace pinnc::repl {

namespace {

std::optional<int> unknown_index(const Problem& p, const std::string& name) {
  for (std::size_t j = 0; j < p.unknowns.size(); ++j)
    if (p.unknowns[j].name == name) return static_cast<int>(j);
  return std::nullopt;
}

class PointEvaluator {
 public:
  PointEvaluator(Problem& p, const SourceFile& src, const SolutionFn& solution, int max_order,
                 DiagnosticEngine& diags, std::vector<Message>* messages)
      : p_(p), src_(src), solution_(solution), max_order_(max_order), diags_(diags), messages_(messages) {}

  /// Replaces every unknown's point value in `e` by a number; false after an error.
  bool rewrite(ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Name:
        if (e.name == p_.indep_name && e.primes == 0) {
          error(e.range, fmt::format("'{}' has no value here: the REPL evaluates numbers, not functions of {}",
                                     e.name, e.name),
                example());
          return false;
        }
        if (unknown_index(p_, e.name)) {
          error(e.range, fmt::format("'{}' is a function of {}; evaluate it at a point", src_.slice(e.range),
                                     p_.indep_name),
                example());
          return false;
        }
        break;
      case ast::ExprKind::DerivFrac:
        if (unknown_index(p_, e.name)) {
          error(e.range, fmt::format("'{}' is a function of {}; evaluate it at a point", src_.slice(e.range),
                                     p_.indep_name),
                example());
          return false;
        }
        break;
      case ast::ExprKind::Call:
        if (std::optional<int> j = unknown_index(p_, e.name)) return point_value(e, *j);
        break;
      default:
        break;
    }
    bool ok = true;
    for (ast::ExprPtr& a : e.args)
      if (a) ok = rewrite(*a) && ok;
    return ok;
  }

  std::optional<double> value(const ast::Expr& e) {
    sym::Expr x = expression_in(p_, e, src_, diags_);
    if (!x) return std::nullopt;
    std::vector<double> values(p_.ctx->symbol_count(), std::numeric_limits<double>::quiet_NaN());
    for (const Param& q : p_.params) values[q.symbol] = q.value;
    return sym::eval(*p_.ctx, x, values);
  }

 private:
  std::string example() const {
    std::string u = p_.unknowns.empty() ? "y" : p_.unknowns.front().name;
    return fmt::format("write e.g. {}({}) or {}'({})", u, fmt::format("{}", p_.t1), u, fmt::format("{}", p_.t0));
  }

  void error(SourceRange r, std::string text, std::string hint = {}) {
    Message m{Severity::Error, r, std::move(text), {}};
    if (!hint.empty()) m.hints.push_back(std::move(hint));
    messages_->push_back(std::move(m));
  }

  bool point_value(ast::Expr& e, int j) {
    bool ok = true;
    for (ast::ExprPtr& a : e.args)
      if (a) ok = rewrite(*a) && ok;
    if (!ok) return false;
    const std::string shown = e.name + std::string(static_cast<std::size_t>(e.primes), '\'');
    if (e.args.size() != 1) {
      error(e.range, fmt::format("'{}' takes one argument, the point where it is evaluated", shown), example());
      return false;
    }
    if (e.primes > max_order_) {
      error(e.name_range,
            fmt::format("{} is not available: the trained solution gives derivatives up to order {}", shown,
                        max_order_));
      return false;
    }
    std::optional<double> t = value(*e.args[0]);
    if (!t) return false;
    if (!std::isfinite(*t)) {
      error(e.args[0]->range, fmt::format("the point evaluates to {}", sym::format_number(*t)));
      return false;
    }
    if (!solution_) {
      error(e.range, "there is no trained solution yet", "train one with :train");
      return false;
    }
    if (*t < p_.t0 || *t > p_.t1)
      messages_->push_back(Message{Severity::Warning, e.range,
                                   fmt::format("{} = {} lies outside the interval [{}, {}]: the value is "
                                               "extrapolated, which a trained network does poorly",
                                               p_.indep_name, sym::format_number(*t), sym::format_number(p_.t0),
                                               sym::format_number(p_.t1)),
                                   {}});
    std::optional<double> found = solution_(j, e.primes, *t);
    if (!found) {
      error(e.range, fmt::format("the trained solution has no '{}': it was trained before '{}' was added", e.name,
                                 e.name),
            "train again with :train");
      return false;
    }
    double v = *found;
    e.kind = ast::ExprKind::Number;
    e.number = v;
    e.text = sym::format_number(v);
    e.name.clear();
    e.primes = 0;
    e.args.clear();
    return true;
  }

  Problem& p_;
  const SourceFile& src_;
  const SolutionFn& solution_;
  int max_order_;
  DiagnosticEngine& diags_;
  std::vector<Message>* messages_;
};

bool mentions(const Problem& p, const ast::Expr& e) {
  if ((e.kind == ast::ExprKind::Name || e.kind == ast::ExprKind::Call || e.kind == ast::ExprKind::DerivFrac) &&
      unknown_index(p, e.name))
    return true;
  for (const ast::ExprPtr& a : e.args)
    if (a && mentions(p, *a)) return true;
  return false;
}

}  // namespace

bool mentions_unknown(const Problem& problem, const ast::Expr& e) { return mentions(problem, e); }

std::optional<double> evaluate_at_points(Problem& problem, ast::Expr& e, const SourceFile& src,
                                         const SolutionFn& solution, int max_order, DiagnosticEngine& diags,
                                         std::vector<Message>* messages) {
  PointEvaluator ev(problem, src, solution, max_order, diags, messages);
  if (!ev.rewrite(e)) return std::nullopt;
  return ev.value(e);
}

}  // namespace pinnc::repl
