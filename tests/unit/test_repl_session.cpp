// test_repl_session.cpp — the REPL's logic without a terminal: statement keys and
// replacement, evaluation at points, warm starts, errors that keep the state, completion
// (interpreter backend, no LLVM).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "repl/session.h"
#include "repl/statements.h"
#include "interp/interp_backend.h"

using namespace pinnc;
using namespace pinnc::repl;

namespace {

Hooks interp_hooks() {
  Hooks h;
  h.make_backend = [](const std::string&, std::string*) -> std::unique_ptr<kernels::KernelBackend> {
    return std::make_unique<interp::InterpBackend>();
  };
  return h;
}

/// A session with its console, fed lines; `run` returns the line's status.
struct Repl {
  StringConsole console;
  Session session{console, interp_hooks()};
  Repl() { session.set_input_name("<test>"); }
  int run(std::string_view line) { return session.run_line(line); }
  void run_all(std::initializer_list<std::string_view> lines) {
    for (std::string_view l : lines) REQUIRE_MESSAGE(run(l) == 0, console.all);
  }
  /// The number printed for the last `expr = value` line.
  double value(const std::string& expr) const {
    std::size_t at = console.out_text.rfind(expr + " = ");
    REQUIRE_MESSAGE(at != std::string::npos, console.all);
    return std::stod(console.out_text.substr(at + expr.size() + 3));
  }
};

const char* kTiny = ":train opt=adam:40,lm:30 points=24 net=6";

/// The key make_statement gives the only statement of `text`, with `unknowns` known.
std::string key_of(const std::string& text, std::set<std::string> unknowns = {"y"}) {
  SourceFile src("k", text);
  DiagnosticEngine diags;
  ast::Program p = parse(lex(src, diags), diags);
  REQUIRE(p.stmts.size() == 1);
  for (const ast::Stmt& s : p.stmts) collect_differentiated(s, &unknowns);
  return make_statement(p.stmts[0], src, unknowns, "t").key;
}

}  // namespace

TEST_CASE("statement keys: what a statement defines") {
  CHECK(key_of("param k = 1") == "param k");
  CHECK(key_of("t in [0, 5]") == "interval");
  CHECK(key_of("exact y = exp(-t)") == "exact y");
  CHECK(key_of("set epochs = 10") == "set epochs");
  CHECK(key_of("f(u) = u^2") == "function f");
  // Equations by the unknown of their highest derivative, leftmost on a tie.
  CHECK(key_of("y' + k*y = 0") == "equation y");
  CHECK(key_of("dy/dt = -y") == "equation y");
  CHECK(key_of("x'' = -x + y'", {"x", "y"}) == "equation x");
  CHECK(key_of("x' = y'", {"x", "y"}) == "equation x");
  // Conditions by their highest-order point value, with the point as written.
  CHECK(key_of("y(0) = 1") == "condition y(0)");
  CHECK(key_of("y( 0 ) = 2") == "condition y(0)");
  CHECK(key_of("y'(1) + 2*y(1) = 0") == "condition y'(1)");
  CHECK(key_of("y(a) = 1") == "condition y(a)");  // y is an unknown: not a function f(a)
  CHECK(key_of("2 = 3").empty());
}

TEST_CASE("statement list: replacement in place, text, offsets") {
  StatementList list;
  CHECK(!list.put({"param k = 1", "param k", "parameter k", "k"}).second);
  CHECK(!list.put({"t in [0, 1]", "interval", "the interval", "t"}).second);
  auto [index, old] = list.put({"param k = 2", "param k", "parameter k", "k"});
  CHECK(index == 0);
  REQUIRE(old);
  CHECK(old->text == "param k = 1");
  CHECK(list.text() == "param k = 2\nt in [0, 1]\n");
  CHECK(list.offset(1) == 12);
  CHECK(list.indep_name() == "t");
  list.erase(0);
  CHECK(list.text() == "t in [0, 1]\n");
}

TEST_CASE("a session: statements, training, evaluation at points, warm start") {
  Repl r;
  r.run_all({"param k = 1", "t in [0, 2]", "y' + k*y = 0", "y(0) = 1"});
  CHECK(r.console.out_text.find("ready: unknown y (order 1); t in [0, 2]") != std::string::npos);
  // :set keeps settings for later runs (as `set` statements); :train key=value is one run.
  REQUIRE(r.run(":set opt=adam:40,lm:30 points=24 net=6") == 0);
  CHECK(r.session.statements().items()[4].text == "set net = 6");
  REQUIRE(r.run(":train") == 0);
  REQUIRE(r.session.trained());
  r.run_all({"y(1)", "y'(0.5)", "y(1) - exp(-1)", "max(y(0), 0.5)"});
  CHECK(std::fabs(r.value("y(1)") - std::exp(-1.0)) < 1e-2);
  CHECK(std::fabs(r.value("y'(0.5)") + std::exp(-0.5)) < 5e-2);
  CHECK(std::fabs(r.value("y(1) - exp(-1)")) < 1e-2);
  CHECK(r.value("max(y(0), 0.5)") == 1.0);  // the initial condition holds exactly
  // Replacing the parameter, training again from the same weights.
  REQUIRE(r.run("param k = 2") == 0);
  CHECK(r.console.out_text.find("replaced parameter k (line 1 was: param k = 1)") != std::string::npos);
  CHECK(r.session.statements().items()[0].text == "param k = 2");
  REQUIRE(r.run(":train opt=adam:5") == 0);  // this run only
  REQUIRE(r.run(":set") == 0);
  CHECK(r.console.out_text.find("training settings: net=6 act=tanh opt=adam:40,lm:30") != std::string::npos);
  REQUIRE(r.run(":train") == 0);
  CHECK(r.console.out_text.find("warm start from the previous weights") != std::string::npos);
  // A different network starts cold.
  REQUIRE(r.run(":train net=5") == 0);
  CHECK(r.console.out_text.find("cold start: the network changed (1-6-1 tanh -> 1-5-1 tanh)") != std::string::npos);
}

TEST_CASE("errors leave the session as it was") {
  Repl r;
  r.run_all({"t in [0, 1]", "y' = -y", "y(0) = 1"});
  const std::string before = r.session.statements().text();
  CHECK(r.run("y' = = 1") == kInputError);
  CHECK(r.console.err_text.find("<test>:4:6: error: expected an expression") != std::string::npos);
  CHECK(r.run("exact z = 1") == kInputError);
  CHECK(r.console.err_text.find("the session is unchanged") != std::string::npos);
  CHECK(r.run(":nonsense") == kUsageError);
  CHECK(r.run(":train epochs=-3") == kUsageError);
  CHECK(r.run("y(0.5)") == kInputError);  // not trained yet
  CHECK(r.console.err_text.find("there is no trained solution yet") != std::string::npos);
  CHECK(r.session.statements().text() == before);
  CHECK(!r.session.trained());
}

TEST_CASE("evaluation: points, derivatives and functions of t") {
  Repl r;
  r.run_all({"param a = 0.5", "t in [0, 1]", "y'' = -y", "y(0) = 0", "y'(0) = 1", kTiny});
  CHECK(r.run("y(a) + y'(2*a)") == 0);  // points may be constant expressions
  CHECK(r.run("y(y(1))") == 0);         // and may use the solution itself
  CHECK(r.run("y''(0.25)") == 0);
  CHECK(r.run("y'''(0.25)") == kInputError);
  CHECK(r.run("y(t)") == kInputError);
  CHECK(r.run("y") == kInputError);
  CHECK(r.run("y(1, 2)") == kInputError);
  r.console.err_text.clear();
  CHECK(r.run("y(3)") == 0);
  CHECK(r.console.err_text.find("warning: t = 3 lies outside the interval [0, 1]") != std::string::npos);
  // After a change the old solution is still there, with a note.
  r.run_all({"param a = 0.25"});
  r.console.err_text.clear();
  CHECK(r.run("y(0.5)") == 0);
  CHECK(r.console.err_text.find("the statements changed since the last :train") != std::string::npos);
}

TEST_CASE("incomplete problems are accepted, :check says what is missing") {
  Repl r;
  CHECK(r.run("x' = y") == 0);  // y becomes an unknown with the next line
  CHECK(r.console.out_text.find("incomplete:") != std::string::npos);
  r.run_all({"y' = -x", "t in [0, 1]", "x(0) = 1"});
  CHECK(r.run(":check") == kInputError);
  CHECK(r.console.err_text.find("'y' needs 1 condition") != std::string::npos);
  r.run_all({"y(0) = 0", ":check"});
  CHECK(r.console.out_text.find("ok: unknowns x (order 1), y (order 1)") != std::string::npos);
}

TEST_CASE("completion: commands, settings, names") {
  Repl r;
  r.run_all({"param kappa = 1", "t in [0, 1]", "y' = -kappa*y", "y(0) = 1"});
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  std::vector<std::string> c = r.session.complete(":sh");
  CHECK(c == std::vector<std::string>{":show"});
  CHECK(r.session.complete(":s").size() == 4);  // show, set, save, savemodel
  c = r.session.complete(":train ep");
  CHECK(c == std::vector<std::string>{"epochs="});
  c = r.session.complete("y' = -ka");
  CHECK(c == std::vector<std::string>{"kappa"});
  CHECK(has(r.session.complete("y(1) + ex"), "exp"));
  CHECK(has(r.session.complete("y(1) + ex"), "exact"));
  CHECK(r.session.completes_file(":load ex"));
  CHECK(!r.session.completes_file(":loa"));
  CHECK(!r.session.completes_file("y(1)"));
}

TEST_CASE("evaluation uses the current statements' names; unknowns come from the trained run") {
  Repl r;
  r.run_all({"t in [0, 1]", "y' = -y", "y(0) = 1", kTiny, "f(u) = 2*u"});
  CHECK(r.run("f(y(0))") == 0);  // f was defined after training
  CHECK(r.value("f(y(0))") == 2.0);
  r.run_all({"z' = z", "z(0) = 1"});
  CHECK(r.run("z(0.5)") == kInputError);
  CHECK(r.console.err_text.find("the trained solution has no 'z'") != std::string::npos);
}

TEST_CASE("trained solutions keep their own kernels: two sessions, and :emit in between") {
  // Interpreter kernels carry their module as the ABI's ctx, so nothing is bound
  // process-wide: two sessions in one process evaluate their own problems, and an :emit
  // (which prepares the problem again) leaves the trained solution untouched.
  Repl a, b;
  a.run_all({"t in [0, 1]", "y' = -y", "y(0) = 1", kTiny, "y(1)"});
  b.run_all({"t in [0, 1]", "y' = y", "y(0) = 2", kTiny, "y(1)"});
  const double ya = a.value("y(1)"), yb = b.value("y(1)");
  CHECK(std::fabs(ya - std::exp(-1.0)) < 1e-2);
  CHECK(std::fabs(yb - 2 * std::exp(1.0)) < 5e-2);
  const std::string cpp = (std::filesystem::temp_directory_path() / "pinnc_test_repl_emit.cpp").string();
  a.run_all({":emit " + cpp, "y(1)"});
  b.run_all({"y(1)"});
  CHECK(a.value("y(1)") == ya);
  CHECK(b.value("y(1)") == yb);
  std::filesystem::remove(cpp);
}
