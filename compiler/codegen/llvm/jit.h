// jit.h — the LLVM ORC backend behind one small door: no LLVM header is included here,
// so the rest of pinnc builds without seeing LLVM (docs/ARCHITECTURE.md, "Layers").
#ifndef PINNC_CODEGEN_LLVM_JIT_H
#define PINNC_CODEGEN_LLVM_JIT_H

#include <memory>
#include <string>

#include "codegen/llvm/object_cache.h"
#include "lower/kernel_ir.h"
#include "pinnc/kernel_abi.h"

namespace pinnc::jit {

/// Native kernels with the runtime's ABI; valid while the Jit that made them lives. Their
/// ctx is NULL (JIT kernels ignore it).
struct CompiledKernels {
  pinnc_kernels kernels{};  ///< trial/exact NULL when the module has none; f32 NULL unless asked for
  double compile_ms = 0;    ///< IR generation + optimisation + machine code, wall time
  bool cache_hit = false;   ///< the machine code came from the object cache (object_cache.h)
};

/// One LLJIT instance targeting the host CPU. Each compile() adds a new set of kernels
/// (earlier ones stay valid).
class Jit {
 public:
  /// Creates the JIT; on failure returns nullptr and sets *error. With `cache` enabled,
  /// compiled kernels are kept on disk and a later compile of the same IR for the same
  /// CPU loads them instead of optimising and generating code again.
  static std::unique_ptr<Jit> create(std::string* error) { return create(CacheOptions{}, error); }
  static std::unique_ptr<Jit> create(const CacheOptions& cache, std::string* error);
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  /// Compiles every kernel of `module` in float64, and in float32 too when `with_f32`
  /// (the f32 pointers stay NULL otherwise). False (and *error) on failure.
  bool compile(const lower::KernelModule& module, bool with_f32, CompiledKernels* out, std::string* error);

  /// The LLVM IR of `module`'s kernels (float64 and float32), after optimisation when
  /// `optimized` is set (`pinnc check --dump=llvm`).
  std::string llvm_ir(const lower::KernelModule& module, bool optimized);

  /// Host CPU name as LLVM sees it (e.g. "znver4").
  std::string host_cpu() const;

 private:
  struct Impl;
  explicit Jit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The LLVM version the backend was built with ("19.1.7").
std::string llvm_version();

}  // namespace pinnc::jit

#endif  // PINNC_CODEGEN_LLVM_JIT_H
