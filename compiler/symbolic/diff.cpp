// diff.cpp — symbolic differentiation: the chain rule over the op table's partial derivatives.
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "symbolic/symbolic.h"

namespace pinnc::sym {

// Forward mode over the DAG: each node's derivative is computed once from its arguments'
// derivatives, d op(a0, a1, ...) = sum_i partial_i(a) * d ai, skipping arguments whose
// derivative is 0 (so the partial of a^b with respect to a constant b, with its log(a), is
// never built). The work is proportional to the DAG, not to the tree it unfolds to.
Expr diff(Context& ctx, Expr e, SymbolId s) {
  std::unordered_map<Expr, Expr> d;  // node -> its derivative; lookups only
  std::vector<Expr> terms;
  for (Expr n : topo_order(std::span<const Expr>(&e, 1))) {
    if (op_info(n->op()).cls == OpClass::Leaf) {
      d[n] = ctx.num(n->op() == Op::Symbol && n->symbol() == s ? 1 : 0);
      continue;
    }
    auto args = n->args();
    if (n->op() == Op::If) {
      // d if(c, a, b) = if(c, da, db): the chain rule's if(c, 1, 0)*da + if(c, 0, 1)*db
      // would give NaN where the branch not taken has an infinite derivative (0*inf), as
      // in if(t > 0, sqrt(t), 0) at t < 0.
      Expr branches[] = {args[0], d.at(args[1]), d.at(args[2])};
      d[n] = ctx.call(Op::If, branches);
      continue;
    }
    terms.clear();
    for (std::size_t i = 0; i < args.size(); ++i) {
      Expr da = d.at(args[i]);
      if (da->is_const(0)) continue;
      terms.push_back(ctx.mul(partial(ctx, n->op(), args, static_cast<int>(i)), da));
    }
    d[n] = ctx.add(terms);
  }
  return simplify(ctx, d.at(e));
}

Expr total_diff(Context& ctx, Expr e, SymbolId indep) {
  // d/dt e(t, u, u', ...) = de/dt + sum over unknown derivatives u^(k) in e of de/du^(k) * u^(k+1).
  std::vector<SymbolId> unknowns;  // in SymbolId order: deterministic
  std::vector<bool> seen(ctx.symbol_count(), false);
  for (Expr n : topo_order(std::span<const Expr>(&e, 1)))
    if (n->op() == Op::Symbol && ctx.symbol(n->symbol()).kind == SymbolKind::Unknown)
      seen[n->symbol()] = true;
  for (SymbolId id = 0; id < seen.size(); ++id)
    if (seen[id]) unknowns.push_back(id);
  std::vector<Expr> terms{diff(ctx, e, indep)};
  for (SymbolId id : unknowns) {
    Symbol u = ctx.symbol(id);  // copy: unknown_symbol may grow the symbol table
    Expr next = ctx.sym(ctx.unknown_symbol(u.index, u.order + 1, u.name));
    terms.push_back(ctx.mul(diff(ctx, e, id), next));
  }
  return simplify(ctx, ctx.add(terms));
}

}  // namespace pinnc::sym
