// point_gemm.h — the network's layer product, vectorised along the points.
//
// A layer maps the activations of P points (times K+1 Taylor orders) through a small
// weight matrix: C (m x n) = A (m x k) B with m = (K+1) P in the hundreds or thousands and
// n, k the layer widths (tens). network.h stores activations points-major (column j of A
// is one neuron over all points, contiguous), so a SIMD register holds one neuron at W
// consecutive points and a weight is a broadcast scalar: no packing, no transposes, and
// no padding of the widths (a width of 50 is not a multiple of any vector length; the
// point count is, up to one masked vector per layer). Eigen's general GEMM, which packs
// both operands into panels for large products, reached 65-77% of the FMA peak at the
// seed setup's 50 x 50 x 1002 (bench/bench_runtime_epoch.cpp).
//
// Every entry is one fused multiply-add chain in a fixed order,
//   acc = 0;  for kk = 0..k-1: acc = fma(A(i, kk), B(kk, j), acc);  C(i, j) = acc  (or += acc)
// whatever the vector width or the tile an entry falls in, so the result has the same bits
// in pinnc and in an emitted solver built for the same CPU, and equals the scalar loop
// above (tests/runtime/test_point_gemm.cpp checks both). Header-only, C++17 (emitted
// solvers include it).
#ifndef PINNC_RT_POINT_GEMM_H
#define PINNC_RT_POINT_GEMM_H

#include <cmath>
#include <cstddef>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace pinnc::rt {
namespace point_gemm_detail {

using Index = std::ptrdiff_t;

/// One SIMD register of S: W lanes, loads and stores of the first `n` lanes (the tail),
/// broadcast and fused multiply-add. The scalar fallback (no FMA unit) multiplies and adds.
template <class S>
struct Simd;

#if defined(__AVX512F__)
template <>
struct Simd<float> {
  using V = __m512;
  static constexpr int W = 16, MV = 4, NB = 5;  // 20 accumulators of 32 registers
  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V load(const float* p, int n) { return _mm512_maskz_loadu_ps(__mmask16((1u << n) - 1), p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static void store(float* p, V v, int n) { _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1), v); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
};
template <>
struct Simd<double> {
  using V = __m512d;
  static constexpr int W = 8, MV = 4, NB = 5;
  static V zero() { return _mm512_setzero_pd(); }
  static V set1(double x) { return _mm512_set1_pd(x); }
  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static V load(const double* p, int n) { return _mm512_maskz_loadu_pd(__mmask8((1u << n) - 1), p); }
  static void store(double* p, V v) { _mm512_storeu_pd(p, v); }
  static void store(double* p, V v, int n) { _mm512_mask_storeu_pd(p, __mmask8((1u << n) - 1), v); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
};
#elif defined(__AVX2__) && defined(__FMA__)
/// The lanes below n as an AVX2 mask vector (lane i set when i < n).
inline __m256i lanes_below(int n, int width) {
  const __m256i idx = width == 8 ? _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7) : _mm256_setr_epi64x(0, 1, 2, 3);
  return width == 8 ? _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx) : _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), idx);
}
template <>
struct Simd<float> {
  using V = __m256;
  static constexpr int W = 8, MV = 3, NB = 4;  // 12 accumulators of 16 registers
  static V zero() { return _mm256_setzero_ps(); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V load(const float* p, int n) { return _mm256_maskload_ps(p, lanes_below(n, 8)); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, V v, int n) { _mm256_maskstore_ps(p, lanes_below(n, 8), v); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
};
template <>
struct Simd<double> {
  using V = __m256d;
  static constexpr int W = 4, MV = 3, NB = 4;
  static V zero() { return _mm256_setzero_pd(); }
  static V set1(double x) { return _mm256_set1_pd(x); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static V load(const double* p, int n) { return _mm256_maskload_pd(p, lanes_below(n, 4)); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static void store(double* p, V v, int n) { _mm256_maskstore_pd(p, lanes_below(n, 4), v); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
};
#else
template <class S>
struct Simd {
  using V = S;
  static constexpr int W = 1, MV = 4, NB = 4;
  static V zero() { return S(0); }
  static V set1(S x) { return x; }
  static V load(const S* p) { return *p; }
  static V load(const S* p, int) { return *p; }
  static void store(S* p, V v) { *p = v; }
  static void store(S* p, V v, int) { *p = v; }
#if defined(__FMA__)
  static V fma(V a, V b, V c) { return std::fma(a, b, c); }
#else
  static V fma(V a, V b, V c) { return a * b + c; }  // no FMA unit: std::fma would be a slow library call
#endif
  static V add(V a, V b) { return a + b; }
};
#endif

/// The fused multiply-add of one entry, as the vector lanes compute it (tests use it).
template <class S>
inline S scalar_fma(S a, S b, S c) {
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__)) || defined(__FMA__)
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

/// One tile: rows [0, (MV-1) W + tail) of C from A, columns [0, NB). `tail` in 1..W is the
/// number of rows the last vector holds (W: a full vector).
template <class S, int MV, int NB>
inline void tile(Index k, const S* A, Index lda, const S* B, Index bk, Index bj, S* C, Index ldc, int tail,
                 bool accumulate) {
  using X = Simd<S>;
  typename X::V acc[MV][NB];
#pragma GCC unroll 8
  for (int v = 0; v < MV; ++v)
#pragma GCC unroll 8
    for (int j = 0; j < NB; ++j) acc[v][j] = X::zero();
  const bool full = tail == X::W;
  for (Index kk = 0; kk < k; ++kk) {
    const S* a = A + kk * lda;
    typename X::V av[MV];
#pragma GCC unroll 8
    for (int v = 0; v < MV - 1; ++v) av[v] = X::load(a + v * X::W);
    av[MV - 1] = full ? X::load(a + (MV - 1) * X::W) : X::load(a + (MV - 1) * X::W, tail);
    const S* b = B + kk * bk;
#pragma GCC unroll 8
    for (int j = 0; j < NB; ++j) {
      const typename X::V bv = X::set1(b[j * bj]);
#pragma GCC unroll 8
      for (int v = 0; v < MV; ++v) acc[v][j] = X::fma(av[v], bv, acc[v][j]);
    }
  }
#pragma GCC unroll 8
  for (int j = 0; j < NB; ++j) {
    S* c = C + j * ldc;
#pragma GCC unroll 8
    for (int v = 0; v < MV; ++v) {
      S* cv = c + v * X::W;
      const bool last_partial = v == MV - 1 && !full;
      typename X::V out = acc[v][j];
      if (accumulate) out = X::add(last_partial ? X::load(cv, tail) : X::load(cv), out);
      if (last_partial)
        X::store(cv, out, tail);
      else
        X::store(cv, out);
    }
  }
}

template <class S, int MV>
inline void tile_cols(int nb, Index k, const S* A, Index lda, const S* B, Index bk, Index bj, S* C, Index ldc,
                      int tail, bool accumulate) {
  static_assert(Simd<S>::NB <= 5, "tile_cols dispatches up to 5 columns");
  switch (nb) {
    case 1: return tile<S, MV, 1>(k, A, lda, B, bk, bj, C, ldc, tail, accumulate);
    case 2: return tile<S, MV, 2>(k, A, lda, B, bk, bj, C, ldc, tail, accumulate);
    case 3: return tile<S, MV, 3>(k, A, lda, B, bk, bj, C, ldc, tail, accumulate);
    case 4: return tile<S, MV, 4>(k, A, lda, B, bk, bj, C, ldc, tail, accumulate);
    default: return tile<S, MV, (Simd<S>::NB >= 5 ? 5 : 4)>(k, A, lda, B, bk, bj, C, ldc, tail, accumulate);
  }
}

}  // namespace point_gemm_detail

/// C (m x n, column-major, leading dimension ldc) = A B, or C += A B with `accumulate`,
/// where A is m x k column-major (leading dimension lda) and B(kk, j) = B[kk*bk + j*bj]
/// (bk = 1, bj = ld for a column-major B; bk = ld, bj = 1 for its transpose). Each entry is
/// the fused multiply-add chain over kk = 0..k-1 in order (see the top of this file).
template <class S>
void point_gemm(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const S* A, std::ptrdiff_t lda, const S* B,
                std::ptrdiff_t bk, std::ptrdiff_t bj, S* C, std::ptrdiff_t ldc, bool accumulate = false) {
  using namespace point_gemm_detail;
  using X = Simd<S>;
  constexpr Index rows_per_tile = Index(X::MV) * X::W;
  // Row tiles outside, column tiles inside: a tile's rows of A (MV W x k) stay in the L1
  // cache while every column block of B (small: the layer's weights) passes over them.
  for (Index i0 = 0; i0 < m; i0 += rows_per_tile) {
    const Index rows = m - i0 < rows_per_tile ? m - i0 : rows_per_tile;
    const int mv = int((rows + X::W - 1) / X::W);
    const int tail = int(rows - Index(mv - 1) * X::W);
    for (Index j0 = 0; j0 < n; j0 += X::NB) {
      const int nb = int(n - j0 < X::NB ? n - j0 : X::NB);
      const S* a = A + i0;
      const S* b = B + j0 * bj;
      S* c = C + i0 + j0 * ldc;
      switch (mv) {
        case 1: tile_cols<S, 1>(nb, k, a, lda, b, bk, bj, c, ldc, tail, accumulate); break;
        case 2: tile_cols<S, 2>(nb, k, a, lda, b, bk, bj, c, ldc, tail, accumulate); break;
        case 3: tile_cols<S, 3>(nb, k, a, lda, b, bk, bj, c, ldc, tail, accumulate); break;
        default: tile_cols<S, (X::MV >= 4 ? 4 : 3)>(nb, k, a, lda, b, bk, bj, c, ldc, tail, accumulate); break;
      }
    }
  }
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_POINT_GEMM_H
