// compile.h — the pipeline's entry, above the front end and sema: source text -> checked
// Problem + diagnostics.
// Shared by `pinnc check`, `pinnc train` and the REPL.
#ifndef PINNC_PIPELINE_COMPILE_H
#define PINNC_PIPELINE_COMPILE_H

#include <optional>

#include "frontend/diagnostic.h"
#include "frontend/source.h"
#include "sema/problem.h"

namespace pinnc {

/// Lexes, parses and checks `src`. Returns the Problem when there were no errors
/// (warnings allowed); all diagnostics are in `diags`. Semantic checks run only when the
/// file parsed cleanly (so a syntax error does not cascade into follow-on errors).
/// Never throws: internal failures become "pinnc bug" diagnostics.
std::optional<Problem> compile_source(const SourceFile& src, DiagnosticEngine& diags);

}  // namespace pinnc

#endif  // PINNC_PIPELINE_COMPILE_H
