// test_cpp_kernels.cpp — the C++ backend: emitted kernels are compiled with g++
// (-Wall -Wextra -Werror -ffp-contract=off), loaded, and must agree bit for bit with the
// interpreter on random tapes covering every op.
#include <random>

#include <doctest/doctest.h>

#include "codegen/cpp/cpp_kernels.h"
#include "cpp_library.h"
#include "interp/interp.h"
#include "random_tape.h"

using namespace pinnc;

TEST_CASE("emitted C++ kernels compile warning-free and agree bit for bit with the interpreter") {
  std::mt19937_64 rng(7);
  lower::KernelModule m;
  const int slots = 4, params = 2, P = 23;
  m.n_unknowns = 2, m.order = 1, m.n_equations = 3, m.n_params = params;
  m.residual.kind = lower::KernelKind::residual;
  m.residual.name = "pinnc_residual";
  for (int b = 0; b < 3; ++b) m.residual.blocks.push_back(testing::random_block(rng, slots, params, 80, 3));
  m.conditions.kind = lower::KernelKind::conditions;
  m.conditions.name = "pinnc_conditions";
  auto cb = testing::random_block(rng, slots, params, 30, 1);
  cb.point = 2;
  cb.comment = "line 4: y(0) = 1 \\ tricky\ncomment";
  m.conditions.blocks.push_back(cb);
  cppgen::KernelNames names{"t", {"y", "class"}, {"k", "new"}};  // keywords must be safe
  std::string src = "#include <cmath>\n#include <cstdint>\n#include <limits>\n" + cppgen::emit_kernels(m, names);

  testing::CppLibrary lib("cpp_kernels", src);
  REQUIRE_MESSAGE(lib.handle, "emitted C++ did not compile: " << lib.error);
  auto res = lib.get<pinnc_residual_f64>("pinnc_residual_f64");
  auto res32 = lib.get<pinnc_residual_f32>("pinnc_residual_f32");
  auto cond = lib.get<pinnc_conditions_f64>("pinnc_conditions_f64");
  REQUIRE((res && res32 && cond));

  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  std::vector<double> t(P), u(slots * P), prm(params);
  for (auto& x : t) x = dist(rng);
  for (auto& x : u) x = dist(rng);
  for (auto& x : prm) x = dist(rng);
  std::vector<double> a(3 * P, -1), b(3 * P, -2);
  res(nullptr, P, t.data(), u.data(), prm.data(), a.data(), nullptr, nullptr);
  double* outs[3] = {b.data(), nullptr, nullptr};
  interp::run<double>(m.residual, P, t.data(), u.data(), prm.data(), outs);
  for (int i = 0; i < 3 * P; ++i) REQUIRE_MESSAGE(testing::same(a[i], b[i]), "f64 index " << i);

  std::vector<float> tf(t.begin(), t.end()), uf(u.begin(), u.end()), pf(prm.begin(), prm.end());
  std::vector<float> af(3 * P, -1), bf(3 * P, -2);
  res32(nullptr, P, tf.data(), uf.data(), pf.data(), af.data(), nullptr, nullptr);
  float* outs_f[3] = {bf.data(), nullptr, nullptr};
  interp::run<float>(m.residual, P, tf.data(), uf.data(), pf.data(), outs_f);
  for (int i = 0; i < 3 * P; ++i) REQUIRE_MESSAGE(testing::same(af[i], bf[i]), "f32 index " << i);

  std::vector<double> ca(P, -1), cbv(P, -1);
  cond(nullptr, P, t.data(), u.data(), prm.data(), ca.data(), nullptr, nullptr);
  double* couts[3] = {cbv.data(), nullptr, nullptr};
  interp::run<double>(m.conditions, P, t.data(), u.data(), prm.data(), couts);
  for (int i = 0; i < P; ++i) REQUIRE(testing::same(ca[i], cbv[i]));
  CHECK(ca[0] != -1);  // the block at point 2 stores one value per slot: r[0] only
  CHECK(ca[1] == -1);
  CHECK(ca[2] == -1);
}

TEST_CASE("identifiers from user names are prefixed and escaped, never colliding") {
  CHECK(cppgen::identifier("u_", "y") == "u_y");
  CHECK(cppgen::identifier("p_", "class") == "p_class");
  CHECK(cppgen::identifier("u_", "a__b") != cppgen::identifier("u_", "a_b"));
  CHECK(cppgen::identifier("u_", "_x") != cppgen::identifier("u_", "x"));
  CHECK(cppgen::string_literal("a\"b\\c\n?") == "\"a\\\"b\\\\c\\n\\?\"");
}
