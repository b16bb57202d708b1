// objective.h — the physics-informed loss of one problem: residual, condition and data
// terms, their gradient, and the scaled residual vector with its Jacobian (for LM).
//
//   loss = sum_e (1/P) sum_p r_e(t_p)^2            residual terms, one per equation
//        + sum_c w_c G_c^2                          soft conditions at their own points
//        + w_d (1/M) sum_i (u_{j_i}(t_i) - v_i)^2   optional data term
// The same quantity is ||rvec||^2 for the residual vector
//   rvec = [ r_e(t_p)/sqrt(P) ... | sqrt(w_c) G_c ... | sqrt(w_d/M) (u - v) ... ].
// The backward pass is seeded with dloss/du from the kernels' partials dr/du, which come
// as sparse lists (kernel_abi.h's pinnc_pattern): only the listed (row, slot) pairs are
// touched, so a system whose equations each involve a few unknowns costs O(E) per point.
//
// Identification (`param k = ? guess`): parameters listed in ObjectiveOptions::identify
// are variables too. The optimiser sees z_i with params[identify[i]] = scale_i * z_i (the
// scale is the guess's size, so that a rate of 1e9 and one of 0.1 move alike); the
// gradient and the Jacobian get one more entry / row per z_i after the network's weights,
// from the kernels' dR/dparams and dG/dparams (kernel_abi.h). A condition whose value
// uses an identified parameter is soft (compiler/sema), so the trial functions never
// depend on one.
//
// Solution bundles (`param k in [a, b]`): the parameters listed in ObjectiveOptions::bundle
// are inputs of the network (network.h), and the loss is averaged over S fixed samples of
// their values: every collocation point and every soft condition is evaluated once per
// sample, with that sample's parameter vector. The residual vector is ordered sample by
// sample ([(s E + e) P + p], then the conditions [s C + c]); with no bundle S = 1 and
// every formula reduces, bit for bit, to the single-sample one.
//
// The collocation points are cut into fixed blocks of kBlockPoints (the last one shorter),
// each with its own batch, residuals and gradient. Blocks run on a WorkerPool
// (parallel.h) and their sums and gradients are added in block order, so the result is
// the same, bit for bit, for every thread count: the blocks never depend on it.
#ifndef PINNC_RT_OBJECTIVE_H
#define PINNC_RT_OBJECTIVE_H

#include <Eigen/Core>
#include <cmath>
#include <memory>
#include <thread>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/bad_term.h"
#include "pinnc/batch.h"
#include "pinnc/kernel_abi.h"
#include "pinnc/network.h"
#include "pinnc/parallel.h"

namespace pinnc::rt {

/// One measurement for the data term: u_unknown(t) = value.
struct DataPoint {
  double t = 0;
  int unknown = 0;
  double value = 0;
};

/// The loss split into its terms (always double, whatever the training precision).
struct LossTerms {
  double total = 0;
  double residual = 0;             ///< sum of `equation`
  double conditions = 0;           ///< sum of `condition`
  double data = 0;                 ///< weighted data term
  std::vector<double> equation;    ///< [E] mean squared residual of equation e
  std::vector<double> condition;   ///< [C] w_c G_c^2

  void resize(int E, int C) {
    equation.assign(size_t(E), 0.0);
    condition.assign(size_t(C), 0.0);
  }
  void clear() {
    total = residual = conditions = data = 0;
    for (double& x : equation) x = 0;
    for (double& x : condition) x = 0;
  }
  /// The first non-finite term (kind none when every term is finite).
  BadTerm first_bad() const {
    for (size_t e = 0; e < equation.size(); ++e)
      if (!std::isfinite(equation[e])) return {TermKind::equation, int(e)};
    for (size_t c = 0; c < condition.size(); ++c)
      if (!std::isfinite(condition[c])) return {TermKind::condition, int(c)};
    if (!std::isfinite(data)) return {TermKind::data, -1};
    if (!std::isfinite(total)) return {TermKind::total, -1};
    return {};
  }
};

/// What the objective needs beyond the problem and the network.
struct ObjectiveOptions {
  Index points = 100;                      ///< P, collocation points per epoch
  std::vector<double> condition_weights;   ///< [C]; empty: all 1
  std::vector<DataPoint> data;             ///< empty: no data term
  double data_weight = 1.0;
  std::vector<double> params;              ///< [Q]; empty: the problem's defaults
  std::vector<int> identify;               ///< parameters trained with the network (see above)
  std::vector<double> identify_scale;      ///< [identify.size()], > 0
  std::vector<int> bundle;                 ///< parameters that are network inputs (see above)
  std::vector<double> bundle_values;       ///< [S][bundle.size()]: the samples, row by row
  int threads = 1;                         ///< threads for the point blocks, <= 0: one per core
                                           ///< (the result does not depend on it)
};

template <class Scalar>
class Objective {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// Points per block: fixed, so that no result depends on the number of threads.
  static constexpr Index kBlockPoints = 64;

  /// Allocates every buffer; throws std::invalid_argument on an inconsistent problem.
  Objective(const pinnc_problem& pb, const Network<Scalar>& net, const ObjectiveOptions& opt)
      : pb_(pb), kern_(pb), E_(pb.n_equations), C_(pb.n_conditions), K_(pb.order),
        U_(pb.n_unknowns) {
    if (!kern_.residual && E_ > 0)
      throw std::invalid_argument("pinnc::rt: the problem has no residual kernel in this precision");
    if (C_ > 0 && !kern_.conditions)
      throw std::invalid_argument("pinnc::rt: the problem has conditions but no conditions kernel");
    if (net.n_outputs() != U_)
      throw std::invalid_argument("pinnc::rt: network outputs != number of unknowns");
    if (K_ < 0 || K_ > PINNC_MAX_ORDER) throw std::invalid_argument("pinnc::rt: order must be 0..4");
    S_ = Index(U_) * (K_ + 1);
    check_pattern(pb.residual_partials, E_, S_, "residual_partials");
    check_pattern(pb.condition_partials, C_, S_, "condition_partials");
    const Index P = opt.points;
    if (P < 1) throw std::invalid_argument("pinnc::rt: need at least one collocation point");
    params_ = Vec::Zero(pb.n_params);
    for (int q = 0; q < pb.n_params; ++q)
      params_[q] = Scalar(opt.params.empty() ? pb.params[q] : opt.params[size_t(q)]);
    if (!opt.params.empty() && int(opt.params.size()) != pb.n_params)
      throw std::invalid_argument("pinnc::rt: parameter override has the wrong length");
    identify_ = opt.identify;
    scale_ = opt.identify_scale;
    if (scale_.size() != identify_.size())
      throw std::invalid_argument("pinnc::rt: identify_scale needs one scale per identified parameter");
    slot_.assign(size_t(pb.n_params), -1);
    for (size_t i = 0; i < identify_.size(); ++i) {
      if (identify_[i] < 0 || identify_[i] >= pb.n_params || slot_[size_t(identify_[i])] >= 0)
        throw std::invalid_argument("pinnc::rt: an identified parameter is out of range or listed twice");
      if (!(scale_[i] > 0) || !std::isfinite(scale_[i]))
        throw std::invalid_argument("pinnc::rt: an identified parameter's scale must be positive");
      slot_[size_t(identify_[i])] = int(i);
    }
    if (!identify_.empty()) {
      check_pattern(pb.residual_param_partials, E_, pb.n_params, "residual_param_partials");
      check_pattern(pb.condition_param_partials, C_, pb.n_params, "condition_param_partials");
    }
    const size_t m = opt.bundle.size();
    if (m > 0) {
      if (opt.bundle_values.empty() || opt.bundle_values.size() % m != 0)
        throw std::invalid_argument("pinnc::rt: bundle_values needs whole samples of the bundle's parameters");
      if (!identify_.empty() || !opt.data.empty())
        throw std::invalid_argument("pinnc::rt: a bundle cannot be combined with identification or data yet");
      for (int q : opt.bundle)
        if (q < 0 || q >= pb.n_params) throw std::invalid_argument("pinnc::rt: a bundle parameter is out of range");
      const size_t S = opt.bundle_values.size() / m;
      for (size_t si = 0; si < S; ++si) {
        Vec v = params_;
        for (size_t i = 0; i < m; ++i) v[opt.bundle[i]] = Scalar(opt.bundle_values[si * m + i]);
        sample_params_.push_back(std::move(v));
      }
    }
    S_samples_ = m > 0 ? Index(sample_params_.size()) : 1;

    P_ = P;
    t_ = Vec::Zero(P);
    r_ = Vec::Zero(Index(E_) * P * S_samples_);
    for (Index s = 0; s < S_samples_; ++s)
    for (Index first = 0; first < P; first += kBlockPoints) {
      Block b;
      b.sample = s;
      b.first = first;
      b.P = P - first < kBlockPoints ? P - first : kBlockPoints;
      b.col = Batch<Scalar>(net, kern_.trial, K_, b.P, K_);
      b.r = Vec::Zero(Index(E_) * b.P);
      b.dr = Vec::Zero(Index(pb.residual_partials.n) * b.P);
      if (!identify_.empty()) b.drp = Vec::Zero(Index(pb.residual_param_partials.n) * b.P);
      b.grad = Vec::Zero(net.n_params());
      b.gq.assign(identify_.size(), 0.0);
      b.sums.assign(size_t(E_), 0.0);
      blocks_.push_back(std::move(b));
    }
    const int threads = opt.threads >= 1 ? opt.threads : int(std::thread::hardware_concurrency());
    const int useful = int(blocks_.size()) < threads ? int(blocks_.size()) : threads;
    pool_ = std::make_shared<WorkerPool>(useful < 1 ? 1 : useful);

    w_c_.assign(size_t(C_), 1.0);
    if (!opt.condition_weights.empty()) {
      if (int(opt.condition_weights.size()) != C_)
        throw std::invalid_argument("pinnc::rt: condition_weights needs one weight per condition");
      w_c_ = opt.condition_weights;
    }
    if (C_ > 0) {
      for (Index s = 0; s < S_samples_; ++s) {
        cond_.push_back(Batch<Scalar>(net, kern_.trial, K_, C_, K_));
        for (int c = 0; c < C_; ++c) cond_.back().t[c] = Scalar(pb.condition_points[c]);
        cond_.back().update_trial(sample_params(s));
      }
      rc_ = Vec::Zero(C_ * S_samples_);
      drc_ = Vec::Zero(pb.condition_partials.n * S_samples_);
      drcp_ = Vec::Zero(pb.condition_param_partials.n);
    }
    data_ = opt.data;
    w_d_ = opt.data_weight;
    if (!data_.empty()) {
      const Index M = Index(data_.size());
      dat_ = Batch<Scalar>(net, kern_.trial, K_, M, 0);
      for (Index i = 0; i < M; ++i) {
        if (data_[size_t(i)].unknown < 0 || data_[size_t(i)].unknown >= U_)
          throw std::invalid_argument("pinnc::rt: a data point names an unknown out of range");
        dat_.t[i] = Scalar(data_[size_t(i)].t);
      }
      dat_.update_trial(params_.data());
    }
  }

  // The batches keep pointers to this object's parameter vectors: not copyable.
  Objective(const Objective&) = delete;
  Objective& operator=(const Objective&) = delete;

  int n_equations() const { return E_; }
  int n_conditions() const { return C_; }
  Index n_points() const { return P_; }
  Index n_data() const { return Index(data_.size()); }
  /// Samples of the bundle's parameters (1 without a bundle).
  Index n_samples() const { return S_samples_; }
  /// Length of the residual vector: (E P + C) S + M.
  Index n_residuals() const { return (Index(E_) * P_ + C_) * S_samples_ + n_data(); }
  /// Threads the blocks run on (at most one per block).
  int threads() const { return pool_->threads(); }
  /// The worker pool, for the optimiser's own parallel work (levenberg_marquardt.h).
  WorkerPool& pool() const { return *pool_; }
  const Vec& params() const { return params_; }

  /// Identified parameters: how many, and their variables z (params[identify[i]] =
  /// scale_i * z_i), read and written by the optimiser after the network's weights.
  int n_identified() const { return int(identify_.size()); }
  Scalar identified_variable(int i) const { return Scalar(double(params_[identify_[size_t(i)]]) / scale_[size_t(i)]); }
  double identified_scale(int i) const { return scale_[size_t(i)]; }
  void set_identified_variables(const Scalar* z) {
    for (size_t i = 0; i < identify_.size(); ++i) params_[identify_[i]] = Scalar(scale_[i] * double(z[i]));
  }

  /// The collocation points; after writing them call points_changed().
  Vec& points() { return t_; }
  const Vec& points() const { return t_; }
  void points_changed() {
    for (Block& b : blocks_) {
      b.col.t = t_.segment(b.first, b.P);
      b.col.update_trial(sample_params(b.sample));
    }
  }

  /// Loss terms at the network's current weights; when grad is not null it is
  /// overwritten with dloss/dtheta (length net.n_params()), followed by dloss/dz for the
  /// identified parameters' variables. Returns the total.
  double evaluate(const Network<Scalar>& net, LossTerms& T, Scalar* grad) {
    T.clear();
    const Index P = P_;
    auto block = [&](int64_t i) { eval_block(net, blocks_[size_t(i)], grad != nullptr); };
    pool_->run(int64_t(blocks_.size()), block);
    const double SP = double(P) * double(S_samples_);
    for (int e = 0; e < E_; ++e) {
      double s = 0;
      for (const Block& b : blocks_) s += b.sums[size_t(e)];
      T.equation[size_t(e)] = s / SP;
      T.residual += s / SP;
    }
    if (C_ > 0) {
      eval_conditions(net);
      for (int c = 0; c < C_; ++c) {
        for (Index si = 0; si < S_samples_; ++si) {
          const double G = double(rc_[si * C_ + c]);
          T.condition[size_t(c)] += w_c_[size_t(c)] / double(S_samples_) * G * G;
        }
        T.conditions += T.condition[size_t(c)];
      }
      if (grad) {
        const pinnc_pattern& pat = pb_.condition_partials;
        for (Index si = 0; si < S_samples_; ++si) {
          Batch<Scalar>& cb = cond_[size_t(si)];
          cb.du.setZero();
          for (int n = 0; n < pat.n; ++n) {
            const int c = pat.row[n];
            const Scalar f = Scalar(2.0 * (w_c_[size_t(c)] / double(S_samples_))) * rc_[si * C_ + c];
            cb.du[Index(pat.col[n]) * C_ + c] = f * drc_[si * pat.n + n];
          }
        }
      }
    }
    const Index M = n_data();
    if (M > 0) {
      dat_.forward(net);
      double s = 0;
      for (Index i = 0; i < M; ++i) {
        const double d = double(dat_.u[data_index(i)]) - data_[size_t(i)].value;
        s += d * d;
      }
      T.data = w_d_ * s / double(M);
      if (grad) {
        dat_.du.setZero();
        for (Index i = 0; i < M; ++i)
          dat_.du[data_index(i)] =
              Scalar(2.0 * w_d_ / double(M) * (double(dat_.u[data_index(i)]) - data_[size_t(i)].value));
      }
    }
    T.total = T.residual + T.conditions + T.data;
    if (grad) {
      Eigen::Map<Vec> g(grad, net.n_params());
      g = blocks_[0].grad;
      for (size_t i = 1; i < blocks_.size(); ++i) g += blocks_[i].grad;
      for (Batch<Scalar>& cb : cond_) cb.backward(net, GradientSink<Scalar>{&net, grad, Index(C_)});
      if (M > 0) dat_.backward(net, GradientSink<Scalar>{&net, grad, M});
      for (size_t i = 0; i < identify_.size(); ++i) {  // block order, then the conditions
        double gq = 0;
        for (const Block& b : blocks_) gq += b.gq[i];
        grad[net.n_params() + Index(i)] = Scalar(gq * scale_[i]);
      }
      const pinnc_pattern& cp = pb_.condition_param_partials;
      for (int n = 0; n < cp.n && !identify_.empty(); ++n) {
        const int i = slot_[size_t(cp.col[n])];
        if (i < 0) continue;
        const int c = cp.row[n];
        grad[net.n_params() + i] += Scalar(2.0 * w_c_[size_t(c)] * double(rc_[c]) * double(drcp_[n]) * scale_[size_t(i)]);
      }
    }
    return T.total;
  }

  /// The scaled residual vector rvec (length n_residuals(), ||rvec||^2 = loss) and, when
  /// Jt is not null, its transposed Jacobian: Jt ((n_params + n_identified) x
  /// n_residuals, column-major) column i = d rvec_i / d [theta; z]. Also fills the loss
  /// terms.
  void residuals(const Network<Scalar>& net, LossTerms& T, Scalar* rvec, Scalar* Jt) {
    evaluate(net, T, nullptr);
    const Index P = P_, M = n_data(), N = net.n_params() + Index(identify_.size()), NW = net.n_params();
    const Index S = S_samples_, EPS = Index(E_) * P * S, CS = Index(C_) * S;
    const Scalar sp = Scalar(1.0 / std::sqrt(double(P) * double(S)));
    for (Index i = 0; i < EPS; ++i) rvec[i] = sp * r_[i];
    for (Index si = 0; si < S; ++si)
      for (int c = 0; c < C_; ++c)
        rvec[EPS + si * C_ + c] = Scalar(std::sqrt(w_c_[size_t(c)] / double(S))) * rc_[si * C_ + c];
    const double sd = std::sqrt(w_d_ / double(M > 0 ? M : 1));
    for (Index i = 0; i < M; ++i)
      rvec[EPS + CS + i] = Scalar(sd * (double(dat_.u[data_index(i)]) - data_[size_t(i)].value));
    if (!Jt) return;
    // Per block, one batched reverse pass per equation, seeded with that equation's listed
    // partials (its entries are contiguous: the pattern is sorted by row). Each block
    // writes its own columns of Jt.
    auto block = [&](int64_t i) {
      Block& b = blocks_[size_t(i)];
      const pinnc_pattern& pat = pb_.residual_partials;
      b.col.du.setZero();
      for (int e = 0, n0 = 0; e < E_; ++e) {
        int n1 = n0;
        for (; n1 < pat.n && pat.row[n1] == e; ++n1) {
          const Scalar* d = b.dr.data() + Index(n1) * b.P;
          Scalar* du = b.col.du.data() + Index(pat.col[n1]) * b.P;
          for (Index p = 0; p < b.P; ++p) du[p] = sp * d[p];
        }
        b.col.backward(net, JacobianSink<Scalar>{&net, Jt, N, (b.sample * E_ + e) * P + b.first, b.P, K_});
        for (int n = n0; n < n1; ++n) b.col.du.segment(Index(pat.col[n]) * b.P, b.P).setZero();
        n0 = n1;
      }
      if (identify_.empty()) return;
      // The identified parameters' rows: sp * dR_e/dq * scale, zero where not listed.
      for (int e = 0; e < E_; ++e)
        for (Index p = 0; p < b.P; ++p)
          for (size_t q = 0; q < identify_.size(); ++q) Jt[(Index(e) * P + b.first + p) * N + NW + Index(q)] = Scalar(0);
      const pinnc_pattern& pp = pb_.residual_param_partials;
      for (int n = 0; n < pp.n; ++n) {
        const int q = slot_[size_t(pp.col[n])];
        if (q < 0) continue;
        const Scalar f = Scalar(double(sp) * scale_[size_t(q)]);
        const Scalar* d = b.drp.data() + Index(n) * b.P;
        for (Index p = 0; p < b.P; ++p) Jt[(Index(pp.row[n]) * P + b.first + p) * N + NW + q] = f * d[p];
      }
    };
    pool_->run(int64_t(blocks_.size()), block);
    if (C_ > 0) {
      const pinnc_pattern& cp = pb_.condition_partials;
      for (Index si = 0; si < S; ++si) {
        Batch<Scalar>& cb = cond_[size_t(si)];
        cb.du.setZero();
        for (int n = 0; n < cp.n; ++n)
          cb.du[Index(cp.col[n]) * C_ + cp.row[n]] =
              Scalar(std::sqrt(w_c_[size_t(cp.row[n])] / double(S))) * drc_[si * cp.n + n];
        cb.backward(net, JacobianSink<Scalar>{&net, Jt, N, EPS + si * C_, Index(C_), K_});
      }
      for (int c = 0; c < C_; ++c)
        for (size_t q = 0; q < identify_.size(); ++q) Jt[(Index(E_) * P + c) * N + NW + Index(q)] = Scalar(0);
      const pinnc_pattern& cpp = pb_.condition_param_partials;
      for (int n = 0; n < cpp.n && !identify_.empty(); ++n) {
        const int q = slot_[size_t(cpp.col[n])];
        if (q < 0) continue;
        Jt[(Index(E_) * P + cpp.row[n]) * N + NW + q] =
            Scalar(std::sqrt(w_c_[size_t(cpp.row[n])]) * double(drcp_[n]) * scale_[size_t(q)]);
      }
    }
    if (M > 0) {
      dat_.du.setZero();
      for (Index i = 0; i < M; ++i) dat_.du[data_index(i)] = Scalar(sd);
      dat_.backward(net, JacobianSink<Scalar>{&net, Jt, N, EPS + CS, M, 0});
      for (Index i = 0; i < M; ++i)
        for (size_t q = 0; q < identify_.size(); ++q) Jt[(EPS + CS + i) * N + NW + Index(q)] = Scalar(0);
    }
  }

  /// Residuals r[(s E + e) P + p] of the last evaluate().
  const Vec& last_residuals() const { return r_; }

 private:
  /// A block of collocation points with everything one evaluation of it writes.
  struct Block {
    Index sample = 0;           ///< the bundle sample whose parameters it uses
    Index first = 0, P = 0;     ///< the points t_[first, first + P)
    Batch<Scalar> col;
    Vec r, dr;                  ///< r[e P + p], dr[n P + p] for this block's P
    Vec drp;                    ///< dR/dparams [n P + p] (identification only)
    Vec grad;                   ///< this block's share of dloss/dtheta
    std::vector<double> gq;     ///< its share of dloss/dq per identified parameter (unscaled)
    std::vector<double> sums;   ///< [E] sum over the block of r_e^2
  };

  /// Forward, residual kernel and squared sums of one block; its gradient when asked.
  void eval_block(const Network<Scalar>& net, Block& b, bool with_grad) {
    const Index Pb = b.P;
    b.col.forward(net);
    if (E_ > 0)
      kern_.residual(Pb, b.col.t.data(), b.col.u.data(), sample_params(b.sample), b.r.data(), b.dr.data(),
                     identify_.empty() ? nullptr : b.drp.data());
    for (int e = 0; e < E_; ++e) {
      double s = 0;
      const Scalar* re = b.r.data() + Index(e) * Pb;
      for (Index p = 0; p < Pb; ++p) s += double(re[p]) * double(re[p]);
      b.sums[size_t(e)] = s;
      for (Index p = 0; p < Pb; ++p) r_[(b.sample * E_ + e) * P_ + b.first + p] = re[p];
    }
    if (!with_grad) return;
    // du_s += 2/P r_e dr_e/du_s over the listed (e, s), in order of e for each s.
    b.col.du.setZero();
    const Scalar f = Scalar(2.0 / (double(P_) * double(S_samples_)));
    const pinnc_pattern& pat = pb_.residual_partials;
    for (int n = 0; n < pat.n; ++n) {
      const Scalar* re = b.r.data() + Index(pat.row[n]) * Pb;
      Scalar* du = b.col.du.data() + Index(pat.col[n]) * Pb;
      const Scalar* d = b.dr.data() + Index(n) * Pb;
      for (Index p = 0; p < Pb; ++p) du[p] += f * re[p] * d[p];
    }
    b.grad.setZero();
    b.col.backward(net, GradientSink<Scalar>{&net, b.grad.data(), Pb});
    if (identify_.empty()) return;
    for (double& g : b.gq) g = 0;
    const pinnc_pattern& pp = pb_.residual_param_partials;
    for (int n = 0; n < pp.n; ++n) {
      const int q = slot_[size_t(pp.col[n])];
      if (q < 0) continue;
      const Scalar* re = b.r.data() + Index(pp.row[n]) * Pb;
      const Scalar* d = b.drp.data() + Index(n) * Pb;
      double s = 0;
      for (Index p = 0; p < Pb; ++p) s += double(re[p]) * double(d[p]);
      b.gq[size_t(q)] += 2.0 / double(P_) * s;
    }
  }

  void eval_conditions(const Network<Scalar>& net) {
    const int n = pb_.condition_partials.n;
    for (Index si = 0; si < S_samples_; ++si) {
      Batch<Scalar>& cb = cond_[size_t(si)];
      cb.forward(net);
      kern_.conditions(C_, cb.t.data(), cb.u.data(), sample_params(si), rc_.data() + si * C_, drc_.data() + si * n,
                       identify_.empty() ? nullptr : drcp_.data());
    }
  }
  /// The parameter vector of bundle sample s (the one vector without a bundle).
  const Scalar* sample_params(Index s) const {
    return sample_params_.empty() ? params_.data() : sample_params_[size_t(s)].data();
  }
  /// A pattern must list (row, col) pairs in range, sorted by row then col, each once.
  static void check_pattern(const pinnc_pattern& pat, int rows, Index cols, const char* what) {
    const std::string name = std::string("pinnc::rt: the problem's ") + what;
    if (pat.n < 0 || (pat.n > 0 && (!pat.row || !pat.col))) throw std::invalid_argument(name + " is malformed");
    for (int n = 0; n < pat.n; ++n) {
      if (pat.row[n] < 0 || pat.row[n] >= rows || pat.col[n] < 0 || pat.col[n] >= cols)
        throw std::invalid_argument(name + " has an entry out of range");
      if (n > 0 && (pat.row[n] < pat.row[n - 1] || (pat.row[n] == pat.row[n - 1] && pat.col[n] <= pat.col[n - 1])))
        throw std::invalid_argument(name + " is not sorted by row, then column");
    }
  }
  Index data_index(Index i) const { return Index(data_[size_t(i)].unknown) * dat_.P + i; }

  pinnc_problem pb_;
  ProblemKernels<Scalar> kern_;
  int E_, C_, K_, U_;
  Index S_ = 0;
  Vec params_;
  Index P_ = 0;
  Vec t_;                        ///< all collocation points
  std::vector<Block> blocks_;
  std::shared_ptr<WorkerPool> pool_;  ///< one thread (no workers) unless asked, at most one per block
  std::vector<Batch<Scalar>> cond_;  ///< the soft conditions, one batch per bundle sample
  Batch<Scalar> dat_;
  std::vector<Vec> sample_params_;   ///< per bundle sample (empty without a bundle)
  Index S_samples_ = 1;
  Vec r_, rc_, drc_, drcp_;      ///< r_[e P + p] gathered from the blocks; drcp_: dG/dparams
  std::vector<int> identify_;    ///< identified parameters q, in variable order
  std::vector<double> scale_;    ///< their scales
  std::vector<int> slot_;        ///< [Q] variable index of parameter q, -1 when not identified
  std::vector<double> w_c_;
  std::vector<DataPoint> data_;
  double w_d_ = 1.0;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_OBJECTIVE_H
