// lower.h — lowering a checked Problem to the kernel IR (residual, conditions, trial, exact).
#ifndef PINNC_LOWER_LOWER_H
#define PINNC_LOWER_LOWER_H

#include <string>
#include <vector>

#include "lower/kernel_ir.h"
#include "sema/problem.h"

namespace pinnc::lower {

/// How conditions are imposed: `Auto` makes them hard (exact, through the trial solution
/// u = A + B*N) where that can be synthesised and soft (loss terms) otherwise; `Soft`
/// makes every condition a loss term.
enum class ConditionMode : uint8_t { Auto, Soft };

/// The trial solution chosen for one unknown.
struct TrialForm {
  bool hard = false;
  sym::Expr a = nullptr;  ///< A(t) (nullptr when soft: A = 0)
  sym::Expr b = nullptr;  ///< B(t) (nullptr when soft: B = 1)
  std::string kind;       ///< "initial value", "Dirichlet", or "soft"
};

/// The result of lowering: the kernels plus what the driver needs to report.
struct Lowered {
  KernelModule module;
  std::vector<TrialForm> trial;       ///< per unknown
  std::vector<int> soft_conditions;   ///< indices into Problem::conditions, kernel order
  std::vector<double> soft_points;    ///< their points, in the same order
};

/// Chooses trial forms, derives A, B and their t-derivatives, and builds every kernel.
Lowered lower(Problem& problem, ConditionMode mode);

/// Builds one block from (array, slot, expression) outputs: a tape of the DAG reachable
/// from the outputs, shared subexpressions computed once (the DAG is hash-consed).
struct Output {
  uint32_t array, slot;
  sym::Expr expr;
  std::string comment;
};
Block build_block(const Problem& problem, const std::vector<Output>& outputs, int64_t point = -1);

}  // namespace pinnc::lower

#endif  // PINNC_LOWER_LOWER_H
