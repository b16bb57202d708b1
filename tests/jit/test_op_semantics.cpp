// test_op_semantics.cpp — the op table defines every op's value: for every op (read from
// the table, so a new op is covered without a new line here), on NaN, +-inf, +-0,
// subnormal, huge and ordinary arguments, sym::eval, the interpreter, the JIT and the
// emitted C++ give the same bits, in float64 and (without sym::eval) float32; and the
// documented NaN semantics hold (ops.h).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "codegen/cpp/cpp_kernels.h"
#include "codegen/llvm/jit.h"
#include "cpp_library.h"
#include "interp/interp.h"
#include "lower/lower.h"
#include "random_tape.h"
#include "symbolic/symbolic.h"

using namespace pinnc;
using sym::Op;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The argument values; every op sees every value (pairs and triples of them too).
const std::vector<double> kValues = {kNaN, kInf, -kInf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-310, 1e300};

/// Equal bits, or both NaN (payloads may differ).
template <class T>
bool identical(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

/// One test expression: an op applied to the unknowns y0, y1, y2 (as many as its arity
/// needs), or y0 to a constant power.
struct Case {
  std::string what;
  sym::Expr expr;
};

/// Problem with three unknowns of order 0 (u slot j = y_j) and one equation per case.
struct Fixture {
  Problem problem;
  std::vector<Case> cases;
  lower::KernelModule module;

  Fixture() {
    problem.ctx = std::make_unique<sym::Context>();
    sym::Context& c = *problem.ctx;
    std::vector<sym::Expr> y;
    for (int j = 0; j < 3; ++j) {
      problem.unknowns.push_back({"y" + std::to_string(j), 0, {}, {}});
      y.push_back(c.sym(c.unknown_symbol(j, 0, "y" + std::to_string(j))));
    }
    for (sym::Op op : testing::evaluated_ops()) {
      const sym::OpInfo& info = sym::op_info(op);
      const int n = info.arity < 0 ? 3 : info.arity;
      // Built raw, so the node is op(y0, y1, ...) whatever the simplifier would make of it.
      cases.push_back({std::string(info.name), c.intern(op, std::span(y.data(), std::size_t(n)))});
      if (info.integer_power)
        for (double e : {-16.0, -3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 16.0, 17.0, 0.5, -0.5}) {
          sym::Expr args[] = {y[0], c.num(e)};
          cases.push_back({std::string(info.name) + " " + sym::format_number(e), c.intern(op, args)});
        }
    }
    std::vector<lower::Output> outs;
    for (std::size_t i = 0; i < cases.size(); ++i) outs.push_back({0, uint32_t(i), cases[i].expr, cases[i].what});
    module.n_unknowns = 3, module.order = 0, module.n_equations = int(cases.size());
    module.residual.kind = lower::KernelKind::residual;
    module.residual.name = "pinnc_residual";
    module.residual.blocks.push_back(lower::build_block(problem, outs));
    module.conditions.kind = lower::KernelKind::conditions;
    module.conditions.name = "pinnc_conditions";
  }
};

}  // namespace

TEST_CASE("every op gives the same bits in sym::eval, the interpreter, the JIT and emitted C++") {
  Fixture f;
  const lower::KernelModule& m = f.module;
  // Points: every triple of values, as u columns y0, y1, y2.
  const int V = int(kValues.size()), P = V * V * V, E = m.n_equations;
  std::vector<double> u(3 * std::size_t(P)), t(std::size_t(P), 0.0);
  for (int p = 0; p < P; ++p) {
    u[std::size_t(p)] = kValues[std::size_t(p % V)];
    u[std::size_t(P + p)] = kValues[std::size_t(p / V % V)];
    u[std::size_t(2 * P + p)] = kValues[std::size_t(p / (V * V))];
  }
  std::vector<float> uf(u.begin(), u.end()), tf(t.begin(), t.end());

  // The three backends, through the ABI.
  std::string error;
  auto jit = jit::Jit::create(&error);
  REQUIRE_MESSAGE(jit, error);
  jit::CompiledKernels jk;
  REQUIRE_MESSAGE(jit->compile(m, true, &jk, &error), error);
  const pinnc_kernels ik = interp::kernels(m);
  cppgen::KernelNames names{"t", {"y0", "y1", "y2"}, {}};
  testing::CppLibrary lib("op_semantics", "#include <cmath>\n#include <cstdint>\n#include <limits>\n" +
                                              cppgen::emit_kernels(m, names));
  REQUIRE_MESSAGE(lib.handle, "emitted C++ did not compile: " << lib.error);
  pinnc_kernels ck{};
  ck.residual_f64 = lib.get<pinnc_residual_f64>("pinnc_residual_f64");
  ck.residual_f32 = lib.get<pinnc_residual_f32>("pinnc_residual_f32");
  REQUIRE((ck.residual_f64 && ck.residual_f32));

  std::vector<double> r_int(std::size_t(E * P)), r_jit(r_int.size()), r_cpp(r_int.size());
  ik.residual_f64(ik.ctx, P, t.data(), u.data(), nullptr, r_int.data(), nullptr, nullptr);
  jk.kernels.residual_f64(nullptr, P, t.data(), u.data(), nullptr, r_jit.data(), nullptr, nullptr);
  ck.residual_f64(nullptr, P, t.data(), u.data(), nullptr, r_cpp.data(), nullptr, nullptr);
  std::vector<float> f_int(r_int.size()), f_jit(r_int.size()), f_cpp(r_int.size());
  ik.residual_f32(ik.ctx, P, tf.data(), uf.data(), nullptr, f_int.data(), nullptr, nullptr);
  jk.kernels.residual_f32(nullptr, P, tf.data(), uf.data(), nullptr, f_jit.data(), nullptr, nullptr);
  ck.residual_f32(nullptr, P, tf.data(), uf.data(), nullptr, f_cpp.data(), nullptr, nullptr);

  std::vector<double> values(f.problem.ctx->symbol_count(), 0.0);
  int mismatches = 0;
  for (int e = 0; e < E; ++e) {
    const Case& cs = f.cases[std::size_t(e)];
    for (int p = 0; p < P; ++p) {
      for (int j = 0; j < 3; ++j) values[std::size_t(j)] = u[std::size_t(j * P + p)];
      const double want = sym::eval(*f.problem.ctx, cs.expr, values);
      const std::size_t i = std::size_t(e * P + p);
      const bool ok64 = identical(want, r_int[i]) && identical(want, r_jit[i]) && identical(want, r_cpp[i]);
      const bool ok32 = identical(f_int[i], f_jit[i]) && identical(f_int[i], f_cpp[i]);
      if ((!ok64 || !ok32) && ++mismatches <= 10)
        FAIL_CHECK(cs.what << "(" << u[std::size_t(p)] << ", " << u[std::size_t(P + p)] << ", "
                           << u[std::size_t(2 * P + p)] << "): eval " << want << ", interp " << r_int[i] << ", jit "
                           << r_jit[i] << ", c++ " << r_cpp[i] << "; f32 interp " << f_int[i] << ", jit "
                           << f_jit[i] << ", c++ " << f_cpp[i]);
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("NaN semantics: select ops propagate NaN; sums, products and libm follow IEEE and libm") {
  auto v = [](Op op, std::vector<double> a) { return sym::op_value<double>(op, a.data(), int(a.size())); };
  for (Op op : testing::evaluated_ops()) {
    const sym::OpInfo& info = sym::op_info(op);
    CAPTURE(info.name);
    const int n = info.arity < 0 ? 3 : info.arity;
    for (int i = 0; i < n; ++i) {
      if (op == Op::If && i == 2) continue;  // the branch not taken (checked below)
      std::vector<double> a(std::size_t(n), 0.5);
      a[std::size_t(i)] = kNaN;
      if (info.cls == sym::OpClass::Select || info.cls == sym::OpClass::Sum || info.cls == sym::OpClass::Product)
        CHECK(std::isnan(v(op, a)));
    }
  }
  CHECK(std::isnan(v(Op::Step, {kNaN})));
  CHECK(std::isnan(v(Op::Sign, {kNaN})));
  // if(c, a, b): NaN from the condition or the branch taken, never from the other one,
  // so that if(t > 0, sqrt(t), 0) is 0 for t < 0.
  CHECK(std::isnan(v(Op::If, {kNaN, 1, 2})));
  CHECK(std::isnan(v(Op::If, {0, 1, kNaN})));
  CHECK(v(Op::If, {1, 1, kNaN}) == 1);
  CHECK(v(Op::If, {0, kNaN, 2}) == 2);
  CHECK(v(Op::If, {-3, 1, 2}) == 1);
  CHECK(std::isnan(v(Op::Lt, {kNaN, 1})));
  CHECK(v(Op::Lt, {0, 1}) == 1);
  CHECK(v(Op::Le, {1, 1}) == 1);
  CHECK(v(Op::Gt, {1, 1}) == 0);
  CHECK(v(Op::Ne, {1, 2}) == 1);
  CHECK(v(Op::Eq, {2, 2}) == 1);
  CHECK(v(Op::Not, {0}) == 1);
  CHECK(v(Op::Not, {-2}) == 0);
  CHECK(v(Op::Heav, {0}) == 1);
  CHECK(v(Op::Heav, {-1e-300}) == 0);
  CHECK(v(Op::Floor, {-1.5}) == -2);
  CHECK(v(Op::Fmod, {-1, 3}) == -1);
  CHECK(std::isnan(v(Op::Min, {kNaN, 1})));
  CHECK(std::isnan(v(Op::Min, {1, kNaN})));
  CHECK(std::isnan(v(Op::Max, {1, kNaN})));
  CHECK(v(Op::Step, {0}) == 0.5);
  CHECK(v(Op::Step, {-0.0}) == 0.5);
  CHECK(v(Op::Sign, {-0.0}) == 0);
  CHECK(v(Op::Min, {-kInf, 1}) == -kInf);
  CHECK(v(Op::Max, {2, 2}) == 2);
  CHECK(v(Op::Pow, {1, kNaN}) == 1);  // the C library's pow
  CHECK(std::isnan(v(Op::Sin, {kInf})));
  // sym::eval and constant folding use the same values.
  sym::Context c;
  CHECK(c.call(Op::Min, c.num(-1), c.num(2)) == c.num(-1));
  CHECK(c.pow(c.num(1.1), c.num(3)) == c.num(sym::powi(1.1, 3)));  // as the kernels compute it
}
