// test_roundtrip.cpp — the printer and the language agree: print an expression, parse it
// with the real front end (lexer, parser, sema's converter), get the very same node.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>

#include "frontend_test_util.h"
#include "sema/sema.h"
#include "test_symbolic_helpers.h"

using namespace pinnc;
using pinnc::testing::Compiled;

namespace {

/// print -> lex -> parse_expression -> expression_in, in the problem's own context.
sym::Expr reparse(Problem& p, sym::Expr e, std::string* text_out = nullptr) {
  std::string text = sym::print(*p.ctx, e);
  if (text_out) *text_out = text;
  SourceFile src("roundtrip", text);
  DiagnosticEngine d;
  ast::ExprPtr ast = parse_expression(lex(src, d), d);
  if (!ast) return nullptr;
  sym::Expr back = expression_in(p, *ast, src, d);
  if (d.has_errors()) return nullptr;
  return back;
}

std::string read(const std::string& path) {
  std::string text;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

}  // namespace

TEST_CASE("roundtrip: random expressions in t, parameters and y, y', y''") {
  Compiled c("param x = 1\nparam z = 2\nparam k = 3\nt in [0, 1]\ny'' = -y\ny(0) = 1\ny'(0) = 0\n");
  INFO(c.rendered());
  REQUIRE(c.problem);
  Problem& p = *c.problem;
  sym::Context& ctx = *p.ctx;
  std::vector<sym::Expr> leaves{ctx.sym(p.indep)};
  for (const Param& q : p.params) leaves.push_back(ctx.sym(q.symbol));
  for (sym::SymbolId s : p.unknowns[0].derivs) leaves.push_back(ctx.sym(s));
  std::mt19937_64 rng(2024);
  sym::testing::RandomExpr gen(ctx, rng, leaves, /*safe=*/true);
  int checked = 0;
  for (int i = 0; i < 500; ++i) {
    sym::Expr e = gen.gen(4);
    for (sym::Expr form : {e, sym::simplify(ctx, e)}) {
      std::string text;
      sym::Expr back = reparse(p, form, &text);
      CAPTURE(text);
      REQUIRE(back);
      CHECK(back == form);
      ++checked;
    }
  }
  CHECK(checked == 1000);
}

TEST_CASE("roundtrip: every residual, partial and condition of every example") {
  for (const char* name : {"decay", "logistic", "harmonic", "damped", "forced", "lotka_volterra",
                           "van_der_pol", "bvp_sine", "robin", "airy", "oscillator_system", "beam"}) {
    CAPTURE(name);
    Compiled c(read(std::string(PINNC_SOURCE_DIR) + "/examples/" + name + ".ode"));
    INFO(c.rendered());
    REQUIRE(c.problem);
    Problem& p = *c.problem;
    std::vector<sym::Expr> all;
    for (const Equation& eq : p.equations) {
      all.push_back(eq.residual);
      all.insert(all.end(), eq.d_unknown.begin(), eq.d_unknown.end());
      all.insert(all.end(), eq.d_param.begin(), eq.d_param.end());
    }
    for (const Condition& cond : p.conditions) all.push_back(cond.g);
    for (const Exact& x : p.exact) all.push_back(x.expr);
    for (sym::Expr e : all) {
      std::string text;
      sym::Expr back = reparse(p, e, &text);
      CAPTURE(text);
      REQUIRE(back);
      CHECK(back == e);
    }
  }
}
