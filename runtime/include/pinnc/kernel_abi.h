// kernel_abi.h — the C calling convention between generated problem kernels and the runtime.
//
// The compiler lowers a checked problem to a handful of pointwise kernels; the LLVM JIT
// and the C++ emitter both produce functions of exactly these types, and the runtime
// calls them without knowing which backend made them. This header is plain C (it is
// also embedded verbatim into emitted standalone solvers).
//
// ## Names
//   P   number of points in the batch (collocation points, or condition points)
//   U   number of unknowns (network outputs), j = 0..U-1
//   K   problem order: the highest derivative order of any unknown (0..4), k = 0..K
//   S   stack height per point: U * (K+1)
//   E   number of equations (residuals), e = 0..E-1
//   C   number of conditions, c = 0..C-1
//   Q   number of parameters, q = 0..Q-1 (values of all `param`s, in declaration order)
//
// ## Layout: Taylor stacks are structure-of-arrays, points innermost
//   u[(j*(K+1) + k)*P + p]       d^k u_j / dt^k at point p (derivatives w.r.t. the
//                                user's variable t, after any input scaling is undone)
// so each (unknown, order) pair is one contiguous column of P values and a kernel's loop
// over p is unit-stride (vectorisable).
//
// ## Kernel kinds
// residual:   for p in 0..P-1, for each equation e:
//               r[e*P + p]                    = R_e(t_p, u(.,p), params)
//               dr[(e*S + j*(K+1) + k)*P + p] = dR_e / d(u_j^(k)) at p
//             dr_dparams may be NULL; when not NULL it receives
//               dr_dparams[(e*Q + q)*P + p]   = dR_e / d(param_q) at p
// conditions: same signature as residual, with E = C and P = C: "point" c is condition
//             c's own point, and only column c is meaningful for row c; that is
//               r[c*C + c] = G_c(t_c, u(.,c), params), dr[(c*S + j*(K+1)+k)*C + c] = dG_c/du_j^(k).
//             Kernels write only those entries; the runtime zero-fills the rest before the call.
//             (A condition is G_c = 0, e.g. `y'(1) + 2*y(1) = 0` gives G = y' + 2*y at t = 1.)
// trial:      hard constraints u_j(t) = A_j(t) + B_j(t) * N_j(t), with N the network output.
//               A[(j*(K+1) + k)*P + p] = d^k A_j/dt^k (t_p),  B likewise.
//             An unknown without hard constraints has A = 0, B = 1.
// exact:      exact solution where the problem gives one (NULL otherwise):
//               u[(j*(K+1) + k)*P + p] as in the stack layout; unknowns without `exact`
//               are filled with NaN.
//
// All kernels are pure: no state, no allocation, thread-safe, deterministic.
#ifndef PINNC_KERNEL_ABI_H
#define PINNC_KERNEL_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PINNC_KERNEL_ABI_VERSION 1
#define PINNC_MAX_ORDER 4

typedef void (*pinnc_pointwise_f64)(int64_t P, const double* t, const double* u,
                                    const double* params, double* r, double* dr,
                                    double* dr_dparams);
typedef void (*pinnc_pointwise_f32)(int64_t P, const float* t, const float* u,
                                    const float* params, float* r, float* dr,
                                    float* dr_dparams);
typedef void (*pinnc_trial_f64)(int64_t P, const double* t, const double* params, double* A,
                                double* B);
typedef void (*pinnc_trial_f32)(int64_t P, const float* t, const float* params, float* A,
                                float* B);
typedef void (*pinnc_exact_f64)(int64_t P, const double* t, const double* params, double* u);

/// Everything the runtime needs to know about one problem: sizes, interval, condition
/// points, default parameter values and the kernels (either precision may be NULL when
/// that precision was not compiled).
typedef struct pinnc_problem {
  int32_t n_unknowns;    /* U */
  int32_t order;         /* K */
  int32_t n_equations;   /* E */
  int32_t n_conditions;  /* C (soft conditions only: hard ones live in `trial`) */
  int32_t n_params;      /* Q */
  double t0, t1;         /* the interval [t0, t1] */
  const double* condition_points; /* [C] */
  const double* params;           /* [Q] default values */
  const int32_t* unknown_order;   /* [U] highest derivative order of each unknown */
  pinnc_pointwise_f64 residual_f64;
  pinnc_pointwise_f64 conditions_f64;
  pinnc_trial_f64 trial_f64;      /* NULL: no hard constraints (A = 0, B = 1) */
  pinnc_exact_f64 exact_f64;      /* NULL: no exact solution */
  pinnc_pointwise_f32 residual_f32;
  pinnc_pointwise_f32 conditions_f32;
  pinnc_trial_f32 trial_f32;
} pinnc_problem;

#ifdef __cplusplus
}
#endif

#endif  // PINNC_KERNEL_ABI_H
