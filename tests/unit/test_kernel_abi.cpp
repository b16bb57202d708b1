// test_kernel_abi.cpp — kernel ABI v2 without LLVM: the signatures declared once in
// kernel_abi.h, the sparse partial-derivative patterns lowering derives, the conditions
// kernel's one-value-per-entry layout, and interpreter kernels that carry their module as
// ctx (several bound at once).
#include <doctest/doctest.h>

#include <cmath>
#include <type_traits>
#include <vector>

#include "frontend_test_util.h"
#include "interp/interp.h"
#include "lower/lower.h"

using namespace pinnc;
using lower::ArgRole;
using lower::KernelKind;

namespace {

/// y1' = -2 y1 + y2, yi' = y(i-1) - 2 yi + y(i+1), yn' = y(n-1) - 2 yn (bench/chain.py).
std::string chain(int n) {
  std::string s = "t in [0, 1]\n";
  for (int i = 1; i <= n; ++i) {
    s += "y" + std::to_string(i) + "' = ";
    if (i > 1) s += "y" + std::to_string(i - 1) + " ";
    s += "- 2*y" + std::to_string(i);
    if (i < n) s += " + y" + std::to_string(i + 1);
    s += "\n";
  }
  for (int i = 1; i <= n; ++i) s += "y" + std::to_string(i) + "(0) = 1\n";
  return s;
}

}  // namespace

TEST_CASE("kernel_abi.h: the signature lists give the C types and the compiler's table") {
  static_assert(PINNC_KERNEL_ABI_VERSION == 3);
  static_assert(std::is_same_v<pinnc_residual_f64, void (*)(void*, int64_t, const double*, const double*,
                                                              const double*, double*, double*, double*)>);
  static_assert(std::is_same_v<pinnc_conditions_f32, void (*)(void*, int64_t, const float*, const float*,
                                                                const float*, float*, float*, float*)>);
  static_assert(std::is_same_v<pinnc_trial_f32, void (*)(void*, int64_t, const float*, const float*, float*, float*)>);
  static_assert(std::is_same_v<pinnc_exact_f64, void (*)(void*, int64_t, const double*, const double*, double*)>);
  static_assert(std::is_same_v<pinnc_aux_f64, void (*)(void*, int64_t, const double*, const double*, const double*, double*)>);
  static_assert(lower::kKernelKindCount == 5);

  const lower::KernelSignature& r = lower::signature(KernelKind::residual);
  CHECK(r.name == "residual");
  CHECK(r.has_f32);
  REQUIRE(r.args.size() == 7);
  CHECK(r.args[0].role == ArgRole::COUNT);
  CHECK(r.args[2].name == "u");
  CHECK(r.args[6].role == ArgRole::OPTIONAL_OUT);
  const auto outs = r.outputs();
  REQUIRE(outs.size() == 3);
  CHECK(outs[1].name == "dr");
  CHECK(!lower::signature(KernelKind::exact).has_f32);
  CHECK(lower::signature(KernelKind::trial).outputs().size() == 2);

  // for_each_kernel visits every pointer field of pinnc_kernels exactly once.
  pinnc_kernels k{};
  int fields = 0, f32 = 0;
  lower::for_each_kernel(k, [&](auto, auto is_f32, auto& field) {
    ++fields;
    f32 += decltype(is_f32)::value;
    CHECK(!field);
  });
  CHECK(fields == 8);
  CHECK(f32 == 3);
  CHECK(!lower::signature(KernelKind::aux).has_f32);
}

TEST_CASE("lowering lists only the structurally non-zero partials, sorted") {
  testing::Compiled c(chain(6));
  REQUIRE_MESSAGE(c.problem, c.rendered());
  lower::Lowered low = lower::lower(*c.problem, lower::ConditionMode::Soft);
  const lower::KernelModule& m = low.module;
  // Each equation: its own y and y', and its one or two neighbours: 4n - 2 entries, not
  // the dense E * U * (K+1) = 72.
  CHECK(m.residual_partials.size() == 4 * 6 - 2);
  CHECK(m.residual_param_partials.size() == 0);
  CHECK(m.condition_partials.size() == 6);  // dG_c / dy_c only
  for (std::size_t n = 1; n < m.residual_partials.size(); ++n)
    CHECK(std::pair(m.residual_partials.row[n - 1], m.residual_partials.col[n - 1]) <
          std::pair(m.residual_partials.row[n], m.residual_partials.col[n]));
  CHECK(m.residual_partials.row[0] == 0);
  CHECK(m.residual_partials.col[0] == 0);  // d r0 / d y1
  CHECK(m.residual_partials.col[1] == 1);  // d r0 / d y1'
  CHECK(m.residual_partials.col[2] == 2);  // d r0 / d y2

  pinnc_problem abi{};
  m.describe(&abi);
  CHECK(abi.n_equations == 6);
  CHECK(abi.residual_partials.n == 4 * 6 - 2);
  CHECK(abi.residual_partials.row == m.residual_partials.row.data());
  CHECK(abi.condition_param_partials.n == 0);
  CHECK(abi.condition_param_partials.row == nullptr);
}

TEST_CASE("interpreter kernels through the ABI: ctx is the module, conditions one value per entry") {
  // Two problems bound at the same time, called alternately: each runs its own module.
  testing::Compiled a("param k = 3\nt in [0, 1]\ny'' + k*y = 0\ny(0) = 1\ny(1) + k*y'(1) = 2\n");
  testing::Compiled b("t in [0, 1]\nx'' = -x\nx(0) = 0\nx'(1) = 1\n");
  REQUIRE_MESSAGE(a.problem, a.rendered());
  REQUIRE_MESSAGE(b.problem, b.rendered());
  lower::Lowered la = lower::lower(*a.problem, lower::ConditionMode::Soft);
  lower::Lowered lb = lower::lower(*b.problem, lower::ConditionMode::Soft);
  const pinnc_kernels ka = interp::kernels(la.module), kb = interp::kernels(lb.module);
  CHECK(ka.ctx != kb.ctx);
  CHECK(!ka.trial_f64);  // soft conditions: no trial kernel
  CHECK(!ka.exact_f64);

  // Problem a: r = y'' + k y; dr/dy = k, dr/dy'' = 1; dr/dk = y (slots y, y', y'').
  const double t[2] = {0.25, 0.5}, u[6] = {1, 2, -7, -7, 10, 20}, k = 3;
  double r[2], dr[4], dq[2];
  REQUIRE(la.module.residual_partials.size() == 2);
  ka.residual_f64(ka.ctx, 2, t, u, &k, r, dr, dq);
  CHECK(r[0] == 10 + 3 * 1);
  CHECK(r[1] == 20 + 3 * 2);
  CHECK(dr[0] == 3);  // entry 0 = (r0, y), point 0
  CHECK(dr[1] == 3);
  CHECK(dr[2] == 1);  // entry 1 = (r0, y''), point 0
  CHECK(dq[1] == 2);

  // Its conditions at their own points (c = 0 at t = 0, c = 1 at t = 1):
  //   G0 = y - 1, G1 = y + k y' - 2; entries (0, y), (1, y), (1, y'); d/dk: (1, k) = y'.
  const double tc[2] = {0, 1}, uc[6] = {1.5, 0.5, 7, 0.25, -7, -7};  // y(c), y'(c), y''(c)
  double g[3] = {-9, -9, -9}, dg[4] = {-9, -9, -9, -9}, dgq[2] = {-9, -9};
  REQUIRE(la.module.condition_partials.size() == 3);
  REQUIRE(la.module.condition_param_partials.size() == 1);
  ka.conditions_f64(ka.ctx, 2, tc, uc, &k, g, dg, dgq);
  CHECK(g[0] == 0.5);
  CHECK(g[1] == 0.5 + 3 * 0.25 - 2);
  CHECK(g[2] == -9);  // nothing beyond C values
  CHECK(dg[0] == 1);  // (0, y)
  CHECK(dg[1] == 1);  // (1, y)
  CHECK(dg[2] == 3);  // (1, y') = k
  CHECK(dg[3] == -9);
  CHECK(dgq[0] == 0.25);
  CHECK(dgq[1] == -9);

  // Problem b, in between and afterwards: r = x'' + x, one entry per slot it uses.
  const double ub[6] = {1, 2, 0, 0, 5, 6};  // x, x', x'' at two points
  double rb[2], drb[4];
  REQUIRE(lb.module.residual_partials.size() == 2);
  kb.residual_f64(kb.ctx, 2, t, ub, nullptr, rb, drb, nullptr);
  CHECK(rb[0] == 6);
  CHECK(rb[1] == 8);
  ka.residual_f64(ka.ctx, 2, t, u, &k, r, dr, nullptr);
  CHECK(r[0] == 13);
  float tf[2] = {0.25f, 0.5f}, uf[6] = {1, 2, 0, 0, 5, 6}, rf[2], drf[4];
  kb.residual_f32(kb.ctx, 2, tf, uf, nullptr, rf, drf, nullptr);
  CHECK(rf[1] == 8.0f);
}
