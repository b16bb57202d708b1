// test_jit_ops.cpp — the LLVM backend against the interpreter on random tapes covering
// every op, in both precisions, for every kernel kind's calling convention.
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "codegen/llvm/jit.h"
#include "interp/interp.h"
#include "random_tape.h"

using namespace pinnc;
using lower::Input;
using lower::Instr;
using sym::Op;

using testing::random_block;
using testing::same;

TEST_CASE("JIT kernels agree bit for bit with the interpreter on random tapes") {
  std::string error;
  auto jit = jit::Jit::create(&error);
  REQUIRE_MESSAGE(jit, error);
  std::mt19937_64 rng(42);
  const int slots = 4, params = 2, P = 37;  // P not a multiple of any vector width
  for (int trial = 0; trial < 20; ++trial) {
    lower::KernelModule m;
    m.n_unknowns = 2, m.order = 1, m.n_equations = 3, m.n_params = params;
    m.residual.kind = lower::KernelKind::residual;
    m.residual.name = "res";
    m.residual.blocks.push_back(random_block(rng, slots, params, 60, 3));
    m.conditions.kind = lower::KernelKind::conditions;
    m.conditions.name = "cond";
    jit::CompiledKernels k;
    REQUIRE_MESSAGE(jit->compile(m, true, &k, &error), error);

    std::uniform_real_distribution<double> dist(-2.0, 2.0);
    std::vector<double> t(P), u(slots * P), prm(params);
    for (auto& x : t) x = dist(rng);
    for (auto& x : u) x = dist(rng);
    for (auto& x : prm) x = dist(rng);
    std::vector<double> r_jit(3 * P, -1), r_int(3 * P, -2);
    k.kernels.residual_f64(nullptr, P, t.data(), u.data(), prm.data(), r_jit.data(), nullptr, nullptr);
    double* outs[3] = {r_int.data(), nullptr, nullptr};
    interp::run<double>(m.residual, P, t.data(), u.data(), prm.data(), outs);
    for (int i = 0; i < 3 * P; ++i) REQUIRE_MESSAGE(same(r_jit[i], r_int[i]), "f64 trial " << trial << " index " << i);

    std::vector<float> tf(t.begin(), t.end()), uf(u.begin(), u.end()), pf(prm.begin(), prm.end());
    std::vector<float> rf_jit(3 * P, -1), rf_int(3 * P, -2);
    k.kernels.residual_f32(nullptr, P, tf.data(), uf.data(), pf.data(), rf_jit.data(), nullptr, nullptr);
    float* outs_f[3] = {rf_int.data(), nullptr, nullptr};
    interp::run<float>(m.residual, P, tf.data(), uf.data(), pf.data(), outs_f);
    for (int i = 0; i < 3 * P; ++i) REQUIRE_MESSAGE(same(rf_jit[i], rf_int[i]), "f32 trial " << trial << " index " << i);
  }
}

TEST_CASE("optional d/dparams stores are skipped when the pointer is NULL, written otherwise") {
  std::string error;
  auto jit = jit::Jit::create(&error);
  REQUIRE(jit);
  lower::KernelModule m;
  m.n_unknowns = 1, m.order = 1, m.n_equations = 1, m.n_params = 1;
  m.residual.kind = lower::KernelKind::residual;
  m.residual.name = "res";
  lower::Block b;
  b.code.push_back(Instr{Op::Symbol, 0, Input::U, 1, 0, {}});      // y'
  b.code.push_back(Instr{Op::Symbol, 0, Input::U, 0, 0, {}});      // y
  b.code.push_back(Instr{Op::Symbol, 0, Input::Param, 0, 0, {}});  // k
  b.code.push_back(Instr{Op::Mul, 0, Input::T, 0, 0, {2, 1}});     // k*y
  b.code.push_back(Instr{Op::Add, 0, Input::T, 0, 0, {0, 3}});     // y' + k*y
  b.code.push_back(Instr{Op::Const, 1, Input::T, 0, 0, {}});       // 1
  b.stores = {{0, 0, 4, "r"}, {1, 0, 2, "dr/dy"}, {1, 1, 5, "dr/dy'"}, {2, 0, 1, "dr/dk"}};
  m.residual.blocks.push_back(b);
  m.conditions.kind = lower::KernelKind::conditions;
  m.conditions.name = "cond";
  jit::CompiledKernels k;
  REQUIRE_MESSAGE(jit->compile(m, true, &k, &error), error);
  const int P = 5;
  std::vector<double> t(P, 0), u = {1, 2, 3, 4, 5, 10, 20, 30, 40, 50}, prm = {0.5};
  std::vector<double> r(P), dr(2 * P), drp(P, -7);
  k.kernels.residual_f64(nullptr, P, t.data(), u.data(), prm.data(), r.data(), dr.data(), nullptr);
  for (int p = 0; p < P; ++p) {
    CHECK(r[p] == u[P + p] + 0.5 * u[p]);
    CHECK(dr[p] == 0.5);       // d/dy = k
    CHECK(dr[P + p] == 1.0);   // d/dy' = 1
    CHECK(drp[p] == -7);       // untouched
  }
  k.kernels.residual_f64(nullptr, P, t.data(), u.data(), prm.data(), r.data(), dr.data(), drp.data());
  for (int p = 0; p < P; ++p) CHECK(drp[p] == u[p]);  // d/dk = y
}
