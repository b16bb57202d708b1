// backend.h — where a problem's kernels come from: the LLVM JIT or the interpreter.
// Both fill the same ABI struct (kernel_abi.h); training never knows which ran.
#ifndef PINNC_TRAIN_BACKEND_H
#define PINNC_TRAIN_BACKEND_H

#include <memory>
#include <string>

#include "interp/interp.h"
#include "lower/kernel_ir.h"
#include "pinnc/kernel_abi.h"

namespace pinnc::train {

class KernelBackend {
 public:
  virtual ~KernelBackend() = default;
  /// Makes kernels for `module` and stores them, with their ctx, in `abi->kernels`
  /// (nothing else): float64 always, float32 too when `with_f32`. The kernels stay valid
  /// while both the backend and `module` live.
  virtual bool bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi, std::string* error) = 0;
  virtual std::string name() const = 0;
  /// Milliseconds the last bind() spent compiling (0 for the interpreter).
  virtual double compile_ms() const { return 0; }
};

/// The interpreter as a backend: its kernels carry the module as their ctx, so any
/// number of bound problems coexist; the module must outlive their use.
class InterpBackend final : public KernelBackend {
 public:
  bool bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi, std::string* error) override;
  std::string name() const override { return "interp"; }
};

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_BACKEND_H
