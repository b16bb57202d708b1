// runtime.h — the whole pinnc runtime in one include (header-only; Eigen + Boost.Random).
//
//   rng.h                  portable seeded generator (xoshiro256**)
//   activation.h           activations and their derivatives to order 5
//   taylor.h               Faa di Bruno rules and adjoints, elementwise
//   network.h              the MLP, Taylor-mode forward, backward sinks
//   batch.h                trial wrapping u = A + B N on a set of points
//   objective.h            loss terms, gradient, residual vector and Jacobian
//   first_order.h          SGD, Adam
//   lbfgs.h                L-BFGS with a Wolfe line search
//   levenberg_marquardt.h  LM through the smaller normal-equation form
//   sampler.h              collocation point samplers
//   model.h                evaluating a trained solution
//   trainer.h              settings, schedule, training loop
#ifndef PINNC_RT_RUNTIME_H
#define PINNC_RT_RUNTIME_H

#include "pinnc/kernel_abi.h"
#include "pinnc/trainer.h"

#endif  // PINNC_RT_RUNTIME_H
