// ast.h — the syntax tree the parser builds: statements and expressions as written,
// with source ranges. Names are not resolved here (that is sema's job).
#ifndef PINNC_FRONTEND_AST_H
#define PINNC_FRONTEND_AST_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/source.h"

namespace pinnc::ast {

enum class ExprKind : uint8_t {
  Number,     ///< 1.5
  Name,       ///< y, y', y'' (primes > 0), k, t, pi
  Call,       ///< sin(x), f(u, v), y(t), y'(0): name, primes, args
  DerivFrac,  ///< dy/dt, d2y/dt2: name = y, primes = order, wrt = "t" / "t2" as written
  Unary,      ///< op '-' or '+', args[0]
  Binary,     ///< op one of + - * / ^, args[0] op args[1]
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One expression node. A single struct with a kind keeps the small language simple.
struct Expr {
  ExprKind kind = ExprKind::Number;
  SourceRange range;       ///< the whole expression
  double number = 0;       ///< Number
  std::string text;        ///< Number as written
  std::string name;        ///< Name, Call: the name; DerivFrac: the differentiated name
  SourceRange name_range;  ///< Name, Call, DerivFrac: the name with its primes / the fraction
  int primes = 0;          ///< Name, Call: number of primes; DerivFrac: the order
  bool order_written = false;  ///< DerivFrac: order given as digits (d2y/dt2)
  std::string wrt;         ///< DerivFrac: what follows 'd' in the denominator ("t", "t2")
  std::string num_text, den_text;  ///< DerivFrac: "dy" and "dt" (for reading it as a division)
  SourceRange num_range, den_range;
  char op = 0;             ///< Unary, Binary: + - * / ^, or a code of binary_op()
  bool parenthesized = false;  ///< written in parentheses (a < b) (comparisons do not chain)
  int depth = 1;           ///< height of this subtree (bounded by the parser)
  std::vector<ExprPtr> args;
};

enum class StmtKind : uint8_t {
  Param,         ///< param NAME = expr
  ParamUnknown,  ///< param NAME = ? [expr] [in [expr, expr]]   (identified from data)
  ParamRange,    ///< param NAME in [expr, expr]    (reserved, not yet implemented)
  Interval,      ///< NAME in [expr, expr]
  Equation,      ///< expr = expr (equations, conditions and function definitions)
  Exact,         ///< exact NAME = expr
  Aux,           ///< aux NAME = expr
  Set,           ///< set NAME = raw text
  Data,          ///< data NAME {, NAME} from "file"   (measurements, a CSV file)
};

struct Stmt {
  StmtKind kind = StmtKind::Equation;
  SourceRange range;       ///< the whole statement (without the separator)
  std::string name;        ///< Param*, Interval, Exact, Aux, Set, Data
  SourceRange name_range;
  ExprPtr lhs, rhs;        ///< Equation: both sides; Param/Exact/Aux: rhs = value; ParamUnknown: rhs = guess or null
  ExprPtr lo, hi;          ///< Interval, ParamRange; ParamUnknown: its bounds (both or neither)
  std::vector<std::string> names;         ///< Data: every unknown named (names[0] == name)
  std::vector<SourceRange> name_ranges;   ///< Data: their ranges
  std::string raw;         ///< Set: the value as written; Data: the file name (unquoted)
  SourceRange raw_range;
};

/// A parsed file: the statements that parsed (erroneous ones are dropped).
struct Program {
  std::vector<Stmt> stmts;
};

/// The op code of a binary operator as written: "+" ... "^" are themselves; "<", ">" too;
/// "<=" 'l', ">=" 'g', "==" 'e', "!=" 'n', "&&" '&', "||" '|'. 0 for anything else.
char binary_op(std::string_view text);
/// The operator as written, for an op code of binary_op().
std::string_view op_spelling(char op);
/// True for the comparison codes (< <= > >= == !=).
bool is_comparison(char op);

/// The expression as pinnc source text, with the parentheses its parse needs and no
/// others: `pinnc convert` prints readers' programs with it (parsing it back gives the
/// same tree up to parentheses).
std::string source(const Expr& e);
/// One statement as a line of pinnc source (without the newline).
std::string source(const Stmt& s);

/// S-expression form of an expression: (+ (deriv y 1) (* k y)).
std::string dump(const Expr& e);
/// One statement per line in S-expression form (for `pinnc check --dump=ast`).
std::string dump(const Program& p);

}  // namespace pinnc::ast

#endif  // PINNC_FRONTEND_AST_H
