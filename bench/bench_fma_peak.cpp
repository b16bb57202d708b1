// bench_fma_peak.cpp — this core's fused multiply-add peak, float32 and float64, measured
// with a loop that keeps everything in registers (no memory traffic): 12 independent
// accumulators, enough to hide the FMA latency on the two FMA pipes of current x86 cores.
// bench/run.py runs it beside the training benchmark to give GFLOP/s as a share of the
// peak of the same machine in the same run. Not a test: prints numbers.
//
// usage: bench_fma_peak [million iterations = 50]
//   prints: fma peak f32 <GFLOP/s> f64 <GFLOP/s> (<instruction set>, 1 thread)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

#if defined(__AVX512F__)
constexpr const char* kIsa = "AVX-512";
using VF = __m512;
using VD = __m512d;
constexpr int kLanesF = 16, kLanesD = 8;
VF setf(float x) { return _mm512_set1_ps(x); }
VD setd(double x) { return _mm512_set1_pd(x); }
VF fma(VF a, VF b, VF c) { return _mm512_fmadd_ps(a, b, c); }
VD fma(VD a, VD b, VD c) { return _mm512_fmadd_pd(a, b, c); }
float first(VF v) { return _mm512_cvtss_f32(v); }
double first(VD v) { return _mm512_cvtsd_f64(v); }
#elif defined(__FMA__)
constexpr const char* kIsa = "AVX2+FMA";
using VF = __m256;
using VD = __m256d;
constexpr int kLanesF = 8, kLanesD = 4;
VF setf(float x) { return _mm256_set1_ps(x); }
VD setd(double x) { return _mm256_set1_pd(x); }
VF fma(VF a, VF b, VF c) { return _mm256_fmadd_ps(a, b, c); }
VD fma(VD a, VD b, VD c) { return _mm256_fmadd_pd(a, b, c); }
float first(VF v) { return _mm256_cvtss_f32(v); }
double first(VD v) { return _mm256_cvtsd_f64(v); }
#else
#define PINNC_NO_FMA_PEAK 1  // no x86 FMA: the benchmark says so instead of measuring
#endif

#ifndef PINNC_NO_FMA_PEAK
/// GFLOP/s of `iters` rounds of 12 independent FMAs on vectors of `lanes` elements; the
/// best of 3. The multiplier is just below 1 so the accumulators neither overflow nor
/// become subnormal; the result is printed so the loop cannot be removed.
template <class V, class S>
double peak(S (*get)(V), V (*set)(S), int lanes, long iters, S* sink) {
  constexpr int kAcc = 12;
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    V acc[kAcc];
    for (int i = 0; i < kAcc; ++i) acc[i] = set(static_cast<S>(1 + i));
    const V a = set(static_cast<S>(0.999999)), b = set(static_cast<S>(1e-7));
    auto t0 = std::chrono::steady_clock::now();
    for (long it = 0; it < iters; ++it)
      for (int i = 0; i < kAcc; ++i) acc[i] = fma(acc[i], a, b);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (int i = 0; i < kAcc; ++i) *sink += get(acc[i]);
    best = std::max(best, 2.0 * lanes * kAcc * static_cast<double>(iters) / s * 1e-9);
  }
  return best;
}

#endif
}  // namespace

int main(int argc, char** argv) {
#ifdef PINNC_NO_FMA_PEAK
  (void)argc, (void)argv;
  std::printf("fma peak n/a (not an x86 CPU with FMA)\n");
  return 0;
#else
  const long iters = (argc > 1 ? std::atol(argv[1]) : 50) * 1000000L;
  if (iters <= 0) {
    std::fprintf(stderr, "usage: bench_fma_peak [million iterations > 0]\n");
    return 2;
  }
  float sf = 0;
  double sd = 0;
  const double f32 = peak<VF, float>(first, setf, kLanesF, iters, &sf);
  const double f64 = peak<VD, double>(first, setd, kLanesD, iters, &sd);
  std::printf("fma peak f32 %.1f f64 %.1f GFLOP/s (%s, 1 thread; checksum %g)\n", f32, f64, kIsa,
              static_cast<double>(sf) + sd);
  return 0;
#endif
}
