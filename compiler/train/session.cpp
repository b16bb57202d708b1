// session.cpp — see session.h. The runtime is header-only and templated on the training
// precision; everything after training (evaluation, errors, files) runs in float64.
#include "train/session.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "pinnc/runtime.h"
#include "symbolic/symbolic.h"
#include "frontend/compile.h"
#include "train/files.h"
#include "train/reference.h"
#include "version.h"

namespace pinnc::train {

namespace {

constexpr int kFineGrid = 1001;  ///< points of the evaluation grid (both ends included)

rt::TrainerSettings runtime_settings(const Prepared& prep, const TrainOptions& opt) {
  rt::TrainerSettings s;
  s.hidden = opt.net;
  if (!rt::parse_activation(opt.activation, s.activation))
    throw std::invalid_argument("unknown activation " + opt.activation);
  s.init = opt.init == "torch" ? rt::Init::torch_uniform : rt::Init::glorot_normal;
  s.input_scaling = opt.scaling;
  s.schedule.clear();
  for (const Stage& st : opt.schedule) {
    rt::Stage r;
    if (!rt::parse_optimizer(st.optimizer, r.optimizer))
      throw std::invalid_argument("unknown optimizer " + st.optimizer);
    r.epochs = st.epochs ? st.epochs : opt.epochs;
    r.lr = opt.lr > 0 ? opt.lr : (r.optimizer == rt::OptimizerKind::sgd ? 8e-3 : 1e-3);
    r.momentum = opt.momentum;
    s.schedule.push_back(r);
  }
  s.points = opt.points;
  if (!rt::parse_sampling(opt.sampling, s.sampling.kind))
    throw std::invalid_argument("unknown sampling " + opt.sampling);
  s.sampling.sigma = opt.jitter;
  s.sampling.resample_every = opt.resample;
  s.seed = opt.seed;
  s.condition_weights.assign(static_cast<std::size_t>(prep.abi.n_conditions), opt.condition_weight);
  s.loss_tolerance = opt.tolerance;
  s.threads = opt.threads;
  return s;
}

LossRow row_of(int64_t epoch, const std::string& optimizer, const rt::LossTerms& l) {
  return LossRow{epoch, optimizer, l.total, l.residual, l.conditions, l.equation, l.condition};
}

template <class Scalar>
void train_in(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial,
              const Progress& progress, TrainReport& rep) {
  rt::TrainerSettings settings = runtime_settings(prep, opt);
  rt::Trainer<Scalar> trainer(prep.abi, settings);
  auto& theta = trainer.network().params();
  if (initial && static_cast<std::size_t>(theta.size()) == initial->size())
    for (Eigen::Index i = 0; i < theta.size(); ++i) theta[i] = static_cast<Scalar>((*initial)[i]);
  int64_t total = 0;
  for (const rt::Stage& s : settings.schedule) total += s.epochs;
  auto start = std::chrono::steady_clock::now();
  rt::TrainResult res = trainer.train([&](const rt::EpochReport& r) {
    rep.history.push_back(row_of(r.epoch, rt::optimizer_name(r.optimizer), *r.loss));
    return progress ? progress(r.epoch, total, rep.history.back()) : true;
  });
  rep.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rep.diverged = res.reason == rt::StopReason::non_finite;
  rep.stop_reason = rt::stop_reason_name(res.reason);
  rep.message = res.message;
  rep.epochs = res.epochs;
  rep.evaluations = res.evaluations;
  rep.final_loss = row_of(res.epochs, "final", res.final_loss);
  rep.theta.assign(theta.data(), theta.data() + theta.size());
  const rt::NetworkShape& shape = trainer.network().shape();
  rep.widths = shape.widths;
  rep.input_scale = shape.input_scale;
  rep.input_shift = shape.input_shift;
}

/// Names the source line of a non-finite term ("equation 0" -> the equation's line).
std::string divergence_message(const Prepared& prep, const std::string& message) {
  const Problem& p = prep.problem;
  for (std::size_t e = 0; e < p.equations.size(); ++e)
    if (message.find(fmt::format("equation {}", e)) != std::string::npos)
      return fmt::format("{}:{}: the residual of `{}` became NaN or infinite", p.file_name,
                         p.equations[e].line, p.equations[e].text);
  for (std::size_t c = 0; c < prep.lowered.soft_conditions.size(); ++c)
    if (message.find(fmt::format("condition {}", c)) != std::string::npos) {
      const Condition& cond = p.conditions[prep.lowered.soft_conditions[c]];
      return fmt::format("{}:{}: the condition `{}` became NaN or infinite", p.file_name, cond.line, cond.text);
    }
  return p.file_name + ": training diverged (" + message + ")";
}

}  // namespace

std::string derivative_name(const std::string& unknown, int k) { return unknown + std::string(k, '\''); }

std::unique_ptr<Prepared> prepare(Problem problem, const TrainOptions& opt, KernelBackend& backend,
                                  std::string* error) {
  auto prep = std::make_unique<Prepared>();
  prep->problem = std::move(problem);
  Problem& p = prep->problem;
  prep->lowered = lower::lower(p, opt.conditions == "soft" ? lower::ConditionMode::Soft : lower::ConditionMode::Auto);
  const lower::KernelModule& m = prep->lowered.module;
  prep->condition_points = prep->lowered.soft_points;
  for (const Param& q : p.params) prep->params.push_back(q.value);
  for (const Unknown& u : p.unknowns) prep->unknown_orders.push_back(u.order);
  pinnc_problem& abi = prep->abi;
  m.describe(&abi);  // sizes and partial-derivative patterns
  abi.t0 = p.t0;
  abi.t1 = p.t1;
  abi.condition_points = prep->condition_points.data();
  abi.params = prep->params.data();
  abi.unknown_order = prep->unknown_orders.data();
  if (!backend.bind(m, opt.precision == "f32", &abi, error)) return nullptr;
  prep->backend = backend.name();
  prep->compile_ms = backend.compile_ms();
  return prep;
}

TrainReport run_training(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial,
                         const Progress& progress) {
  TrainReport rep;
  if (opt.precision == "f32") train_in<float>(prep, opt, initial, progress, rep);
  else train_in<double>(prep, opt, initial, progress, rep);
  if (rep.diverged) {
    rep.trusted = false;
    rep.message = divergence_message(prep, rep.message);
    return rep;
  }
  const Problem& p = prep.problem;
  const int U = prep.abi.n_unknowns, K = prep.abi.order, E = prep.abi.n_equations;
  const Eigen::Index n = kFineGrid;
  rep.grid.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) rep.grid[i] = p.t0 + (p.t1 - p.t0) * double(i) / double(n - 1);
  rep.grid.back() = p.t1;

  // The trained solution in float64, exactly as `pinnc eval` will see it.
  rt::NetworkShape shape;
  shape.widths = rep.widths;
  rt::parse_activation(opt.activation, shape.activation);
  shape.input_scale = rep.input_scale;
  shape.input_shift = rep.input_shift;
  rt::Network<double> net(shape);
  for (std::size_t i = 0; i < rep.theta.size(); ++i) net.params()[Eigen::Index(i)] = rep.theta[i];
  rep.u.assign(static_cast<std::size_t>(U * (K + 1) * n), 0.0);
  rt::evaluate_solution(prep.abi, net, prep.params.data(), rep.grid.data(), n, K, rep.u.data());
  rep.residuals.assign(static_cast<std::size_t>(E * n), 0.0);
  rt::evaluate_residuals(prep.abi, net, prep.params.data(), rep.grid.data(), n, rep.residuals.data());
  double ss = 0;
  for (double r : rep.residuals) ss += r * r;
  rep.residual_rms = std::sqrt(ss / double(rep.residuals.size()));
  rep.training_residual_rms = std::sqrt(rep.final_loss.residual / std::max(1, E));

  // Reference: the exact solution where given, else a classical integrator for IVPs.
  rep.reference.assign(U, std::vector<double>(n, std::nan("")));
  bool any_exact = false;
  if (prep.abi.kernels.exact_f64) {
    std::vector<double> ex(static_cast<std::size_t>(U * (K + 1) * n));
    prep.abi.kernels.exact_f64(prep.abi.kernels.ctx, n, rep.grid.data(), prep.params.data(), ex.data());
    for (int j = 0; j < U; ++j)
      for (Eigen::Index i = 0; i < n; ++i) rep.reference[j][i] = ex[(j * (K + 1)) * n + i];
    any_exact = true;
    rep.reference_kind = "exact";
    rep.reference_method = "the file's exact solution";
  }
  bool all_exact = any_exact;
  for (int j = 0; j < U; ++j) all_exact = all_exact && std::isfinite(rep.reference[j][0]);
  if (!all_exact) {
    ReferenceResult r = solve_reference(prep.problem, rep.grid, prep.params);
    if (r.reference) {
      for (int j = 0; j < U; ++j)
        if (!std::isfinite(rep.reference[j][0])) rep.reference[j] = r.reference->values[j];
      if (!any_exact) {
        rep.reference_kind = "reference";
        rep.reference_method = r.reference->method;
      } else {
        rep.reference_method += "; " + r.reference->method + " for the others";
      }
    } else {
      rep.no_reference_why = r.why_not;
    }
  }
  // Errors per unknown and over all unknowns with a reference.
  double diff_all = 0, norm_all = 0;
  bool have_ref = false;
  for (int j = 0; j < U; ++j) {
    double d2 = 0, n2 = 0, mx = 0;
    bool ok = true;
    for (Eigen::Index i = 0; i < n; ++i) {
      double ref = rep.reference[j][i], v = rep.u[(j * (K + 1)) * n + i];
      if (!std::isfinite(ref)) {
        ok = false;
        break;
      }
      d2 += (v - ref) * (v - ref);
      n2 += ref * ref;
      mx = std::max(mx, std::fabs(v - ref));
    }
    if (!ok) {
      rep.rel_l2.push_back(std::nan(""));
      rep.max_abs.push_back(std::nan(""));
      continue;
    }
    have_ref = true;
    rep.rel_l2.push_back(n2 > 0 ? std::sqrt(d2 / n2) : std::sqrt(d2 / double(n)));
    rep.max_abs.push_back(mx);
    diff_all += d2, norm_all += n2;
    rep.max_abs_all = std::max(rep.max_abs_all, mx);
  }
  rep.rel_l2_all = have_ref ? (norm_all > 0 ? std::sqrt(diff_all / norm_all) : std::sqrt(diff_all / double(n)))
                            : std::nan("");
  if (!have_ref) rep.reference_kind.clear();

  // Verdict.
  if (have_ref && !(rep.rel_l2_all <= 1e-2))
    rep.warnings.push_back(fmt::format("the relative L2 error {:.3g} is above 1e-2", rep.rel_l2_all));
  if (!(rep.residual_rms <= std::max(10 * rep.training_residual_rms, 1e-3)))
    rep.warnings.push_back(fmt::format(
        "the residual RMS on a fine grid ({:.3g}) is far above the one on the training points ({:.3g}): "
        "the network fits the points but not the equation between them; use more --points",
        rep.residual_rms, rep.training_residual_rms));
  if (!have_ref && !(rep.residual_rms <= 1e-2))
    rep.warnings.push_back(fmt::format("the residual RMS {:.3g} is above 1e-2 and no reference exists to check against",
                                       rep.residual_rms));
  if (prep.abi.n_conditions > 0 && !(rep.final_loss.conditions <= 1e-6))
    rep.warnings.push_back(fmt::format("the soft conditions are not met (condition loss {:.3g})", rep.final_loss.conditions));
  rep.trusted = rep.warnings.empty();
  return rep;
}

Model make_model(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep) {
  const Problem& p = prep.problem;
  Model m;
  m.pinnc_version = version();
  m.source_file = p.file_name;
  m.source_text = p.source;
  m.settings = opt.describe();
  m.variable = p.indep_name;
  m.t0 = p.t0, m.t1 = p.t1;
  m.order = p.order;
  for (const Unknown& u : p.unknowns) m.unknowns.push_back({u.name, u.order});
  for (const Param& q : p.params) m.params.emplace_back(q.name, q.value);
  m.widths = rep.widths;
  m.activation = opt.activation;
  m.input_scale = rep.input_scale;
  m.input_shift = rep.input_shift;
  m.theta = rep.theta;
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    const lower::TrialForm& f = prep.lowered.trial[j];
    m.trial.push_back({p.unknowns[j].name, f.kind, f.hard ? sym::print(*p.ctx, f.a) : "0",
                       f.hard ? sym::print(*p.ctx, f.b) : "1"});
  }
  m.results = {{"loss", rep.final_loss.total},
               {"loss_residual", rep.final_loss.residual},
               {"loss_conditions", rep.final_loss.conditions},
               {"residual_rms", rep.residual_rms},
               {"rel_l2", rep.rel_l2_all},
               {"max_abs", rep.max_abs_all},
               {"epochs", double(rep.epochs)}};
  m.notes = {{"precision", opt.precision},
             {"reference", rep.reference_kind.empty() ? "none" : rep.reference_kind},
             {"verdict", rep.trusted ? "trusted" : "not trusted"}};
  return m;
}

std::string solution_csv(const Prepared& prep, const TrainReport& rep) {
  const Problem& p = prep.problem;
  const int U = prep.abi.n_unknowns, K = prep.abi.order, E = prep.abi.n_equations;
  const std::size_t n = rep.grid.size();
  std::string out = p.indep_name;
  for (int j = 0; j < U; ++j)
    for (int k = 0; k <= p.unknowns[j].order; ++k) out += "," + derivative_name(p.unknowns[j].name, k);
  for (int j = 0; j < U; ++j)
    if (std::isfinite(rep.reference[j][0]))
      out += "," + p.unknowns[j].name + (rep.reference_kind == "exact" ? "_exact" : "_reference");
  for (int e = 0; e < E; ++e) out += E == 1 ? std::string(",residual") : fmt::format(",residual{}", e + 1);
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += format_number(rep.grid[i]);
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= p.unknowns[j].order; ++k)
        out += "," + format_number(rep.u[(j * (K + 1) + k) * n + i]);
    for (int j = 0; j < U; ++j)
      if (std::isfinite(rep.reference[j][0])) out += "," + format_number(rep.reference[j][i]);
    for (int e = 0; e < E; ++e) out += "," + format_number(rep.residuals[e * n + i]);
    out += '\n';
  }
  return out;
}

std::string loss_csv(const Prepared& prep, const TrainReport& rep) {
  const Problem& p = prep.problem;
  std::string out = "epoch,optimizer,total,residual,conditions";
  for (std::size_t e = 0; e < p.equations.size(); ++e) out += fmt::format(",equation{}", e + 1);
  for (std::size_t c = 0; c < prep.lowered.soft_conditions.size(); ++c) out += fmt::format(",condition{}", c + 1);
  out += '\n';
  for (const LossRow& r : rep.history) {
    out += fmt::format("{},{},{},{},{}", r.epoch, r.optimizer, format_number(r.total), format_number(r.residual),
                       format_number(r.conditions));
    for (double v : r.equation) out += "," + format_number(v);
    for (double v : r.condition) out += "," + format_number(v);
    out += '\n';
  }
  return out;
}

std::string report_text(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep) {
  const Problem& p = prep.problem;
  std::string out;
  std::string widths;
  for (int w : rep.widths) widths += (widths.empty() ? "" : "-") + std::to_string(w);
  out += fmt::format("problem   {}: {} unknown(s), order {}, {} in [{}, {}]\n", p.file_name, p.unknowns.size(),
                     p.order, p.indep_name, p.t0, p.t1);
  std::string conds;
  for (std::size_t j = 0; j < p.unknowns.size(); ++j)
    conds += fmt::format("{}{}: {}", j ? ", " : "", p.unknowns[j].name, prep.lowered.trial[j].kind);
  out += fmt::format("setup     net {} {}, {} params, {} points ({}), {}, backend {}; conditions {}\n", widths,
                     opt.activation, rep.theta.size(), opt.points, opt.sampling, opt.precision, prep.backend, conds);
  std::string stages;
  for (const auto& [k, v] : opt.describe())
    if (k == "opt") stages = v;
  out += fmt::format("training  {} epochs ({}) in {:.3f} s, stopped: {}\n", rep.epochs, stages, rep.train_seconds,
                     rep.stop_reason);
  out += fmt::format("loss      total {:.3e}  residual {:.3e}  conditions {:.3e}\n", rep.final_loss.total,
                     rep.final_loss.residual, rep.final_loss.conditions);
  out += fmt::format("residual  RMS {:.3e} on {} evenly spaced points (training points: {:.3e})\n", rep.residual_rms,
                     rep.grid.size(), rep.training_residual_rms);
  if (rep.reference_kind.empty()) {
    out += fmt::format("error     no reference solution: {}\n",
                       rep.no_reference_why.empty() ? "none given" : rep.no_reference_why);
  } else {
    out += fmt::format("error     against {}:\n", rep.reference_method);
    for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
      if (std::isnan(rep.rel_l2[j])) continue;
      out += fmt::format("          {:<8} relative L2 {:.3e}   max abs {:.3e}\n", p.unknowns[j].name, rep.rel_l2[j],
                         rep.max_abs[j]);
    }
  }
  if (rep.trusted) {
    out += "verdict   trusted\n";
  } else {
    out += "verdict   NOT TO BE TRUSTED:\n";
    for (const std::string& w : rep.warnings) out += "          - " + w + "\n";
  }
  return out;
}

std::unique_ptr<Prepared> prepare_model(const Model& model, KernelBackend& backend, TrainOptions* opt,
                                        std::string* error) {
  SourceFile src(model.source_file, model.source_text);
  DiagnosticEngine diags;
  std::optional<Problem> problem = compile_source(src, diags);
  if (!problem) {
    *error = "the model's stored source no longer compiles:\n" + render_all(src, diags);
    return nullptr;
  }
  for (const auto& [key, value] : model.settings) {
    if (value == "default") continue;  // e.g. lr: the optimizer's own default
    std::string why;
    if (!opt->set(key, value, &why)) {
      *error = "the model's settings are invalid: " + why;
      return nullptr;
    }
  }
  if (problem->unknowns.size() != model.unknowns.size() || problem->order != model.order) {
    *error = "the model's network does not match its stored problem";
    return nullptr;
  }
  return prepare(std::move(*problem), *opt, backend, error);
}

void evaluate_model(const Prepared& prep, const Model& model, const std::vector<double>& t, int order,
                    std::vector<double>* out) {
  rt::NetworkShape shape;
  shape.widths = model.widths;
  if (!rt::parse_activation(model.activation, shape.activation))
    throw std::invalid_argument("unknown activation '" + model.activation + "' in the model");
  shape.input_scale = model.input_scale;
  shape.input_shift = model.input_shift;
  rt::Network<double> net(shape);
  for (std::size_t i = 0; i < model.theta.size(); ++i) net.params()[Eigen::Index(i)] = model.theta[i];
  const Eigen::Index n = static_cast<Eigen::Index>(t.size());
  out->assign(static_cast<std::size_t>(prep.abi.n_unknowns * (order + 1) * n), 0.0);
  rt::evaluate_solution(prep.abi, net, prep.params.data(), t.data(), n, order, out->data());
}

}  // namespace pinnc::train
