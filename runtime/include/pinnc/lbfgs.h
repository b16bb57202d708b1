// lbfgs.h — limited-memory BFGS with a weak-Wolfe bisection line search.
//
// Our own rather than LBFGSpp: the runtime is embedded into standalone emitted solvers
// that may only assume Eigen, LBFGSpp is not installed here, and the trainer needs one
// iteration per epoch (its callbacks, NaN checks and schedule run between iterations)
// rather than a solver that owns the loop. The line search is Lewis & Overton's bisection
// for the weak Wolfe conditions (simple, and it guarantees s.y > 0 on success, so the
// two-loop recursion stays positive definite). All memory is allocated by init().
#ifndef PINNC_RT_LBFGS_H
#define PINNC_RT_LBFGS_H

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <vector>

namespace pinnc::rt {

enum class LbfgsStatus { ok, line_search_failed, converged };

template <class Scalar>
class Lbfgs {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// n parameters, m correction pairs; c1, c2: the Wolfe constants.
  void init(Eigen::Index n, int m = 10, double c1 = 1e-4, double c2 = 0.9, int max_ls = 30) {
    m_ = m < 1 ? 1 : m;
    c1_ = c1, c2_ = c2, max_ls_ = max_ls;
    S_ = Mat::Zero(n, m_);
    Y_ = Mat::Zero(n, m_);
    rho_.assign(size_t(m_), 0.0);
    alpha_.assign(size_t(m_), 0.0);
    d_ = Vec::Zero(n);
    x0_ = Vec::Zero(n);
    g0_ = Vec::Zero(n);
    reset();
  }
  /// Forgets the curvature pairs (e.g. after the collocation points changed).
  void reset() { count_ = 0, head_ = 0; }

  /// One iteration from (x, f, g). fg(gout) must evaluate the objective at the current
  /// contents of x, write the gradient into gout and return the value. On return x, f, g
  /// describe the new point (the last one evaluated); on failure x, f, g are restored.
  template <class F>
  LbfgsStatus step(Vec& x, double& f, Vec& g, F&& fg, int* evaluations = nullptr) {
    const double gnorm = double(g.norm());
    if (!(gnorm > 0)) return LbfgsStatus::converged;
    direction(g);
    double gd = double(g.dot(d_));
    if (!(gd < 0)) {  // not a descent direction: restart from steepest descent
      reset();
      d_ = -g;
      gd = -gnorm * gnorm;
    }
    double a = count_ == 0 ? std::min(1.0, 1.0 / gnorm) : 1.0;
    x0_ = x;
    g0_ = g;
    const double f0 = f;
    double lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int it = 0; it < max_ls_; ++it) {
      x = x0_ + Scalar(a) * d_;
      f = fg(g);
      if (evaluations) ++*evaluations;
      if (!std::isfinite(f) || f > f0 + c1_ * a * gd) {
        hi = a;
      } else if (double(g.dot(d_)) < c2_ * gd) {
        lo = a;
      } else {  // weak Wolfe conditions hold: store the pair
        push(a, g);
        return LbfgsStatus::ok;
      }
      a = std::isinf(hi) ? 2 * lo : 0.5 * (lo + hi);
    }
    x = x0_;
    g = g0_;
    f = f0;
    reset();
    return LbfgsStatus::line_search_failed;
  }

 private:
  // d = -H g by the two-loop recursion over the stored pairs (newest first).
  void direction(const Vec& g) {
    d_ = g;
    for (int i = 0; i < count_; ++i) {
      const int c = (head_ - 1 - i + m_) % m_;
      alpha_[size_t(c)] = rho_[size_t(c)] * double(S_.col(c).dot(d_));
      d_ -= Scalar(alpha_[size_t(c)]) * Y_.col(c);
    }
    if (count_ > 0) {
      const int c = (head_ - 1 + m_) % m_;
      d_ *= Scalar(double(S_.col(c).dot(Y_.col(c))) / double(Y_.col(c).squaredNorm()));
    }
    for (int i = count_ - 1; i >= 0; --i) {
      const int c = (head_ - 1 - i + m_) % m_;
      const double beta = rho_[size_t(c)] * double(Y_.col(c).dot(d_));
      d_ += Scalar(alpha_[size_t(c)] - beta) * S_.col(c);
    }
    d_ = -d_;
  }
  void push(double a, const Vec& g) {
    S_.col(head_) = Scalar(a) * d_;
    Y_.col(head_) = g - g0_;
    const double sy = double(S_.col(head_).dot(Y_.col(head_)));
    if (!(sy > 1e-12 * double(Y_.col(head_).squaredNorm()))) return;  // skip a flat pair
    rho_[size_t(head_)] = 1.0 / sy;
    head_ = (head_ + 1) % m_;
    if (count_ < m_) ++count_;
  }

 private:
  int m_ = 10, max_ls_ = 30, count_ = 0, head_ = 0;
  double c1_ = 1e-4, c2_ = 0.9;
  Mat S_, Y_;
  std::vector<double> rho_, alpha_;
  Vec d_, x0_, g0_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_LBFGS_H
