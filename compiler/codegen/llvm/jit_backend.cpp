// jit_backend.cpp — compiles a module with the JIT and fills the ABI struct.
#include "codegen/llvm/jit_backend.h"

namespace pinnc::jit {

Jit* JitBackend::jit(std::string* error) {
  if (!jit_) jit_ = Jit::create(error);
  return jit_.get();
}

bool JitBackend::bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi,
                      std::string* error) {
  Jit* j = jit(error);
  if (!j) return false;
  CompiledKernels k;
  if (!j->compile(module, with_f32, &k, error)) return false;
  compile_ms_ = k.compile_ms;
  abi->residual_f64 = k.residual_f64;
  abi->conditions_f64 = k.conditions_f64;
  abi->trial_f64 = k.trial_f64;
  abi->exact_f64 = k.exact_f64;
  abi->residual_f32 = k.residual_f32;
  abi->conditions_f32 = k.conditions_f32;
  abi->trial_f32 = k.trial_f32;
  return true;
}

}  // namespace pinnc::jit
