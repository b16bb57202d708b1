// gemm.h — matrix products with packing buffers allocated once, for allocation-free epochs.
//
// Eigen's `C.noalias() = A * B` packs its operands into blocking buffers that it puts on
// the stack when they fit in EIGEN_STACK_ALLOCATION_LIMIT (128 KB) and on the heap
// otherwise; at the seed's sizes (50 x 50 x 1002) they do not fit, so every epoch would
// malloc and free several hundred KB (slow on the benchmark VM, and forbidden by our
// no-allocation rule). A plan owns those buffers for one fixed shape and calls Eigen's
// GEMM / SYRK kernels (Eigen::internal, stable since 3.3) with them.
#ifndef PINNC_RT_GEMM_H
#define PINNC_RT_GEMM_H

#include <Eigen/Core>
#include <memory>

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

/// Lower triangle of C (size x size, column-major) += alpha * A A^T, A size x depth in
/// storage order AOrder (pass a column-major A^T as RowMajor).
template <class S, int AOrder>
class SyrkPlan {
 public:
  using Index = Eigen::Index;
  SyrkPlan() = default;
  SyrkPlan(Index size, Index depth) : size_(size), depth_(depth) {
    blk_ = std::make_unique<Blocking>(size, size, depth, 1, false);
    blk_->allocateAll();
  }
  void run(const S* A, Index lda, S* C, Index ldc, S alpha = S(1)) const {
    constexpr int BOrder = AOrder == Eigen::RowMajor ? Eigen::ColMajor : Eigen::RowMajor;
    Eigen::internal::general_matrix_matrix_triangular_product<
        Index, S, AOrder, false, S, BOrder, false, Eigen::ColMajor, 1, Eigen::Lower>::run(size_, depth_, A, lda, A, lda,
                                                                                   C, 1, ldc, alpha, *blk_);
  }

 private:
  using Blocking = Eigen::internal::gemm_blocking_space<Eigen::ColMajor, S, S, Eigen::Dynamic,
                                                        Eigen::Dynamic, Eigen::Dynamic>;
  Index size_ = 0, depth_ = 0;
  std::unique_ptr<Blocking> blk_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_GEMM_H
