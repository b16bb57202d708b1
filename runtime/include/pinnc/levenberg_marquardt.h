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
// writes one residual's gradient per contiguous column. The normal-equation product, the
// bulk of a step, runs in fixed tiles on the objective's worker pool (gemm.h, TiledSyrk):
// the same bits for every thread count.
//
// Sparse normal equations. With many unknowns most of J is zero: equation e's residuals
// do not depend on the output-layer weights of an unknown that e does not contain (a chain
// of 50 linear ODEs: 723 of 1898 weights per equation). When the caller names its residual
// blocks (set_blocks: one per equation, then conditions and data), the first step finds
// which parameters each block touches (exact zeros of Jt) and, where it saves at least a
// third of the arithmetic, forms the product from dense pieces: in the parameter form one
// product per block over its active parameters, in the point form one per group of
// parameters that touch the same blocks, over those blocks' residuals, each scattered into
// the lower triangle. The form (points or parameters) is chosen then, by the estimated
// cost of product and factorisation. Later steps redo the (cheap) scan, since a
// parameter's zeros can change, so no nonzero is ever dropped; the pieces' buffers and
// product plans are kept between steps.
#ifndef PINNC_RT_LEVENBERG_MARQUARDT_H
#define PINNC_RT_LEVENBERG_MARQUARDT_H

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

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
    form_ = Form::undecided;
    blocks_ = {0, m};
    g_ = Vec::Zero(n);
    delta_ = Vec::Zero(n);
    x0_ = Vec::Zero(n);
    rnew_ = Vec::Zero(m);
  }

  /// The residuals come in consecutive blocks of these sizes (summing to m): the structure
  /// the sparse normal equations use. Without it the residuals are one block (dense).
  void set_blocks(const std::vector<Eigen::Index>& sizes) {
    blocks_.assign(1, 0);
    for (Eigen::Index s : sizes)
      if (s > 0) blocks_.push_back(blocks_.back() + s);
    if (blocks_.back() != m_) throw std::invalid_argument("pinnc::rt: LM blocks do not add up to the residuals");
    form_ = Form::undecided;
  }

  /// Which product the steps use (after the first): for tests and the bench.
  bool sparse() const { return form_ == Form::sparse_params || form_ == Form::sparse_points; }
  bool points_form() const { return form_ == Form::dense_points || form_ == Form::sparse_points; }

  double lambda() const { return lambda_; }

  /// One accepted step (or failure) from x, where the residuals are r = ||r||^2 = f and the
  /// transposed Jacobian Jt. res(rout) must evaluate the residuals at the current contents
  /// of x into rout and return ||rout||^2. On success x moves and f is the new value; on
  /// failure (no decrease for max_tries lambdas) x and f are unchanged. r is not updated:
  /// the caller recomputes r and Jt at the new x. The normal equations are formed on `pool`.
  template <class R>
  bool step(Vec& x, const Vec& r, const Mat& Jt, double& f, R&& res, WorkerPool& pool, int* evaluations = nullptr) {
    g_.noalias() = Jt * r;
    // The structure: found by decide() on the first step, found again on every later one.
    if (form_ == Form::undecided) decide(Jt);
    else if (form_ == Form::sparse_params) scan(Jt);
    else if (form_ == Form::sparse_points) scan(Jt), group();
    const bool points = points_form();
    G_.setZero();
    switch (form_) {
      case Form::dense_points: syrk_points_.run(Jt.data(), Jt.rows(), G_.data(), G_.rows(), pool); break;
      case Form::dense_params: syrk_params_.run(Jt.data(), Jt.rows(), G_.data(), G_.rows(), pool); break;
      case Form::sparse_params: sparse_params(Jt, pool); break;
      case Form::sparse_points: sparse_points(Jt, pool); break;
      case Form::undecided: break;
    }
    x0_ = x;
    for (int t = 0; t < max_tries_; ++t) {
      A_ = G_;
      A_.diagonal().array() += Scalar(lambda_);
      // Cholesky in place on A_'s lower triangle: the factorisation Eigen::LLT::compute
      // runs, without its copy of the matrix and its L1 norm (kept for rcond(), unused
      // here), a serial strided pass over the matrix that took ~2.5% of a one-thread
      // lotka_volterra run. Same operations, so the same bits.
      if (Eigen::internal::llt_inplace<Scalar, Eigen::Lower>::blocked(A_) != -1) {
        grow();
        continue;
      }
      if (points) {
        y_ = r;
        solve_in_place(y_);
        delta_.noalias() = Jt * y_;  // (a negated product would need a temporary)
        delta_ = -delta_;
      } else {
        delta_ = -g_;
        solve_in_place(delta_);
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
  using Index = Eigen::Index;
  enum class Form { undecided, dense_points, dense_params, sparse_points, sparse_params };

  /// x := (L L^T)^-1 x with L the lower triangle of A_ (as Eigen::LLT::solveInPlace).
  void solve_in_place(Vec& x) const {
    A_.template triangularView<Eigen::Lower>().solveInPlace(x);
    A_.adjoint().template triangularView<Eigen::Upper>().solveInPlace(x);
  }

  void grow() {
    lambda_ *= nu_;
    nu_ *= 2;
    if (lambda_ > 1e16) lambda_ = 1e16;
  }

  /// active_[b n + k]: does parameter k appear in block b (a nonzero in Jt(k, block b))?
  void scan(const Mat& Jt) {
    const Index B = Index(blocks_.size()) - 1;
    active_.assign(size_t(B * n_), 0);
    for (Index b = 0; b < B; ++b) {
      unsigned char* a = active_.data() + b * n_;
      for (Index c = blocks_[size_t(b)]; c < blocks_[size_t(b) + 1]; ++c) {
        const Scalar* col = Jt.data() + c * n_;
        for (Index k = 0; k < n_; ++k) a[k] |= col[k] != Scalar(0);
      }
    }
  }

  /// The parameters grouped by the set of blocks they appear in (in order of first
  /// parameter), and each group's residual columns.
  void group() {
    const Index B = Index(blocks_.size()) - 1;
    sig_.resize(size_t(B));
    for (auto& g : groups_) g.params.clear(), g.cols.clear();
    n_groups_ = 0;
    for (Index k = 0; k < n_; ++k) {
      uint64_t h = 1469598103934665603ull;  // FNV-1a over the block flags
      bool any = false;
      for (Index b = 0; b < B; ++b) {
        const unsigned char a = active_[size_t(b * n_ + k)];
        sig_[size_t(b)] = a, any |= a != 0;
        h = (h ^ a) * 1099511628211ull;
      }
      if (!any) continue;
      size_t g = 0;
      while (g < n_groups_ && !(groups_[g].hash == h && groups_[g].sig == sig_)) ++g;
      if (g == n_groups_) {
        if (groups_.size() <= g) groups_.emplace_back();
        Group& gr = groups_[n_groups_++];
        gr.hash = h, gr.sig = sig_;
        for (Index b = 0; b < B; ++b)
          if (sig_[size_t(b)])
            for (Index c = blocks_[size_t(b)]; c < blocks_[size_t(b) + 1]; ++c) gr.cols.push_back(c);
      }
      groups_[g].params.push_back(k);
    }
  }

  /// Chooses the form from the first Jacobian's structure and allocates for it.
  void decide(const Mat& Jt) {
    const double n = double(n_), m = double(m_), tries = 1.5;
    double sp_params = 0, sp_points = 0;
    const bool structured = blocks_.size() > 2;
    if (structured) {
      scan(Jt);
      group();
      const Index B = Index(blocks_.size()) - 1;
      for (Index b = 0; b < B; ++b) {
        double a = 0;
        for (Index k = 0; k < n_; ++k) a += active_[size_t(b * n_ + k)];
        sp_params += a * a * double(blocks_[size_t(b) + 1] - blocks_[size_t(b)]) / 2;
      }
      for (size_t g = 0; g < n_groups_; ++g) {
        const double c = double(groups_[g].cols.size());
        sp_points += c * c * double(groups_[g].params.size()) / 2;
      }
    }
    const double chol_n = n * n * n / 6 * tries, chol_m = m * m * m / 6 * tries;
    const double dense_points = m * m * n / 2 + chol_m, dense_params = n * n * m / 2 + chol_n;
    form_ = m < n ? Form::dense_points : Form::dense_params;
    const double dense = m < n ? dense_points : dense_params;
    // The pieces must save a third to be used: their gathers and scatters are not counted.
    const double sparse = std::min(sp_params + chol_n, sp_points + chol_m);
    if (structured && sparse < dense * (2.0 / 3))
      form_ = sp_params + chol_n <= sp_points + chol_m ? Form::sparse_params : Form::sparse_points;
    const Index k = points_form() ? m_ : n_;
    G_ = Mat::Zero(k, k);
    A_ = Mat::Zero(k, k);
    y_ = Vec::Zero(k);
    if (form_ == Form::dense_points) syrk_points_ = TiledSyrk<Scalar, Eigen::RowMajor>(m_, n_);  // J J^T = Jt^T Jt
    if (form_ == Form::dense_params) syrk_params_ = TiledSyrk<Scalar, Eigen::ColMajor>(n_, m_);  // J^T J = Jt Jt^T
  }

  /// W W^T for a gathered piece W (size x depth, column-major), added into the lower
  /// triangle of G_ at rows and columns idx (ascending, so i >= j stays lower).
  void add_piece(const std::vector<Index>& idx, Index depth, WorkerPool& pool) {
    const Index size = Index(idx.size());
    auto [it, fresh] = plans_.try_emplace({size, depth});
    if (fresh) it->second = TiledSyrk<Scalar, Eigen::ColMajor>(size, depth);
    if (Gb_.size() < size * size) Gb_.resize(size * size);
    Eigen::Map<Mat> Gb(Gb_.data(), size, size);
    Gb.setZero();
    it->second.run(W_.data(), size, Gb.data(), size, pool);
    for (Index j = 0; j < size; ++j) {
      Scalar* g = G_.data() + idx[size_t(j)] * G_.rows();
      for (Index i = j; i < size; ++i) g[idx[size_t(i)]] += Gb(i, j);
    }
  }

  /// J^T J = sum over blocks of Jt[active, block] Jt[active, block]^T.
  void sparse_params(const Mat& Jt, WorkerPool& pool) {
    const Index B = Index(blocks_.size()) - 1;
    for (Index b = 0; b < B; ++b) {
      idx_.clear();
      for (Index k = 0; k < n_; ++k)
        if (active_[size_t(b * n_ + k)]) idx_.push_back(k);
      if (idx_.empty()) continue;
      const Index c0 = blocks_[size_t(b)], depth = blocks_[size_t(b) + 1] - c0, size = Index(idx_.size());
      if (W_.size() < size * depth) W_.resize(size * depth);
      for (Index c = 0; c < depth; ++c) {
        const Scalar* col = Jt.data() + (c0 + c) * n_;
        Scalar* w = W_.data() + c * size;
        for (Index i = 0; i < size; ++i) w[i] = col[idx_[size_t(i)]];
      }
      add_piece(idx_, depth, pool);
    }
  }

  /// J J^T = sum over parameter groups of Jt[group, cols]^T Jt[group, cols], cols the
  /// residuals of the blocks the group appears in.
  void sparse_points(const Mat& Jt, WorkerPool& pool) {
    for (size_t g = 0; g < n_groups_; ++g) {
      const Group& gr = groups_[g];
      const Index size = Index(gr.cols.size()), depth = Index(gr.params.size());
      if (W_.size() < size * depth) W_.resize(size * depth);
      for (Index i = 0; i < size; ++i) {
        const Scalar* col = Jt.data() + gr.cols[size_t(i)] * n_;
        for (Index k = 0; k < depth; ++k) W_[i + k * size] = col[gr.params[size_t(k)]];
      }
      add_piece(gr.cols, depth, pool);
    }
  }

  struct Group {
    uint64_t hash = 0;
    std::vector<unsigned char> sig;  ///< the blocks it appears in
    std::vector<Index> params, cols;
  };

  Index n_ = 0, m_ = 0;
  double lambda_ = 1e-3, nu_ = 2;
  int max_tries_ = 12;
  Form form_ = Form::undecided;
  std::vector<Index> blocks_{0, 0};
  std::vector<unsigned char> active_;
  std::vector<Group> groups_;
  size_t n_groups_ = 0;
  std::vector<unsigned char> sig_;
  std::vector<Index> idx_;
  Vec W_, Gb_;
  std::map<std::pair<Index, Index>, TiledSyrk<Scalar, Eigen::ColMajor>> plans_;
  Mat G_, A_;
  TiledSyrk<Scalar, Eigen::RowMajor> syrk_points_;
  TiledSyrk<Scalar, Eigen::ColMajor> syrk_params_;
  Vec y_, g_, delta_, x0_, rnew_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_LEVENBERG_MARQUARDT_H
