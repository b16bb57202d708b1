// statements.h — the REPL's statement list: the lines of the file language entered so far,
// each keyed by what it defines, so that a new statement for the same thing replaces it.
#ifndef PINNC_REPL_STATEMENTS_H
#define PINNC_REPL_STATEMENTS_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "frontend/ast.h"
#include "frontend/source.h"

namespace pinnc::repl {

/// One statement of the session, as the user wrote it.
struct Statement {
  std::string text;   ///< the statement's text (no separator, no comment)
  std::string key;    ///< what it defines ("param k", "interval", "equation y", ...); "" = nothing
  std::string label;  ///< the same for messages ("parameter k", "the equation for y", ...)
  std::string name;   ///< the name it defines (the variable's name for the interval)
};

/// Names that appear differentiated (y', dy/dt, y'(0)) anywhere in `e`.
void collect_differentiated(const ast::Expr& e, std::set<std::string>* out);
/// The same over a statement's expressions.
void collect_differentiated(const ast::Stmt& s, std::set<std::string>* out);

/// Keys a parsed statement (its text is `src.slice(s.range)`):
///   param NAME, interval, exact NAME, set NAME, data NAME   by the name they define;
///   a function definition f(u) = ...                       "function f";
///   an equation                                            "equation y" for the unknown of
///       its highest derivative (leftmost on a tie), so `y' = -2*y` replaces `y' + y = 0`;
///   a condition                                            "condition y'(1)" for its
///       highest-order point value, so `y(0) = 2` replaces `y(0) = 1`.
/// `unknowns` are the names differentiated anywhere in the session (they tell a condition
/// `y(a) = 1` from a function definition `f(u) = u^2`); `indep` is the variable's name.
Statement make_statement(const ast::Stmt& s, const SourceFile& src, const std::set<std::string>& unknowns,
                         const std::string& indep);

/// The statements in the order they were first entered.
class StatementList {
 public:
  const std::vector<Statement>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  /// Appends `s`, or replaces the statement with the same (non-empty) key in place.
  /// Returns the index it now has and, when it replaced one, the old statement.
  std::pair<std::size_t, std::optional<Statement>> put(Statement s);
  /// Removes statement `i` (0-based).
  void erase(std::size_t i);
  void clear() { items_.clear(); }

  /// The session as source text: one statement per line, each ending in a newline.
  std::string text() const;
  /// Byte offset of statement `i` in text().
  uint32_t offset(std::size_t i) const;
  /// The variable's name from the interval statement ("t" when there is none).
  std::string indep_name() const;

 private:
  std::vector<Statement> items_;
};

}  // namespace pinnc::repl

#endif  // PINNC_REPL_STATEMENTS_H
