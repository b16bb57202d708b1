// compile.h — the pipeline's entry, above the front end and sema: source text -> checked
// Problem + diagnostics.
// Shared by `pinnc check`, `pinnc train`, `pinnc convert` and the REPL.
#ifndef PINNC_PIPELINE_COMPILE_H
#define PINNC_PIPELINE_COMPILE_H

#include <optional>
#include <string>
#include <vector>

#include "frontend/diagnostic.h"
#include "frontend/source.h"
#include "sema/problem.h"
#include "sema/sema.h"
#include "xpp/xpp_reader.h"

namespace pinnc {

/// How a file was read, besides the problem itself.
struct Reading {
  /// For an XPPAUT file: the equivalent program in pinnc's language (what `pinnc
  /// convert` prints and what model.json keeps as the problem's source). Empty for pinnc.
  std::string pinnc_text;
};

/// Lexes, parses and checks `src`: in pinnc's language, or XPPAUT's (compiler/xpp) when
/// `dialect` says so or, with Auto, when xpp::detect does. Returns the Problem when there
/// were no errors (warnings allowed); all diagnostics are in `diags`, located in `src`.
/// Semantic checks run only when the file parsed cleanly (so a syntax error does not
/// cascade into follow-on errors). Never throws: internal failures become "pinnc bug"
/// diagnostics. An XPPAUT problem's `source` is its pinnc text and its `notes` say what
/// the reader did beyond translating.
std::optional<Problem> compile_source(const SourceFile& src, DiagnosticEngine& diags,
                                      xpp::Dialect dialect = xpp::Dialect::Auto, Reading* reading = nullptr,
                                      const SemaOptions& options = {});

/// The pinnc-language text of an XPPAUT program (a header comment naming the file and the
/// reader's notes, then one statement a line).
std::string pinnc_text(const SourceFile& src, const ast::Program& program, const std::vector<std::string>& notes);

}  // namespace pinnc

#endif  // PINNC_PIPELINE_COMPILE_H
