// compile.cpp — runs the reader (pinnc's lexer and parser, or the XPPAUT reader) and sema
// in order.
#include "pipeline/compile.h"

#include <exception>
#include <new>

#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "sema/sema.h"

namespace pinnc {

std::string pinnc_text(const SourceFile& src, const ast::Program& program, const std::vector<std::string>& notes) {
  std::string out = "# " + src.name() + ", an XPPAUT file, in pinnc's language (pinnc convert)\n";
  for (const std::string& n : notes) out += "# note: " + n + "\n";
  for (const ast::Stmt& s : program.stmts) out += ast::source(s) + "\n";
  return out;
}

std::optional<Problem> compile_source(const SourceFile& src, DiagnosticEngine& diags, xpp::Dialect dialect,
                                      Reading* reading, const SemaOptions& options) {
  if (src.original_size() > SourceFile::kMaxSourceBytes) {
    diags.report_unlocated(DiagId::FileTooLarge, {std::to_string(src.original_size()),
                                                  std::to_string(SourceFile::kMaxSourceBytes)});
    return std::nullopt;
  }
  try {
    if (dialect == xpp::Dialect::Auto) dialect = xpp::detect(src.text());
    if (dialect == xpp::Dialect::Xpp) {
      xpp::Reading r = xpp::read(src, diags);
      std::string text = pinnc_text(src, r.program, r.notes);
      if (reading) reading->pinnc_text = text;
      if (diags.has_errors()) return std::nullopt;
      std::optional<Problem> p = analyze(r.program, src, diags, options);
      if (p) {
        p->source = std::move(text);
        p->notes.insert(p->notes.begin(), r.notes.begin(), r.notes.end());
      }
      return p;
    }
    std::vector<Token> tokens = lex(src, diags);
    ast::Program program = parse(tokens, diags);
    if (diags.has_errors()) return std::nullopt;
    return analyze(program, src, diags, options);
  } catch (const std::bad_alloc&) {
    diags.bug("out of memory", "pipeline/compile.cpp");
  } catch (const std::exception& e) {
    diags.bug(e.what(), "pipeline/compile.cpp");
  }
  return std::nullopt;
}

}  // namespace pinnc
