// ops.h — the one operation table: each op's name, arity, evaluation and derivative rule.
//
// Simplifier, differentiator, interpreter and both code generators switch over `Op`
// (STYLE.md §4): adding an op here makes every switch that misses it a compiler warning.
#ifndef PINNC_SYMBOLIC_OPS_H
#define PINNC_SYMBOLIC_OPS_H

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pinnc::sym {

class Node;
class Context;

enum class Op : uint8_t {
  Const,   ///< a number
  Symbol,  ///< a symbol (t, y, y', k, ...)
  Add,     ///< n-ary sum
  Mul,     ///< n-ary product
  Pow,     ///< base ^ exponent (division is x * y^-1, negation is -1 * x)
  Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Exp, Log, Sqrt, Abs,
  Sign,    ///< -1, 0, 1 (the derivative of abs)
  Step,    ///< Heaviside: 0 for x < 0, 1/2 at 0, 1 for x > 0 (derivatives of min/max)
  Min, Max,
};
inline constexpr int kOpCount = static_cast<int>(Op::Max) + 1;

struct OpInfo {
  Op op;
  std::string_view name;  ///< as written in the language ("sin"); "+", "*", "^" for operators
  int arity;              ///< number of arguments; -1 for n-ary (Add, Mul)
};

/// The table row of an op.
const OpInfo& op_info(Op op);
/// The function op called `name` in the language (sin, cos, ..., pow, min, max), if any.
std::optional<Op> function_op(std::string_view name);

/// Numeric evaluation of one op on already-evaluated arguments (n = argument count).
/// Const and Symbol are not evaluated here.
double eval_op(Op op, const double* args, int n);

/// The op's derivative rule, written beside its evaluation in ops.cpp: the partial
/// derivative d op(args) / d args[i] as an expression of the arguments.
const Node* partial(Context& ctx, Op op, std::span<const Node* const> args, int i);

}  // namespace pinnc::sym

#endif  // PINNC_SYMBOLIC_OPS_H
