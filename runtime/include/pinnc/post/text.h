// text.h — what a run leaves behind as text: the report, solution.csv, loss.csv and
// model.json (the data types are in post/outcome.h). Standard library only.
#ifndef PINNC_POST_TEXT_H
#define PINNC_POST_TEXT_H

#include <cmath>
#include <string>
#include <vector>

#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"

namespace pinnc::post {

/// "FILE:LINE: the residual of `...` became NaN or infinite" for the term that diverged;
/// for an exploding loss (`exploded`, message saying how far it grew) "FILE:LINE: the
/// residual of `...`, the largest term, ...: <message>".
inline std::string divergence_message(const RunInfo& info, const rt::BadTerm& bad, const std::string& message,
                                      bool exploded = false) {
  const int i = bad.index;
  std::string where;
  if (bad.kind == rt::TermKind::equation && i >= 0 && i < int(info.equation_where.size()))
    where = info.equation_where[std::size_t(i)];
  else if (bad.kind == rt::TermKind::condition && i >= 0 && i < int(info.condition_where.size()))
    where = info.condition_where[std::size_t(i)];
  if (exploded)
    return (where.empty() ? info.source_file + ": training diverged" : where + ", the largest term of the loss, diverged") +
           " (" + message + ")";
  if (!where.empty()) return where + " became NaN or infinite";
  return info.source_file + ": training diverged (" + message + ")";
}

/// solution.csv: t, each unknown and its derivatives up to its order, the reference
/// (`y_exact` or `y_reference`) where one exists, each equation's residual, and where
/// the error bound exists the bound on |y - y_true| (`y_error_bound`).
inline std::string solution_csv(const RunInfo& info, const Outcome& rep) {
  const int U = int(info.unknowns.size()), K = info.order;
  const std::size_t n = rep.grid.size();
  const int E = n ? int(rep.residuals.size() / n) : 0;
  std::string out = info.variable;
  for (int j = 0; j < U; ++j)
    for (int k = 0; k <= info.unknowns[std::size_t(j)].order; ++k)
      out += "," + derivative_name(info.unknowns[std::size_t(j)].name, k);
  for (int j = 0; j < U; ++j)
    if (std::isfinite(rep.reference[std::size_t(j)][0]))
      out += "," + info.unknowns[std::size_t(j)].name + (rep.reference_kind == "exact" ? "_exact" : "_reference");
  // aux quantities: from the network, then from the reference where it has what they use.
  const std::size_t A = rep.aux.size() == info.aux_names.size() ? rep.aux.size() : 0;
  auto aux_ref = [&](std::size_t a) { return rep.aux_reference.size() == A && n && std::isfinite(rep.aux_reference[a][0]); };
  for (std::size_t a = 0; a < A; ++a) out += "," + info.aux_names[a];
  for (std::size_t a = 0; a < A; ++a)
    if (aux_ref(a)) out += "," + info.aux_names[a] + (rep.reference_kind == "exact" ? "_exact" : "_reference");
  for (int e = 0; e < E; ++e) out += E == 1 ? std::string(",residual") : format(",residual%d", e + 1);
  const bool bound = rep.bound_curve.size() == n && rep.scale.size() == std::size_t(U);
  if (bound)
    for (int j = 0; j < U; ++j) out += "," + info.unknowns[std::size_t(j)].name + "_error_bound";
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += format_number(rep.grid[i]);
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= info.unknowns[std::size_t(j)].order; ++k)
        out += "," + format_number(rep.u[std::size_t(j * (K + 1) + k) * n + i]);
    for (int j = 0; j < U; ++j)
      if (std::isfinite(rep.reference[std::size_t(j)][0])) out += "," + format_number(rep.reference[std::size_t(j)][i]);
    for (std::size_t a = 0; a < A; ++a) out += "," + format_number(rep.aux[a][i]);
    for (std::size_t a = 0; a < A; ++a)
      if (aux_ref(a)) out += "," + format_number(rep.aux_reference[a][i]);
    for (int e = 0; e < E; ++e) out += "," + format_number(rep.residuals[std::size_t(e) * n + i]);
    if (bound)
      for (int j = 0; j < U; ++j) out += "," + format_number(rep.bound_curve[i] * rep.scale[std::size_t(j)]);
    out += '\n';
  }
  return out;
}

/// loss.csv: epoch, optimizer, total, residual, conditions, then each term.
inline std::string loss_csv(const RunInfo& info, const Outcome& rep) {
  std::string out = "epoch,optimizer,total,residual,conditions";
  for (std::size_t e = 0; e < info.equation_where.size(); ++e) out += format(",equation%zu", e + 1);
  for (std::size_t c = 0; c < info.condition_where.size(); ++c) out += format(",condition%zu", c + 1);
  const bool data = !info.data_files.empty();
  if (data) out += ",data";
  out += '\n';
  for (const LossRow& r : rep.history) {
    out += std::to_string(r.epoch) + "," + r.optimizer + "," + format_number(r.total) + "," +
           format_number(r.residual) + "," + format_number(r.conditions);
    for (double v : r.equation) out += "," + format_number(v);
    for (double v : r.condition) out += "," + format_number(v);
    if (data) out += "," + format_number(r.data);
    out += '\n';
  }
  return out;
}

/// The report's first two lines: the problem and the setup.
inline std::string report_head(const RunInfo& info, const std::vector<int>& widths, std::size_t n_params) {
  std::string w;
  for (int x : widths) w += (w.empty() ? "" : "-") + std::to_string(x);
  std::string conds;
  for (std::size_t j = 0; j < info.unknowns.size(); ++j)
    conds += (j ? ", " : "") + info.unknowns[j].name + ": " + info.unknowns[j].trial_kind;
  return format("problem   %s: %zu unknown(s), order %d, %s in [%s, %s]\n", info.source_file.c_str(),
                info.unknowns.size(), info.order, info.variable.c_str(), shortest(info.t0).c_str(),
                shortest(info.t1).c_str()) +
         format("setup     net %s %s, %zu params, %lld points (%s), %s, backend %s; conditions %s\n", w.c_str(),
                info.activation.c_str(), n_params, static_cast<long long>(info.points), info.sampling.c_str(),
                info.precision.c_str(), info.backend.c_str(), conds.c_str());
}

/// Why training stopped, in words ("stop_reason" holds the runtime's name).
inline std::string stop_reason_words(const std::string& reason) {
  if (reason == "max_epochs") return "every epoch run";
  if (reason == "loss_tolerance") return "the loss fell below --tol";
  if (reason == "no_progress") return "the optimizer made no further progress";
  if (reason == "non_finite") return "the loss became NaN or infinite";
  if (reason == "exploded") return "the loss grew over a million times the untrained network's";
  if (reason == "callback") return "interrupted";
  if (reason == "budget") return "the budget (--budget) ran out";
  return reason;
}

/// The identification lines of the report: one per identified parameter, then the fit.
inline std::string identified_text(const RunInfo& info, const Outcome& rep) {
  std::string out;
  for (const Identified& q : rep.identified) {
    const std::string se = std::isnan(q.std_error) ? std::string("(no standard error)") : "± " + format("%.2g", q.std_error);
    out += format("identified %s = %.6g %s   (guess %s%s)\n", q.name.c_str(), q.value, se.c_str(), shortest(q.guess).c_str(),
                  q.at_bound ? "; at its bound" : "");
  }
  if (!rep.identified.empty() && !rep.std_error_why.empty()) out += "          no standard errors: " + rep.std_error_why + "\n";
  if (rep.data_points > 0) {
    std::string files;
    for (const std::string& f : info.data_files) files += (files.empty() ? "" : ", ") + f;
    out += format("data      %zu measurements (%s): RMS misfit %.3g of the data's scale%s\n", rep.data_points,
                  files.c_str(), rep.data_misfit,
                  info.data_noise > 0 ? format("; stated noise %s", shortest(info.data_noise).c_str()).c_str() : "");
  }
  return out;
}

/// The human-readable final report (without timing and output lines, which the caller adds).
inline std::string report_text(const RunInfo& info, const Outcome& rep) {
  std::string out = report_head(info, rep.widths, rep.theta.size());
  out += format("training  %lld epochs (%s) in %.3f s, stopped: %s\n", static_cast<long long>(rep.epochs),
                info.stages.c_str(), rep.train_seconds, stop_reason_words(rep.stop_reason).c_str());
  if (rep.interrupted)
    out += format("interrupted at epoch %lld: what follows is from the best weights reached\n",
                  static_cast<long long>(rep.epochs));
  if (rep.recovered)
    out += format("diverged  at epoch %lld: what follows is from the best weights reached before (epoch %lld)\n",
                  static_cast<long long>(rep.epochs - 1), static_cast<long long>(rep.best_epoch));
  out += format("loss      total %.3e  residual %.3e  conditions %.3e", rep.final_loss.total, rep.final_loss.residual,
                rep.final_loss.conditions);
  out += info.data_files.empty() ? "\n" : format("  data %.3e\n", rep.final_loss.data);
  out += format("residual  RMS %.3e on %zu evenly spaced points (training points: %.3e); %.1e of the equation's terms\n",
                rep.residual_rms, rep.grid.size(), rep.training_residual_rms, rep.relative_residual_max);
  if (rep.reference_kind.empty()) {
    out += "error     no reference solution: " + (rep.no_reference_why.empty() ? std::string("none given") : rep.no_reference_why) +
           "\n";
  } else {
    out += "error     against " + rep.reference_method + ":\n";
    for (std::size_t j = 0; j < info.unknowns.size(); ++j) {
      if (std::isnan(rep.rel_l2[j])) continue;
      out += format("          %-8s max error %.3e of its scale %.3g   relative L2 %.3e   max abs %.3e\n",
                    info.unknowns[j].name.c_str(), rep.rel_max[j], rep.scale[j], rep.rel_l2[j], rep.max_abs[j]);
    }
  }
  out += identified_text(info, rep);
  if (rep.bundle_checked > 0) {
    std::string ranges;
    for (const RangedInfo& r : info.bundle)
      ranges += (ranges.empty() ? "" : ", ") + r.name + " in [" + shortest(r.lower) + ", " + shortest(r.upper) + "]";
    if (rep.bundle_checked_by.empty())
      out += format("bundle    %s: could not be checked at %zu values (at %s first)\n", ranges.c_str(), rep.bundle_checked,
                    rep.bundle_worst_at.c_str());
    else
      out += format("bundle    %s: checked at %zu values: worst %s %.3g of the scale (%.2g times the target, at %s); "
                  "median %.2g times the target\n",
                  ranges.c_str(), rep.bundle_checked, rep.bundle_checked_by == "bound" ? "error bound" : "error",
                  rep.bundle_worst_error, rep.bundle_worst, rep.bundle_worst_at.c_str(), rep.bundle_median);
  }
  if (!rep.bound_kind.empty())
    out += format("bound     error %s %.3e of the scale (Gronwall with the logarithmic norm along the network%s)\n",
                  rep.bound_kind.c_str(), rep.bound_rel, rep.bound_kind == "bound" ? "" : "; nonlinear, so an estimate");
  if (!rep.stiffness.empty()) out += "stiffness " + rep.stiffness + "\n";
  const std::string target = format("rtol %s, atol %s", shortest(info.rtol).c_str(), shortest(info.atol).c_str());
  if (rep.checked_by.empty())
    out += "target    " + target + ": could not be checked\n";
  else
    out += format("target    %s: %s (the %s is %.2g times the target)\n", target.c_str(),
                  rep.target_ratio <= 1 ? "met" : "not met",
                  rep.checked_by == "reference" ? "error" : ("error " + rep.bound_kind).c_str(), rep.target_ratio);
  if (rep.trusted) {
    out += "verdict   trusted\n";
  } else {
    out += "verdict   NOT TO BE TRUSTED:\n";
    for (const std::string& w : rep.warnings) out += "          - " + w + "\n";
  }
  for (const std::string& note : rep.notes) out += "note      " + note + "\n";
  return out;
}

/// The message for a diverged run: its outputs hold the best weights reached before when
/// it has them (Outcome::recovered), else nothing was written.
inline std::string divergence_report(const Outcome& rep) {
  const std::string kept = rep.recovered ? format("the outputs hold the best weights reached before (epoch %lld), "
                                                  "marked \"partial\": true in model.json",
                                                  static_cast<long long>(rep.best_epoch))
                                         : std::string("nothing was written");
  // At the first epoch the starting weights give NaN: the equation's domain, not the steps.
  const std::string hint = rep.epochs <= 1 && !rep.exploded
                               ? "hint: the equation is NaN or infinite at the network's starting values; check where "
                                 "its functions are defined (sqrt, log, division, powers) for values near the conditions\n"
                               : "hint: lower the learning rate (--lr), train in float64 (--precision f64), or check that "
                                 "the equation has a bounded solution on the interval\n";
  return rep.message + "\n" +
         format("error: training diverged at epoch %lld; %s.\n", static_cast<long long>(rep.epochs - 1), kept.c_str()) +
         hint;
}

inline ModelFile make_model(const RunInfo& info, const Outcome& rep) {
  ModelFile m;
  m.pinnc_version = info.pinnc_version;
  m.source_file = info.source_file;
  m.source_text = info.source_text;
  m.settings = info.settings;
  m.variable = info.variable;
  m.t0 = info.t0, m.t1 = info.t1;
  m.order = info.order;
  for (const UnknownInfo& u : info.unknowns) {
    m.unknowns.push_back({u.name, u.order});
    m.trial.push_back({u.name, u.trial_kind, u.trial_a, u.trial_b});
  }
  m.params = info.params;
  for (std::size_t q = 0; q < m.params.size() && q < rep.params.size(); ++q) m.params[q].second = rep.params[q];
  m.identified = rep.identified;
  m.bundle = info.bundle;
  m.param_inputs = rep.param_inputs;
  for (ParamInput& in : m.param_inputs)
    for (const auto& r : info.bundle)
      if (r.index == in.index) in.name = r.name;
  m.widths = rep.widths;
  m.activation = info.activation;
  m.input_scale = rep.input_scale;
  m.input_shift = rep.input_shift;
  m.theta = rep.theta;
  m.pieces = rep.pieces;
  m.partial = rep.interrupted || rep.recovered;
  m.version = !info.bundle.empty() ? 3 : rep.pieces.empty() ? 1 : 2;
  m.results = {{"loss", rep.final_loss.total},
               {"loss_residual", rep.final_loss.residual},
               {"loss_conditions", rep.final_loss.conditions},
               {"residual_rms", rep.residual_rms},
               {"relative_residual", rep.relative_residual_max},
               {"rel_error", rep.rel_error},
               {"rel_l2", rep.rel_l2_all},
               {"max_abs", rep.max_abs_all},
               {"error_bound", rep.bound_rel},
               {"target_ratio", rep.target_ratio},
               {"rtol", info.rtol},
               {"atol", info.atol},
               {"epochs", double(rep.epochs)}};
  m.notes = {{"precision", info.precision},
             {"reference", rep.reference_kind.empty() ? "none" : rep.reference_kind},
             {"error_bound_kind", rep.bound_kind.empty() ? "none" : rep.bound_kind},
             {"checked_by", rep.checked_by.empty() ? "none" : rep.checked_by},
             {"verdict", rep.trusted ? "trusted" : "not trusted"}};
  if (!rep.stiffness.empty()) m.notes.push_back({"stiffness", rep.stiffness});
  if (!rep.trusted) {
    std::string why;
    for (const std::string& w : rep.warnings) why += (why.empty() ? "" : "; ") + w;
    m.notes.push_back({"verdict_reasons", why});
  }
  return m;
}

/// The model's verdict as recorded in model.json ("" when unknown, e.g. an older file).
inline std::string model_note(const ModelFile& m, const std::string& key) {
  for (const auto& [k, v] : m.notes)
    if (k == key) return v;
  return "";
}

/// "warning: ..." (one line, no newline) when the model's verdict was not trusted, else
/// "": eval, emit --model and the REPL pass no untrusted values on silently.
inline std::string untrusted_warning(const ModelFile& m) {
  if (model_note(m, "verdict") != "not trusted") return "";
  const std::string why = model_note(m, "verdict_reasons");
  return "warning: this model's verdict was NOT TO BE TRUSTED" + (why.empty() ? std::string() : " (" + why + ")") +
         "; its values may be wrong";
}

namespace json_detail {

/// A small pretty-printer: one-space indentation, one member or element per line,
/// `[]` / `{}` when empty. Deterministic (members in the order written).
class Writer {
 public:
  std::string out;
  void open(char bracket) {
    out += bracket;
    fresh_.push_back(true);
  }
  void close(char bracket) {
    const bool empty = fresh_.back();
    fresh_.pop_back();
    if (!empty) newline();
    out += bracket;
  }
  /// Starts the next member ("key": ) or element of the current object or array.
  void item(const char* key = nullptr) {
    if (!fresh_.back()) out += ',';
    fresh_.back() = false;
    newline();
    if (key) out += json_string(key) + ": ";
  }
  void str(const char* key, const std::string& v) { item(key), out += json_string(v); }
  void num(const char* key, double v) { item(key), out += json_number(v); }
  void integer(const char* key, long long v) { item(key), out += std::to_string(v); }
  /// key: [numbers...]
  void numbers(const char* key, const std::vector<double>& v) {
    item(key), open('[');
    for (double x : v) num(nullptr, x);
    close(']');
  }

 private:
  void newline() { out += '\n' + std::string(fresh_.size(), ' '); }
  std::vector<bool> fresh_;
};

}  // namespace json_detail

/// Serialises deterministically (fixed key order, shortest round-trip numbers).
inline std::string to_json(const ModelFile& m) {
  json_detail::Writer w;
  w.open('{');
  w.str("format", "pinnc-model");
  w.integer("version", m.version);
  if (m.partial) w.item("partial"), w.out += "true";
  w.str("pinnc", m.pinnc_version);
  w.item("source"), w.open('{');
  w.str("file", m.source_file);
  w.str("text", m.source_text);
  w.close('}');
  w.item("settings"), w.open('{');
  for (const auto& [k, v] : m.settings) w.str(k.c_str(), v);
  w.close('}');
  w.item("problem"), w.open('{');
  w.str("variable", m.variable);
  w.numbers("interval", {m.t0, m.t1});
  w.integer("order", m.order);
  w.item("unknowns"), w.open('[');
  for (const auto& u : m.unknowns) {
    w.item(), w.open('{');
    w.str("name", u.name);
    w.integer("order", u.order);
    w.close('}');
  }
  w.close(']');
  w.item("params"), w.open('[');
  for (const auto& [name, value] : m.params) {
    w.item(), w.open('{');
    w.str("name", name);
    w.num("value", value);
    w.close('}');
  }
  w.close(']');
  w.close('}');
  if (!m.bundle.empty()) {
    w.item("bundle"), w.open('[');
    for (const RangedInfo& r : m.bundle) {
      w.item(), w.open('{');
      w.str("name", r.name);
      w.num("lower", r.lower);
      w.num("upper", r.upper);
      w.close('}');
    }
    w.close(']');
  }
  if (!m.identified.empty()) {
    w.item("identified"), w.open('[');
    for (const Identified& q : m.identified) {
      w.item(), w.open('{');
      w.str("name", q.name);
      w.num("value", q.value);
      if (std::isnan(q.std_error)) w.item("std_error"), w.out += "null";
      else w.num("std_error", q.std_error);
      w.num("guess", q.guess);
      w.close('}');
    }
    w.close(']');
  }
  w.item("network"), w.open('{');
  w.item("widths"), w.open('[');
  for (int x : m.widths) w.integer(nullptr, x);
  w.close(']');
  w.str("activation", m.activation);
  w.num("input_scale", m.input_scale);
  w.num("input_shift", m.input_shift);
  if (!m.param_inputs.empty()) {
    w.item("param_inputs"), w.open('[');
    for (const ParamInput& in : m.param_inputs) {
      w.item(), w.open('{');
      w.str("name", in.name);
      w.num("scale", in.scale);
      w.num("shift", in.shift);
      w.close('}');
    }
    w.close(']');
  }
  w.numbers("theta", m.theta);
  w.close('}');
  if (!m.pieces.empty()) {
    w.item("windows"), w.open('[');
    for (const Piece& p : m.pieces) {
      w.item(), w.open('{');
      w.numbers("interval", {p.a, p.b});
      w.numbers("start", p.start);
      w.num("input_scale", p.input_scale);
      w.num("input_shift", p.input_shift);
      w.numbers("theta", p.theta);
      w.close('}');
    }
    w.close(']');
  }
  w.item("trial"), w.open('[');
  for (const auto& t : m.trial) {
    w.item(), w.open('{');
    w.str("unknown", t.unknown);
    w.str("kind", t.kind);
    w.str("A", t.a);
    w.str("B", t.b);
    w.close('}');
  }
  w.close(']');
  w.item("results"), w.open('{');
  for (const auto& [k, v] : m.results) w.num(k.c_str(), v);
  for (const auto& [k, v] : m.notes) w.str(k.c_str(), v);
  w.close('}');
  w.close('}');
  return w.out + "\n";
}

}  // namespace pinnc::post

#endif  // PINNC_POST_TEXT_H
