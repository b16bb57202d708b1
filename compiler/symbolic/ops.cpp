// ops.cpp — the op table: each op's name, arity, value and derivative rule, side by side.
#include "symbolic/ops.h"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "symbolic/expr.h"

namespace pinnc::sym {
namespace {

using Args = std::span<const Expr>;
using EvalFn = double (*)(const double* a, int n);
using PartialFn = Expr (*)(Context& c, Args a, int i);

/// One row of the table. `eval` computes the op's value, `partial` its derivative with
/// respect to argument i, as an expression of the arguments.
struct Rule {
  std::string_view name;
  int arity;
  EvalFn eval;
  PartialFn partial;
};

// Heaviside step with H(0) = 1/2; NaN passes through.
double step_value(double x) { return x < 0 ? 0.0 : x > 0 ? 1.0 : x == 0 ? 0.5 : x; }
// -1, 0, 1; NaN passes through; sign(-0) = 0.
double sign_value(double x) { return x < 0 ? -1.0 : x > 0 ? 1.0 : x == 0 ? 0.0 : x; }

Expr zero(Context& c, Args, int) { return c.num(0); }
double not_evaluated(const double*, int) { return std::nan(""); }

/// (1 -/+ a^2)^p, shared by asin/acos/atan.
Expr one_plus_sq(Context& c, Expr a, double sign, double p) {
  return c.pow(c.add(c.num(1), c.mul(c.num(sign), c.pow(a, c.num(2)))), c.num(p));
}

// The table. A switch with no `default:`, so a new op without a row is a -Wswitch warning,
// and (because kRules is built at compile time) a hard error if it reaches the throw.
constexpr Rule rule(Op op) {
  switch (op) {
    case Op::Const:
      return {"const", 0, not_evaluated, zero};
    case Op::Symbol:
      return {"symbol", 0, not_evaluated, zero};

    case Op::Add:  // d(a0 + a1 + ...)/d ai = 1
      return {"+", -1,
              [](const double* a, int n) {
                double s = 0;
                for (int i = 0; i < n; ++i) s += a[i];
                return s;
              },
              [](Context& c, Args, int) { return c.num(1); }};
    case Op::Mul:  // d(a0 * a1 * ...)/d ai = product of the others
      return {"*", -1,
              [](const double* a, int n) {
                double p = 1;
                for (int i = 0; i < n; ++i) p *= a[i];
                return p;
              },
              [](Context& c, Args a, int i) {
                std::vector<Expr> others;
                for (int j = 0; j < static_cast<int>(a.size()); ++j)
                  if (j != i) others.push_back(a[j]);
                return c.mul(others);
              }};
    case Op::Pow:  // d(a^b)/da = b a^(b-1);  d(a^b)/db = a^b log(a)
      return {"^", 2,
              [](const double* a, int) {
                // Exact forms for the two exponents the printer relies on (x/n and x^2).
                if (a[1] == -1) return 1.0 / a[0];
                if (a[1] == 2) return a[0] * a[0];
                return std::pow(a[0], a[1]);
              },
              [](Context& c, Args a, int i) {
                if (i == 0) return c.mul(a[1], c.pow(a[0], c.sub(a[1], c.num(1))));
                return c.mul(c.pow(a[0], a[1]), c.call(Op::Log, a[0]));
              }};

    case Op::Sin:  // sin' = cos
      return {"sin", 1, [](const double* a, int) { return std::sin(a[0]); },
              [](Context& c, Args a, int) { return c.call(Op::Cos, a[0]); }};
    case Op::Cos:  // cos' = -sin
      return {"cos", 1, [](const double* a, int) { return std::cos(a[0]); },
              [](Context& c, Args a, int) { return c.neg(c.call(Op::Sin, a[0])); }};
    case Op::Tan:  // tan' = 1 + tan^2
      return {"tan", 1, [](const double* a, int) { return std::tan(a[0]); },
              [](Context& c, Args a, int) {
                return c.add(c.num(1), c.pow(c.call(Op::Tan, a[0]), c.num(2)));
              }};
    case Op::Asin:  // asin' = (1 - a^2)^-1/2
      return {"asin", 1, [](const double* a, int) { return std::asin(a[0]); },
              [](Context& c, Args a, int) { return one_plus_sq(c, a[0], -1, -0.5); }};
    case Op::Acos:  // acos' = -(1 - a^2)^-1/2
      return {"acos", 1, [](const double* a, int) { return std::acos(a[0]); },
              [](Context& c, Args a, int) { return c.neg(one_plus_sq(c, a[0], -1, -0.5)); }};
    case Op::Atan:  // atan' = (1 + a^2)^-1
      return {"atan", 1, [](const double* a, int) { return std::atan(a[0]); },
              [](Context& c, Args a, int) { return one_plus_sq(c, a[0], 1, -1); }};
    case Op::Sinh:  // sinh' = cosh
      return {"sinh", 1, [](const double* a, int) { return std::sinh(a[0]); },
              [](Context& c, Args a, int) { return c.call(Op::Cosh, a[0]); }};
    case Op::Cosh:  // cosh' = sinh
      return {"cosh", 1, [](const double* a, int) { return std::cosh(a[0]); },
              [](Context& c, Args a, int) { return c.call(Op::Sinh, a[0]); }};
    case Op::Tanh:  // tanh' = 1 - tanh^2
      return {"tanh", 1, [](const double* a, int) { return std::tanh(a[0]); },
              [](Context& c, Args a, int) {
                return c.sub(c.num(1), c.pow(c.call(Op::Tanh, a[0]), c.num(2)));
              }};
    case Op::Exp:  // exp' = exp
      return {"exp", 1, [](const double* a, int) { return std::exp(a[0]); },
              [](Context& c, Args a, int) { return c.call(Op::Exp, a[0]); }};
    case Op::Log:  // log' = 1/a
      return {"log", 1, [](const double* a, int) { return std::log(a[0]); },
              [](Context& c, Args a, int) { return c.pow(a[0], c.num(-1)); }};
    case Op::Sqrt:  // sqrt' = 1 / (2 sqrt(a))
      return {"sqrt", 1, [](const double* a, int) { return std::sqrt(a[0]); },
              [](Context& c, Args a, int) {
                return c.mul(c.num(0.5), c.pow(c.call(Op::Sqrt, a[0]), c.num(-1)));
              }};
    case Op::Abs:  // abs' = sign
      return {"abs", 1, [](const double* a, int) { return std::fabs(a[0]); },
              [](Context& c, Args a, int) { return c.call(Op::Sign, a[0]); }};
    case Op::Sign:  // sign' = 0 (almost everywhere)
      return {"sign", 1, [](const double* a, int) { return sign_value(a[0]); }, zero};
    case Op::Step:  // step' = 0 (almost everywhere)
      return {"step", 1, [](const double* a, int) { return step_value(a[0]); }, zero};
    case Op::Min:  // d min(a,b)/da = step(b - a), d/db = step(a - b)  (1/2 each at a tie)
      return {"min", 2, [](const double* a, int) { return std::fmin(a[0], a[1]); },
              [](Context& c, Args a, int i) {
                return c.call(Op::Step, i == 0 ? c.sub(a[1], a[0]) : c.sub(a[0], a[1]));
              }};
    case Op::Max:  // d max(a,b)/da = step(a - b), d/db = step(b - a)
      return {"max", 2, [](const double* a, int) { return std::fmax(a[0], a[1]); },
              [](Context& c, Args a, int i) {
                return c.call(Op::Step, i == 0 ? c.sub(a[0], a[1]) : c.sub(a[1], a[0]));
              }};
  }
  throw std::logic_error("pinnc bug: op without a rule in ops.cpp");
}

constexpr std::array<Rule, kOpCount> make_rules() {
  std::array<Rule, kOpCount> rules{};
  for (int i = 0; i < kOpCount; ++i) rules[i] = rule(static_cast<Op>(i));
  return rules;
}
constexpr std::array<Rule, kOpCount> kRules = make_rules();

constexpr std::array<OpInfo, kOpCount> make_infos() {
  std::array<OpInfo, kOpCount> infos{};
  for (int i = 0; i < kOpCount; ++i)
    infos[i] = {static_cast<Op>(i), kRules[i].name, kRules[i].arity};
  return infos;
}
constexpr std::array<OpInfo, kOpCount> kInfos = make_infos();

}  // namespace

const OpInfo& op_info(Op op) { return kInfos[static_cast<int>(op)]; }

std::optional<Op> function_op(std::string_view name) {
  if (name == "pow") return Op::Pow;
  for (const OpInfo& info : kInfos) {
    if (info.op < Op::Sin) continue;  // leaves and operators are not callable by name
    if (info.name == name) return info.op;
  }
  return std::nullopt;
}

double eval_op(Op op, const double* args, int n) {
  return kRules[static_cast<int>(op)].eval(args, n);
}

const Node* partial(Context& ctx, Op op, std::span<const Node* const> args, int i) {
  if (i < 0 || i >= static_cast<int>(args.size()))
    throw std::out_of_range("pinnc bug: partial() argument index out of range");
  return kRules[static_cast<int>(op)].partial(ctx, args, i);
}

}  // namespace pinnc::sym
