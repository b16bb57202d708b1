// identify.h — after a run that fitted data: how well the solution fits the measurements,
// and the identified parameters with approximate standard errors (docs/IDENTIFY.md).
//
// Standard errors are those of nonlinear least squares: with the sensitivities
// S[m][i] = d u_{j_m}(t_m) / d q_i of the model's prediction of measurement m, and the
// noise variance estimated from the misfit, s^2 = sum_m (u_{j_m}(t_m) - v_m)^2 / (M - Qf),
// the covariance is s^2 (S^T S)^-1. The sensitivities come from the classical reference
// (post/reference.h), solved with each identified parameter moved by +-h (central
// differences), not from the network: they are the equation's, independent of how well
// the network learned them. Without a reference there are no standard errors, and the
// report says why.
#ifndef PINNC_POST_IDENTIFY_H
#define PINNC_POST_IDENTIFY_H

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "pinnc/objective.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/reference.h"
#include "pinnc/post/solution.h"

namespace pinnc::post {

/// Largest value the data misfit may have, relative to the data's scale, before the
/// verdict says the solution does not fit the data (a 10% misfit is far above the noise
/// of any measurement worth fitting, and far below what a wrong solution leaves).
constexpr double kMaxDataMisfit = 0.1;

namespace identify_detail {

/// The values u_{j_m}(t_m) of a solution given on the sorted distinct times `times`
/// (values[j][k] at times[k]), one per measurement.
inline std::vector<double> at_data(const std::vector<rt::DataPoint>& data, const std::vector<double>& times,
                                   const std::vector<std::vector<double>>& values) {
  std::vector<double> out;
  for (const rt::DataPoint& d : data) {
    const std::size_t k = std::size_t(std::lower_bound(times.begin(), times.end(), d.t) - times.begin());
    out.push_back(values[std::size_t(d.unknown)][k]);
  }
  return out;
}

}  // namespace identify_detail

/// Fills rep.data_points, rep.data_misfit, rep.identified and rep.std_error_why, and
/// adds a verdict warning when the solution does not fit the data. `params` are the
/// values after training (rep.params).
inline void identify_report(const pinnc_problem& pb, const RunInfo& info, const std::vector<rt::DataPoint>& data,
                            Outcome& rep) {
  const std::vector<double>& params = rep.params;
  const std::size_t M = data.size(), Qf = info.identified.size();
  std::vector<double> se(Qf, std::nan(""));
  rep.data_points = M;
  rep.data_misfit = std::nan("");
  if (Qf > 0 && M == 0) rep.std_error_why = "there are no measurements: the conditions decide the parameters";
  if (M > 0 && !rep.diverged && params.size() == std::size_t(pb.n_params)) {
    // The network at the measurement times, and the misfit per unknown.
    std::vector<double> times;
    for (const rt::DataPoint& d : data) times.push_back(d.t);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    const TrainedSolution sol = TrainedSolution::of(pb, info.activation, rep);
    std::vector<double> u(std::size_t(pb.n_unknowns) * times.size());
    sol.values(params.data(), times.data(), times.size(), 0, u.data());
    std::vector<std::vector<double>> rows(std::size_t(pb.n_unknowns));
    for (std::size_t j = 0; j < rows.size(); ++j)
      rows[j].assign(u.begin() + std::ptrdiff_t(j * times.size()), u.begin() + std::ptrdiff_t((j + 1) * times.size()));
    const std::vector<double> pred = identify_detail::at_data(data, times, rows);
    std::map<int, double> sum, top;  // per unknown: sum of squared misfits, max |value|
    std::map<int, std::size_t> count;
    double ss = 0;
    for (std::size_t m = 0; m < M; ++m) {
      const double r = pred[m] - data[m].value;
      ss += r * r;
      sum[data[m].unknown] += r * r;
      top[data[m].unknown] = std::max(top[data[m].unknown], std::fabs(data[m].value));
      ++count[data[m].unknown];
    }
    rep.data_misfit = 0;
    for (const auto& [j, s] : sum)
      rep.data_misfit = std::max(rep.data_misfit, std::sqrt(s / double(count[j])) / (top[j] > 0 ? top[j] : 1.0));
    if (!(rep.data_misfit <= kMaxDataMisfit)) {
      rep.trusted = false;
      rep.warnings.push_back(format("the solution does not fit the data: its RMS misfit is %.2g of the data's scale "
                                    "(more than %.2g)",
                                    rep.data_misfit, kMaxDataMisfit));
    }
    // With a stated noise level, a misfit well above it says the model does not fit.
    const double rms_misfit = std::sqrt(ss / double(M));
    if (info.data_noise > 0 && !(rms_misfit <= 2 * info.data_noise)) {
      rep.trusted = false;
      rep.warnings.push_back(format("the RMS misfit %.3g is more than twice the stated noise (--data-noise %s)", rms_misfit,
                                    shortest(info.data_noise).c_str()));
    }
    // Standard errors from the reference's sensitivities.
    if (Qf == 0) {
    } else if (!info.reference.possible) {
      rep.std_error_why = "they need the classical reference's sensitivities, and there is none (" +
                          info.reference.why_not + ")";
    } else if (M <= Qf && info.data_noise == 0) {
      rep.std_error_why = format("%zu measurements for %zu parameters leave no degrees of freedom for the noise", M, Qf);
    } else {
      Eigen::MatrixXd S(static_cast<Eigen::Index>(M), static_cast<Eigen::Index>(Qf));
      const Guess guess = [&](const std::vector<double>& t) {
        std::vector<double> v(std::size_t(pb.n_unknowns) * t.size());
        sol.values(params.data(), t.data(), t.size(), 0, v.data());
        return v;
      };
      for (std::size_t i = 0; i < Qf && rep.std_error_why.empty(); ++i) {
        const std::size_t q = std::size_t(info.identified[i].index);
        const double h = 1e-4 * std::max(std::fabs(params[q]), 1e-8);
        std::vector<double> plus = params, minus = params;
        plus[q] += h;
        minus[q] -= h;
        const ReferenceResult a = solve_reference(pb, info.reference, times, plus.data(), &guess);
        const ReferenceResult b = solve_reference(pb, info.reference, times, minus.data(), &guess);
        if (!a.ok || !b.ok) {
          rep.std_error_why = "the reference failed with " + info.identified[i].name + " moved: " +
                              (a.ok ? b.why_not : a.why_not);
          break;
        }
        const std::vector<double> up = identify_detail::at_data(data, times, a.values);
        const std::vector<double> down = identify_detail::at_data(data, times, b.values);
        for (std::size_t m = 0; m < M; ++m) S(Eigen::Index(m), Eigen::Index(i)) = (up[m] - down[m]) / (2 * h);
      }
      if (rep.std_error_why.empty()) {
        const Eigen::MatrixXd StS = S.transpose() * S;
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(StS);
        // The noise variance: stated, or estimated from the misfit.
        const double s2 = info.data_noise > 0 ? info.data_noise * info.data_noise : ss / double(M - Qf);
        const Eigen::MatrixXd cov = s2 *
                                    ldlt.solve(Eigen::MatrixXd::Identity(Eigen::Index(Qf), Eigen::Index(Qf)));
        bool ok = ldlt.info() == Eigen::Success && cov.allFinite();
        for (std::size_t i = 0; i < Qf; ++i) ok = ok && cov(Eigen::Index(i), Eigen::Index(i)) >= 0;
        if (!ok) rep.std_error_why = "the measurements do not tell the parameters apart (the sensitivities are singular)";
        for (std::size_t i = 0; i < Qf && ok; ++i) se[i] = std::sqrt(cov(Eigen::Index(i), Eigen::Index(i)));
      }
    }
  }
  rep.identified.clear();
  for (std::size_t i = 0; i < Qf && params.size() == std::size_t(pb.n_params); ++i) {
    const IdentifiedInfo& d = info.identified[i];
    const double v = params[std::size_t(d.index)];
    const bool at_bound = v <= d.lower || v >= d.upper;
    rep.identified.push_back(Identified{d.name, v, d.guess, se[i], at_bound});
    // A value held on its bound is where the optimizer was stopped, not where the data
    // put it: the fit may want a value outside, so the run is not to be trusted (exit 4).
    if (at_bound && !rep.diverged) {
      rep.warnings.push_back(format("the identified %s = %.6g sits on its %s bound of [%s, %s]: the data may want a value "
                                    "outside (widen the bounds in `param %s = ? ... in [lo, hi]`, or check the data)",
                                    d.name.c_str(), v, v <= d.lower ? "lower" : "upper", shortest(d.lower).c_str(),
                                    shortest(d.upper).c_str(), d.name.c_str()));
      rep.trusted = false;
    }
  }
}

}  // namespace pinnc::post

#endif  // PINNC_POST_IDENTIFY_H
