// kernel_ir.h — the kernel IR: straight-line tapes that both backends (LLVM, C++) and the
// interpreter execute, one per kernel kind of the runtime's ABI (kernel_abi.h).
//
// A kernel is a list of blocks. A block is a tape of instructions in SSA form (each
// instruction's operands are earlier instructions), followed by stores of some of its
// values into the kernel's output arrays. A block either runs for every point p of the
// batch (`point < 0`) and stores out[array][slot * P + p], or only for one fixed point
// index (the conditions kernel: block c runs at p = c) and stores out[array][slot].
//
// The kernels' C signatures come from one place, kernel_abi.h's PINNC_KERNEL_KINDS; this
// header turns them into `signature(kind)`, which the backends walk.
#ifndef PINNC_LOWER_KERNEL_IR_H
#define PINNC_LOWER_KERNEL_IR_H

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "symbolic/ops.h"

namespace pinnc::lower {

/// The kernel kinds, one per row of PINNC_KERNEL_KINDS, in its order.
enum class KernelKind : uint8_t {
#define PINNC_KIND_ENUM_(kind, ARGS, F32) kind,
  PINNC_KERNEL_KINDS(PINNC_KIND_ENUM_)
#undef PINNC_KIND_ENUM_
};
#define PINNC_KIND_COUNT_(kind, ARGS, F32) +1
inline constexpr int kKernelKindCount = 0 PINNC_KERNEL_KINDS(PINNC_KIND_COUNT_);
#undef PINNC_KIND_COUNT_

/// What a kernel parameter (after `void* ctx`) is: the ROLE column of kernel_abi.h.
enum class ArgRole : uint8_t { COUNT, TIME, STACK, PARAMS, OUT, OPTIONAL_OUT };

struct KernelArg {
  ArgRole role;
  std::string_view name;  ///< as in kernel_abi.h: "P", "t", "u", "params", "r", ...
  bool is_output() const { return role == ArgRole::OUT || role == ArgRole::OPTIONAL_OUT; }
};

/// One kernel kind's C signature: `void f(void* ctx, args...)`.
struct KernelSignature {
  KernelKind kind;
  std::string_view name;  ///< "residual", ...: the pinnc_kernels field is NAME_f64 / NAME_f32
  bool has_f32;           ///< the kind also exists in float32
  std::span<const KernelArg> args;
  /// The output arrays in order: a Store's `array` indexes this list.
  std::vector<KernelArg> outputs() const;
};

/// The signature of `kind`.
const KernelSignature& signature(KernelKind kind);

/// Calls f(kind, f32, field) for every kernel pointer field of `k`, in the order of
/// PINNC_KERNEL_KINDS (each kind's float64 field, then its float32 one): `kind` is a
/// std::integral_constant<KernelKind, ...>, `f32` a std::bool_constant and `field` a
/// reference to the typed pointer. One loop fills or reads every field.
template <class F>
void for_each_kernel(pinnc_kernels& k, F&& f) {
#define PINNC_VISIT_(kind, ARGS, F32)                                                            \
  f(std::integral_constant<KernelKind, KernelKind::kind>{}, std::false_type{}, k.kind##_f64); \
  PINNC_IF_##F32##_(f(std::integral_constant<KernelKind, KernelKind::kind>{}, std::true_type{}, k.kind##_f32);)
  PINNC_KERNEL_KINDS(PINNC_VISIT_)
#undef PINNC_VISIT_
}

/// Where a Load instruction reads from: the kernel argument of role TIME, STACK or PARAMS.
enum class Input : uint8_t {
  T,      ///< t[p]
  U,      ///< u[slot * P + p]  (slot = j*(K+1) + k)
  Param,  ///< params[slot]
};
/// The argument role an Input reads.
ArgRole input_role(Input in);

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

/// out[array][slot * P + p] (every-point block) or out[array][slot] (fixed-point block)
/// = value of instruction `value`.
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

/// One kernel. Its output arrays are its signature's outputs() in order:
///   residual, conditions: 0 = r, 1 = dr, 2 = dr_dparams (optional: stores skipped when NULL)
///   trial: 0 = A, 1 = B.   exact: 0 = u.   aux: 0 = a
struct Kernel {
  KernelKind kind = KernelKind::residual;
  std::string name;  ///< symbol name, e.g. "pinnc_residual"
  std::vector<Block> blocks;
};

/// The structurally non-zero partial derivatives of one output, as in pinnc_pattern:
/// entry n is d(row[n]) / d(col[n]); sorted by row, then col.
struct Pattern {
  std::vector<int32_t> row, col;
  std::size_t size() const { return row.size(); }
  void add(int32_t r, int32_t c) { row.push_back(r), col.push_back(c); }
  pinnc_pattern abi() const;  ///< points into this Pattern
};

/// All kernels of one problem, plus the sizes and patterns the ABI needs.
struct KernelModule {
  int n_unknowns = 0, order = 0, n_equations = 0, n_conditions = 0, n_params = 0, n_aux = 0;
  Kernel residual, conditions, trial, exact, aux;
  bool has_trial = false, has_exact = false, has_aux = false;
  Pattern residual_partials, residual_param_partials;    ///< (e, slot), (e, q)
  Pattern condition_partials, condition_param_partials;  ///< (c, slot), (c, q)

  const Kernel& kernel(KernelKind kind) const;
  /// False for a kernel the problem does not have (trial, exact, aux); its pointer stays NULL.
  bool has(KernelKind kind) const;
  /// Number of elements of output array `array` of `kind` per point (the slot count).
  uint32_t slots(KernelKind kind, uint32_t array) const;
  /// Sets the ABI's sizes and patterns (n_unknowns .. n_params and the four patterns,
  /// pointing into this module); the interval, points, parameters and kernels are the
  /// caller's.
  void describe(pinnc_problem* abi) const;
};

/// Human-readable listing (`pinnc check --dump=kernels`), deterministic.
std::string dump(const KernelModule& m);
std::string dump(const Kernel& k);

}  // namespace pinnc::lower

#endif  // PINNC_LOWER_KERNEL_IR_H
