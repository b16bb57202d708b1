// lexer.h — turns a SourceFile into tokens; bad bytes become diagnostics, never crashes.
#ifndef PINNC_FRONTEND_LEXER_H
#define PINNC_FRONTEND_LEXER_H

#include <string>
#include <vector>

#include "frontend/diagnostic.h"
#include "frontend/source.h"
#include "frontend/token.h"

namespace pinnc {

/// Lexes the whole file. The result always ends with one Eof token; statement separators
/// are normalised (no leading, no repeated Newline tokens). Runs in time linear in the
/// input and stops early once the engine has hit its error limit.
std::vector<Token> lex(const SourceFile& src, DiagnosticEngine& diags);

/// One token per line, `line:col KIND 'text'` (for `pinnc check --dump=tokens`).
std::string dump_tokens(const SourceFile& src, const std::vector<Token>& tokens);

}  // namespace pinnc

#endif  // PINNC_FRONTEND_LEXER_H
