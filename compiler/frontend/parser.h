// parser.h — the Pratt parser: tokens -> ast::Program, recovering at the next statement.
#ifndef PINNC_FRONTEND_PARSER_H
#define PINNC_FRONTEND_PARSER_H

#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"
#include "frontend/token.h"

namespace pinnc {

/// Deepest expression nesting accepted (parentheses, right-nested operators, unary
/// minus chains): the parser's recursion depth.
inline constexpr int kMaxExprDepth = 200;
/// Tallest expression tree accepted: left-associative chains such as 1 + 1 + ... + 1 are
/// parsed by a loop, but later stages walk the tree recursively.
inline constexpr int kMaxTreeHeight = 2000;

/// Parses a token stream (as lex() returns it: ending in Eof) into statements following
/// grammar/pinnc.ebnf. A statement with a syntax error is reported and skipped; parsing
/// resumes at the next statement, so one run reports several errors.
ast::Program parse(const std::vector<Token>& tokens, DiagnosticEngine& diags);

/// Parses the tokens as one expression (for the REPL and the round-trip tests); null
/// after reporting an error.
ast::ExprPtr parse_expression(const std::vector<Token>& tokens, DiagnosticEngine& diags);

}  // namespace pinnc

#endif  // PINNC_FRONTEND_PARSER_H
