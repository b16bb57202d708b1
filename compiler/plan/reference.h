// reference.h — whether a classical reference solution exists for a problem, and its
// initial state: the compiler's half of the reference integrator. The integration itself
// runs on the problem's residual kernel in the runtime (runtime/include/pinnc/post/
// reference.h), so `pinnc train` and emitted solvers compute the same reference.
#ifndef PINNC_PLAN_REFERENCE_H
#define PINNC_PLAN_REFERENCE_H

#include "pinnc/post/reference.h"
#include "sema/problem.h"

namespace pinnc::plan {

/// A plan when every condition is a plain value `u^(k)(a) = c` at one common point a,
/// each unknown of order m has conditions for orders 0..m-1, there are as many
/// equations as unknowns, and the equations are affine in the unknowns' highest
/// derivatives (checked symbolically; solved numerically, so systems and
/// implicit-but-linear forms work). Otherwise `possible` is false with the reason.
post::ReferencePlan plan_reference(Problem& problem);

}  // namespace pinnc::plan

#endif  // PINNC_PLAN_REFERENCE_H
