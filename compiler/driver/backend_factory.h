// backend_factory.h — the kernel backend named by `--backend` (jit needs an LLVM build).
#ifndef PINNC_DRIVER_BACKEND_FACTORY_H
#define PINNC_DRIVER_BACKEND_FACTORY_H

#include <memory>
#include <string>

#include "kernels/backend.h"

namespace pinnc::driver {

/// "jit" or "interp"; nullptr (with *error) when "jit" is asked of a build without LLVM.
/// The JIT keeps its objects in the user's cache folder unless `use_cache` is false
/// (`--no-cache`) or no cache folder can be named (codegen/llvm/object_cache.h).
std::unique_ptr<kernels::KernelBackend> make_backend(const std::string& name, bool use_cache, std::string* error);

/// True when this pinnc was built with the LLVM JIT.
bool have_jit();

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_BACKEND_FACTORY_H
