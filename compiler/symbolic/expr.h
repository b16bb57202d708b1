// expr.h — the hash-consed expression DAG at the heart of pinnc's symbolic engine.
//
// Every expression is a node owned by a Context; structurally equal expressions are the
// same node (hash-consing), so `Expr` pointer equality is structural equality and common
// subexpressions are shared for free. Nodes are built only through Context's factory
// functions, which keep them in canonical form (see the constructors below and symbolic.h).
#ifndef PINNC_SYMBOLIC_EXPR_H
#define PINNC_SYMBOLIC_EXPR_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "symbolic/ops.h"

namespace pinnc::sym {

using SymbolId = uint32_t;

/// What a symbol stands for.
enum class SymbolKind : uint8_t {
  Indep,    ///< the independent variable (t)
  Unknown,  ///< an unknown function's derivative u_j^(k); order 0 is the value itself
  Param,    ///< a named parameter (`param k = 1`)
  Local,    ///< a user function's formal argument (only inside function bodies)
};

struct Symbol {
  std::string name;  ///< base name as written by the user ("y", "k", "t")
  SymbolKind kind;
  int index = 0;  ///< unknown number (Unknown) or parameter number (Param); else 0
  int order = 0;  ///< derivative order (Unknown); else 0
};

class Node;
/// A handle to an immutable, interned node. Compare with ==.
using Expr = const Node*;

class Node {
 public:
  Op op() const { return op_; }
  double value() const { return value_; }        ///< Op::Const only
  SymbolId symbol() const { return symbol_; }    ///< Op::Symbol only
  std::span<const Expr> args() const { return args_; }
  Expr arg(std::size_t i) const { return args_[i]; }
  std::size_t hash() const { return hash_; }
  /// Creation order within the Context (deterministic for a deterministic program).
  uint32_t id() const { return id_; }
  bool is_const() const { return op_ == Op::Const; }
  bool is_const(double v) const { return op_ == Op::Const && value_ == v; }

 private:
  friend class Context;
  Op op_;
  double value_ = 0;
  SymbolId symbol_ = 0;
  std::vector<Expr> args_;
  std::size_t hash_ = 0;
  uint32_t id_ = 0;
};

/// Owns nodes and the symbol table. Not thread-safe; one per compilation.
class Context {
 public:
  Context();
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // --- symbols -------------------------------------------------------------------------
  SymbolId add_symbol(Symbol s);
  const Symbol& symbol(SymbolId id) const;
  std::size_t symbol_count() const;
  /// The symbol for d^order u_j / dt^order (created on first use, named after base_name).
  SymbolId unknown_symbol(int unknown, int order, const std::string& base_name);

  // --- leaves --------------------------------------------------------------------------
  Expr num(double v);
  Expr sym(SymbolId id);

  // --- canonicalising constructors (light simplification: constant folding, neutral
  //     elements, flattening of n-ary Add/Mul, sorting of operands) ----------------------
  Expr add(Expr a, Expr b);
  Expr add(std::span<const Expr> terms);
  Expr sub(Expr a, Expr b);
  Expr mul(Expr a, Expr b);
  Expr mul(std::span<const Expr> factors);
  Expr div(Expr a, Expr b);
  Expr neg(Expr a);
  Expr pow(Expr base, Expr exponent);
  /// Any op by enum (functions like sin, min, ...); arity is checked against the op table.
  Expr call(Op op, std::span<const Expr> args);
  Expr call(Op op, Expr a);
  Expr call(Op op, Expr a, Expr b);

  /// Interns a node exactly as given (no canonicalisation). For the simplifier's own use.
  Expr intern(Op op, std::span<const Expr> args, double value = 0, SymbolId symbol = 0);

  /// Number of nodes interned so far (node ids are 0 .. node_count() - 1).
  std::size_t node_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Structural total order used for canonical operand order: constants first, then symbols
/// by SymbolId, then by op, then arguments lexicographically. Independent of creation
/// order, so parse(print(e)) rebuilds the identical node.
bool structural_less(Expr a, Expr b);

/// Nodes reachable from `roots`, children before parents, each once, in a deterministic
/// order (depth-first, arguments left to right).
std::vector<Expr> topo_order(std::span<const Expr> roots);

/// True if the expression mentions the symbol.
bool depends_on(Expr e, SymbolId s);
/// True if the expression mentions any symbol of this kind.
bool depends_on_kind(const Context& ctx, Expr e, SymbolKind kind);
/// True if the expression mentions any of `symbols` (one walk over e, whatever their
/// number: checking n symbols one by one would walk e n times).
bool depends_on_any(Expr e, std::span<const SymbolId> symbols);

/// The node `e` with its arguments replaced by `args`, rebuilt through the canonicalising
/// constructors (leaves are returned as they are).
Expr rebuild(Context& ctx, Expr e, std::span<const Expr> args);

/// Replaces symbols by expressions (simultaneously) and re-canonicalises.
Expr substitute(Context& ctx, Expr e, const std::unordered_map<SymbolId, Expr>& with);

}  // namespace pinnc::sym

#endif  // PINNC_SYMBOLIC_EXPR_H
