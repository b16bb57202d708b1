// stiff.h — the stiff reference integrator: Boost.Odeint's Rosenbrock 4 (linearly
// implicit, L-stable, adaptive step control that lands on every output time: its dense
// output is only third order) on a system given by callbacks.
//
// Odeint's Rosenbrock stepper works on Boost.uBLAS vectors and matrices, and uBLAS in
// Boost 1.74 (Debian 12) does not compile as C++20 (it calls std::allocator::construct,
// removed in C++20). Emitted solvers are C++17 and get the definition inline from
// post/stiff_impl.h (post/reference.h includes it unless PINNC_STIFF_SEPARATE is set); pinnc itself is C++20, so its build defines PINNC_STIFF_SEPARATE and
// links runtime/src/stiff.cpp, which compiles the same definition as C++17. Both run the
// same code, so the reference stays bit-identical between `pinnc train` and `pinnc emit`.
#ifndef PINNC_POST_STIFF_H
#define PINNC_POST_STIFF_H

#include <cstddef>
#include <functional>
#include <vector>

namespace pinnc::post {

/// x' = f(t, x) of size n, with its Jacobian J = df/dx (row-major n x n) and df/dt.
struct StiffSystem {
  int n = 0;
  std::function<void(double t, const double* x, double* f)> rhs;
  std::function<void(double t, const double* x, double* J, double* dfdt)> jacobian;
};

/// Integrates from times[0] (state x0) through `times` (monotone, either direction),
/// calling observe(i, x) at each times[i]. Throws std::exception on failure (too many
/// steps, or a step size that underflows).
void rosenbrock_times(const StiffSystem& system, const std::vector<double>& x0, const std::vector<double>& times,
                      double atol, double rtol, std::size_t max_steps,
                      const std::function<void(std::size_t, const double*)>& observe);

}  // namespace pinnc::post

#endif  // PINNC_POST_STIFF_H
