// test_symbolic_simplify.cpp — the simplifier: expected results as printed text, idempotence.
#include <doctest/doctest.h>

#include <random>

#include "symbolic/symbolic.h"
#include "test_symbolic_helpers.h"

using namespace pinnc::sym;
using pinnc::sym::testing::Fixture;
using pinnc::sym::testing::RandomExpr;

// Symbol order in the fixture (and so in sums and products): t, x, z, k, y, y', y''.

TEST_CASE("symbolic: simplify collects like terms") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X, z = f.Z;
  CHECK(f.s(c.add(x, c.mul(f.n(2), x))) == "3*x");
  CHECK(f.s(c.add(x, x)) == "2*x");
  CHECK(f.s(c.sub(x, x)) == "0");
  Expr e[] = {c.mul(f.n(2), x), c.mul(f.n(3), f.Y), c.neg(x)};
  CHECK(f.s(c.add(e)) == "x + 3*y");
  CHECK(f.s(c.add(c.mul(x, f.Y), c.mul(f.Y, x))) == "2*x*y");
  CHECK(f.s(c.sub(c.add(f.Y1, c.mul(f.K, f.Y)), c.mul(f.K, f.Y))) == "y'");
  CHECK(f.s(c.sub(c.sub(x, f.n(1)), c.sub(x, f.n(1)))) == "0");
  // 1/3 + 1/3 + 1/3 is exactly 1 in binary floating point
  Expr thirds[] = {c.div(x, f.n(3)), c.div(x, f.n(3)), c.div(x, f.n(3))};
  CHECK(f.s(c.add(thirds)) == "x");
  // coefficients are added in floating point, and printed exactly
  CHECK(f.s(c.add(c.mul(f.n(0.1), x), c.mul(f.n(0.2), x))) == "0.30000000000000004*x");
  // a numeric factor is distributed over a sum so terms meet: 2(x + 1) - 2x = 2
  CHECK(f.s(c.mul(f.n(2), c.add(x, f.n(1)))) == "2*x + 2");
  CHECK(f.s(c.sub(c.mul(f.n(2), c.add(x, f.n(1))), c.mul(f.n(2), x))) == "2");
  CHECK(f.s(c.neg(c.sub(x, z))) == "z - x");
}

TEST_CASE("symbolic: simplify collects powers of like bases") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X;
  CHECK(f.s(c.mul(x, x)) == "x^2");
  CHECK(f.s(c.div(c.pow(x, f.n(2)), x)) == "x");
  CHECK(f.s(c.div(c.mul(c.mul(x, x), x), c.pow(x, f.n(3)))) == "1");
  CHECK(f.s(c.div(x, x)) == "1");
  CHECK(f.s(c.div(c.mul(f.n(3), c.pow(x, f.n(2))), x)) == "3*x");
  CHECK(f.s(c.mul(c.pow(x, f.n(0.5)), c.pow(x, f.n(0.5)))) == "x");
  CHECK(f.s(c.mul(c.pow(x, f.K), c.pow(x, f.Z))) == "x^(z + k)");
  CHECK(f.s(c.mul(c.pow(f.n(2), x), c.pow(f.n(2), x))) == "2^(2*x)");
  // (x + 1) / (x + 1)^2 = 1/(x + 1)
  Expr xp1 = c.add(x, f.n(1));
  CHECK(f.s(c.div(xp1, c.pow(xp1, f.n(2)))) == "1/(x + 1)");
  CHECK(f.s(c.mul(x, f.n(0))) == "0");
}

TEST_CASE("symbolic: simplify folds powers and keeps the invalid ones") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X;
  CHECK(f.s(c.pow(c.pow(x, f.n(2)), f.n(3))) == "x^6");
  CHECK(f.s(c.pow(c.pow(x, f.n(2)), f.n(0.5))) == "(x^2)^0.5");  // |x|, not x
  CHECK(f.s(c.pow(c.mul(f.n(2), x), f.n(2))) == "4*x^2");
  CHECK(f.s(c.div(f.n(1), c.div(f.n(1), x))) == "x");
  CHECK(f.s(c.pow(f.n(2), f.n(0.5))) == "1.4142135623730951");
  CHECK(f.s(c.pow(f.n(-8), f.n(1.0 / 3))) == "(-8)^0.3333333333333333");  // NaN: not folded
  // exp(a)^b = exp(a b) for every real b, since exp(a) > 0
  CHECK(f.s(c.pow(c.call(Op::Exp, x), f.K)) == "exp(x*k)");
  CHECK(f.s(c.div(f.n(1), c.call(Op::Exp, c.mul(f.n(2), x)))) == "exp(-2*x)");
  // |x|^2 = x^2, but |x|^3 and |x|^0.5 stay
  CHECK(f.s(c.pow(c.call(Op::Abs, x), f.n(2))) == "x^2");
  CHECK(f.s(c.pow(c.call(Op::Abs, x), f.n(3))) == "abs(x)^3");
  CHECK(f.s(c.pow(c.call(Op::Abs, x), f.n(0.5))) == "abs(x)^0.5");
}

TEST_CASE("symbolic: simplify applies elementary identities of functions") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X;
  CHECK(f.s(c.call(Op::Sin, f.n(0))) == "0");
  CHECK(f.s(c.call(Op::Exp, f.n(0))) == "1");
  CHECK(f.s(c.call(Op::Log, f.n(1))) == "0");
  CHECK(f.s(c.call(Op::Cos, f.n(1))) == "0.5403023058681398");
  CHECK(f.s(c.call(Op::Log, c.call(Op::Exp, x))) == "x");
  CHECK(f.s(c.call(Op::Exp, c.call(Op::Log, x))) == "exp(log(x))");  // only for x > 0
  CHECK(f.s(c.call(Op::Sqrt, c.pow(x, f.n(2)))) == "abs(x)");
  CHECK(f.s(c.call(Op::Abs, c.call(Op::Abs, x))) == "abs(x)");
  CHECK(f.s(c.call(Op::Min, x, x)) == "x");
  CHECK(f.s(c.call(Op::Max, c.add(x, x), c.mul(f.n(2), x))) == "2*x");
  CHECK(f.s(c.call(Op::Log, f.n(0))) == "log(0)");  // -inf: kept for a diagnostic
  Expr s2 = c.pow(c.call(Op::Sin, x), f.n(2)), c2 = c.pow(c.call(Op::Cos, x), f.n(2));
  CHECK(f.s(c.add(s2, c2)) == "sin(x)^2 + cos(x)^2");  // no trigonometric identities
}

TEST_CASE("symbolic: simplify is idempotent and keeps values on random expressions") {
  Fixture f;
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (bool safe : {false, true}) {
    RandomExpr gen(f.c, rng, f.leaves(), safe);
    for (int i = 0; i < 500; ++i) {
      Expr e = gen.gen(5);
      Expr s = simplify(f.c, e);
      CAPTURE(f.p(e));
      CAPTURE(f.p(s));
      CHECK(simplify(f.c, s) == s);
      if (!safe) continue;
      // Same value at a random point (safe expressions are defined everywhere).
      std::vector<double> v(f.c.symbol_count());
      for (double& vi : v) vi = u(rng);
      double a = eval(f.c, e, v), b = eval(f.c, s, v);
      CHECK(testing::close(a, b, 1e-9));
    }
  }
}

TEST_CASE("symbolic: simplify terminates on a large shared DAG") {
  Fixture f;
  auto& c = f.c;
  Expr e = f.X;
  for (int i = 0; i < 200; ++i) e = c.add(c.mul(c.call(Op::Sin, e), e), c.mul(f.n(2), e));
  Expr s = simplify(c, e);
  CHECK(simplify(c, s) == s);
}
