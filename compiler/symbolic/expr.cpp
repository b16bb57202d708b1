// expr.cpp — the hash-consed expression DAG: interning, canonicalising constructors, walks.
//
// Canonical form kept by the constructors (what every node built through them satisfies):
//  - Add/Mul are flat (no Add inside Add, no Mul inside Mul), have >= 2 operands, at most
//    one numeric constant, which comes first, and their other operands sorted by
//    structural_less. A sum's constant is never 0, a product's never 1 (nor 0, unless
//    another factor is an unfoldable constant like 0^-1, whose 0*inf must stay visible).
//  - No operand of an Add or Mul appears twice: x + x is 2*x, x*x is x^2.
//  - x^0 = 1, x^1 = x, 1^x = 1; (x^a)^n = x^(a n) and (x y)^n = x^n y^n for integer n.
//  - An op of constants is folded when the result is finite; 0^-1, log(0), sqrt(-1) stay
//    as nodes so they can be diagnosed and print back as written.
// These are exactly the rules that let the printer's output parse back to the same node.
#include "symbolic/expr.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace pinnc::sym {

struct Context::Impl {
  std::vector<std::unique_ptr<Node>> nodes;             // owner; index == Node::id()
  std::unordered_multimap<std::size_t, Node*> buckets;  // structural hash -> nodes
  std::vector<Symbol> symbols;
  std::map<std::pair<int, int>, SymbolId> unknowns;  // (unknown, order) -> symbol
};

namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
std::size_t combine(std::size_t h, uint64_t v) { return splitmix(h ^ splitmix(v)); }

/// One bit pattern per value: -0 becomes 0 and every NaN the same quiet NaN.
double normalise(double v) {
  if (v == 0) return 0.0;
  if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

bool is_integer(Expr e) {
  return e->is_const() && std::isfinite(e->value()) && e->value() == std::trunc(e->value());
}

/// A non-constant node all of whose arguments are constants: an op of constants whose value
/// was not finite (0^-1, log(0)), kept unfolded.
bool is_unfolded_constant(Expr e) {
  if (e->is_const() || e->op() == Op::Symbol) return false;
  for (Expr a : e->args())
    if (!a->is_const()) return false;
  return true;
}

/// Replaces each run of n identical operands of a sorted list by merge(operand, n); true if
/// there was any. This is what keeps flattening of shared operands from growing
/// exponentially: (u*u)*(u*u) is u^4, not a product of four u's.
template <class Merge>
bool merge_runs(std::vector<Expr>& sorted, Merge merge) {
  bool merged = false;
  std::vector<Expr> out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    if (j - i > 1) {
      if (!merged) out.assign(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(i));
      merged = true;
      out.push_back(merge(sorted[i], static_cast<double>(j - i)));
    } else if (merged) {
      out.push_back(sorted[i]);
    }
    i = j;
  }
  if (merged) sorted = std::move(out);
  return merged;
}

int compare(Expr a, Expr b) {
  if (a == b) return 0;
  if (a->op() != b->op()) return a->op() < b->op() ? -1 : 1;
  if (a->is_const()) {
    double x = a->value(), y = b->value();
    if (x < y) return -1;
    if (y < x) return 1;
    // NaN (only one after normalise) sorts after every number.
    return std::isnan(x) ? 1 : -1;
  }
  if (a->op() == Op::Symbol) return a->symbol() < b->symbol() ? -1 : 1;
  std::size_t n = std::min(a->args().size(), b->args().size());
  for (std::size_t i = 0; i < n; ++i)
    if (a->arg(i) != b->arg(i)) return compare(a->arg(i), b->arg(i));
  return a->args().size() < b->args().size() ? -1 : 1;
}

}  // namespace

Context::Context() : impl_(std::make_unique<Impl>()) {}
Context::~Context() = default;

// --- symbols ---------------------------------------------------------------------------

SymbolId Context::add_symbol(Symbol s) {
  impl_->symbols.push_back(std::move(s));
  return static_cast<SymbolId>(impl_->symbols.size() - 1);
}

const Symbol& Context::symbol(SymbolId id) const {
  if (id >= impl_->symbols.size()) throw std::out_of_range("pinnc bug: unknown SymbolId");
  return impl_->symbols[id];
}

std::size_t Context::symbol_count() const { return impl_->symbols.size(); }

SymbolId Context::unknown_symbol(int unknown, int order, const std::string& base_name) {
  auto [it, inserted] = impl_->unknowns.try_emplace({unknown, order}, 0);
  if (inserted) it->second = add_symbol(Symbol{base_name, SymbolKind::Unknown, unknown, order});
  return it->second;
}

std::size_t Context::node_count() const { return impl_->nodes.size(); }

// --- interning -------------------------------------------------------------------------

Expr Context::intern(Op op, std::span<const Expr> args, double value, SymbolId symbol) {
  const OpInfo& info = op_info(op);
  if (info.arity >= 0 && static_cast<int>(args.size()) != info.arity)
    throw std::invalid_argument("pinnc bug: wrong number of arguments for '" +
                                std::string(info.name) + "'");
  if (op != Op::Const) value = 0;
  value = normalise(value);
  if (op != Op::Symbol) symbol = 0;
  if (op == Op::Symbol && symbol >= impl_->symbols.size())
    throw std::out_of_range("pinnc bug: sym() of an unknown SymbolId");

  std::size_t h = combine(static_cast<std::size_t>(op), std::bit_cast<uint64_t>(value));
  h = combine(h, symbol);
  for (Expr a : args) h = combine(h, a->hash());

  auto [lo, hi] = impl_->buckets.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    const Node* n = it->second;
    if (n->op_ == op && std::bit_cast<uint64_t>(n->value_) == std::bit_cast<uint64_t>(value) &&
        n->symbol_ == symbol &&
        std::equal(args.begin(), args.end(), n->args_.begin(), n->args_.end()))
      return n;
  }
  auto node = std::make_unique<Node>();
  node->op_ = op;
  node->value_ = value;
  node->symbol_ = symbol;
  node->args_.assign(args.begin(), args.end());
  node->hash_ = h;
  node->id_ = static_cast<uint32_t>(impl_->nodes.size());
  Node* raw = node.get();
  impl_->nodes.push_back(std::move(node));
  impl_->buckets.emplace(h, raw);
  return raw;
}

// --- leaves ----------------------------------------------------------------------------

Expr Context::num(double v) { return intern(Op::Const, {}, v); }
Expr Context::sym(SymbolId id) { return intern(Op::Symbol, {}, 0, id); }

// --- canonicalising constructors -------------------------------------------------------

Expr Context::add(std::span<const Expr> terms) {
  double c = 0;
  std::vector<Expr> rest;
  auto take = [&](Expr t) {
    if (t->is_const())
      c += t->value();
    else
      rest.push_back(t);
  };
  for (Expr t : terms) {
    if (t->op() == Op::Add)
      for (Expr u : t->args()) take(u);
    else
      take(t);
  }
  std::stable_sort(rest.begin(), rest.end(), structural_less);
  // t + t -> 2*t (2*t may meet another term, so start over: the count only goes down).
  if (merge_runs(rest, [&](Expr t, double n) { return mul(num(n), t); })) {
    rest.push_back(num(c));
    return add(rest);
  }
  if (rest.empty()) return num(c);
  if (c == 0 && rest.size() == 1) return rest[0];
  if (c != 0) rest.insert(rest.begin(), num(c));
  return intern(Op::Add, rest);
}

Expr Context::add(Expr a, Expr b) {
  Expr t[] = {a, b};
  return add(t);
}

Expr Context::mul(std::span<const Expr> factors) {
  double c = 1;
  bool keep_zero = false;
  std::vector<Expr> rest;
  auto take = [&](Expr f) {
    if (f->is_const()) {
      c *= f->value();
    } else {
      keep_zero = keep_zero || is_unfolded_constant(f);
      rest.push_back(f);
    }
  };
  for (Expr f : factors) {
    if (f->op() == Op::Mul)
      for (Expr u : f->args()) take(u);
    else
      take(f);
  }
  if (c == 0 && !keep_zero) return num(0);
  std::stable_sort(rest.begin(), rest.end(), structural_less);
  // f * f -> f^2
  if (merge_runs(rest, [&](Expr f, double n) { return pow(f, num(n)); })) {
    rest.push_back(num(c));
    return mul(rest);
  }
  if (rest.empty()) return num(c);
  if (c == 1 && rest.size() == 1) return rest[0];
  if (c != 1) rest.insert(rest.begin(), num(c));
  return intern(Op::Mul, rest);
}

Expr Context::mul(Expr a, Expr b) {
  Expr f[] = {a, b};
  return mul(f);
}

Expr Context::sub(Expr a, Expr b) { return add(a, neg(b)); }
Expr Context::div(Expr a, Expr b) { return mul(a, pow(b, num(-1))); }
Expr Context::neg(Expr a) { return mul(num(-1), a); }

Expr Context::pow(Expr base, Expr exponent) {
  if (exponent->is_const(0)) return num(1);
  if (exponent->is_const(1)) return base;
  if (base->is_const(1)) return num(1);
  Expr args[] = {base, exponent};
  if (base->is_const() && exponent->is_const()) {
    // Folded as the kernels compute it: repeated multiplication for a small integer.
    double v[] = {base->value(), exponent->value()};
    std::optional<int32_t> n = integer_exponent(v[1]);
    double r = n ? powi(v[0], *n) : eval_op(Op::Pow, v, 2);
    if (std::isfinite(r)) return num(r);
    return intern(Op::Pow, args);
  }
  if (is_integer(exponent)) {
    if (base->op() == Op::Pow) return pow(base->arg(0), mul(base->arg(1), exponent));
    if (base->op() == Op::Mul) {
      std::vector<Expr> factors;
      for (Expr f : base->args()) factors.push_back(pow(f, exponent));
      return mul(factors);
    }
  }
  return intern(Op::Pow, args);
}

Expr Context::call(Op op, std::span<const Expr> args) {
  const OpInfo& info = op_info(op);
  if (info.arity >= 0 && static_cast<int>(args.size()) != info.arity)
    throw std::invalid_argument("wrong number of arguments for '" + std::string(info.name) +
                                "': expected " + std::to_string(info.arity) + ", got " +
                                std::to_string(args.size()));
  switch (info.cls) {
    case OpClass::Leaf:
      throw std::invalid_argument("pinnc bug: call() of a leaf op");
    case OpClass::Sum:
      return add(args);
    case OpClass::Product:
      return mul(args);
    case OpClass::Libm:
    case OpClass::Select: {
      if (op == Op::Pow) return pow(args[0], args[1]);  // canonical forms of powers
      bool all_const = std::all_of(args.begin(), args.end(), [](Expr a) { return a->is_const(); });
      if (all_const) {
        std::vector<double> v;
        for (Expr a : args) v.push_back(a->value());
        double r = eval_op(op, v.data(), static_cast<int>(v.size()));
        if (std::isfinite(r)) return num(r);
      }
      return intern(op, args);
    }
  }
  throw std::logic_error("pinnc bug: unhandled op in Context::call");
}

Expr Context::call(Op op, Expr a) {
  Expr args[] = {a};
  return call(op, args);
}

Expr Context::call(Op op, Expr a, Expr b) {
  Expr args[] = {a, b};
  return call(op, args);
}

// --- free functions --------------------------------------------------------------------

bool structural_less(Expr a, Expr b) { return compare(a, b) < 0; }

std::vector<Expr> topo_order(std::span<const Expr> roots) {
  std::vector<Expr> order;
  std::unordered_set<Expr> seen;  // membership only; the order comes from the walk
  struct Frame {
    Expr e;
    std::size_t next;
  };
  std::vector<Frame> stack;
  for (Expr root : roots) {
    if (!seen.insert(root).second) continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < f.e->args().size()) {
        Expr child = f.e->arg(f.next++);
        if (seen.insert(child).second) stack.push_back({child, 0});
      } else {
        order.push_back(f.e);
        stack.pop_back();
      }
    }
  }
  return order;
}

namespace {
/// True if some node reachable from e satisfies pred (each node visited once).
template <class Pred>
bool any_node(Expr e, Pred pred) {
  std::unordered_set<Expr> seen{e};
  std::vector<Expr> stack{e};
  while (!stack.empty()) {
    Expr n = stack.back();
    stack.pop_back();
    if (pred(n)) return true;
    for (Expr a : n->args())
      if (seen.insert(a).second) stack.push_back(a);
  }
  return false;
}
}  // namespace

bool depends_on(Expr e, SymbolId s) {
  return any_node(e, [s](Expr n) { return n->op() == Op::Symbol && n->symbol() == s; });
}

bool depends_on_kind(const Context& ctx, Expr e, SymbolKind kind) {
  return any_node(
      e, [&](Expr n) { return n->op() == Op::Symbol && ctx.symbol(n->symbol()).kind == kind; });
}

bool depends_on_any(Expr e, std::span<const SymbolId> symbols) {
  std::vector<SymbolId> sorted(symbols.begin(), symbols.end());
  std::sort(sorted.begin(), sorted.end());
  return any_node(e, [&](Expr n) {
    return n->op() == Op::Symbol && std::binary_search(sorted.begin(), sorted.end(), n->symbol());
  });
}

Expr rebuild(Context& ctx, Expr e, std::span<const Expr> args) {
  if (op_info(e->op()).cls == OpClass::Leaf) return e;
  return ctx.call(e->op(), args);
}

Expr substitute(Context& ctx, Expr e, const std::unordered_map<SymbolId, Expr>& with) {
  std::unordered_map<Expr, Expr> memo;  // lookups only
  std::vector<Expr> args;
  for (Expr n : topo_order(std::span<const Expr>(&e, 1))) {
    if (n->op() == Op::Symbol) {
      auto it = with.find(n->symbol());
      memo[n] = it == with.end() ? n : it->second;
      continue;
    }
    args.clear();
    for (Expr a : n->args()) args.push_back(memo.at(a));
    memo[n] = rebuild(ctx, n, args);
  }
  return memo.at(e);
}

}  // namespace pinnc::sym
