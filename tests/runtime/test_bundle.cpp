// test_bundle.cpp — solution bundles: a parameter as a network input, the loss averaged
// over samples of it. The gradient and the LM Jacobian against central differences, and
// a trained decay bundle y(t; k) = exp(-k t) checked at values of k between the samples.
#include "rt_test_util.h"

#include <doctest/doctest.h>

using namespace pinnc::rt;

TEST_CASE("bundle: gradient and Jacobian against central differences") {
  const pinnc_problem pb = rt_test::decay_problem(0, 2, /*hard=*/false);  // a soft condition too
  TrainerSettings s;
  s.hidden = {5, 4};
  s.bundle = {0};
  s.bundle_lower = {0.5};
  s.bundle_upper = {2.0};
  s.bundle_samples = 3;
  const NetworkShape shape = make_shape(pb, s);
  REQUIRE(shape.widths.front() == 2);
  Network<double> net(shape);
  net.initialize(Init::glorot_normal, 3);
  ObjectiveOptions o;
  o.points = 70;  // two point blocks per sample
  o.condition_weights = {1.3};
  o.bundle = s.bundle;
  o.bundle_values = bundle_grid(s);
  CHECK(o.bundle_values == std::vector<double>{0.5, 1.25, 2.0});
  Objective<double> obj(pb, net, o);
  for (Eigen::Index i = 0; i < obj.n_points(); ++i) obj.points()[i] = 2.0 * double(i) / double(obj.n_points() - 1);
  obj.points_changed();
  REQUIRE(obj.n_samples() == 3);
  CHECK(obj.n_residuals() == 3 * (70 + 1));
  LossTerms T;
  T.resize(1, 1);
  Eigen::VectorXd g(net.n_params());
  const double L = obj.evaluate(net, T, g.data());
  const Eigen::VectorXd fd = rt_test::fd_gradient(obj, net, T);
  CHECK((g - fd).norm() <= 1e-6 * fd.norm());
  // The samples differ: the loss is not that of one sample three times.
  ObjectiveOptions one = o;
  one.bundle_values = {1.25};
  Objective<double> mid(pb, net, one);
  mid.points() = obj.points();
  mid.points_changed();
  CHECK(std::fabs(mid.evaluate(net, T, nullptr) - L) > 1e-6 * L);
  Eigen::VectorXd r(obj.n_residuals());
  Eigen::MatrixXd Jt(net.n_params(), obj.n_residuals());
  obj.residuals(net, T, r.data(), Jt.data());
  CHECK(r.squaredNorm() == doctest::Approx(L).epsilon(1e-12));
  CHECK((Jt * r - 0.5 * g).norm() <= 1e-9 * g.norm());
}

TEST_CASE("bundle: one training learns y(t; k) = exp(-k t) for k in [0.5, 2]") {
  const pinnc_problem pb = rt_test::decay_problem(0, 2, /*hard=*/true);
  TrainerSettings s;
  s.hidden = {20, 20};
  s.points = 32;
  s.schedule = {Stage{}, Stage{}};
  s.schedule[0].epochs = 300;
  s.schedule[1].optimizer = OptimizerKind::lm;
  s.schedule[1].epochs = 150;
  s.bundle = {0};
  s.bundle_lower = {0.5};
  s.bundle_upper = {2.0};
  s.bundle_samples = 7;
  Trainer<double> tr(pb, s);
  tr.train();
  // Between the samples (0.5, 0.75, ..., 2) as well as on them.
  double worst = 0;
  for (double k : {0.5, 0.6, 0.87, 1.3, 1.62, 2.0}) {
    const double params[1] = {k};
    const double t[3] = {0.25, 1.0, 2.0};
    double u[6];
    evaluate_solution(pb, tr.network(), params, t, 3, 1, u);
    for (int p = 0; p < 3; ++p) {
      worst = std::max(worst, std::fabs(u[p] - std::exp(-k * t[p])));
      worst = std::max(worst, std::fabs(u[3 + p] + k * std::exp(-k * t[p])));  // y' too
    }
  }
  CHECK(worst < 1e-3);
  // A network with parameter inputs needs the parameters.
  TaylorWorkspace<double> ws(tr.network(), 1, 1);
  const double t0 = 0.5;
  CHECK_THROWS_AS(tr.network().forward(&t0, ws), std::invalid_argument);
}
