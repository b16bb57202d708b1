// ops.cpp — the op table: each op's name, class, value and derivative rule, side by side.
#include "symbolic/ops.h"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "symbolic/expr.h"

namespace pinnc::sym {
namespace {

using Args = std::span<const Expr>;
using PartialFn = Expr (*)(Context& c, Args a, int i);

/// A Libm op's value in both precisions, from one generic definition.
struct Values {
  double (*f64)(const double* a) = nullptr;
  float (*f32)(const float* a) = nullptr;
};
template <class L>
constexpr Values values(L generic) {
  return {static_cast<double (*)(const double*)>(generic), static_cast<float (*)(const float*)>(generic)};
}

/// One row of the table: what OpInfo says, the value of a Libm op, and `partial`, the
/// derivative with respect to argument i as an expression of the arguments.
struct Rule {
  std::string_view name{};
  std::string_view function{};
  int arity = 0;
  OpClass cls = OpClass::Leaf;
  std::string_view libm{};
  Values value{};
  bool exact = false;
  SelectRule select{};
  bool integer_power = false;
  double smooth_lo = -3, smooth_hi = 3;
  double smooth2_lo = std::numeric_limits<double>::quiet_NaN(), smooth2_hi = std::numeric_limits<double>::quiet_NaN();
  bool jumps = false;  ///< the value jumps somewhere (see is_switch)
  PartialFn partial = nullptr;
};

// A Libm op on one or two arguments: the C function FN, through std::FN so that float
// arguments call FNf, exactly what the JIT calls and the emitted C++ writes.
#define PINNC_LIBM1(fn) \
  .cls = OpClass::Libm, .libm = #fn, .value = values([](auto a) { return std::fn(a[0]); })
#define PINNC_LIBM2(fn) \
  .cls = OpClass::Libm, .libm = #fn, .value = values([](auto a) { return std::fn(a[0], a[1]); })

// Select cases: if (lhs CMP rhs) return result, with arguments arg(i) and constants k(v).
constexpr SelectOperand arg(int i) { return {static_cast<int8_t>(i), 0}; }
constexpr SelectOperand k(double v) { return {-1, v}; }
constexpr SelectRule cases(SelectCase a, SelectCase b) { return {{a, b, {}}, 2}; }
constexpr SelectRule cases(SelectCase a, SelectCase b, SelectCase c) { return {{a, b, c}, 3}; }
/// A comparison a CMP b as 1 or 0: {a CMP b -> 1}, then {a NOT-CMP b -> 0} (the negation
/// written as the swapped strict/non-strict comparison, so NaN matches neither).
constexpr SelectRule compare(Cmp holds, Cmp fails_when) {
  return cases({arg(0), holds, arg(1), k(1)}, {arg(0), fails_when, arg(1), k(0)});
}

Expr zero(Context& c, Args, int) { return c.num(0); }

/// (1 -/+ a^2)^p, shared by asin/acos/atan.
Expr one_plus_sq(Context& c, Expr a, double sign, double p) {
  return c.pow(c.add(c.num(1), c.mul(c.num(sign), c.pow(a, c.num(2)))), c.num(p));
}

// The table. A switch with no `default:` (a new op without a row fails to compile under
// -Werror=switch); kRules is built at compile time.
constexpr Rule rule(Op op) {
  switch (op) {
    case Op::Const:
      return {.name = "const", .partial = zero};
    case Op::Symbol:
      return {.name = "symbol", .partial = zero};

    case Op::Add:  // d(a0 + a1 + ...)/d ai = 1
      return {.name = "+", .arity = -1, .cls = OpClass::Sum,
              .partial = [](Context& c, Args, int) { return c.num(1); }};
    case Op::Mul:  // d(a0 * a1 * ...)/d ai = product of the others
      return {.name = "*", .arity = -1, .cls = OpClass::Product,
              .partial = [](Context& c, Args a, int i) {
                std::vector<Expr> others;
                for (int j = 0; j < static_cast<int>(a.size()); ++j)
                  if (j != i) others.push_back(a[j]);
                return c.mul(others);
              }};
    case Op::Pow:  // d(a^b)/da = b a^(b-1);  d(a^b)/db = a^b log(a)
      return {.name = "^", .function = "pow", .arity = 2, PINNC_LIBM2(pow), .integer_power = true,
              .smooth_lo = 0.1, .smooth_hi = 2.5,
              .partial = [](Context& c, Args a, int i) {
                if (i == 0) return c.mul(a[1], c.pow(a[0], c.sub(a[1], c.num(1))));
                return c.mul(c.pow(a[0], a[1]), c.call(Op::Log, a[0]));
              }};

    case Op::Sin:  // sin' = cos
      return {.name = "sin", .function = "sin", .arity = 1, PINNC_LIBM1(sin), .smooth_lo = -4, .smooth_hi = 4,
              .partial = [](Context& c, Args a, int) { return c.call(Op::Cos, a[0]); }};
    case Op::Cos:  // cos' = -sin
      return {.name = "cos", .function = "cos", .arity = 1, PINNC_LIBM1(cos), .smooth_lo = -4, .smooth_hi = 4,
              .partial = [](Context& c, Args a, int) { return c.neg(c.call(Op::Sin, a[0])); }};
    case Op::Tan:  // tan' = 1 + tan^2
      return {.name = "tan", .function = "tan", .arity = 1, PINNC_LIBM1(tan), .smooth_lo = -1.3, .smooth_hi = 1.3,
              .partial = [](Context& c, Args a, int) {
                return c.add(c.num(1), c.pow(c.call(Op::Tan, a[0]), c.num(2)));
              }};
    case Op::Asin:  // asin' = (1 - a^2)^-1/2
      return {.name = "asin", .function = "asin", .arity = 1, PINNC_LIBM1(asin), .smooth_lo = -0.95,
              .smooth_hi = 0.95,
              .partial = [](Context& c, Args a, int) { return one_plus_sq(c, a[0], -1, -0.5); }};
    case Op::Acos:  // acos' = -(1 - a^2)^-1/2
      return {.name = "acos", .function = "acos", .arity = 1, PINNC_LIBM1(acos), .smooth_lo = -0.95,
              .smooth_hi = 0.95,
              .partial = [](Context& c, Args a, int) { return c.neg(one_plus_sq(c, a[0], -1, -0.5)); }};
    case Op::Atan:  // atan' = (1 + a^2)^-1
      return {.name = "atan", .function = "atan", .arity = 1, PINNC_LIBM1(atan), .smooth_lo = -5, .smooth_hi = 5,
              .partial = [](Context& c, Args a, int) { return one_plus_sq(c, a[0], 1, -1); }};
    case Op::Sinh:  // sinh' = cosh
      return {.name = "sinh", .function = "sinh", .arity = 1, PINNC_LIBM1(sinh),
              .partial = [](Context& c, Args a, int) { return c.call(Op::Cosh, a[0]); }};
    case Op::Cosh:  // cosh' = sinh
      return {.name = "cosh", .function = "cosh", .arity = 1, PINNC_LIBM1(cosh),
              .partial = [](Context& c, Args a, int) { return c.call(Op::Sinh, a[0]); }};
    case Op::Tanh:  // tanh' = 1 - tanh^2
      return {.name = "tanh", .function = "tanh", .arity = 1, PINNC_LIBM1(tanh),
              .partial = [](Context& c, Args a, int) {
                return c.sub(c.num(1), c.pow(c.call(Op::Tanh, a[0]), c.num(2)));
              }};
    case Op::Exp:  // exp' = exp
      return {.name = "exp", .function = "exp", .arity = 1, PINNC_LIBM1(exp),
              .partial = [](Context& c, Args a, int) { return c.call(Op::Exp, a[0]); }};
    case Op::Log:  // log' = 1/a
      return {.name = "log", .function = "log", .arity = 1, PINNC_LIBM1(log), .smooth_lo = 0.05, .smooth_hi = 5,
              .partial = [](Context& c, Args a, int) { return c.pow(a[0], c.num(-1)); }};
    case Op::Sqrt:  // sqrt' = 1 / (2 sqrt(a))
      return {.name = "sqrt", .function = "sqrt", .arity = 1, PINNC_LIBM1(sqrt), .exact = true, .smooth_lo = 0.05,
              .smooth_hi = 5, .partial = [](Context& c, Args a, int) {
                return c.mul(c.num(0.5), c.pow(c.call(Op::Sqrt, a[0]), c.num(-1)));
              }};
    case Op::Abs:  // abs' = sign
      return {.name = "abs", .function = "abs", .arity = 1, PINNC_LIBM1(fabs), .exact = true,
              .partial = [](Context& c, Args a, int) { return c.call(Op::Sign, a[0]); }};
    case Op::Sign:  // -1, 0, 1 (sign(-0) = 0); sign' = 0 (almost everywhere)
      return {.name = "sign", .function = "sign", .arity = 1, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Gt, k(0), k(1)}, {arg(0), Cmp::Lt, k(0), k(-1)},
                              {arg(0), Cmp::Eq, k(0), k(0)}),
              .jumps = true, .partial = zero};
    case Op::Step:  // Heaviside with H(0) = 1/2; step' = 0 (almost everywhere)
      return {.name = "step", .function = "step", .arity = 1, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Gt, k(0), k(1)}, {arg(0), Cmp::Lt, k(0), k(0)},
                              {arg(0), Cmp::Eq, k(0), k(0.5)}),
              .jumps = true, .partial = zero};
    case Op::Min:  // b < a ? b : a (a at a tie); d/da = step(b - a), d/db = step(a - b)
      return {.name = "min", .function = "min", .arity = 2, .cls = OpClass::Select,
              .select = cases({arg(1), Cmp::Lt, arg(0), arg(1)}, {arg(0), Cmp::Le, arg(1), arg(0)}),
              .partial = [](Context& c, Args a, int i) {
                return c.call(Op::Step, i == 0 ? c.sub(a[1], a[0]) : c.sub(a[0], a[1]));
              }};
    case Op::Max:  // b > a ? b : a (a at a tie); d/da = step(a - b), d/db = step(b - a)
      return {.name = "max", .function = "max", .arity = 2, .cls = OpClass::Select,
              .select = cases({arg(1), Cmp::Gt, arg(0), arg(1)}, {arg(0), Cmp::Ge, arg(1), arg(0)}),
              .partial = [](Context& c, Args a, int i) {
                return c.call(Op::Step, i == 0 ? c.sub(a[0], a[1]) : c.sub(a[1], a[0]));
              }};
    case Op::Erf:  // erf' = 2/sqrt(pi) exp(-a^2)
      return {.name = "erf", .function = "erf", .arity = 1, PINNC_LIBM1(erf),
              .partial = [](Context& c, Args a, int) {
                return c.mul(c.num(2 * std::numbers::inv_sqrtpi), c.call(Op::Exp, c.neg(c.pow(a[0], c.num(2)))));
              }};

    case Op::Erfc:  // erfc' = -2/sqrt(pi) exp(-a^2)
      return {.name = "erfc", .function = "erfc", .arity = 1, PINNC_LIBM1(erfc),
              .partial = [](Context& c, Args a, int) {
                return c.mul(c.num(-2 * std::numbers::inv_sqrtpi), c.call(Op::Exp, c.neg(c.pow(a[0], c.num(2)))));
              }};
    case Op::Log10:  // log10' = 1/(a ln 10)
      return {.name = "log10", .function = "log10", .arity = 1, PINNC_LIBM1(log10), .smooth_lo = 0.05,
              .smooth_hi = 5, .partial = [](Context& c, Args a, int) {
                return c.mul(c.num(1 / std::numbers::ln10), c.pow(a[0], c.num(-1)));
              }};
    case Op::Floor:  // floor' = 0 (almost everywhere); sampled between two integers
      return {.name = "floor", .function = "floor", .arity = 1, PINNC_LIBM1(floor), .exact = true,
              .smooth_lo = 0.1, .smooth_hi = 0.9, .jumps = true, .partial = zero};
    case Op::Fmod:  // fmod(a, b) = a - b trunc(a/b): d/da = 1, d/db = -trunc(a/b) = (fmod(a, b) - a)/b
      return {.name = "fmod", .function = "fmod", .arity = 2, PINNC_LIBM2(fmod), .exact = true,
              .smooth_lo = 2.1, .smooth_hi = 2.9, .smooth2_lo = 1.1, .smooth2_hi = 1.9, .jumps = true, .partial = [](Context& c, Args a, int i) {
                if (i == 0) return c.num(1);
                return c.div(c.sub(c.call(Op::Fmod, a[0], a[1]), a[0]), a[1]);
              }};
    case Op::Atan2:  // atan2(y, x): d/dy = x/(x^2 + y^2), d/dx = -y/(x^2 + y^2)
      return {.name = "atan2", .function = "atan2", .arity = 2, PINNC_LIBM2(atan2), .smooth_lo = 0.1,
              .smooth_hi = 2.5, .partial = [](Context& c, Args a, int i) {
                Expr r2 = c.add(c.pow(a[0], c.num(2)), c.pow(a[1], c.num(2)));
                return c.div(i == 0 ? a[1] : c.neg(a[0]), r2);
              }};
    case Op::Heav:  // 0 for a < 0, 1 for a >= 0 (XPPAUT's heav); derivative 0 almost everywhere
      return {.name = "heav", .function = "heav", .arity = 1, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Lt, k(0), k(0)}, {arg(0), Cmp::Ge, k(0), k(1)}), .jumps = true, .partial = zero};
    case Op::Lt:
      return {.name = "<", .arity = 2, .cls = OpClass::Select, .select = compare(Cmp::Lt, Cmp::Ge), .jumps = true, .partial = zero};
    case Op::Le:
      return {.name = "<=", .arity = 2, .cls = OpClass::Select, .select = compare(Cmp::Le, Cmp::Gt), .jumps = true, .partial = zero};
    case Op::Gt:
      return {.name = ">", .arity = 2, .cls = OpClass::Select, .select = compare(Cmp::Gt, Cmp::Le), .jumps = true, .partial = zero};
    case Op::Ge:
      return {.name = ">=", .arity = 2, .cls = OpClass::Select, .select = compare(Cmp::Ge, Cmp::Lt), .jumps = true, .partial = zero};
    case Op::Eq:  // a == b -> 1; a < b or a > b -> 0
      return {.name = "==", .arity = 2, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Eq, arg(1), k(1)}, {arg(0), Cmp::Lt, arg(1), k(0)},
                              {arg(0), Cmp::Gt, arg(1), k(0)}),
              .jumps = true, .partial = zero};
    case Op::Ne:
      return {.name = "!=", .arity = 2, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Eq, arg(1), k(0)}, {arg(0), Cmp::Lt, arg(1), k(1)},
                              {arg(0), Cmp::Gt, arg(1), k(1)}),
              .jumps = true, .partial = zero};
    case Op::Not:
      return {.name = "not", .function = "not", .arity = 1, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Eq, k(0), k(1)}, {arg(0), Cmp::Lt, k(0), k(0)},
                              {arg(0), Cmp::Gt, k(0), k(0)}),
              .jumps = true, .partial = zero};
    case Op::If:  // d/dc = 0, d/da = if(c, 1, 0), d/db = if(c, 0, 1); diff() uses if(c, da, db)
      return {.name = "if", .function = "if", .arity = 3, .cls = OpClass::Select,
              .select = cases({arg(0), Cmp::Eq, k(0), arg(2)}, {arg(0), Cmp::Lt, k(0), arg(1)},
                              {arg(0), Cmp::Gt, k(0), arg(1)}),
              .jumps = true, .partial = [](Context& c, Args a, int i) {
                if (i == 0) return c.num(0);
                Expr args[] = {a[0], c.num(i == 1 ? 1 : 0), c.num(i == 1 ? 0 : 1)};
                return c.call(Op::If, args);
              }};

    case Op::Count:
      break;
  }
  throw std::logic_error("pinnc bug: op without a rule in ops.cpp");
}

#undef PINNC_LIBM1
#undef PINNC_LIBM2

constexpr std::array<Rule, kOpCount> make_rules() {
  std::array<Rule, kOpCount> rules{};
  for (int i = 0; i < kOpCount; ++i) rules[i] = rule(static_cast<Op>(i));
  return rules;
}
constexpr std::array<Rule, kOpCount> kRules = make_rules();

// (Function pointers are not compared here: under -fsanitize they are not constants.
// A row without its value or rule fails every table-driven test.)
constexpr bool rows_are_consistent() {
  for (const Rule& r : kRules) {
    if ((r.cls == OpClass::Libm) != !r.libm.empty()) return false;
    if ((r.cls == OpClass::Select) != (r.select.n > 0)) return false;
    if (r.cls == OpClass::Libm && r.arity != 1 && r.arity != 2) return false;
    if (r.cls == OpClass::Select && (r.arity < 1 || r.arity > 3)) return false;
    if ((r.cls == OpClass::Sum || r.cls == OpClass::Product) != (r.arity == -1)) return false;
  }
  return true;
}
static_assert(rows_are_consistent(), "ops.cpp: a row's class does not match its fields");

constexpr std::array<OpInfo, kOpCount> make_infos() {
  std::array<OpInfo, kOpCount> infos{};
  for (int i = 0; i < kOpCount; ++i) {
    const Rule& r = kRules[i];
    infos[i] = {static_cast<Op>(i), r.name,   r.function,      r.arity,     r.cls,       r.libm,
                r.exact,            r.select, r.integer_power, r.smooth_lo, r.smooth_hi,
                std::isnan(r.smooth2_lo) ? r.smooth_lo : r.smooth2_lo,
                std::isnan(r.smooth2_hi) ? r.smooth_hi : r.smooth2_hi};
  }
  return infos;
}
constexpr std::array<OpInfo, kOpCount> kInfos = make_infos();

template <class T>
T libm_value(const Rule& r, const T* a) {
  if constexpr (std::is_same_v<T, float>) return r.value.f32(a);
  else return r.value.f64(a);
}

template <class T>
bool holds(Cmp cmp, T l, T r) {
  switch (cmp) {
    case Cmp::Lt: return l < r;
    case Cmp::Le: return l <= r;
    case Cmp::Gt: return l > r;
    case Cmp::Ge: return l >= r;
    case Cmp::Eq: return l == r;
  }
  return false;
}

template <class T>
T select_value(const SelectRule& s, const T* a) {
  auto get = [a](const SelectOperand& o) { return o.arg >= 0 ? a[o.arg] : static_cast<T>(o.value); };
  for (int i = 0; i < s.n; ++i) {
    const SelectCase& c = s.cases[static_cast<std::size_t>(i)];
    if (holds(c.cmp, get(c.lhs), get(c.rhs))) return get(c.result);
  }
  return std::numeric_limits<T>::quiet_NaN();
}

}  // namespace

const OpInfo& op_info(Op op) { return kInfos.at(static_cast<std::size_t>(op)); }

std::optional<Op> function_op(std::string_view name) {
  for (const OpInfo& info : kInfos)
    if (!info.function.empty() && info.function == name) return info.op;
  return std::nullopt;
}

bool is_switch(Op op) { return kRules[static_cast<std::size_t>(op)].jumps; }

template <class T>
T op_value(Op op, const T* a, int n) {
  const Rule& r = kRules[static_cast<std::size_t>(op)];
  switch (r.cls) {
    case OpClass::Leaf: break;
    case OpClass::Sum: {
      T s = a[0];
      for (int i = 1; i < n; ++i) s = s + a[i];
      return s;
    }
    case OpClass::Product: {
      T s = a[0];
      for (int i = 1; i < n; ++i) s = s * a[i];
      return s;
    }
    case OpClass::Libm: return libm_value(r, a);
    case OpClass::Select: return select_value(r.select, a);
  }
  return std::numeric_limits<T>::quiet_NaN();
}
template double op_value<double>(Op, const double*, int);
template float op_value<float>(Op, const float*, int);

double eval_op(Op op, const double* args, int n) { return op_value<double>(op, args, n); }

std::optional<int32_t> integer_exponent(double v) {
  if (!(v == std::floor(v)) || v == 0 || std::fabs(v) > kMaxIntExponent) return std::nullopt;
  return static_cast<int32_t>(v);
}

const Node* partial(Context& ctx, Op op, std::span<const Node* const> args, int i) {
  if (i < 0 || i >= static_cast<int>(args.size()))
    throw std::out_of_range("pinnc bug: partial() argument index out of range");
  return kRules[static_cast<std::size_t>(op)].partial(ctx, args, i);
}

}  // namespace pinnc::sym
