// test_examples_kernels.cpp — for every example: the JIT's kernels agree bit for bit with
// the interpreter on random inputs, in both precisions; and the derived partials dr/du
// agree with central finite differences of the residual (interpreter), so derivatives are
// checked, not trusted.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "codegen/llvm/jit.h"
#include "frontend/compile.h"
#include "interp/interp.h"
#include "lower/lower.h"
#include "random_tape.h"
#include "train/files.h"

using namespace pinnc;

namespace {

std::vector<std::filesystem::path> examples() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PINNC_SOURCE_DIR) + "/examples"))
    if (e.path().extension() == ".ode") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

Problem compile_example(const std::filesystem::path& path) {
  std::string text, error;
  REQUIRE(train::read_file(path, &text, &error));
  SourceFile src(path.filename().string(), text);
  DiagnosticEngine diags;
  auto p = compile_source(src, diags);
  REQUIRE_MESSAGE(p, render_all(src, diags));
  return std::move(*p);
}

}  // namespace

TEST_CASE("every example: JIT kernels == interpreter, and dr/du == finite differences") {
  std::string error;
  auto jit = jit::Jit::create(&error);
  REQUIRE_MESSAGE(jit, error);
  auto files = examples();
  REQUIRE(files.size() >= 9);
  std::mt19937_64 rng(2024);
  for (const auto& path : files) {
    CAPTURE(path.filename().string());
    Problem problem = compile_example(path);
    for (auto mode : {lower::ConditionMode::Auto, lower::ConditionMode::Soft}) {
      lower::Lowered low = lower::lower(problem, mode);
      const lower::KernelModule& m = low.module;
      jit::CompiledKernels k;
      REQUIRE_MESSAGE(jit->compile(m, true, &k, &error), error);
      const int P = 19, S = m.n_unknowns * (m.order + 1), E = m.n_equations, Q = m.n_params;
      const int C = m.n_conditions;
      std::uniform_real_distribution<double> dist(0.2, 0.9);  // inside every example's domain
      std::vector<double> t(P), u(S * P), prm(Q);
      for (auto& x : t) x = problem.t0 + (problem.t1 - problem.t0) * dist(rng);
      for (auto& x : u) x = dist(rng);
      for (int q = 0; q < Q; ++q) prm[q] = problem.params[q].value;

      // Residual: JIT vs interpreter, all three outputs.
      std::vector<double> r1(E * P), dr1(E * S * P), dp1(E * Q * P), r2(E * P), dr2(E * S * P), dp2(E * Q * P);
      k.residual_f64(P, t.data(), u.data(), prm.data(), r1.data(), dr1.data(), dp1.data());
      double* outs[3] = {r2.data(), dr2.data(), dp2.data()};
      interp::run<double>(m.residual, P, t.data(), u.data(), prm.data(), outs);
      CHECK(r1 == r2);
      CHECK(dr1 == dr2);
      CHECK(dp1 == dp2);

      // float32 residual too.
      std::vector<float> tf(t.begin(), t.end()), uf(u.begin(), u.end()), pf(prm.begin(), prm.end());
      std::vector<float> rf1(E * P), drf1(E * S * P), rf2(E * P), drf2(E * S * P);
      k.residual_f32(P, tf.data(), uf.data(), pf.data(), rf1.data(), drf1.data(), nullptr);
      float* outs_f[3] = {rf2.data(), drf2.data(), nullptr};
      interp::run<float>(m.residual, P, tf.data(), uf.data(), pf.data(), outs_f);
      CHECK(rf1 == rf2);
      CHECK(drf1 == drf2);

      // Partials against central differences of the interpreted residual.
      const double h = 1e-6;
      for (int s = 0; s < S; ++s) {
        std::vector<double> up = u, um = u;
        for (int p = 0; p < P; ++p) up[s * P + p] += h, um[s * P + p] -= h;
        std::vector<double> rp(E * P), rm(E * P);
        double* op[3] = {rp.data(), nullptr, nullptr};
        double* om[3] = {rm.data(), nullptr, nullptr};
        interp::run<double>(m.residual, P, t.data(), up.data(), prm.data(), op);
        interp::run<double>(m.residual, P, t.data(), um.data(), prm.data(), om);
        for (int e = 0; e < E; ++e)
          for (int p = 0; p < P; ++p) {
            double fd = (rp[e * P + p] - rm[e * P + p]) / (2 * h);
            double sym = dr2[(e * S + s) * P + p];
            CHECK_MESSAGE(std::fabs(fd - sym) <= 1e-6 * (1 + std::fabs(sym)), "slot " << s << " eq " << e);
          }
      }
      // Conditions (point c only), trial and exact: JIT vs interpreter.
      if (C > 0) {
        std::vector<double> tc(low.soft_points), uc(S * C);
        for (auto& x : uc) x = dist(rng);
        std::vector<double> g1(C * C, 0), dg1(C * S * C, 0), g2(C * C, 0), dg2(C * S * C, 0);
        k.conditions_f64(C, tc.data(), uc.data(), prm.data(), g1.data(), dg1.data(), nullptr);
        double* co[3] = {g2.data(), dg2.data(), nullptr};
        interp::run<double>(m.conditions, C, tc.data(), uc.data(), prm.data(), co);
        CHECK(g1 == g2);
        CHECK(dg1 == dg2);
      }
      if (m.has_trial) {
        std::vector<double> a1(S * P), b1(S * P), a2(S * P), b2(S * P);
        k.trial_f64(P, t.data(), prm.data(), a1.data(), b1.data());
        double* to[2] = {a2.data(), b2.data()};
        interp::run<double>(m.trial, P, t.data(), nullptr, prm.data(), to);
        CHECK(a1 == a2);
        CHECK(b1 == b2);
        // Hard conditions hold exactly: u = A + B N has u^(k)(a) = c_k whatever N is,
        // so B^(k)(a) = 0 and A^(k)(a) = c_k at every condition made hard.
        for (std::size_t c = 0; c < problem.conditions.size(); ++c) {
          bool soft = std::find(low.soft_conditions.begin(), low.soft_conditions.end(), int(c)) !=
                      low.soft_conditions.end();
          if (soft) continue;
          const Condition& cond = problem.conditions[c];
          double tp = cond.point, a[8 * 5], b[8 * 5];
          REQUIRE(S <= 40);
          k.trial_f64(1, &tp, prm.data(), a, b);
          int slot = *cond.unknown * (m.order + 1) + *cond.order;
          CHECK(a[slot] == doctest::Approx(cond.value).epsilon(1e-12));
          CHECK(std::fabs(b[slot]) <= 1e-12);
        }
      }
      if (m.has_exact) {
        std::vector<double> e1(S * P), e2(S * P);
        k.exact_f64(P, t.data(), prm.data(), e1.data());
        double* eo[1] = {e2.data()};
        interp::run<double>(m.exact, P, t.data(), nullptr, prm.data(), eo);
        for (int i = 0; i < S * P; ++i) CHECK(testing::same(e1[i], e2[i]));
      }
    }
  }
}
