// rt_test_util.h — shared helpers of the runtime tests: Eigen allocation guard and
// hand-written problem kernels with the kernel ABI's signatures. Include FIRST in every
// tests/runtime/*.cpp: it configures Eigen (EIGEN_RUNTIME_NO_MALLOC, eigen_assert) and
// must do so identically in every translation unit of the binary.
#ifndef PINNC_TESTS_RT_TEST_UTIL_H
#define PINNC_TESTS_RT_TEST_UTIL_H

#include <atomic>
#include <cstdio>

namespace rt_test {
/// Number of failed Eigen assertions (a heap allocation while forbidden is one).
inline std::atomic<long> eigen_assert_failures{0};
inline std::atomic<bool> eigen_assert_quiet{false};  ///< set while provoking one on purpose
inline void eigen_assert_failed(const char* what, const char* file, int line) {
  if (eigen_assert_failures++ < 5 && !eigen_assert_quiet) std::fprintf(stderr, "eigen_assert failed: %s (%s:%d)\n", what, file, line);
}
}  // namespace rt_test

// Eigen's assertions (dimension checks, and the malloc guard below) stay on in Release
// tests and are counted instead of aborting, so a test can CHECK them.
#define EIGEN_RUNTIME_NO_MALLOC
#define eigen_assert(x) \
  do { if (!(x)) ::rt_test::eigen_assert_failed(#x, __FILE__, __LINE__); } while (false)

#include <cmath>
#include <cstdint>
#include <vector>

#include "pinnc/runtime.h"

namespace rt_test {

/// y' + k y = 0 (U = 1, K = 1, E = 1, Q = 1 with k = params[0]):
///   r = u1 + k u0, dr/du0 = k, dr/du1 = 1 (pattern kDecayPartials), dr/dk = u0.
template <class S>
void decay_residual(void*, int64_t P, const S* t, const S* u, const S* q, S* r, S* dr, S* drp) {
  (void)t;
  for (int64_t p = 0; p < P; ++p) {
    r[p] = u[P + p] + q[0] * u[p];
    dr[p] = q[0];      // entry 0: (e 0, slot 0)
    dr[P + p] = S(1);  // entry 1: (e 0, slot 1)
    if (drp) drp[p] = u[p];
  }
}
/// y(0) = 1 as the soft condition G = u0 - 1 at condition point 0 (C = 1).
template <class S>
void decay_conditions(void*, int64_t C, const S* t, const S* u, const S* q, S* r, S* dr, S* drp) {
  (void)t, (void)q, (void)drp, (void)C;
  r[0] = u[0] - S(1);  // condition 0 at its own point
  dr[0] = S(1);        // entry 0: (c 0, slot 0)
}
/// Hard constraint y(0) = 1: y = 1 + t N (A = 1, B = t; A' = 0, B' = 1).
template <class S>
void decay_trial(void*, int64_t P, const S* t, const S* q, S* A, S* B) {
  (void)q;
  for (int64_t p = 0; p < P; ++p) {
    A[p] = S(1), A[P + p] = S(0);
    B[p] = t[p], B[P + p] = S(1);
  }
}

inline const double kDecayK[1] = {1.0};
inline const double kDecayCond[1] = {0.0};
inline const int32_t kDecayOrder[1] = {1};
inline const int32_t kDecayRows[2] = {0, 0}, kDecaySlots[2] = {0, 1};
inline const int32_t kZero[1] = {0};

/// The decay problem on [t0, t1] (soft condition unless `hard`).
inline pinnc_problem decay_problem(double t0, double t1, bool hard = false) {
  pinnc_problem p{};
  p.n_unknowns = 1;
  p.order = 1;
  p.n_equations = 1;
  p.n_conditions = hard ? 0 : 1;
  p.n_params = 1;
  p.t0 = t0;
  p.t1 = t1;
  p.condition_points = kDecayCond;
  p.params = kDecayK;
  p.unknown_order = kDecayOrder;
  p.residual_partials = {2, kDecayRows, kDecaySlots};
  p.residual_param_partials = {1, kZero, kZero};
  if (!hard) p.condition_partials = {1, kZero, kZero};
  p.kernels.residual_f64 = decay_residual<double>;
  p.kernels.conditions_f64 = hard ? nullptr : decay_conditions<double>;
  p.kernels.trial_f64 = hard ? decay_trial<double> : nullptr;
  p.kernels.residual_f32 = decay_residual<float>;
  p.kernels.conditions_f32 = hard ? nullptr : decay_conditions<float>;
  p.kernels.trial_f32 = hard ? decay_trial<float> : nullptr;
  return p;
}

/// Central differences (step 1e-6) of the objective's loss in every weight.
inline Eigen::VectorXd fd_gradient(pinnc::rt::Objective<double>& obj, pinnc::rt::Network<double>& net,
                                   pinnc::rt::LossTerms& T) {
  Eigen::VectorXd fd(net.n_params());
  for (Eigen::Index i = 0; i < net.n_params(); ++i) {
    const double w = net.params()[i], h = 1e-6;
    net.params()[i] = w + h;
    const double Lp = obj.evaluate(net, T, nullptr);
    net.params()[i] = w - h;
    const double Lm = obj.evaluate(net, T, nullptr);
    net.params()[i] = w;
    fd[i] = (Lp - Lm) / (2 * h);
  }
  return fd;
}

}  // namespace rt_test

#endif  // PINNC_TESTS_RT_TEST_UTIL_H
