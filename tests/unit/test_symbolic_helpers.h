// test_symbolic_helpers.h — shared fixtures for the symbolic engine's tests: symbols,
// random expressions, finite differences and a strict mini-parser for print round trips.
#ifndef PINNC_TESTS_UNIT_TEST_SYMBOLIC_HELPERS_H
#define PINNC_TESTS_UNIT_TEST_SYMBOLIC_HELPERS_H

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "symbolic/expr.h"
#include "symbolic/symbolic.h"

namespace pinnc::sym::testing {

/// A context with t, parameters x, z, k and unknown y with derivatives y', y''.
struct Fixture {
  Context c;
  SymbolId t, x, z, k, y0, y1, y2;
  Expr T, X, Z, K, Y, Y1, Y2;

  Fixture() {
    t = c.add_symbol({"t", SymbolKind::Indep});
    x = c.add_symbol({"x", SymbolKind::Param, 0});
    z = c.add_symbol({"z", SymbolKind::Param, 1});
    k = c.add_symbol({"k", SymbolKind::Param, 2});
    y0 = c.unknown_symbol(0, 0, "y");
    y1 = c.unknown_symbol(0, 1, "y");
    y2 = c.unknown_symbol(0, 2, "y");
    T = c.sym(t), X = c.sym(x), Z = c.sym(z), K = c.sym(k);
    Y = c.sym(y0), Y1 = c.sym(y1), Y2 = c.sym(y2);
  }
  Expr n(double v) { return c.num(v); }
  std::string p(Expr e) const { return print(c, e); }
  std::string s(Expr e) { return print(c, simplify(c, e)); }
  std::vector<Expr> leaves() const { return {T, X, Z, K, Y, Y1, Y2}; }
};

/// Random expression trees. `safe` keeps every op inside its domain (and away from
/// overflow) for arguments of moderate size, so finite differences are meaningful.
class RandomExpr {
 public:
  RandomExpr(Context& c, std::mt19937_64& rng, std::vector<Expr> leaves, bool safe)
      : c_(c), rng_(rng), leaves_(std::move(leaves)), safe_(safe) {}

  Expr gen(int depth) {
    if (depth <= 0 || pick(5) == 0) return leaf();
    Expr a = gen(depth - 1);
    switch (pick(safe_ ? 14 : 16)) {
      case 0:
        return c_.add(a, gen(depth - 1));
      case 1:
        return c_.sub(a, gen(depth - 1));
      case 2:
        return c_.mul(a, gen(depth - 1));
      case 3:
        return safe_ ? c_.div(a, c_.add(c_.num(2), c_.call(Op::Sin, gen(depth - 1))))
                     : c_.div(a, gen(depth - 1));
      case 4:
        return c_.neg(a);
      case 5: {
        static const double kExps[] = {2, 3, -1, -2, 0.5, -0.5, 1.5};
        Expr e = pick(4) == 0 ? c_.call(Op::Sin, gen(depth - 1)) : c_.num(kExps[pick(7)]);
        return c_.pow(safe_ ? c_.add(c_.num(1), c_.pow(a, c_.num(2))) : a, e);
      }
      case 6:
        return c_.call(Op::Sin, a);
      case 7:
        return c_.call(Op::Cos, a);
      case 8:
        return c_.call(Op::Tanh, a);
      case 9:
        return c_.call(Op::Atan, a);
      case 10:
        return c_.call(Op::Exp, safe_ ? c_.call(Op::Sin, a) : a);
      case 11:
        return c_.call(Op::Log, safe_ ? c_.add(c_.num(1.5), c_.call(Op::Cos, a)) : a);
      case 12:
        return c_.call(Op::Sqrt, safe_ ? c_.add(c_.num(1), c_.pow(a, c_.num(2))) : a);
      case 13: {
        static const Op kOps[] = {Op::Asin, Op::Acos, Op::Tan, Op::Sinh, Op::Cosh, Op::Abs};
        Op op = kOps[pick(6)];
        bool bounded = op != Op::Abs;  // asin/acos/tan need |arg| < 1; sinh/cosh no overflow
        return c_.call(op, safe_ && bounded ? c_.mul(c_.num(0.9), c_.call(Op::Tanh, a)) : a);
      }
      case 14:
        return c_.call(pick(2) ? Op::Min : Op::Max, a, gen(depth - 1));
      default:
        return c_.call(pick(2) ? Op::Sign : Op::Step, a);
    }
  }

  Expr leaf() {
    if (pick(3) == 0) {
      static const double kNums[] = {0, 1, 2, -1, 0.5, -3, 0.1, 1.0 / 3, 2.5, 1e-5, 7};
      return c_.num(kNums[pick(safe_ ? 11 : 11)]);
    }
    return leaves_[pick(static_cast<int>(leaves_.size()))];
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  Context& c_;
  std::mt19937_64& rng_;
  std::vector<Expr> leaves_;
  bool safe_;
};

/// Central difference with one Richardson step: O(h^4) error.
inline double finite_difference(const std::function<double(double)>& f, double x) {
  double h = 1e-3 * (1 + std::fabs(x));
  auto d = [&](double hh) { return (f(x + hh) - f(x - hh)) / (2 * hh); };
  return (4 * d(h / 2) - d(h)) / 3;
}

/// |a - b| small relative to the larger of 1, |a|, |b|.
inline bool close(double a, double b, double rel = 1e-6) {
  return std::fabs(a - b) <= rel * std::max({1.0, std::fabs(a), std::fabs(b)});
}

/// A strict parser for the printed language, built on Context's constructors exactly as
/// the front end's parser will be. Grammar (loosest first):
///   sum     := product (('+' | '-') product)*
///   product := unary (('*' | '/') unary)*
///   unary   := '-' unary | power
///   power   := atom ('^' power)?           (right associative; no "x^-2": exponents
///                                           that are negative must be parenthesised)
///   atom    := number | name '\''* | name '(' sum (',' sum)* ')' | '(' sum ')'
/// Names: symbols of the context by name (unknowns by base name + primes).
class MiniParser {
 public:
  MiniParser(Context& c, const std::string& text) : c_(c), s_(text) {
    for (SymbolId id = 0; id < c.symbol_count(); ++id) {
      const Symbol& sym = c.symbol(id);
      std::string name = sym.name;
      if (sym.kind == SymbolKind::Unknown) name += std::string(sym.order, '\'');
      names_[name] = id;
    }
  }
  Expr parse() {
    Expr e = sum();
    skip();
    if (i_ != s_.size()) fail("trailing text");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error(why + " at " + std::to_string(i_) + " in '" + s_ + "'");
  }
  void skip() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool eat(char ch) {
    skip();
    if (i_ < s_.size() && s_[i_] == ch) {
      ++i_;
      return true;
    }
    return false;
  }
  Expr sum() {
    Expr e = product();
    for (;;) {
      if (eat('+'))
        e = c_.add(e, product());
      else if (eat('-'))
        e = c_.sub(e, product());
      else
        return e;
    }
  }
  Expr product() {
    Expr e = unary();
    for (;;) {
      if (eat('*'))
        e = c_.mul(e, unary());
      else if (eat('/'))
        e = c_.div(e, unary());
      else
        return e;
    }
  }
  Expr unary() { return eat('-') ? c_.neg(unary()) : power(); }
  Expr power() {
    Expr base = atom();
    return eat('^') ? c_.pow(base, power()) : base;
  }
  Expr atom() {
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    if (eat('(')) {
      Expr e = sum();
      if (!eat(')')) fail("expected ')'");
      return e;
    }
    char ch = s_[i_];
    if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '.') {
      const char* begin = s_.c_str() + i_;
      char* end = nullptr;
      double v = std::strtod(begin, &end);
      i_ += static_cast<std::size_t>(end - begin);
      return c_.num(v);
    }
    if (!std::isalpha(static_cast<unsigned char>(ch))) fail("unexpected character");
    std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      ++i_;
    std::string name = s_.substr(start, i_ - start);
    if (eat('(')) {
      auto op = function_op(name);
      if (!op) fail("unknown function " + name);
      std::vector<Expr> args{sum()};
      while (eat(',')) args.push_back(sum());
      if (!eat(')')) fail("expected ')'");
      return c_.call(*op, args);
    }
    while (i_ < s_.size() && s_[i_] == '\'') name += s_[i_++];
    auto it = names_.find(name);
    if (it == names_.end()) fail("unknown name " + name);
    return c_.sym(it->second);
  }

  Context& c_;
  std::string s_;
  std::size_t i_ = 0;
  std::map<std::string, SymbolId> names_;
};

inline Expr parse(Context& c, const std::string& text) { return MiniParser(c, text).parse(); }

}  // namespace pinnc::sym::testing

#endif  // PINNC_TESTS_UNIT_TEST_SYMBOLIC_HELPERS_H
