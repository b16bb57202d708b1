// print_problem.cpp — text forms of a checked Problem.
#include "sema/print_problem.h"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "symbolic/symbolic.h"

namespace pinnc {

namespace {

std::string num(double v) { return fmt::format("{}", v); }

std::string expr_text(const Problem& p, sym::Expr e) { return sym::print(*p.ctx, e); }

/// "d/dy'" etc. for the partial derivative column `i` of d_unknown.
std::string partial_label(const Problem& p, std::size_t i) {
  std::size_t width = static_cast<std::size_t>(p.order) + 1;
  const Unknown& u = p.unknowns[i / width];
  sym::SymbolId s = u.derivs[i % width];
  return "d/d" + sym::print(*p.ctx, p.ctx->sym(s));
}

void partials(std::string& out, const Problem& p, const std::vector<sym::Expr>& d_unknown,
              const std::vector<sym::Expr>* d_param, const std::string& pad) {
  std::vector<std::pair<std::string, std::string>> rows;
  // Per unknown, the highest derivative first (d/dy'', d/dy', d/dy).
  std::size_t width = static_cast<std::size_t>(p.order) + 1;
  for (std::size_t j = 0; j * width < d_unknown.size(); ++j)
    for (std::size_t k = width; k-- > 0;) {
      std::size_t i = j * width + k;
      if (i < d_unknown.size() && !d_unknown[i]->is_const(0))
        rows.emplace_back(partial_label(p, i), expr_text(p, d_unknown[i]));
    }
  if (d_param)
    for (std::size_t q = 0; q < d_param->size(); ++q)
      if (!(*d_param)[q]->is_const(0))
        rows.emplace_back("d/d" + p.params[q].name, expr_text(p, (*d_param)[q]));
  std::size_t w = 0;
  for (const auto& [label, text] : rows) w = std::max(w, label.size());
  for (const auto& [label, text] : rows)
    out += fmt::format("{}{}:{} {}\n", pad, label, std::string(w - label.size(), ' '), text);
}

}  // namespace

std::string describe_equation(const Problem& p, std::size_t index, int indent) {
  const Equation& eq = p.equations[index];
  std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = fmt::format("{}residual: {}\n", pad, expr_text(p, eq.residual));
  partials(out, p, eq.d_unknown, &eq.d_param, pad + "  ");
  return out;
}

std::string describe(const Problem& p) {
  std::string out;
  out += fmt::format("problem {}\n", p.file_name);
  out += fmt::format("interval: {} in [{}, {}]\n", p.indep_name, num(p.t0), num(p.t1));
  out += "parameters:";
  if (p.params.empty()) out += " none";
  out += '\n';
  for (const Param& q : p.params) {
    if (q.ranged) {
      out += fmt::format("  {} in [{}, {}]  (a solution bundle: the network takes {} as an input)\n", q.name, num(q.lower),
                         num(q.upper), q.name);
      continue;
    }
    if (!q.identified) {
      out += fmt::format("  {} = {}\n", q.name, num(q.value));
      continue;
    }
    const bool bounded = std::isfinite(q.lower) || std::isfinite(q.upper);
    out += fmt::format("  {} = ? {}  (identified from the data, starting from {}{})\n", q.name, num(q.value), num(q.value),
                       bounded ? fmt::format(", within [{}, {}]", num(q.lower), num(q.upper)) : "");
  }
  out += fmt::format("unknowns (problem order {}):\n", p.order);
  for (const Unknown& u : p.unknowns) out += fmt::format("  {}  order {}\n", u.name, u.order);
  for (const UserFunction& f : p.functions) {
    std::string args;
    for (std::size_t i = 0; i < f.args.size(); ++i)
      args += (i ? ", " : "") + p.ctx->symbol(f.args[i]).name;
    out += fmt::format("function {}({}) = {}\n", f.name, args, expr_text(p, f.body));
  }
  for (std::size_t i = 0; i < p.equations.size(); ++i) {
    const Equation& eq = p.equations[i];
    out += fmt::format("equation {} (line {}): {}\n", i + 1, eq.line, eq.text);
    out += describe_equation(p, i, 2);
  }
  for (std::size_t i = 0; i < p.conditions.size(); ++i) {
    const Condition& c = p.conditions[i];
    out += fmt::format("condition {} (line {}): {}\n", i + 1, c.line, c.text);
    out += fmt::format("  at {} = {}: {} = 0\n", p.indep_name, num(c.point), expr_text(p, c.g));
    if (c.unknown) {
      const Unknown& u = p.unknowns[static_cast<std::size_t>(*c.unknown)];
      out += fmt::format("  fixes {}({}) = {}\n",
                         u.name + std::string(static_cast<std::size_t>(*c.order), '\''),
                         num(c.point), num(c.value));
    }
    partials(out, p, c.d_unknown, nullptr, "    ");
  }
  for (const Exact& x : p.exact)
    out += fmt::format("exact {} = {}\n", p.unknowns[static_cast<std::size_t>(x.unknown)].name,
                       expr_text(p, x.expr));
  for (const Aux& a : p.aux) out += fmt::format("aux {} = {}\n", a.name, expr_text(p, a.expr));
  for (const DataSet& d : p.data) {
    std::string names;
    for (int j : d.unknowns) names += (names.empty() ? "" : ", ") + p.unknowns[static_cast<std::size_t>(j)].name;
    std::size_t values = 0;
    for (const auto& column : d.values)
      for (double v : column) values += std::isnan(v) ? 0 : 1;
    out += fmt::format("data (line {}): {} from {}: {} times, {} values\n", d.line, names, d.file, d.t.size(), values);
  }
  for (const FileSetting& s : p.settings) out += fmt::format("set {} = {}\n", s.key, s.value);
  return out;
}

std::string dump_ir(const Problem& p) {
  std::vector<std::pair<std::string, sym::Expr>> roots;
  for (std::size_t i = 0; i < p.equations.size(); ++i) {
    const Equation& eq = p.equations[i];
    roots.emplace_back(fmt::format("residual{}", i + 1), eq.residual);
    for (std::size_t k = 0; k < eq.d_unknown.size(); ++k)
      roots.emplace_back(fmt::format("residual{} {}", i + 1, partial_label(p, k)), eq.d_unknown[k]);
    for (std::size_t q = 0; q < eq.d_param.size(); ++q)
      roots.emplace_back(fmt::format("residual{} d/d{}", i + 1, p.params[q].name), eq.d_param[q]);
  }
  for (std::size_t i = 0; i < p.conditions.size(); ++i)
    roots.emplace_back(fmt::format("condition{}", i + 1), p.conditions[i].g);
  for (const Exact& x : p.exact)
    roots.emplace_back("exact " + p.unknowns[static_cast<std::size_t>(x.unknown)].name, x.expr);
  for (const Aux& a : p.aux) roots.emplace_back("aux " + a.name, a.expr);
  std::vector<sym::Expr> exprs;
  for (const auto& r : roots) exprs.push_back(r.second);
  // Number nodes in topological order (ids independent of creation order).
  std::map<sym::Expr, std::size_t> number;
  std::string out;
  for (sym::Expr n : sym::topo_order(exprs)) {
    std::size_t id = number.size();
    number[n] = id;
    out += fmt::format("%{} = ", id);
    switch (n->op()) {
      case sym::Op::Const: out += fmt::format("const {}", num(n->value())); break;
      case sym::Op::Symbol: out += "symbol " + sym::print(*p.ctx, n); break;
      default:
        out += std::string(sym::op_info(n->op()).name);
        for (sym::Expr a : n->args()) out += fmt::format(" %{}", number[a]);
    }
    out += '\n';
  }
  for (const auto& [label, e] : roots) out += fmt::format("{} = %{}\n", label, number[e]);
  return out;
}

}  // namespace pinnc
