// convert.cpp — sema's expression converter: AST expressions -> symbolic expressions,
// resolving names, derivatives, unknown references and user-function calls.
#include "sema/scope.h"

#include <cmath>
#include <numbers>
#include <unordered_map>

#include <fmt/format.h>

#include "pinnc/kernel_abi.h"
#include "base/names.h"
#include "symbolic/symbolic.h"

namespace pinnc::sema {

using ast::ExprKind;

const NameEntry* State::find(std::string_view name) const {
  auto it = names.find(name);
  return it == names.end() ? nullptr : &it->second;
}

std::vector<std::string> State::function_names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : names)
    if (entry.kind == NameKind::Builtin || entry.kind == NameKind::Function) out.push_back(name);
  return out;
}

std::vector<std::string> State::all_names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : names) out.push_back(name);
  return out;
}

std::vector<double> State::values(double t_value) const {
  std::vector<double> v(prob.ctx->symbol_count(), 0.0);
  if (prob.indep < v.size()) v[prob.indep] = t_value;
  for (const Param& p : prob.params)
    if (p.symbol < v.size()) v[p.symbol] = p.value;
  return v;
}

bool proven_zero(State& st, sym::Expr e) {
  return e && sym::simplify(st.ctx(), e)->is_const(0);
}

std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  return fmt::format("{}", v);
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string primed(const std::string& name, int order) {
  return name + std::string(static_cast<std::size_t>(std::max(order, 0)), '\'');
}

namespace {

const char* kind_phrase(NameKind k) {
  switch (k) {
    case NameKind::Param: return "a parameter";
    case NameKind::Function: return "a function";
    case NameKind::Unknown: return "an unknown";
    case NameKind::Indep: return "the independent variable";
    case NameKind::Builtin: return "a built-in function";
    case NameKind::Pi: return "the constant pi";
  }
  return "a name";
}

class Converter {
 public:
  Converter(State& st, Env& env) : st_(st), env_(env), ctx_(st.ctx()) {}

  sym::Expr run(const ast::Expr& e) {
    sym::Expr r = conv(e);
    if (!r) env_.failed = true;
    return r;
  }

 private:
  sym::Expr fail() {
    env_.failed = true;
    return nullptr;
  }

  bool grow(std::size_t n, SourceRange where) {
    env_.size += n;
    if (env_.size <= kMaxExpandedSize) return true;
    if (!too_large_reported_) {
      too_large_reported_ = true;
      st_.diags.report(DiagId::ExpressionTooLarge, where, {std::to_string(kMaxExpandedSize)})
          .hint("user functions are inlined; nesting calls multiplies the size");
    }
    return false;
  }

  sym::Expr conv(const ast::Expr& e) {
    if (!grow(1, e.range)) return fail();
    switch (e.kind) {
      case ExprKind::Number:
        return ctx_.num(e.number);
      case ExprKind::Name:
        return name(e);
      case ExprKind::Call:
        return call(e);
      case ExprKind::DerivFrac:
        return deriv_frac(e);
      case ExprKind::Unary: {
        sym::Expr a = conv(*e.args[0]);
        if (!a) return nullptr;
        return e.op == '-' ? ctx_.neg(a) : a;
      }
      case ExprKind::Binary:
        return binary(e);
    }
    return fail();
  }

  sym::Expr binary(const ast::Expr& e) {
    sym::Expr a = conv(*e.args[0]);
    sym::Expr b = conv(*e.args[1]);
    if (!a || !b) return fail();
    switch (e.op) {
      case '+': return ctx_.add(a, b);
      case '-': return ctx_.sub(a, b);
      case '*': return ctx_.mul(a, b);
      case '/':
        if (proven_zero(st_, b)) {
          auto d = st_.diags.report(DiagId::DivisionByZero, e.args[1]->range, {""});
          if (e.args[1]->kind != ExprKind::Number)
            d.hint("the denominator simplifies to 0");
          return fail();
        }
        return ctx_.div(a, b);
      case '<': return ctx_.call(sym::Op::Lt, a, b);
      case 'l': return ctx_.call(sym::Op::Le, a, b);
      case '>': return ctx_.call(sym::Op::Gt, a, b);
      case 'g': return ctx_.call(sym::Op::Ge, a, b);
      case 'e': return ctx_.call(sym::Op::Eq, a, b);
      case 'n': return ctx_.call(sym::Op::Ne, a, b);
      case '&': {  // a && b = if(a, b != 0, 0)
        sym::Expr args[] = {a, ctx_.call(sym::Op::Ne, b, ctx_.num(0)), ctx_.num(0)};
        return ctx_.call(sym::Op::If, args);
      }
      case '|': {  // a || b = if(a, 1, b != 0)
        sym::Expr args[] = {a, ctx_.num(1), ctx_.call(sym::Op::Ne, b, ctx_.num(0))};
        return ctx_.call(sym::Op::If, args);
      }
      case '^': {
        sym::Expr sb = sym::simplify(ctx_, b);
        if (sb->is_const() && sb->value() < 0 && proven_zero(st_, a)) {
          st_.diags.report(DiagId::DivisionByZero, e.range,
                           {": 0 raised to a negative power"});
          return fail();
        }
        return ctx_.pow(a, b);
      }
      default: return fail();
    }
  }

  /// Reports an undefined name, with a suggestion.
  sym::Expr unknown_name(const std::string& n, SourceRange r) {
    auto d = st_.diags.report(DiagId::UnknownName, r, {n});
    std::vector<std::string> candidates = st_.all_names();
    if (env_.locals)
      for (const auto& [local, id] : *env_.locals) candidates.push_back(local);
    if (auto best = closest_name(n, candidates)) d.hint("did you mean '" + *best + "'?");
    return fail();
  }

  sym::Expr not_constant(SourceRange r, const std::string& on) {
    st_.diags.report(DiagId::NotConstant, r, {env_.what, on});
    return fail();
  }

  sym::Expr indep_ref(SourceRange r) {
    switch (env_.mode) {
      case Mode::Constant: return not_constant(r, st_.indep_name);
      case Mode::Condition:
        st_.diags.report(DiagId::MixedPoints, r,
                         {"a condition holds at one point and cannot use the variable '" +
                          st_.indep_name + "'"});
        return fail();
      default: return ctx_.sym(st_.prob.indep);
    }
  }

  /// A reference to d^order u / dt^order as a function of t (y, y', y(t), dy/dt).
  sym::Expr unknown_of_t(int j, int order, SourceRange r) {
    const Unknown& u = st_.prob.unknowns[static_cast<std::size_t>(j)];
    if (order > PINNC_MAX_ORDER) {
      st_.diags.report(DiagId::OrderTooHigh, r,
                       {std::to_string(order), std::to_string(PINNC_MAX_ORDER)})
          .hint("rewrite it as a first-order system with more unknowns");
      return fail();
    }
    switch (env_.mode) {
      case Mode::Constant: return not_constant(r, u.name);
      case Mode::Condition:
        st_.diags.report(DiagId::MixedPoints, r,
                         {"a condition holds at one point, but '" + primed(u.name, order) +
                          "' is a function of " + st_.indep_name})
            .hint("give the point, as in " + primed(u.name, order) + "(0)");
        return fail();
      case Mode::Exact:
        st_.diags.report(DiagId::UnknownInExact, r, {env_.owner, u.name});
        return fail();
      case Mode::FunctionBody:
        st_.diags.report(DiagId::UnknownInFunction, r, {env_.owner, u.name})
            .hint("pass it as an argument, e.g. f(" + u.name + ")");
        return fail();
      case Mode::Equation: break;
      case Mode::Aux:
        if (static_cast<std::size_t>(order) >= u.derivs.size()) {
          st_.diags.report(DiagId::BadDerivative, r,
                           {fmt::format("the quantity '{}' uses {}, but the equations' highest derivative is of order {}",
                                        env_.owner, primed(u.name, order), u.derivs.size() - 1)})
              .hint("an aux quantity may use the unknowns' derivatives up to the problem's order");
          return fail();
        }
        break;
    }
    env_.refs.push_back(UnknownRef{j, order, r});
    if (static_cast<std::size_t>(order) >= u.derivs.size()) {
      st_.diags.bug("derivative symbol missing for " + primed(u.name, order), "sema/convert");
      return fail();
    }
    return ctx_.sym(u.derivs[static_cast<std::size_t>(order)]);
  }

  sym::Expr name(const ast::Expr& e) {
    if (env_.locals) {
      auto it = env_.locals->find(e.name);
      if (it != env_.locals->end()) {
        if (e.primes > 0) {
          st_.diags.report(DiagId::DerivativeOfNonUnknown, e.name_range,
                           {e.name, "an argument of function '" + env_.owner + "'"});
          return fail();
        }
        return ctx_.sym(it->second);
      }
    }
    const NameEntry* n = st_.find(e.name);
    if (!n) return unknown_name(e.name, e.name_range);
    if (e.primes > 0 && n->kind != NameKind::Unknown) {
      st_.diags.report(DiagId::DerivativeOfNonUnknown, e.name_range, {e.name, kind_phrase(n->kind)});
      return fail();
    }
    switch (n->kind) {
      case NameKind::Pi: return ctx_.num(std::numbers::pi);
      case NameKind::Indep: return indep_ref(e.name_range);
      case NameKind::Param: return param(n->index, e.name_range);
      case NameKind::Unknown: return unknown_of_t(n->index, e.primes, e.name_range);
      case NameKind::Builtin:
      case NameKind::Function: {
        std::size_t arity = 1;
        if (n->kind == NameKind::Function) {
          arity = st_.functions[static_cast<std::size_t>(n->index)].args.size();
        } else if (n->index == kBuiltinMod) {
          arity = 2;
        } else if (auto op = sym::function_op(e.name)) {
          arity = static_cast<std::size_t>(std::max(sym::op_info(*op).arity, 1));
        }
        auto d = st_.diags.report(DiagId::Arity, e.name_range,
                                  {e.name, count_args(arity), "none"});
        d.hint("call it, as in " + e.name + "(x)");
        return fail();
      }
    }
    return fail();
  }

  sym::Expr param(int q, SourceRange r) {
    if (env_.mode == Mode::Constant && q >= env_.visible_params) {
      st_.diags.report(DiagId::UseBeforeDefinition, r, {st_.prob.params[static_cast<std::size_t>(q)].name})
          .note(st_.prob.params[static_cast<std::size_t>(q)].range, "defined here");
      return fail();
    }
    const Param& p = st_.prob.params[static_cast<std::size_t>(q)];
    if (env_.mode == Mode::Constant && p.variable()) {
      // A constant is a number when the file is read; an identified value is known only
      // after training, and a ranged one takes every value of its range.
      const char* kind = p.identified ? "an identified parameter" : "a ranged parameter";
      st_.diags.report(DiagId::IdentifiedInValue, r,
                       {env_.what, p.name, p.identified ? "is identified from the data" : "varies over its range (a bundle)"})
          .note(p.range, p.identified ? "identified here" : "ranged here")
          .hint(std::string(kind) + " may appear in equations, conditions' values and 'exact', not in " + env_.what);
      return fail();
    }
    if (static_cast<std::size_t>(q) < st_.param_used.size()) st_.param_used[static_cast<std::size_t>(q)] = true;
    return ctx_.sym(p.symbol);
  }

  std::vector<sym::Expr> args_of(const ast::Expr& e, bool* ok) {
    std::vector<sym::Expr> out;
    for (const auto& a : e.args) {
      sym::Expr x = conv(*a);
      if (!x) *ok = false;
      out.push_back(x);
    }
    return out;
  }

  static std::string count_args(std::size_t n) { return plural(n, "argument"); }

  sym::Expr call(const ast::Expr& e) {
    const NameEntry* n = st_.find(e.name);
    bool is_local = env_.locals && env_.locals->count(e.name);
    if (is_local) {
      st_.diags.report(DiagId::NotCallable, e.name_range,
                       {e.name, "an argument of function '" + env_.owner + "'"});
      return fail();
    }
    if (!n) return unknown_name(e.name, e.name_range);
    if (e.primes > 0 && n->kind != NameKind::Unknown) {
      st_.diags.report(DiagId::DerivativeOfNonUnknown, e.name_range, {e.name, kind_phrase(n->kind)});
      return fail();
    }
    switch (n->kind) {
      case NameKind::Param:
      case NameKind::Indep:
      case NameKind::Pi:
        st_.diags.report(DiagId::NotCallable, e.name_range, {e.name, kind_phrase(n->kind)})
            .hint("write a product with '*', as in " + e.name + "*(...)");
        return fail();
      case NameKind::Builtin: return builtin(e);
      case NameKind::Function: return user_call(e, n->index);
      case NameKind::Unknown: return unknown_call(e, n->index);
    }
    return fail();
  }

  sym::Expr builtin(const ast::Expr& e) {
    if (e.name == "mod") {  // fmod(x, y) + (fmod(x, y) < 0 ? y : 0), see kBuiltinMod
      if (e.args.size() != 2) {
        st_.diags.report(DiagId::Arity, e.range, {e.name, count_args(2), std::to_string(e.args.size())});
        return fail();
      }
      bool ok = true;
      std::vector<sym::Expr> xy = args_of(e, &ok);
      if (!ok) return fail();
      sym::Expr r = ctx_.call(sym::Op::Fmod, xy[0], xy[1]);
      sym::Expr branches[] = {ctx_.call(sym::Op::Lt, r, ctx_.num(0)), ctx_.add(r, xy[1]), r};
      return ctx_.call(sym::Op::If, branches);
    }
    auto op = sym::function_op(e.name);
    if (!op) return fail();
    int arity = sym::op_info(*op).arity;
    if (arity >= 0 && e.args.size() != static_cast<std::size_t>(arity)) {
      st_.diags.report(DiagId::Arity, e.range,
                       {e.name, count_args(static_cast<std::size_t>(arity)), std::to_string(e.args.size())});
      return fail();
    }
    bool ok = true;
    std::vector<sym::Expr> args = args_of(e, &ok);
    if (!ok) return fail();
    return ctx_.call(*op, args);
  }

  sym::Expr user_call(const ast::Expr& e, int index) {
    FunctionInfo& f = st_.functions[static_cast<std::size_t>(index)];
    if (env_.mode == Mode::FunctionBody && index >= env_.visible_functions) {
      auto d = st_.diags.report(DiagId::UseBeforeDefinition, e.name_range, {e.name});
      if (e.name == env_.owner) d.hint("functions cannot call themselves");
      else d.note(f.name_range, "defined here");
      return fail();
    }
    if (e.args.size() != f.args.size()) {
      st_.diags.report(DiagId::Arity, e.range,
                       {e.name, count_args(f.args.size()), std::to_string(e.args.size())})
          .note(f.name_range, "defined here");
      return fail();
    }
    bool ok = true;
    std::vector<sym::Expr> args = args_of(e, &ok);
    if (!ok || !f.body) return fail();
    if (!grow(f.expanded_size, e.range)) return fail();
    std::unordered_map<sym::SymbolId, sym::Expr> with;
    for (std::size_t i = 0; i < args.size(); ++i) with[f.args[i]] = args[i];
    sym::Expr r = sym::substitute(ctx_, f.body, with);
    if (env_.mode == Mode::Constant && sym::depends_on_kind(ctx_, r, sym::SymbolKind::Indep))
      return not_constant(e.range, st_.indep_name);
    if (env_.mode == Mode::Condition && sym::depends_on_kind(ctx_, r, sym::SymbolKind::Indep)) {
      st_.diags.report(DiagId::MixedPoints, e.range,
                       {"a condition holds at one point, but '" + e.name +
                        "' depends on the variable '" + st_.indep_name + "'"});
      return fail();
    }
    return r;
  }

  bool is_indep_arg(const ast::Expr& a) const {
    return a.kind == ExprKind::Name && a.primes == 0 && a.name == st_.indep_name &&
           !(env_.locals && env_.locals->count(a.name));
  }

  sym::Expr unknown_call(const ast::Expr& e, int j) {
    const Unknown& u = st_.prob.unknowns[static_cast<std::size_t>(j)];
    if (e.args.size() != 1) {
      st_.diags.report(DiagId::Arity, e.range,
                       {e.name, "1 argument (" + st_.indep_name + " or a point)",
                        std::to_string(e.args.size())});
      return fail();
    }
    const ast::Expr& a = *e.args[0];
    if (is_indep_arg(a)) return unknown_of_t(j, e.primes, e.range);
    constant_looking_ = is_constant_looking(a);
    if (env_.mode != Mode::Condition) {
      const bool of_t = env_.mode == Mode::Equation || env_.mode == Mode::Aux;
      if (of_t && constant_looking_) {
        // exq(0) in an equation, with exq never differentiated so far: a misspelled
        // function (exp) rather than a value at a point; one error that says so.
        if (u.order == 0) {
          if (auto best = closest_name(u.name, st_.function_names())) {
            st_.diags.report(DiagId::Misspelled, e.range, {"function", u.name, *best});
            if (st_.misspelling_reported.size() < st_.prob.unknowns.size())
              st_.misspelling_reported.resize(st_.prob.unknowns.size(), false);
            st_.misspelling_reported[static_cast<std::size_t>(j)] = true;
            return fail();
          }
        }
        st_.diags.report(DiagId::MixedPoints, e.range,
                         {"an equation relates functions of " + st_.indep_name +
                          "; it cannot use the value of '" + u.name + "' at a point"})
            .hint("write the value at a point as a condition of its own, e.g. " + u.name + "(0) = 1");
        return fail();
      }
      if (of_t) {
        st_.diags.report(DiagId::BadArgument, a.range, {u.name, st_.indep_name})
            .hint("pinnc solves ordinary differential equations: no delays or other arguments");
        return fail();
      }
      return unknown_of_t(j, e.primes, e.range);  // reports the mode's error
    }
    if (e.primes > PINNC_MAX_ORDER) {
      st_.diags.report(DiagId::OrderTooHigh, e.name_range,
                       {std::to_string(e.primes), std::to_string(PINNC_MAX_ORDER)});
      return fail();
    }
    Env sub;
    sub.mode = Mode::Constant;
    sub.what = "the point of a condition";
    std::optional<double> point = constant_value(st_, a, sub);
    env_.size += sub.size;
    if (!point) return fail();
    if (!env_.point) {
      env_.point = *point;
      env_.point_range = a.range;
    } else if (*env_.point != *point) {
      st_.diags.report(DiagId::MixedPoints, a.range,
                       {fmt::format("this condition mixes the points {} = {} and {} = {}",
                                    st_.indep_name, number_text(*env_.point), st_.indep_name,
                                    number_text(*point))})
          .hint("a condition holds at one point; write one condition per point");
      return fail();
    }
    env_.refs.push_back(UnknownRef{j, e.primes, e.range});
    if (static_cast<std::size_t>(e.primes) >= u.derivs.size()) {
      // Ordered above the problem's order: reported by the condition checks.
      return ctx_.num(0);
    }
    return ctx_.sym(u.derivs[static_cast<std::size_t>(e.primes)]);
  }

  sym::Expr deriv_frac(const ast::Expr& e) {
    // `dx/dy` where dx is itself a defined name is a division.
    const NameEntry* num = st_.find(e.num_text);
    bool num_local = env_.locals && env_.locals->count(e.num_text);
    if (num || num_local) {
      ast::Expr a, b;
      a.kind = b.kind = ExprKind::Name;
      a.name = e.num_text;
      a.range = a.name_range = e.num_range;
      b.name = e.den_text;
      b.range = b.name_range = e.den_range;
      sym::Expr x = conv(a), y = conv(b);
      if (!x || !y) return fail();
      if (proven_zero(st_, y)) {
        st_.diags.report(DiagId::DivisionByZero, e.den_range, {""});
        return fail();
      }
      return ctx_.div(x, y);
    }
    const NameEntry* n = st_.find(e.name);
    if (!n) return unknown_name(e.name, e.num_range);
    if (n->kind != NameKind::Unknown) {
      st_.diags.report(DiagId::DerivativeOfNonUnknown, e.range, {e.name, kind_phrase(n->kind)});
      return fail();
    }
    std::string expected = st_.indep_name + (e.order_written ? std::to_string(e.primes) : "");
    if (e.wrt != expected) {
      std::string msg =
          e.wrt.rfind(st_.indep_name, 0) == 0 && e.order_written
              ? fmt::format("'{}' does not match the order {} of '{}'", e.den_text, e.primes, e.num_text)
              : fmt::format("derivative with respect to '{}', but the independent variable is '{}'",
                            e.wrt, st_.indep_name);
      st_.diags.report(DiagId::BadDerivative, e.den_range, {msg})
          .hint(fmt::format("write d{}{}/d{}", e.order_written ? std::to_string(e.primes) : "", e.name,
                            expected));
      return fail();
    }
    return unknown_of_t(n->index, e.primes, e.range);
  }

  /// True if the expression names only parameters, pi and functions (a point).
  bool is_constant_looking(const ast::Expr& x) const {
    if (x.kind == ExprKind::DerivFrac) return false;
    if (x.kind == ExprKind::Name || x.kind == ExprKind::Call) {
      const NameEntry* n = st_.find(x.name);
      if (!n || n->kind == NameKind::Unknown || n->kind == NameKind::Indep) return false;
      if (env_.locals && env_.locals->count(x.name)) return false;
    }
    for (const auto& a : x.args)
      if (!is_constant_looking(*a)) return false;
    return true;
  }

  State& st_;
  Env& env_;
  sym::Context& ctx_;
  bool too_large_reported_ = false;
  bool constant_looking_ = false;
};

}  // namespace

sym::Expr convert(State& st, const ast::Expr& e, Env& env) { return Converter(st, env).run(e); }

std::optional<double> constant_value(State& st, const ast::Expr& e, Env& env) {
  env.mode = Mode::Constant;
  sym::Expr x = convert(st, e, env);
  if (!x) return std::nullopt;
  std::vector<double> v = st.values();
  double value = sym::eval(st.ctx(), x, v);
  if (!std::isfinite(value)) {
    st.diags.report(DiagId::NotFinite, e.range, {env.what, number_text(value)});
    return std::nullopt;
  }
  return value;
}

}  // namespace pinnc::sema
