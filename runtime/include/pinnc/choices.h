// choices.h — the runtime's named choices: activation, weight initialisation, sampling
// and optimizer, with their names as settings and model files spell them. Standard
// library only, so that the compiler's settings schema (compiler/settings/) can use the
// runtime's own types without pulling in Eigen.
#ifndef PINNC_RT_CHOICES_H
#define PINNC_RT_CHOICES_H

#include <string>

namespace pinnc::rt {

/// The activations a hidden layer can use (the output layer is always linear).
enum class Activation { tanh, sin, sigmoid, softplus, silu, gelu, leaky_relu, identity };

/// Lower-case name, as used in settings and model files ("tanh", "leaky_relu", ...).
inline const char* activation_name(Activation a) {
  switch (a) {
    case Activation::tanh: return "tanh";
    case Activation::sin: return "sin";
    case Activation::sigmoid: return "sigmoid";
    case Activation::softplus: return "softplus";
    case Activation::silu: return "silu";
    case Activation::gelu: return "gelu";
    case Activation::leaky_relu: return "leaky_relu";
    case Activation::identity: return "identity";
  }
  return "?";
}

/// Parses a name written by activation_name (also accepts "swish" for silu and
/// "leakyrelu"); returns false for an unknown name.
inline bool parse_activation(const std::string& name, Activation& out) {
  for (Activation a : {Activation::tanh, Activation::sin, Activation::sigmoid,
                       Activation::softplus, Activation::silu, Activation::gelu,
                       Activation::leaky_relu, Activation::identity}) {
    if (name == activation_name(a)) {
      out = a;
      return true;
    }
  }
  if (name == "swish") return out = Activation::silu, true;
  if (name == "leakyrelu") return out = Activation::leaky_relu, true;
  return false;
}

/// True when the activation's derivatives of order >= 2 vanish (almost) everywhere, so a
/// network built from it cannot represent second and higher input derivatives.
inline bool activation_is_piecewise_linear(Activation a) {
  return a == Activation::leaky_relu || a == Activation::identity;
}

/// How initial weights are drawn (always from the portable Rng; same seed, same bits).
enum class Init {
  glorot_normal,   ///< W ~ N(0, 2/(fan_in+fan_out)), b = 0
  glorot_uniform,  ///< W ~ U(+-sqrt(6/(fan_in+fan_out))), b = 0
  torch_uniform,   ///< W, b ~ U(+-1/sqrt(fan_in)) (PyTorch's nn.Linear default)
};

inline const char* init_name(Init i) {
  switch (i) {
    case Init::glorot_normal: return "glorot_normal";
    case Init::glorot_uniform: return "glorot_uniform";
    case Init::torch_uniform: return "torch_uniform";
  }
  return "?";
}

enum class Sampling {
  grid,           ///< t_i = t0 + i (t1 - t0)/(P-1), fixed
  jittered_grid,  ///< the grid plus N(0, sigma) noise, redrawn (the seed's default: unclamped)
  uniform,        ///< i.i.d. uniform on [t0, t1]
  sobol,          ///< Sobol quasi-random points on [t0, t1]
};

inline const char* sampling_name(Sampling s) {
  switch (s) {
    case Sampling::grid: return "grid";
    case Sampling::jittered_grid: return "jittered_grid";
    case Sampling::uniform: return "uniform";
    case Sampling::sobol: return "sobol";
  }
  return "?";
}

inline bool parse_sampling(const std::string& name, Sampling& out) {
  for (Sampling s : {Sampling::grid, Sampling::jittered_grid, Sampling::uniform, Sampling::sobol})
    if (name == sampling_name(s)) return out = s, true;
  if (name == "jitter" || name == "jittered") return out = Sampling::jittered_grid, true;
  return false;
}

enum class OptimizerKind { sgd, adam, lbfgs, lm };

inline const char* optimizer_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::sgd: return "sgd";
    case OptimizerKind::adam: return "adam";
    case OptimizerKind::lbfgs: return "lbfgs";
    case OptimizerKind::lm: return "lm";
  }
  return "?";
}

inline bool parse_optimizer(const std::string& s, OptimizerKind& out) {
  for (OptimizerKind k : {OptimizerKind::sgd, OptimizerKind::adam, OptimizerKind::lbfgs, OptimizerKind::lm})
    if (s == optimizer_name(k)) return out = k, true;
  if (s == "l-bfgs") return out = OptimizerKind::lbfgs, true;
  if (s == "levenberg-marquardt" || s == "gauss-newton") return out = OptimizerKind::lm, true;
  return false;
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_CHOICES_H
