// xpp_reader.cpp — XPPAUT .ode text -> ast::Program (see xpp_reader.h, docs/XPPAUT.md).
//
// Three steps: the file is cut into logical lines (comments dropped, `\` continuations
// joined) and each line into tokens of pinnc's own kinds (`**` is '^', `&` '&&', `|`
// '||', names lower-cased as XPPAUT ignores case); each line is classified by its first
// tokens (XPPAUT's keywords, which it recognises by their first letter, or an equation
// form) and its expressions are parsed by pinnc's own expression parser; then the model
// is assembled in pinnc's form: parameters first, the interval from @ total/t0, user
// functions and fixed variables (as functions of the unknowns they use), equations, and
// one initial condition per variable (0 when the file gives none, as in XPPAUT).
#include "xpp/xpp_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "frontend/parser.h"
#include "symbolic/ops.h"

namespace pinnc::xpp {

namespace {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtKind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// XPPAUT's statement keywords, recognised by their first letter as XPPAUT does (`p`,
/// `par`, `param`, `parameter` are one keyword); `full` for messages.
enum class Keyword { None, Par, Number, Init, Aux, Done, Unsupported };

struct KeywordInfo {
  Keyword kw;
  std::string_view full;
};

/// The keyword a first word names, if any. Only words that are a prefix of, or start
/// with, a keyword's name count (`parameter`, `init`, `i`), so that a misspelt equation
/// is not silently taken for a statement.
KeywordInfo keyword_of(std::string_view w) {
  static constexpr KeywordInfo kWords[] = {
      {Keyword::Par, "parameter"}, {Keyword::Par, "param"},   {Keyword::Number, "number"},
      {Keyword::Init, "initial"},  {Keyword::Aux, "auxiliary"}, {Keyword::Done, "done"},
      {Keyword::Unsupported, "wiener"}, {Keyword::Unsupported, "table"}, {Keyword::Unsupported, "global"},
      {Keyword::Unsupported, "markov"}, {Keyword::Unsupported, "bdry"},  {Keyword::Unsupported, "boundary"},
      {Keyword::Unsupported, "special"}, {Keyword::Unsupported, "set"},  {Keyword::Unsupported, "export"},
      {Keyword::Unsupported, "options"}, {Keyword::Unsupported, "volterra"},
  };
  for (const KeywordInfo& k : kWords) {
    bool prefix = w.size() <= k.full.size() && k.full.substr(0, w.size()) == w;
    bool longer = w.size() > k.full.size() && w.substr(0, k.full.size()) == k.full;
    // One letter (p, i, a, n, d, w, t, g, m, b, s, e, o) or at least three of the word.
    if ((prefix && (w.size() == 1 || w.size() >= 3)) || longer) return k;
  }
  return {Keyword::None, {}};
}

/// XPPAUT functions pinnc has under another name, and XPPAUT functions pinnc cannot
/// solve with (stochastic, delayed, special functions, lookups).
std::string_view builtin_rename(std::string_view name) {
  if (name == "flr") return "floor";
  if (name == "ln") return "log";
  return name;
}
bool unsupported_function(std::string_view name) {
  static constexpr std::string_view kNames[] = {"delay", "delshft", "del_shft", "shift", "ran", "normal",
                                                "besselj", "bessely", "besseli", "besselk", "besselis",
                                                "besselks", "lgamma", "hom_bcs", "sum", "ndif", "int"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

/// Names pinnc reserves: its keywords (the lexer's list), the op table's functions, and
/// sema's `mod` and `pi`. A file that uses one for its own variable or parameter gets it
/// renamed (with a note), never misread.
bool reserved_in_pinnc(std::string_view name) {
  return keyword(name, nullptr) || sym::function_op(name) || name == "mod" || name == "pi";
}

/// One logical line: its tokens (ending in Eof) and the range of the whole line.
struct Line {
  std::vector<Token> toks;
  SourceRange range;
};

class Reader {
 public:
  Reader(const SourceFile& src, DiagnosticEngine& diags) : text_(src.text()), diags_(diags) {}

  Reading run() {
    std::size_t pos = 0;
    std::optional<Range> block;   // inside %[lo..hi] ... %
    std::vector<Line> block_lines;
    while (pos < text_.size() && !diags_.stopped() && !done_) {
      Line line;
      pos = next_line(pos, &line);
      if (line.toks.size() <= 1) continue;
      const std::vector<Token>& t = line.toks;
      if (t[0].kind == Tok::String && t[0].text == "%") {  // a block's start or end
        if (!block && t[1].kind == Tok::LBracket) {
          std::size_t after = 0;
          block = range_at(t, 1, &after);
          if (block && t[after].kind != Tok::Eof) malformed(t[after].range, "a %[lo..hi] line holds nothing else");
          if (!block) block = Range{1, 0, line.range};  // reported; the block's lines are skipped
          continue;
        }
        if (block && t[1].kind == Tok::Eof) {
          for (const Line& l : block_lines) expand_all(l, *block, false);
          block.reset();
          block_lines.clear();
          continue;
        }
        malformed(t[0].range, block ? "a %[lo..hi] block ends with a line holding only %" : "a block starts %[lo..hi]");
        continue;
      }
      if (block) {
        block_lines.push_back(std::move(line));
        continue;
      }
      read_line(line);
    }
    if (block) malformed(block->where, "this %[lo..hi] block has no closing % line");
    assemble();
    return std::move(out_);
  }

 private:
  /// An index range [lo..hi] of an XPPAUT array, and where it is written.
  struct Range {
    int lo = 0, hi = -1;
    SourceRange where;
  };
  /// At most this many lines made from array lines in one file, checked before expanding
  /// (a 30-byte line could otherwise make 10^6 equations).
  static constexpr int kMaxArray = 1000;

  /// A line outside a block: an array line (a name carrying [lo..hi]) becomes one line per
  /// index, as XPPAUT expands it; any other line is read as it is.
  void read_line(const Line& line) {
    const std::vector<Token>& t = line.toks;
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
      if (t[i].kind != Tok::Ident || t[i + 1].kind != Tok::LBracket || !is_range(t, i + 1)) continue;
      std::size_t after = 0;
      std::optional<Range> r = range_at(t, i + 1, &after);
      if (!r) return;
      expand_all(line, *r, true);
      return;
    }
    statement(line);
    first_line_ = false;
  }

  /// True when t[b] starts `[ NUMBER .. NUMBER ]`.
  static bool is_range(const std::vector<Token>& t, std::size_t b) {
    return b + 4 < t.size() && t[b].kind == Tok::LBracket && t[b + 1].kind == Tok::Number && t[b + 2].text == ".." &&
           t[b + 3].kind == Tok::Number && t[b + 4].kind == Tok::RBracket;
  }

  /// The range `[lo..hi]` at t[b] (integers, lo <= hi); `after` is the
  /// index after its ']'. Reports and returns nullopt when it is not one.
  std::optional<Range> range_at(const std::vector<Token>& t, std::size_t b, std::size_t* after) {
    if (!is_range(t, b)) {
      malformed(t[b].range, "an array range is written [lo..hi] with integers, as in x[1..10]");
      return std::nullopt;
    }
    const double lo = t[b + 1].number, hi = t[b + 3].number;
    SourceRange where = join(t[b].range, t[b + 4].range);
    *after = b + 5;
    if (lo != std::floor(lo) || hi != std::floor(hi) || lo > hi || lo < -1e6 || hi > 1e6) {
      malformed(where, "an array range needs integers lo <= hi");
      return std::nullopt;
    }
    return Range{int(lo), int(hi), where};
  }

  /// Line `line` for index j: the declared `NAME[lo..hi]` (when `declared`) and every
  /// `NAME[expr]` become the name NAMEk, k the value of expr at j, and `[expr]` alone the
  /// number k (XPPAUT substitutes the text; a bare j is not substituted).
  /// The line once per index of `r` (`declared`: the line carries r itself). After an
  /// error the line is not expanded further (one error, not one per index), and its first
  /// name at every index counts as a variable whose equation had an error.
  void expand_all(const Line& line, const Range& r, bool declared) {
    expanded_lines_ += r.hi - r.lo + 1;
    if (expanded_lines_ > kMaxArray) {
      if (!array_limit_reported_)
        malformed(r.where, fmt::format("the file's arrays make more than {} lines; pinnc expands at most {}", kMaxArray, kMaxArray),
                  "pinnc trains systems of up to a few hundred unknowns in reasonable time; write fewer elements");
      array_limit_reported_ = true;
      return;
    }
    for (int j = r.lo; j <= r.hi && !diags_.stopped(); ++j) {
      if (expanded(line, j, declared)) continue;
      if (line.toks[0].kind == Tok::Ident)
        for (int k = r.lo; k <= r.hi; ++k) failed_vars_.insert(std::string(line.toks[0].text) + std::to_string(k));
      return;
    }
  }

  /// False (after reporting) when an index cannot be read.
  bool expanded(const Line& line, int j, bool declared) {
    const std::vector<Token>& t = line.toks;
    Line out;
    out.range = line.range;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i].kind == Tok::Ident && i + 1 < t.size() && t[i + 1].kind == Tok::LBracket) {
        std::size_t close = i + 1;
        while (close < t.size() && t[close].kind != Tok::RBracket && t[close].kind != Tok::Eof) ++close;
        if (t[close].kind != Tok::RBracket) {
          malformed(t[i + 1].range, "this '[' is not closed on its line");
          return false;
        }
        SourceRange r = join(t[i].range, t[close].range);
        std::optional<long> k;
        if (declared && is_range(t, i + 1)) {
          k = j;
        } else {
          k = index_value(t, i + 2, close, j);
          if (!k) return false;
        }
        const std::string& name = names_.emplace_back(std::string(t[i].text) + std::to_string(*k));
        out.toks.push_back(Token{Tok::Ident, r, name, 0});
        i = close;
        continue;
      }
      if (t[i].kind == Tok::LBracket) {  // [expr] alone: the number
        std::size_t close = i;
        while (close < t.size() && t[close].kind != Tok::RBracket && t[close].kind != Tok::Eof) ++close;
        if (t[close].kind != Tok::RBracket) {
          malformed(t[i].range, "this '[' is not closed on its line");
          return false;
        }
        std::optional<long> k = index_value(t, i + 1, close, j);
        if (!k) return false;
        const std::string& text = names_.emplace_back(std::to_string(*k));
        out.toks.push_back(Token{Tok::Number, join(t[i].range, t[close].range), text, double(*k)});
        i = close;
        continue;
      }
      out.toks.push_back(t[i]);
    }
    statement(out);
    first_line_ = false;
    return true;
  }

  /// The value of the index expression toks[b, e) at j. Only j, j+n, j-n and n are
  /// read: XPPAUT's own reading of other forms differs from their arithmetic (it expands
  /// x[2*j] to x2 for every j), so they are refused rather than read differently.
  std::optional<long> index_value(const std::vector<Token>& toks, std::size_t b, std::size_t e, int j) {
    if (b >= e) {
      malformed(toks[std::min(b, toks.size() - 1)].range, "an array index is missing", "write x[j], x[j+1], x[2*j]");
      return std::nullopt;
    }
    std::vector<Token> slice(toks.begin() + std::ptrdiff_t(b), toks.begin() + std::ptrdiff_t(e));
    SourceRange end{toks[e - 1].range.end, toks[e - 1].range.end};
    slice.push_back(Token{Tok::Eof, end, {}, 0});
    for (const Token& t : slice)
      if (t.kind == Tok::String) {
        malformed(t.range, "an array index is an integer expression in j", "write x[j], x[j+1], x[2*j]");
        return std::nullopt;
      }
    ExprPtr x = parse_expression(slice, diags_);
    if (!x) return std::nullopt;
    auto is_j = [](const Expr& n) { return n.kind == ExprKind::Name && n.name == "j" && n.primes == 0; };
    auto is_int = [](const Expr& n) { return n.kind == ExprKind::Number && n.number == std::floor(n.number) && n.number < 1e6; };
    std::optional<double> v;
    if (is_j(*x)) v = j;
    if (is_int(*x)) v = x->number;
    if (x->kind == ExprKind::Binary && (x->op == '+' || x->op == '-') && is_j(*x->args[0]) && is_int(*x->args[1]))
      v = x->op == '+' ? j + x->args[1]->number : j - x->args[1]->number;
    if (!v) {
      unsupported(x->range, "this array index (pinnc reads j, j+n, j-n and n)", "write the elements out one by one");
      return std::nullopt;
    }
    return long(*v);
  }

  struct Var {
    std::string name;
    SourceRange range, lhs_range, stmt_range;
    ExprPtr rhs;
  };
  struct Init {
    std::string name;
    SourceRange range;
    ExprPtr value;
  };
  struct Fixed {  // also parameters, derived parameters and aux quantities
    Token name_tok;
    ExprPtr body;
    SourceRange range;
  };
  struct Fn {
    Token name_tok;
    std::vector<Token> args;
    ExprPtr body;
    SourceRange range;
  };
  enum class Def { Function, Fixed };
  struct Order {
    Def def;
    std::size_t index;
  };

  // ---- lines and tokens ---------------------------------------------------------------

  /// Reads the logical line starting at `pos` (continuations joined), returns where the
  /// next one starts. Comment lines (# or ") give no tokens.
  std::size_t next_line(std::size_t pos, Line* line) {
    std::size_t p = pos;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
    bool comment = p < text_.size() && (text_[p] == '#' || text_[p] == '"');
    line->range.begin = static_cast<uint32_t>(p);
    while (p < text_.size() && text_[p] != '\n') {
      char c = text_[p];
      if (comment || c == '#') {  // # to the end of the line is a comment
        comment = true;
        ++p;
        continue;
      }
      if (c == '\\') {  // a continuation: the line goes on after the newline
        std::size_t q = p + 1;
        while (q < text_.size() && (text_[q] == ' ' || text_[q] == '\t' || text_[q] == '\r')) ++q;
        if (q < text_.size() && text_[q] == '\n') {
          p = q + 1;
          continue;
        }
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p;
        continue;
      }
      p = token(p, &line->toks);
    }
    line->range.end = static_cast<uint32_t>(p);
    uint32_t end = static_cast<uint32_t>(p);
    line->toks.push_back(Token{Tok::Eof, SourceRange{end, end}, {}, 0});
    return p < text_.size() ? p + 1 : p;
  }

  /// One token at `p`; returns the position after it.
  std::size_t token(std::size_t p, std::vector<Token>* toks) {
    std::size_t begin = p;
    auto push = [&](Tok kind, std::size_t len, std::string_view spelling = {}) {
      SourceRange r{static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + len)};
      toks->push_back(Token{kind, r, spelling.empty() ? std::string_view(text_).substr(begin, len) : spelling, 0});
      return begin + len;
    };
    auto next_is = [&](char c) { return p + 1 < text_.size() && text_[p + 1] == c; };
    char c = text_[p];
    switch (c) {
      case '\'': return push(Tok::Prime, 1);
      case '(': return push(Tok::LParen, 1);
      case ')': return push(Tok::RParen, 1);
      case '[': return push(Tok::LBracket, 1);
      case ']': return push(Tok::RBracket, 1);
      case ',': return push(Tok::Comma, 1);
      case '+': return push(Tok::Plus, 1);
      case '-': return push(Tok::Minus, 1);
      case '*': return next_is('*') ? push(Tok::Caret, 2, "^") : push(Tok::Star, 1);
      case '/': return push(Tok::Slash, 1);
      case '^': return push(Tok::Caret, 1);
      case '=': return next_is('=') ? push(Tok::EqEq, 2) : push(Tok::Equals, 1);
      case '<': return next_is('=') ? push(Tok::LessEq, 2) : push(Tok::Less, 1);
      case '>': return next_is('=') ? push(Tok::GreaterEq, 2) : push(Tok::Greater, 1);
      case '!': return next_is('=') ? push(Tok::NotEq, 2) : push(Tok::Question, 1, "!");  // ! starts a derived parameter
      case '&': return push(Tok::AndAnd, next_is('&') ? 2 : 1, "&&");
      case '|': return push(Tok::OrOr, next_is('|') ? 2 : 1, "||");
      case '@': return push(Tok::Colon, 1, "@");  // only as a line's first token
      case '.':
        if (next_is('.')) return push(Tok::String, 2);  // the '..' of an array range [1..10]
        break;
      case '%': case '{': case '}': case ';': case '$': case '~':
        return push(Tok::String, 1);  // refused where it stands (the line's construct is named)
      default: break;
    }
    if (is_digit(c) || (c == '.' && p + 1 < text_.size() && is_digit(text_[p + 1]))) {
      // Digits with at most one '.', which must not start '..' (x[1..3] ranges).
      bool dot = false;
      while (p < text_.size() && (is_digit(text_[p]) || (text_[p] == '.' && !dot && !(p + 1 < text_.size() && text_[p + 1] == '.')))) {
        dot = dot || text_[p] == '.';
        ++p;
      }
      if (p < text_.size() && (text_[p] == 'e' || text_[p] == 'E')) {
        std::size_t q = p + 1;
        if (q < text_.size() && (text_[q] == '+' || text_[q] == '-')) ++q;
        if (q < text_.size() && is_digit(text_[q])) {
          p = q;
          while (p < text_.size() && is_digit(text_[p])) ++p;
        }
      }
      std::string copy(text_.substr(begin, p - begin));
      char* end = nullptr;
      double v = std::strtod(copy.c_str(), &end);
      SourceRange r{static_cast<uint32_t>(begin), static_cast<uint32_t>(p)};
      if (end != copy.c_str() + copy.size() || !std::isfinite(v) ||
          (p < text_.size() && is_ident_start(text_[p]))) {
        diags_.report(DiagId::BadNumber, r, {copy, "XPPAUT reads a number as digits, '.', and an exponent"});
        v = 0;
      }
      toks->push_back(Token{Tok::Number, r, std::string_view(text_).substr(begin, p - begin), v});
      return p;
    }
    if (is_ident_start(c)) {
      while (p < text_.size() && is_ident_char(text_[p])) ++p;
      std::string name;
      for (std::size_t i = begin; i < p; ++i) name += lower(text_[i]);
      const std::string& kept = names_.emplace_back(name);
      toks->push_back(Token{Tok::Ident, SourceRange{static_cast<uint32_t>(begin), static_cast<uint32_t>(p)}, kept, 0});
      return p;
    }
    // Anything else is kept as a one-byte String token: a line whose construct is refused
    // anyway (options file.opt) reports only that; inside an expression it is an error.
    return push(Tok::String, 1);
  }

  // ---- statements ---------------------------------------------------------------------

  void unsupported(SourceRange r, std::string what, std::string hint = {}) {
    auto d = diags_.report(DiagId::XppUnsupported, r, {std::move(what)});
    if (!hint.empty()) d.hint(std::move(hint));
  }
  void malformed(SourceRange r, std::string what, std::string hint = {}) {
    auto d = diags_.report(DiagId::XppSyntax, r, {std::move(what)});
    if (!hint.empty()) d.hint(std::move(hint));
  }

  /// A byte no XPPAUT token starts with (kept as a one-byte String token).
  void bad_char(const Token& t) {
    auto c = static_cast<unsigned char>(t.text[0]);
    diags_.report(DiagId::InvalidChar, t.range,
                  {c < 0x80 && c >= 0x20 ? fmt::format("character '{}'", t.text) : fmt::format("byte 0x{:02X}", c)})
        .hint("XPPAUT expressions hold names, numbers, ( ) and + - * / ^ ** < > <= >= == != & |");
  }

  /// Parses toks[b, e) as one expression with pinnc's parser; null after an error.
  ExprPtr expression(const std::vector<Token>& toks, std::size_t b, std::size_t e) {
    if (b >= e) {
      malformed(toks[std::min(b, toks.size() - 1)].range, "a value is missing here");
      return nullptr;
    }
    std::vector<Token> slice;
    if (!rewrite_if(toks, b, e, &slice)) return nullptr;
    SourceRange end{toks[e - 1].range.end, toks[e - 1].range.end};
    slice.push_back(Token{Tok::Eof, end, {}, 0});
    for (const Token& t : slice) {
      if (t.kind == Tok::String && (t.text == "{" || t.text == "}")) {
        unsupported(t.range, "integrals int{...} (Volterra equations)", "pinnc solves differential equations only");
        return nullptr;
      }
      if (t.kind == Tok::String) {
        bad_char(t);
        return nullptr;
      }
      if (t.kind == Tok::Question || t.kind == Tok::Colon || t.kind == Tok::Prime || t.kind == Tok::Equals) {
        malformed(t.range, fmt::format("'{}' cannot appear inside an expression", t.text));
        return nullptr;
      }
      if (t.kind == Tok::LBracket) {
        malformed(t.range, "an array element x[...] outside an array line or %[lo..hi] block",
                  "declare the range on the line, as in x[1..10]'=-x[j]");
        return nullptr;
      }
    }
    ExprPtr x = parse_expression(slice, diags_);
    if (x && !check_calls(*x)) return nullptr;
    return x;
  }

  /// XPPAUT's `if(c)then(a)else(b)` becomes the call if(c, a, b): the two `)then(` and
  /// `)else(` become commas. Other tokens are copied.
  bool rewrite_if(const std::vector<Token>& toks, std::size_t b, std::size_t e, std::vector<Token>* out) {
    // The matching ')' of the '(' at i, or e if there is none.
    auto close_of = [&](std::size_t i) {
      int depth = 0;
      for (std::size_t k = i; k < e; ++k) {
        if (toks[k].kind == Tok::LParen) ++depth;
        if (toks[k].kind == Tok::RParen && --depth == 0) return k;
      }
      return e;
    };
    std::vector<std::size_t> comma_at;  // indices of ')' to turn into ", " (with the next two tokens dropped)
    for (std::size_t i = b; i + 1 < e; ++i) {
      if (toks[i].kind != Tok::Ident || toks[i].text != "if" || toks[i + 1].kind != Tok::LParen) continue;
      std::size_t c1 = close_of(i + 1);
      if (c1 + 2 < e && toks[c1 + 1].kind == Tok::Ident && toks[c1 + 1].text == "then" &&
          toks[c1 + 2].kind == Tok::LParen) {
        std::size_t c2 = close_of(c1 + 2);
        if (c2 + 2 < e && toks[c2 + 1].kind == Tok::Ident && toks[c2 + 1].text == "else" &&
            toks[c2 + 2].kind == Tok::LParen) {
          comma_at.push_back(c1);
          comma_at.push_back(c2);
          continue;
        }
      }
      malformed(toks[i].range, "an XPPAUT conditional is written if(condition)then(value)else(value)");
      return false;
    }
    for (std::size_t i = b; i < e; ++i) {
      if (std::find(comma_at.begin(), comma_at.end(), i) != comma_at.end()) {
        out->push_back(Token{Tok::Comma, join(toks[i].range, toks[i + 2].range), ",", 0});
        i += 2;
        continue;
      }
      out->push_back(toks[i]);
    }
    return true;
  }

  /// Refuses XPPAUT functions pinnc has no equivalent of; renames flr and ln.
  bool check_calls(Expr& x) {
    bool ok = true;
    std::function<void(Expr&)> walk = [&](Expr& e) {
      if (e.kind == ExprKind::Call) {
        if (unsupported_function(e.name)) {
          unsupported(e.name_range, fmt::format("XPPAUT's function '{}'", e.name),
                      "delays, random numbers, sums and special functions have no pinnc equivalent");
          ok = false;
        }
        e.name = std::string(builtin_rename(e.name));
      }
      for (auto& a : e.args) walk(*a);
    };
    walk(x);
    return ok;
  }

  void statement(const Line& line) {
    const std::vector<Token>& t = line.toks;
    const std::size_t end = t.size() - 1;  // the Eof
    if (t[0].kind == Tok::Colon) return options(t, 1, end);
    if (t[0].kind == Tok::Question) return derived_param(t, end);
    if (t[0].kind == Tok::Number && t[1].kind == Tok::Eof && first_line_)
      return unsupported(line.range, "the old numeric XPPAUT format (a count of equations on the first line)",
                         "write the model in XPPAUT's current format: x'=..., par, init");
    if (t[0].kind == Tok::Number && t.size() > 2 && t[1].kind == Tok::Equals)
      return unsupported(line.range, "algebraic equations (0=...)", "pinnc solves differential equations only");
    if (t[0].kind == Tok::String && t[0].text == "{")
      return unsupported(line.range, "Markov transition tables ({...} lines)");
    if (t[0].kind == Tok::String) return bad_char(t[0]);
    if (t[0].kind != Tok::Ident)
      return malformed(t[0].range, fmt::format("a line cannot start with '{}'", t[0].text),
                       "XPPAUT lines start with a keyword (par, init, aux, ...) or a name");
    const std::string_view w = t[0].text;
    // dx/dt = rhs
    if (w.size() > 1 && w[0] == 'd' && t[1].kind == Tok::Slash && t[2].kind == Tok::Ident && t[2].text == "dt" &&
        t[3].kind == Tok::Equals)
      return ode(t, w.substr(1), t[0].range, join(t[0].range, t[2].range), 4, end);
    switch (t[1].kind) {
      case Tok::Prime:
        if (t[2].kind == Tok::Equals) return ode(t, w, t[0].range, join(t[0].range, t[1].range), 3, end);
        return malformed(t[1].range, "XPPAUT equations are first order: x'=...",
                         "write a second-order equation as two first-order ones");
      case Tok::LParen: return call_form(line, end);
      case Tok::LBracket: return malformed(t[1].range, "an array line declares its range, as in x[1..10]'=...");
      case Tok::Equals: return fixed(t, end);
      default: break;
    }
    KeywordInfo k = keyword_of(w);
    switch (k.kw) {
      case Keyword::Par: return items(t, 1, end, Items::Par);
      case Keyword::Number: return items(t, 1, end, Items::Par);
      case Keyword::Init: return items(t, 1, end, Items::Init);
      case Keyword::Aux: return aux(t, end);
      case Keyword::Done: done_ = true; return;
      case Keyword::Unsupported:
        return unsupported(t[0].range, fmt::format("XPPAUT's '{}' statement", k.full),
                           "pinnc reads equations, parameters, initial values, functions, aux and @ options");
      case Keyword::None: break;
    }
    malformed(t[0].range, fmt::format("'{}' is neither an XPPAUT keyword nor followed by ' = ( or /dt", t[0].text),
              "XPPAUT lines look like x'=..., dx/dt=..., x(0)=1, par a=1, init x=1, aux e=..., name=formula");
  }

  /// A name as written in the file becomes the name used in the pinnc program.
  std::string declare_name(const Token& t) {
    std::string n(t.text);
    if (reserved_in_pinnc(n)) {
      std::string renamed = n + "_";
      if (!renamed_.count(n))
        out_.notes.push_back(fmt::format("'{}' is renamed '{}' (pinnc reserves the name)", n, renamed));
      renamed_[n] = renamed;
      return renamed;
    }
    return n;
  }

  /// The name a file's name has in the pinnc program (itself unless renamed).
  std::string pinnc_name(const std::string& n) const {
    auto it = renamed_.find(n);
    return it == renamed_.end() ? n : it->second;
  }

  // x' = rhs  |  dx/dt = rhs
  void ode(const std::vector<Token>& t, std::string_view name, SourceRange name_tok, SourceRange lhs_range,
           std::size_t b, std::size_t e) {
    ExprPtr rhs = expression(t, b, e);
    if (!rhs) {  // reported; its initial value is not an error of its own
      failed_vars_.insert(std::string(name));
      return;
    }
    Var v;
    v.name = std::string(name);
    v.range = name_tok;
    v.lhs_range = lhs_range;
    v.rhs = std::move(rhs);
    v.stmt_range = join(lhs_range, t[e - 1].range);
    if (find_var(v.name)) return malformed(lhs_range, fmt::format("'{}' has a second equation", v.name));
    vars_.push_back(std::move(v));
  }

  Var* find_var(const std::string& name) {
    for (Var& v : vars_)
      if (v.name == name) return &v;
    return nullptr;
  }

  // x(0) = v  |  f(a, b) = body  |  x(t) = ..., x(t+1) = ... (refused)
  void call_form(const Line& line, std::size_t end) {
    const std::vector<Token>& t = line.toks;
    std::size_t close = 2;
    int depth = 1;
    for (; close < end; ++close) {
      if (t[close].kind == Tok::LParen) ++depth;
      if (t[close].kind == Tok::RParen && --depth == 0) break;
    }
    if (close >= end || t[close + 1].kind != Tok::Equals)
      return malformed(t[0].range, fmt::format("'{}(...)' must be followed by '='", t[0].text),
                       "x(0)=1 is an initial value, f(x,y)=... a function");
    SourceRange args_range = join(t[1].range, t[close].range);
    if (close == 3 && t[2].kind == Tok::Number && t[2].number == 0) {
      Init in;
      in.name = std::string(t[0].text);
      in.range = join(t[0].range, t[end - 1].range);
      in.value = expression(t, close + 2, end);
      if (in.value) inits_.push_back(std::move(in));
      return;
    }
    // f(a, b, ...) = body: plain names, t among them or not, as XPPAUT reads it (is(t)=...
    // is a function of t; x(t)=...+int{...} is a Volterra equation, refused with its int{}).
    bool plain = true, has_t = false;
    for (std::size_t i = 2; i < close; i += 2) {
      plain = plain && t[i].kind == Tok::Ident && (t[i + 1].kind == Tok::Comma || i + 1 == close);
      has_t = has_t || (t[i].kind == Tok::Ident && t[i].text == "t");
    }
    for (std::size_t i = 2; i < close; ++i) has_t = has_t || (t[i].kind == Tok::Ident && t[i].text == "t");
    if (!plain && has_t)
      return unsupported(line.range, "maps and shifted arguments (x(t+1)=...)", "pinnc solves differential equations only");
    if (!plain)
      return malformed(args_range, "a function's arguments are plain names: f(x,y)=...", "an initial value is written x(0)=1");
    Fn f;
    f.name_tok = t[0];
    f.range = line.range;
    for (std::size_t i = 2; i < close; i += 2) f.args.push_back(t[i]);
    if (f.args.empty()) return malformed(args_range, "a function needs at least one argument");
    if (f.args.size() > 9)
      return malformed(args_range, "XPPAUT functions take at most 9 arguments");
    f.body = expression(t, close + 2, end);
    if (!f.body) return;
    order_.push_back({Def::Function, fns_.size()});
    fns_.push_back(std::move(f));
  }

  // name = formula (a fixed variable)
  void fixed(const std::vector<Token>& t, std::size_t end) {
    Fixed f;
    f.name_tok = t[0];
    f.body = expression(t, 2, end);
    f.range = join(t[0].range, t[end - 1].range);
    if (!f.body) return;
    order_.push_back({Def::Fixed, fixeds_.size()});
    fixeds_.push_back(std::move(f));
  }

  // ! name = formula (a derived parameter)
  void derived_param(const std::vector<Token>& t, std::size_t end) {
    if (t[1].kind != Tok::Ident || t[2].kind != Tok::Equals)
      return malformed(t[0].range, "a derived parameter is written !name=formula");
    Fixed f;
    f.name_tok = t[1];
    f.body = expression(t, 3, end);
    f.range = join(t[0].range, t[end - 1].range);
    if (!f.body) return;
    derived_.push_back(std::move(f));
  }

  // aux name = formula
  void aux(const std::vector<Token>& t, std::size_t end) {
    if (t[1].kind != Tok::Ident || t[2].kind != Tok::Equals)
      return malformed(t[0].range, "an auxiliary quantity is written aux name=formula");
    Fixed a;
    a.name_tok = t[1];
    a.body = expression(t, 3, end);
    a.range = join(t[0].range, t[end - 1].range);
    if (a.body) auxes_.push_back(std::move(a));
  }

  enum class Items { Par, Init };

  // par a=1, b=2 c=3 | init x=1 y=2: items separated by commas or spaces; a value runs to
  // the next comma or to the next `name =`.
  void items(const std::vector<Token>& t, std::size_t b, std::size_t end, Items kind) {
    if (b >= end) return malformed(t[0].range, fmt::format("'{}' lists nothing", t[0].text), "write par a=1, b=2");
    std::size_t i = b;
    while (i < end) {
      if (t[i].kind == Tok::Comma) {
        ++i;
        continue;
      }
      if (t[i].kind != Tok::Ident || t[i + 1].kind != Tok::Equals) {
        if (t[i].kind == Tok::Ident && t[i + 1].kind == Tok::LBracket)
          return malformed(t[i + 1].range, "an array element x[...] outside an array line or %[lo..hi] block",
                           "declare the range on the line, as in init x[1..10]=0");
        return malformed(t[i].range, "expected name=value here", "write par a=1, b=2 or init x=1 y=2");
      }
      std::size_t v = i + 2, j = v;
      int depth = 0;
      for (; j < end; ++j) {
        if (t[j].kind == Tok::LParen) ++depth;
        if (t[j].kind == Tok::RParen) --depth;
        if (depth == 0 && t[j].kind == Tok::Comma) break;
        if (depth == 0 && j > v && t[j].kind == Tok::Ident && t[j + 1].kind == Tok::Equals &&
            t[j - 1].kind != Tok::Plus && t[j - 1].kind != Tok::Minus && t[j - 1].kind != Tok::Star &&
            t[j - 1].kind != Tok::Slash && t[j - 1].kind != Tok::Caret && t[j - 1].kind != Tok::LParen)
          break;
      }
      ExprPtr value = expression(t, v, j);
      if (value) {
        if (kind == Items::Par) {
          Fixed p;
          p.name_tok = t[i];
          p.body = std::move(value);
          p.range = join(t[i].range, t[j - 1].range);
          pars_.push_back(std::move(p));
        } else {
          Init in;
          in.name = std::string(t[i].text);
          in.range = join(t[i].range, t[j - 1].range);
          in.value = std::move(value);
          inits_.push_back(std::move(in));
        }
      }
      i = j;
    }
  }

  // @ total=20, t0=0, dt=.05, meth=cvode, ...
  void options(const std::vector<Token>& t, std::size_t b, std::size_t end) {
    std::size_t i = b;
    while (i < end) {
      if (t[i].kind == Tok::Comma) {
        ++i;
        continue;
      }
      if (t[i].kind != Tok::Ident || t[i + 1].kind != Tok::Equals)
        return malformed(t[i].range, "expected option=value here", "write @ total=20, dt=0.05");
      std::string key(t[i].text);
      std::size_t j = i + 2;
      std::string value;
      while (j < end && t[j].kind != Tok::Comma && !(t[j].kind == Tok::Ident && t[j + 1].kind == Tok::Equals)) {
        value += t[j].text;
        ++j;
      }
      if (j == i + 2) return malformed(t[i + 1].range, fmt::format("option '{}' has no value", key));
      if ((key == "meth" || key == "method") && (value == "discrete" || value == "d"))
        return unsupported(join(t[i].range, t[j - 1].range), "maps (@ meth=discrete)",
                           "pinnc solves differential equations only");
      if (key == "total" || key == "t0") {
        char* stop = nullptr;
        double v = std::strtod(value.c_str(), &stop);
        if (stop != value.c_str() + value.size() || !std::isfinite(v))
          return malformed(join(t[i].range, t[j - 1].range), fmt::format("option '{}' needs a number", key));
        (key == "total" ? total_ : t0_) = v;
        (key == "total" ? total_range_ : t0_range_) = join(t[i].range, t[j - 1].range);
      } else {
        other_options_.push_back(key + "=" + value);
      }
      i = j;
    }
  }

  // ---- assembling the pinnc program ---------------------------------------------------

  static ExprPtr number(double v, SourceRange r) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::Number;
    e->number = v;
    e->text = fmt::format("{}", v);
    e->range = r;
    return e;
  }
  static ExprPtr name(std::string n, SourceRange r, int primes = 0) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::Name;
    e->name = std::move(n);
    e->range = e->name_range = r;
    e->primes = primes;
    return e;
  }

  /// Rewrites names in an expression: renamed names, and fixed variables as calls of
  /// their functions with their dependencies as arguments.
  void resolve(Expr& e) {
    for (auto& a : e.args) resolve(*a);
    if (e.kind != ExprKind::Name && e.kind != ExprKind::Call) return;
    e.name = pinnc_name(e.name);
    if (e.kind != ExprKind::Name) return;
    auto f = fixed_deps_.find(e.name);
    if (f == fixed_deps_.end() || f->second.empty()) return;
    e.kind = ExprKind::Call;
    for (const std::string& d : f->second) e.args.push_back(name(d, e.range));
  }

  /// The variables (in declaration order) and t that an expression depends on, through
  /// fixed variables defined before it.
  std::vector<std::string> dependencies(const Expr& body) {
    std::set<std::string> used;
    std::function<void(const Expr&)> walk = [&](const Expr& e) {
      if (e.kind == ExprKind::Name) {
        std::string n = pinnc_name(e.name);
        used.insert(n);
        if (auto f = fixed_deps_.find(n); f != fixed_deps_.end()) used.insert(f->second.begin(), f->second.end());
      }
      for (const auto& a : e.args) walk(*a);
    };
    walk(body);
    std::vector<std::string> out;
    for (const Var& v : vars_)
      if (used.count(v.name)) out.push_back(v.name);
    if (used.count("t")) out.push_back("t");
    return out;
  }

  void assemble() {
    ast::Program& prog = out_.program;
    // Names: variables, parameters, fixed variables and functions, renamed where pinnc
    // reserves them (a user function named like a built-in one is then the user's).
    for (Var& v : vars_) v.name = declare_name(Token{Tok::Ident, v.range, v.name, 0});
    auto param = [&](Fixed& p) {
      std::string n = declare_name(p.name_tok);
      resolve(*p.body);
      Stmt s;
      s.kind = StmtKind::Param;
      s.name = n;
      s.name_range = p.name_tok.range;
      s.range = p.range;
      s.rhs = std::move(p.body);
      prog.stmts.push_back(std::move(s));
    };
    for (Fixed& p : pars_) param(p);
    for (Fixed& p : derived_) param(p);
    for (Fixed& f : fixeds_) declare_name(f.name_tok);
    for (Fn& f : fns_) declare_name(f.name_tok);

    // The interval.
    {
      Stmt s;
      s.kind = StmtKind::Interval;
      s.name = "t";
      SourceRange r = total_range_.end ? total_range_ : t0_range_;
      s.range = s.name_range = r;
      s.lo = number(t0_, t0_range_);
      s.hi = number(t0_ + total_, total_range_);
      prog.stmts.push_back(std::move(s));
      if (!total_range_.end)
        out_.notes.push_back(fmt::format("no @ total: the interval is XPPAUT's default [{}, {}]", t0_, t0_ + total_));
    }

    // Functions and fixed variables in file order (a body may use those before it).
    for (const Order& o : order_) {
      if (o.def == Def::Function) {
        Fn& f = fns_[o.index];
        resolve(*f.body);
        Stmt s;
        s.kind = StmtKind::Equation;
        s.range = f.range;
        auto lhs = name(std::string(f.name_tok.text), f.name_tok.range);
        lhs->kind = ExprKind::Call;
        lhs->name = pinnc_name(lhs->name);
        for (const Token& a : f.args) lhs->args.push_back(name(std::string(a.text), a.range));
        s.lhs = std::move(lhs);
        s.rhs = std::move(f.body);
        prog.stmts.push_back(std::move(s));
        continue;
      }
      Fixed& f = fixeds_[o.index];
      std::string n = pinnc_name(std::string(f.name_tok.text));
      std::vector<std::string> deps = dependencies(*f.body);  // the variables (and t) it uses
      resolve(*f.body);
      Stmt s;
      s.range = f.range;
      if (deps.empty()) {  // a constant: a parameter
        s.kind = StmtKind::Param;
        s.name = n;
        s.name_range = f.name_tok.range;
        s.rhs = std::move(f.body);
      } else {
        s.kind = StmtKind::Equation;
        auto lhs = name(n, f.name_tok.range);
        lhs->kind = ExprKind::Call;
        for (const std::string& d : deps) lhs->args.push_back(name(d, f.name_tok.range));
        s.lhs = std::move(lhs);
        s.rhs = std::move(f.body);
      }
      prog.stmts.push_back(std::move(s));
      fixed_deps_[n] = std::move(deps);
    }

    // Equations.
    for (Var& v : vars_) {
      resolve(*v.rhs);
      Stmt s;
      s.kind = StmtKind::Equation;
      s.range = v.stmt_range;
      s.lhs = name(v.name, v.lhs_range, 1);
      s.rhs = std::move(v.rhs);
      prog.stmts.push_back(std::move(s));
    }

    // Initial values: the last one given for each variable, else 0 (XPPAUT's default).
    std::vector<std::string> zero;
    for (Var& v : vars_) {
      Init* given = nullptr;
      for (Init& in : inits_) {
        std::string n = pinnc_name(in.name);
        if (n == v.name) given = &in;
      }
      Stmt s;
      s.kind = StmtKind::Equation;
      SourceRange r = given ? given->range : v.range;
      s.range = r;
      auto lhs = name(v.name, r);
      lhs->kind = ExprKind::Call;
      lhs->args.push_back(number(t0_, r));
      s.lhs = std::move(lhs);
      if (given) {
        resolve(*given->value);
        s.rhs = std::move(given->value);
      } else {
        s.rhs = number(0, r);
        zero.push_back(v.name);
      }
      prog.stmts.push_back(std::move(s));
    }
    for (const Init& in : inits_) {
      std::string n = pinnc_name(in.name);
      if (!find_var(n) && in.value && !failed_vars_.count(in.name))
        malformed(in.range, fmt::format("initial value for '{}', which has no equation", in.name),
                  "give each variable an equation x'=... or dx/dt=...");
    }
    if (!zero.empty())
      out_.notes.push_back(fmt::format("no initial value for {}: XPPAUT starts {} at 0", fmt::join(zero, ", "),
                                       zero.size() == 1 ? "it" : "them"));
    // Auxiliary quantities, computed from the solution (solution.csv's columns).
    for (Fixed& a : auxes_) {
      resolve(*a.body);
      Stmt s;
      s.kind = StmtKind::Aux;
      s.name = declare_name(a.name_tok);
      s.name_range = a.name_tok.range;
      s.range = a.range;
      s.rhs = std::move(a.body);
      prog.stmts.push_back(std::move(s));
    }
    if (!other_options_.empty())
      out_.notes.push_back(fmt::format("@ options read and not used (pinnc chooses its own method and output): {}",
                                       fmt::join(other_options_, ", ")));
  }

  const std::string& text_;
  DiagnosticEngine& diags_;
  std::deque<std::string> names_;  ///< lower-cased names the tokens point into
  Reading out_;
  bool done_ = false;
  bool first_line_ = true;  ///< no statement read yet
  long expanded_lines_ = 0;  ///< lines made from array lines so far
  bool array_limit_reported_ = false;

  std::vector<Var> vars_;
  std::vector<Init> inits_;
  std::vector<Fixed> pars_, derived_, fixeds_, auxes_;
  std::vector<Fn> fns_;
  std::vector<Order> order_;
  std::vector<std::string> other_options_;
  std::map<std::string, std::string> renamed_;
  std::set<std::string> failed_vars_;  ///< variables whose equation had an error
  std::map<std::string, std::vector<std::string>> fixed_deps_;
  double t0_ = 0, total_ = 20;  // XPPAUT's defaults
  SourceRange t0_range_, total_range_;
};

}  // namespace

std::optional<Dialect> parse_dialect(std::string_view text) {
  if (text == "auto") return Dialect::Auto;
  if (text == "pinnc") return Dialect::Pinnc;
  if (text == "xpp" || text == "xppaut") return Dialect::Xpp;
  return std::nullopt;
}

Dialect detect(std::string_view text) {
  bool xpp = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) continue;
    line = line.substr(b);
    if (line[0] == '#') continue;
    if (line[0] == '"' || line[0] == '@' || line[0] == '!') {
      xpp = true;
      continue;
    }
    std::size_t e = 0;
    while (e < line.size() && is_ident_char(line[e])) ++e;
    if (e == 0) continue;
    std::string word;
    for (std::size_t i = 0; i < e; ++i) word += lower(line[i]);
    std::size_t after = line.find_first_not_of(" \t\r", e);
    char next = after == std::string_view::npos ? '\0' : line[after];
    // pinnc's interval statement: NAME in [ ... ]
    if (next == 'i' && line.substr(after, 2) == "in") {
      std::size_t k = line.find_first_not_of(" \t\r", after + 2);
      if (k != std::string_view::npos && line[k] == '[') return Dialect::Pinnc;
    }
    if (next != '=' && next != '(' && next != '\'' && next != '/') {
      Keyword k = keyword_of(word).kw;
      if (k == Keyword::Par || k == Keyword::Number || k == Keyword::Init || k == Keyword::Aux ||
          k == Keyword::Done || k == Keyword::Unsupported) {
        // pinnc's own `param k = 1`, `set epochs = ...` and `exact` lines are pinnc's.
        if (word != "param" && word != "set") xpp = true;
      }
    }
  }
  return xpp ? Dialect::Xpp : Dialect::Pinnc;
}

Reading read(const SourceFile& src, DiagnosticEngine& diags) { return Reader(src, diags).run(); }

}  // namespace pinnc::xpp
