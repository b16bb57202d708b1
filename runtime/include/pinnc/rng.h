// rng.h — a seeded, platform-independent random generator (xoshiro256** + SplitMix64).
//
// Everything random in the runtime (weight initialisation, jitter, random collocation
// points) comes from here, never from <random>'s distributions, whose output is
// implementation-defined. Every operation below is plain IEEE arithmetic (+, *, /, sqrt)
// in a fixed order, so the same seed gives the same bits with any compiler and C library
// (provided the compiler does not contract a*b+c into an FMA: the project builds with
// -ffp-contract=off).
#ifndef PINNC_RT_RNG_H
#define PINNC_RT_RNG_H

#include <cmath>
#include <cstdint>

namespace pinnc::rt {

/// SplitMix64: used to expand a 64-bit seed into xoshiro's 256-bit state.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Natural logarithm from +, *, / only, so that it is bit-identical everywhere (the C
/// library's log is not required to be correctly rounded). Accurate to a few ulp for
/// finite x > 0; used only to turn uniforms into normals.
inline double portable_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1): exact
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }  // m in [0.707, 1.414)
  // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172: the series converges fast.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double term = s, sum = 0.0;
  for (int k = 1; k <= 41; k += 2) {  // s^41/41 < 1e-33: far below double precision
    sum += term / k;
    term *= s2;
  }
  return 2.0 * sum + e * 0.69314718055994530942;
}

/// xoshiro256** (Blackman & Vigna): a fast 64-bit generator with a 2^256 period.
class Rng {
 public:
  /// Seeds the state from `seed` through SplitMix64 (any seed, including 0, is fine).
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = splitmix64(sm);
    has_spare_ = false;
  }

  /// Next 64 random bits.
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform double in [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform(); }

  /// Standard normal N(0, 1) by Marsaglia's polar method (with the portable log).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * portable_log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {0, 0, 0, 0};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_RNG_H
