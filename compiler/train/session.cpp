// session.cpp — see session.h. The runtime is header-only and templated on the training
// precision; everything after training (evaluation, errors, verdict, files) is the
// runtime's post-training module (runtime/include/pinnc/post/outcome.h), in float64.
#include "train/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "pinnc/post/evaluate.h"
#include "pinnc/post/march.h"
#include "pinnc/post/solution.h"
#include "pinnc/runtime.h"
#include "pipeline/compile.h"
#include "plan/reference.h"
#include "plan/run_spec.h"

namespace pinnc::train {

post::RunInfo run_info(const Prepared& prep, const TrainOptions& opt) {
  return plan::run_info(prep.problem, prep.lowered, opt, prep.reference_plan, prep.backend);
}

std::unique_ptr<Prepared> lower_problem(Problem problem, const TrainOptions& opt) {
  auto prep = std::make_unique<Prepared>();
  prep->problem = std::move(problem);
  Problem& p = prep->problem;
  prep->lowered = lower::lower(p, plan::condition_mode(opt));
  prep->reference_plan = plan::plan_reference(p);
  prep->condition_points = prep->lowered.soft_points;
  for (const Param& q : p.params) prep->params.push_back(q.value);
  for (const Unknown& u : p.unknowns) prep->unknown_orders.push_back(u.order);
  pinnc_problem& abi = prep->abi;
  prep->lowered.module.describe(&abi);  // sizes and partial-derivative patterns
  abi.t0 = p.t0;
  abi.t1 = p.t1;
  abi.condition_points = prep->condition_points.data();
  abi.params = prep->params.data();
  abi.unknown_order = prep->unknown_orders.data();
  return prep;
}

bool bind(Prepared& prep, kernels::KernelBackend& backend, bool with_f32, std::string* error) {
  if (!backend.bind(prep.lowered.module, with_f32, &prep.abi, error)) return false;
  prep.backend = backend.name();
  prep.compile_ms = backend.compile_ms();
  prep.compile_note = backend.compile_note();
  return true;
}

std::unique_ptr<Prepared> prepare(Problem problem, const TrainOptions& opt, kernels::KernelBackend& backend,
                                  std::string* error) {
  auto prep = lower_problem(std::move(problem), opt);
  if (!bind(*prep, backend, opt.f32(), error)) return nullptr;
  return prep;
}

TrainReport run_training(Prepared& prep, const TrainOptions& opt, const std::vector<double>* initial,
                         const Progress& progress) {
  const rt::TrainerSettings settings = plan::trainer_settings(opt, prep.problem, prep.abi.n_conditions);
  const post::RunInfo info = run_info(prep, opt);
  return opt.f32() ? post::train_and_evaluate<float>(prep.abi, info, settings, prep.params.data(), initial, progress)
                   : post::train_and_evaluate<double>(prep.abi, info, settings, prep.params.data(), initial, progress);
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

std::unique_ptr<Prepared> prepare_model(const Model& model, kernels::KernelBackend& backend, TrainOptions* opt,
                                        std::string* error) {
  SourceFile src(model.source_file, model.source_text);
  DiagnosticEngine diags;
  // The data files are not read again: the identified values are the model's.
  SemaOptions sema;
  sema.read_data = false;
  std::optional<Problem> problem = compile_source(src, diags, xpp::Dialect::Auto, nullptr, sema);
  if (!problem) {
    *error = "the model's stored source no longer compiles:\n" + render_all(src, diags);
    return nullptr;
  }
  for (Param& q : problem->params) {
    if (!q.identified) continue;
    auto it = std::find_if(model.params.begin(), model.params.end(), [&](const auto& m) { return m.first == q.name; });
    if (it == model.params.end()) {
      *error = "the model has no value for the identified parameter '" + q.name + "'";
      return nullptr;
    }
    q.value = it->second;
  }
  for (const auto& [key, value] : model.settings) {
    if (value == "default") continue;  // e.g. lr: the optimizer's own default
    // opt lists every stage's count; epochs is their sum (older files: a per-stage default).
    if (key == "epochs") continue;
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
  const post::TrainedSolution solution = post::TrainedSolution::of(prep.abi, model);
  out->assign(static_cast<std::size_t>(prep.abi.n_unknowns * (order + 1)) * t.size(), 0.0);
  std::vector<double> params = prep.params;  // the model's values: identified ones as trained
  if (model.params.size() == params.size())
    for (std::size_t q = 0; q < params.size(); ++q) params[q] = model.params[q].second;
  solution.values(params.data(), t.data(), t.size(), order, out->data());
}

}  // namespace pinnc::train
