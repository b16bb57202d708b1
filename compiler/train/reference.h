// reference.h — a classical reference solution for initial value problems (Boost.Odeint),
// so that every IVP run reports an honest error even without an `exact` solution.
#ifndef PINNC_TRAIN_REFERENCE_H
#define PINNC_TRAIN_REFERENCE_H

#include <optional>
#include <string>
#include <vector>

#include "sema/problem.h"

namespace pinnc::train {

/// Values of every unknown (rows: unknowns, then points) on the requested grid.
struct Reference {
  std::vector<std::vector<double>> values;  ///< values[j][i] = u_j(grid[i])
  std::string method;                       ///< e.g. "Dormand-Prince 5(4), tol 1e-12"
};

/// Why no reference exists, when it does not (empty when one does).
struct ReferenceResult {
  std::optional<Reference> reference;
  std::string why_not;
};

/// Solves the problem as an IVP with an adaptive integrator on `grid` (ascending, inside
/// the interval). Works when every condition is a plain value `u^(k)(a) = c` at one
/// common point a, each unknown of order m has conditions for orders 0..m-1, and the
/// equations are affine in the unknowns' highest derivatives (solved numerically, so
/// systems and implicit-but-linear forms work). `params` overrides the parameter values.
ReferenceResult solve_reference(Problem& problem, const std::vector<double>& grid,
                                const std::vector<double>& params);

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_REFERENCE_H
