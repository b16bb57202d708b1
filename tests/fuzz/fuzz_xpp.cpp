// fuzz_xpp.cpp — libFuzzer target: the XPPAUT reader (compiler/xpp) and sema on arbitrary
// bytes read as an XPPAUT file, and the round trip of what it reads: the pinnc text that
// `pinnc convert` prints for an accepted file must compile, as pinnc's language, to the
// same residuals and conditions. Build and run: scripts/fuzz.sh [SECONDS].
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_checks.h"
#include "pipeline/compile.h"
#include "sema/print_problem.h"
#include "symbolic/symbolic.h"

namespace {

/// The residuals, conditions, parameters, aux quantities and interval of a problem as text
/// (names are the same in both readings).
std::string equations_of(const pinnc::Problem& p) {
  std::string out;
  for (const pinnc::Equation& e : p.equations) out += pinnc::sym::print(*p.ctx, e.residual) + "\n";
  for (const pinnc::Condition& c : p.conditions) out += std::to_string(c.point) + ": " + pinnc::sym::print(*p.ctx, c.g) + "\n";
  for (const pinnc::Param& q : p.params) out += q.name + "=" + std::to_string(q.value) + "\n";
  for (const pinnc::Aux& a : p.aux) out += "aux " + a.name + "=" + pinnc::sym::print(*p.ctx, a.expr) + "\n";
  out += std::to_string(p.t0) + " " + std::to_string(p.t1) + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  SourceFile src("fuzz.ode", std::string(reinterpret_cast<const char*>(data), size));
  DiagnosticEngine diags;
  Reading reading;
  std::optional<Problem> problem = compile_source(src, diags, xpp::Dialect::Xpp, &reading);
  std::string text = render_all(src, diags);
  if (problem) text += describe(*problem);
  // Deterministic: a second reading prints the same bytes.
  {
    DiagnosticEngine again;
    std::optional<Problem> p2 = compile_source(src, again, xpp::Dialect::Xpp);
    std::string text2 = render_all(src, again);
    if (p2) text2 += describe(*p2);
    if (text2 != text) __builtin_trap();
  }
  fuzz::check_compile(src, diags, problem.has_value());
  // The round trip: convert's text is a pinnc file with the same problem.
  if (problem) {
    SourceFile converted("converted.ode", reading.pinnc_text);
    DiagnosticEngine d2;
    std::optional<Problem> back = compile_source(converted, d2, xpp::Dialect::Pinnc);
    if (!back || equations_of(*back) != equations_of(*problem)) __builtin_trap();
  }
  return 0;
}
