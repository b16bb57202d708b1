// gemm.h — matrix products with packing buffers allocated once, for allocation-free epochs.
//
// Eigen's `C.noalias() = A * B` packs its operands into blocking buffers that it puts on
// the stack when they fit in EIGEN_STACK_ALLOCATION_LIMIT (128 KB) and on the heap
// otherwise; at the seed's sizes (50 x 50 x 1002) they do not fit, so every epoch would
// malloc and free several hundred KB (slow on the benchmark VM, and forbidden by our
// no-allocation rule). A plan owns those buffers for one fixed shape and calls Eigen's
// GEMM kernel (Eigen::internal, stable since 3.3) with them.
#ifndef PINNC_RT_GEMM_H
#define PINNC_RT_GEMM_H

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace pinnc::rt {

/// C (m x n, column-major, leading dimension ldc) += alpha * A * B, with A m x k and B
/// k x n stored in LhsOrder / RhsOrder (so a transposed column-major operand is passed as
/// RowMajor with the same pointer and leading dimension).
template <class S, int LhsOrder, int RhsOrder>
class GemmPlan {
 public:
  using Index = Eigen::Index;
  GemmPlan() = default;
  GemmPlan(Index m, Index n, Index k) : m_(m), n_(n), k_(k) {
    blk_ = std::make_unique<Blocking>(m, n, k, 1, true);
    blk_->allocateAll();
  }
  Index rows() const { return m_; }
  Index cols() const { return n_; }
  Index depth() const { return k_; }
  void run(const S* A, Index lda, const S* B, Index ldb, S* C, Index ldc, S alpha = S(1)) const {
    Eigen::internal::general_matrix_matrix_product<Index, S, LhsOrder, false, S, RhsOrder, false,
                                                   Eigen::ColMajor, 1>::run(m_, n_, k_, A, lda, B, ldb,
                                                                            C, 1, ldc, alpha, *blk_,
                                                                            nullptr);
  }

 private:
  using Blocking = Eigen::internal::gemm_blocking_space<Eigen::ColMajor, S, S, Eigen::Dynamic,
                                                        Eigen::Dynamic, Eigen::Dynamic>;
  Index m_ = 0, n_ = 0, k_ = 0;
  std::unique_ptr<Blocking> blk_;
};

/// Lower triangle of C (size x size, column-major) += A A^T, A size x depth in storage
/// order AOrder (pass a column-major A^T as RowMajor), in fixed column panels of panel_width(size)
/// columns: panel j is the GEMM C[c0:, c0:c1] += A[c0:, :] A[c0:c1, :]^T (its diagonal
/// block whole, upper half included). The panels run on a WorkerPool, each with its own
/// packing buffers; every entry is computed by the same panel's GEMM whichever thread runs
/// it, so the result has the same bits for every thread count (parallel.h). A panel packs
/// its A[c0:, :] once, so narrow panels spend their time packing: 10 Levenberg-Marquardt
/// epochs on 50 unknowns (a 1898 x 6400 product each) took 11.2 s with 32 columns, 40% of
/// it in Eigen's packing, 7.5 s with 128 and 6.8 s with 256 (whole run, one thread). Wide panels cost
/// ~width / size more arithmetic (their diagonal blocks) and give fewer tasks to share, so
/// the width grows with the size (a function of the size only: the bits stay fixed).
template <class S, int AOrder>
class TiledSyrk {
 public:
  using Index = Eigen::Index;
  static constexpr int BOrder = AOrder == Eigen::RowMajor ? Eigen::ColMajor : Eigen::RowMajor;
  /// The panel width for a product of this size: at least ~6 panels, 32 to 256 columns.
  static Index panel_width(Index size) { return size >= 1536 ? 256 : size >= 768 ? 128 : size >= 384 ? 64 : 32; }
  TiledSyrk() = default;
  TiledSyrk(Index size, Index depth) : width_(panel_width(size)) {
    for (Index c0 = 0; c0 < size; c0 += width_)
      tiles_.emplace_back(size - c0, c0 + width_ < size ? width_ : size - c0, depth);
  }
  template <class Pool>
  void run(const S* A, Index lda, S* C, Index ldc, Pool& pool) const {
    auto tile = [&](int64_t j) {
      const Index c0 = Index(j) * width_;
      const S* rows = AOrder == Eigen::ColMajor ? A + c0 : A + c0 * lda;  // A[c0:, :]
      tiles_[size_t(j)].run(rows, lda, rows, lda, C + c0 + c0 * ldc, ldc);
    };
    pool.run(int64_t(tiles_.size()), tile);
  }

 private:
  Index width_ = 32;
  std::vector<GemmPlan<S, AOrder, BOrder>> tiles_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_GEMM_H
