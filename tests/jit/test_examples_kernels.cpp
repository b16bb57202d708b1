// test_examples_kernels.cpp — for every example: the JIT's kernels agree bit for bit with
// the interpreter on random inputs, in both precisions (the interpreter called through the
// ABI, with its module as ctx); and the derived partials dr/du agree with central finite
// differences of the residual (interpreter), the listed ones and the unlisted (zero) ones
// alike, so derivatives and their sparsity pattern are checked, not trusted.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "codegen/llvm/jit.h"
#include "pipeline/compile.h"
#include "interp/interp.h"
#include "lower/lower.h"
#include "random_tape.h"
#include "symbolic/symbolic.h"
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
  SourceFile src(path.string(), text);  // the full path: data files are relative to it
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
      const int P = 19, S = m.n_unknowns * (m.order + 1), E = m.n_equations;
      const int C = m.n_conditions;
      const int NR = int(m.residual_partials.size()), NRQ = int(m.residual_param_partials.size());
      const int NC = int(m.condition_partials.size()), NCQ = int(m.condition_param_partials.size());
      const int Q = m.n_params;
      const pinnc_kernels ik = interp::kernels(m);
      std::uniform_real_distribution<double> dist(0.2, 0.9);  // inside every example's domain
      std::vector<double> t(P), u(S * P), prm(Q);
      for (auto& x : t) x = problem.t0 + (problem.t1 - problem.t0) * dist(rng);
      for (auto& x : u) x = dist(rng);
      for (int q = 0; q < Q; ++q) prm[q] = problem.params[q].value;

      // Residual: JIT vs interpreter, all three outputs.
      std::vector<double> r1(E * P), dr1(NR * P), dp1(NRQ * P), r2(E * P), dr2(NR * P), dp2(NRQ * P);
      k.kernels.residual_f64(nullptr, P, t.data(), u.data(), prm.data(), r1.data(), dr1.data(), dp1.data());
      ik.residual_f64(ik.ctx, P, t.data(), u.data(), prm.data(), r2.data(), dr2.data(), dp2.data());
      CHECK(r1 == r2);
      CHECK(dr1 == dr2);
      CHECK(dp1 == dp2);

      // float32 residual too.
      std::vector<float> tf(t.begin(), t.end()), uf(u.begin(), u.end()), pf(prm.begin(), prm.end());
      std::vector<float> rf1(E * P), drf1(NR * P), rf2(E * P), drf2(NR * P);
      k.kernels.residual_f32(nullptr, P, tf.data(), uf.data(), pf.data(), rf1.data(), drf1.data(), nullptr);
      ik.residual_f32(ik.ctx, P, tf.data(), uf.data(), pf.data(), rf2.data(), drf2.data(), nullptr);
      CHECK(rf1 == rf2);
      CHECK(drf1 == drf2);

      // Partials against central differences of the interpreted residual; a slot the
      // pattern does not list for an equation must have a zero difference quotient.
      auto partial = [&](int e, int s, int p) {
        for (int n = 0; n < NR; ++n)
          if (m.residual_partials.row[n] == e && m.residual_partials.col[n] == s) return dr2[n * P + p];
        return 0.0;
      };
      for (int n = 1; n < NR; ++n)
        CHECK(std::pair(m.residual_partials.row[n - 1], m.residual_partials.col[n - 1]) <
              std::pair(m.residual_partials.row[n], m.residual_partials.col[n]));
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
            double sym = partial(e, s, p);
            CHECK_MESSAGE(std::fabs(fd - sym) <= 1e-6 * (1 + std::fabs(sym)), "slot " << s << " eq " << e);
          }
      }
      // Conditions (point c only), trial and exact: JIT vs interpreter.
      if (C > 0) {
        std::vector<double> tc(low.soft_points), uc(S * C);
        for (auto& x : uc) x = dist(rng);
        // Every output element is written (NaN-filled beforehand), none beyond.
        const double nan = std::nan("");
        std::vector<double> g1(C + 1, nan), dg1(NC + 1, nan), dq1(NCQ + 1, nan), g2(C + 1, nan), dg2(NC + 1, nan),
            dq2(NCQ + 1, nan);
        k.kernels.conditions_f64(nullptr, C, tc.data(), uc.data(), prm.data(), g1.data(), dg1.data(), dq1.data());
        ik.conditions_f64(ik.ctx, C, tc.data(), uc.data(), prm.data(), g2.data(), dg2.data(), dq2.data());
        for (int c = 0; c < C; ++c) CHECK((!std::isnan(g1[c]) && g1[c] == g2[c]));
        for (int n = 0; n < NC; ++n) CHECK((!std::isnan(dg1[n]) && dg1[n] == dg2[n]));
        for (int n = 0; n < NCQ; ++n) CHECK((!std::isnan(dq1[n]) && dq1[n] == dq2[n]));
        CHECK((std::isnan(g1[C]) && std::isnan(dg1[NC]) && std::isnan(dq1[NCQ])));
        // dG_c/du against central differences at condition c's own point.
        for (int n = 0; n < NC; ++n) {
          const int c = m.condition_partials.row[n], s = m.condition_partials.col[n];
          std::vector<double> up = uc, um = uc, gp(C), gm(C), scratch(NC);
          up[s * C + c] += h, um[s * C + c] -= h;
          ik.conditions_f64(ik.ctx, C, tc.data(), up.data(), prm.data(), gp.data(), scratch.data(), nullptr);
          ik.conditions_f64(ik.ctx, C, tc.data(), um.data(), prm.data(), gm.data(), scratch.data(), nullptr);
          const double fd = (gp[c] - gm[c]) / (2 * h);
          CHECK_MESSAGE(std::fabs(fd - dg2[n]) <= 1e-6 * (1 + std::fabs(dg2[n])), "condition " << c << " slot " << s);
        }
      }
      if (m.has_trial) {
        std::vector<double> a1(S * P), b1(S * P), a2(S * P), b2(S * P);
        k.kernels.trial_f64(nullptr, P, t.data(), prm.data(), a1.data(), b1.data());
        ik.trial_f64(ik.ctx, P, t.data(), prm.data(), a2.data(), b2.data());
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
          k.kernels.trial_f64(nullptr, 1, &tp, prm.data(), a, b);
          int slot = *cond.unknown * (m.order + 1) + *cond.order;
          CHECK(a[slot] == doctest::Approx(cond.value).epsilon(1e-12));
          CHECK(std::fabs(b[slot]) <= 1e-12);
        }
      }
      if (m.has_exact) {
        std::vector<double> e1(S * P), e2(S * P);
        k.kernels.exact_f64(nullptr, P, t.data(), prm.data(), e1.data());
        ik.exact_f64(ik.ctx, P, t.data(), prm.data(), e2.data());
        for (int i = 0; i < S * P; ++i) CHECK(testing::same(e1[i], e2[i]));
      }
      if (m.has_aux) {  // aux quantities: JIT vs interpreter vs sym::eval of the checked expression
        const int A = m.n_aux;
        std::vector<double> a1(A * P), a2(A * P);
        k.kernels.aux_f64(nullptr, P, t.data(), u.data(), prm.data(), a1.data());
        ik.aux_f64(ik.ctx, P, t.data(), u.data(), prm.data(), a2.data());
        for (int i = 0; i < A * P; ++i) CHECK(testing::same(a1[i], a2[i]));
        std::vector<double> values(problem.ctx->symbol_count(), 0.0);
        for (int p = 0; p < P; ++p) {
          values[problem.indep] = t[p];
          for (int q = 0; q < Q; ++q) values[problem.params[q].symbol] = prm[q];
          for (int j = 0; j < m.n_unknowns; ++j)
            for (int kk = 0; kk <= m.order; ++kk)
              values[problem.unknowns[j].derivs[kk]] = u[(j * (m.order + 1) + kk) * P + p];
          for (int a = 0; a < A; ++a)
            CHECK(a2[a * P + p] == doctest::Approx(sym::eval(*problem.ctx, problem.aux[a].expr, values)).epsilon(1e-13));
        }
      }
    }
  }
}
