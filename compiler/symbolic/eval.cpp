// eval.cpp — numeric evaluation of an expression DAG at given symbol values.
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "symbolic/symbolic.h"

namespace pinnc::sym {

// Each node is evaluated once (memoised over the DAG), children before parents, with the
// op table's semantics (op_value), so the result is what the kernels compute.
double eval(const Context& ctx, Expr e, std::span<const double> values) {
  std::vector<Expr> order = topo_order(std::span<const Expr>(&e, 1));
  std::unordered_map<Expr, std::size_t> slot;  // node -> index into `val`; lookups only
  slot.reserve(order.size());
  std::vector<double> val(order.size());
  std::vector<double> args;
  for (std::size_t k = 0; k < order.size(); ++k) {
    Expr n = order[k];
    slot.emplace(n, k);
    const OpInfo& info = op_info(n->op());
    switch (info.cls) {
      case OpClass::Leaf:
        if (n->op() == Op::Const) {
          val[k] = n->value();
          break;
        }
        if (n->symbol() >= values.size() || n->symbol() >= ctx.symbol_count())
          throw std::out_of_range("eval: no value for symbol #" + std::to_string(n->symbol()));
        val[k] = values[n->symbol()];
        break;
      case OpClass::Sum:
      case OpClass::Product:
      case OpClass::Libm:
      case OpClass::Select: {
        // A constant integer exponent is repeated multiplication, as in the kernels.
        std::optional<int32_t> m;
        if (info.integer_power && n->arg(1)->is_const()) m = integer_exponent(n->arg(1)->value());
        if (m) {
          val[k] = powi(val[slot.at(n->arg(0))], *m);
          break;
        }
        args.clear();
        for (Expr a : n->args()) args.push_back(val[slot.at(a)]);
        val[k] = op_value<double>(n->op(), args.data(), static_cast<int>(args.size()));
        break;
      }
    }
  }
  return val.back();
}

}  // namespace pinnc::sym
