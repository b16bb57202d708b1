// kernel_abi.h — the C calling convention between generated problem kernels and the runtime.
//
// The compiler lowers a checked problem to a handful of pointwise kernels; the LLVM JIT,
// the C++ emitter and the interpreter all produce functions of exactly these types, and
// the runtime calls them without knowing which backend made them. This header is plain C
// (it is also embedded verbatim into emitted standalone solvers) and is the normative
// description of the layouts.
//
// ## Names
//   P   number of points in the batch (collocation points, or condition points)
//   U   number of unknowns (network outputs), j = 0..U-1
//   K   problem order: the highest derivative order of any unknown (0..4), k = 0..K
//   S   stack height per point: U * (K+1); slot s = j*(K+1) + k
//   E   number of equations (residuals), e = 0..E-1
//   C   number of conditions, c = 0..C-1
//   Q   number of parameters, q = 0..Q-1 (values of all `param`s, in declaration order)
//   A   number of auxiliary quantities (`aux name = ...`), a = 0..A-1
//
// ## Layout: Taylor stacks are structure-of-arrays, points innermost
//   u[(j*(K+1) + k)*P + p]       d^k u_j / dt^k at point p (derivatives w.r.t. the
//                                user's variable t, after any input scaling is undone)
// so each (unknown, order) pair is one contiguous column of P values and a kernel's loop
// over p is unit-stride (vectorisable).
//
// ## Partial derivatives are sparse, with a pattern fixed at compile time
// A `pinnc_pattern` lists the structurally non-zero partial derivatives of one kernel
// output: entry n is d(row_n)/d(col_n), where row is an equation e (residual kernel) or a
// condition c (conditions kernel) and col is a stack slot s = j*(K+1)+k (d/du) or a
// parameter q (d/dparams). Entries are sorted by row, then col, each pair at most once.
// A partial that is not listed is identically zero. The compiler derives the pattern
// from the symbolic derivatives, so a system of n equations that each involve a few
// unknowns has O(n) entries, not n * U * (K+1).
//
// ## Kernel kinds
// Every kernel takes `void* ctx` first: the `ctx` of the `pinnc_kernels` it came in,
// passed unchanged by the runtime on every call. The interpreter keeps the module it runs
// there; JIT and emitted C++ kernels ignore it (their ctx may be NULL). Kernels are
// called from several threads at once, on different arrays (objective.h's point blocks):
// they must not write through ctx.
// residual:   for p in 0..P-1, for each equation e, with the patterns
//             residual_partials (dr) and residual_param_partials (dr_dparams):
//               r[e*P + p]           = R_e(t_p, u(.,p), params)
//               dr[n*P + p]          = dR_{row_n} / d(u slot col_n) at p
//             dr_dparams may be NULL; when not NULL it receives
//               dr_dparams[n*P + p]  = dR_{row_n} / d(param col_n) at p
// conditions: P = C and "point" c is condition c's own point (t[c], u[s*C + c]); each
//             condition is evaluated at its own point only, so every output is one value
//             per row or per listed partial, with the patterns condition_partials (dr)
//             and condition_param_partials (dr_dparams):
//               r[c]                 = G_c(t_c, u(.,c), params)
//               dr[n]                = dG_{row_n} / d(u slot col_n) at t_{row_n}
//               dr_dparams[n]        = dG_{row_n} / d(param col_n) (may be NULL)
//             (A condition is G_c = 0, e.g. `y'(1) + 2*y(1) = 0` gives G = y' + 2*y at t = 1.)
// trial:      hard constraints u_j(t) = A_j(t) + B_j(t) * N_j(t), with N the network output.
//               A[(j*(K+1) + k)*P + p] = d^k A_j/dt^k (t_p),  B likewise.
//             An unknown without hard constraints has A = 0, B = 1.
// exact:      exact solution where the problem gives one (NULL otherwise; float64 only):
//               u[(j*(K+1) + k)*P + p] as in the stack layout; unknowns without `exact`
//               are filled with NaN.
// aux:        auxiliary quantities where the problem has any (NULL otherwise; float64
//             only), computed from a solution, never trained:
//               a[i*P + p] = aux_i(t_p, u(.,p), params)
// Kernels write every element of their output arrays (nothing is left for the caller to
// zero-fill), except that a NULL dr_dparams is skipped.
//
// All kernels are pure: no state, no allocation, thread-safe, deterministic.
#ifndef PINNC_KERNEL_ABI_H
#define PINNC_KERNEL_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PINNC_KERNEL_ABI_VERSION 3
#define PINNC_MAX_ORDER 4

/* ## The kernel signatures, declared once
 *
 * Each signature is a list X(S, ROLE, name) of the parameters after `void* ctx`, in
 * precision S (double or float). ROLE gives the C type (PINNC_ARG_TYPE_<ROLE>) and what the
 * parameter means: COUNT the number of points P; TIME t[P]; STACK the Taylor stack u;
 * PARAMS params[Q]; OUT an output array; OPTIONAL_OUT an output array that may be NULL.
 * The compiler's kernel IR, its LLVM and C++ backends and its interpreter are all driven
 * by these lists, so this is the only place a signature is written down. */
#define PINNC_ARGS_POINTWISE(X, S)                                                          \
  X(S, COUNT, P) X(S, TIME, t) X(S, STACK, u) X(S, PARAMS, params) X(S, OUT, r) X(S, OUT, dr) \
  X(S, OPTIONAL_OUT, dr_dparams)
#define PINNC_ARGS_TRIAL(X, S) X(S, COUNT, P) X(S, TIME, t) X(S, PARAMS, params) X(S, OUT, A) X(S, OUT, B)
#define PINNC_ARGS_EXACT(X, S) X(S, COUNT, P) X(S, TIME, t) X(S, PARAMS, params) X(S, OUT, u)
#define PINNC_ARGS_AUX(X, S) X(S, COUNT, P) X(S, TIME, t) X(S, STACK, u) X(S, PARAMS, params) X(S, OUT, a)

#define PINNC_ARG_TYPE_COUNT(S) int64_t
#define PINNC_ARG_TYPE_TIME(S) const S*
#define PINNC_ARG_TYPE_STACK(S) const S*
#define PINNC_ARG_TYPE_PARAMS(S) const S*
#define PINNC_ARG_TYPE_OUT(S) S*
#define PINNC_ARG_TYPE_OPTIONAL_OUT(S) S*

/* The kernel kinds, in order: X(kind, ARGS, F32) with F32 = 1 when the kind also exists
 * in float32. Each row defines the pointer types pinnc_<kind>_f64 (and _f32) and the
 * fields <kind>_f64 (and _f32) of pinnc_kernels. */
#define PINNC_KERNEL_KINDS(X)             \
  X(residual, PINNC_ARGS_POINTWISE, 1)    \
  X(conditions, PINNC_ARGS_POINTWISE, 1)  \
  X(trial, PINNC_ARGS_TRIAL, 1)           \
  X(exact, PINNC_ARGS_EXACT, 0)           \
  X(aux, PINNC_ARGS_AUX, 0)

#define PINNC_ARG_DECL_(S, ROLE, name) , PINNC_ARG_TYPE_##ROLE(S) name
#define PINNC_IF_1_(...) __VA_ARGS__
#define PINNC_IF_0_(...)
#define PINNC_KERNEL_TYPEDEF_(kind, ARGS, F32)                                   \
  typedef void (*pinnc_##kind##_f64)(void* ctx ARGS(PINNC_ARG_DECL_, double)); \
  typedef void (*pinnc_##kind##_f32)(void* ctx ARGS(PINNC_ARG_DECL_, float));
#define PINNC_KERNEL_FIELD_(kind, ARGS, F32) \
  pinnc_##kind##_f64 kind##_f64;             \
  PINNC_IF_##F32##_(pinnc_##kind##_f32 kind##_f32;)

/* The types this defines, written out:
 *   typedef void (*pinnc_residual_f64)(void* ctx, int64_t P, const double* t, const double* u,
 *                                      const double* params, double* r, double* dr,
 *                                      double* dr_dparams);
 *   typedef ... pinnc_conditions_f64: the same parameters;
 *   typedef void (*pinnc_trial_f64)(void* ctx, int64_t P, const double* t,
 *                                   const double* params, double* A, double* B);
 *   typedef void (*pinnc_exact_f64)(void* ctx, int64_t P, const double* t,
 *                                   const double* params, double* u);
 *   typedef void (*pinnc_aux_f64)(void* ctx, int64_t P, const double* t, const double* u,
 *                                 const double* params, double* a);
 * and the same with float for _f32. */
PINNC_KERNEL_KINDS(PINNC_KERNEL_TYPEDEF_)

/// One backend's kernels for one problem, and the context they are called with. A NULL
/// pointer is a kernel that was not compiled (that precision, or no trial/exact kernel).
typedef struct pinnc_kernels {
  void* ctx; /* passed as the first argument of every call */
  /* residual_f64, residual_f32, conditions_f64, conditions_f32, trial_f64, trial_f32,
     exact_f64, aux_f64: trial NULL means no hard constraints (A = 0, B = 1), exact NULL
     no exact solution, aux NULL no auxiliary quantities. */
  PINNC_KERNEL_KINDS(PINNC_KERNEL_FIELD_)
} pinnc_kernels;

/// The structurally non-zero entries of one partial-derivative output (see above).
typedef struct pinnc_pattern {
  int32_t n;          /* number of entries */
  const int32_t* row; /* [n] equation e or condition c, non-decreasing */
  const int32_t* col; /* [n] stack slot j*(K+1)+k, or parameter q; increasing within a row */
} pinnc_pattern;

/// Everything the runtime needs to know about one problem: sizes, interval, condition
/// points, default parameter values, the partial-derivative patterns and the kernels.
typedef struct pinnc_problem {
  int32_t n_unknowns;    /* U */
  int32_t order;         /* K */
  int32_t n_equations;   /* E */
  int32_t n_conditions;  /* C (soft conditions only: hard ones live in `trial`) */
  int32_t n_params;      /* Q */
  int32_t n_aux;         /* A: outputs of the aux kernel */
  double t0, t1;         /* the interval [t0, t1] */
  const double* condition_points; /* [C] */
  const double* params;           /* [Q] default values */
  const int32_t* unknown_order;   /* [U] highest derivative order of each unknown */
  pinnc_pattern residual_partials;         /* dr of the residual kernel: (e, slot) */
  pinnc_pattern residual_param_partials;   /* its dr_dparams: (e, q) */
  pinnc_pattern condition_partials;        /* dr of the conditions kernel: (c, slot) */
  pinnc_pattern condition_param_partials;  /* its dr_dparams: (c, q) */
  pinnc_kernels kernels;
} pinnc_problem;

#ifdef __cplusplus
}
#endif

#endif  // PINNC_KERNEL_ABI_H
