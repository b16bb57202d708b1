// stiff_impl.h — the definition behind post/stiff.h (C++17: see there why).
#ifndef PINNC_POST_STIFF_IMPL_H
#define PINNC_POST_STIFF_IMPL_H

#include <cmath>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include <boost/numeric/odeint.hpp>

#include "pinnc/post/stiff.h"

// Inline in emitted solvers (one translation unit); runtime/src/stiff.cpp defines it empty.
#ifndef PINNC_STIFF_INLINE
#define PINNC_STIFF_INLINE inline
#endif

namespace pinnc::post {

PINNC_STIFF_INLINE void rosenbrock_times(const StiffSystem& system, const std::vector<double>& x0,
                                         const std::vector<double>& times, double atol, double rtol,
                                         std::size_t max_steps,
                                         const std::function<void(std::size_t, const double*)>& observe) {
  namespace ode = boost::numeric::odeint;
  using State = boost::numeric::ublas::vector<double>;
  using Matrix = boost::numeric::ublas::matrix<double>;
  const std::size_t n = std::size_t(system.n);
  std::vector<double> x(n), f(n), J(n * n), dfdt(n);
  auto deriv = [&](const State& s, State& out, double t) {
    for (std::size_t i = 0; i < n; ++i) x[i] = s[i];
    system.rhs(t, x.data(), f.data());
    for (std::size_t i = 0; i < n; ++i) out[i] = f[i];
  };
  auto jacobi = [&](const State& s, Matrix& Jout, double t, State& dt_out) {
    for (std::size_t i = 0; i < n; ++i) x[i] = s[i];
    system.jacobian(t, x.data(), J.data(), dfdt.data());
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t c = 0; c < n; ++c) Jout(r, c) = J[r * n + c];
      dt_out[r] = dfdt[r];
    }
  };
  if (times.size() < 2) return;
  State state(n);
  for (std::size_t i = 0; i < n; ++i) state[i] = x0[i];
  std::size_t index = 0;
  std::vector<double> seen(n);
  const double dt = (times.back() > times.front() ? 1 : -1) * 1e-6 * std::fabs(times.back() - times.front());
  ode::integrate_times(
      ode::make_controlled(atol, rtol, ode::rosenbrock4<double>()), std::make_pair(deriv, jacobi), state,
      times.begin(), times.end(), dt,
      [&](const State& s, double) {
        for (std::size_t i = 0; i < n; ++i) seen[i] = s[i];
        observe(index++, seen.data());
      },
      ode::max_step_checker(max_steps));
}

}  // namespace pinnc::post

#endif  // PINNC_POST_STIFF_IMPL_H
