// backend.h — where a problem's kernels come from: the interface that the LLVM JIT
// (compiler/codegen/llvm/jit_backend.h) and the interpreter (compiler/interp/
// interp_backend.h) implement. Both fill the same ABI struct (kernel_abi.h); training
// never knows which ran.
#ifndef PINNC_KERNELS_BACKEND_H
#define PINNC_KERNELS_BACKEND_H

#include <memory>
#include <string>

#include "lower/kernel_ir.h"
#include "pinnc/kernel_abi.h"

namespace pinnc::kernels {

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
  /// A word on how the last bind() got its kernels (e.g. "object cache hit"), or "".
  virtual std::string compile_note() const { return ""; }
};

}  // namespace pinnc::kernels

#endif  // PINNC_KERNELS_BACKEND_H
