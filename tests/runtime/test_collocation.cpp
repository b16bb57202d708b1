// test_collocation.cpp — adaptive collocation (runtime/include/pinnc/post/march.h's polish):
// the Trainer's extra points are trained on in every epoch, residual_points() puts points
// where the residual is large and stays deterministic, and time_scale_points() follows the
// fastest time scale of the first-order form.
#include "rt_test_util.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "pinnc/post/march.h"

using namespace pinnc;
using namespace pinnc::rt;

namespace {

// Max |y(t) - exp(-t)| over 401 points of [0, 2].
double max_error(const Trainer<double>& tr) {
  std::vector<double> t(401), u(401);
  for (size_t i = 0; i < t.size(); ++i) t[i] = 2.0 * double(i) / 400.0;
  tr.evaluate(t.data(), Eigen::Index(t.size()), 0, u.data());
  double e = 0;
  for (size_t i = 0; i < t.size(); ++i) e = std::max(e, std::fabs(u[i] - std::exp(-t[i])));
  return e;
}

TrainerSettings lm_settings(int64_t points, std::vector<double> extra) {
  TrainerSettings s;
  s.hidden = {8, 8};
  s.points = points;
  s.extra_points = std::move(extra);
  s.seed = 3;
  Stage lm;
  lm.optimizer = OptimizerKind::lm, lm.epochs = 60;
  s.schedule = {lm};
  return s;
}

// An Outcome on an evenly spaced fine grid of [0, 1] whose one equation's residual is
// `r(t)` (its relative size 1).
template <class F>
post::Outcome outcome_with_residual(F r) {
  post::Outcome o;
  for (int i = 0; i <= 1000; ++i) o.grid.push_back(i / 1000.0);
  for (double t : o.grid) o.residuals.push_back(r(t));
  o.relative_residual = {1.0};
  return o;
}

}  // namespace

TEST_CASE("extra collocation points follow the sampler's in every epoch and are trained on") {
  const pinnc_problem pb = rt_test::decay_problem(0, 2, /*hard=*/true);
  // Two grid points alone leave the network free between them; the extra points pin it.
  std::vector<double> extra;
  for (int i = 1; i < 24; ++i) extra.push_back(2.0 * i / 24.0);
  Trainer<double> only_two(pb, lm_settings(2, {}));
  only_two.train();
  Trainer<double> with_extra(pb, lm_settings(2, extra));
  with_extra.train();
  REQUIRE(with_extra.objective().n_points() == 2 + int64_t(extra.size()));
  for (size_t i = 0; i < extra.size(); ++i) CHECK(with_extra.objective().points()[2 + Eigen::Index(i)] == extra[i]);
  const double e2 = max_error(only_two), e25 = max_error(with_extra);
  MESSAGE("max error on 2 points " << e2 << ", with 23 extra points " << e25);
  CHECK(e25 < 1e-5);
  CHECK(e2 > 100 * e25);

  TrainerSettings bad = lm_settings(2, {0.5, NAN});
  CHECK_THROWS_AS(Trainer<double>(pb, bad), std::invalid_argument);
}

TEST_CASE("residual_points: dense where the residual peaks, spread elsewhere, deterministic") {
  // A residual peak of width 0.01 at t = 0.3 on a small background.
  const post::Outcome o = outcome_with_residual([](double t) { return 1e-3 + std::exp(-std::pow((t - 0.3) / 0.01, 2)); });
  const std::vector<double> pts = post::residual_points(o, 200);
  REQUIRE(pts.size() == 200);
  CHECK(std::is_sorted(pts.begin(), pts.end()));
  CHECK(pts.front() >= 0.0);
  CHECK(pts.back() <= 1.0);
  const auto near_peak = std::count_if(pts.begin(), pts.end(), [](double t) { return std::fabs(t - 0.3) < 0.02; });
  const auto far = std::count_if(pts.begin(), pts.end(), [](double t) { return t > 0.5; });
  // Evenly spaced points would put 8 within 0.02 of the peak; the density a/mean + 1 puts
  // about half of them there (the peak carries most of a's integral).
  MESSAGE(near_peak << " points near the peak, " << far << " beyond t = 0.5");
  CHECK(near_peak > 60);
  CHECK(far > 30);  // the rest of the interval keeps points (the "+ 1")
  CHECK(post::residual_points(o, 200) == pts);

  // A flat residual gives evenly spaced points (the quantiles of a uniform density).
  const std::vector<double> flat = post::residual_points(outcome_with_residual([](double) { return 2.0; }), 10);
  REQUIRE(flat.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(flat[size_t(i)] == doctest::Approx((i + 0.5) / 10).epsilon(1e-9));
  // Nothing to follow: zero or non-finite residuals give no points.
  CHECK(post::residual_points(outcome_with_residual([](double) { return 0.0; }), 10).empty());
  CHECK(post::residual_points(outcome_with_residual([](double) { return NAN; }), 10).empty());
}

TEST_CASE("time_scale_points: kPointsPerScale per 1/|lambda| over the interval, capped") {
  // y' + k y = 0: the first-order form's Jacobian is -k everywhere.
  const pinnc_problem pb = rt_test::decay_problem(0, 1);
  post::Outcome o;
  for (int i = 0; i <= 100; ++i) o.grid.push_back(i / 100.0);
  o.u.assign(2 * o.grid.size(), 0.5);  // [y; y'], any state: the problem is linear
  const double k300[1] = {300}, k1[1] = {1}, k1e5[1] = {1e5};
  CHECK(post::time_scale_points(pb, k300, o) == int64_t(post::march_detail::kPointsPerScale * 300));
  CHECK(post::time_scale_points(pb, k1, o) == int64_t(post::march_detail::kPointsPerScale));
  CHECK(post::time_scale_points(pb, k1e5, o) == post::march_detail::kMaxScalePoints);
  o.u.pop_back();  // a solution of the wrong size: nothing to go by
  CHECK(post::time_scale_points(pb, k300, o) == 0);
}
