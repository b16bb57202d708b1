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

/// x^n by repeated multiplication, in the order every backend uses: ((x*x)*x)..., and
/// 1/x^|n| for negative n.
template <class T>
inline T powi(T x, int32_t n) {
  const int32_t m = n < 0 ? -n : n;
  T r = x;
  for (int32_t i = 1; i < m; ++i) r = r * x;
  return n < 0 ? T(1) / r : r;
}

/// Kernels of the ABI's C types that run `module` in the interpreter. The module is bound
/// process-wide (the C signatures carry no context pointer): one binding at a time; a new
/// Binding replaces the previous one. The module must outlive the binding's use.
class Binding {
 public:
  explicit Binding(const lower::KernelModule& module);
  ~Binding();
  Binding(const Binding&) = delete;
  Binding& operator=(const Binding&) = delete;
  pinnc_pointwise_f64 residual_f64() const;
  pinnc_pointwise_f64 conditions_f64() const;
  pinnc_trial_f64 trial_f64() const;  ///< NULL if the module has no trial kernel
  pinnc_exact_f64 exact_f64() const;  ///< NULL if the module has no exact kernel
  pinnc_pointwise_f32 residual_f32() const;
  pinnc_pointwise_f32 conditions_f32() const;
  pinnc_trial_f32 trial_f32() const;
};

}  // namespace pinnc::interp

#endif  // PINNC_INTERP_INTERP_H
