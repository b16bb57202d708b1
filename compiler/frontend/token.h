// token.h — the tokens of the pinnc language.
#ifndef PINNC_FRONTEND_TOKEN_H
#define PINNC_FRONTEND_TOKEN_H

#include <cstdint>
#include <string_view>

#include "frontend/source.h"

namespace pinnc {

enum class Tok : uint8_t {
  Ident,      ///< [A-Za-z_][A-Za-z0-9_]*, not a keyword
  Number,     ///< 12, 1.5, .5, 1e-3, 2.5E+4
  String,     ///< "..." on one line (for `data y from "file.csv"`)
  Prime,      ///< '
  LParen, RParen, LBracket, RBracket, Comma,
  Plus, Minus, Star, Slash, Caret, Equals, Question,
  Less, LessEq, Greater, GreaterEq, EqEq, NotEq,  ///< < <= > >= == !=
  AndAnd, OrOr,                                   ///< && ||
  Colon,      ///< ':' (only inside `set` values: adam:300, jitter:0.1)
  Newline,    ///< statement separator (a run of newlines and `;` is one token)
  Eof,
  // keywords
  KwParam, KwIn, KwExact, KwSet, KwData, KwFrom, KwAux,
};

/// Printable name of a token kind for messages ("name", "'('", "end of line").
std::string_view tok_name(Tok t);

/// A keyword's token kind, if `text` is one.
bool keyword(std::string_view text, Tok* out);

struct Token {
  Tok kind = Tok::Eof;
  SourceRange range;
  std::string_view text;  ///< the token's bytes in the source (empty for Eof)
  double number = 0;      ///< value of a Number
};

}  // namespace pinnc

#endif  // PINNC_FRONTEND_TOKEN_H
