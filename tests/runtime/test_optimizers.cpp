// test_optimizers.cpp — each optimizer on problems with known minima: a quadratic, the
// Rosenbrock function (minimum 0 at (1, 1)), and LM on least-squares fits through both of
// its normal-equation forms.
#include "rt_test_util.h"

#include <doctest/doctest.h>

using namespace pinnc::rt;
using Vec = Eigen::VectorXd;

namespace {

// f(x) = 1/2 sum_i a_i (x_i - c_i)^2 with a_i in [1, 10]: minimum 0 at c.
struct Quadratic {
  Vec a, c;
  explicit Quadratic(int n) : a(n), c(n) {
    for (int i = 0; i < n; ++i) a[i] = 1 + 9.0 * i / (n - 1), c[i] = std::sin(1.0 + i);
  }
  double operator()(const Vec& x, Vec& g) const {
    g = a.cwiseProduct(x - c);
    return 0.5 * (x - c).cwiseAbs2().dot(a);
  }
};

double rosenbrock(const Vec& x, Vec& g) {
  const double a = 1 - x[0], b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return a * a + 100 * b * b;
}

}  // namespace

TEST_CASE("SGD (plain and momentum) and Adam minimise a quadratic") {
  const Quadratic q(8);
  Vec g(8);
  {
    // Plain SGD with lr 0.1 < 2/a_max = 0.2 contracts every coordinate by |1 - lr a| <= 0.9.
    Sgd<double> opt;
    opt.init(8, 0.1);
    Vec x = Vec::Zero(8);
    for (int it = 0; it < 300; ++it) q(x, g), opt.step(x, g);
    CHECK((x - q.c).norm() < 1e-10);  // 0.9^300 ~ 2e-14
  }
  {
    Sgd<double> opt;
    opt.init(8, 0.02, 0.9);
    Vec x = Vec::Zero(8);
    for (int it = 0; it < 500; ++it) q(x, g), opt.step(x, g);
    CHECK((x - q.c).norm() < 1e-6);
  }
  {
    // Adam's steps are ~lr per coordinate; after the approach it oscillates at ~lr scale
    // unless the steps shrink with the gradient, which they do near the minimum.
    Adam<double> opt;
    opt.init(8, 0.05);
    Vec x = Vec::Zero(8);
    for (int it = 0; it < 3000; ++it) q(x, g), opt.step(x, g);
    CHECK((x - q.c).norm() < 1e-4);
  }
}

TEST_CASE("Adam reaches the Rosenbrock minimum's valley and L-BFGS the minimum") {
  Vec g(2);
  {
    Adam<double> opt;
    opt.init(2, 1e-2);
    Vec x(2);
    x << -1.2, 1.0;
    for (int it = 0; it < 20000; ++it) rosenbrock(x, g), opt.step(x, g);
    CHECK((x - Vec::Ones(2)).norm() < 1e-2);  // Adam crawls along the curved valley
  }
  {
    Lbfgs<double> opt;
    opt.init(2, 6);
    Vec x(2);
    x << -1.2, 1.0;
    double f = rosenbrock(x, g);
    int evals = 0, it = 0;
    for (; it < 200 && f > 1e-20; ++it) {
      const LbfgsStatus st = opt.step(x, f, g, [&](Vec& gg) { return rosenbrock(x, gg); }, &evals);
      if (st != LbfgsStatus::ok) break;
    }
    MESSAGE("L-BFGS Rosenbrock: " << it << " iterations, " << evals << " evaluations, f = " << f);
    CHECK((x - Vec::Ones(2)).norm() < 1e-6);  // typically ~40 iterations to 1e-10
    CHECK(it < 100);
  }
  {
    // A 50-dimensional quadratic: L-BFGS with exact-ish steps converges in few iterations.
    const Quadratic q(50);
    Lbfgs<double> opt;
    opt.init(50, 10);
    Vec x = Vec::Zero(50), gq(50);
    double f = q(x, gq);
    for (int it = 0; it < 100 && f > 1e-24; ++it)
      if (opt.step(x, f, gq, [&](Vec& gg) { return q(x, gg); }) != LbfgsStatus::ok) break;
    CHECK((x - q.c).norm() < 1e-8);
  }
}

TEST_CASE("LM fits y = a exp(b x) + c exactly, through both normal-equation forms") {
  // Noise-free data from (a, b, c) = (2, -1.3, 0.5): the least-squares minimum is exact,
  // so LM must recover the parameters to ~1e-10 from (1, 0, 0).
  for (int m : {2, 40}) {  // m = 2 < n = 3: J J^T form (underdetermined: any zero works)
    CAPTURE(m);
    Vec xs(m), ys(m);
    for (int i = 0; i < m; ++i) xs[i] = 2.0 * i / (m > 1 ? m - 1 : 1), ys[i] = 2 * std::exp(-1.3 * xs[i]) + 0.5;
    auto residual = [&](const Vec& p, Vec& r) {
      for (int i = 0; i < m; ++i) r[i] = p[0] * std::exp(p[1] * xs[i]) + p[2] - ys[i];
      return r.squaredNorm();
    };
    LevenbergMarquardt<double> lm;
    WorkerPool pool(2);
    lm.init(3, m, 1e-3);
    Vec p(3), r(m);
    p << 1, 0, 0;
    Eigen::MatrixXd Jt(3, m);
    double f = residual(p, r);
    for (int it = 0; it < 100 && f > 1e-26; ++it) {
      residual(p, r);
      for (int i = 0; i < m; ++i) {
        const double e = std::exp(p[1] * xs[i]);
        Jt(0, i) = e, Jt(1, i) = p[0] * xs[i] * e, Jt(2, i) = 1;
      }
      if (!lm.step(p, r, Jt, f, [&](Vec& rr) { return residual(p, rr); }, pool)) break;
    }
    CHECK(f < 1e-20);
    if (m > 3) {
      CHECK(p[0] == doctest::Approx(2).epsilon(1e-8));
      CHECK(p[1] == doctest::Approx(-1.3).epsilon(1e-8));
      CHECK(p[2] == doctest::Approx(0.5).epsilon(1e-8));
    }
  }
}

TEST_CASE("LM on Rosenbrock as least squares r = (1 - x, 10 (y - x^2))") {
  Vec x(2), r(2);
  x << -1.2, 1.0;
  auto res = [&](Vec& rr) {
    rr[0] = 1 - x[0], rr[1] = 10 * (x[1] - x[0] * x[0]);
    return rr.squaredNorm();
  };
  LevenbergMarquardt<double> lm;
  WorkerPool pool(1);
  lm.init(2, 2, 1e-3);
  Eigen::MatrixXd Jt(2, 2);
  double f = res(r);
  int it = 0;
  for (; it < 100 && f > 1e-24; ++it) {
    res(r);
    Jt << -1, -20 * x[0], 0, 10;  // Jt(i, k) = d r_k / d x_i
    if (!lm.step(x, r, Jt, f, res, pool)) break;
  }
  MESSAGE("LM Rosenbrock: " << it << " iterations");
  CHECK((x - Vec::Ones(2)).norm() < 1e-10);
  CHECK(it < 50);  // Gauss-Newton is exact after a few steps on this problem
}

namespace {

// A block-structured linear least-squares problem, r = J x - J x*: B residual blocks of
// `rows` rows; every block depends on 6 shared parameters and on 20 private ones of its
// own and of its neighbours' (as equation e of a chain depends on the hidden layers and
// on the output weights of y(e-1), y(e), y(e+1)). Jt(k, i) = d r_i / d x_k.
struct BlockProblem {
  static constexpr int B = 10, shared = 6, priv = 20;
  int rows;
  Eigen::MatrixXd Jt;
  Vec xstar;
  explicit BlockProblem(int rows_) : rows(rows_), Jt(Eigen::MatrixXd::Zero(shared + B * priv, B * rows_)) {
    const Eigen::MatrixXd R = Eigen::MatrixXd::Random(Jt.rows(), Jt.cols());
    for (int b = 0; b < B; ++b)
      for (int i = b * rows; i < (b + 1) * rows; ++i) {
        for (int k = 0; k < shared; ++k) Jt(k, i) = R(k, i);
        for (int nb = std::max(0, b - 1); nb <= std::min(B - 1, b + 1); ++nb)
          for (int k = shared + nb * priv; k < shared + (nb + 1) * priv; ++k) Jt(k, i) = R(k, i);
      }
    xstar = Vec::LinSpaced(Jt.rows(), -1, 1);
  }
  std::vector<Eigen::Index> blocks() const { return std::vector<Eigen::Index>(B, rows); }
  double residual(const Vec& x, Vec& r) const {
    r = Jt.transpose() * (x - xstar);
    return r.squaredNorm();
  }
  // Steps of LM from 0 (with the blocks named or not); the final x and the form used.
  Vec solve(bool structured, int threads, int steps, bool& sparse, bool& points) const {
    LevenbergMarquardt<double> lm;
    WorkerPool pool(threads);
    lm.init(Jt.rows(), Jt.cols(), 1e-6);
    if (structured) lm.set_blocks(blocks());
    Vec x = Vec::Zero(Jt.rows()), r(Jt.cols());
    double f = residual(x, r);
    for (int it = 0; it < steps && f > 1e-28; ++it) {
      residual(x, r);
      if (!lm.step(x, r, Jt, f, [&](Vec& rr) { return residual(x, rr); }, pool)) break;
    }
    sparse = lm.sparse(), points = lm.points_form();
    return x;
  }
};

}  // namespace

TEST_CASE("LM's sparse normal equations: the dense step, the exact minimum, the same bits on every thread count") {
  // rows 40: 400 residuals > 206 parameters, the parameter form; rows 4: 40 < 206, the
  // point form. Both structured products cost well under 2/3 of the dense ones.
  for (int rows : {40, 4}) {
    CAPTURE(rows);
    const BlockProblem pb(rows);
    bool sparse = false, points = false;
    const Vec dense1 = pb.solve(false, 1, 1, sparse, points);
    CHECK_FALSE(sparse);
    const Vec sparse1 = pb.solve(true, 1, 1, sparse, points);
    CHECK(sparse);
    CHECK(points == (rows == 4));
    // One step from the same point: the same damped Gauss-Newton step up to rounding.
    CHECK((sparse1 - dense1).norm() <= 1e-10 * dense1.norm());
    CHECK(dense1.norm() > 0.1);
    // Overdetermined: the minimum is x* itself, reached to rounding.
    if (rows == 40) CHECK((pb.solve(true, 1, 20, sparse, points) - pb.xstar).norm() < 1e-8);
    const Vec first = pb.solve(true, 1, 5, sparse, points);
    for (int threads : {2, 3}) {
      CAPTURE(threads);
      CHECK(pb.solve(true, threads, 5, sparse, points) == first);
    }
  }
}

TEST_CASE("TiledSyrk: the lower triangle of A A^T, the same bits on every thread count") {
  // Sizes that are not multiples of the tile, in both storage orders (LM's two forms).
  // 400 and 800 take the wider panels (gemm.h: 64 and 128 columns).
  for (auto [size, depth] : {std::pair<Eigen::Index, Eigen::Index>{70, 45}, {45, 70}, {32, 9}, {1, 5}, {400, 30}, {800, 20}}) {
    CAPTURE(size);
    CAPTURE(depth);
    Eigen::MatrixXd A = Eigen::MatrixXd::Random(size, depth);  // ColMajor: A itself
    Eigen::MatrixXd At = A.transpose();                        // RowMajor view of A
    const Eigen::MatrixXd want = A * A.transpose();
    Eigen::MatrixXd first;
    for (int threads : {1, 2, 3}) {
      WorkerPool pool(threads);
      Eigen::MatrixXd C1 = Eigen::MatrixXd::Zero(size, size), C2 = C1;
      TiledSyrk<double, Eigen::ColMajor>(size, depth).run(A.data(), A.rows(), C1.data(), size, pool);
      TiledSyrk<double, Eigen::RowMajor>(size, depth).run(At.data(), At.rows(), C2.data(), size, pool);
      for (Eigen::Index j = 0; j < size; ++j)
        for (Eigen::Index i = j; i < size; ++i) {
          CHECK(C1(i, j) == doctest::Approx(want(i, j)).epsilon(1e-12));
          CHECK(C2(i, j) == doctest::Approx(want(i, j)).epsilon(1e-12));
        }
      if (threads == 1) first = C1;
      else CHECK(C1.triangularView<Eigen::Lower>().toDenseMatrix() ==
                 first.triangularView<Eigen::Lower>().toDenseMatrix());
    }
  }
}
