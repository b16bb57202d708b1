// random_tape.h — random straight-line kernel blocks covering every op, for backend tests.
#ifndef PINNC_TESTS_RANDOM_TAPE_H
#define PINNC_TESTS_RANDOM_TAPE_H

#include <cmath>
#include <random>
#include <vector>

#include "lower/kernel_ir.h"

namespace pinnc::testing {

/// Every op the table evaluates (all but the leaves), in table order.
inline std::vector<sym::Op> evaluated_ops() {
  std::vector<sym::Op> ops;
  for (int i = 0; i < sym::kOpCount; ++i)
    if (sym::op_info(static_cast<sym::Op>(i)).cls != sym::OpClass::Leaf) ops.push_back(static_cast<sym::Op>(i));
  return ops;
}

/// A random block over t, `slots` u columns and `params` parameters; every op of the
/// table appears at least once per evaluated_ops().size() instructions (with its arity
/// from the table, n-ary ones with three arguments, powers also with integer exponents);
/// the last instructions are stored to array 0.
inline lower::Block random_block(std::mt19937_64& rng, int slots, int params, int length, int outputs) {
  using lower::Input;
  using lower::Instr;
  lower::Block b;
  auto pick = [&](std::size_t n) { return static_cast<uint32_t>(rng() % n); };
  b.code.push_back(Instr{sym::Op::Symbol, 0, Input::T, 0, 0, {}});
  for (int s = 0; s < slots; ++s) b.code.push_back(Instr{sym::Op::Symbol, 0, Input::U, uint32_t(s), 0, {}});
  for (int q = 0; q < params; ++q) b.code.push_back(Instr{sym::Op::Symbol, 0, Input::Param, uint32_t(q), 0, {}});
  b.code.push_back(Instr{sym::Op::Const, 0.75, Input::T, 0, 0, {}});
  const std::vector<sym::Op> ops = evaluated_ops();
  for (int i = 0; i < length; ++i) {
    Instr in;
    in.op = ops[static_cast<std::size_t>(i) % ops.size()];
    const sym::OpInfo& info = sym::op_info(in.op);
    const std::size_t n = b.code.size();
    if (info.integer_power && rng() % 2) {
      in.int_exponent = static_cast<int32_t>(rng() % 7) - 3;
      if (in.int_exponent == 0) in.int_exponent = 2;
      in.args = {pick(n)};
    } else {
      for (int a = 0; a < (info.arity < 0 ? 3 : info.arity); ++a) in.args.push_back(pick(n));
    }
    b.code.push_back(in);
  }
  for (int o = 0; o < outputs; ++o)
    b.stores.push_back({0, uint32_t(o), uint32_t(b.code.size() - 1 - o % 5), ""});
  return b;
}

/// Equal, or both NaN.
template <class T>
bool same(T a, T b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace pinnc::testing

#endif  // PINNC_TESTS_RANDOM_TAPE_H
