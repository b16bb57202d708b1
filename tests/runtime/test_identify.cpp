// test_identify.cpp — identified parameters (`param k = ?`): the objective's gradient and
// LM Jacobian in the parameters' variables against central differences, the trainer
// recovering a decay rate from data, bounds, and the same bits on every thread count.
#include "rt_test_util.h"

#include <doctest/doctest.h>

using namespace pinnc::rt;

namespace {

// r = u1 + a u0 + b u0^2 t + d t     (params a, b, c, d = q0..q3)
// G = u0(0.1) - c                    (a soft condition whose value is a parameter)
void id_residual(void*, int64_t P, const double* t, const double* u, const double* q, double* r, double* dr,
                 double* drp) {
  for (int64_t p = 0; p < P; ++p) {
    const double u0 = u[p], u1 = u[P + p];
    r[p] = u1 + q[0] * u0 + q[1] * u0 * u0 * t[p] + q[3] * t[p];
    dr[p] = q[0] + 2 * q[1] * u0 * t[p];  // (0, slot 0)
    dr[P + p] = 1;                        // (0, slot 1)
    if (drp) {
      drp[p] = u0;                 // (0, a)
      drp[P + p] = u0 * u0 * t[p]; // (0, b)
      drp[2 * P + p] = t[p];       // (0, d)
    }
  }
}
void id_conditions(void*, int64_t, const double*, const double* u, const double* q, double* r, double* dr,
                   double* drp) {
  r[0] = u[0] - q[2];
  dr[0] = 1;
  if (drp) drp[0] = -1;  // (0, c)
}

const double kParams[4] = {0.7, -0.4, 1.2, 0.3};
const double kCondPoint[1] = {0.1};
const int32_t kOrder[1] = {1};
const int32_t kRows[2] = {0, 0}, kSlots[2] = {0, 1};
const int32_t kParamRows[3] = {0, 0, 0}, kParamCols[3] = {0, 1, 3};
const int32_t kZero[1] = {0}, kTwo[1] = {2};

pinnc_problem id_problem() {
  pinnc_problem p{};
  p.n_unknowns = 1, p.order = 1, p.n_equations = 1, p.n_conditions = 1, p.n_params = 4;
  p.t0 = 0, p.t1 = 2;
  p.condition_points = kCondPoint;
  p.params = kParams;
  p.unknown_order = kOrder;
  p.residual_partials = {2, kRows, kSlots};
  p.residual_param_partials = {3, kParamRows, kParamCols};
  p.condition_partials = {1, kZero, kZero};
  p.condition_param_partials = {1, kZero, kTwo};
  p.kernels.residual_f64 = id_residual;
  p.kernels.conditions_f64 = id_conditions;
  return p;
}

}  // namespace

TEST_CASE("identified parameters: gradient and Jacobian against central differences") {
  const pinnc_problem pb = id_problem();
  TrainerSettings s;
  s.hidden = {5, 4};
  Network<double> net(make_shape(pb, s));
  net.initialize(Init::glorot_normal, 5);
  ObjectiveOptions o;
  o.points = 70;  // two point blocks
  o.condition_weights = {1.7};
  o.data = {{0.3, 0, 0.8}, {1.5, 0, 0.2}, {1.9, 0, 0.1}};
  o.data_weight = 2;
  o.identify = {0, 2, 1};  // a, c, b (not d): any order
  o.identify_scale = {0.5, 2.0, 0.25};
  Objective<double> obj(pb, net, o);
  for (Eigen::Index i = 0; i < obj.n_points(); ++i) obj.points()[i] = 2.0 * double(i) / double(obj.n_points() - 1);
  obj.points_changed();
  REQUIRE(obj.n_identified() == 3);
  CHECK(obj.identified_variable(0) == doctest::Approx(0.7 / 0.5));
  CHECK(obj.identified_variable(1) == doctest::Approx(1.2 / 2.0));

  const Eigen::Index N = net.n_params(), NQ = N + 3, M = obj.n_residuals();
  LossTerms T;
  T.resize(1, 1);
  Eigen::VectorXd grad(NQ);
  const double L = obj.evaluate(net, T, grad.data());
  // Loss in the variables z, by central differences.
  std::vector<double> z = {obj.identified_variable(0), obj.identified_variable(1), obj.identified_variable(2)};
  auto loss_at = [&](int i, double dz) {
    std::vector<double> w = z;
    w[size_t(i)] += dz;
    obj.set_identified_variables(w.data());
    LossTerms t2;
    t2.resize(1, 1);
    const double v = obj.evaluate(net, t2, nullptr);
    obj.set_identified_variables(z.data());
    return v;
  };
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    const double h = 1e-6, fd = (loss_at(i, h) - loss_at(i, -h)) / (2 * h);
    CHECK(grad[N + i] == doctest::Approx(fd).epsilon(1e-6));
    CHECK(std::fabs(grad[N + i]) > 1e-6);  // the test would not see a missing term otherwise
  }
  // The residual vector and its Jacobian: ||r||^2 = loss, J^T r = grad / 2, and the
  // parameters' rows against central differences of r.
  Eigen::VectorXd r(M);
  Eigen::MatrixXd Jt(NQ, M);
  Jt.setConstant(std::nan(""));  // every entry must be written
  obj.residuals(net, T, r.data(), Jt.data());
  CHECK(r.squaredNorm() == doctest::Approx(L).epsilon(1e-12));
  CHECK(Jt.allFinite());
  const Eigen::VectorXd half = Jt * r;
  CHECK((half - 0.5 * grad).norm() <= 1e-9 * grad.norm());
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    const double h = 1e-6;
    std::vector<double> w = z;
    Eigen::VectorXd rp(M), rm(M);
    w[size_t(i)] = z[size_t(i)] + h;
    obj.set_identified_variables(w.data());
    obj.residuals(net, T, rp.data(), nullptr);
    w[size_t(i)] = z[size_t(i)] - h;
    obj.set_identified_variables(w.data());
    obj.residuals(net, T, rm.data(), nullptr);
    obj.set_identified_variables(z.data());
    const Eigen::VectorXd fd = (rp - rm) / (2 * h);
    CHECK((Jt.row(N + i).transpose() - fd).norm() <= 1e-6 * fd.norm());
  }
}

TEST_CASE("identification: the trainer recovers a decay rate from data, within its bounds, on any thread count") {
  // y' + k y = 0, y(0) = 1 exactly (trial), data y(t_i) = exp(-1.3 t_i), guess k = 0.5.
  const pinnc_problem pb = rt_test::decay_problem(0, 2, /*hard=*/true);
  TrainerSettings s;
  s.hidden = {16, 16};
  s.points = 64;
  s.schedule = {Stage{}, Stage{}};
  s.schedule[0].epochs = 200;
  s.schedule[1].optimizer = OptimizerKind::lm;
  s.schedule[1].epochs = 100;
  for (int i = 0; i <= 10; ++i) s.data.push_back({0.2 * i, 0, std::exp(-1.3 * 0.2 * i)});
  s.params = {0.5};
  s.identify = {0};
  s.identify_lower = {-HUGE_VAL};
  s.identify_upper = {HUGE_VAL};
  std::vector<double> first;
  for (int threads : {1, 2}) {
    s.threads = threads;
    Trainer<double> tr(pb, s);
    tr.train();
    const std::vector<double> q = tr.param_values();
    CHECK(q[0] == doctest::Approx(1.3).epsilon(1e-4));
    if (first.empty()) first = q;
    else CHECK(q[0] == first[0]);  // bit for bit
  }
  // An upper bound below the truth: the value stops at the bound.
  s.identify_upper = {1.0};
  Trainer<double> bounded(pb, s);
  bounded.train();
  CHECK(bounded.param_values()[0] <= 1.0);
  CHECK(bounded.param_values()[0] == doctest::Approx(1.0).epsilon(1e-9));
}
