// random_tape.h — random straight-line kernel blocks covering every op, for backend tests.
#ifndef PINNC_TESTS_RANDOM_TAPE_H
#define PINNC_TESTS_RANDOM_TAPE_H

#include <cmath>
#include <iterator>
#include <random>

#include "lower/kernel_ir.h"

namespace pinnc::testing {

/// A random block over t, `slots` u columns and `params` parameters; every op appears
/// at least once per 20 instructions; the last instructions are stored to array 0.
inline lower::Block random_block(std::mt19937_64& rng, int slots, int params, int length, int outputs) {
  using lower::Input;
  using lower::Instr;
  using sym::Op;
  lower::Block b;
  auto pick = [&](std::size_t n) { return static_cast<uint32_t>(rng() % n); };
  b.code.push_back(Instr{Op::Symbol, 0, Input::T, 0, 0, {}});
  for (int s = 0; s < slots; ++s) b.code.push_back(Instr{Op::Symbol, 0, Input::U, uint32_t(s), 0, {}});
  for (int q = 0; q < params; ++q) b.code.push_back(Instr{Op::Symbol, 0, Input::Param, uint32_t(q), 0, {}});
  b.code.push_back(Instr{Op::Const, 0.75, Input::T, 0, 0, {}});
  const Op ops[] = {Op::Add, Op::Mul, Op::Pow, Op::Sin, Op::Cos, Op::Tan, Op::Asin, Op::Acos,
                    Op::Atan, Op::Sinh, Op::Cosh, Op::Tanh, Op::Exp, Op::Log, Op::Sqrt, Op::Abs,
                    Op::Sign, Op::Step, Op::Min, Op::Max};
  for (int i = 0; i < length; ++i) {
    Instr in;
    in.op = ops[i % std::size(ops)];
    const std::size_t n = b.code.size();
    switch (in.op) {
      case Op::Add:
      case Op::Mul: in.args = {pick(n), pick(n), pick(n)}; break;
      case Op::Pow:
        if (rng() % 2) {
          in.int_exponent = static_cast<int32_t>(rng() % 7) - 3;
          if (in.int_exponent == 0) in.int_exponent = 2;
          in.args = {pick(n)};
        } else {
          in.args = {pick(n), pick(n)};
        }
        break;
      case Op::Min:
      case Op::Max: in.args = {pick(n), pick(n)}; break;
      default: in.args = {pick(n)}; break;
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
