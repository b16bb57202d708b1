// interp.h — the reference interpreter of the kernel IR: the oracle the JIT and the
// emitted C++ are tested against, and the `--backend=interp` training backend.
#ifndef PINNC_INTERP_INTERP_H
#define PINNC_INTERP_INTERP_H

#include <cstdint>

#include "lower/kernel_ir.h"
#include "pinnc/kernel_abi.h"

namespace pinnc::interp {

/// Runs kernel `k` on a batch of P points. `outs[a]` is output array a (see Kernel);
/// a NULL array's stores are skipped. `u` may be NULL for kernels that load no u.
template <class T>
void run(const lower::Kernel& k, int64_t P, const T* t, const T* u, const T* params, T* const* outs);

/// The ABI's kernels running `module` in the interpreter: ctx is the module, so any
/// number of modules can be bound at once. Kernels the module does not have stay NULL.
/// The module must outlive the kernels' use.
pinnc_kernels kernels(const lower::KernelModule& module);

}  // namespace pinnc::interp

#endif  // PINNC_INTERP_INTERP_H
