// test_window.cpp — rt::WindowProblem (runtime/include/pinnc/window.h): the runtime's
// initial-value trial functions of one time window, checked against their definition and
// their derivatives against central finite differences, at random points; the start state
// is met exactly at the window's start.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "pinnc/window.h"

namespace {

void no_residual(void*, int64_t, const double*, const double*, const double*, double*, double*, double*) {}

}  // namespace

TEST_CASE("window trial: A carries the start state, B vanishes to order m-1 at a, derivatives match differences") {
  // Two unknowns of orders 3 and 1; problem order 3.
  const int32_t orders[2] = {3, 1};
  pinnc_problem base{};
  base.n_unknowns = 2;
  base.order = 3;
  base.n_equations = 2;
  base.t0 = 0, base.t1 = 10;
  base.unknown_order = orders;
  base.kernels.residual_f64 = &no_residual;
  const double a = 2.5, b = 4.0, L = b - a;
  const std::vector<double> start = {0.7, -1.3, 2.1, 5.0};  // y, y', y'' at a; z at a
  pinnc::rt::WindowProblem w(base, a, b, start);
  const pinnc_problem& pb = w.abi();
  CHECK(pb.t0 == a);
  CHECK(pb.t1 == b);
  REQUIRE(bool(pb.kernels.trial_f64));
  REQUIRE(bool(pb.kernels.trial_f32));
  CHECK_FALSE(bool(pb.kernels.residual_f32));  // the base has none

  const int K = 3, U = 2, P = 1;
  auto at = [&](double t, std::vector<double>& A, std::vector<double>& B) {
    A.assign(std::size_t(U * (K + 1) * P), NAN);
    B.assign(A.size(), NAN);
    pb.kernels.trial_f64(pb.kernels.ctx, P, &t, nullptr, A.data(), B.data());
  };
  std::vector<double> A, B;
  at(a, A, B);
  // At a: A^(k) = s_k for k < m, B^(k) = 0 for k < m.
  for (int k = 0; k < 3; ++k) CHECK(A[std::size_t(k)] == start[std::size_t(k)]);
  CHECK(A[3] == 0.0);  // y''' of A: A is a polynomial of degree 2
  CHECK(A[4] == start[3]);
  for (int k = 0; k < 3; ++k) CHECK(B[std::size_t(k)] == 0.0);
  CHECK(B[3] == doctest::Approx(6.0 / (L * L * L)).epsilon(1e-14));  // d^3/dt^3 ((t-a)/L)^3
  CHECK(B[4] == 0.0);
  CHECK(B[5] == doctest::Approx(1.0 / L).epsilon(1e-14));

  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> pick(a, b);
  for (int trial = 0; trial < 20; ++trial) {
    const double t = pick(rng), d = t - a;
    at(t, A, B);
    // The definition, for y: A = s0 + s1 d + s2 d^2/2, B = (d/L)^3.
    CHECK(A[0] == doctest::Approx(start[0] + start[1] * d + start[2] * d * d / 2).epsilon(1e-13));
    CHECK(B[0] == doctest::Approx(std::pow(d / L, 3)).epsilon(1e-13));
    CHECK(A[4] == start[3]);
    CHECK(B[4] == doctest::Approx(d / L).epsilon(1e-13));
    // Each derivative against a central difference of the one below it.
    const double h = 1e-5;
    std::vector<double> Ap, Bp, Am, Bm;
    at(t + h, Ap, Bp);
    at(t - h, Am, Bm);
    for (int j = 0; j < U; ++j)
      for (int k = 1; k <= K; ++k) {
        const std::size_t s = std::size_t(j * (K + 1) + k);
        CHECK(A[s] == doctest::Approx((Ap[s - 1] - Am[s - 1]) / (2 * h)).epsilon(1e-7).scale(1));
        CHECK(B[s] == doctest::Approx((Bp[s - 1] - Bm[s - 1]) / (2 * h)).epsilon(1e-7).scale(1));
      }
    // float32 agrees with float64 to float precision.
    float tf = float(t);
    std::vector<float> Af(A.size()), Bf(B.size());
    pb.kernels.trial_f32(pb.kernels.ctx, P, &tf, nullptr, Af.data(), Bf.data());
    for (std::size_t s = 0; s < A.size(); ++s) {
      CHECK(double(Af[s]) == doctest::Approx(A[s]).epsilon(1e-5).scale(1));
      CHECK(double(Bf[s]) == doctest::Approx(B[s]).epsilon(1e-5).scale(1));
    }
  }
  CHECK_THROWS(pinnc::rt::WindowProblem(base, 1.0, 1.0, start));             // empty window
  CHECK_THROWS(pinnc::rt::WindowProblem(base, 0.0, 1.0, std::vector<double>{1}));  // wrong state size
}
