// test_backward.cpp — the whole backward pass (network, Taylor orders, trial wrapping,
// input scaling, conditions, data) against central differences of the loss, and the LM
// residual vector / Jacobian against the loss and its gradient.
#include "rt_test_util.h"

#include <doctest/doctest.h>

using namespace pinnc::rt;

namespace {

// A generic nonlinear test problem with U unknowns of order K and E = U equations:
//   R_e = sum_{j,k} c[e][j][k] u_j^(k) + 0.5 (u_e^(0))^2 u_{e+1 mod U}^(K) + t
// dR_e/du_j^(k) = c[e][j][k] + [j = e, k = 0] u_e u_{e+1}^(K) + [j = e+1, k = K] u_e^2 / 2
// (added up when both brackets hold, as for U = 1, K = 0). Conditions (C = 2):
//   G_0 = u_0(t_a) - 1,   G_1 = (u_{U-1}^(min(1,K))(t_b))^2 - 0.3.
// Trial: A_j = 1 + 0.5 t, B_j = exp(0.3 t) (so B^(k) = 0.3^k B, A' = 0.5).
// The residual's pattern lists every (e, slot) pair (dense: entry n = e*S + slot); the
// conditions' has (0, slot 0) and (1, slot (U-1)(K+1) + min(1,K)).
struct Generic {
  int U = 1, K = 1;
  double c[3][3][5];
  std::vector<int32_t> rows, slots, cond_rows, cond_slots;
} G;

void gen_residual(void*, int64_t P, const double* t, const double* u, const double*, double* r,
                  double* dr, double*) {
  const int U = G.U, K = G.K, S = U * (K + 1);
  auto at = [&](int j, int k, int64_t p) { return u[(j * (K + 1) + k) * P + p]; };
  for (int e = 0; e < U; ++e) {
    const int e1 = (e + 1) % U;
    for (int64_t p = 0; p < P; ++p) {
      double v = t[p] + 0.5 * at(e, 0, p) * at(e, 0, p) * at(e1, K, p);
      for (int j = 0; j < U; ++j)
        for (int k = 0; k <= K; ++k) {
          v += G.c[e][j][k] * at(j, k, p);
          dr[(e * S + j * (K + 1) + k) * P + p] = G.c[e][j][k];
        }
      r[e * P + p] = v;
      dr[(e * S + e * (K + 1) + 0) * P + p] += at(e, 0, p) * at(e1, K, p);
      dr[(e * S + e1 * (K + 1) + K) * P + p] += 0.5 * at(e, 0, p) * at(e, 0, p);
    }
  }
}

void gen_conditions(void*, int64_t C, const double*, const double* u, const double*, double* r,
                    double* dr, double*) {
  const int U = G.U, K = G.K;
  const int k1 = K < 1 ? K : 1;
  r[0] = u[(0 * (K + 1) + 0) * C + 0] - 1;  // condition 0 at point 0
  dr[0] = 1;
  const double v = u[((U - 1) * (K + 1) + k1) * C + 1];  // condition 1 at point 1
  r[1] = v * v - 0.3;
  dr[1] = 2 * v;
}

void gen_trial(void*, int64_t P, const double* t, const double*, double* A, double* B) {
  const int U = G.U, K = G.K;
  for (int j = 0; j < U; ++j)
    for (int64_t p = 0; p < P; ++p) {
      const double b = std::exp(0.3 * t[p]);
      double f = 1;
      for (int k = 0; k <= K; ++k, f *= 0.3) {
        A[(j * (K + 1) + k) * P + p] = k == 0 ? 1 + 0.5 * t[p] : (k == 1 ? 0.5 : 0.0);
        B[(j * (K + 1) + k) * P + p] = f * b;
      }
    }
}

const double kCondPts[2] = {0.1, 0.9};

pinnc_problem generic_problem(int U, int K, bool trial) {
  G.U = U, G.K = K;
  Rng rng(U * 10 + K);
  for (auto& a : G.c)
    for (auto& b : a)
      for (double& x : b) x = rng.uniform(-1, 1);
  G.rows.clear(), G.slots.clear();
  for (int e = 0; e < U; ++e)
    for (int s = 0; s < U * (K + 1); ++s) G.rows.push_back(e), G.slots.push_back(s);
  G.cond_rows = {0, 1};
  G.cond_slots = {0, (U - 1) * (K + 1) + (K < 1 ? K : 1)};
  pinnc_problem p{};
  p.n_unknowns = U, p.order = K, p.n_equations = U, p.n_conditions = 2, p.n_params = 0;
  p.t0 = -0.5, p.t1 = 1.5;
  p.condition_points = kCondPts;
  p.residual_partials = {int32_t(G.rows.size()), G.rows.data(), G.slots.data()};
  p.condition_partials = {2, G.cond_rows.data(), G.cond_slots.data()};
  p.kernels.residual_f64 = gen_residual;
  p.kernels.conditions_f64 = gen_conditions;
  p.kernels.trial_f64 = trial ? gen_trial : nullptr;
  return p;
}

using rt_test::fd_gradient;

struct Case {
  std::vector<int> hidden;
  int U, K;
  bool trial, scaling, data;
  Activation act;
};

}  // namespace

TEST_CASE("backward pass matches finite differences of the loss") {
  // Central differences with step 1e-6 on O(1) weights: truncation ~1e-12 |L'''|,
  // rounding ~1e-16 |L| / 1e-6 = 1e-10 relative. We compare whole gradient vectors by
  // relative 2-norm error < 1e-6; any wrong rule or missing term gives O(1e-2..1).
  const Case cases[] = {
      {{5}, 1, 1, false, false, false, Activation::tanh},
      {{6, 5}, 1, 2, true, true, false, Activation::sin},
      {{4, 4, 3}, 2, 3, false, true, true, Activation::silu},
      {{5, 4}, 2, 4, true, true, true, Activation::gelu},
      {{4, 5}, 3, 2, true, false, true, Activation::softplus},
      {{5}, 1, 0, true, true, true, Activation::sigmoid},
      {{6, 6}, 2, 1, true, true, true, Activation::leaky_relu},
      {{3, 3}, 1, 4, false, true, false, Activation::tanh},
  };
  for (const Case& cs : cases) {
    CAPTURE(cs.U);
    CAPTURE(cs.K);
    CAPTURE(cs.trial);
    CAPTURE(cs.scaling);
    const std::string act = activation_name(cs.act);
    CAPTURE(act);
    const pinnc_problem pb = generic_problem(cs.U, cs.K, cs.trial);
    TrainerSettings s;
    s.hidden = cs.hidden;
    s.activation = cs.act;
    s.input_scaling = cs.scaling;
    Network<double> net(make_shape(pb, s));
    net.initialize(Init::glorot_normal, 99);
    ObjectiveOptions o;
    o.points = 9;
    o.condition_weights = {0.7, 2.5};
    if (cs.data) o.data = {{0.2, 0, 0.5}, {1.1, cs.U - 1, -0.3}, {0.4, 0, 0.1}}, o.data_weight = 3;
    Objective<double> obj(pb, net, o);
    for (Eigen::Index p = 0; p < 9; ++p) obj.points()[p] = -0.5 + 0.25 * double(p) + 0.01 * double(p * p);
    obj.points_changed();
    LossTerms T;
    T.resize(pb.n_equations, pb.n_conditions);
    Eigen::VectorXd g(net.n_params());
    const double L0 = obj.evaluate(net, T, g.data());
    CHECK(T.conditions > 0);
    const Eigen::VectorXd fd = fd_gradient(obj, net, T);
    CHECK((g - fd).norm() <= 1e-6 * fd.norm());

    // LM pieces: ||rvec||^2 = loss and 2 Jt rvec = gradient.
    const Eigen::Index M = obj.n_residuals();
    Eigen::VectorXd r(M);
    Eigen::MatrixXd Jt(net.n_params(), M);
    obj.residuals(net, T, r.data(), Jt.data());
    CHECK(r.squaredNorm() == doctest::Approx(L0).epsilon(1e-12));
    CHECK((2 * Jt * r - g).norm() <= 1e-10 * g.norm());
    // And one Jacobian column against finite differences of rvec (the middle one).
    const Eigen::Index col = M / 2;
    Eigen::VectorXd rp(M), rm(M), fdc(net.n_params());
    for (Eigen::Index i = 0; i < net.n_params(); ++i) {
      const double w = net.params()[i], h = 1e-6;
      net.params()[i] = w + h;
      obj.residuals(net, T, rp.data(), nullptr);
      net.params()[i] = w - h;
      obj.residuals(net, T, rm.data(), nullptr);
      net.params()[i] = w;
      fdc[i] = (rp[col] - rm[col]) / (2 * h);
    }
    CHECK((Jt.col(col) - fdc).norm() <= 1e-6 * (fdc.norm() + 1e-12));
  }
}

TEST_CASE("point blocks: derivatives across block edges, and the same bits on every thread count") {
  // 150 points make three blocks (64, 64, 22). The gradient must still match central
  // differences, and loss terms, gradient, residual vector and Jacobian must be equal bit
  // for bit whether the blocks run on one thread or several.
  const pinnc_problem pb = generic_problem(2, 2, true);
  TrainerSettings s;
  s.hidden = {6, 5};
  s.activation = Activation::tanh;
  Network<double> net(make_shape(pb, s));
  net.initialize(Init::glorot_normal, 5);
  const Eigen::Index P = 150;
  REQUIRE(P > 2 * Objective<double>::kBlockPoints);
  struct Result {
    double loss;
    std::vector<double> equation;
    Eigen::VectorXd g, r;
    Eigen::MatrixXd Jt;
  };
  auto run = [&](int threads) {
    ObjectiveOptions o;
    o.points = P;
    o.condition_weights = {0.7, 2.5};
    o.data = {{0.2, 0, 0.5}, {1.1, 1, -0.3}};
    o.threads = threads;
    Objective<double> obj(pb, net, o);
    CHECK(obj.threads() == std::min(threads, 3));
    for (Eigen::Index p = 0; p < P; ++p) obj.points()[p] = -0.9 + 1.8 * double(p) / double(P - 1);
    obj.points_changed();
    LossTerms T;
    T.resize(pb.n_equations, pb.n_conditions);
    Result res;
    res.g = Eigen::VectorXd(net.n_params());
    res.loss = obj.evaluate(net, T, res.g.data());
    res.equation = T.equation;
    res.r = Eigen::VectorXd(obj.n_residuals());
    res.Jt = Eigen::MatrixXd(net.n_params(), obj.n_residuals());
    obj.residuals(net, T, res.r.data(), res.Jt.data());
    if (threads == 1) {
      const Eigen::VectorXd fd = fd_gradient(obj, net, T);
      CHECK((res.g - fd).norm() <= 1e-6 * fd.norm());
      CHECK((2 * res.Jt * res.r - res.g).norm() <= 1e-10 * res.g.norm());
    }
    return res;
  };
  const Result one = run(1);
  for (int threads : {2, 3, 8}) {
    CAPTURE(threads);
    const Result many = run(threads);
    CHECK(many.loss == one.loss);
    CHECK(many.equation == one.equation);
    CHECK(many.g == one.g);
    CHECK(many.r == one.r);
    CHECK(many.Jt == one.Jt);
  }
}

TEST_CASE("input scaling: network outputs are derivatives with respect to t") {
  // The Taylor outputs of order k must be d^k/dt^k of the order-0 output; checked by
  // central differences of the order-(k-1) output, with and without input scaling.
  for (bool scaling : {false, true}) {
    NetworkShape sh;
    sh.widths = {1, 6, 5, 2};
    sh.activation = Activation::tanh;
    Network<double> net(sh);
    if (scaling) net.set_input_interval(0.0, 50.0);
    net.initialize(Init::glorot_uniform, 1);
    TaylorWorkspace<double> ws(net, 3, 4);
    const double t[3] = {1.0, 17.0, 44.0};
    net.forward(t, ws);
    const Eigen::VectorXd out = ws.out;
    const double h = scaling ? 1e-3 : 1e-5;
    for (int k = 1; k <= 4; ++k) {
      double tp[3], tm[3];
      for (int i = 0; i < 3; ++i) tp[i] = t[i] + h, tm[i] = t[i] - h;
      net.forward(tp, ws);
      const Eigen::VectorXd op = ws.out;
      net.forward(tm, ws);
      const Eigen::VectorXd om = ws.out;
      for (int j = 0; j < 2; ++j)
        for (int p = 0; p < 3; ++p) {
          const double fd = (op[(j * 5 + k - 1) * 3 + p] - om[(j * 5 + k - 1) * 3 + p]) / (2 * h);
          CAPTURE(scaling);
          CAPTURE(k);
          CHECK(out[(j * 5 + k) * 3 + p] == doctest::Approx(fd).epsilon(1e-5).scale(1e-6));
        }
    }
  }
}
