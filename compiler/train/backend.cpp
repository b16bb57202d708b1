// backend.cpp — the interpreter backend.
#include "train/backend.h"

namespace pinnc::train {

bool InterpBackend::bind(const lower::KernelModule& module, bool, pinnc_problem* abi, std::string*) {
  abi->kernels = interp::kernels(module);
  return true;
}

}  // namespace pinnc::train
