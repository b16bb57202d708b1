// simplify.cpp — full simplification: like terms, like bases, elementary identities, to a fixpoint.
//
// One pass rebuilds the DAG bottom-up (children first, each node once) and applies the rules
// below at every node; passes repeat until nothing changes, which makes simplify idempotent
// by construction. The rules only ever merge or remove operands, so the loop settles in a
// few passes; kMaxPasses is a backstop, not the normal exit.
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <vector>

#include "symbolic/symbolic.h"

namespace pinnc::sym {
namespace {

constexpr int kMaxPasses = 16;

Expr collect_factors(Context& c, std::span<const Expr> factors);

/// A term as coefficient * rest: 3*x*y -> (3, x*y); x -> (1, x).
std::pair<double, Expr> split_coefficient(Context& c, Expr t) {
  if (t->op() == Op::Mul && t->arg(0)->is_const())
    return {t->arg(0)->value(), c.mul(t->args().subspan(1))};
  return {1.0, t};
}

/// Sums with like terms collected: x + 2*x -> 3*x, x - x -> 0.
Expr collect_terms(Context& c, std::span<const Expr> terms) {
  Expr flat = c.add(terms);
  if (flat->op() != Op::Add) return flat;
  double constant = 0;
  std::vector<Expr> bases;
  std::vector<double> coefs;
  std::unordered_map<Expr, std::size_t> index;  // lookups only; order comes from `bases`
  for (Expr t : flat->args()) {
    if (t->is_const()) {
      constant += t->value();
      continue;
    }
    auto [coef, base] = split_coefficient(c, t);
    auto [it, inserted] = index.try_emplace(base, bases.size());
    if (inserted) {
      bases.push_back(base);
      coefs.push_back(coef);
    } else {
      coefs[it->second] += coef;
    }
  }
  std::vector<Expr> out{c.num(constant)};
  for (std::size_t i = 0; i < bases.size(); ++i)
    if (coefs[i] != 0) out.push_back(c.mul(c.num(coefs[i]), bases[i]));
  return c.add(out);
}

/// Powers, beyond what the constructor folds. Only identities valid for every real x:
/// exp(a)^b = exp(a b) (exp(a) > 0), |x|^n = x^n for even integer n.
Expr simplify_pow(Context& c, Expr base, Expr exponent) {
  if (base->op() == Op::Exp)
    return c.call(Op::Exp, collect_factors(c, std::array{base->arg(0), exponent}));
  if (base->op() == Op::Abs && exponent->is_const() && std::fmod(exponent->value(), 2) == 0)
    return c.pow(base->arg(0), exponent);
  return c.pow(base, exponent);
}

/// Products with like bases collected (x * x^2 -> x^3, x^2 / x -> x) and a numeric
/// coefficient distributed over a lone sum (-(a - b) -> b - a).
Expr collect_factors(Context& c, std::span<const Expr> factors) {
  Expr flat = c.mul(factors);
  if (flat->op() != Op::Mul) return flat;
  double coef = 1;
  std::vector<Expr> bases;
  std::vector<std::vector<Expr>> exponents;
  std::unordered_map<Expr, std::size_t> index;  // lookups only
  for (Expr f : flat->args()) {
    if (f->is_const()) {
      coef *= f->value();
      continue;
    }
    Expr base = f->op() == Op::Pow ? f->arg(0) : f;
    Expr exponent = f->op() == Op::Pow ? f->arg(1) : c.num(1);
    auto [it, inserted] = index.try_emplace(base, bases.size());
    if (inserted) {
      bases.push_back(base);
      exponents.push_back({exponent});
    } else {
      exponents[it->second].push_back(exponent);
    }
  }
  std::vector<Expr> out{c.num(coef)};
  for (std::size_t i = 0; i < bases.size(); ++i) {
    Expr e = exponents[i].size() == 1 ? exponents[i][0] : collect_terms(c, exponents[i]);
    out.push_back(simplify_pow(c, bases[i], e));
  }
  Expr product = c.mul(out);
  // k * (a + b) -> k*a + k*b: lets like terms meet across the parentheses.
  if (product->op() == Op::Mul && product->args().size() == 2 && product->arg(0)->is_const() &&
      product->arg(1)->op() == Op::Add) {
    std::vector<Expr> terms;
    for (Expr t : product->arg(1)->args()) terms.push_back(c.mul(product->arg(0), t));
    return collect_terms(c, terms);
  }
  return product;
}

/// Identities of particular ops that always hold; nullopt when none applies.
std::optional<Expr> identity(Context& c, Op op, std::span<const Expr> a) {
  if (op == Op::Log && a[0]->op() == Op::Exp) return a[0]->arg(0);  // log(exp(x)) = x for every real x
  if (op == Op::Sqrt && a[0]->op() == Op::Pow && a[0]->arg(1)->is_const(2))  // sqrt(x^2) = |x|
    return c.call(Op::Abs, a[0]->arg(0));
  if (op == Op::Abs && (a[0]->op() == Op::Abs || a[0]->op() == Op::Exp)) return a[0];  // ||x|| = |x|, |exp x| = exp x
  if ((op == Op::Min || op == Op::Max) && a[0] == a[1]) return a[0];  // min(x, x) = max(x, x) = x
  if (op == Op::If && a[1] == a[2]) return a[1];  // if(c, x, x) = x (c NaN aside, as min(x, x))
  // A truth value (a comparison or not: 0 or 1) compared with 0 is itself or its negation.
  auto truth = [](Expr x) { return is_comparison(x->op()) || x->op() == Op::Not; };
  if (op == Op::Ne && a[1]->is_const(0) && truth(a[0])) return a[0];
  if (op == Op::If && truth(a[0]) && a[1]->is_const(1) && a[2]->is_const(0)) return a[0];
  return std::nullopt;
}

/// One node, its arguments already simplified.
Expr simplify_node(Context& c, Expr e, std::span<const Expr> a) {
  switch (op_info(e->op()).cls) {
    case OpClass::Leaf:
      return e;
    case OpClass::Sum:
      return collect_terms(c, a);
    case OpClass::Product:
      return collect_factors(c, a);
    case OpClass::Libm:
    case OpClass::Select:
      if (e->op() == Op::Pow) return simplify_pow(c, a[0], a[1]);
      if (std::optional<Expr> r = identity(c, e->op(), a)) return *r;
      return c.call(e->op(), a);
  }
  return e;  // unreachable: every class is handled above
}

Expr simplify_pass(Context& c, Expr root) {
  std::unordered_map<Expr, Expr> memo;  // lookups only
  std::vector<Expr> args;
  for (Expr n : topo_order(std::span<const Expr>(&root, 1))) {
    args.clear();
    for (Expr a : n->args()) args.push_back(memo.at(a));
    memo[n] = simplify_node(c, n, args);
  }
  return memo.at(root);
}

}  // namespace

Expr simplify(Context& ctx, Expr e) {
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    Expr s = simplify_pass(ctx, e);
    if (s == e) return s;
    e = s;
  }
  return e;
}

bool is_division_by_zero(Expr e) {
  for (Expr n : topo_order(std::span<const Expr>(&e, 1)))
    if (n->op() == Op::Pow && n->arg(0)->is_const(0) && n->arg(1)->is_const() &&
        n->arg(1)->value() < 0)
      return true;
  return false;
}

}  // namespace pinnc::sym
