// kernel_ir.h — the kernel IR: straight-line tapes that both backends (LLVM, C++) and the
// interpreter execute, one per kernel kind of the runtime's ABI (kernel_abi.h).
//
// A kernel is a list of blocks. A block is a tape of instructions in SSA form (each
// instruction's operands are earlier instructions), followed by stores of some of its
// values into the kernel's output arrays. A block either runs for every point p of the
// batch (`point < 0`) or only for one fixed point index (the conditions kernel: block c
// runs at p = c). Every store writes out[array][slot * P + p].
#ifndef PINNC_LOWER_KERNEL_IR_H
#define PINNC_LOWER_KERNEL_IR_H

#include <cstdint>
#include <string>
#include <vector>

#include "symbolic/ops.h"

namespace pinnc::lower {

/// Where a Load instruction reads from.
enum class Input : uint8_t {
  T,      ///< t[p]
  U,      ///< u[slot * P + p]  (slot = j*(K+1) + k)
  Param,  ///< params[slot]
};

/// One SSA instruction. `op` is a symbolic op; Op::Symbol means a load from `input`.
/// Op::Pow with `int_exponent != 0` is an integer power computed by repeated
/// multiplication in the same order in every backend (so they agree bit for bit).
struct Instr {
  sym::Op op = sym::Op::Const;
  double value = 0;           ///< Op::Const
  Input input = Input::T;     ///< Op::Symbol
  uint32_t slot = 0;          ///< Op::Symbol: slot of U or Param
  int32_t int_exponent = 0;   ///< Op::Pow: integer exponent, or 0 for a general power
  std::vector<uint32_t> args; ///< operand instruction indices (earlier in the block)
};

/// out[array][slot * P + p] = value of instruction `value`.
struct Store {
  uint32_t array = 0;
  uint32_t slot = 0;
  uint32_t value = 0;
  std::string comment;  ///< what is stored, for readable dumps and emitted C++
};

struct Block {
  int64_t point = -1;  ///< -1: run for all points; otherwise only for p == point
  std::vector<Instr> code;
  std::vector<Store> stores;
  std::string comment;  ///< e.g. the source line of a condition
};

enum class KernelKind : uint8_t { Residual, Conditions, Trial, Exact };

/// One kernel. The output arrays per kind:
///   Residual, Conditions: 0 = r, 1 = dr, 2 = dr_dparams (stores skipped when NULL)
///   Trial: 0 = A, 1 = B.   Exact: 0 = u
struct Kernel {
  KernelKind kind = KernelKind::Residual;
  std::string name;  ///< symbol name, e.g. "pinnc_residual"
  std::vector<Block> blocks;
};

/// All kernels of one problem, plus the sizes the ABI needs.
struct KernelModule {
  int n_unknowns = 0, order = 0, n_equations = 0, n_conditions = 0, n_params = 0;
  Kernel residual, conditions, trial, exact;
  bool has_trial = false, has_exact = false;
  /// Number of elements of output array `array` of `kind` per point (the slot count).
  uint32_t slots(KernelKind kind, uint32_t array) const;
};

/// Human-readable listing (`pinnc check --dump=kernels`), deterministic.
std::string dump(const KernelModule& m);
std::string dump(const Kernel& k);

}  // namespace pinnc::lower

#endif  // PINNC_LOWER_KERNEL_IR_H
