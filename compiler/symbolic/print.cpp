// print.cpp — prints expressions in the pinnc language, so that the text parses back to the same
// node.
//
// Precedence, loosest first: sum (+ -) < product (* /) < unary minus < power (^, right
// associative) < atom (number, name, call, parenthesised). Each printed piece carries its
// precedence; a piece is parenthesised only where its precedence is too loose.
//
// How canonical nodes read (and why each form parses back to the node it came from):
//   Add(c, a, -1*b)      "a - b + c"   terms in node order, constant last; x + (-k)*y -> x - k*y
//   Mul(-1, x)           "-x"          unary minus binds tighter than *, so -x*y = (-1)*x*y
//   Mul(x, y^-1, z^-2)   "x/(y*z^2)"   (y z^2)^-1 re-distributes to y^-1 z^-2 when parsed
//   Mul(1/3, x)          "x/3"         only when 1.0/3 is exactly the coefficient (0.5*x stays)
//   Pow(x, -1)           "1/x"         (x^1)^-1 = x^-1
//   Pow(x, -y)           "1/x^y"       (x^y)^-1 folds to x^(-y) (integer outer exponent)
//   Pow(0, -1)           "1/0"         kept unfolded so the front end can diagnose it; beside
//                                      other denominators "0^(-1)", as 2*0 would fold
//   Pow(0, -2)           "0^(-2)"      other constant bases stay in power form: 0^2 would fold
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "symbolic/symbolic.h"

namespace pinnc::sym {

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

namespace {

enum Prec : int { kSum = 1, kProduct = 2, kUnary = 3, kPower = 4, kAtom = 5 };

struct Piece {
  std::string text;
  int prec;
};

std::string wrap(const Piece& p, int min_prec) {
  return p.prec < min_prec ? "(" + p.text + ")" : p.text;
}

/// True for a negative number or a product with a negative coefficient: printed after " - "
/// in a sum, or as a denominator when it is an exponent.
bool is_negative(Expr e) {
  if (e->is_const()) return e->value() < 0;
  return e->op() == Op::Mul && e->arg(0)->is_const() && e->arg(0)->value() < 0;
}

/// A power printed as 1/b^p: a negative exponent, and a base that (b^p)^-1 gives back. A
/// constant base only with exponent -1 (1/0); 0^-2 prints as 0^(-2), since 0^2 would fold.
bool is_denominator(Expr e) {
  return e->op() == Op::Pow && is_negative(e->arg(1)) &&
         (!e->arg(0)->is_const() || e->arg(1)->is_const(-1));
}

/// 1/a as an integer n >= 2 when 1.0/n == a exactly (so "x/n" parses back to a*x), for
/// coefficients whose decimal form is long: x/3, x/7, but 0.5*x, 0.001*x.
bool exact_reciprocal(double a, double& n) {
  if (!(a > 0) || a > 0.5 || format_number(a).size() <= 6) return false;
  double r = std::round(1.0 / a);
  if (r < 2 || r > 9007199254740992.0 || 1.0 / r != a) return false;
  n = r;
  return true;
}

/// Thrown inside the printer when the node budget of print_bounded runs out.
struct OverBudget {};

class Printer {
 public:
  Printer(const Context& ctx, std::size_t budget) : ctx_(ctx), budget_(budget) {}

  Piece expr(Expr e) {
    // Every visit adds at least one character, so visits <= output length.
    if (budget_-- == 0) throw OverBudget{};
    const OpInfo& info = op_info(e->op());
    switch (info.cls) {
      case OpClass::Leaf:
        if (e->is_const()) return {format_number(e->value()), e->value() < 0 ? kUnary : kAtom};
        return {symbol_name(e->symbol()), kAtom};
      case OpClass::Sum:
        return sum(e);
      case OpClass::Product:
        return product(e, false);
      case OpClass::Libm:
      case OpClass::Select: {
        if (e->op() == Op::Pow) {  // the operator ^, and x * y^-1 as x/y
          if (is_denominator(e)) return product(e, false);
          return power(e->arg(0), expr(e->arg(1)));
        }
        if (is_comparison(e->op()))  // (a < b): in parentheses, as comparisons do not chain
          return {"(" + comparison(e) + ")", kAtom};
        std::string text(info.function);
        text += '(';
        for (std::size_t i = 0; i < e->args().size(); ++i) {
          if (i > 0) text += ", ";
          text += is_comparison(e->arg(i)->op()) ? comparison(e->arg(i)) : expr(e->arg(i)).text;
        }
        return {text + ')', kAtom};
      }
    }
    return {"?", kAtom};  // unreachable: every op is handled above
  }

 private:
  /// a < b without parentheses (an argument of a call needs none).
  std::string comparison(Expr e) {
    if (budget_-- == 0) throw OverBudget{};
    return expr(e->arg(0)).text + " " + std::string(op_info(e->op()).name) + " " + expr(e->arg(1)).text;
  }

  std::string symbol_name(SymbolId id) const {
    const Symbol& s = ctx_.symbol(id);
    if (s.kind != SymbolKind::Unknown) return s.name;
    return s.name + std::string(static_cast<std::size_t>(std::max(s.order, 0)), '\'');
  }

  /// `e`, or -e when `negate` (e is then a negative number or negative-coefficient product).
  Piece signed_term(Expr e, bool negate) {
    if (e->is_const()) {
      double v = negate ? -e->value() : e->value();
      return {format_number(v), v < 0 ? kUnary : kAtom};
    }
    if (e->op() == Op::Mul) return product(e, negate);
    return expr(e);
  }

  Piece sum(Expr e) {
    std::vector<Expr> terms;
    for (Expr t : e->args())
      if (!t->is_const()) terms.push_back(t);
    for (Expr t : e->args())
      if (t->is_const()) terms.push_back(t);  // the constant reads best at the end
    // Lead with the first positive term if there is one: "1 - x", not "-x + 1".
    auto lead = std::find_if(terms.begin(), terms.end(), [](Expr t) { return !is_negative(t); });
    if (lead != terms.end()) std::rotate(terms.begin(), lead, lead + 1);
    std::string text = wrap(expr(terms[0]), kSum);
    for (std::size_t i = 1; i < terms.size(); ++i) {
      bool minus = is_negative(terms[i]);
      text += minus ? " - " : " + ";
      text += wrap(signed_term(terms[i], minus), kProduct);
    }
    return {text, kSum};
  }

  /// x^p with `exponent` already printed.
  Piece power(Expr base, const Piece& exponent) {
    return {wrap(expr(base), kAtom) + "^" + wrap(exponent, kPower), kPower};
  }

  /// A product (or a lone power with a negative exponent) as [-]num*num.../(den*den...).
  Piece product(Expr e, bool negate) {
    std::span<const Expr> factors = e->op() == Op::Mul ? e->args() : std::span<const Expr>(&e, 1);
    double c = 1;
    if (factors[0]->is_const()) {
      c = factors[0]->value();
      factors = factors.subspan(1);
    }
    if (negate) c = -c;
    bool minus = std::signbit(c);
    double a = std::fabs(c);

    std::vector<Piece> num, den;
    double n = 0;
    if (exact_reciprocal(a, n))
      den.push_back({format_number(n), kAtom});
    else if (a != 1)
      num.push_back({format_number(a), kAtom});
    std::vector<Expr> by_constant;  // c^-1 left unfolded (1/0): alone, or "0^(-1)"
    for (Expr f : factors) {
      if (!is_denominator(f)) {
        num.push_back(expr(f));
      } else if (f->arg(0)->is_const()) {
        by_constant.push_back(f);
      } else {
        Expr base = f->arg(0), exponent = f->arg(1);
        den.push_back(exponent->is_const(-1) ? expr(base)
                                             : power(base, signed_term(exponent, true)));
      }
    }
    // In a group, (2*0) would fold to 0 when parsed; only a lone "/0" reads back.
    if (den.empty() && by_constant.size() == 1) {
      den.push_back(expr(by_constant[0]->arg(0)));
    } else {
      for (Expr f : by_constant) num.push_back(power(f->arg(0), expr(f->arg(1))));
    }

    std::string text = minus ? "-" : "";
    if (num.empty()) text += "1";
    for (std::size_t i = 0; i < num.size(); ++i) {
      if (i > 0) text += '*';
      text += wrap(num[i], kPower);
    }
    if (den.size() == 1) {
      text += "/" + wrap(den[0], kPower);
    } else if (den.size() > 1) {
      text += "/(";
      for (std::size_t i = 0; i < den.size(); ++i) {
        if (i > 0) text += '*';
        text += wrap(den[i], kPower);
      }
      text += ')';
    }
    int prec = minus ? kUnary : (num.size() == 1 && den.empty()) ? num[0].prec : kProduct;
    return {text, prec};
  }

  const Context& ctx_;
  std::size_t budget_;
};

}  // namespace

std::string print(const Context& ctx, Expr e) {
  return Printer(ctx, static_cast<std::size_t>(-1)).expr(e).text;
}

std::optional<std::string> print_bounded(const Context& ctx, Expr e, std::size_t max_nodes) {
  try {
    return Printer(ctx, max_nodes).expr(e).text;
  } catch (const OverBudget&) {
    return std::nullopt;
  }
}

}  // namespace pinnc::sym
