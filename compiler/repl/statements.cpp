// statements.cpp — see statements.h.
#include "repl/statements.h"

#include <cctype>

namespace pinnc::repl {

namespace {

/// A reference to an unknown in an equation-shaped statement.
struct Ref {
  std::string name;
  int order = 0;
  bool at_point = false;  ///< y(0), y'(1): a condition's value
  std::string point;      ///< the argument as written, without spaces
};

std::string without_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

void collect_refs(const ast::Expr& e, const SourceFile& src, const std::set<std::string>& unknowns,
                  const std::string& indep, std::vector<Ref>* out) {
  switch (e.kind) {
    case ast::ExprKind::Name:
      if (e.primes > 0 || unknowns.count(e.name)) out->push_back(Ref{e.name, e.primes, false, {}});
      break;
    case ast::ExprKind::DerivFrac:
      out->push_back(Ref{e.name, e.primes, false, {}});
      break;
    case ast::ExprKind::Call:
      if (e.primes > 0 || unknowns.count(e.name)) {
        bool of_t = e.args.size() == 1 && e.args[0]->kind == ast::ExprKind::Name && e.args[0]->primes == 0 &&
                    e.args[0]->name == indep;
        std::string point;
        if (!of_t && !e.args.empty())
          point = without_spaces(src.slice(join(e.args.front()->range, e.args.back()->range)));
        out->push_back(Ref{e.name, e.primes, !of_t, point});
      }
      break;
    default:
      break;
  }
  for (const ast::ExprPtr& a : e.args)
    if (a) collect_refs(*a, src, unknowns, indep, out);
}

/// The highest-order reference among those with `at_point`, leftmost on a tie.
const Ref* highest(const std::vector<Ref>& refs, bool at_point) {
  const Ref* best = nullptr;
  for (const Ref& r : refs)
    if (r.at_point == at_point && (!best || r.order > best->order)) best = &r;
  return best;
}

bool is_function_definition(const ast::Stmt& s, const std::set<std::string>& unknowns) {
  const ast::Expr* lhs = s.lhs.get();
  if (!lhs || lhs->kind != ast::ExprKind::Call || lhs->primes != 0 || unknowns.count(lhs->name)) return false;
  for (const ast::ExprPtr& a : lhs->args)
    if (!a || a->kind != ast::ExprKind::Name || a->primes != 0) return false;
  return !lhs->args.empty();
}

}  // namespace

void collect_differentiated(const ast::Expr& e, std::set<std::string>* out) {
  if ((e.kind == ast::ExprKind::Name || e.kind == ast::ExprKind::Call) && e.primes > 0) out->insert(e.name);
  if (e.kind == ast::ExprKind::DerivFrac) out->insert(e.name);
  for (const ast::ExprPtr& a : e.args)
    if (a) collect_differentiated(*a, out);
}

void collect_differentiated(const ast::Stmt& s, std::set<std::string>* out) {
  for (const ast::ExprPtr* e : {&s.lhs, &s.rhs, &s.lo, &s.hi})
    if (*e) collect_differentiated(**e, out);
}

Statement make_statement(const ast::Stmt& s, const SourceFile& src, const std::set<std::string>& unknowns,
                         const std::string& indep) {
  Statement st;
  st.text = std::string(src.slice(s.range));
  st.name = s.name;
  switch (s.kind) {
    case ast::StmtKind::Param:
    case ast::StmtKind::ParamUnknown:
    case ast::StmtKind::ParamRange:
      st.key = "param " + s.name;
      st.label = "parameter " + s.name;
      return st;
    case ast::StmtKind::Interval:
      st.key = "interval";
      st.label = "the interval";
      return st;
    case ast::StmtKind::Exact:
      st.key = "exact " + s.name;
      st.label = "the exact solution of " + s.name;
      return st;
    case ast::StmtKind::Aux:
      st.key = "aux " + s.name;
      st.label = "the quantity " + s.name;
      return st;
    case ast::StmtKind::Set:
      st.key = "set " + s.name;
      st.label = "setting " + s.name;
      return st;
    case ast::StmtKind::Data:
      st.key = "data " + s.name;
      st.label = "the data of " + s.name;
      return st;
    case ast::StmtKind::Equation:
      break;
  }
  if (is_function_definition(s, unknowns)) {
    st.name = s.lhs->name;
    st.key = "function " + st.name;
    st.label = "function " + st.name;
    return st;
  }
  std::vector<Ref> refs;
  for (const ast::ExprPtr* e : {&s.lhs, &s.rhs})
    if (*e) collect_refs(**e, src, unknowns, indep, &refs);
  if (const Ref* r = highest(refs, false)) {
    st.name = r->name;
    st.key = "equation " + r->name;
    st.label = "the equation for " + r->name;
  } else if (const Ref* c = highest(refs, true)) {
    st.name = c->name;
    std::string what = c->name + std::string(static_cast<std::size_t>(c->order), '\'') + "(" + c->point + ")";
    st.key = "condition " + what;
    st.label = "the condition on " + what;
  } else {
    st.label = "this statement";
  }
  return st;
}

std::pair<std::size_t, std::optional<Statement>> StatementList::put(Statement s) {
  if (!s.key.empty())
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (items_[i].key == s.key) {
        Statement old = std::move(items_[i]);
        items_[i] = std::move(s);
        return {i, std::move(old)};
      }
  items_.push_back(std::move(s));
  return {items_.size() - 1, std::nullopt};
}

void StatementList::erase(std::size_t i) {
  if (i < items_.size()) items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
}

std::string StatementList::text() const {
  std::string out;
  for (const Statement& s : items_) out += s.text + '\n';
  return out;
}

uint32_t StatementList::offset(std::size_t i) const {
  std::size_t off = 0;
  for (std::size_t k = 0; k < i && k < items_.size(); ++k) off += items_[k].text.size() + 1;
  return static_cast<uint32_t>(off);
}

std::string StatementList::indep_name() const {
  for (const Statement& s : items_)
    if (s.key == "interval") return s.name;
  return "t";
}

}  // namespace pinnc::repl
