// parser.cpp — recursive descent for statements, Pratt (precedence climbing) for
// expressions. Each parse function carries its production from grammar/pinnc.ebnf.
#include "frontend/parser.h"

#include <algorithm>
#include <string>

#include "base/names.h"

namespace pinnc {

namespace {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtKind;

/// Thrown to abandon the current statement after its (single) error was reported.
struct StatementError {};

// Binding powers: || (4) < && (6) < comparisons (8, not chained) < + - (10) < * / (20)
// < unary (30) < ^ (40, right-associative).
constexpr int kBpOr = 4, kBpAnd = 6, kBpCompare = 8, kBpSum = 10, kBpProduct = 20, kBpUnary = 30, kBpPower = 40;

int infix_bp(Tok t) {
  switch (t) {
    case Tok::OrOr: return kBpOr;
    case Tok::AndAnd: return kBpAnd;
    case Tok::Less: case Tok::LessEq: case Tok::Greater: case Tok::GreaterEq: case Tok::EqEq:
    case Tok::NotEq: return kBpCompare;
    case Tok::Plus: case Tok::Minus: return kBpSum;
    case Tok::Star: case Tok::Slash: return kBpProduct;
    case Tok::Caret: return kBpPower;
    default: return -1;
  }
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, DiagnosticEngine& diags)
      : toks_(tokens), diags_(diags) {}

  // program = { [ statement ] separator } EOF ;
  ast::Program program() {
    ast::Program p;
    while (peek().kind != Tok::Eof && !diags_.stopped()) {
      if (peek().kind == Tok::Newline) {
        ++pos_;
        continue;
      }
      try {
        Stmt s = statement();
        end_of_statement();
        p.stmts.push_back(std::move(s));
      } catch (const StatementError&) {
        synchronize();
      }
    }
    return p;
  }

  ExprPtr single_expression() {
    try {
      while (peek().kind == Tok::Newline) ++pos_;
      ExprPtr e = expr(0, 0);
      while (peek().kind == Tok::Newline) ++pos_;
      if (peek().kind != Tok::Eof) fail("end of the expression");
      return e;
    } catch (const StatementError&) {
      return nullptr;
    }
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return toks_[std::min(pos_ + ahead, toks_.size() - 1)];
  }
  const Token& advance() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    advance();
    return true;
  }
  const Token& expect(Tok k, std::string_view what) {
    if (peek().kind != k) fail(what);
    return advance();
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::Ident: return "name '" + std::string(t.text) + "'";
      case Tok::Number: return "number " + std::string(t.text.substr(0, 24));
      case Tok::String: return "a string";
      default: return std::string(tok_name(t.kind));
    }
  }

  /// Reports "expected X, found Y" at the current token and abandons the statement.
  [[noreturn]] void fail(std::string_view expected, std::string hint = {}) {
    const Token& t = peek();
    auto b = diags_.report(DiagId::Syntax, t.range, {std::string(expected), describe(t)});
    if (hint.empty()) hint = default_hint(expected);
    if (!hint.empty()) b.hint(std::move(hint));
    throw StatementError{};
  }

  std::string default_hint(std::string_view expected) const {
    // Statements that start like the XPPAUT format get a pointer to pinnc's spelling.
    const Token& first = toks_[stmt_start_];
    if (first.kind == Tok::Ident) {
      std::string_view w = first.text;
      if (w == "par" || w == "p" || w == "parameter")
        return "declare a parameter as 'param k = 1'";
      if (w == "init" || w == "i")
        return "give an initial value as a condition, e.g. 'x(0) = 1'";
      if (w == "done" || w == "aux" || w == "number" || w == "global")
        return "XPPAUT's '" + std::string(w) + "' is not part of pinnc's language";
    }
    if (expected == "'='") return "an equation or condition has the form lhs = rhs";
    return {};
  }

  /// Skips to the next statement separator (panic-mode recovery).
  void synchronize() {
    while (peek().kind != Tok::Newline && peek().kind != Tok::Eof) advance();
  }

  void end_of_statement() {
    if (peek().kind == Tok::Newline || peek().kind == Tok::Eof) return;
    fail("end of line");
  }

  SourceRange since(std::size_t first_token) const {
    std::size_t last = pos_ > first_token ? pos_ - 1 : first_token;
    return SourceRange{toks_[first_token].range.begin, toks_[last].range.end};
  }

  // statement = param_stmt | interval | exact_stmt | aux_stmt | set_stmt | data_stmt | equation ;
  Stmt statement() {
    stmt_start_ = pos_;
    switch (peek().kind) {
      case Tok::KwParam: return param_stmt();
      case Tok::KwExact: return named_value(StmtKind::Exact, "the name of an unknown");
      case Tok::KwAux: return named_value(StmtKind::Aux, "the name of the quantity");
      case Tok::KwSet: return set_stmt();
      case Tok::KwData: return data_stmt();
      case Tok::Ident:
        if (peek(1).kind == Tok::KwIn) return interval();
        // `parm k = 2`: a name followed by a name starts no statement; a misspelled
        // keyword is the likely reason.
        if (peek(1).kind == Tok::Ident)
          if (auto best = closest_name(peek().text, {"param", "exact", "aux", "set", "data"})) {
            diags_.report(DiagId::Misspelled, peek().range, {"statement", std::string(peek().text), *best});
            throw StatementError{};
          }
        return equation();
      default: return equation();
    }
  }

  // param_stmt = "param" NAME "=" expr                      (a known parameter)
  //            | "param" NAME "=" "?" [ expr ] [ "in" range ] (identified, guess, bounds)
  //            | "param" NAME "in" "[" expr "," expr "]" ;  (reserved: parameter range)
  Stmt param_stmt() {
    std::size_t start = pos_;
    advance();
    Stmt s;
    const Token& name = expect(Tok::Ident, "a parameter name");
    s.name = std::string(name.text);
    s.name_range = name.range;
    if (accept(Tok::KwIn)) {
      s.kind = StmtKind::ParamRange;
      bracket_pair(s);
    } else {
      expect(Tok::Equals, "'=' or 'in'");
      if (accept(Tok::Question)) {
        s.kind = StmtKind::ParamUnknown;
        if (peek().kind != Tok::Newline && peek().kind != Tok::Eof && peek().kind != Tok::KwIn) s.rhs = expr(0, 0);
        if (accept(Tok::KwIn)) bracket_pair(s);
      } else {
        s.kind = StmtKind::Param;
        s.rhs = expr(0, 0);
      }
    }
    s.range = since(start);
    return s;
  }

  // interval = NAME "in" "[" expr "," expr "]" ;
  Stmt interval() {
    std::size_t start = pos_;
    Stmt s;
    s.kind = StmtKind::Interval;
    const Token& name = advance();
    s.name = std::string(name.text);
    s.name_range = name.range;
    advance();  // in
    bracket_pair(s);
    s.range = since(start);
    return s;
  }

  // range = "[" expr "," expr "]" ;
  void bracket_pair(Stmt& s) {
    expect(Tok::LBracket, "'['");
    s.lo = expr(0, 0);
    expect(Tok::Comma, "','");
    s.hi = expr(0, 0);
    expect(Tok::RBracket, "']'");
  }

  // exact_stmt = "exact" NAME "=" expr ;
  // aux_stmt   = "aux" NAME "=" expr ;
  Stmt named_value(StmtKind kind, const char* what) {
    std::size_t start = pos_;
    advance();
    Stmt s;
    s.kind = kind;
    const Token& name = expect(Tok::Ident, what);
    s.name = std::string(name.text);
    s.name_range = name.range;
    expect(Tok::Equals, "'='");
    s.rhs = expr(0, 0);
    s.range = since(start);
    return s;
  }

  // set_stmt = "set" NAME "=" setting_value ;
  // setting_value = token { token } ;   (any tokens up to the end of the line, kept as text)
  Stmt set_stmt() {
    std::size_t start = pos_;
    advance();
    Stmt s;
    s.kind = StmtKind::Set;
    const Token& name = expect(Tok::Ident, "a setting name");
    s.name = std::string(name.text);
    s.name_range = name.range;
    expect(Tok::Equals, "'='");
    if (peek().kind == Tok::Newline || peek().kind == Tok::Eof) fail("a value");
    std::size_t first = pos_;
    while (peek().kind != Tok::Newline && peek().kind != Tok::Eof) advance();
    s.raw_range = since(first);
    // Token texts view the same source buffer: the value is the span from first to last.
    const Token& a = toks_[first];
    const Token& b = toks_[pos_ - 1];
    s.raw = std::string(a.text.data(), static_cast<std::size_t>(b.text.data() + b.text.size() - a.text.data()));
    s.range = since(start);
    return s;
  }

  // data_stmt = "data" NAME { "," NAME } "from" STRING ;
  Stmt data_stmt() {
    std::size_t start = pos_;
    advance();
    Stmt s;
    s.kind = StmtKind::Data;
    do {
      const Token& name = expect(Tok::Ident, "the name of an unknown");
      s.names.emplace_back(name.text);
      s.name_ranges.push_back(name.range);
    } while (accept(Tok::Comma));
    s.name = s.names.front();
    s.name_range = s.name_ranges.front();
    expect(Tok::KwFrom, "'from' or ','");
    const Token& file = expect(Tok::String, "a file name in double quotes");
    std::string_view f = file.text;
    if (f.size() >= 2 && f.back() == '"') s.raw = std::string(f.substr(1, f.size() - 2));
    else if (!f.empty()) s.raw = std::string(f.substr(1));
    s.raw_range = file.range;
    s.range = since(start);
    return s;
  }

  // equation = expr "=" expr ;
  //   (equations, conditions such as y(0) = 1 and function definitions f(u) = u^2
  //    share this form; sema tells them apart)
  Stmt equation() {
    std::size_t start = pos_;
    Stmt s;
    s.kind = StmtKind::Equation;
    s.lhs = expr(0, 0);
    expect(Tok::Equals, "'='");
    s.rhs = expr(0, 0);
    s.range = since(start);
    return s;
  }

  ExprPtr node(ExprKind k, SourceRange r) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->range = r;
    return e;
  }

  void check_depth(int depth, const Token& at, int limit = kMaxExprDepth) {
    if (depth <= limit) return;
    diags_.report(DiagId::NestingTooDeep, at.range, {std::to_string(limit)})
        .hint("split the expression with a user function, e.g. f(u) = ...");
    throw StatementError{};
  }

  // expr    = unary { binop expr } ;     (by binding power, see infix_bp)
  // binop   = "+" | "-" | "*" | "/" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||" ;
  // unary   = ( "-" | "+" ) unary | postfix ;   (unary minus binds looser than ^: -x^2 = -(x^2))
  ExprPtr expr(int min_bp, int depth) {
    check_depth(depth + 1, peek());
    ExprPtr lhs;
    const Token& first = peek();
    if (first.kind == Tok::Minus || first.kind == Tok::Plus) {
      advance();
      ExprPtr operand = expr(kBpUnary, depth + 1);
      lhs = node(ExprKind::Unary, join(first.range, operand->range));
      lhs->op = first.kind == Tok::Minus ? '-' : '+';
      lhs->depth = operand->depth + 1;
      check_depth(lhs->depth, first, kMaxTreeHeight);
      lhs->args.push_back(std::move(operand));
    } else {
      lhs = primary(depth);
    }
    for (;;) {
      const Token& op = peek();
      if (op.kind == Tok::Prime)
        fail_prime(op);
      int bp = infix_bp(op.kind);
      if (bp < 0 || bp < min_bp) break;
      if (bp == kBpCompare && lhs->kind == ExprKind::Binary && ast::is_comparison(lhs->op) && !lhs->parenthesized) {
        diags_.report(DiagId::Syntax, op.range, {"an operator other than a comparison", std::string(tok_name(op.kind))})
            .hint("comparisons do not chain: write (a < b) && (b < c)");
        throw StatementError{};
      }
      advance();
      // Left-associative operators parse their rhs one level tighter; '^' parses it one
      // level looser, which makes it right-associative: a^b^c = a^(b^c).
      int rhs_bp = op.kind == Tok::Caret ? kBpPower - 1 : bp + 1;
      ExprPtr rhs = expr(rhs_bp, depth + 1);
      auto bin = node(ExprKind::Binary, join(lhs->range, rhs->range));
      bin->op = ast::binary_op(op.text);
      bin->depth = std::max(lhs->depth, rhs->depth) + 1;
      check_depth(bin->depth, op, kMaxTreeHeight);
      bin->args.push_back(std::move(lhs));
      bin->args.push_back(std::move(rhs));
      lhs = std::move(bin);
    }
    return lhs;
  }

  [[noreturn]] void fail_prime(const Token& at) {
    diags_.report(DiagId::MisplacedPrime, at.range)
        .hint("differentiate an unknown by name: y', y'', or dy/dt");
    throw StatementError{};
  }

  /// True when the tokens at the cursor read `dNAME / dVAR` (Leibniz notation).
  bool at_deriv_frac() const {
    const Token& a = peek();
    const Token& slash = peek(1);
    const Token& b = peek(2);
    if (a.kind != Tok::Ident || slash.kind != Tok::Slash || b.kind != Tok::Ident) return false;
    if (a.text.size() < 2 || a.text[0] != 'd' || b.text.size() < 2 || b.text[0] != 'd')
      return false;
    // `dy/dt(`, `dy/dt'` and `dy/dt^` are read as ordinary division.
    Tok next = peek(3).kind;
    if (next == Tok::LParen || next == Tok::Prime || next == Tok::Caret) return false;
    std::size_t i = 1;
    while (i < a.text.size() && a.text[i] >= '0' && a.text[i] <= '9') ++i;
    return i < a.text.size();  // a name follows the optional order digits
  }

  // postfix   = NUMBER | deriv_frac | NAME { "'" } [ "(" args ")" ] | "(" expr ")" ;
  // deriv_frac = DNAME "/" DVAR ;   e.g. dy/dt, d2y/dt2 (a name starting with 'd',
  //              optional order digits, the unknown; over 'd', the variable, the order)
  // args      = expr { "," expr } ;
  ExprPtr primary(int depth) {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Number: {
        advance();
        auto e = node(ExprKind::Number, t.range);
        e->number = t.number;
        e->text = std::string(t.text);
        return e;
      }
      case Tok::LParen: {
        advance();
        ExprPtr inner = expr(0, depth + 1);
        const Token& close = expect(Tok::RParen, "')'");
        inner->range = join(t.range, close.range);
        inner->parenthesized = true;
        return inner;
      }
      case Tok::Ident:
        if (at_deriv_frac()) return deriv_frac();
        return name_or_call(depth);
      default:
        fail("an expression");
    }
  }

  ExprPtr deriv_frac() {
    const Token& a = advance();
    advance();  // '/'
    const Token& b = advance();
    auto e = node(ExprKind::DerivFrac, join(a.range, b.range));
    e->name_range = e->range;
    std::size_t i = 1;
    while (i < a.text.size() && a.text[i] >= '0' && a.text[i] <= '9') ++i;
    std::string_view digits = a.text.substr(1, i - 1);
    e->order_written = !digits.empty();
    e->primes = 1;
    if (!digits.empty())
      e->primes = digits.size() > 4 ? 99999 : std::stoi(std::string(digits));
    e->name = std::string(a.text.substr(i));
    e->wrt = std::string(b.text.substr(1));
    e->num_text = std::string(a.text);
    e->den_text = std::string(b.text);
    e->num_range = a.range;
    e->den_range = b.range;
    return e;
  }

  ExprPtr name_or_call(int depth) {
    const Token& name = advance();
    int primes = 0;
    SourceRange name_range = name.range;
    while (peek().kind == Tok::Prime) {
      name_range = join(name_range, advance().range);
      if (primes < 1000000) ++primes;
    }
    if (peek().kind != Tok::LParen) {
      auto e = node(ExprKind::Name, name_range);
      e->name = std::string(name.text);
      e->name_range = name_range;
      e->primes = primes;
      return e;
    }
    advance();  // (
    auto e = node(ExprKind::Call, name_range);
    e->name = std::string(name.text);
    e->name_range = name_range;
    e->primes = primes;
    if (peek().kind != Tok::RParen) {
      do {
        ExprPtr a = expr(0, depth + 1);
        e->depth = std::max(e->depth, a->depth + 1);
        check_depth(e->depth, name, kMaxTreeHeight);
        e->args.push_back(std::move(a));
      } while (accept(Tok::Comma));
    }
    const Token& close = expect(Tok::RParen, "')' or ','");
    e->range = join(name_range, close.range);
    return e;
  }

  const std::vector<Token>& toks_;
  DiagnosticEngine& diags_;
  std::size_t pos_ = 0;
  std::size_t stmt_start_ = 0;
};

}  // namespace

ast::Program parse(const std::vector<Token>& tokens, DiagnosticEngine& diags) {
  if (tokens.empty()) return {};
  return Parser(tokens, diags).program();
}

ast::ExprPtr parse_expression(const std::vector<Token>& tokens, DiagnosticEngine& diags) {
  if (tokens.empty()) return nullptr;
  return Parser(tokens, diags).single_expression();
}

}  // namespace pinnc
