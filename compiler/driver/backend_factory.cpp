// backend_factory.cpp — see backend_factory.h.
#include "driver/backend_factory.h"

#include "interp/interp_backend.h"

#ifdef PINNC_HAVE_LLVM
#include "codegen/llvm/jit_backend.h"
#endif

namespace pinnc::driver {

bool have_jit() {
#ifdef PINNC_HAVE_LLVM
  return true;
#else
  return false;
#endif
}

std::unique_ptr<kernels::KernelBackend> make_backend(const std::string& name, bool use_cache, std::string* error) {
  if (name == "interp") return std::make_unique<interp::InterpBackend>();
#ifdef PINNC_HAVE_LLVM
  (void)error;
  jit::CacheOptions cache;
  if (use_cache) cache = jit::CacheOptions::from_environment();
  return std::make_unique<jit::JitBackend>(cache);
#else
  (void)use_cache;
  *error = "this pinnc was built without LLVM (PINNC_WITH_LLVM=OFF); use --backend interp";
  return nullptr;
#endif
}

}  // namespace pinnc::driver
