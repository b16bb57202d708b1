// batch.h — one set of points at which u = A + B N (trial wrapping) and its derivatives
// are evaluated, and the adjoint of that wrapping.
//
// The problem's kernels see the unknowns u_j, not the network outputs N_j. With hard
// constraints the `trial` kernel supplies A_j, B_j and their t-derivatives, and
//   u_j^(k) = A_j^(k) + sum_{i=0..k} C(k, i) B_j^(i) N_j^(k-i)        (Leibniz)
// so  dloss/dN_j^(m) = sum_{k=m..K} C(k, k-m) B_j^(k-m) dloss/du_j^(k).
// Without a trial kernel u = N. The collocation set, the condition points and the data
// points are each one Batch; all buffers are allocated by the constructor.
#ifndef PINNC_RT_BATCH_H
#define PINNC_RT_BATCH_H

#include <Eigen/Core>
#include <cstdint>

#include "pinnc/kernel_abi.h"
#include "pinnc/network.h"

namespace pinnc::rt {

/// A kernel pointer bound to the ctx it is called with (kernel_abi.h): calls pass the
/// ctx first, so `k(P, t, ...)` calls `fn(ctx, P, t, ...)`.
template <class Fn>
struct BoundKernel {
  void* ctx = nullptr;
  Fn fn = nullptr;
  explicit operator bool() const { return fn != nullptr; }
  template <class... Args>
  void operator()(Args... args) const {
    fn(ctx, args...);
  }
};

/// The problem's kernels in precision Scalar (float or double).
template <class Scalar>
struct ProblemKernels;

template <>
struct ProblemKernels<double> {
  using Residual = BoundKernel<pinnc_residual_f64>;
  using Conditions = BoundKernel<pinnc_conditions_f64>;
  using Trial = BoundKernel<pinnc_trial_f64>;
  Residual residual;
  Conditions conditions;
  Trial trial;
  explicit ProblemKernels(const pinnc_problem& p)
      : residual{p.kernels.ctx, p.kernels.residual_f64},
        conditions{p.kernels.ctx, p.kernels.conditions_f64},
        trial{p.kernels.ctx, p.kernels.trial_f64} {}
};

template <>
struct ProblemKernels<float> {
  using Residual = BoundKernel<pinnc_residual_f32>;
  using Conditions = BoundKernel<pinnc_conditions_f32>;
  using Trial = BoundKernel<pinnc_trial_f32>;
  Residual residual;
  Conditions conditions;
  Trial trial;
  explicit ProblemKernels(const pinnc_problem& p)
      : residual{p.kernels.ctx, p.kernels.residual_f32},
        conditions{p.kernels.ctx, p.kernels.conditions_f32},
        trial{p.kernels.ctx, p.kernels.trial_f32} {}
};

/// Points, the Taylor workspace, and the wrapped stack u (ABI layout, order Kn).
template <class Scalar>
class Batch {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Trial = typename ProblemKernels<Scalar>::Trial;

  Batch() = default;
  /// Kp is the problem order (the trial kernel's layout), Kn <= Kp the order evaluated.
  Batch(const Network<Scalar>& net, Trial trial, int problem_order, Index points, int order)
      : P(points), Kp(problem_order), Kn(order), U(net.n_outputs()), trial_(trial),
        ws(net, points, order) {
    t = Vec::Zero(P);
    u = Vec::Zero(Index(U) * (Kn + 1) * P);
    du = Vec::Zero(u.size());
    dN = Vec::Zero(u.size());
    if (trial_) {
      A = Vec::Zero(Index(U) * (Kp + 1) * P);
      B = Vec::Zero(A.size());
    }
  }

  Index P = 0;
  int Kp = 0, Kn = 0, U = 0;
  Vec t;   ///< the points; call update_trial() after changing them
  Vec u;   ///< u[(j(Kn+1)+k)P + p]
  Vec du;  ///< dloss/du, same layout (filled by the caller before backward())
  bool has_trial() const { return bool(trial_); }

  /// Re-evaluates A and B at the current points (they depend only on t and params). The
  /// network's parameter inputs (bundles) are read from `params` at every forward(), so
  /// it must outlive the batch's use.
  void update_trial(const Scalar* params) {
    params_ = params;
    if (trial_) trial_(P, t.data(), params, A.data(), B.data());
  }

  /// Network forward at t, then u = A + B N with Leibniz' rule.
  void forward(const Network<Scalar>& net) {
    net.forward(t.data(), ws, params_);
    if (!trial_) {
      u = ws.out;
      return;
    }
    const Scalar* N = ws.out.data();
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= Kn; ++k) {
        Scalar* uk = u.data() + (Index(j) * (Kn + 1) + k) * P;
        const Scalar* Ak = A.data() + (Index(j) * (Kp + 1) + k) * P;
        for (Index p = 0; p < P; ++p) uk[p] = Ak[p];
        for (int i = 0; i <= k; ++i) {
          const Scalar c = Scalar(binomial(k, i));
          const Scalar* Bi = B.data() + (Index(j) * (Kp + 1) + i) * P;
          const Scalar* Nk = N + (Index(j) * (Kn + 1) + (k - i)) * P;
          for (Index p = 0; p < P; ++p) uk[p] += c * Bi[p] * Nk[p];
        }
      }
  }

  /// Pulls du back through the wrapping and the network; sink as in Network::backward.
  template <class Sink>
  void backward(const Network<Scalar>& net, Sink&& sink) {
    if (!trial_) {
      net.backward(ws, du.data(), sink);
      return;
    }
    for (int j = 0; j < U; ++j)
      for (int m = 0; m <= Kn; ++m) {
        Scalar* dNm = dN.data() + (Index(j) * (Kn + 1) + m) * P;
        for (Index p = 0; p < P; ++p) dNm[p] = Scalar(0);
        for (int k = m; k <= Kn; ++k) {
          const Scalar c = Scalar(binomial(k, k - m));
          const Scalar* Bi = B.data() + (Index(j) * (Kp + 1) + (k - m)) * P;
          const Scalar* duk = du.data() + (Index(j) * (Kn + 1) + k) * P;
          for (Index p = 0; p < P; ++p) dNm[p] += c * Bi[p] * duk[p];
        }
      }
    net.backward(ws, dN.data(), sink);
  }

 private:
  Trial trial_;
  Vec A, B, dN;
  const Scalar* params_ = nullptr;

 public:
  TaylorWorkspace<Scalar> ws;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_BATCH_H
