// eval.cpp — numeric evaluation of an expression DAG at given symbol values.
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "symbolic/symbolic.h"

namespace pinnc::sym {

// Each node is evaluated once (memoised over the DAG), children before parents.
double eval(const Context& ctx, Expr e, std::span<const double> values) {
  std::vector<Expr> order = topo_order(std::span<const Expr>(&e, 1));
  std::unordered_map<Expr, std::size_t> slot;  // node -> index into `val`; lookups only
  slot.reserve(order.size());
  std::vector<double> val(order.size());
  std::vector<double> args;
  for (std::size_t k = 0; k < order.size(); ++k) {
    Expr n = order[k];
    slot.emplace(n, k);
    switch (n->op()) {
      case Op::Const:
        val[k] = n->value();
        break;
      case Op::Symbol:
        if (n->symbol() >= values.size() || n->symbol() >= ctx.symbol_count())
          throw std::out_of_range("eval: no value for symbol #" + std::to_string(n->symbol()));
        val[k] = values[n->symbol()];
        break;
      case Op::Add:
      case Op::Mul:
      case Op::Pow:
      case Op::Sin:
      case Op::Cos:
      case Op::Tan:
      case Op::Asin:
      case Op::Acos:
      case Op::Atan:
      case Op::Sinh:
      case Op::Cosh:
      case Op::Tanh:
      case Op::Exp:
      case Op::Log:
      case Op::Sqrt:
      case Op::Abs:
      case Op::Sign:
      case Op::Step:
      case Op::Min:
      case Op::Max:
        args.clear();
        for (Expr a : n->args()) args.push_back(val[slot.at(a)]);
        val[k] = eval_op(n->op(), args.data(), static_cast<int>(args.size()));
        break;
    }
  }
  return val.back();
}

}  // namespace pinnc::sym
