// symbolic.h — simplification, differentiation, evaluation and printing of expressions.
#ifndef PINNC_SYMBOLIC_SYMBOLIC_H
#define PINNC_SYMBOLIC_SYMBOLIC_H

#include <span>
#include <string>

#include "symbolic/expr.h"

namespace pinnc::sym {

/// Full simplification: constant folding, neutral and absorbing elements, like terms
/// (x + 2x -> 3x), powers of like bases (x*x -> x^2), canonical operand order, and
/// elementary identities that are always valid (exp(log x) stays, log(exp x) -> x, ...).
/// Idempotent: simplify(simplify(e)) == simplify(e).
Expr simplify(Context& ctx, Expr e);

/// d e / d s, simplified. Uses the op table's derivative rules.
Expr diff(Context& ctx, Expr e, SymbolId s);

/// Evaluates with symbol values given by SymbolId (values.size() >= ctx.symbol_count()).
double eval(const Context& ctx, Expr e, std::span<const double> values);

/// Prints in the pinnc language; the output parses back to the same node.
/// Unknown derivative symbols print as y, y', y'', ...; precedence-minimal parentheses;
/// x * y^-1 prints as x/y, x + -1*y as x - y; numbers print with up to 17 significant
/// digits, shortest round-trip form.
std::string print(const Context& ctx, Expr e);

}  // namespace pinnc::sym

#endif  // PINNC_SYMBOLIC_SYMBOLIC_H
