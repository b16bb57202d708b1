// fuzz_frontend.cpp — libFuzzer target: the whole front end (lexer, parser, sema with the
// symbolic engine, diagnostic rendering, problem printing) on arbitrary bytes.
// Build and run: scripts/fuzz.sh [SECONDS].
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_checks.h"
#include "pipeline/compile.h"
#include "frontend/lexer.h"
#include "sema/print_problem.h"

namespace {

/// Everything the front end prints for one input.
std::string run_once(const pinnc::SourceFile& src, pinnc::DiagnosticEngine& diags,
                     std::optional<pinnc::Problem>& problem) {
  using namespace pinnc;
  problem = compile_source(src, diags);
  std::string text = render_all(src, diags);
  if (problem) {
    text += describe(*problem);
    text += dump_ir(*problem);
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  SourceFile src("fuzz.ode", std::string(reinterpret_cast<const char*>(data), size));
  DiagnosticEngine diags;
  std::optional<Problem> problem;
  std::string text = run_once(src, diags, problem);
  // Deterministic output: a second run prints the same bytes.
  {
    DiagnosticEngine again;
    std::optional<Problem> p2;
    if (run_once(src, again, p2) != text) __builtin_trap();
  }
  fuzz::check_compile(src, diags, problem.has_value());
  return 0;
}
