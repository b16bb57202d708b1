// test_activation.cpp — activation derivatives and the Taylor (Faa di Bruno) rules to
// order 4, and their adjoints, against finite differences in float64.
#include "rt_test_util.h"

#include <doctest/doctest.h>

using namespace pinnc::rt;

namespace {

const Activation kAll[] = {Activation::tanh,  Activation::sin,        Activation::sigmoid,
                           Activation::softplus, Activation::silu,    Activation::gelu,
                           Activation::leaky_relu, Activation::identity};

double s_i(Activation a, double z, int i) {
  double s[6];
  activation_derivatives(a, z, 6, s);
  return s[i];
}

// Reference values of s0 from the C library, to anchor the chain of derivatives.
double reference_s0(Activation a, double z) {
  switch (a) {
    case Activation::tanh: return std::tanh(z);
    case Activation::sin: return std::sin(z);
    case Activation::sigmoid: return 1 / (1 + std::exp(-z));
    case Activation::softplus: return std::log(1 + std::exp(z));
    case Activation::silu: return z / (1 + std::exp(-z));
    case Activation::gelu: return 0.5 * z * (1 + std::erf(z / std::sqrt(2.0)));
    case Activation::leaky_relu: return z > 0 ? z : 0.01 * z;
    case Activation::identity: return z;
  }
  return 0;
}

// Taylor rule h_k at time t along z(t) = sum_i zc[i] t^i / i! (a degree-4 polynomial):
// z_j(t) is the j-th derivative of that polynomial.
double rule_at(Activation a, int k, const double* zc, double t) {
  double z[5];
  for (int j = 0; j <= 4; ++j) {
    double acc = 0, tp = 1, fact = 1;
    for (int i = 0; j + i <= 4; ++i) {
      acc += zc[j + i] * tp / fact;
      tp *= t;
      fact *= i + 1;
    }
    z[j] = acc;
  }
  double s[6], h[5];
  activation_derivatives(a, z[0], 6, s);
  faa_di_bruno<4>(s, z, h);
  return h[k];
}

}  // namespace

TEST_CASE("activation derivatives s_1..s_5 match central differences of s_0..s_4") {
  // Central differences with step 1e-5 have truncation error ~ 1e-10 |s'''| and rounding
  // error ~ 1e-16/1e-5 = 1e-11: a 1e-6 tolerance catches any wrong coefficient (those
  // show up at O(1)) while leaving four orders of margin.
  Rng rng(42);
  for (Activation a : kAll) {
    const std::string name = activation_name(a);
    CAPTURE(name);
    for (int trial = 0; trial < 40; ++trial) {
      double z = rng.uniform(-3, 3);
      if (a == Activation::leaky_relu && std::fabs(z) < 1e-3) z = 0.5;  // kink at 0
      CAPTURE(z);
      CHECK(s_i(a, z, 0) == doctest::Approx(reference_s0(a, z)).epsilon(1e-12));
      const double h = 1e-5;
      for (int i = 1; i <= 5; ++i) {
        const double fd = (s_i(a, z + h, i - 1) - s_i(a, z - h, i - 1)) / (2 * h);
        CAPTURE(i);
        CHECK(s_i(a, z, i) == doctest::Approx(fd).epsilon(1e-6).scale(1.0));
      }
    }
  }
}

TEST_CASE("Faa di Bruno rules: h_k = d/dt h_{k-1} along a polynomial z(t), orders 1..4") {
  // Induction: h_0 = s(z(t)) exactly, and each h_k must be the t-derivative of h_{k-1}
  // (checked by central differences, step 1e-5; tolerance as above).
  Rng rng(7);
  for (Activation a : kAll) {
    if (activation_is_piecewise_linear(a)) continue;  // kinks make FD meaningless near 0
    const std::string name = activation_name(a);
    CAPTURE(name);
    for (int trial = 0; trial < 20; ++trial) {
      double zc[5];
      for (double& c : zc) c = rng.uniform(-1.5, 1.5);
      const double h = 1e-5;
      for (int k = 1; k <= 4; ++k) {
        const double fd = (rule_at(a, k - 1, zc, h) - rule_at(a, k - 1, zc, -h)) / (2 * h);
        CAPTURE(k);
        CHECK(rule_at(a, k, zc, 0) == doctest::Approx(fd).epsilon(1e-6).scale(1.0));
      }
    }
  }
}

TEST_CASE("Faa di Bruno adjoint: dz_j = sum_k c_k dh_k/dz_j, orders 0..4") {
  // L = sum_k c_k h_k(z_0..z_K); its partials by central differences in each z_j.
  Rng rng(11);
  for (Activation a : kAll) {
    const std::string name = activation_name(a);
    CAPTURE(name);
    for (int trial = 0; trial < 10; ++trial) {
      double z[5], c[5];
      for (double& v : z) v = rng.uniform(-1.5, 1.5);
      if (a == Activation::leaky_relu && std::fabs(z[0]) < 1e-2) z[0] = 0.7;
      for (double& v : c) v = rng.uniform(-1, 1);
      auto L = [&](const double* zz) {
        double s[6], hh[5];
        activation_derivatives(a, zz[0], 6, s);
        faa_di_bruno<4>(s, zz, hh);
        double acc = 0;
        for (int k = 0; k <= 4; ++k) acc += c[k] * hh[k];
        return acc;
      };
      double s[6], dz[5];
      activation_derivatives(a, z[0], 6, s);
      faa_di_bruno_adjoint<4>(s, z, c, dz);
      for (int j = 0; j <= 4; ++j) {
        double zp[5], zm[5];
        for (int i = 0; i < 5; ++i) zp[i] = zm[i] = z[i];
        zp[j] += 1e-6, zm[j] -= 1e-6;
        CAPTURE(j);
        CHECK(dz[j] == doctest::Approx((L(zp) - L(zm)) / 2e-6).epsilon(1e-6).scale(1.0));
      }
    }
  }
}

TEST_CASE("the stacked layer loops agree with the scalar rules for every order") {
  const Eigen::Index n = 7;
  Rng rng(3);
  for (int K = 0; K <= 4; ++K) {
    std::vector<double> Z(size_t((K + 1) * n)), H(Z.size()), D(Z.size());
    for (double& v : Z) v = rng.uniform(-1, 1);
    taylor_activation_forward<double>(Activation::gelu, 0.01, K, n, Z.data(), H.data());
    for (Eigen::Index i = 0; i < n; ++i) {
      double z[5] = {0, 0, 0, 0, 0}, s[6], h[5];
      for (int k = 0; k <= K; ++k) z[k] = Z[size_t(k * n + i)];
      activation_derivatives(Activation::gelu, z[0], 6, s);
      faa_di_bruno<4>(s, z, h);
      for (int k = 0; k <= K; ++k) CHECK(H[size_t(k * n + i)] == doctest::Approx(h[k]).epsilon(1e-14));
    }
  }
}

TEST_CASE("portable_log agrees with std::log") {
  Rng rng(5);
  for (int i = 0; i < 1000; ++i) {
    const double x = std::exp(rng.uniform(-30, 30));
    CHECK(portable_log(x) == doctest::Approx(std::log(x)).epsilon(1e-14).scale(1.0));
  }
}
