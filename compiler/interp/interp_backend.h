// interp_backend.h — the interpreter as a kernel backend (kernels/backend.h).
#ifndef PINNC_INTERP_INTERP_BACKEND_H
#define PINNC_INTERP_INTERP_BACKEND_H

#include <string>

#include "kernels/backend.h"

namespace pinnc::interp {

/// The interpreter as a backend: its kernels carry the module as their ctx, so any
/// number of bound problems coexist; the module must outlive their use.
class InterpBackend final : public kernels::KernelBackend {
 public:
  bool bind(const lower::KernelModule& module, bool with_f32, pinnc_problem* abi, std::string* error) override;
  std::string name() const override { return "interp"; }
};

}  // namespace pinnc::interp

#endif  // PINNC_INTERP_INTERP_BACKEND_H
