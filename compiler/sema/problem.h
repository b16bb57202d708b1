// problem.h — the checked problem: what semantic analysis hands to lowering and training.
//
// Everything in here is resolved and validated: names are symbols of `ctx`, parameter
// values are numbers, user functions are inlined, and each equation's residual and its
// partial derivatives are derived and simplified.
#ifndef PINNC_SEMA_PROBLEM_H
#define PINNC_SEMA_PROBLEM_H

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "frontend/source.h"
#include "symbolic/expr.h"

namespace pinnc {

struct Param {
  std::string name;
  double value = 0;  ///< an identified parameter: its initial guess
  sym::SymbolId symbol = 0;
  SourceRange range;
  /// `param k = ? guess [in [lower, upper]]`: trained with the network to fit the data
  /// and the conditions (docs/IDENTIFY.md). Unbounded sides are -inf / +inf.
  bool identified = false;
  /// `param k in [lower, upper]`: a solution bundle, the solution learned for every value
  /// in the range (the network takes k as an input); value is the range's middle.
  bool ranged = false;
  /// Known only after training (identified) or varying (ranged): not a constant of the file.
  bool variable() const { return identified || ranged; }
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
};

/// One `data y, z from "obs.csv"` statement: measurements of some unknowns. Each row of
/// the file is a time and one value per named unknown; a missing value is NaN.
struct DataSet {
  std::string file;              ///< as written in the statement
  std::string path;              ///< the path it was read from (relative to the .ode file)
  std::vector<int> unknowns;     ///< the unknowns named, in the statement's order
  std::vector<double> t;         ///< [row] (rows outside the interval dropped)
  std::vector<std::vector<double>> values;  ///< [i][row], unknowns[i]'s values, NaN = missing
  SourceRange range;
  uint32_t line = 0;
};

struct Unknown {
  std::string name;
  int order = 0;  ///< highest derivative order in any equation
  /// derivs[k] is the symbol for d^k u / dt^k, for k = 0..problem order K
  /// (created for all k <= K even when this unknown's own order is lower).
  std::vector<sym::SymbolId> derivs;
  SourceRange first_use;
};

struct Equation {
  sym::Expr lhs = nullptr, rhs = nullptr;
  sym::Expr residual = nullptr;  ///< simplify(lhs - rhs)
  /// d residual / d u_j^(k), indexed [j*(K+1) + k], simplified.
  std::vector<sym::Expr> d_unknown;
  /// d residual / d param_q, indexed by parameter number, simplified.
  std::vector<sym::Expr> d_param;
  SourceRange range;
  uint32_t line = 0;  ///< 1-based source line (for messages such as divergence reports)
  std::string text;   ///< the statement as written
};

/// `G(u(point), u'(point), ...) = 0` at one point, e.g. `y'(1) + 2*y(1) = 0` gives
/// G = y' + 2*y at point 1 (written with the same unknown-derivative symbols as equations).
struct Condition {
  double point = 0;
  sym::Expr g = nullptr;  ///< simplified lhs - rhs
  /// d G / d u_j^(k), indexed [j*(K+1) + k]
  std::vector<sym::Expr> d_unknown;
  /// Set when the condition is `u_j^(k)(point) = value` with a constant value
  /// (what hard constraints can be built from). The value may come from parameters
  /// (`y(0) = y0`); it is evaluated with their declared values.
  std::optional<int> unknown, order;
  double value = 0;
  SourceRange range;
  uint32_t line = 0;
  std::string text;
};

struct Exact {
  int unknown = 0;
  sym::Expr expr = nullptr;  ///< in the independent variable and parameters
  SourceRange range;
};

/// An auxiliary quantity `aux name = expr`: computed from the solution and written to
/// solution.csv, never trained (XPPAUT's aux).
struct Aux {
  std::string name;
  sym::Expr expr = nullptr;  ///< in t, the unknowns and their derivatives, and params
  SourceRange range;
};

/// A user function `f(u, v) = expr`, kept for the REPL and for printing; equations
/// already have it inlined.
struct UserFunction {
  std::string name;
  std::vector<sym::SymbolId> args;  ///< Local symbols of the formal arguments
  sym::Expr body = nullptr;         ///< in the args, the independent variable and params
  SourceRange range;
};

/// Training settings written in the file (later issues: `set epochs = 2000` etc.).
/// Kept as raw key/value text so the driver applies them with the same parser as flags.
struct FileSetting {
  std::string key, value;
  SourceRange range;
};

struct Problem {
  std::unique_ptr<sym::Context> ctx;
  std::string file_name;
  std::string source;  ///< the whole input text (stored in model.json)

  std::string indep_name = "t";
  sym::SymbolId indep = 0;
  double t0 = 0, t1 = 1;

  std::vector<Param> params;
  std::vector<Unknown> unknowns;
  int order = 0;  ///< K: max over unknowns' orders
  std::vector<Equation> equations;
  std::vector<Condition> conditions;
  std::vector<Exact> exact;  ///< at most one per unknown
  std::vector<Aux> aux;      ///< in declaration order
  std::vector<DataSet> data; ///< in declaration order (values empty when not read: SemaOptions)
  std::vector<FileSetting> settings;
  std::vector<UserFunction> functions;  ///< in definition order
  /// Remarks on how the file was read and what the problem contains that the user should
  /// know (an XPPAUT reader's defaults, switches in the equations); printed by check and
  /// train, one sentence each.
  std::vector<std::string> notes;
};

}  // namespace pinnc

#endif  // PINNC_SEMA_PROBLEM_H
