// ast.cpp — S-expression dumps of the syntax tree.
#include "frontend/ast.h"

#include <fmt/format.h>

namespace pinnc::ast {

namespace {

std::string primed(const std::string& name, int primes) {
  return name + std::string(static_cast<std::size_t>(primes), '\'');
}

}  // namespace

std::string dump(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number:
      return fmt::format("{}", e.number);
    case ExprKind::Name:
      return primed(e.name, e.primes);
    case ExprKind::Call: {
      std::string out = "(call " + primed(e.name, e.primes);
      for (const auto& a : e.args) out += ' ' + dump(*a);
      return out + ')';
    }
    case ExprKind::DerivFrac:
      return fmt::format("(d/d{} {} {})", e.wrt, e.name, e.primes);
    case ExprKind::Unary:
      return fmt::format("({} {})", e.op, dump(*e.args[0]));
    case ExprKind::Binary:
      return fmt::format("({} {} {})", op_spelling(e.op), dump(*e.args[0]), dump(*e.args[1]));
  }
  return "?";
}

namespace {
struct OpCode {
  char code;
  std::string_view text;
};
constexpr OpCode kOpCodes[] = {{'+', "+"},  {'-', "-"},  {'*', "*"},  {'/', "/"},  {'^', "^"},  {'<', "<"}, {'>', ">"},
                               {'l', "<="}, {'g', ">="}, {'e', "=="}, {'n', "!="}, {'&', "&&"}, {'|', "||"}};
}  // namespace

char binary_op(std::string_view text) {
  for (const OpCode& o : kOpCodes)
    if (o.text == text) return o.code;
  return 0;
}

std::string_view op_spelling(char op) {
  for (const OpCode& o : kOpCodes)
    if (o.code == op) return o.text;
  return "?";
}

bool is_comparison(char op) { return op == '<' || op == '>' || op == 'l' || op == 'g' || op == 'e' || op == 'n'; }

std::string dump(const Program& p) {
  std::string out;
  for (const Stmt& s : p.stmts) {
    switch (s.kind) {
      case StmtKind::Param:
        out += fmt::format("(param {} {})", s.name, dump(*s.rhs));
        break;
      case StmtKind::ParamUnknown:
        out += fmt::format("(param-unknown {}{}{})", s.name, s.rhs ? " " + dump(*s.rhs) : "",
                           s.lo ? fmt::format(" (in {} {})", dump(*s.lo), dump(*s.hi)) : "");
        break;
      case StmtKind::ParamRange:
        out += fmt::format("(param-range {} {} {})", s.name, dump(*s.lo), dump(*s.hi));
        break;
      case StmtKind::Interval:
        out += fmt::format("(interval {} {} {})", s.name, dump(*s.lo), dump(*s.hi));
        break;
      case StmtKind::Equation:
        out += fmt::format("(= {} {})", dump(*s.lhs), dump(*s.rhs));
        break;
      case StmtKind::Exact:
        out += fmt::format("(exact {} {})", s.name, dump(*s.rhs));
        break;
      case StmtKind::Aux:
        out += fmt::format("(aux {} {})", s.name, dump(*s.rhs));
        break;
      case StmtKind::Set:
        out += fmt::format("(set {} \"{}\")", s.name, s.raw);
        break;
      case StmtKind::Data:
        out += fmt::format("(data {} \"{}\")", fmt::join(s.names, " "), s.raw);
        break;
    }
    out += '\n';
  }
  return out;
}

}  // namespace pinnc::ast

// ---- pinnc source text -----------------------------------------------------------------

namespace pinnc::ast {

namespace {

// The parser's binding powers (parser.cpp): || 4, && 6, comparisons 8, + - 10, * / 20,
// unary 30, ^ 40 (right-associative); atoms bind tightest.
constexpr int kAtom = 100, kUnary = 30, kPower = 40;

int binding(char op) {
  switch (op) {
    case '|': return 4;
    case '&': return 6;
    case '+': case '-': return 10;
    case '*': case '/': return 20;
    case '^': return kPower;
    default: return is_comparison(op) ? 8 : kAtom;
  }
}

int binding(const Expr& e) {
  if (e.kind == ExprKind::Binary) return binding(e.op);
  if (e.kind == ExprKind::Unary) return kUnary;
  if (e.kind == ExprKind::Number && e.number < 0) return kUnary;  // made by a reader, not parsed
  return kAtom;
}

std::string source_at(const Expr& e);

std::string wrapped(const Expr& e, int min_bp) {
  std::string s = source_at(e);
  return binding(e) < min_bp ? "(" + s + ")" : s;
}

std::string source_at(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number:
      return e.text.empty() ? fmt::format("{}", e.number) : e.text;
    case ExprKind::Name:
      return primed(e.name, e.primes);
    case ExprKind::Call: {
      std::string out = primed(e.name, e.primes) + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + source_at(*e.args[i]);
      return out + ")";
    }
    case ExprKind::DerivFrac:
      return e.num_text + "/" + e.den_text;
    case ExprKind::Unary:
      return std::string(1, e.op) + wrapped(*e.args[0], kUnary);
    case ExprKind::Binary: {
      const int bp = binding(e.op);
      // Left-associative: the right operand binds tighter; ^ is right-associative, and a
      // unary or power on its left needs parentheses ((-x)^2, (a^b)^c). Comparisons do
      // not chain, so a comparison operand of a comparison is parenthesised.
      int left = bp == kPower ? kPower + 1 : bp, right = bp == kPower ? kPower : bp + 1;
      if (is_comparison(e.op)) left = right = bp + 1;
      // Spaced as sym::print spaces: a*x - b*x*y, u^3/3, t < 2.
      const std::string gap = bp >= 20 ? "" : " ";
      return wrapped(*e.args[0], left) + gap + std::string(op_spelling(e.op)) + gap + wrapped(*e.args[1], right);
    }
  }
  return "?";
}

}  // namespace

std::string source(const Expr& e) { return source_at(e); }

std::string source(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::Param: return "param " + s.name + " = " + source(*s.rhs);
    case StmtKind::ParamUnknown:
      return "param " + s.name + " = ?" + (s.rhs ? " " + source(*s.rhs) : "") +
             (s.lo ? " in [" + source(*s.lo) + ", " + source(*s.hi) + "]" : "");
    case StmtKind::ParamRange: return "param " + s.name + " in [" + source(*s.lo) + ", " + source(*s.hi) + "]";
    case StmtKind::Interval: return s.name + " in [" + source(*s.lo) + ", " + source(*s.hi) + "]";
    case StmtKind::Equation: return source(*s.lhs) + " = " + source(*s.rhs);
    case StmtKind::Exact: return "exact " + s.name + " = " + source(*s.rhs);
    case StmtKind::Aux: return "aux " + s.name + " = " + source(*s.rhs);
    case StmtKind::Set: return "set " + s.name + " = " + s.raw;
    case StmtKind::Data: {
      std::string names;
      for (const std::string& n : s.names) names += (names.empty() ? "" : ", ") + n;
      return "data " + names + " from \"" + s.raw + "\"";
    }
  }
  return "?";
}

}  // namespace pinnc::ast
