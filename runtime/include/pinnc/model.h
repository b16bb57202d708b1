// model.h — evaluating a trained network as the solution u(t) (with trial wrapping) and
// its residuals at arbitrary points: what solution.csv, `pinnc eval` and the REPL need.
#ifndef PINNC_RT_MODEL_H
#define PINNC_RT_MODEL_H

#include <Eigen/Core>
#include <stdexcept>
#include <vector>

#include "pinnc/batch.h"
#include "pinnc/kernel_abi.h"
#include "pinnc/network.h"

namespace pinnc::rt {

/// u_j^(k)(t_p) for k = 0..order at n points, written as out[(j(order+1)+k) n + p] (the
/// kernel ABI's layout). With hard constraints (a trial kernel) order is limited to the
/// problem's order, for which the compiler supplied A and B; otherwise to 4.
/// params: [Q] parameter values (null: the problem's defaults). Allocates; not for loops.
template <class Scalar>
void evaluate_solution(const pinnc_problem& pb, const Network<Scalar>& net, const double* params,
                       const double* t, Index n, int order, double* out) {
  const ProblemKernels<Scalar> kern(pb);
  if (order < 0 || order > PINNC_MAX_ORDER || (kern.trial && order > pb.order))
    throw std::invalid_argument("pinnc::rt::evaluate_solution: derivative order out of range");
  if (n <= 0) return;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> q(pb.n_params);
  for (int i = 0; i < pb.n_params; ++i) q[i] = Scalar(params ? params[i] : pb.params[i]);
  Batch<Scalar> b(net, kern.trial, pb.order, n, order);
  for (Index p = 0; p < n; ++p) b.t[p] = Scalar(t[p]);
  b.update_trial(q.data());
  b.forward(net);
  for (Index i = 0; i < b.u.size(); ++i) out[i] = double(b.u[i]);
}

/// The equation residuals r[e n + p] = R_e(t_p, u, params) of the network's solution.
template <class Scalar>
void evaluate_residuals(const pinnc_problem& pb, const Network<Scalar>& net, const double* params,
                        const double* t, Index n, double* r) {
  const ProblemKernels<Scalar> kern(pb);
  if (!kern.residual) throw std::invalid_argument("pinnc::rt: no residual kernel in this precision");
  if (n <= 0) return;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> q(pb.n_params);
  for (int i = 0; i < pb.n_params; ++i) q[i] = Scalar(params ? params[i] : pb.params[i]);
  Batch<Scalar> b(net, kern.trial, pb.order, n, pb.order);
  for (Index p = 0; p < n; ++p) b.t[p] = Scalar(t[p]);
  b.update_trial(q.data());
  b.forward(net);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> rr(Index(pb.n_equations) * n), dr(Index(pb.residual_partials.n) * n);
  kern.residual(n, b.t.data(), b.u.data(), q.data(), rr.data(), dr.data(), nullptr);
  for (Index i = 0; i < rr.size(); ++i) r[i] = double(rr[i]);
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_MODEL_H
