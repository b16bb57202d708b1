// console.cpp — see console.h.
#include "repl/console.h"

namespace pinnc::repl {

std::string render_message(const SourceFile& src, const Message& m) {
  // The compiler's renderer draws the source line, caret and hints; only its first line
  // (which names a registered kind) is replaced by ours.
  Diagnostic d;
  d.id = m.severity == Severity::Warning ? DiagId::UnusedParam : DiagId::Syntax;
  d.message = m.text;
  d.range = m.range;
  d.hints = m.hints;
  std::string body = render(src, d);
  std::size_t nl = body.find('\n');
  body = nl == std::string::npos ? std::string() : body.substr(nl + 1);
  LineCol lc = src.line_col(m.range.begin);
  const char* label = m.severity == Severity::Warning ? "warning" : "error";
  return src.name() + ':' + std::to_string(lc.line) + ':' + std::to_string(lc.col) + ": " + label + ": " + m.text +
         '\n' + body;
}

}  // namespace pinnc::repl
