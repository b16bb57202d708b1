// bundle.h — after training a solution bundle (`param k in [a, b]`): the solution is
// checked over a grid of the ranged parameters' values, not at one value. Each value gets
// the full evaluation of a forward run (post/evaluate.h: the exact solution or a
// classical reference solved for that value, else the error bound), and the verdict is
// the worst of them. The grid has the training samples and the midpoints between them
// (2n - 1 values per parameter for n training samples; at most 9 per parameter when there
// are several), so half of the checked values were never trained on.
#ifndef PINNC_POST_BUNDLE_H
#define PINNC_POST_BUNDLE_H

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/evaluate.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/trainer.h"

namespace pinnc::post {

/// The values of the ranged parameters at which a bundle is checked, [S][m].
inline std::vector<std::vector<double>> bundle_check_grid(const RunInfo& info, const rt::TrainerSettings& s) {
  const std::size_t m = info.bundle.size();
  int n = 2 * s.bundle_samples - 1;
  if (m > 1) n = std::min(n, 9);
  std::vector<std::vector<double>> out;
  std::size_t total = 1;
  for (std::size_t i = 0; i < m; ++i) total *= std::size_t(n);
  for (std::size_t k = 0; k < total; ++k) {
    std::size_t rest = k;
    std::vector<double> row(m);
    for (std::size_t i = m; i-- > 0;) {
      const std::size_t idx = rest % std::size_t(n);
      rest /= std::size_t(n);
      const RangedInfo& r = info.bundle[i];
      row[i] = idx + 1 == std::size_t(n) ? r.upper : r.lower + (r.upper - r.lower) * double(idx) / double(n - 1);
    }
    out.push_back(row);
  }
  return out;
}

/// "k = 0.5, w = 2"
inline std::string bundle_point(const RunInfo& info, const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + info.bundle[i].name + " = " + shortest(values[i]);
  return out;
}

/// Checks a trained bundle over bundle_check_grid() (`s`: the settings it was trained
/// with): fills rep.bundle_*; the verdict's target ratio becomes the worst over the grid,
/// and the run is trusted only when every value meets the target.
inline void bundle_report(const pinnc_problem& pb, const RunInfo& info, const rt::TrainerSettings& s, Outcome& rep) {
  if (rep.diverged || info.bundle.empty() || rep.params.size() != std::size_t(pb.n_params)) return;
  std::vector<double> ratios;
  rep.bundle_worst = -1;
  for (const std::vector<double>& values : bundle_check_grid(info, s)) {
    Outcome one;
    one.theta = rep.theta, one.widths = rep.widths, one.input_scale = rep.input_scale, one.input_shift = rep.input_shift;
    one.param_inputs = rep.param_inputs, one.final_loss = rep.final_loss;
    one.params = rep.params;
    for (std::size_t i = 0; i < values.size(); ++i) one.params[std::size_t(info.bundle[i].index)] = values[i];
    evaluate(pb, info, one.params.data(), one);
    const double ratio = std::isnan(one.target_ratio) ? INFINITY : one.target_ratio;
    ratios.push_back(ratio);
    if (ratio > rep.bundle_worst) {
      rep.bundle_worst = ratio;
      rep.bundle_worst_at = bundle_point(info, values);
      rep.bundle_checked_by = one.checked_by;
      rep.bundle_worst_error = one.checked_by == "reference" ? one.rel_error : one.bound_rel;
    }
  }
  std::vector<double> sorted = ratios;
  std::sort(sorted.begin(), sorted.end());
  rep.bundle_checked = ratios.size();
  rep.bundle_median = sorted[sorted.size() / 2];
  if (std::isinf(rep.bundle_worst)) {  // some value could not be checked (evaluate says why)
    rep.bundle_checked_by.clear();
    rep.trusted = false;
    if (rep.checked_by.empty()) return;  // not even the middle: its warning says it all
    rep.target_ratio = NAN;
    rep.warnings.push_back("across the bundle's range the error could not be checked at " + rep.bundle_worst_at);
    return;
  }
  if (!(rep.bundle_worst <= rep.target_ratio)) rep.target_ratio = rep.bundle_worst;
  if (!(rep.bundle_worst <= 1)) {
    rep.trusted = false;
    rep.warnings.push_back(format("across the bundle's range the worst %s is %.3g times the target (at %s)",
                                  rep.bundle_checked_by == "reference" ? "error" : "error bound",
                                  rep.bundle_worst, rep.bundle_worst_at.c_str()));
  }
}

}  // namespace pinnc::post

#endif  // PINNC_POST_BUNDLE_H
