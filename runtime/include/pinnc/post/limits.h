// limits.h — the memory a run will hold, estimated from the problem and the settings
// before anything is allocated, and checked against a limit (RunInfo::memory_limit; 0 means
// 80% of this machine's memory), so that a run too large for the machine is refused with
// a message that names what is large, instead of being killed by the system part-way.
#ifndef PINNC_POST_LIMITS_H
#define PINNC_POST_LIMITS_H

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/trainer.h"

namespace pinnc::post {

/// The share of physical memory a run may use when no limit is given.
constexpr double kDefaultMemoryShare = 0.8;

/// An estimate of the bytes a run holds at its largest, and its largest part in words.
struct MemoryEstimate {
  double bytes = 0;
  double largest_bytes = 0;
  std::string largest;  ///< e.g. "Levenberg-Marquardt's Jacobian (17312 weights x 129000 residuals)"
};

/// The run's memory: the collocation blocks (objective.h: a Taylor workspace, the stack,
/// the residuals, their partial derivatives and a gradient per 64 points and bundle
/// sample), each stage's optimizer state (Levenberg-Marquardt: the transposed Jacobian,
/// weights x residuals, and two normal-equation matrices of min(weights, residuals)^2;
/// L-BFGS: its pairs; Adam: two moments), the loss history (one row per epoch), and the
/// evaluation on the fine grid (the stack and the residual partials at every point).
/// Polishing and time-marching add points (at most 2048) and windows; the estimate covers
/// the first network's training and evaluation, which is the largest for every run in the
/// suite (bench/suite).
inline MemoryEstimate memory_estimate(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& s) {
  const double U = pb.n_unknowns, K = pb.order, E = pb.n_equations, C = pb.n_conditions;
  const double pat = std::max(pb.residual_partials.n, 1);
  const rt::NetworkShape shape = rt::make_shape(pb, s);
  double weights = 0, taylor = 0;
  for (std::size_t l = 1; l < shape.widths.size(); ++l) {
    weights += double(shape.widths[l]) * double(shape.widths[l - 1] + 1);
    taylor += double(shape.widths[l]);
  }
  weights += double(s.identify.size());
  double samples = 1;
  for (std::size_t i = 0; i < s.bundle.size(); ++i) samples *= double(std::max(s.bundle_samples, 1));
  const double points = double(s.points) + double(s.extra_points.size());
  const double block = 64, blocks = std::max(1.0, std::ceil(points / block)) * samples;
  const double scalar = 8;  // f32 halves some parts; the estimate counts every part as f64
  MemoryEstimate out;
  auto part = [&](double bytes, const std::string& what) {
    out.bytes += bytes;
    if (bytes > out.largest_bytes) out.largest_bytes = bytes, out.largest = what;
  };
  const double per_block = block * (8 * taylor * (K + 1) + 5 * U * (K + 1) + E + pat) + weights;
  part(scalar * blocks * per_block, format("the collocation blocks (%.0f points%s, a %.0f-weight network)", points,
                                           samples > 1 ? format(" x %.0f bundle samples", samples).c_str() : "",
                                           weights));
  const double residuals = E * points * samples + C * samples + double(s.data.size());
  double optimizer = 0, epochs = 0;
  std::string opt_what;
  for (const rt::Stage& st : s.schedule) {
    epochs += double(st.epochs);
    double b = 0;
    std::string w;
    switch (st.optimizer) {
      case rt::OptimizerKind::lm: {
        const double k = std::min(weights, residuals);
        b = scalar * (2 * weights * residuals + 2 * k * k);
        w = format("Levenberg-Marquardt's Jacobian and normal equations (%.0f weights x %.0f residuals)", weights,
                   residuals);
        break;
      }
      case rt::OptimizerKind::lbfgs: b = scalar * weights * (2.0 * st.history + 4), w = "L-BFGS's pairs"; break;
      case rt::OptimizerKind::adam:
      case rt::OptimizerKind::sgd: b = scalar * 4 * weights, w = "the optimizer's state"; break;
    }
    if (b > optimizer) optimizer = b, opt_what = w;
  }
  part(optimizer, opt_what);
  part(epochs * (96 + 8 * (E + C)), format("the loss history (%.0f epochs, one row each)", epochs));
  const double n = info.fine_grid;
  part(8 * n * (pat + 4 * U * (K + 1) + 3 * E), format("the evaluation on %.0f points", n));
  return out;
}

/// The machine's physical memory in bytes (0 when unknown).
inline double physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? double(pages) * double(size) : 0;
}

/// "" when the run fits, else why not and what to do.
inline std::string memory_check(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& s) {
  const double limit = info.memory_limit > 0 ? info.memory_limit : kDefaultMemoryShare * physical_memory();
  if (!(limit > 0)) return "";
  const MemoryEstimate m = memory_estimate(pb, info, s);
  if (m.bytes <= limit) return "";
  const double gib = double(1u << 30);
  return format("this run would need about %.3g GiB, more than the limit of %.3g GiB (%s); the largest part is %s "
                "at %.3g GiB. Use fewer --points, a smaller --net, fewer --epochs, or an --opt without lm; or raise "
                "the limit with --memory GIB",
                m.bytes / gib, limit / gib,
                info.memory_limit > 0 ? "--memory" : "80% of this machine's memory, the default of --memory",
                m.largest.c_str(), m.largest_bytes / gib);
}

}  // namespace pinnc::post

#endif  // PINNC_POST_LIMITS_H
