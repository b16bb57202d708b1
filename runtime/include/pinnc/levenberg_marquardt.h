// levenberg_marquardt.h — Levenberg-Marquardt on a residual vector, through the smaller of
// the two normal-equation forms.
//
// With residuals r (M) and Jacobian J (M x N), the damped Gauss-Newton step is
//   delta = -(J^T J + lambda I)^{-1} J^T r = -J^T (J J^T + lambda I)^{-1} r,
// the two forms being equal (push-through identity). We factor the M x M one when M < N
// (typical for a PINN: a few hundred points, thousands of weights) and the N x N one
// otherwise. lambda follows Nielsen's rule: accepted steps shrink it by
// max(1/3, 1 - (2 rho - 1)^3) (rho = actual / predicted decrease), rejected ones grow it
// by nu, doubling nu. The Jacobian arrives transposed (Jt, N x M), as the backward pass
// writes one residual's gradient per contiguous column. All memory comes from init().
// The normal-equation product, the bulk of a step, runs in fixed tiles on the objective's
// worker pool (gemm.h, TiledSyrk): the same bits for every thread count.
#ifndef PINNC_RT_LEVENBERG_MARQUARDT_H
#define PINNC_RT_LEVENBERG_MARQUARDT_H

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>
#include <memory>

#include "pinnc/gemm.h"
#include "pinnc/parallel.h"

namespace pinnc::rt {

template <class Scalar>
class LevenbergMarquardt {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// n parameters, m residuals; lambda0 the initial damping.
  void init(Eigen::Index n, Eigen::Index m, double lambda0 = 1e-3, int max_tries = 12) {
    n_ = n, m_ = m;
    lambda_ = lambda0, nu_ = 2.0, max_tries_ = max_tries;
    const Eigen::Index k = m < n ? m : n;
    G_ = Mat::Zero(k, k);
    A_ = Mat::Zero(k, k);
    // Constructed in place: copying a fresh LLT copies its uninitialised `info` (UB).
    llt_ = std::make_unique<Eigen::LLT<Mat>>(k);
    y_ = Vec::Zero(k);
    if (m < n) syrk_points_ = TiledSyrk<Scalar, Eigen::RowMajor>(m, n);  // J J^T = Jt^T Jt
    else syrk_params_ = TiledSyrk<Scalar, Eigen::ColMajor>(n, m);        // J^T J = Jt Jt^T
    g_ = Vec::Zero(n);
    delta_ = Vec::Zero(n);
    x0_ = Vec::Zero(n);
    rnew_ = Vec::Zero(m);
  }

  double lambda() const { return lambda_; }

  /// One accepted step (or failure) from x, where the residuals are r = ||r||^2 = f and the
  /// transposed Jacobian Jt. res(rout) must evaluate the residuals at the current contents
  /// of x into rout and return ||rout||^2. On success x moves and f is the new value; on
  /// failure (no decrease for max_tries lambdas) x and f are unchanged. r is not updated:
  /// the caller recomputes r and Jt at the new x. The normal equations are formed on `pool`.
  template <class R>
  bool step(Vec& x, const Vec& r, const Mat& Jt, double& f, R&& res, WorkerPool& pool, int* evaluations = nullptr) {
    g_.noalias() = Jt * r;
    const bool points_form = m_ < n_;
    G_.setZero();
    if (points_form)
      syrk_points_.run(Jt.data(), Jt.rows(), G_.data(), G_.rows(), pool);
    else
      syrk_params_.run(Jt.data(), Jt.rows(), G_.data(), G_.rows(), pool);
    x0_ = x;
    for (int t = 0; t < max_tries_; ++t) {
      A_ = G_;
      A_.diagonal().array() += Scalar(lambda_);
      llt_->compute(A_);  // reads the lower triangle only
      if (llt_->info() != Eigen::Success) {
        grow();
        continue;
      }
      if (points_form) {
        y_ = r;
        llt_->solveInPlace(y_);
        delta_.noalias() = Jt * y_;  // (a negated product would need a temporary)
        delta_ = -delta_;
      } else {
        delta_ = -g_;
        llt_->solveInPlace(delta_);
      }
      // Predicted decrease of ||r + J delta||^2: -delta.g (2 - 1) + lambda |delta|^2.
      const double pred = -double(delta_.dot(g_)) + lambda_ * double(delta_.squaredNorm());
      x = x0_ + delta_;
      const double fnew = res(rnew_);
      if (evaluations) ++*evaluations;
      if (std::isfinite(fnew) && fnew < f) {
        const double rho = pred > 0 ? (f - fnew) / pred : 1.0;
        const double q = 2 * rho - 1;
        const double shrink = 1 - q * q * q;
        lambda_ *= shrink > 1.0 / 3 ? shrink : 1.0 / 3;
        if (lambda_ < 1e-12) lambda_ = 1e-12;
        nu_ = 2;
        f = fnew;
        return true;
      }
      grow();
    }
    x = x0_;
    return false;
  }

 private:
  void grow() {
    lambda_ *= nu_;
    nu_ *= 2;
    if (lambda_ > 1e16) lambda_ = 1e16;
  }
  Eigen::Index n_ = 0, m_ = 0;
  double lambda_ = 1e-3, nu_ = 2;
  int max_tries_ = 12;
  Mat G_, A_;
  std::unique_ptr<Eigen::LLT<Mat>> llt_;
  TiledSyrk<Scalar, Eigen::RowMajor> syrk_points_;
  TiledSyrk<Scalar, Eigen::ColMajor> syrk_params_;
  Vec y_, g_, delta_, x0_, rnew_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_LEVENBERG_MARQUARDT_H
