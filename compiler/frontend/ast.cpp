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
      return fmt::format("({} {} {})", e.op, dump(*e.args[0]), dump(*e.args[1]));
  }
  return "?";
}

std::string dump(const Program& p) {
  std::string out;
  for (const Stmt& s : p.stmts) {
    switch (s.kind) {
      case StmtKind::Param:
        out += fmt::format("(param {} {})", s.name, dump(*s.rhs));
        break;
      case StmtKind::ParamUnknown:
        out += fmt::format("(param-unknown {}{})", s.name, s.rhs ? " " + dump(*s.rhs) : "");
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
      case StmtKind::Set:
        out += fmt::format("(set {} \"{}\")", s.name, s.raw);
        break;
      case StmtKind::Data:
        out += fmt::format("(data {} \"{}\")", s.name, s.raw);
        break;
    }
    out += '\n';
  }
  return out;
}

}  // namespace pinnc::ast
