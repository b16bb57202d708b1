// window.h — one time window of a pure initial value problem as a problem of its own:
// the interval [a, b] and hard initial conditions from a given start state, the
// equations' kernels unchanged. Time-marching (post/march.h) trains one network per
// window, each window starting from the state where the previous one ends, so the
// piecewise solution is continuous with its derivatives up to each unknown's order - 1.
//
// The trial functions are those the compiler writes for an initial value problem
// (compiler/lower/lower.cpp), here computed by the runtime from the start state:
//   A_j(t) = sum_{i<m_j} s_ji (t - a)^i / i!,   B_j(t) = ((t - a) / L)^{m_j},  L = b - a
// and their t-derivatives up to the problem order K (kernel_abi.h's trial layout).
#ifndef PINNC_RT_WINDOW_H
#define PINNC_RT_WINDOW_H

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "pinnc/kernel_abi.h"

namespace pinnc::rt {

/// A window's problem: `abi()` is the base problem with [t0, t1] = [a, b] and the trial
/// kernels above; residual, conditions and exact kernels forward to the base problem's.
/// Holds pointers to itself, so it is neither copied nor moved; the base problem must
/// outlive it.
class WindowProblem {
 public:
  /// start[offset_j + k] = u_j^(k)(a), k < m_j (offset_j = sum of earlier orders).
  WindowProblem(const pinnc_problem& base, double a, double b, std::vector<double> start)
      : base_(&base), start_(std::move(start)) {
    if (!(b > a)) throw std::invalid_argument("pinnc::rt::WindowProblem: the window must have b > a");
    std::size_t states = 0;
    for (int j = 0; j < base.n_unknowns; ++j) offset_.push_back(int(states)), states += std::size_t(base.unknown_order[j]);
    if (start_.size() != states) throw std::invalid_argument("pinnc::rt::WindowProblem: the start state has the wrong size");
    a_ = a;
    L_ = b - a;
    pb_ = base;
    pb_.t0 = a;
    pb_.t1 = b;
    pb_.kernels.ctx = this;
    pb_.kernels.residual_f64 = &residual<double>;
    pb_.kernels.residual_f32 = base.kernels.residual_f32 ? &residual<float> : nullptr;
    pb_.kernels.conditions_f64 = &conditions<double>;
    pb_.kernels.conditions_f32 = base.kernels.conditions_f32 ? &conditions<float> : nullptr;
    pb_.kernels.trial_f64 = &trial<double>;
    pb_.kernels.trial_f32 = &trial<float>;
    pb_.kernels.exact_f64 = base.kernels.exact_f64 ? &exact : nullptr;
    pb_.kernels.aux_f64 = nullptr;  // a window's own evaluation needs no aux quantities
    pb_.n_aux = 0;
  }
  WindowProblem(const WindowProblem&) = delete;
  WindowProblem& operator=(const WindowProblem&) = delete;

  const pinnc_problem& abi() const { return pb_; }
  const std::vector<double>& start() const { return start_; }

 private:
  template <class S>
  static const WindowProblem& self(void* ctx) {
    return *static_cast<const WindowProblem*>(ctx);
  }
  template <class S>
  static auto base_residual(const pinnc_kernels& k) {
    if constexpr (sizeof(S) == sizeof(double)) return k.residual_f64; else return k.residual_f32;
  }
  template <class S>
  static auto base_conditions(const pinnc_kernels& k) {
    if constexpr (sizeof(S) == sizeof(double)) return k.conditions_f64; else return k.conditions_f32;
  }
  template <class S>
  static void residual(void* ctx, int64_t P, const S* t, const S* u, const S* params, S* r, S* dr, S* drp) {
    const pinnc_kernels& k = self<S>(ctx).base_->kernels;
    base_residual<S>(k)(k.ctx, P, t, u, params, r, dr, drp);
  }
  template <class S>
  static void conditions(void* ctx, int64_t P, const S* t, const S* u, const S* params, S* r, S* dr, S* drp) {
    const pinnc_kernels& k = self<S>(ctx).base_->kernels;
    base_conditions<S>(k)(k.ctx, P, t, u, params, r, dr, drp);
  }
  static void exact(void* ctx, int64_t P, const double* t, const double* params, double* u) {
    const pinnc_kernels& k = self<double>(ctx).base_->kernels;
    k.exact_f64(k.ctx, P, t, params, u);
  }
  /// A and B of every unknown at P points (layout [(j(K+1)+k)P + p]).
  template <class S>
  static void trial(void* ctx, int64_t P, const S* t, const S*, S* A, S* B) {
    const WindowProblem& w = self<S>(ctx);
    const pinnc_problem& pb = w.pb_;
    const int K = pb.order;
    for (int j = 0; j < pb.n_unknowns; ++j) {
      const int m = pb.unknown_order[j];
      const double* s = w.start_.data() + w.offset_[std::size_t(j)];
      for (int k = 0; k <= K; ++k) {
        S* Ak = A + (int64_t(j) * (K + 1) + k) * P;
        S* Bk = B + (int64_t(j) * (K + 1) + k) * P;
        // d^k B / dt^k = m!/(m-k)! ((t-a)/L)^(m-k) / L^k for k <= m, else 0.
        double bc = 1;
        for (int i = 0; i < k; ++i) bc *= double(m - i) / w.L_;
        for (int64_t p = 0; p < P; ++p) {
          const S d = S(double(t[p]) - w.a_);
          // A^(k) = sum_{i=k}^{m-1} s_i d^(i-k)/(i-k)!, by Horner from the highest term.
          S acc = S(0);
          for (int i = m - 1; i >= k; --i) acc = acc * d / S(i - k + 1) + S(s[i]);
          Ak[p] = acc;
          if (k > m) {
            Bk[p] = S(0);
          } else {
            S x = S(1);
            const S ratio = d / S(w.L_);
            for (int i = 0; i < m - k; ++i) x *= ratio;
            Bk[p] = S(bc) * x;
          }
        }
      }
    }
  }

  const pinnc_problem* base_;
  pinnc_problem pb_{};
  std::vector<double> start_;
  std::vector<int> offset_;
  double a_ = 0, L_ = 1;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_WINDOW_H
