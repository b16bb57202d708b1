// sema.cpp — the passes of semantic analysis, in order: names, classification of
// statements and discovery of unknowns, symbols, functions, parameters, interval,
// equations, conditions, exact solutions; then the whole-problem checks (checks.cpp).
#include "settings/options.h"
#include "sema/sema.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "pinnc/kernel_abi.h"
#include "base/names.h"
#include "sema/scope.h"
#include "symbolic/symbolic.h"

namespace pinnc {

namespace sema {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

/// Calls f on every node of an expression, parents before children, left to right.
template <class F>
void walk(const Expr& e, F&& f) {
  f(e);
  for (const auto& a : e.args) walk(*a, f);
}

enum class StmtRole { Function, Equation, Condition, Skip };

class Analyzer {
 public:
  Analyzer(State& st, const ast::Program& prog, const SemaOptions& options)
      : st_(st), prog_(prog), ctx_(st.ctx()), options_(options) {}

  void run() {
    builtins();
    indep_symbol();
    collect_params();
    indep_symbol_create();
    find_functions();
    discover_unknowns();
    if (too_many_unknowns_) return;  // the rest would only repeat it, statement by statement
    classify_and_order();
    unknown_symbols();
    convert_functions();
    param_values();
    interval();
    settings_and_reserved();
    for (std::size_t i = 0; i < prog_.stmts.size(); ++i) {
      if (st_.diags.stopped()) return;
      if (roles_[i] == StmtRole::Equation) equation(prog_.stmts[i]);
      if (roles_[i] == StmtRole::Condition) condition(prog_.stmts[i]);
    }
    exacts();
    auxes();
    data_statements();
    if (st_.diags.stopped()) return;
    switch_note();
    identifiable();
    check_problem(st_);
    if (!st_.diags.has_errors()) verify_exact(st_);
  }

 private:
  Problem& prob() { return st_.prob; }

  void define(const std::string& name, NameEntry e) { st_.names.emplace(name, e); }

  /// Reports `name` defined twice; returns true if it was already defined.
  bool redefined(const std::string& name, SourceRange where) {
    const NameEntry* old = st_.find(name);
    if (!old) return false;
    switch (old->kind) {
      case NameKind::Builtin:
        st_.diags.report(DiagId::Redefined, where, {name, " as a built-in function"});
        break;
      case NameKind::Pi:
        st_.diags.report(DiagId::Redefined, where, {name, " as the constant pi"});
        break;
      case NameKind::Indep:
        st_.diags.report(DiagId::Redefined, where, {name, " as the independent variable"})
            .note(old->def, "defined here");
        break;
      default: {
        const char* as = old->kind == NameKind::Param      ? " as a parameter"
                         : old->kind == NameKind::Function ? " as a function"
                                                           : " as an unknown";
        st_.diags.report(DiagId::Redefined, where, {name, as}).note(old->def, "first defined here");
      }
    }
    return true;
  }

  void builtins() {
    for_each_builtin([this](std::string name, int i) { define(std::move(name), NameEntry{NameKind::Builtin, i, {}}); });
    define("pi", NameEntry{NameKind::Pi, 0, {}});
  }

  // The first interval statement names the independent variable ("t" if there is none).
  void indep_symbol() {
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Interval) continue;
      interval_stmt_ = &s;
      break;
    }
    std::string name = interval_stmt_ ? interval_stmt_->name : "t";
    SourceRange def = interval_stmt_ ? interval_stmt_->name_range : SourceRange{};
    if (interval_stmt_ && st_.find(name)) {
      redefined(name, def);
      name = "t";
    }
    st_.indep_name = name;
    prob().indep_name = name;
    if (!st_.find(name)) define(name, NameEntry{NameKind::Indep, 0, def});
  }

  /// Symbols are created parameters first, then t, then unknowns: the canonical operand
  /// order follows symbol ids, so residuals print as y' + k*y and exp(-k*t).
  void indep_symbol_create() {
    prob().indep = ctx_.add_symbol(sym::Symbol{st_.indep_name, sym::SymbolKind::Indep, 0, 0});
  }

  void collect_params() {
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Param && s.kind != StmtKind::ParamUnknown &&
          s.kind != StmtKind::ParamRange)
        continue;
      if (redefined(s.name, s.name_range)) continue;
      int q = static_cast<int>(prob().params.size());
      Param p;
      p.name = s.name;
      p.range = s.name_range;
      p.symbol = ctx_.add_symbol(sym::Symbol{s.name, sym::SymbolKind::Param, q, 0});
      p.value = s.kind == StmtKind::Param ? 0.0 : 1.0;
      p.identified = s.kind == StmtKind::ParamUnknown;
      p.ranged = s.kind == StmtKind::ParamRange;
      prob().params.push_back(p);
      param_stmts_.push_back(&s);
      define(s.name, NameEntry{NameKind::Param, q, s.name_range});
    }
    st_.param_used.assign(prob().params.size(), false);
    st_.param_ok.assign(prob().params.size(), false);
  }

  /// Names used with primes or in dy/dt anywhere in equations: never functions.
  std::set<std::string> differentiated_names() {
    std::set<std::string> out;
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Equation) continue;
      for (const Expr* side : {s.lhs.get(), s.rhs.get()}) {
        walk(*side, [&](const Expr& e) {
          if ((e.kind == ExprKind::Name || e.kind == ExprKind::Call) && e.primes > 0)
            out.insert(e.name);
          if (e.kind == ExprKind::DerivFrac && !st_.find(e.num_text)) out.insert(e.name);
        });
      }
    }
    return out;
  }

  // function_def = NAME "(" NAME { "," NAME } ")" "=" expr, NAME never differentiated.
  void find_functions() {
    roles_.assign(prog_.stmts.size(), StmtRole::Skip);
    std::set<std::string> diffed = differentiated_names();
    for (std::size_t i = 0; i < prog_.stmts.size(); ++i) {
      const Stmt& s = prog_.stmts[i];
      if (s.kind != StmtKind::Equation) continue;
      roles_[i] = StmtRole::Equation;
      const Expr& l = *s.lhs;
      if (l.kind != ExprKind::Call || l.primes > 0 || diffed.count(l.name) || l.args.empty())
        continue;
      bool plain = std::all_of(l.args.begin(), l.args.end(), [&](const ast::ExprPtr& a) {
        if (a->kind != ExprKind::Name || a->primes > 0) return false;
        const NameEntry* n = st_.find(a->name);
        return !n || n->kind == NameKind::Indep;
      });
      if (!plain) continue;
      const NameEntry* old = st_.find(l.name);
      if (old && old->kind == NameKind::Param) continue;  // y(k) = 1: a condition at k
      roles_[i] = StmtRole::Skip;
      if (redefined(l.name, l.name_range)) continue;
      FunctionInfo f;
      f.name = l.name;
      f.range = s.range;
      f.name_range = l.name_range;
      f.stmt = &s;
      bool ok = true;
      for (const auto& a : l.args) {
        if (std::find(f.arg_names.begin(), f.arg_names.end(), a->name) != f.arg_names.end()) {
          st_.diags.report(DiagId::Redefined, a->range, {a->name, " as an argument of " + l.name});
          ok = false;
        }
        f.arg_names.push_back(a->name);
      }
      define(l.name, NameEntry{NameKind::Function, static_cast<int>(st_.functions.size()), l.name_range});
      if (!ok) f.stmt = nullptr;  // keep the name (fewer follow-on errors), skip the body
      st_.functions.push_back(std::move(f));
    }
  }

  bool constant_looking(const Expr& e) {
    bool ok = true;
    walk(e, [&](const Expr& x) {
      if (x.kind == ExprKind::Name || x.kind == ExprKind::Call) {
        const NameEntry* n = st_.find(x.name);
        if (!n || n->kind == NameKind::Unknown || n->kind == NameKind::Indep) ok = false;
      }
      if (x.kind == ExprKind::DerivFrac) ok = false;
    });
    return ok;
  }

  bool is_indep(const Expr& e) const {
    return e.kind == ExprKind::Name && e.primes == 0 && e.name == st_.indep_name;
  }

  /// Unknowns: names differentiated (y', dy/dt) or evaluated (y(t), y(0)) that are not
  /// otherwise defined, in order of first use.
  bool too_many_unknowns_ = false;
  void discover_unknowns() {
    auto visit = [&](const Expr& root, const std::vector<std::string>* locals) {
      walk(root, [&](const Expr& e) {
        std::string name;
        SourceRange where = e.name_range;
        if (e.kind == ExprKind::Name && e.primes > 0) name = e.name;
        if (e.kind == ExprKind::Call &&
            (e.primes > 0 || (e.args.size() == 1 && (is_indep(*e.args[0]) || constant_looking(*e.args[0])))))
          name = e.name;
        if (e.kind == ExprKind::DerivFrac && !st_.find(e.num_text)) name = e.name;
        if (name.empty() || st_.find(name)) return;
        if (locals && std::find(locals->begin(), locals->end(), name) != locals->end()) return;
        int j = static_cast<int>(prob().unknowns.size());
        if (j == kMaxUnknowns && !too_many_unknowns_) {  // reported once, at the first over the limit
          too_many_unknowns_ = true;
          st_.diags.report(DiagId::TooManyUnknowns, where, {std::to_string(kMaxUnknowns)})
              .hint("each unknown is one output of the network and one row of every kernel; the memory a run "
                    "needs grows with their square (Levenberg-Marquardt's Jacobian)");
        }
        if (j >= kMaxUnknowns) return;
        Unknown u;
        u.name = name;
        u.first_use = where;
        prob().unknowns.push_back(u);
        st_.order_range.push_back(where);
        define(name, NameEntry{NameKind::Unknown, j, where});
      });
    };
    for (std::size_t i = 0; i < prog_.stmts.size(); ++i) {
      const Stmt& s = prog_.stmts[i];
      if (s.kind != StmtKind::Equation) continue;
      if (roles_[i] == StmtRole::Skip) {
        for (const FunctionInfo& f : st_.functions)
          if (f.stmt == &s) visit(*s.rhs, &f.arg_names);
        continue;
      }
      visit(*s.lhs, nullptr);
      visit(*s.rhs, nullptr);
    }
  }

  /// True if any name in the statement is an unknown (in any form).
  bool mentions_unknown(const Stmt& s) {
    bool found = false;
    for (const Expr* side : {s.lhs.get(), s.rhs.get()})
      walk(*side, [&](const Expr& e) {
        if (e.kind != ExprKind::Name && e.kind != ExprKind::Call && e.kind != ExprKind::DerivFrac) return;
        const NameEntry* n = st_.find(e.name);
        if (n && n->kind == NameKind::Unknown) found = true;
      });
    return found;
  }

  /// Equation or condition; and each unknown's order (highest derivative in equations).
  void classify_and_order() {
    st_.condition_stmts.assign(prob().unknowns.size(), 0);
    st_.raw_order.assign(prob().unknowns.size(), 0);
    for (std::size_t i = 0; i < prog_.stmts.size(); ++i) {
      if (roles_[i] != StmtRole::Equation) continue;
      const Stmt& s = prog_.stmts[i];
      bool at_point = false;
      std::vector<int> point_refs;                    // unknowns evaluated at a point
      std::vector<std::pair<int, const Expr*>> refs;  // (order, node) of unknowns of t
      for (const Expr* side : {s.lhs.get(), s.rhs.get()}) {
        walk(*side, [&](const Expr& e) {
          if (e.kind != ExprKind::Name && e.kind != ExprKind::Call && e.kind != ExprKind::DerivFrac)
            return;
          if (e.kind == ExprKind::DerivFrac && st_.find(e.num_text)) return;
          const NameEntry* n = st_.find(e.name);
          if (!n || n->kind != NameKind::Unknown) return;
          if (e.kind == ExprKind::Call && e.args.size() == 1 && !is_indep(*e.args[0])) {
            if (constant_looking(*e.args[0])) {
              at_point = true;
              point_refs.push_back(st_.find(e.name)->index);
            }
            return;  // otherwise E-bad-argument, reported by the converter
          }
          refs.emplace_back(e.primes, &e);
        });
      }
      // Unknowns both at a point and as functions of t: an equation (whose point
      // values the converter rejects), not a condition.
      if (at_point && refs.empty()) {
        roles_[i] = StmtRole::Condition;
        std::sort(point_refs.begin(), point_refs.end());
        point_refs.erase(std::unique(point_refs.begin(), point_refs.end()), point_refs.end());
        for (int j : point_refs) ++st_.condition_stmts[static_cast<std::size_t>(j)];
        continue;
      }
      if (refs.empty() && !mentions_unknown(s)) {
        no_unknown_report(s, "");
        roles_[i] = StmtRole::Skip;
        continue;
      }
      st_.equation_ranges.push_back(s.range);
      for (auto [order, node] : refs) {
        Unknown& u = prob().unknowns[static_cast<std::size_t>(st_.find(node->name)->index)];
        std::size_t j = static_cast<std::size_t>(st_.find(node->name)->index);
        st_.raw_order[j] = std::max(st_.raw_order[j], order);
        if (order > u.order) {
          u.order = order;
          st_.order_range[static_cast<std::size_t>(st_.find(node->name)->index)] = node->range;
        }
      }
    }
  }

  void unknown_symbols() {
    int k_max = 0;
    for (const Unknown& u : prob().unknowns) k_max = std::max(k_max, std::min(u.order, PINNC_MAX_ORDER));
    prob().order = k_max;
    for (std::size_t j = 0; j < prob().unknowns.size(); ++j) {
      Unknown& u = prob().unknowns[j];
      u.order = std::min(u.order, PINNC_MAX_ORDER);  // higher orders are reported where written
      for (int k = 0; k <= k_max; ++k)
        u.derivs.push_back(ctx_.unknown_symbol(static_cast<int>(j), k, u.name));
    }
  }

  void convert_functions() {
    for (std::size_t i = 0; i < st_.functions.size(); ++i) {
      FunctionInfo& f = st_.functions[i];
      std::map<std::string, sym::SymbolId> locals;
      for (const std::string& a : f.arg_names) {
        sym::SymbolId id = ctx_.add_symbol(sym::Symbol{a, sym::SymbolKind::Local, 0, 0});
        f.args.push_back(id);
        locals[a] = id;
      }
      if (!f.stmt) continue;
      Env env;
      env.mode = Mode::FunctionBody;
      env.visible_functions = static_cast<int>(i);
      env.locals = &locals;
      env.owner = f.name;
      sym::Expr body = convert(st_, *f.stmt->rhs, env);
      if (!body) continue;
      f.body = sym::simplify(ctx_, body);
      f.expanded_size = std::max<std::size_t>(env.size, 1);
      prob().functions.push_back(UserFunction{f.name, f.args, f.body, f.range});
    }
  }

  /// Says when the equations switch (if, heav, comparisons, floor, ...): the right-hand
  /// side jumps there, so the solution's derivative does, which a smooth network can only
  /// approximate; the verdict's reference integrates across the jumps.
  void switch_note() {
    std::vector<sym::Expr> roots;
    for (const Equation& e : prob().equations)
      if (e.residual) roots.push_back(e.residual);
    std::set<std::string> ops;
    for (sym::Expr n : sym::topo_order(roots))
      if (sym::is_switch(n->op())) ops.insert(std::string(sym::op_info(n->op()).name));
    if (ops.empty()) return;
    std::string list;
    for (const std::string& o : ops) list += (list.empty() ? "" : ", ") + o;
    prob().notes.push_back("the equations switch (" + list +
                           "): their right-hand side jumps, so the solution's derivative may; the error is "
                           "checked against a reference integrated across the jumps");
  }

  void param_values() {
    for (std::size_t q = 0; q < prob().params.size(); ++q) {
      const Stmt& s = *param_stmts_[q];
      if (s.kind == StmtKind::ParamUnknown) {
        identified_value(q, s);
        continue;
      }
      if (s.kind == StmtKind::ParamRange) {
        ranged_value(q, s);
        continue;
      }
      if (s.kind != StmtKind::Param) continue;
      Env env;
      env.what = "the value of parameter '" + s.name + "'";
      env.visible_params = static_cast<int>(q);
      std::optional<double> v = constant_value(st_, *s.rhs, env);
      if (!v) continue;
      prob().params[q].value = *v;
      st_.param_ok[q] = true;
    }
  }

  /// `param k = ? [guess] [in [lower, upper]]`: the bounds, then the guess (the
  /// midpoint of the bounds, or 1, when none is written).
  void identified_value(std::size_t q, const Stmt& s) {
    Param& p = prob().params[q];
    auto constant = [&](const ast::Expr& e, const std::string& what) {
      Env env;
      env.what = what + " of parameter '" + s.name + "'";
      env.visible_params = static_cast<int>(q);
      return constant_value(st_, e, env);
    };
    if (s.lo) {
      std::optional<double> lo = constant(*s.lo, "the lower bound"), hi = constant(*s.hi, "the upper bound");
      if (!lo || !hi) return;
      if (!(*lo < *hi)) {
        st_.diags.report(DiagId::ParamBounds, join(s.lo->range, s.hi->range),
                         {fmt::format("the bounds [{}, {}] of parameter '{}' are {}", number_text(*lo), number_text(*hi),
                                      s.name, *lo == *hi ? "one point" : "reversed")})
            .hint(*lo == *hi ? "a known value is written 'param " + s.name + " = " + number_text(*lo) + "'"
                             : "write the smaller bound first");
        return;
      }
      p.lower = *lo;
      p.upper = *hi;
    }
    if (s.rhs) {
      std::optional<double> guess = constant(*s.rhs, "the initial guess");
      if (!guess) return;
      if (*guess < p.lower || *guess > p.upper) {
        st_.diags.report(DiagId::ParamBounds, s.rhs->range,
                         {fmt::format("the initial guess {} of parameter '{}' lies outside its bounds [{}, {}]",
                                      number_text(*guess), s.name, number_text(p.lower), number_text(p.upper))});
        return;
      }
      p.value = *guess;
    } else {
      p.value = s.lo ? 0.5 * (p.lower + p.upper) : 1.0;
      prob().notes.push_back(fmt::format("parameter '{}' has no initial guess: training starts from {}{}", s.name,
                                         number_text(p.value), s.lo ? ", the middle of its bounds" : ""));
    }
    st_.param_ok[q] = true;
  }

  /// `param k in [lower, upper]`: a solution bundle over the range; the value (what the
  /// report's main grid and the classical reference's plan use) is its middle.
  void ranged_value(std::size_t q, const Stmt& s) {
    Param& p = prob().params[q];
    Env lo_env, hi_env;
    lo_env.what = "the lower end of the range of parameter '" + s.name + "'";
    hi_env.what = "the upper end of the range of parameter '" + s.name + "'";
    lo_env.visible_params = hi_env.visible_params = static_cast<int>(q);
    std::optional<double> lo = constant_value(st_, *s.lo, lo_env), hi = constant_value(st_, *s.hi, hi_env);
    if (!lo || !hi) return;
    if (!(*lo < *hi)) {
      st_.diags.report(DiagId::ParamBounds, join(s.lo->range, s.hi->range),
                       {fmt::format("the range [{}, {}] of parameter '{}' is {}", number_text(*lo), number_text(*hi), s.name,
                                    *lo == *hi ? "one point" : "reversed")})
          .hint(*lo == *hi ? "a known value is written 'param " + s.name + " = " + number_text(*lo) + "'"
                           : "write the smaller end first");
      return;
    }
    p.lower = *lo;
    p.upper = *hi;
    p.value = 0.5 * (*lo + *hi);
    st_.param_ok[q] = true;
  }

  /// `data y, z from "obs.csv"` (data_file.cpp).
  void data_statements() {
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Data) continue;
      DataSet d = read_data_statement(st_, s, options_.read_data);
      if (!d.unknowns.empty()) prob().data.push_back(std::move(d));
    }
  }

  /// Every identified parameter must be one the equations, conditions and data can
  /// decide: it appears in an equation or a condition, and something beyond what fixes
  /// the solution for any value of it (data, or more conditions than the orders need)
  /// is there to decide it.
  void identifiable() {
    if (st_.diags.has_errors()) return;  // a failed statement would make a parameter look unused
    const Problem& p = prob();
    const Param* ranged = nullptr;
    const Param* identified = nullptr;
    for (const Param& q : p.params) {
      if (q.ranged && !ranged) ranged = &q;
      if (q.identified && !identified) identified = &q;
    }
    if (ranged && (identified || !p.data.empty())) {
      st_.diags.report(DiagId::NotImplemented, ranged->range,
                       {identified ? "a solution bundle together with an identified parameter"
                                   : "a solution bundle together with data"});
      return;
    }
    int need = 0;
    for (const Unknown& u : p.unknowns) need += u.order;
    const bool extra = !p.data.empty() || static_cast<int>(p.conditions.size()) > need;
    for (const Param& q : p.params) {
      if (!q.identified) continue;
      bool used = false;
      for (const Equation& e : p.equations) used |= sym::depends_on(e.residual, q.symbol);
      for (const Condition& c : p.conditions) used |= sym::depends_on(c.g, q.symbol);
      if (!used) {
        st_.diags.report(DiagId::ParamUndetermined, q.range, {q.name, "it appears in no equation or condition"})
            .hint("use it in an equation, or remove it");
        continue;
      }
      if (!extra)
        st_.diags.report(DiagId::ParamUndetermined, q.range,
                         {q.name, fmt::format("there is no data, and {} {} the solution for any value of it",
                                              plural(p.conditions.size(), "condition"),
                                              p.conditions.size() == 1 ? "fixes" : "fix")})
            .hint("add measurements with 'data y from \"obs.csv\"', or one more condition");
    }
  }

  void interval() {
    const Stmt* first = nullptr;
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Interval) continue;
      if (first) {
        st_.diags.report(DiagId::Redefined, s.range, {s.name, " (the interval is given twice)"})
            .note(first->range, "first given here");
        continue;
      }
      first = &s;
    }
    if (!first) {
      if (st_.equation_ranges.empty()) return;  // nothing to solve: E-no-equations says so
      SourceRange at = st_.equation_ranges.empty() ? SourceRange{} : st_.equation_ranges.front();
      st_.diags.report(DiagId::MissingInterval, at)
          .hint("add a line such as '" + st_.indep_name + " in [0, 1]'")
          .hint("an XPPAUT file? --dialect xpp reads it as one (its default interval is [0, 20])");
      return;
    }
    Env lo_env, hi_env;
    lo_env.what = "the start of the interval";
    hi_env.what = "the end of the interval";
    std::optional<double> lo = constant_value(st_, *first->lo, lo_env);
    std::optional<double> hi = constant_value(st_, *first->hi, hi_env);
    if (!lo || !hi) return;
    if (!(*lo < *hi)) {
      st_.diags.report(DiagId::EmptyInterval, join(first->lo->range, first->hi->range),
                       {number_text(*lo), number_text(*hi), *lo == *hi ? "empty" : "reversed"})
          .hint("write the smaller bound first, as in " + st_.indep_name + " in [0, 5]");
      return;
    }
    prob().t0 = *lo;
    prob().t1 = *hi;
    st_.have_interval = true;
  }

  void settings_and_reserved() {
    std::map<std::string, const Stmt*> seen;
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Set) continue;
      auto [it, fresh] = seen.emplace(s.name, &s);
      if (!fresh) {
        st_.diags.report(DiagId::Redefined, s.name_range, {s.name, " (the setting is given twice)"})
            .note(it->second->name_range, "first given here");
        continue;
      }
      // Checked here with the driver's own parser, so `pinnc check` reports a bad value
      // with its location rather than `pinnc train` failing later.
      TrainOptions scratch;
      std::string why;
      if (!scratch.set(s.name, s.raw, &why)) {
        st_.diags.report(DiagId::BadSetting, s.range, {why});
        continue;
      }
      prob().settings.push_back(FileSetting{s.name, s.raw, s.range});
    }
  }

  /// Reports non-finite constants or 0^-n left after inlining and simplification.
  bool hidden_division_by_zero(sym::Expr e, SourceRange where) {
    std::vector<sym::Expr> roots{e};
    for (sym::Expr n : sym::topo_order(roots)) {
      bool bad = (n->is_const() && !std::isfinite(n->value())) ||
                 (n->op() == sym::Op::Pow && n->arg(0)->is_const(0) && n->arg(1)->is_const() &&
                  n->arg(1)->value() < 0);
      if (bad) {
        st_.diags.report(DiagId::DivisionByZero, where, {" (after inlining and simplifying)"});
        return true;
      }
    }
    return false;
  }

  /// The statement as written, on one line: an XPPAUT continuation (`\` at a line's end)
  /// and CRLF line ends are joined into single spaces.
  std::string text_of(const Stmt& s) {
    std::string out;
    bool joined = false;  // just after a line break: skip the next line's indentation
    for (char c : st_.src.slice(s.range)) {
      if (c == '\r' || (joined && (c == ' ' || c == '\t'))) continue;
      joined = false;
      if (c == '\n') {
        if (!out.empty() && out.back() == '\\') out.pop_back();
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += ' ';
        joined = true;
        continue;
      }
      out += c;
    }
    return out;
  }

  /// d r / d u_j^(k) for every j, k; symbols r does not mention get 0 without a diff
  /// (a system of U unknowns would otherwise cost U^2 differentiations).
  std::vector<sym::Expr> partials(sym::Expr r) {
    std::set<sym::SymbolId> present;
    std::vector<sym::Expr> roots{r};
    for (sym::Expr n : sym::topo_order(roots))
      if (n->op() == sym::Op::Symbol) present.insert(n->symbol());
    std::vector<sym::Expr> out;
    for (const Unknown& u : prob().unknowns)
      for (sym::SymbolId d : u.derivs)
        out.push_back(present.count(d) ? sym::diff(ctx_, r, d) : ctx_.num(0));
    return out;
  }

  bool no_unknown(sym::Expr r, const Stmt& s, bool any_refs) {
    if (any_refs && sym::depends_on_kind(ctx_, r, sym::SymbolKind::Unknown)) return false;
    no_unknown_report(s, any_refs ? "; it simplifies to " + sym::print(ctx_, r) + " = 0" : "");
    return true;
  }

  void no_unknown_report(const Stmt& s, const std::string& why) {
    auto d = st_.diags.report(DiagId::EquationWithoutUnknown, s.range, {why});
    if (s.lhs->kind == ExprKind::Name && s.lhs->primes == 0 && st_.find(s.lhs->name) &&
        st_.find(s.lhs->name)->kind == NameKind::Param)
      d.hint("'" + s.lhs->name + "' is a parameter; give its value in 'param " + s.lhs->name + " = ...'");
  }

  void equation(const Stmt& s) {
    Env env;
    env.mode = Mode::Equation;
    sym::Expr l = convert(st_, *s.lhs, env);
    sym::Expr r = convert(st_, *s.rhs, env);
    if (!l || !r) return;
    sym::Expr res = sym::simplify(ctx_, ctx_.sub(l, r));
    if (no_unknown(res, s, !env.refs.empty())) return;
    if (hidden_division_by_zero(res, s.range)) return;
    Equation eq;
    eq.lhs = l;
    eq.rhs = r;
    eq.residual = res;
    eq.d_unknown = partials(res);
    for (const Param& p : prob().params)
      eq.d_param.push_back(sym::depends_on(res, p.symbol) ? sym::diff(ctx_, res, p.symbol) : ctx_.num(0));
    eq.range = s.range;
    eq.line = st_.src.line_col(s.range.begin).line;
    eq.text = text_of(s);
    prob().equations.push_back(std::move(eq));
  }

  void condition(const Stmt& s) {
    Env env;
    env.mode = Mode::Condition;
    sym::Expr l = convert(st_, *s.lhs, env);
    sym::Expr r = convert(st_, *s.rhs, env);
    if (!l || !r || !env.point) return;
    bool ok = true;
    for (const UnknownRef& ref : env.refs) {
      const Unknown& u = prob().unknowns[static_cast<std::size_t>(ref.unknown)];
      if (static_cast<std::size_t>(ref.order) >= u.derivs.size()) ok = false;
      if (u.order == 0) continue;  // E-not-differentiated is reported for it
      if (ref.order < u.order) continue;
      std::string fixes = primed(u.name, 0);
      for (int k = 1; k < u.order; ++k)
        fixes += (k + 1 == u.order ? " and " : ", ") + primed(u.name, k);
      st_.diags.report(DiagId::ConditionOrder, ref.range,
                       {primed(u.name, ref.order), u.name, std::to_string(u.order), fixes});
      ok = false;
    }
    if (!ok) return;
    sym::Expr g = sym::simplify(ctx_, ctx_.sub(l, r));
    if (no_unknown(g, s, !env.refs.empty())) return;
    if (hidden_division_by_zero(g, s.range)) return;
    double point = *env.point;
    if (st_.have_interval) {
      double eps = 1e-12 * (prob().t1 - prob().t0);
      if (point < prob().t0 - eps || point > prob().t1 + eps) {
        st_.diags.report(DiagId::ConditionOutside, env.point_range,
                         {st_.indep_name, number_text(point), number_text(prob().t0),
                          number_text(prob().t1)})
            .hint("conditions hold at a point of the interval, usually an end");
        ok = false;
      }
    }
    if (!ok) return;
    Condition c;
    c.point = point;
    c.g = g;
    c.d_unknown = partials(g);
    simple_form(c, env);
    c.range = s.range;
    c.line = st_.src.line_col(s.range.begin).line;
    c.text = text_of(s);
    for (std::size_t i = 0; i < prob().conditions.size(); ++i) {
      const Condition& o = prob().conditions[i];
      bool same_target = o.unknown && c.unknown && *o.unknown == *c.unknown && *o.order == *c.order;
      if (o.point == c.point && (o.g == c.g || same_target)) {
        // The same target with another value is a conflict, not a repetition: say so.
        const std::string detail =
            same_target && o.value != c.value
                ? fmt::format(", with a different value: {} here, {} on line {}", number_text(c.value),
                              number_text(o.value), o.line)
                : std::string();
        st_.diags.report(DiagId::DuplicateCondition, s.range, {detail})
            .note(o.range, "first given here")
            .hint(detail.empty() ? "remove one of the two" : "keep the one you mean and remove the other");
        return;
      }
    }
    prob().conditions.push_back(std::move(c));
  }

  /// Fills unknown/order/value when the condition is `u^(k)(point) = constant`.
  void simple_form(Condition& c, const Env& env) {
    const UnknownRef& first = env.refs.front();
    for (const UnknownRef& r : env.refs)
      if (r.unknown != first.unknown || r.order != first.order) return;
    const Unknown& u = prob().unknowns[static_cast<std::size_t>(first.unknown)];
    sym::SymbolId s = u.derivs[static_cast<std::size_t>(first.order)];
    sym::Expr slope = sym::simplify(ctx_, sym::diff(ctx_, c.g, s));
    if (!slope->is_const() || slope->value() == 0) return;
    sym::Expr rest = sym::simplify(ctx_, sym::substitute(ctx_, c.g, {{s, ctx_.num(0)}}));
    if (sym::depends_on_kind(ctx_, rest, sym::SymbolKind::Unknown) ||
        sym::depends_on_kind(ctx_, rest, sym::SymbolKind::Indep))
      return;
    // A value from an identified or ranged parameter is not one number: the condition
    // stays a loss term (soft), whose derivative in the parameter the kernels give.
    for (const Param& q : prob().params)
      if (q.variable() && sym::depends_on(rest, q.symbol)) return;
    std::vector<double> v = st_.values(c.point);
    double value = -sym::eval(ctx_, rest, v) / slope->value();
    if (!std::isfinite(value)) return;
    if (value == 0) value = 0;  // no -0 in printed output
    c.unknown = first.unknown;
    c.order = first.order;
    c.value = value;
  }

  void exacts() {
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Exact) continue;
      const NameEntry* n = st_.find(s.name);
      if (!n || n->kind != NameKind::Unknown) {
        auto d = st_.diags.report(DiagId::ExactNotUnknown, s.name_range, {s.name});
        std::vector<std::string> unknown_names;
        for (const Unknown& u : prob().unknowns) unknown_names.push_back(u.name);
        if (auto best = closest_name(s.name, unknown_names)) d.hint("did you mean '" + *best + "'?");
        continue;
      }
      auto dup = std::find_if(prob().exact.begin(), prob().exact.end(),
                              [&](const Exact& x) { return x.unknown == n->index; });
      if (dup != prob().exact.end()) {
        st_.diags.report(DiagId::Redefined, s.range, {s.name, " (its exact solution is given twice)"})
            .note(dup->range, "first given here");
        continue;
      }
      if (sym::Expr e = statement_value(s, Mode::Exact)) prob().exact.push_back(Exact{n->index, e, s.range});
    }
  }

  /// The value of an `exact` or `aux` statement, converted in `mode` and simplified; null
  /// after an error (reported).
  sym::Expr statement_value(const Stmt& s, Mode mode) {
    Env env;
    env.mode = mode;
    env.owner = s.name;
    sym::Expr e = convert(st_, *s.rhs, env);
    if (!e) return nullptr;
    e = sym::simplify(ctx_, e);
    return hidden_division_by_zero(e, s.range) ? nullptr : e;
  }

  /// aux name = expr: a function of t, the unknowns (and derivatives up to the problem's
  /// order) and parameters, with a name of its own.
  void auxes() {
    for (const Stmt& s : prog_.stmts) {
      if (s.kind != StmtKind::Aux) continue;
      if (const NameEntry* n = st_.find(s.name)) {
        auto d = st_.diags.report(DiagId::Redefined, s.name_range, {s.name, ""});
        if (n->def.end > 0) d.note(n->def, "defined here");
        continue;
      }
      auto dup = std::find_if(prob().aux.begin(), prob().aux.end(), [&](const Aux& a) { return a.name == s.name; });
      if (dup != prob().aux.end()) {
        st_.diags.report(DiagId::Redefined, s.name_range, {s.name, " as an aux quantity"}).note(dup->range, "first given here");
        continue;
      }
      if (sym::Expr e = statement_value(s, Mode::Aux)) prob().aux.push_back(Aux{s.name, e, s.range});
    }
  }

  State& st_;
  const ast::Program& prog_;
  sym::Context& ctx_;
  const Stmt* interval_stmt_ = nullptr;
  std::vector<const Stmt*> param_stmts_;
  std::vector<StmtRole> roles_;
  SemaOptions options_;
};

}  // namespace
}  // namespace sema

std::optional<Problem> analyze(const ast::Program& program, const SourceFile& src,
                               DiagnosticEngine& diags, const SemaOptions& options) {
  Problem prob;
  prob.ctx = std::make_unique<sym::Context>();
  prob.file_name = src.name();
  prob.source = src.text();
  sema::State st(src, diags, prob);
  try {
    sema::Analyzer(st, program, options).run();
  } catch (const std::bad_alloc&) {
    diags.bug("out of memory during semantic analysis", "sema/sema.cpp");
  } catch (const std::exception& e) {
    diags.bug(e.what(), "sema/sema.cpp");
  }
  if (diags.has_errors()) return std::nullopt;
  return prob;
}

sym::Expr expression_in(Problem& problem, const ast::Expr& e, const SourceFile& src,
                        DiagnosticEngine& diags) {
  sema::State st(src, diags, problem);
  using sema::NameEntry;
  using sema::NameKind;
  sema::for_each_builtin([&st](std::string name, int i) { st.names.emplace(std::move(name), NameEntry{NameKind::Builtin, i, {}}); });
  st.names.emplace("pi", NameEntry{NameKind::Pi, 0, {}});
  st.indep_name = problem.indep_name;
  st.names.emplace(problem.indep_name, NameEntry{NameKind::Indep, 0, {}});
  for (std::size_t q = 0; q < problem.params.size(); ++q)
    st.names.emplace(problem.params[q].name, NameEntry{NameKind::Param, static_cast<int>(q), problem.params[q].range});
  for (std::size_t j = 0; j < problem.unknowns.size(); ++j)
    st.names.emplace(problem.unknowns[j].name, NameEntry{NameKind::Unknown, static_cast<int>(j), problem.unknowns[j].first_use});
  for (std::size_t i = 0; i < problem.functions.size(); ++i) {
    const UserFunction& f = problem.functions[i];
    sema::FunctionInfo info;
    info.name = f.name;
    info.args = f.args;
    info.body = f.body;
    info.range = info.name_range = f.range;
    st.functions.push_back(info);
    st.names.emplace(f.name, NameEntry{NameKind::Function, static_cast<int>(i), f.range});
  }
  st.param_used.assign(problem.params.size(), false);
  sema::Env env;
  env.mode = sema::Mode::Equation;
  try {
    return sema::convert(st, e, env);
  } catch (const std::exception& ex) {
    diags.bug(ex.what(), "sema/sema.cpp");
    return nullptr;
  }
}

}  // namespace pinnc
