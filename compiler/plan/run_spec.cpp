// run_spec.cpp — see run_spec.h.
#include "plan/run_spec.h"

#include <cmath>

#include <fmt/format.h>

#include "plan/reference.h"
#include "symbolic/symbolic.h"
#include "base/version.h"

namespace pinnc::plan {

lower::ConditionMode condition_mode(const TrainOptions& opt) {
  return opt.conditions == ConditionChoice::soft ? lower::ConditionMode::Soft : lower::ConditionMode::Auto;
}

rt::TrainerSettings trainer_settings(const TrainOptions& opt, const Problem& p, int n_conditions) {
  rt::TrainerSettings s;
  s.hidden = opt.hidden_widths(p.unknowns.size());
  s.activation = opt.activation;
  s.init = opt.init == InitChoice::torch ? rt::Init::torch_uniform : rt::Init::glorot_normal;
  s.input_scaling = opt.scaling;
  s.schedule.clear();
  for (std::size_t i = 0; i < opt.schedule.size(); ++i) {
    const OptimizerStage& st = opt.schedule[i];
    rt::Stage r;
    r.optimizer = st.optimizer;
    r.epochs = opt.stage_epochs(i);
    r.lr = opt.lr > 0 ? opt.lr : default_lr(st.optimizer);
    r.momentum = opt.momentum;
    s.schedule.push_back(r);
  }
  s.points = opt.points;
  s.sampling.kind = opt.sampling;
  s.sampling.sigma = opt.jitter;
  s.sampling.resample_every = opt.resample;
  s.seed = opt.seed;
  s.condition_weights.assign(static_cast<std::size_t>(n_conditions), opt.condition_weight);
  s.loss_tolerance = opt.tolerance;
  s.threads = opt.threads;
  // The measurements (a missing value is no measurement) and the identified parameters.
  for (const DataSet& d : p.data)
    for (std::size_t i = 0; i < d.unknowns.size(); ++i)
      for (std::size_t r = 0; r < d.t.size(); ++r)
        if (!std::isnan(d.values[i][r])) s.data.push_back({d.t[r], d.unknowns[i], d.values[i][r]});
  s.data_weight = opt.data_weight;
  for (std::size_t q = 0; q < p.params.size(); ++q) {
    if (!p.params[q].ranged) continue;
    s.bundle.push_back(static_cast<int>(q));
    s.bundle_lower.push_back(p.params[q].lower);
    s.bundle_upper.push_back(p.params[q].upper);
  }
  // Samples per ranged parameter: 9 for one, 5 for two (25 in all), 3 for more.
  const std::size_t m = s.bundle.size();
  s.bundle_samples = opt.bundle_samples > 0 ? opt.bundle_samples : m <= 1 ? 9 : m == 2 ? 5 : 3;
  for (std::size_t q = 0; q < p.params.size(); ++q) {
    if (!p.params[q].identified) continue;
    s.identify.push_back(static_cast<int>(q));
    s.identify_lower.push_back(p.params[q].lower);
    s.identify_upper.push_back(p.params[q].upper);
  }
  return s;
}

post::RunInfo run_info(const Problem& p, const lower::Lowered& lowered, const TrainOptions& opt,
                       const post::ReferencePlan& reference, const std::string& backend) {
  post::RunInfo info;
  info.pinnc_version = version();
  info.source_file = p.file_name;
  info.source_text = p.source;
  info.variable = p.indep_name;
  info.t0 = p.t0, info.t1 = p.t1;
  info.order = p.order;
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    const lower::TrialForm& f = lowered.trial[j];
    info.unknowns.push_back({p.unknowns[j].name, p.unknowns[j].order, f.kind, f.hard ? sym::print(*p.ctx, f.a) : "0",
                             f.hard ? sym::print(*p.ctx, f.b) : "1"});
  }
  for (const Param& q : p.params) info.params.emplace_back(q.name, q.value);
  for (const Aux& a : p.aux) info.aux_names.push_back(a.name);
  for (std::size_t q = 0; q < p.params.size(); ++q)
    if (p.params[q].identified)
      info.identified.push_back({p.params[q].name, static_cast<int>(q), p.params[q].value, p.params[q].lower, p.params[q].upper});
  for (const DataSet& d : p.data) info.data_files.push_back(d.file);
  for (std::size_t q = 0; q < p.params.size(); ++q)
    if (p.params[q].ranged)
      info.bundle.push_back({p.params[q].name, static_cast<int>(q), p.params[q].lower, p.params[q].upper});
  for (const Equation& e : p.equations)
    info.equation_where.push_back(fmt::format("{}:{}: the residual of `{}`", p.file_name, e.line, e.text));
  for (int c : lowered.soft_conditions) {
    const Condition& cond = p.conditions[c];
    info.condition_where.push_back(fmt::format("{}:{}: the condition `{}`", p.file_name, cond.line, cond.text));
  }
  info.settings = opt.describe();
  info.stages = opt.stages();
  info.activation = rt::activation_name(opt.activation);
  info.sampling = spelling(opt.sampling);
  info.precision = spelling(opt.precision);
  info.backend = backend;
  info.points = opt.points;
  info.reference = reference;
  info.rtol = opt.rtol;
  info.atol = opt.atol;
  info.windows = opt.windows;
  info.budget = opt.budget;
  info.memory_limit = opt.memory_gib * double(1u << 30);
  info.data_noise = opt.data_noise;
  return info;
}

RunSpec make_run_spec(Problem& problem, const lower::Lowered& lowered, const TrainOptions& opt,
                      const std::string& backend) {
  RunSpec spec;
  spec.settings = trainer_settings(opt, problem, lowered.module.n_conditions);
  spec.info = run_info(problem, lowered, opt, plan_reference(problem), backend);
  spec.precision = opt.precision;
  return spec;
}

}  // namespace pinnc::plan
