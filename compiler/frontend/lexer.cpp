// lexer.cpp — the hand-written scanner of the pinnc language (grammar/pinnc.ebnf, "Tokens").
#include "frontend/lexer.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace pinnc {

std::string_view tok_name(Tok t) {
  switch (t) {
    case Tok::Ident: return "a name";
    case Tok::Number: return "a number";
    case Tok::String: return "a string";
    case Tok::Prime: return "a prime (')";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::Comma: return "','";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Caret: return "'^'";
    case Tok::Equals: return "'='";
    case Tok::Question: return "'?'";
    case Tok::Less: return "'<'";
    case Tok::LessEq: return "'<='";
    case Tok::Greater: return "'>'";
    case Tok::GreaterEq: return "'>='";
    case Tok::EqEq: return "'=='";
    case Tok::NotEq: return "'!='";
    case Tok::AndAnd: return "'&&'";
    case Tok::OrOr: return "'||'";
    case Tok::Colon: return "':'";
    case Tok::Newline: return "end of line";
    case Tok::Eof: return "end of input";
    case Tok::KwParam: return "'param'";
    case Tok::KwIn: return "'in'";
    case Tok::KwExact: return "'exact'";
    case Tok::KwSet: return "'set'";
    case Tok::KwData: return "'data'";
    case Tok::KwFrom: return "'from'";
    case Tok::KwAux: return "'aux'";
  }
  return "a token";
}

bool keyword(std::string_view text, Tok* out) {
  struct Kw {
    std::string_view text;
    Tok tok;
  };
  static constexpr Kw kKeywords[] = {
      {"param", Tok::KwParam}, {"in", Tok::KwIn},     {"exact", Tok::KwExact},
      {"set", Tok::KwSet},     {"data", Tok::KwData}, {"from", Tok::KwFrom},
      {"aux", Tok::KwAux},
  };
  for (const auto& k : kKeywords) {
    if (k.text == text) {
      if (out) *out = k.tok;
      return true;
    }
  }
  return false;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

/// Length of the valid UTF-8 sequence at s[i] (0 if invalid) and its code point.
std::size_t decode_utf8(std::string_view s, std::size_t i, uint32_t* cp) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t n;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    v = (v << 6) | (d & 0x3F);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

class Lexer {
 public:
  Lexer(const SourceFile& src, DiagnosticEngine& diags)
      : src_(src), text_(src.text()), diags_(diags) {}

  std::vector<Token> run() {
    while (pos_ < text_.size() && !diags_.stopped()) step();
    SourceRange end{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text_.size())};
    push_newline(end);
    out_.push_back(Token{Tok::Eof, end, {}, 0});
    return std::move(out_);
  }

 private:
  uint32_t pos32() const { return static_cast<uint32_t>(pos_); }

  void push(Tok kind, std::size_t begin, double number = 0) {
    out_.push_back(Token{kind, SourceRange{static_cast<uint32_t>(begin), pos32()},
                         std::string_view(text_).substr(begin, pos_ - begin), number});
  }

  /// Consumes `c` when it is the next byte (for two-byte operators such as <=).
  bool follows(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// Statement separators: none at the start, never two in a row.
  void push_newline(SourceRange r) {
    if (out_.empty() || out_.back().kind == Tok::Newline) return;
    out_.push_back(Token{Tok::Newline, r, std::string_view(text_).substr(r.begin, r.end - r.begin), 0});
  }

  void step() {
    char c = text_[pos_];
    std::size_t begin = pos_;
    switch (c) {
      case ' ': case '\t': case '\r': case '\f': case '\v':
        ++pos_;
        return;
      case '#':
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        return;
      case '\n': case ';':
        ++pos_;
        push_newline(SourceRange{static_cast<uint32_t>(begin), pos32()});
        return;
      case '\'': ++pos_; push(Tok::Prime, begin); return;
      case '(': ++pos_; push(Tok::LParen, begin); return;
      case ')': ++pos_; push(Tok::RParen, begin); return;
      case '[': ++pos_; push(Tok::LBracket, begin); return;
      case ']': ++pos_; push(Tok::RBracket, begin); return;
      case ',': ++pos_; push(Tok::Comma, begin); return;
      case '+': ++pos_; push(Tok::Plus, begin); return;
      case '-': ++pos_; push(Tok::Minus, begin); return;
      case '*': ++pos_; push(Tok::Star, begin); return;
      case '/': ++pos_; push(Tok::Slash, begin); return;
      case '^': ++pos_; push(Tok::Caret, begin); return;
      case '=': ++pos_; push(follows('=') ? Tok::EqEq : Tok::Equals, begin); return;
      case '<': ++pos_; push(follows('=') ? Tok::LessEq : Tok::Less, begin); return;
      case '>': ++pos_; push(follows('=') ? Tok::GreaterEq : Tok::Greater, begin); return;
      case '!':
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') {
          pos_ += 2;
          push(Tok::NotEq, begin);
          return;
        }
        break;
      case '&': case '|':
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == c) {
          pos_ += 2;
          push(c == '&' ? Tok::AndAnd : Tok::OrOr, begin);
          return;
        }
        break;
      case '?': ++pos_; push(Tok::Question, begin); return;
      case ':': ++pos_; push(Tok::Colon, begin); return;
      case '"': string(); return;
      default: break;
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
      number();
    } else if (is_ident_start(c)) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      Tok kw;
      push(keyword(std::string_view(text_).substr(begin, pos_ - begin), &kw) ? kw : Tok::Ident,
           begin);
    } else {
      invalid();
    }
  }

  // Number = Digits [ "." Digits ] [ ("e"|"E") ["+"|"-"] Digits ] | "." Digits ...
  void number() {
    std::size_t begin = pos_;
    auto digits = [&] {
      std::size_t n = 0;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, ++n;
      return n;
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      digits();
    }
    const char* problem = nullptr;
    const char* hint = nullptr;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) {
        // `2e` alone could be the start of a name glued to a number; either way it is bad.
        problem = "the exponent has no digits";
        hint = "write an exponent as in 1e-3 or 2.5E+4";
      }
    }
    if (!problem && pos_ < text_.size() && (is_ident_char(text_[pos_]) || text_[pos_] == '.')) {
      problem = "a number cannot run into a name or another number";
      hint = "write a product with '*', as in 2*y";
    }
    if (problem) {
      while (pos_ < text_.size() && (is_ident_char(text_[pos_]) || text_[pos_] == '.')) ++pos_;
      SourceRange r{static_cast<uint32_t>(begin), pos32()};
      diags_.report(DiagId::BadNumber, r, {clip(src_.slice(r)), problem}).hint(hint);
      push(Tok::Number, begin, 0);  // keep the parser in step
      return;
    }
    std::string copy(text_.substr(begin, pos_ - begin));
    errno = 0;
    double v = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(v)) {
      SourceRange r{static_cast<uint32_t>(begin), pos32()};
      diags_.report(DiagId::BadNumber, r, {clip(copy), "it is too large for a double"});
      v = 0;
    }
    push(Tok::Number, begin, v);
  }

  void string() {
    std::size_t begin = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') ++pos_;
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      diags_.report(DiagId::UnterminatedString, SourceRange{static_cast<uint32_t>(begin), pos32()})
          .hint("close it with '\"' on the same line");
      push(Tok::String, begin);
      return;
    }
    ++pos_;
    push(Tok::String, begin);
  }

  /// A run of bytes that cannot start a token: one diagnostic for the whole run.
  void invalid() {
    std::size_t begin = pos_;
    std::string what;
    std::string hint;
    auto c = static_cast<unsigned char>(text_[pos_]);
    uint32_t cp = 0;
    std::size_t n = c >= 0x80 ? decode_utf8(text_, pos_, &cp) : 0;
    if (n > 0) {
      what = fmt::format("character U+{:04X} '{}'", cp, text_.substr(pos_, n));
      hint = "names, numbers and operators are plain ASCII; other characters may appear in # comments";
      // Look-alikes of the language's own tokens: the error says what to write, and the
      // token it stands for is read in its place, so that no follow-on errors appear.
      const struct {
        uint32_t cp;
        Tok tok;
        std::string_view text;
        const char* hint;
      } kLookAlikes[] = {
          {0x03C0, Tok::Ident, "pi", "write pi for the constant \xCF\x80"},
          {0x2212, Tok::Minus, "-", "write minus with the ASCII '-'"},
          {0x2013, Tok::Minus, "-", "write minus with the ASCII '-'"},
          {0x2032, Tok::Prime, "'", "write a derivative with the ASCII apostrophe, as in y'"},
          {0x00D7, Tok::Star, "*", "write multiplication with '*'"},
          {0x00B7, Tok::Star, "*", "write multiplication with '*'"},
      };
      for (const auto& l : kLookAlikes)
        if (cp == l.cp) {
          diags_.report(DiagId::InvalidChar, SourceRange{pos32(), static_cast<uint32_t>(pos_ + n)}, {what}).hint(l.hint);
          pos_ += n;
          // 2π reads as 2*pi, as a reader means it.
          if (l.tok == Tok::Ident && !out_.empty() &&
              (out_.back().kind == Tok::Number || out_.back().kind == Tok::RParen))
            out_.push_back(Token{Tok::Star, SourceRange{static_cast<uint32_t>(begin), static_cast<uint32_t>(begin)}, "*", 0});
          out_.push_back(Token{l.tok, SourceRange{static_cast<uint32_t>(begin), pos32()}, l.text, 0});
          return;
        }
      pos_ += n;
    } else if (c >= 0x80) {
      what = fmt::format("byte 0x{:02X} (not UTF-8 text)", c);
      hint = "is this a text file? pinnc reads UTF-8 (ASCII) source";
      ++pos_;
    } else if (c < 0x20 || c == 0x7F) {
      what = fmt::format("control byte 0x{:02X}", c);
      hint = "is this a text file? pinnc reads UTF-8 (ASCII) source";
      ++pos_;
    } else {
      what = fmt::format("character '{}'", static_cast<char>(c));
      if (c == '{' || c == '}') hint = "group with parentheses ( )";
      if (c == '&') hint = "write 'and' as &&";
      if (c == '|') hint = "write 'or' as ||";
      if (c == '!') hint = "write 'not equal' as !=, and 'not x' as not(x)";
      ++pos_;
    }
    // Swallow the rest of a run of bad bytes so binary input gives few diagnostics.
    while (pos_ < text_.size()) {
      auto d = static_cast<unsigned char>(text_[pos_]);
      if (d >= 0x80) {
        uint32_t cp2;
        std::size_t m = decode_utf8(text_, pos_, &cp2);
        pos_ += m > 0 ? m : 1;
      } else if ((d < 0x20 && d != '\n' && d != '\t' && d != '\r') || d == 0x7F) {
        ++pos_;
      } else {
        break;
      }
    }
    auto b = diags_.report(DiagId::InvalidChar, SourceRange{static_cast<uint32_t>(begin),
                                                            static_cast<uint32_t>(begin + 1)},
                           {what});
    if (!hint.empty()) b.hint(hint);
  }

  static std::string clip(std::string_view s) {
    if (s.size() <= 40) return std::string(s);
    return std::string(s.substr(0, 37)) + "...";
  }

  const SourceFile& src_;
  const std::string& text_;
  DiagnosticEngine& diags_;
  std::size_t pos_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(const SourceFile& src, DiagnosticEngine& diags) {
  return Lexer(src, diags).run();
}

std::string dump_tokens(const SourceFile& src, const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    LineCol lc = src.line_col(t.range.begin);
    out += fmt::format("{}:{} {}", lc.line, lc.col, tok_name(t.kind));
    if (t.kind == Tok::Number) {
      out += fmt::format(" {}", t.number);
    } else if (t.kind == Tok::Ident || t.kind == Tok::String) {
      out += fmt::format(" {}", t.text);
    }
    out += '\n';
  }
  return out;
}

}  // namespace pinnc
