// point_eval.h — evaluates an expression typed at the REPL in a trained solution:
// `y(2.5)`, `y'(1)`, `y(2.5) - exp(-k*5)`. Every value of an unknown at a point is
// replaced by the solution's value there; the rest is converted in the problem's scope
// (parameters, functions, builtins) by sema and evaluated numerically.
#ifndef PINNC_REPL_POINT_EVAL_H
#define PINNC_REPL_POINT_EVAL_H

#include <functional>
#include <optional>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"
#include "repl/console.h"
#include "sema/problem.h"

namespace pinnc::repl {

/// d^order u_unknown / dt^order at t, from a trained solution; nullopt when the solution
/// has no such unknown (it was trained before the unknown was added).
using SolutionFn = std::function<std::optional<double>(int unknown, int order, double t)>;

/// Evaluates `e` (parsed from `src`; rewritten in place). Each call `u^(k)(point)` of an
/// unknown u of `problem` takes `solution`'s value (k up to `max_order`); a point outside
/// the problem's interval gives a warning. Errors: a bare unknown or the variable (the
/// expression would be a function, not a number), a non-constant point, a too high
/// derivative, no solution (`solution` empty) — as Messages; name errors and the like as
/// the compiler's diagnostics in `diags`. nullopt after any error.
std::optional<double> evaluate_at_points(Problem& problem, ast::Expr& e, const SourceFile& src,
                                         const SolutionFn& solution, int max_order, DiagnosticEngine& diags,
                                         std::vector<Message>* messages);

/// True when `e` mentions an unknown of `problem` (so it needs a trained solution).
bool mentions_unknown(const Problem& problem, const ast::Expr& e);

}  // namespace pinnc::repl

#endif  // PINNC_REPL_POINT_EVAL_H
