// run_spec.h — everything a training run is decided to be before any kernel exists: the
// runtime's settings (the one mapping from TrainOptions), what the report and files will
// say (post::RunInfo: names, source lines, trial forms, the classical-reference plan) and
// the precision. `pinnc train` (compiler/train/) runs a RunSpec; the C++ generator
// (compiler/codegen/cpp/) writes one out as code, so both run the same settings.
#ifndef PINNC_PLAN_RUN_SPEC_H
#define PINNC_PLAN_RUN_SPEC_H

#include <string>

#include "lower/lower.h"
#include "pinnc/post/outcome.h"
#include "pinnc/trainer.h"
#include "sema/problem.h"
#include "settings/options.h"

namespace pinnc::plan {

struct RunSpec {
  rt::TrainerSettings settings;
  post::RunInfo info;
  Precision precision = Precision::f64;
};

/// How lowering treats the conditions under `opt` (hard where possible, or all soft).
lower::ConditionMode condition_mode(const TrainOptions& opt);

/// The runtime's settings for `opt` and `problem`: learning-rate defaults, epochs per
/// stage, one weight per soft condition (`n_conditions` of them), the problem's
/// measurements and identified parameters.
rt::TrainerSettings trainer_settings(const TrainOptions& opt, const Problem& problem, int n_conditions);

/// What the report and the files say about the problem and the settings. `backend` is
/// the name the report's setup line gives ("jit", "interp", "emitted C++").
post::RunInfo run_info(const Problem& problem, const lower::Lowered& lowered, const TrainOptions& opt,
                       const post::ReferencePlan& reference, const std::string& backend);

/// The whole spec; plans the reference (symbolic work: call once per problem).
RunSpec make_run_spec(Problem& problem, const lower::Lowered& lowered, const TrainOptions& opt,
                      const std::string& backend);

}  // namespace pinnc::plan

#endif  // PINNC_PLAN_RUN_SPEC_H
