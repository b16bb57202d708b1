// session.cpp — see session.h. The runtime is header-only and templated on the training
// precision; everything after training (evaluation, errors, verdict, files) is the
// runtime's post-training module (runtime/include/pinnc/post/outcome.h), in float64.
#include "train/session.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "pinnc/post/evaluate.h"
#include "pinnc/runtime.h"
#include "symbolic/symbolic.h"
#include "frontend/compile.h"
#include "train/reference.h"
#include "version.h"

namespace pinnc::train {

rt::TrainerSettings trainer_settings(const Prepared& prep, const TrainOptions& opt) {
  rt::TrainerSettings s;
  s.hidden = opt.net;
  s.activation = opt.activation;
  s.init = opt.init == InitChoice::torch ? rt::Init::torch_uniform : rt::Init::glorot_normal;
  s.input_scaling = opt.scaling;
  s.schedule.clear();
  for (const OptimizerStage& st : opt.schedule) {
    rt::Stage r;
    r.optimizer = st.optimizer;
    r.epochs = st.epochs ? st.epochs : opt.epochs;
    r.lr = opt.lr > 0 ? opt.lr : default_lr(st.optimizer);
    r.momentum = opt.momentum;
    s.schedule.push_back(r);
  }
  s.points = opt.points;
  s.sampling.kind = opt.sampling;
  s.sampling.sigma = opt.jitter;
  s.sampling.resample_every = opt.resample;
  s.seed = opt.seed;
  s.condition_weights.assign(static_cast<std::size_t>(prep.abi.n_conditions), opt.condition_weight);
  s.loss_tolerance = opt.tolerance;
  s.threads = opt.threads;
  return s;
}

lower::ConditionMode condition_mode(const TrainOptions& opt) {
  return opt.conditions == ConditionChoice::soft ? lower::ConditionMode::Soft : lower::ConditionMode::Auto;
}

post::RunInfo run_info(const Prepared& prep, const TrainOptions& opt) {
  const Problem& p = prep.problem;
  post::RunInfo info;
  info.pinnc_version = version();
  info.source_file = p.file_name;
  info.source_text = p.source;
  info.variable = p.indep_name;
  info.t0 = p.t0, info.t1 = p.t1;
  info.order = p.order;
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    const lower::TrialForm& f = prep.lowered.trial[j];
    info.unknowns.push_back({p.unknowns[j].name, p.unknowns[j].order, f.kind, f.hard ? sym::print(*p.ctx, f.a) : "0",
                             f.hard ? sym::print(*p.ctx, f.b) : "1"});
  }
  for (const Param& q : p.params) info.params.emplace_back(q.name, q.value);
  for (const Equation& e : p.equations)
    info.equation_where.push_back(fmt::format("{}:{}: the residual of `{}`", p.file_name, e.line, e.text));
  for (int c : prep.lowered.soft_conditions) {
    const Condition& cond = p.conditions[c];
    info.condition_where.push_back(fmt::format("{}:{}: the condition `{}`", p.file_name, cond.line, cond.text));
  }
  info.settings = opt.describe();
  info.stages = opt.stages();
  info.activation = rt::activation_name(opt.activation);
  info.sampling = spelling(opt.sampling);
  info.precision = spelling(opt.precision);
  info.backend = prep.backend;
  info.points = opt.points;
  info.reference = prep.reference_plan;
  return info;
}

std::unique_ptr<Prepared> prepare(Problem problem, const TrainOptions& opt, KernelBackend& backend,
                                  std::string* error) {
  auto prep = std::make_unique<Prepared>();
  prep->problem = std::move(problem);
  Problem& p = prep->problem;
  prep->lowered = lower::lower(p, condition_mode(opt));
  prep->reference_plan = plan_reference(p);
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
  if (!backend.bind(m, opt.f32(), &abi, error)) return nullptr;
  prep->backend = backend.name();
  prep->compile_ms = backend.compile_ms();
  return prep;
}

TrainReport run_training(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial,
                         const Progress& progress) {
  const rt::TrainerSettings settings = trainer_settings(prep, opt);
  TrainReport rep = opt.f32() ? post::train<float>(prep.abi, settings, initial, progress)
                                           : post::train<double>(prep.abi, settings, initial, progress);
  post::evaluate(prep.abi, run_info(prep, opt), prep.params.data(), rep);
  return rep;
}

Model make_model(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep) {
  return post::make_model(run_info(prep, opt), rep);
}

std::string solution_csv(const Prepared& prep, const TrainReport& rep) {
  return post::solution_csv(run_info(prep, TrainOptions()), rep);
}

std::string loss_csv(const Prepared& prep, const TrainReport& rep) {
  return post::loss_csv(run_info(prep, TrainOptions()), rep);
}

std::string report_text(const Prepared& prep, const TrainOptions& opt, const TrainReport& rep) {
  return post::report_text(run_info(prep, opt), rep);
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
  rt::Activation act{};
  if (!rt::parse_activation(model.activation, act))
    throw std::invalid_argument("unknown activation '" + model.activation + "' in the model");
  const rt::Network<double> net = post::network_of(model.widths, act, model.input_scale, model.input_shift, model.theta);
  const Eigen::Index n = static_cast<Eigen::Index>(t.size());
  out->assign(static_cast<std::size_t>(prep.abi.n_unknowns * (order + 1) * n), 0.0);
  rt::evaluate_solution(prep.abi, net, prep.params.data(), t.data(), n, order, out->data());
}

}  // namespace pinnc::train
