// test_symbolic_diff.cpp — derivatives checked against finite differences, op by op and composed.
#include <doctest/doctest.h>

#include <random>

#include "symbolic/symbolic.h"
#include "test_symbolic_helpers.h"

using namespace pinnc::sym;
using pinnc::sym::testing::close;
using pinnc::sym::testing::finite_difference;
using pinnc::sym::testing::Fixture;
using pinnc::sym::testing::RandomExpr;

namespace {

/// Stan-style expect_ad for one op: at random points drawn from `domain` (one interval per
/// argument), the op table's `partial` and `diff` of op(x0, x1, ...) must both match a
/// central finite difference of `eval_op` in every argument.
void expect_ad(Op op, std::vector<std::pair<double, double>> domain, uint64_t seed = 1) {
  CAPTURE(op_info(op).name);
  Context c;
  int n = static_cast<int>(domain.size());
  std::vector<SymbolId> ids;
  std::vector<Expr> args;
  for (int i = 0; i < n; ++i) {
    ids.push_back(c.add_symbol({"a" + std::to_string(i), SymbolKind::Param, i}));
    args.push_back(c.sym(ids.back()));
  }
  // Built raw, so the node is op(a0, a1, ...) even for Add/Mul/Pow.
  Expr e = c.intern(op, args);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 25; ++trial) {
    std::vector<double> v;
    for (auto [lo, hi] : domain) v.push_back(std::uniform_real_distribution<double>(lo, hi)(rng));
    CAPTURE(v);
    for (int i = 0; i < n; ++i) {
      auto f = [&](double xi) {
        std::vector<double> w = v;
        w[i] = xi;
        return eval_op(op, w.data(), n);
      };
      double fd = finite_difference(f, v[i]);
      double by_partial = eval(c, partial(c, op, args, i), v);
      double by_diff = eval(c, diff(c, e, ids[i]), v);
      CAPTURE(i);
      CHECK(close(by_partial, fd));
      CHECK(close(by_diff, fd));
    }
  }
}

}  // namespace

// Every op of the table, on the interval its row gives (smooth_lo, smooth_hi: away from
// poles and branch points; kinks have measure zero there), with its arity (n-ary ones with
// three arguments): a new op is checked without a new line here.
TEST_CASE("symbolic: every op's derivative rule against finite differences") {
  int checked = 0;
  for (int i = 0; i < kOpCount; ++i) {
    const OpInfo& info = op_info(static_cast<Op>(i));
    if (info.cls == OpClass::Leaf) continue;
    const int n = info.arity < 0 ? 3 : info.arity;
    std::vector<std::pair<double, double>> domain(std::size_t(n), {info.smooth_lo, info.smooth_hi});
    if (n >= 2) domain[1] = {info.smooth2_lo, info.smooth2_hi};
    expect_ad(info.op, domain);
    ++checked;
  }
  CHECK(checked == kOpCount - 2);  // all but Const and Symbol
}

// Kinks: each side of one, as its own domain.
TEST_CASE("symbolic: d pow, base and exponent apart") { expect_ad(Op::Pow, {{0.1, 3}, {-2.5, 2.5}}); }
TEST_CASE("symbolic: d abs") {
  expect_ad(Op::Abs, {{-3, -0.1}});
  expect_ad(Op::Abs, {{0.1, 3}});
}
TEST_CASE("symbolic: d sign") {
  expect_ad(Op::Sign, {{0.1, 3}});
  expect_ad(Op::Sign, {{-3, -0.1}});
}
TEST_CASE("symbolic: d step") {
  expect_ad(Op::Step, {{0.1, 3}});
  expect_ad(Op::Step, {{-3, -0.1}});
}
TEST_CASE("symbolic: d min") {
  expect_ad(Op::Min, {{-3, -0.1}, {0.1, 3}});  // a < b
  expect_ad(Op::Min, {{0.1, 3}, {-3, -0.1}});  // a > b
}
TEST_CASE("symbolic: d max") {
  expect_ad(Op::Max, {{-3, -0.1}, {0.1, 3}});
  expect_ad(Op::Max, {{0.1, 3}, {-3, -0.1}});
}

TEST_CASE("symbolic: min/max split the derivative evenly at a tie") {
  // d min(a, b) = step(b - a) da + step(a - b) db; at a = b both steps are 1/2.
  Context c;
  SymbolId a = c.add_symbol({"a", SymbolKind::Param, 0});
  Expr e = c.call(Op::Min, c.sym(a), c.mul(c.num(2), c.sym(a)));  // min(a, 2a) at a = 0
  std::vector<double> v{0.0};
  CHECK(eval(c, diff(c, e, a), v) == doctest::Approx(1.5));  // (1 + 2) / 2
}

TEST_CASE("symbolic: hand-derived derivatives print as expected") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X;
  auto d = [&](Expr e) { return f.p(diff(c, e, f.x)); };
  // d(x^2 sin x) = 2x sin x + x^2 cos x
  CHECK(d(c.mul(c.pow(x, f.n(2)), c.call(Op::Sin, x))) == "2*x*sin(x) + x^2*cos(x)");
  // d(k x^3) = 3 k x^2
  CHECK(d(c.mul(f.K, c.pow(x, f.n(3)))) == "3*k*x^2");
  // d(1/x) = -x^-2
  CHECK(d(c.div(f.n(1), x)) == "-1/x^2");
  // d sqrt(x) = 1/(2 sqrt x)
  CHECK(d(c.call(Op::Sqrt, x)) == "0.5/sqrt(x)");
  // d sqrt(3x) = 3/(2 sqrt(3x))
  CHECK(d(c.call(Op::Sqrt, c.mul(f.n(3), x))) == "1.5/sqrt(3*x)");
  // d exp(-k x) = -k exp(-k x)   (x sorts before k: symbols go by creation order)
  CHECK(d(c.call(Op::Exp, c.neg(c.mul(f.K, x)))) == "-k*exp(-x*k)");
  // d log(x^2 + 1) = 2x / (x^2 + 1)
  CHECK(d(c.call(Op::Log, c.add(c.pow(x, f.n(2)), f.n(1)))) == "2*x/(x^2 + 1)");
  // d x^x = x^x (log x + 1)  (the exponent's partial is used when the exponent varies)
  //          = x * x^(x-1) + x^x log x, and x * x^(x-1) collects to x^x
  CHECK(d(c.pow(x, x)) == "x^x*log(x) + x^x");
  // d tanh(x) = 1 - tanh(x)^2
  CHECK(d(c.call(Op::Tanh, x)) == "1 - tanh(x)^2");
  // d erf(x) = 2/sqrt(pi) exp(-x^2)
  CHECK(d(c.call(Op::Erf, x)) == "1.1283791670955126*exp(-x^2)");
  // d (y' + k y) / dy = k, d/dy' = 1, d/dt = 0 (u and its derivatives are independent symbols)
  Expr r = c.add(f.Y1, c.mul(f.K, f.Y));
  CHECK(diff(c, r, f.y0) == f.K);
  CHECK(diff(c, r, f.y1) == f.n(1));
  CHECK(diff(c, r, f.t) == f.n(0));
  // total derivative: d/dt (y' + k y) = y'' + k y'
  CHECK(f.p(total_diff(c, r, f.t)) == "y'' + k*y'");
  // d/dt (t y^2) = y^2 + 2 t y y'
  CHECK(f.p(total_diff(c, c.mul(f.T, c.pow(f.Y, f.n(2))), f.t)) == "2*t*y*y' + y^2");
}

TEST_CASE("symbolic: diff of random composite expressions matches finite differences") {
  Fixture f;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-1.2, 1.2);
  RandomExpr gen(f.c, rng, {f.T, f.X, f.Z}, true);
  SymbolId wrt[] = {f.t, f.x, f.z};
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    Expr e = gen.gen(4);
    std::vector<double> v(f.c.symbol_count(), 0.0);
    for (double& vi : v) vi = u(rng);
    CAPTURE(f.p(e));
    for (SymbolId s : wrt) {
      auto at = [&](double xs) {
        std::vector<double> w = v;
        w[s] = xs;
        return eval(f.c, e, w);
      };
      double fd = finite_difference(at, v[s]);
      Expr d = diff(f.c, e, s);
      CAPTURE(f.p(d));
      CHECK(close(eval(f.c, d, v), fd, 1e-5));
      ++checked;
    }
  }
  CHECK(checked == 900);
}

TEST_CASE("symbolic: second derivatives match finite differences of the first") {
  Fixture f;
  std::mt19937_64 rng(4242);
  std::uniform_real_distribution<double> u(-1.2, 1.2);
  RandomExpr gen(f.c, rng, {f.X, f.Z}, true);
  for (int i = 0; i < 150; ++i) {
    Expr e = gen.gen(3);
    std::vector<double> v(f.c.symbol_count(), 0.0);
    for (double& vi : v) vi = u(rng);
    CAPTURE(f.p(e));
    // d2/dx2 and the mixed d2/dxdz
    for (auto [first, second] : {std::pair{f.x, f.x}, std::pair{f.x, f.z}}) {
      Expr d1 = diff(f.c, e, first);
      Expr d2 = diff(f.c, d1, second);
      auto at = [&](double xs) {
        std::vector<double> w = v;
        w[second] = xs;
        return eval(f.c, d1, w);
      };
      CAPTURE(f.p(d2));
      CHECK(close(eval(f.c, d2, v), finite_difference(at, v[second]), 1e-5));
    }
    // Mixed partials commute (numerically; the printed forms may differ).
    Expr dxz = diff(f.c, diff(f.c, e, f.x), f.z), dzx = diff(f.c, diff(f.c, e, f.z), f.x);
    CHECK(close(eval(f.c, dxz, v), eval(f.c, dzx, v), 1e-9));
  }
}

TEST_CASE("symbolic: second derivatives of known functions") {
  Fixture f;
  auto& c = f.c;
  Expr x = f.X;
  auto d2 = [&](Expr e) { return f.p(diff(c, diff(c, e, f.x), f.x)); };
  // sin'' = -sin
  CHECK(d2(c.call(Op::Sin, x)) == "-sin(x)");
  // (x^3)'' = 6x
  CHECK(d2(c.pow(x, f.n(3))) == "6*x");
  // exp(2x)'' = 4 exp(2x)
  CHECK(d2(c.call(Op::Exp, c.mul(f.n(2), x))) == "4*exp(2*x)");
}
