// jit_backend.h — the LLVM JIT as a training backend (train/backend.h).
#ifndef PINNC_CODEGEN_LLVM_JIT_BACKEND_H
#define PINNC_CODEGEN_LLVM_JIT_BACKEND_H

#include <memory>

#include "codegen/llvm/jit.h"
#include "kernels/backend.h"

namespace pinnc::jit {

class JitBackend final : public kernels::KernelBackend {
 public:
  /// Kernels go through the object cache `cache` describes (off by default).
  explicit JitBackend(CacheOptions cache = {}) : cache_(std::move(cache)) {}
  bool bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi, std::string* error) override;
  std::string name() const override { return "jit"; }
  double compile_ms() const override { return compile_ms_; }
  std::string compile_note() const override { return cache_hit_ ? "object cache hit" : ""; }
  /// The JIT itself (created on first use), e.g. for `--dump=llvm`; nullptr on failure.
  Jit* jit(std::string* error);

 private:
  CacheOptions cache_;
  std::unique_ptr<Jit> jit_;
  double compile_ms_ = 0;
  bool cache_hit_ = false;
};

}  // namespace pinnc::jit

#endif  // PINNC_CODEGEN_LLVM_JIT_BACKEND_H
