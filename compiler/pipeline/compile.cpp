// compile.cpp — runs lexer, parser and sema in order.
#include "pipeline/compile.h"

#include <exception>
#include <new>

#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "sema/sema.h"

namespace pinnc {

std::optional<Problem> compile_source(const SourceFile& src, DiagnosticEngine& diags) {
  if (src.original_size() > SourceFile::kMaxSourceBytes) {
    diags.report_unlocated(DiagId::FileTooLarge, {std::to_string(src.original_size()),
                                                  std::to_string(SourceFile::kMaxSourceBytes)});
    return std::nullopt;
  }
  try {
    std::vector<Token> tokens = lex(src, diags);
    ast::Program program = parse(tokens, diags);
    if (diags.has_errors()) return std::nullopt;
    return analyze(program, src, diags);
  } catch (const std::bad_alloc&) {
    diags.bug("out of memory", "frontend/compile.cpp");
  } catch (const std::exception& e) {
    diags.bug(e.what(), "frontend/compile.cpp");
  }
  return std::nullopt;
}

}  // namespace pinnc
