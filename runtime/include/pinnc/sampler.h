// sampler.h — collocation points: fixed grid, jittered grid, uniform random, Sobol.
//
// Deterministic: the random kinds draw from the portable Rng seeded once, and Sobol points
// (Boost.Random's header-only generator) are continued from where the last sample ended
// and rotated by a seeded shift (Cranley-Patterson), so the same seed gives the same
// points in every run. sample() never allocates.
#ifndef PINNC_RT_SAMPLER_H
#define PINNC_RT_SAMPLER_H

#include <boost/random/sobol.hpp>
#include <cmath>
#include <cstdint>
#include <string>

#include "pinnc/choices.h"
#include "pinnc/rng.h"

namespace pinnc::rt {


struct SamplerOptions {
  Sampling kind = Sampling::grid;
  double sigma = 0.1;           ///< jitter standard deviation (in units of t)
  bool clamp = false;           ///< clamp jittered points into [t0, t1] (the seed does not)
  int64_t resample_every = 1;   ///< epochs between new samples (random kinds)
  uint64_t seed = 0;
};

/// Produces the collocation points of each epoch.
class Sampler {
 public:
  Sampler(const SamplerOptions& o, double t0, double t1)
      : o_(o), t0_(t0), t1_(t1), rng_(o.seed ^ 0x5A4D504C45ull), sobol_(1) {
    if (o_.resample_every < 1) o_.resample_every = 1;
    shift_ = rng_.uniform();
  }

  const SamplerOptions& options() const { return o_; }

  /// Writes the points of `epoch` into t[0..P) when they change (at epoch 0 always, then
  /// every resample_every epochs for the random kinds); returns whether it wrote. With
  /// `fixed` the jittered grid gives the plain grid and random kinds keep their points
  /// (used by L-BFGS and LM, whose steps need the same loss at every evaluation).
  template <class Scalar>
  bool sample(int64_t epoch, Scalar* t, int64_t P, bool fixed = false) {
    const bool first = !started_;
    started_ = true;
    if (o_.kind == Sampling::grid || (fixed && o_.kind == Sampling::jittered_grid)) {
      if (!first && last_was_grid_) return false;
      last_was_grid_ = true;
      for (int64_t i = 0; i < P; ++i) t[i] = Scalar(grid(i, P));
      return true;
    }
    if (!first && (fixed || epoch % o_.resample_every != 0) && !last_was_grid_) return false;
    last_was_grid_ = false;
    switch (o_.kind) {
      case Sampling::jittered_grid:
        for (int64_t i = 0; i < P; ++i) {
          double x = grid(i, P) + o_.sigma * rng_.normal();
          if (o_.clamp) x = x < t0_ ? t0_ : (x > t1_ ? t1_ : x);
          t[i] = Scalar(x);
        }
        break;
      case Sampling::uniform:
        for (int64_t i = 0; i < P; ++i) t[i] = Scalar(rng_.uniform(t0_, t1_));
        break;
      case Sampling::sobol:
        for (int64_t i = 0; i < P; ++i) {
          double u = double(sobol_()) * 0x1.0p-64 + shift_;
          if (u >= 1.0) u -= 1.0;
          t[i] = Scalar(t0_ + (t1_ - t0_) * u);
        }
        break;
      case Sampling::grid: break;
    }
    return true;
  }

  /// The i-th of P grid points (P = 1: the interval's midpoint).
  double grid(int64_t i, int64_t P) const {
    if (P == 1) return 0.5 * (t0_ + t1_);
    return t0_ + (t1_ - t0_) * double(i) / double(P - 1);
  }

 private:
  SamplerOptions o_;
  double t0_, t1_;
  Rng rng_;
  boost::random::sobol sobol_;
  double shift_ = 0;
  bool started_ = false, last_was_grid_ = false;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_SAMPLER_H
