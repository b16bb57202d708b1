// test_point_gemm.cpp — the layer product of point_gemm.h: every entry is the fused
// multiply-add chain over k in order, bit for bit, whatever the shape (full and partial
// vectors and tiles), the strides of B, and accumulation; against Eigen's product to
// rounding, in float and double.
#include "rt_test_util.h"

#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "pinnc/point_gemm.h"

namespace {

template <class S>
void check_shapes() {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-1, 1);
  const int ms[] = {1, 3, 15, 16, 17, 31, 63, 64, 65, 130, 501, 1002};
  const int ns[] = {1, 2, 4, 5, 6, 11, 50};
  const int ks[] = {0, 1, 2, 7, 51};
  long checked = 0;
  for (int m : ms)
    for (int n : ns)
      for (int k : ks)
        for (int transposed = 0; transposed < 2; ++transposed)
          for (int accumulate = 0; accumulate < 2; ++accumulate) {
            const std::ptrdiff_t lda = m + 3, ldc = m + 1;  // leading dimensions past the rows
            std::vector<S> A(size_t(lda) * size_t(k > 0 ? k : 1)), B(size_t(k + 1) * size_t(n + 2)),
                C(size_t(ldc) * size_t(n), S(0));
            for (S& x : A) x = S(u(gen));
            for (S& x : B) x = S(u(gen));
            for (S& x : C) x = S(u(gen));
            // B(kk, j) at kk*bk + j*bj: column-major k x n (ld k+1), or its transpose.
            const std::ptrdiff_t bk = transposed ? n + 2 : 1, bj = transposed ? 1 : k + 1;
            std::vector<S> want = C;
            for (int i = 0; i < m; ++i)
              for (int j = 0; j < n; ++j) {
                S acc = S(0);
                for (int kk = 0; kk < k; ++kk)
                  acc = pinnc::rt::point_gemm_detail::scalar_fma(A[size_t(i + kk * lda)], B[size_t(kk * bk + j * bj)], acc);
                S& w = want[size_t(i + j * ldc)];
                w = accumulate ? S(w + acc) : acc;
              }
            // Rows between m and ldc must stay as they were: the masked tail writes nothing past m.
            pinnc::rt::point_gemm<S>(m, n, k, A.data(), lda, B.data(), bk, bj, C.data(), ldc, accumulate != 0);
            bool same = true;
            for (size_t i = 0; i < C.size(); ++i) same = same && std::memcmp(&C[i], &want[i], sizeof(S)) == 0;
            CAPTURE(m);
            CAPTURE(n);
            CAPTURE(k);
            CAPTURE(transposed);
            CAPTURE(accumulate);
            CHECK(same);
            ++checked;
          }
  CHECK(checked == 12 * 7 * 5 * 4);
}

}  // namespace

TEST_CASE("point_gemm: each entry is the in-order fused multiply-add chain, bit for bit (float)") {
  check_shapes<float>();
}

TEST_CASE("point_gemm: each entry is the in-order fused multiply-add chain, bit for bit (double)") {
  check_shapes<double>();
}

TEST_CASE("point_gemm agrees with Eigen's product to rounding") {
  Eigen::MatrixXd A = Eigen::MatrixXd::Random(1002, 51), W = Eigen::MatrixXd::Random(50, 51);
  Eigen::MatrixXd C(1002, 50);
  // C = A W^T: B(kk, j) = W(j, kk), W column-major with 50 rows.
  pinnc::rt::point_gemm<double>(1002, 50, 51, A.data(), 1002, W.data(), 50, 1, C.data(), 1002);
  const Eigen::MatrixXd ref = A * W.transpose();
  CHECK((C - ref).cwiseAbs().maxCoeff() < 1e-12);
}
