// scope.h — sema's internal state: the name table, the expression converter (AST ->
// symbolic) and the modes it runs in. Internal to compiler/sema.
#ifndef PINNC_SEMA_SCOPE_H
#define PINNC_SEMA_SCOPE_H

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"
#include "sema/problem.h"

namespace pinnc::sema {

/// What a name means.
enum class NameKind { Param, Function, Unknown, Indep, Builtin, Pi };

struct NameEntry {
  NameKind kind;
  int index = 0;  ///< parameter, function or unknown number; Builtin: the op (or kBuiltinMod)
  SourceRange def;
};

/// The built-in `mod(x, y)`, which is not one op: fmod(x, y), plus y when that is
/// negative (XPPAUT's mod; in [0, y) for y > 0).
inline constexpr int kBuiltinMod = sym::kOpCount;

/// Every built-in function name with its NameEntry index: the op table's functions, then mod.
template <class F>
void for_each_builtin(F&& define) {
  for (int i = 0; i < sym::kOpCount; ++i) {
    const sym::OpInfo& info = sym::op_info(static_cast<sym::Op>(i));
    if (!info.function.empty()) define(std::string(info.function), i);
  }
  define(std::string("mod"), kBuiltinMod);
}

/// A user function as sema tracks it.
struct FunctionInfo {
  std::string name;
  std::vector<std::string> arg_names;
  std::vector<sym::SymbolId> args;
  sym::Expr body = nullptr;  ///< null until converted (or when its body has errors)
  std::size_t expanded_size = 1;
  SourceRange range, name_range;
  const ast::Stmt* stmt = nullptr;
};

/// Where an expression is converted; decides which names may appear and how.
enum class Mode {
  Constant,      ///< numbers, pi, parameters, functions (param values, bounds, points)
  Equation,      ///< + the variable t and unknowns as functions of t
  Aux,           ///< as Equation, derivatives up to the problem's order (aux name = ...)
  Condition,     ///< + unknowns at one constant point: y(0), y'(1)
  Exact,         ///< t, parameters, functions (the exact solution)
  FunctionBody,  ///< t, parameters, earlier functions, the formal arguments
};

/// One reference to an unknown's derivative in a converted expression.
struct UnknownRef {
  int unknown = 0, order = 0;
  SourceRange range;
};

/// The environment and results of converting one expression.
struct Env {
  Mode mode = Mode::Equation;
  std::string what;  ///< Constant: "the value of parameter 'k'" (for messages)
  int visible_params = 1 << 30;     ///< Constant: parameters [0, visible_params) are usable
  int visible_functions = 1 << 30;  ///< FunctionBody: functions [0, n) are usable
  const std::map<std::string, sym::SymbolId>* locals = nullptr;
  std::string owner;  ///< FunctionBody: the function; Exact: the unknown

  // results
  bool failed = false;
  std::vector<UnknownRef> refs;
  std::optional<double> point;  ///< Condition: the point of the first unknown reference
  SourceRange point_range;
  std::size_t size = 0;  ///< nodes after inlining (bounded by kMaxExpandedSize)
};

inline constexpr std::size_t kMaxExpandedSize = 50000;
/// Unknown functions a problem may have: compile time and memory grow with them (1000
/// coupled linear unknowns need ~38 GiB for Levenberg-Marquardt at the default points;
/// chain_50, the suite's largest, has 50).
inline constexpr int kMaxUnknowns = 1000;

/// Everything the passes of sema share.
struct State {
  State(const SourceFile& s, DiagnosticEngine& d, Problem& p) : src(s), diags(d), prob(p) {}
  const SourceFile& src;
  DiagnosticEngine& diags;
  Problem& prob;
  sym::Context& ctx() { return *prob.ctx; }

  std::map<std::string, NameEntry, std::less<>> names;
  std::vector<FunctionInfo> functions;
  std::vector<bool> param_used;
  std::vector<bool> param_ok;  ///< value evaluated without error
  std::string indep_name = "t";
  bool have_interval = false;  ///< an interval was given and its bounds are valid
  std::vector<SourceRange> order_range;  ///< per unknown: where its highest derivative is
  std::vector<SourceRange> equation_ranges;  ///< every equation statement (checked or not)
  std::vector<int> condition_stmts;  ///< per unknown: condition statements mentioning it
  std::vector<int> raw_order;        ///< per unknown: highest order written (may exceed 4)
  std::vector<bool> misspelling_reported;  ///< per unknown: already reported as E-misspelled

  /// Looks a name up (null if undefined).
  const NameEntry* find(std::string_view name) const;
  /// Every defined name (for suggestions).
  std::vector<std::string> all_names() const;
  /// The names of built-in and user functions (for "did you mean the function ...?").
  std::vector<std::string> function_names() const;
  /// Symbol values for numeric evaluation: parameters and t (t = `t_value`).
  std::vector<double> values(double t_value = 0) const;
};

/// The checks that need the whole problem (checks.cpp): equation count, orders,
/// conditions per unknown, unused parameters.
void check_problem(State& st);
/// Numerically checks each exact solution against equations and conditions (warnings).
void verify_exact(State& st);

/// Converts `e` to a symbolic expression under `env`; null if an error was reported
/// (env.failed is then set). Several errors in one expression are all reported.
sym::Expr convert(State& st, const ast::Expr& e, Env& env);

/// Converts a constant expression and evaluates it; reports non-constant and non-finite
/// values as errors ("the value of parameter 'k'" = env.what).
std::optional<double> constant_value(State& st, const ast::Expr& e, Env& env);

/// One `data` statement (data_file.cpp): its unknowns resolved and, when `read_file`, its
/// CSV file read; errors are reported at the statement. Empty unknowns after an error in
/// the names, empty t after one in the file.
DataSet read_data_statement(State& st, const ast::Stmt& s, bool read_file);

/// True if the simplifier proves e == 0.
bool proven_zero(State& st, sym::Expr e);

/// Shortest round-trip text of a number ("1", "0.5", "2.6666666666666665").
std::string number_text(double v);

/// "1 condition", "2 conditions".
std::string plural(std::size_t n, std::string_view word);

/// The name of the d^k u / dt^k for messages: y, y', y''.
std::string primed(const std::string& name, int order);

}  // namespace pinnc::sema

#endif  // PINNC_SEMA_SCOPE_H
