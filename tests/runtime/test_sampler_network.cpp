// test_sampler_network.cpp — collocation samplers, weight initialisation and
// (de)serialisation, solution evaluation with trial wrapping, and settings validation.
#include "rt_test_util.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace pinnc::rt;

TEST_CASE("grid and jittered grid") {
  SamplerOptions o;
  o.kind = Sampling::grid;
  Sampler g(o, 0, 5);
  std::vector<double> t(501);
  CHECK(g.sample(0, t.data(), 501));
  CHECK(t[0] == 0.0);
  CHECK(t[500] == 5.0);
  CHECK(t[100] == doctest::Approx(1.0).epsilon(1e-15));
  CHECK_FALSE(g.sample(1, t.data(), 501));  // a fixed grid is written once

  o.kind = Sampling::jittered_grid;
  o.sigma = 0.1;
  o.seed = 4;
  Sampler j(o, 0, 5);
  std::vector<double> t2(501);
  double sum = 0, sum2 = 0;
  int outside = 0;
  for (int e = 0; e < 20; ++e) {
    CHECK(j.sample(e, t2.data(), 501));  // new jitter every epoch
    for (int i = 0; i < 501; ++i) {
      const double d = t2[size_t(i)] - 0.01 * i;
      sum += d, sum2 += d * d;
      outside += t2[size_t(i)] < 0 || t2[size_t(i)] > 5;
    }
  }
  const double n = 20 * 501, sd = std::sqrt(sum2 / n - (sum / n) * (sum / n));
  // 10020 draws: the sample sd of N(0, 0.1) is within 3% of 0.1 with overwhelming odds.
  CHECK(sd == doctest::Approx(0.1).epsilon(0.03));
  CHECK(std::fabs(sum / n) < 0.005);
  CHECK(outside > 0);  // like the seed, not clamped by default
  // The fixed mode (L-BFGS/LM) gives the plain grid.
  CHECK(j.sample(20, t2.data(), 501, true));
  CHECK(t2[250] == doctest::Approx(2.5).epsilon(1e-15));
}

TEST_CASE("uniform and Sobol samples cover the interval, resample every K, deterministically") {
  for (Sampling kind : {Sampling::uniform, Sampling::sobol}) {
    const std::string name = sampling_name(kind);
    CAPTURE(name);
    SamplerOptions o;
    o.kind = kind;
    o.resample_every = 3;
    o.seed = 9;
    Sampler s1(o, -1, 3), s2(o, -1, 3);
    std::vector<double> a(256), b(256);
    CHECK(s1.sample(0, a.data(), 256));
    CHECK(s2.sample(0, b.data(), 256));
    CHECK(a == b);
    int bins[16] = {0};
    for (double x : a) {
      REQUIRE(x >= -1);
      REQUIRE(x < 3);
      ++bins[int((x + 1) / 4 * 16)];
    }
    // Sobol: 256 consecutive points of a base-2 sequence put 16 +- 1 in each 1/16 bin.
    // Uniform: 16 +- 4 sd; a bin below 3 or above 35 has probability < 1e-4.
    const int lo = kind == Sampling::sobol ? 15 : 3, hi = kind == Sampling::sobol ? 17 : 35;
    for (int c : bins) {
      CHECK(c >= lo);
      CHECK(c <= hi);
    }
    CHECK_FALSE(s1.sample(1, a.data(), 256));
    CHECK_FALSE(s1.sample(2, a.data(), 256));
    CHECK(s1.sample(3, a.data(), 256));
    CHECK(a != b);
  }
}

TEST_CASE("initialisation is seeded and has the documented scale; weights round-trip") {
  NetworkShape sh;
  sh.widths = {1, 40, 30, 2};
  Network<double> a(sh), b(sh), c(sh);
  CHECK(a.n_params() == 40 + 40 + 1200 + 30 + 60 + 2);
  a.initialize(Init::glorot_normal, 5);
  b.initialize(Init::glorot_normal, 5);
  c.initialize(Init::glorot_normal, 6);
  CHECK(a.weights() == b.weights());
  CHECK(a.weights() != c.weights());
  // W_1 (30 x 40): sd sqrt(2/70) = 0.169; 1200 samples estimate it within ~5%.
  const auto W1 = a.W(1);
  const double sd = std::sqrt(W1.squaredNorm() / double(W1.size()));
  CHECK(sd == doctest::Approx(std::sqrt(2.0 / 70)).epsilon(0.1));
  CHECK(a.b(1).norm() == 0.0);
  Network<double> t(sh);
  t.initialize(Init::torch_uniform, 1);
  CHECK(t.W(1).cwiseAbs().maxCoeff() <= 1 / std::sqrt(40.0));
  CHECK(t.b(1).cwiseAbs().maxCoeff() > 0);
  // Serialisation: shape + flat weights rebuild the same network.
  Network<double> r(a.shape());
  r.set_weights(a.weights());
  CHECK(r.params() == a.params());
  CHECK_THROWS_AS(r.set_weights(std::vector<double>(3)), std::invalid_argument);
  // float32 from the same seed: the double weights rounded.
  Network<float> f(sh);
  f.initialize(Init::glorot_normal, 5);
  CHECK(f.params()[17] == float(a.params()[17]));
}

TEST_CASE("evaluation applies the trial wrapping and its Leibniz derivatives") {
  // Hard decay problem: u = 1 + t N, u' = N + t N'. Check against the raw network.
  const pinnc_problem pb = rt_test::decay_problem(0, 2, true);
  TrainerSettings s;
  s.hidden = {7};
  Trainer<double> tr(pb, s);
  const double t[3] = {0.0, 0.7, 1.9};
  double u[6];
  tr.evaluate(t, 3, 1, u);
  TaylorWorkspace<double> ws(tr.network(), 3, 1);
  tr.network().forward(t, ws);
  for (int p = 0; p < 3; ++p) {
    CHECK(u[p] == doctest::Approx(1 + t[p] * ws.out[p]).epsilon(1e-14));
    CHECK(u[3 + p] == doctest::Approx(ws.out[p] + t[p] * ws.out[3 + p]).epsilon(1e-14));
  }
  double r[3];
  tr.residuals(t, 3, r);
  for (int p = 0; p < 3; ++p) CHECK(r[p] == doctest::Approx(u[3 + p] + u[p]).epsilon(1e-14));
  CHECK_THROWS_AS(tr.evaluate(t, 3, 2, u), std::invalid_argument);  // beyond the trial's order
}

TEST_CASE("settings validation: leaky_relu refused for order >= 2, bad sizes refused") {
  pinnc_problem pb = rt_test::decay_problem(0, 1);
  TrainerSettings s;
  s.activation = Activation::leaky_relu;
  CHECK(validate_settings(pb, s).empty());  // order 1 is fine
  pb.order = 2;
  const std::string msg = validate_settings(pb, s);
  CHECK(msg.find("leaky_relu") != std::string::npos);
  CHECK(msg.find("second derivative") != std::string::npos);
  CHECK_THROWS_AS(Trainer<double>(pb, s), std::invalid_argument);
  pb.order = 1;
  s.activation = Activation::tanh;
  s.condition_weights = {1, 2};
  CHECK_FALSE(validate_settings(pb, s).empty());
  s.condition_weights.clear();
  s.points = 0;
  CHECK_FALSE(validate_settings(pb, s).empty());
  Activation a;
  CHECK(parse_activation("swish", a));
  CHECK(a == Activation::silu);
  CHECK_FALSE(parse_activation("relu6", a));
}
