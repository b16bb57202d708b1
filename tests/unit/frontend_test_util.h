// frontend_test_util.h — helpers shared by the front-end unit tests: run a stage on a
// string and collect diagnostic codes.
#ifndef PINNC_TESTS_UNIT_FRONTEND_TEST_UTIL_H
#define PINNC_TESTS_UNIT_FRONTEND_TEST_UTIL_H

#include <optional>
#include <string>
#include <vector>

#include "pipeline/compile.h"
#include "frontend/diagnostic.h"
#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "symbolic/symbolic.h"

namespace pinnc::testing {

/// Codes of the diagnostics reported, in report order ("E-syntax", ...).
inline std::vector<std::string> codes(const DiagnosticEngine& d) {
  std::vector<std::string> out;
  for (const auto& x : d.diagnostics()) out.emplace_back(diag_kind(x.id).code);
  return out;
}

inline bool has_code(const DiagnosticEngine& d, std::string_view code) {
  for (const auto& x : d.diagnostics())
    if (diag_kind(x.id).code == code) return true;
  return false;
}

/// Lex + parse + sema of a string.
struct Compiled {
  SourceFile src;
  DiagnosticEngine diags;
  std::optional<Problem> problem;

  explicit Compiled(std::string text) : src("test.ode", std::move(text)) {
    problem = compile_source(src, diags, xpp::Dialect::Pinnc);  // pinnc-language tests
  }
  std::string rendered() const { return render_all(src, diags); }
  std::string print(sym::Expr e) const { return sym::print(*problem->ctx, e); }
};

/// Parses a single statement-list string and returns the AST dump.
inline std::string ast_of(const std::string& text, DiagnosticEngine* diags_out = nullptr) {
  SourceFile src("test.ode", text);
  DiagnosticEngine diags;
  std::string out = ast::dump(parse(lex(src, diags), diags));
  if (diags_out) *diags_out = diags;
  return out;
}

}  // namespace pinnc::testing

#endif  // PINNC_TESTS_UNIT_FRONTEND_TEST_UTIL_H
