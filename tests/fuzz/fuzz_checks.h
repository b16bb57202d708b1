// fuzz_checks.h — what every front-end fuzz target asserts about one compile: a problem
// exactly when there was no error, every located diagnostic inside the file, no internal
// error (a bug even on garbage). Traps, so libFuzzer keeps the input.
#ifndef PINNC_TESTS_FUZZ_FUZZ_CHECKS_H
#define PINNC_TESTS_FUZZ_FUZZ_CHECKS_H

#include "frontend/diagnostic.h"
#include "frontend/source.h"

namespace pinnc::fuzz {

inline void check_compile(const SourceFile& src, const DiagnosticEngine& diags, bool has_problem) {
  if (has_problem == diags.has_errors()) __builtin_trap();
  for (const Diagnostic& d : diags.diagnostics())
    if (d.located && (d.range.begin > src.text().size() || d.range.end > src.text().size())) __builtin_trap();
  if (diags.has(DiagId::Internal)) __builtin_trap();
}

}  // namespace pinnc::fuzz

#endif  // PINNC_TESTS_FUZZ_FUZZ_CHECKS_H
