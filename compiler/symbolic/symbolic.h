// symbolic.h — simplification, differentiation, evaluation and printing of expressions.
#ifndef PINNC_SYMBOLIC_SYMBOLIC_H
#define PINNC_SYMBOLIC_SYMBOLIC_H

#include <cstddef>
#include <optional>
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

/// The total derivative d e / d indep, with every unknown-derivative symbol u_j^(k) in e
/// treated as a function of indep: de/dt + sum_k de/du^(k) * u^(k+1). Creates the
/// u^(k+1) symbols (through Context::unknown_symbol) as needed. Simplified.
Expr total_diff(Context& ctx, Expr e, SymbolId indep);

/// True if e contains a division the simplifier has proved to be by zero: a node 0^p with a
/// negative constant p (x/0 is x * 0^-1; 0^-1 is never folded to inf). Call it on the
/// simplified expression: x/(y - y) only becomes x * 0^-1 after simplify.
bool is_division_by_zero(Expr e);

/// Evaluates with symbol values given by SymbolId (values.size() >= ctx.symbol_count()).
double eval(const Context& ctx, Expr e, std::span<const double> values);

/// Prints in the pinnc language; the output parses back to the same node.
/// Unknown derivative symbols print as y, y', y'', ...; precedence-minimal parentheses;
/// x * y^-1 prints as x/y, x + -1*y as x - y; numbers print with up to 17 significant
/// digits, shortest round-trip form.
std::string print(const Context& ctx, Expr e);

/// print(), unless the printed tree would have more than `max_nodes` nodes: the text of a
/// DAG is the size of the tree it unfolds to, which can be exponential in the DAG (a user
/// function f(u) = u + sin(u) applied to itself 100 times). nullopt when over the limit.
std::optional<std::string> print_bounded(const Context& ctx, Expr e, std::size_t max_nodes);

/// A number as print() writes it: the shortest of %.15g, %.16g, %.17g that reads back as
/// exactly v ("3", "0.1", "1e-05", "-2.5"); "inf", "-inf", "nan" for non-finite values.
std::string format_number(double v);

}  // namespace pinnc::sym

#endif  // PINNC_SYMBOLIC_SYMBOLIC_H
