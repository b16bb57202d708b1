// lower.cpp — Problem -> kernel IR: trial-solution synthesis and tape construction.
#include "lower/lower.h"

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "symbolic/symbolic.h"

namespace pinnc::lower {

using sym::Expr;
using sym::Op;

Block build_block(const Problem& problem, const std::vector<Output>& outputs, int64_t point) {
  const sym::Context& ctx = *problem.ctx;
  const int stack = problem.order + 1;
  Block block;
  block.point = point;
  std::vector<Expr> roots;
  roots.reserve(outputs.size());
  for (const Output& o : outputs) roots.push_back(o.expr);
  std::unordered_map<Expr, uint32_t> index;  // lookup only; order comes from topo_order
  for (Expr e : sym::topo_order(roots)) {
    Instr in;
    in.op = e->op();
    const sym::OpInfo& info = sym::op_info(e->op());
    if (e->op() == Op::Const) {
      in.value = e->value();
    } else if (e->op() == Op::Symbol) {
      const sym::Symbol& s = ctx.symbol(e->symbol());
      switch (s.kind) {
        case sym::SymbolKind::Indep: in.input = Input::T; break;
        case sym::SymbolKind::Unknown:
          in.input = Input::U;
          in.slot = static_cast<uint32_t>(s.index * stack + s.order);
          break;
        case sym::SymbolKind::Param:
          in.input = Input::Param;
          in.slot = static_cast<uint32_t>(s.index);
          break;
        case sym::SymbolKind::Local:
          throw std::logic_error("pinnc bug: function argument '" + s.name + "' survived inlining");
      }
    } else if (std::optional<int32_t> n = info.integer_power && e->arg(1)->is_const()
                                               ? sym::integer_exponent(e->arg(1)->value())
                                               : std::nullopt) {
      in.int_exponent = *n;  // repeated multiplication (ops.h)
      in.args = {index.at(e->arg(0))};
    } else {
      for (Expr a : e->args()) in.args.push_back(index.at(a));
    }
    index.emplace(e, static_cast<uint32_t>(block.code.size()));
    block.code.push_back(std::move(in));
  }
  for (const Output& o : outputs) block.stores.push_back({o.array, o.slot, index.at(o.expr), o.comment});
  return block;
}

namespace {

bool is_zero(Expr e) { return e->is_const(0.0); }

/// True if condition `c` involves unknown `j` at all.
bool mentions(const Problem& p, const Condition& c, int j) {
  for (int k = 0; k <= p.order; ++k)
    if (!is_zero(c.d_unknown[j * (p.order + 1) + k])) return true;
  return false;
}

std::string deriv_name(const std::string& name, int k) { return name + std::string(k, '\''); }

/// Picks the trial form of unknown j; `used` receives the conditions it makes exact.
TrialForm plan_unknown(Problem& p, int j, ConditionMode mode, std::vector<int>& used) {
  TrialForm soft{false, nullptr, nullptr, "soft"};
  const int m = p.unknowns[j].order;
  if (mode == ConditionMode::Soft || m == 0) return soft;
  std::vector<int> mine;
  for (int c = 0; c < static_cast<int>(p.conditions.size()); ++c)
    if (mentions(p, p.conditions[c], j)) mine.push_back(c);
  for (int c : mine)  // every condition on j must be a plain value of j or a derivative
    if (!p.conditions[c].unknown || *p.conditions[c].unknown != j) return soft;
  if (static_cast<int>(mine.size()) != m) return soft;

  sym::Context& ctx = *p.ctx;
  Expr t = ctx.sym(p.indep);
  const double length = p.t1 - p.t0;
  // Initial value problem: u^(k)(a) = c_k for k = 0..m-1, all at one point a.
  //   A(t) = sum_k c_k (t - a)^k / k!,  B(t) = ((t - a) / L)^m
  // so A carries the conditions and B and its first m-1 derivatives vanish at a.
  std::vector<const Condition*> by_order(m, nullptr);
  bool ivp = true;
  const double a = p.conditions[mine[0]].point;
  for (int c : mine) {
    const Condition& cond = p.conditions[c];
    int k = *cond.order;
    if (cond.point != a || k >= m || by_order[k]) {
      ivp = false;
      break;
    }
    by_order[k] = &cond;
  }
  if (ivp) {
    Expr dt = ctx.sub(t, ctx.num(a));
    std::vector<Expr> terms;
    double factorial = 1;
    for (int k = 0; k < m; ++k) {
      if (k > 0) factorial *= k;
      terms.push_back(ctx.mul(ctx.num(by_order[k]->value / factorial), ctx.pow(dt, ctx.num(k))));
    }
    Expr A = sym::simplify(ctx, ctx.add(terms));
    Expr B = sym::simplify(ctx, ctx.pow(ctx.div(dt, ctx.num(length)), ctx.num(m)));
    used.insert(used.end(), mine.begin(), mine.end());
    return {true, A, B, "initial value"};
  }
  // Dirichlet two-point problem of order 2: u(a) = alpha, u(b) = beta.
  //   A(t) = alpha + (beta - alpha) (t - a) / (b - a),  B(t) = (t - a)(t - b) / L^2
  if (m == 2 && *p.conditions[mine[0]].order == 0 && *p.conditions[mine[1]].order == 0 &&
      p.conditions[mine[0]].point != p.conditions[mine[1]].point) {
    const Condition& ca = p.conditions[mine[0]];
    const Condition& cb = p.conditions[mine[1]];
    Expr ta = ctx.sub(t, ctx.num(ca.point));
    Expr tb = ctx.sub(t, ctx.num(cb.point));
    Expr A = ctx.add(ctx.num(ca.value),
                     ctx.mul(ctx.num((cb.value - ca.value) / (cb.point - ca.point)), ta));
    Expr B = ctx.div(ctx.mul(ta, tb), ctx.num(length * length));
    used.insert(used.end(), mine.begin(), mine.end());
    return {true, sym::simplify(ctx, A), sym::simplify(ctx, B), "Dirichlet"};
  }
  return soft;
}

}  // namespace

Lowered lower(Problem& p, ConditionMode mode) {
  sym::Context& ctx = *p.ctx;
  Lowered out;
  KernelModule& m = out.module;
  const int K = p.order, S = static_cast<int>(p.unknowns.size()) * (K + 1);
  const int Q = static_cast<int>(p.params.size());
  m.n_unknowns = static_cast<int>(p.unknowns.size());
  m.order = K;
  m.n_equations = static_cast<int>(p.equations.size());
  m.n_params = Q;

  // Trial forms first: they decide which conditions stay soft.
  std::vector<int> hard_conditions;
  for (int j = 0; j < m.n_unknowns; ++j) out.trial.push_back(plan_unknown(p, j, mode, hard_conditions));
  for (int c = 0; c < static_cast<int>(p.conditions.size()); ++c) {
    bool hard = false;
    for (int h : hard_conditions) hard |= h == c;
    if (!hard) {
      out.soft_conditions.push_back(c);
      out.soft_points.push_back(p.conditions[c].point);
    }
  }
  m.n_conditions = static_cast<int>(out.soft_conditions.size());

  auto slot_name = [&](int s) {
    return deriv_name(p.unknowns[s / (K + 1)].name, s % (K + 1));
  };

  // Residual kernel: one block over all points. Only the structurally non-zero partials
  // are stored; their (equation, slot) pairs are the pattern the runtime reads dr with.
  {
    std::vector<Output> outs;
    for (int e = 0; e < m.n_equations; ++e) {
      const Equation& eq = p.equations[e];
      outs.push_back({0, uint32_t(e), eq.residual, fmt::format("line {}: {}", eq.line, eq.text)});
      for (int s = 0; s < S; ++s) {
        if (is_zero(eq.d_unknown[s])) continue;
        outs.push_back({1, uint32_t(m.residual_partials.size()), eq.d_unknown[s],
                        fmt::format("d r{} / d {}", e, slot_name(s))});
        m.residual_partials.add(e, s);
      }
      for (int q = 0; q < Q; ++q) {
        if (is_zero(eq.d_param[q])) continue;
        outs.push_back({2, uint32_t(m.residual_param_partials.size()), eq.d_param[q],
                        fmt::format("d r{} / d {}", e, p.params[q].name)});
        m.residual_param_partials.add(e, q);
      }
    }
    m.residual.kind = KernelKind::residual;
    m.residual.name = "pinnc_residual";
    m.residual.blocks.push_back(build_block(p, outs));
  }
  // Conditions kernel: block c runs at point index c only and stores G_c and its
  // non-zero partials, one value each.
  m.conditions.kind = KernelKind::conditions;
  m.conditions.name = "pinnc_conditions";
  for (int c = 0; c < m.n_conditions; ++c) {
    const Condition& cond = p.conditions[out.soft_conditions[c]];
    std::vector<Output> outs;
    outs.push_back({0, uint32_t(c), cond.g, "G"});
    for (int s = 0; s < S; ++s) {
      if (is_zero(cond.d_unknown[s])) continue;
      outs.push_back({1, uint32_t(m.condition_partials.size()), cond.d_unknown[s],
                      fmt::format("d G{} / d {}", c, slot_name(s))});
      m.condition_partials.add(c, s);
    }
    for (int q = 0; q < Q; ++q) {
      Expr d = sym::diff(ctx, cond.g, p.params[q].symbol);
      if (is_zero(d)) continue;
      outs.push_back({2, uint32_t(m.condition_param_partials.size()), d,
                      fmt::format("d G{} / d {}", c, p.params[q].name)});
      m.condition_param_partials.add(c, q);
    }
    Block b = build_block(p, outs, c);
    b.comment = fmt::format("line {}: {}", cond.line, cond.text);
    m.conditions.blocks.push_back(std::move(b));
  }
  // Trial kernel: A, B and their t-derivatives up to K.
  m.trial.kind = KernelKind::trial;
  m.trial.name = "pinnc_trial";
  for (const TrialForm& f : out.trial) m.has_trial |= f.hard;
  if (m.has_trial) {
    std::vector<Output> outs;
    for (int j = 0; j < m.n_unknowns; ++j) {
      const TrialForm& f = out.trial[j];
      Expr a = f.hard ? f.a : ctx.num(0), b = f.hard ? f.b : ctx.num(1);
      for (int k = 0; k <= K; ++k) {
        outs.push_back({0, uint32_t(j * (K + 1) + k), a, fmt::format("A of {}", slot_name(j * (K + 1) + k))});
        outs.push_back({1, uint32_t(j * (K + 1) + k), b, fmt::format("B of {}", slot_name(j * (K + 1) + k))});
        a = sym::diff(ctx, a, p.indep);
        b = sym::diff(ctx, b, p.indep);
      }
    }
    m.trial.blocks.push_back(build_block(p, outs));
  }
  // Exact kernel: the exact solution and its t-derivatives; NaN where none is given.
  m.exact.kind = KernelKind::exact;
  m.exact.name = "pinnc_exact";
  m.has_exact = !p.exact.empty();
  if (m.has_exact) {
    std::vector<Output> outs;
    std::vector<uint32_t> missing;
    for (int j = 0; j < m.n_unknowns; ++j) {
      Expr e = nullptr;
      for (const Exact& x : p.exact)
        if (x.unknown == j) e = x.expr;
      for (int k = 0; k <= K; ++k) {
        const uint32_t slot = uint32_t(j * (K + 1) + k);
        if (!e) {
          missing.push_back(slot);
          continue;
        }
        outs.push_back({0, slot, e, fmt::format("exact {}", slot_name(slot))});
        e = sym::diff(ctx, e, p.indep);
      }
    }
    Block b = build_block(p, outs);
    if (!missing.empty()) {  // NaN marks "no exact solution for this unknown"
      Instr nan;
      nan.value = std::numeric_limits<double>::quiet_NaN();
      b.code.push_back(nan);
      for (uint32_t slot : missing)
        b.stores.push_back({0, slot, uint32_t(b.code.size() - 1), "no exact solution"});
    }
    m.exact.blocks.push_back(std::move(b));
  }
  // Aux kernel: the auxiliary quantities, in t, the unknowns' stack and parameters.
  m.aux.kind = KernelKind::aux;
  m.aux.name = "pinnc_aux";
  m.n_aux = static_cast<int>(p.aux.size());
  m.has_aux = !p.aux.empty();
  if (m.has_aux) {
    std::vector<Output> outs;
    for (std::size_t a = 0; a < p.aux.size(); ++a)
      outs.push_back({0, uint32_t(a), p.aux[a].expr, "aux " + p.aux[a].name});
    m.aux.blocks.push_back(build_block(p, outs));
  }
  return out;
}

}  // namespace pinnc::lower
