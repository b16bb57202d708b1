// activation.h — the network's activation functions and their derivatives up to order 5.
//
// The Taylor-mode forward pass needs s_i = s^(i)(z) for i = 0..K (K <= 4, the problem's
// order) and the backward pass one more (i = K+1). Each activation is a small functor with
// `eval<N>(z, s)` filling s[0..N-1]; N is a compile-time constant so the unused branches
// vanish. The derivative formulas (written out per function below) are checked against
// high-order finite differences in tests/runtime/test_activation.cpp.
#ifndef PINNC_RT_ACTIVATION_H
#define PINNC_RT_ACTIVATION_H

#include <cmath>
#include <string>

#include "pinnc/choices.h"

namespace pinnc::rt {


/// Highest derivative order any activation functor provides (K_max + 1 for the backward).
constexpr int kMaxActivationDerivative = 5;


namespace act {

/// Logistic function, evaluated without overflow for either sign of z.
template <class S>
inline S logistic(S z) {
  if (z >= S(0)) return S(1) / (S(1) + std::exp(-z));
  const S e = std::exp(z);
  return e / (S(1) + e);
}

/// sigma^(i)(z), i = 0..N-1, as polynomials in sigma times q = sigma (1 - sigma):
///   s1 = q, s2 = q (1 - 2s), s3 = q (1 - 6s + 6s^2), s4 = q (1 - 14s + 36s^2 - 24s^3),
///   s5 = q (1 - 30s + 150s^2 - 240s^3 + 120s^4)   (each: d/dz P(s) = P'(s) q).
template <int N, class S>
inline void logistic_derivs(S z, S* s) {
  const S sg = logistic(z);
  s[0] = sg;
  if (N > 1) {
    const S q = sg * logistic(-z);  // 1 - sigma computed as sigma(-z): no cancellation
    s[1] = q;
    if (N > 2) s[2] = q * (S(1) - S(2) * sg);
    if (N > 3) s[3] = q * (S(1) + sg * (S(-6) + S(6) * sg));
    if (N > 4) s[4] = q * (S(1) + sg * (S(-14) + sg * (S(36) - S(24) * sg)));
    if (N > 5) s[5] = q * (S(1) + sg * (S(-30) + sg * (S(150) + sg * (S(-240) + S(120) * sg))));
  }
}

/// tanh: with y = tanh z, d/dz P(y) = P'(y) (1 - y^2):
///   s1 = 1 - y^2, s2 = -2y s1, s3 = s1 (6y^2 - 2), s4 = y s1 (16 - 24y^2),
///   s5 = s1 (16 - 120y^2 + 120y^4).
struct Tanh {
  template <int N, class S>
  void eval(S z, S* s) const {
    const S y = std::tanh(z);
    const S y2 = y * y;
    const S d = S(1) - y2;
    s[0] = y;
    if (N > 1) s[1] = d;
    if (N > 2) s[2] = S(-2) * y * d;
    if (N > 3) s[3] = d * (S(6) * y2 - S(2));
    if (N > 4) s[4] = y * d * (S(16) - S(24) * y2);
    if (N > 5) s[5] = d * (S(16) + y2 * (S(-120) + S(120) * y2));
  }
};

/// sin: s_i = sin(z + i pi/2).
struct Sin {
  template <int N, class S>
  void eval(S z, S* s) const {
    const S sn = std::sin(z);
    const S cs = N > 1 ? std::cos(z) : S(0);
    const S cyc[4] = {sn, cs, -sn, -cs};
    #pragma GCC unroll 8
    for (int i = 0; i < N; ++i) s[i] = cyc[i & 3];
  }
};

struct Sigmoid {
  template <int N, class S>
  void eval(S z, S* s) const {
    logistic_derivs<N>(z, s);
  }
};

/// softplus = log(1 + e^z) = max(z, 0) + log1p(e^-|z|); its derivative is the logistic.
struct Softplus {
  template <int N, class S>
  void eval(S z, S* s) const {
    s[0] = (z > S(0) ? z : S(0)) + std::log1p(std::exp(-std::fabs(z)));
    if (N > 1) logistic_derivs<(N > 1 ? N - 1 : 1)>(z, s + 1);
  }
};

/// SiLU (swish) z sigma(z): by Leibniz, s_n = z sigma_n + n sigma_{n-1}.
struct Silu {
  template <int N, class S>
  void eval(S z, S* s) const {
    S sg[N];
    logistic_derivs<N>(z, sg);
    s[0] = z * sg[0];
    #pragma GCC unroll 8
    for (int n = 1; n < N; ++n) s[n] = z * sg[n] + S(n) * sg[n - 1];
  }
};

/// GELU (exact, erf form) z Phi(z), phi = Phi': by Leibniz s_n = z Phi^(n) + n Phi^(n-1)
/// with phi^(m) = (-1)^m He_m(z) phi (probabilists' Hermite polynomials):
///   s0 = z Phi, s1 = Phi + z phi, s2 = (2 - z^2) phi, s3 = (z^3 - 4z) phi,
///   s4 = (-z^4 + 7z^2 - 4) phi, s5 = (z^5 - 11z^3 + 18z) phi.
struct Gelu {
  template <int N, class S>
  void eval(S z, S* s) const {
    const S Phi = S(0.5) * std::erfc(-z * S(0.70710678118654752440));
    const S phi = std::exp(S(-0.5) * z * z) * S(0.39894228040143267794);
    const S z2 = z * z;
    s[0] = z * Phi;
    if (N > 1) s[1] = Phi + z * phi;
    if (N > 2) s[2] = (S(2) - z2) * phi;
    if (N > 3) s[3] = z * (z2 - S(4)) * phi;
    if (N > 4) s[4] = (S(-4) + z2 * (S(7) - z2)) * phi;
    if (N > 5) s[5] = z * (S(18) + z2 * (S(-11) + z2)) * phi;
  }
};

/// leaky_relu with slope alpha for z <= 0 (PyTorch's default alpha is 0.01); s_i = 0 for
/// i >= 2 (hence refused for problems of order >= 2).
template <class S>
struct LeakyRelu {
  S alpha = S(0.01);
  template <int N, class T>
  void eval(T z, T* s) const {
    const bool pos = z > T(0);
    s[0] = pos ? z : T(alpha) * z;
    if (N > 1) s[1] = pos ? T(1) : T(alpha);
    #pragma GCC unroll 8
    for (int i = 2; i < N; ++i) s[i] = T(0);
  }
};

struct Identity {
  template <int N, class S>
  void eval(S z, S* s) const {
    s[0] = z;
    if (N > 1) s[1] = S(1);
    #pragma GCC unroll 8
    for (int i = 2; i < N; ++i) s[i] = S(0);
  }
};

}  // namespace act

/// s^(i)(z) for i = 0..n-1 (n <= 6) of activation `a`: a slow, switch-per-call form for
/// tests and for one-off use; the training loops use the functors directly.
template <class S>
inline void activation_derivatives(Activation a, S z, int n, S* s, S leaky_slope = S(0.01)) {
  S buf[6] = {};
  switch (a) {
    case Activation::tanh: act::Tanh().eval<6>(z, buf); break;
    case Activation::sin: act::Sin().eval<6>(z, buf); break;
    case Activation::sigmoid: act::Sigmoid().eval<6>(z, buf); break;
    case Activation::softplus: act::Softplus().eval<6>(z, buf); break;
    case Activation::silu: act::Silu().eval<6>(z, buf); break;
    case Activation::gelu: act::Gelu().eval<6>(z, buf); break;
    case Activation::leaky_relu: act::LeakyRelu<S>{leaky_slope}.template eval<6>(z, buf); break;
    case Activation::identity: act::Identity().eval<6>(z, buf); break;
  }
  #pragma GCC unroll 8
  for (int i = 0; i < n && i < 6; ++i) s[i] = buf[i];
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_ACTIVATION_H
