// ops.h — the one operation table: each op's name, arity, class, value and derivative rule.
//
// The table defines what an op means. Its value is one templated definition
// (op_value<T>, for double and float) that sym::eval, the simplifier's constant folding
// and the interpreter call, and its class tells every backend how to emit it without a
// case per op: a `Libm` op is a call of the C library function `libm` (sinf for float), a
// `Select` op is a chain of comparisons described by data (`select`), `Sum`/`Product` are
// left-to-right folds. Adding an op is one enumerator here, one row in ops.cpp, and its
// name in the grammar's function list; the backends, the differentiator and the printer
// follow from the row. Switches over Op or OpClass have no `default:` and the build uses
// -Werror=switch, so a missing case is an error.
//
// NaN semantics (the same in sym::eval and every kernel backend): Libm ops are what the C
// library returns (pow(1, NaN) = 1, otherwise NaN in gives NaN out); Select ops (sign,
// step, min, max, comparisons) return NaN when any argument is NaN, except that if(c, a, b)
// ignores the branch it does not take; sums and products follow IEEE.
#ifndef PINNC_SYMBOLIC_OPS_H
#define PINNC_SYMBOLIC_OPS_H

#include <array>
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
  Erf,     ///< the error function
  // Added for conditionals and the XPPAUT reader (docs/XPPAUT.md); appended so that the
  // numbers of the ops above do not change.
  Erfc,    ///< 1 - erf
  Log10,
  Floor,   ///< the largest integer <= x (derivative 0 almost everywhere)
  Fmod,    ///< C's fmod: x - y*trunc(x/y), the sign of x
  Atan2,   ///< atan2(y, x), the angle of (x, y)
  Heav,    ///< XPPAUT's heav: 0 for x < 0, 1 for x >= 0 (1 at 0, unlike step)
  Lt, Le, Gt, Ge, Eq, Ne,  ///< comparisons: 1 when they hold, else 0 (NaN if an argument is)
  Not,     ///< 1 when x == 0, else 0
  If,      ///< if(c, a, b): a when c != 0, b when c == 0 (NaN when c is NaN)
  Count    ///< not an op: the number of ops (every table is this long)
};
inline constexpr int kOpCount = static_cast<int>(Op::Count);

/// How an op is evaluated and emitted; backends switch over this, not over Op.
enum class OpClass : uint8_t {
  Leaf,     ///< Const, Symbol: no arguments; each backend loads them itself
  Sum,      ///< a0 + a1 + ..., added left to right
  Product,  ///< a0 * a1 * ..., multiplied left to right
  Libm,     ///< elementwise call of the C library function `libm` on 1 or 2 arguments
  Select,   ///< the first case of `select` whose comparison holds; NaN if none does
};

/// A comparison of a Select case; ordered (false when either side is NaN).
enum class Cmp : uint8_t { Lt, Le, Gt, Ge, Eq };

/// An argument (arg >= 0) or the constant `value` (arg < 0).
struct SelectOperand {
  int8_t arg = -1;
  double value = 0;
};

/// `if (lhs CMP rhs) return result;`
struct SelectCase {
  SelectOperand lhs;
  Cmp cmp = Cmp::Eq;
  SelectOperand rhs;
  SelectOperand result;
};

/// A Select op's definition: cases tried in order, NaN when none holds (so any NaN
/// argument gives NaN, as every case compares an argument).
struct SelectRule {
  std::array<SelectCase, 3> cases{};
  int n = 0;
};

struct OpInfo {
  Op op;
  std::string_view name;      ///< as printed: "sin"; "+", "*", "^" for operators
  std::string_view function;  ///< the name a call uses in the language ("sin", "pow"), or ""
  int arity;                  ///< number of arguments; -1 for n-ary (Add, Mul)
  OpClass cls;
  std::string_view libm;  ///< Libm: the double-precision C function ("sin"; float: "sinf")
  /// Libm: correctly rounded (IEEE 754 requires it of sqrt and fabs), so a compiler may
  /// evaluate or vectorise it itself and still get the C library's bits.
  bool exact;
  SelectRule select;      ///< Select: the definition
  /// Pow: a constant exponent that is an integer n with 0 < |n| <= kMaxIntExponent is
  /// computed by repeated multiplication (powi) everywhere, not by pow().
  bool integer_power;
  /// An interval on which each argument may vary and the op is smooth except on a set
  /// of measure zero: where the derivative tests sample it.
  double smooth_lo, smooth_hi;
  /// The same for the second argument when it differs (fmod jumps where a = b, so its two
  /// arguments are sampled apart); NaN: the interval above.
  double smooth2_lo, smooth2_hi;
};

/// The table row of an op.
const OpInfo& op_info(Op op);
/// The function op called `name` in the language (sin, cos, ..., pow, min, max), if any.
std::optional<Op> function_op(std::string_view name);

/// True for the comparison ops (Lt ... Ne), which print and parse as infix operators.
inline bool is_comparison(Op op) { return op >= Op::Lt && op <= Op::Ne; }
/// True for ops whose value jumps (derivative 0 almost everywhere, not defined at the
/// jump): a problem using one "has switches" (the report says so).
bool is_switch(Op op);

/// The value of `op` on evaluated arguments (n = argument count) in precision T (double
/// or float): the semantics of every backend. Const and Symbol are not evaluated here.
template <class T>
T op_value(Op op, const T* args, int n);
extern template double op_value<double>(Op, const double*, int);
extern template float op_value<float>(Op, const float*, int);

/// op_value<double>.
double eval_op(Op op, const double* args, int n);

/// Largest |n| for which x^n with a constant integer n is repeated multiplication.
inline constexpr int kMaxIntExponent = 16;

/// n when a constant exponent is computed by repeated multiplication (see
/// OpInfo::integer_power): an integer with 0 < |n| <= kMaxIntExponent.
std::optional<int32_t> integer_exponent(double exponent);

/// x^n by repeated multiplication, in the order every backend uses: ((x*x)*x)..., and
/// 1/x^|n| for negative n.
template <class T>
inline T powi(T x, int32_t n) {
  const int32_t m = n < 0 ? -n : n;
  T r = x;
  for (int32_t i = 1; i < m; ++i) r = r * x;
  return n < 0 ? T(1) / r : r;
}

/// The op's derivative rule, written beside its evaluation in ops.cpp: the partial
/// derivative d op(args) / d args[i] as an expression of the arguments.
const Node* partial(Context& ctx, Op op, std::span<const Node* const> args, int i);

}  // namespace pinnc::sym

#endif  // PINNC_SYMBOLIC_OPS_H
