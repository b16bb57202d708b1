// jit_backend.cpp — compiles a module with the JIT and fills the ABI struct.
#include "codegen/llvm/jit_backend.h"

namespace pinnc::jit {

Jit* JitBackend::jit(std::string* error) {
  if (!jit_) jit_ = Jit::create(cache_, error);
  return jit_.get();
}

bool JitBackend::bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi,
                      std::string* error) {
  Jit* j = jit(error);
  if (!j) return false;
  CompiledKernels k;
  if (!j->compile(module, with_f32, &k, error)) return false;
  compile_ms_ = k.compile_ms;
  cache_hit_ = k.cache_hit;
  abi->kernels = k.kernels;
  return true;
}

}  // namespace pinnc::jit
