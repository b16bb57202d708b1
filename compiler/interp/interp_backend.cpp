// interp_backend.cpp — see interp_backend.h.
#include "interp/interp_backend.h"

#include "interp/interp.h"

namespace pinnc::interp {

bool InterpBackend::bind(const lower::KernelModule& module, bool, pinnc_problem* abi, std::string*) {
  abi->kernels = kernels(module);
  return true;
}

}  // namespace pinnc::interp
