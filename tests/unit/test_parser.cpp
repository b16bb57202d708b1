// test_parser.cpp — precedence, statement forms, derivative notations, error recovery and
// the nesting limit.
#include <doctest/doctest.h>

#include "frontend_test_util.h"

using namespace pinnc;
using pinnc::testing::ast_of;
using pinnc::testing::Compiled;
using pinnc::testing::codes;
using pinnc::testing::has_code;

namespace {

/// The AST dump of `lhs` in the equation `lhs = 0`.
std::string expr(const std::string& e) {
  std::string s = ast_of(e + " = 0");
  REQUIRE(s.size() > 6);
  return s.substr(3, s.size() - 3 - 4);  // strip "(= " and " 0)\n"
}

}  // namespace

TEST_CASE("parser: precedence and associativity") {
  CHECK(expr("a + b*c") == "(+ a (* b c))");
  CHECK(expr("a - b - c") == "(- (- a b) c)");
  CHECK(expr("a/b*c") == "(* (/ a b) c)");
  CHECK(expr("-x^2") == "(- (^ x 2))");
  CHECK(expr("a^b^c") == "(^ a (^ b c))");
  CHECK(expr("2^-1") == "(^ 2 (- 1))");
  CHECK(expr("-a*b") == "(* (- a) b)");
  CHECK(expr("(a + b)*c") == "(* (+ a b) c)");
  CHECK(expr("+a") == "(+ a)");
}

TEST_CASE("parser: names, primes, calls") {
  CHECK(expr("y''") == "y''");
  CHECK(expr("y'(0)") == "(call y' 0)");
  CHECK(expr("f(u, v)") == "(call f u v)");
  CHECK(expr("max(a, b) + sin(t)") == "(+ (call max a b) (call sin t))");
}

TEST_CASE("parser: Leibniz notation") {
  CHECK(expr("dy/dt") == "(d/dt y 1)");
  CHECK(expr("d2y/dt2") == "(d/dt2 y 2)");
  CHECK(expr("2*dy/dt") == "(* 2 (d/dt y 1))");
  CHECK(expr("dx/dtau") == "(d/dtau x 1)");
  // Followed by ^, ( or ' it is an ordinary division.
  CHECK(expr("dy/dt^2") == "(/ dy (^ dt 2))");
  CHECK(expr("d/dt") == "(/ d dt)");  // a lone 'd' is a name
}

TEST_CASE("parser: statements") {
  CHECK(ast_of("param k = 1\nt in [0, 5]\ny' + k*y = 0\ny(0) = 1\nexact y = exp(-k*t)\n") ==
        "(param k 1)\n(interval t 0 5)\n(= (+ y' (* k y)) 0)\n(= (call y 0) 1)\n"
        "(exact y (call exp (* (- k) t)))\n");
  CHECK(ast_of("set epochs = 2000") == "(set epochs \"2000\")\n");
  CHECK(ast_of("set hidden = [32, 32]  # comment") == "(set hidden \"[32, 32]\")\n");
  CHECK(ast_of("param k = ?\nparam m = ? 0.5\nparam r in [1, 2]\ndata y from \"a.csv\"") ==
        "(param-unknown k)\n(param-unknown m 0.5)\n(param-range r 1 2)\n(data y \"a.csv\")\n");
  // An identified parameter's bounds, with and without a guess; data for several unknowns.
  CHECK(ast_of("param k = ? 0.5 in [0, 10]\nparam m = ? in [1, 2]\ndata x, y from \"b.csv\"") ==
        "(param-unknown k 0.5 (in 0 10))\n(param-unknown m (in 1 2))\n(data x y \"b.csv\")\n");
}

TEST_CASE("parser: the raw text of a setting") {
  pinnc::testing::Compiled c("set hidden = [32, 32]   # comment\nt in [0, 1]\ny' = -y\ny(0) = 1\n");
  REQUIRE(c.problem);
  REQUIRE(c.problem->settings.size() == 1);
  CHECK(c.problem->settings[0].key == "hidden");
  CHECK(c.problem->settings[0].value == "[32, 32]");
}

TEST_CASE("parser: one error per bad statement, then recovery at the next line") {
  DiagnosticEngine d;
  std::string out = ast_of("param k =\ny' = (k\nt in [0, 1]\ny' = * 2\nexact y = 1\n", &d);
  CHECK(codes(d) == std::vector<std::string>{"E-syntax", "E-syntax", "E-syntax"});
  CHECK(out == "(interval t 0 1)\n(exact y 1)\n");
}

TEST_CASE("parser: misplaced primes") {
  DiagnosticEngine d;
  ast_of("y' = (y)'", &d);
  CHECK(has_code(d, "E-misplaced-prime"));
}

TEST_CASE("parser: deep nesting is an error, not a stack overflow") {
  for (const std::string& open : {std::string("("), std::string("-"), std::string("sin(")}) {
    CAPTURE(open);
    std::string text = "y' = ";
    for (int i = 0; i < 1000000; ++i) text += open;
    text += "y\ny(0) = 1\n";
    DiagnosticEngine d;
    ast_of(text, &d);
    CHECK(has_code(d, "E-nesting-too-deep"));
    CHECK(d.error_count() == 1);
  }
  // A long flat sum is parsed by a loop; its height is bounded separately.
  std::string sum = "y' = y";
  for (int i = 0; i < 1500; ++i) sum += " + 1";
  DiagnosticEngine ok;
  ast_of(sum, &ok);
  CHECK_FALSE(ok.has_errors());
  std::string long_sum = "y' = y";
  for (int i = 0; i < 100000; ++i) long_sum += " + 1";
  DiagnosticEngine too_long;
  ast_of(long_sum, &too_long);
  CHECK(has_code(too_long, "E-nesting-too-deep"));
}

TEST_CASE("parser: a single expression") {
  SourceFile src("e", "y'' + 2*y");
  DiagnosticEngine d;
  ast::ExprPtr e = parse_expression(lex(src, d), d);
  REQUIRE(e);
  CHECK(ast::dump(*e) == "(+ y'' (* 2 y))");
  SourceFile bad("e", "y + ");
  CHECK_FALSE(parse_expression(lex(bad, d), d));
  CHECK(has_code(d, "E-syntax"));
}

TEST_CASE("parser: set values keep ':' (adam:400,lm:300, jitter:0.1) as raw text") {
  Compiled c("t in [0, 1]\ny' = -y\ny(0) = 1\nset opt = adam:400,lm:300\nset sampling = jitter:0.1\n");
  REQUIRE_MESSAGE(c.problem, c.rendered());
  REQUIRE(c.problem->settings.size() == 2);
  CHECK(c.problem->settings[0].key == "opt");
  CHECK(c.problem->settings[0].value == "adam:400,lm:300");
  CHECK(c.problem->settings[1].value == "jitter:0.1");
  DiagnosticEngine d;
  ast_of("y = a:b\n", &d);  // ':' elsewhere is a syntax error, not a new meaning
  CHECK(d.error_count() > 0);
}

TEST_CASE("parser: comparisons and logic bind looser than arithmetic, and do not chain") {
  CHECK(expr("a + b < c*d") == "(< (+ a b) (* c d))");
  CHECK(expr("a < b && c >= d || e != f") == "(|| (&& (< a b) (>= c d)) (!= e f))");
  CHECK(expr("a == b") == "(== a b)");
  CHECK(expr("(a < b) < c") == "(< (< a b) c)");  // parenthesised: allowed
  Compiled chained("t in [0, 1]\ny' = (0 < t < 1)\ny(0) = 0\n");
  CHECK(has_code(chained.diags, "E-syntax"));
  CHECK(chained.rendered().find("comparisons do not chain") != std::string::npos);
  Compiled single_amp("t in [0, 1]\ny' = (t > 0) & (t < 1)\ny(0) = 0\n");
  CHECK(single_amp.rendered().find("write 'and' as &&") != std::string::npos);
}

TEST_CASE("ast::source prints what parses back to the same tree") {
  // Each expression: parse, print with ast::source, parse again: the same S-expression.
  const char* cases[] = {
      "-x^2",          "(-x)^2",          "a^b^c",       "(a^b)^c",         "a - (b - c)",     "a - b - c",
      "a/(b*c)",       "a/b*c",           "2^-1",        "-(a*b)",          "-a*b",            "(a + b)*c",
      "a < b && c",    "(a || b) && c",   "a || b && c", "(a < b) == (c > d)", "f(x, -y)^2",   "if(t < 2, 1, -1)",
      "y'' + dy/dt",   "not(a) + mod(t, 1.5)", "a - -b",  "(a + b)^(c - d)", "x^-y^2",          "+a - +b"};
  for (const char* c : cases) {
    CAPTURE(c);
    SourceFile src("a", c);
    DiagnosticEngine d;
    ast::ExprPtr e = parse_expression(lex(src, d), d);
    REQUIRE(e);
    std::string printed = ast::source(*e);
    SourceFile src2("b", printed);
    ast::ExprPtr back = parse_expression(lex(src2, d), d);
    REQUIRE(back);
    CAPTURE(printed);
    CHECK(ast::dump(*back) == ast::dump(*e));
  }
}
