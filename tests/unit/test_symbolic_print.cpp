// test_symbolic_print.cpp — the printer: expected text, minimal parentheses, round trips.
#include <doctest/doctest.h>

#include <random>

#include "symbolic/symbolic.h"
#include "test_symbolic_helpers.h"

using namespace pinnc::sym;
using pinnc::sym::testing::Fixture;
using pinnc::sym::testing::parse;
using pinnc::sym::testing::RandomExpr;

TEST_CASE("symbolic: numbers print in the shortest form that reads back exactly") {
  CHECK(format_number(3) == "3");
  CHECK(format_number(-2) == "-2");
  CHECK(format_number(2.5) == "2.5");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(1e-3) == "0.001");
  CHECK(format_number(1e-5) == "1e-05");
  CHECK(format_number(1e20) == "1e+20");
  CHECK(format_number(1.0 / 3) == "0.3333333333333333");
  CHECK(format_number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_number(123456789012) == "123456789012");
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  for (int i = 0; i < 1000; ++i) {
    double v = u(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20);
    CHECK(std::strtod(format_number(v).c_str(), nullptr) == v);
  }
}

TEST_CASE("symbolic: symbols print by name, unknown derivatives with primes") {
  Fixture f;
  CHECK(f.p(f.T) == "t");
  CHECK(f.p(f.K) == "k");
  CHECK(f.p(f.Y) == "y");
  CHECK(f.p(f.Y1) == "y'");
  CHECK(f.p(f.Y2) == "y''");
  CHECK(f.p(f.c.sym(f.c.unknown_symbol(0, 4, "y"))) == "y''''");
}

TEST_CASE("symbolic: operators print with minimal parentheses") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X, z = f.Z, k = f.K;
  CHECK(f.p(c.add(f.Y2, f.Y)) == "y + y''");
  CHECK(f.p(c.sub(x, z)) == "x - z");
  CHECK(f.p(c.sub(x, c.mul(f.n(2), z))) == "x - 2*z");
  CHECK(f.p(c.sub(x, f.n(1))) == "x - 1");
  CHECK(f.p(c.sub(f.n(1), x)) == "1 - x");
  CHECK(f.p(c.sub(c.neg(x), z)) == "-x - z");
  CHECK(f.p(c.neg(x)) == "-x");
  CHECK(f.p(c.neg(c.pow(x, f.n(2)))) == "-x^2");
  CHECK(f.p(c.pow(c.neg(x), f.n(3))) == "-x^3");  // (-x)^3 = -(x^3), canonically
  CHECK(f.p(c.pow(c.neg(x), f.n(0.5))) == "(-x)^0.5");
  CHECK(f.p(c.neg(c.add(x, z))) == "-(x + z)");
  CHECK(f.p(c.pow(c.add(x, f.n(1)), f.n(2))) == "(x + 1)^2");
  CHECK(f.p(c.pow(x, c.pow(z, k))) == "x^z^k");
  CHECK(f.p(c.pow(c.pow(x, z), k)) == "(x^z)^k");
  CHECK(f.p(c.pow(f.n(2), c.neg(x))) == "2^(-x)");
  CHECK(f.p(c.pow(f.n(-2), x)) == "(-2)^x");
  CHECK(f.p(c.pow(x, f.n(-2))) == "1/x^2");
  CHECK(f.p(c.pow(x, c.neg(z))) == "1/x^z");
  CHECK(f.p(c.pow(x, f.n(0.5))) == "x^0.5");
  CHECK(f.p(c.div(x, z)) == "x/z");
  CHECK(f.p(c.div(c.neg(x), z)) == "-x/z");
  CHECK(f.p(c.div(x, c.mul(z, f.Y))) == "x/(z*y)");
  CHECK(f.p(c.div(x, c.add(z, f.n(1)))) == "x/(z + 1)");
  CHECK(f.p(c.div(x, f.n(3))) == "x/3");
  CHECK(f.p(c.div(c.mul(f.n(2), x), f.n(3))) == "0.6666666666666666*x");
  CHECK(f.p(c.div(x, c.mul(f.n(3), z))) == "x/(3*z)");
  CHECK(f.p(c.mul(x, c.add(z, k))) == "x*(z + k)");
  CHECK(f.p(c.mul(c.sub(x, z), c.add(x, z))) == "(x + z)*(x - z)");
  CHECK(f.p(c.mul(f.n(1e-3), x)) == "0.001*x");
  CHECK(f.p(c.mul(f.n(1e-5), x)) == "1e-05*x");
  CHECK(f.p(c.call(Op::Exp, c.neg(f.T))) == "exp(-t)");
  CHECK(f.p(c.call(Op::Min, x, c.neg(z))) == "min(x, -z)");
  CHECK(f.p(c.div(c.call(Op::Sin, x), c.call(Op::Cos, x))) == "sin(x)/cos(x)");
  CHECK(f.p(c.div(x, f.n(0))) == "x/0");
  CHECK(f.p(c.div(f.n(1), f.n(0))) == "1/0");
  CHECK(f.p(c.div(c.div(x, z), f.n(0))) == "x*0^(-1)/z");
  CHECK(f.p(c.div(c.div(x, f.n(3)), f.n(0))) == "x*0^(-1)/3");
  CHECK(f.p(c.div(x, f.n(2))) == "0.5*x");
  CHECK(f.p(c.div(x, f.n(7))) == "x/7");
  CHECK(f.p(c.pow(f.n(0), f.n(-2))) == "0^(-2)");
  CHECK(f.p(c.call(Op::Sqrt, f.n(-1))) == "sqrt(-1)");
  CHECK(f.p(c.pow(x, c.div(z, f.n(3)))) == "x^(z/3)");
  CHECK(f.p(c.pow(x, c.mul(f.n(-2), z))) == "1/x^(2*z)");
}

TEST_CASE("symbolic: printed text parses back to the same node") {
  // The mini parser in test_symbolic_helpers.h builds through Context's constructors, as
  // the front end's parser does; it rejects "x^-2", so exponents must be parenthesised.
  Fixture f;
  std::mt19937_64 rng(99);
  for (bool safe : {false, true}) {
    RandomExpr gen(f.c, rng, f.leaves(), safe);
    for (int i = 0; i < 1000; ++i) {
      Expr e = gen.gen(5);
      for (Expr x : {e, simplify(f.c, e)}) {
        std::string text = f.p(x);
        CAPTURE(text);
        Expr back = nullptr;
        CHECK_NOTHROW(back = parse(f.c, text));
        CHECK(back == x);
      }
    }
  }
}

TEST_CASE("symbolic: derivatives print text that parses back") {
  Fixture f;
  std::mt19937_64 rng(123);
  RandomExpr gen(f.c, rng, {f.T, f.X, f.Y, f.Y1}, true);
  for (int i = 0; i < 300; ++i) {
    Expr d = diff(f.c, gen.gen(4), f.y0);
    std::string text = f.p(d);
    CAPTURE(text);
    Expr back = nullptr;
    CHECK_NOTHROW(back = parse(f.c, text));
    CHECK(back == d);
  }
}

TEST_CASE("symbolic: print_bounded refuses trees that unfold beyond the limit") {
  Fixture f;
  auto& c = f.c;
  Expr e = f.X;
  for (int i = 0; i < 100; ++i) e = c.add(e, c.call(Op::Sin, e));  // DAG ~200, tree ~2^100
  CHECK_FALSE(print_bounded(c, e, 100000).has_value());
  Expr small = c.add(f.X, c.call(Op::Sin, f.X));
  REQUIRE(print_bounded(c, small, 100000).has_value());
  CHECK(*print_bounded(c, small, 100000) == "x + sin(x)");
  CHECK(print_bounded(c, small, 4).has_value());  // visits: the sum, x, sin, x
  CHECK_FALSE(print_bounded(c, small, 3).has_value());
}
