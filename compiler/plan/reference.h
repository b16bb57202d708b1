// reference.h — whether a classical reference solution exists for a problem, and its
// initial state: the compiler's half of the reference integrator. The integration itself
// runs on the problem's residual kernel in the runtime (runtime/include/pinnc/post/
// reference.h), so `pinnc train` and emitted solvers compute the same reference.
#ifndef PINNC_PLAN_REFERENCE_H
#define PINNC_PLAN_REFERENCE_H

#include "pinnc/post/outcome.h"
#include "sema/problem.h"

namespace pinnc::plan {

/// A plan when every condition is a plain value `u^(k)(a) = c` and there are as many
/// equations as unknowns, each unknown with a derivative:
///  - an IVP when all conditions sit at one point a and give orders 0..m-1 of each
///    unknown of order m; the equations must then be affine in the highest derivatives
///    (checked symbolically; solved numerically, so systems and implicit-but-linear forms
///    work);
///  - a BVP otherwise, when the number of conditions equals the total order (no
///    condition on a highest derivative).
/// Otherwise `possible` is false with the reason. `linear` and `explicit_form` are set
/// whenever the equations were examined (the error bound uses them).
post::ReferencePlan plan_reference(Problem& problem);

}  // namespace pinnc::plan

#endif  // PINNC_PLAN_REFERENCE_H
