// test_symbolic_expr.cpp — the expression DAG: hash-consing, canonical constructors, walks.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "symbolic/expr.h"
#include "symbolic/symbolic.h"
#include "test_symbolic_helpers.h"

using namespace pinnc::sym;
using pinnc::sym::testing::Fixture;
using pinnc::sym::testing::RandomExpr;

TEST_CASE("symbolic: structurally equal expressions are the same node") {
  Fixture f;
  auto& c = f.c;
  CHECK(c.num(2) == c.num(2));
  CHECK(c.num(0.0) == c.num(-0.0));
  CHECK(c.num(std::nan("")) == c.num(-std::nan("")));
  CHECK(c.sym(f.x) == f.X);
  Expr a = c.call(Op::Sin, c.add(f.X, c.num(1)));
  Expr b = c.call(Op::Sin, c.add(c.num(1), f.X));
  CHECK(a == b);
  CHECK(c.call(Op::Sin, f.X) != c.call(Op::Cos, f.X));
  std::size_t before = c.node_count();
  c.mul(f.X, c.call(Op::Sin, c.add(f.X, c.num(1))));
  c.mul(c.call(Op::Sin, c.add(c.num(1), f.X)), f.X);
  CHECK(c.node_count() == before + 1);  // only the product is new, and only once
}

TEST_CASE("symbolic: operand order does not depend on construction order") {
  // Build the same sums/products in every permutation of their operands, in a fresh
  // context each time with the symbols created in a different order: the printed canonical
  // form must be the same.
  std::vector<int> perm{0, 1, 2, 3};
  std::string first_sum, first_prod;
  do {
    Context c;
    std::vector<SymbolId> ids(4);
    // symbols get the same ids each time; the nodes of the other operands are created
    // in permuted order, so node ids (creation order) differ between runs
    for (int i = 0; i < 4; ++i)
      ids[i] = c.add_symbol({std::string(1, "abcd"[i]), SymbolKind::Param, i});
    std::vector<Expr> ops(4);
    for (int i : perm) {
      switch (i) {
        case 0:
          ops[i] = c.sym(ids[0]);
          break;
        case 1:
          ops[i] = c.call(Op::Exp, c.sym(ids[1]));
          break;
        case 2:
          ops[i] = c.pow(c.sym(ids[2]), c.num(2));
          break;
        case 3:
          ops[i] = c.mul(c.num(3), c.sym(ids[3]));
          break;
      }
    }
    std::vector<Expr> permuted;
    for (int i : perm) permuted.push_back(ops[i]);
    std::string s = print(c, c.add(permuted));
    std::string p = print(c, c.mul(permuted));
    if (first_sum.empty()) first_sum = s, first_prod = p;
    CHECK(s == first_sum);
    CHECK(p == first_prod);
  } while (std::next_permutation(perm.begin(), perm.end()));
  CHECK(first_sum == "a + 3*d + c^2 + exp(b)");
  CHECK(first_prod == "3*a*d*c^2*exp(b)");
}

TEST_CASE("symbolic: structural_less is a strict total order: constants, symbols, then ops") {
  Fixture f;
  auto& c = f.c;
  std::mt19937_64 rng(7);
  RandomExpr gen(c, rng, f.leaves(), false);
  std::vector<Expr> es;
  for (int i = 0; i < 200; ++i) es.push_back(gen.gen(3));
  for (Expr a : es) {
    CHECK_FALSE(structural_less(a, a));
    for (Expr b : es) {
      if (a == b) continue;
      CHECK(structural_less(a, b) != structural_less(b, a));
    }
  }
  CHECK(structural_less(c.num(5), f.T));
  CHECK(structural_less(c.num(-1), c.num(5)));
  CHECK(structural_less(f.T, f.X));  // t was added before x
  CHECK(structural_less(f.K, c.add(f.T, f.X)));
  CHECK(structural_less(c.add(f.T, f.X), c.mul(f.T, f.X)));
}

TEST_CASE("symbolic: constructors fold constants and drop neutral elements") {
  Fixture f;
  auto& c = f.c;
  CHECK(c.add(c.num(2), c.num(3)) == c.num(5));
  CHECK(c.add(f.X, c.num(0)) == f.X);
  CHECK(c.mul(f.X, c.num(1)) == f.X);
  CHECK(c.mul(f.X, c.num(0)) == c.num(0));
  CHECK(c.pow(f.X, c.num(1)) == f.X);
  CHECK(c.pow(f.X, c.num(0)) == c.num(1));
  CHECK(c.pow(c.num(1), f.X) == c.num(1));
  CHECK(c.pow(c.num(2), c.num(10)) == c.num(1024));
  CHECK(c.neg(c.neg(f.X)) == f.X);
  CHECK(c.sub(f.X, c.num(0)) == f.X);
  CHECK(c.div(f.X, c.num(1)) == f.X);
  CHECK(c.div(f.X, c.num(4)) == c.mul(c.num(0.25), f.X));
  CHECK(c.call(Op::Sin, c.num(0)) == c.num(0));
  CHECK(c.call(Op::Exp, c.num(0)) == c.num(1));
  CHECK(c.call(Op::Log, c.num(1)) == c.num(0));
  CHECK(c.call(Op::Max, c.num(2), c.num(3)) == c.num(3));
  // Flattening and one leading constant: (2 + x) + (3 + y) = 5 + x + y; (2x)(3y) = 6xy
  Expr s = c.add(c.add(c.num(2), f.X), c.add(c.num(3), f.Y));
  REQUIRE(s->op() == Op::Add);
  CHECK(s->args().size() == 3);
  CHECK(s->arg(0) == c.num(5));
  Expr p = c.mul(c.mul(c.num(2), f.X), c.mul(c.num(3), f.Y));
  REQUIRE(p->op() == Op::Mul);
  CHECK(p->args().size() == 3);
  CHECK(p->arg(0) == c.num(6));
  // (x^a)^n = x^(a n) for integer n; (x y)^n = x^n y^n
  CHECK(c.pow(c.pow(f.X, c.num(0.5)), c.num(4)) == c.pow(f.X, c.num(2)));
  CHECK(c.pow(c.pow(f.X, c.num(2)), c.num(0.5)) != c.pow(f.X, c.num(1)));  // that is |x|
  CHECK(c.pow(c.mul(c.num(2), f.X), c.num(-1)) == c.mul(c.num(0.5), c.pow(f.X, c.num(-1))));
}

TEST_CASE("symbolic: constants that do not fold to a finite number stay visible") {
  Fixture f;
  auto& c = f.c;
  Expr inv0 = c.pow(c.num(0), c.num(-1));
  CHECK(inv0->op() == Op::Pow);
  CHECK(c.call(Op::Log, c.num(0))->op() == Op::Log);
  CHECK(c.call(Op::Sqrt, c.num(-1))->op() == Op::Sqrt);
  // 0 * (1/0) is not silently 0
  CHECK(c.mul(c.num(0), inv0) != c.num(0));
  CHECK(std::isnan(eval(c, c.mul(c.num(0), inv0), {})));
  CHECK(is_division_by_zero(c.div(f.X, c.num(0))));
  CHECK_FALSE(is_division_by_zero(c.div(f.X, f.Z)));
  // x / (z - z) is only provably by zero once simplified
  Expr e = c.div(f.X, c.sub(f.Z, f.Z));
  CHECK_FALSE(is_division_by_zero(e));
  CHECK(is_division_by_zero(simplify(c, e)));
  CHECK(f.p(simplify(c, e)) == "x/0");
}

TEST_CASE("symbolic: call() checks arity against the op table") {
  Fixture f;
  Expr two[] = {f.X, f.Z};
  CHECK_THROWS_AS(f.c.call(Op::Sin, two), std::invalid_argument);
  CHECK_THROWS_AS(f.c.call(Op::Max, f.X), std::invalid_argument);
  CHECK(f.c.call(Op::Pow, f.X, f.Z) == f.c.pow(f.X, f.Z));
}

TEST_CASE("symbolic: unknown_symbol returns one symbol per (unknown, order)") {
  Fixture f;
  CHECK(f.c.unknown_symbol(0, 1, "y") == f.y1);
  SymbolId u3 = f.c.unknown_symbol(0, 3, "y");
  CHECK(f.c.symbol(u3).order == 3);
  CHECK(f.c.symbol(u3).kind == SymbolKind::Unknown);
  CHECK(f.p(f.c.sym(u3)) == "y'''");
  SymbolId v = f.c.unknown_symbol(1, 0, "v");
  CHECK(v != f.y0);
  CHECK(f.c.symbol(v).index == 1);
}

TEST_CASE("symbolic: topo_order lists children first, each node once, deterministically") {
  Fixture f;
  auto& c = f.c;
  Expr s = c.call(Op::Sin, f.X);
  Expr e = c.add(c.mul(s, s), c.mul(f.Z, s));  // s shared
  auto order = topo_order(std::span<const Expr>(&e, 1));
  CHECK(order.back() == e);
  CHECK(std::count(order.begin(), order.end(), s) == 1);
  for (std::size_t i = 0; i < order.size(); ++i)
    for (Expr a : order[i]->args())
      CHECK(std::find(order.begin(), order.begin() + i, a) != order.begin() + i);
  CHECK(topo_order(std::span<const Expr>(&e, 1)) == order);
}

TEST_CASE("symbolic: depends_on, depends_on_kind, substitute") {
  Fixture f;
  auto& c = f.c;
  Expr e = c.add(c.mul(f.K, f.Y), f.Y1);  // y' + k*y
  CHECK(depends_on(e, f.k));
  CHECK_FALSE(depends_on(e, f.t));
  CHECK(depends_on_kind(c, e, SymbolKind::Param));
  CHECK(depends_on_kind(c, e, SymbolKind::Unknown));
  CHECK_FALSE(depends_on_kind(c, e, SymbolKind::Indep));
  const std::vector<SymbolId> t_or_z{f.z, f.t}, t_or_k{f.t, f.k};  // unsorted on purpose
  CHECK_FALSE(depends_on_any(e, t_or_z));
  CHECK(depends_on_any(e, t_or_k));
  CHECK_FALSE(depends_on_any(e, {}));
  // k -> 2, y -> exp(-2t): y' + 2 exp(-2t)
  Expr sol = c.call(Op::Exp, c.mul(c.num(-2), f.T));
  Expr r = substitute(c, e, {{f.k, c.num(2)}, {f.y0, sol}});
  CHECK(f.p(r) == "y' + 2*exp(-2*t)");
  // simultaneous: x -> z, z -> x swaps
  CHECK(substitute(c, c.sub(f.X, f.Z), {{f.x, f.Z}, {f.z, f.X}}) == c.sub(f.Z, f.X));
}

TEST_CASE("symbolic: constructor output is a fixpoint of rebuild (the canonical form is stable)") {
  Fixture f;
  std::mt19937_64 rng(11);
  RandomExpr gen(f.c, rng, f.leaves(), false);
  for (int i = 0; i < 300; ++i) {
    Expr e = gen.gen(4);
    for (Expr n : topo_order(std::span<const Expr>(&e, 1))) {
      std::vector<Expr> args(n->args().begin(), n->args().end());
      CHECK(rebuild(f.c, n, args) == n);
    }
  }
}

TEST_CASE("symbolic: eval and diff are memoised over shared subexpressions") {
  // e_{n+1} = sin(e_n) * cos(e_n), 60 levels: a tree of ~2^60 nodes, a DAG of ~180.
  Fixture f;
  auto& c = f.c;
  Expr e = f.X;
  double expect = 0.7;
  for (int i = 0; i < 60; ++i) {
    e = c.mul(c.call(Op::Sin, e), c.call(Op::Cos, e));
    expect = std::sin(expect) * std::cos(expect);
  }
  std::vector<double> v(c.symbol_count(), 0.0);
  v[f.x] = 0.7;
  CHECK(eval(c, e, v) == doctest::Approx(expect).epsilon(1e-12));
  Expr d = diff(c, e, f.x);
  CHECK(topo_order(std::span<const Expr>(&d, 1)).size() < 3000);
  // d/dx of the recurrence: e' = (cos^2 e - sin^2 e) e', e_0' = 1
  double ev = 0.7, dv = 1;
  for (int i = 0; i < 60; ++i) {
    dv *= std::cos(ev) * std::cos(ev) - std::sin(ev) * std::sin(ev);
    ev = std::sin(ev) * std::cos(ev);
  }
  CHECK(eval(c, d, v) == doctest::Approx(dv).epsilon(1e-9));
}

TEST_CASE("symbolic: flattening shared operands stays small (identical operands merge)") {
  // f(u) = u*u*z and g(u) = u + u + z nested 60 times, the way a user function is
  // substituted into itself: flattening alone would give 2^60 operands.
  Fixture f;
  auto& c = f.c;
  Expr p = c.mul(f.X, f.Z), s = c.add(f.X, f.Z);
  for (int i = 0; i < 60; ++i) {
    Expr pf[] = {p, p, f.Z};
    p = c.mul(pf);
    Expr sf[] = {s, s, f.Z};
    s = c.add(sf);
  }
  // Each level may add an operand (z^4 * z^3 is merged by simplify, not here): linear.
  CHECK(p->args().size() <= 64);
  CHECK(s->args().size() <= 64);
  CHECK(simplify(c, p)->args().size() == 2);  // x^(2^60) * z^(2^61 - 1)
  // x*x = x^2, x + x = 2x, already in the constructors
  CHECK(c.mul(f.X, f.X) == c.pow(f.X, c.num(2)));
  CHECK(c.add(f.X, f.X) == c.mul(c.num(2), f.X));
  Expr three[] = {c.mul(c.num(3), f.X), c.mul(c.num(3), f.X), c.mul(c.num(6), f.X)};
  CHECK(c.add(three) == c.mul(c.num(12), f.X));
  std::vector<double> v(c.symbol_count(), 1.0);
  CHECK(eval(c, p, v) == 1.0);
}
