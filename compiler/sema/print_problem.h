// print_problem.h — human-readable text of a checked Problem (for `pinnc check` and the REPL).
#ifndef PINNC_SEMA_PRINT_PROBLEM_H
#define PINNC_SEMA_PRINT_PROBLEM_H

#include <string>

#include "sema/problem.h"

namespace pinnc {

/// The whole problem: interval, parameters, unknowns with orders, each equation with its
/// residual and non-zero partial derivatives, conditions, exact solutions, settings.
/// Deterministic: the same input gives the same bytes.
std::string describe(const Problem& p);

/// One equation's residual and its non-zero partials, indented by `indent` spaces.
std::string describe_equation(const Problem& p, std::size_t index, int indent = 2);

/// The symbolic IR: every node reachable from residuals, partials and conditions, in
/// topological order, one per line (`%12 = mul %3 %7`), then the roots.
std::string dump_ir(const Problem& p);

}  // namespace pinnc

#endif  // PINNC_SEMA_PRINT_PROBLEM_H
