// sema.h — semantic analysis: the syntax tree -> the checked Problem (or diagnostics).
#ifndef PINNC_SEMA_SEMA_H
#define PINNC_SEMA_SEMA_H

#include <optional>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"
#include "frontend/source.h"
#include "sema/problem.h"

namespace pinnc {

/// Choices of the caller.
struct SemaOptions {
  /// Read the files of `data` statements (false when a model is re-created from its
  /// stored source: its parameters are already identified, and its data may have moved).
  bool read_data = true;
};

/// Resolves names, discovers unknowns and their orders, evaluates parameters and the
/// interval, inlines user functions, derives each residual and its partial derivatives,
/// and runs every check of the language (conditions per order, points in the interval,
/// exact solutions verified numerically, ...). Returns the Problem when no error was
/// reported (warnings allowed); otherwise nullopt, with the errors in `diags`.
std::optional<Problem> analyze(const ast::Program& program, const SourceFile& src,
                               DiagnosticEngine& diags, const SemaOptions& options = {});

/// Converts one expression, parsed from `src`, in the scope of a checked problem: the
/// independent variable, parameters, user functions and unknowns with their derivatives
/// (y, y', dy/dt, y(t)). For the REPL and for print -> parse round trips. Returns null
/// after reporting an error.
sym::Expr expression_in(Problem& problem, const ast::Expr& e, const SourceFile& src,
                        DiagnosticEngine& diags);

}  // namespace pinnc

#endif  // PINNC_SEMA_SEMA_H
