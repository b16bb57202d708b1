// taylor.h — Taylor-mode activation rules (Faa di Bruno) and their adjoints, elementwise.
//
// The functions below take K+1 blocks of n values, block k holding z_k = d^k z / dt^k
// (network.h calls them once per neuron, whose column holds K+1 blocks of P points);
// the activation output h = s(z(t)) gets
//   h0 = s0
//   h1 = s1 z1
//   h2 = s2 z1^2 + s1 z2
//   h3 = s3 z1^3 + 3 s2 z1 z2 + s1 z3
//   h4 = s4 z1^4 + 6 s3 z1^2 z2 + s2 (3 z2^2 + 4 z1 z3) + s1 z4
// with s_i = s^(i)(z0). For the backward pass note h_k = d^k/dt^k s(z(t)), so
//   dh_k / dz_j = C(k, j) g_{k-j},   g_m = d^m/dt^m s'(z(t)),
// and g_m is the same rule applied to the shifted derivatives s_{i+1} (dh_k/dz_0 = g_k is
// the j = 0 case). Hence dz_j = sum_{k >= j} C(k, j) g_{k-j} dh_k, needing s up to K+1.
#ifndef PINNC_RT_TAYLOR_H
#define PINNC_RT_TAYLOR_H

#include <Eigen/Core>
#include <stdexcept>

#include "pinnc/activation.h"

namespace pinnc::rt {

/// The Faa di Bruno rule to order K: h[k] = d^k/dt^k s(z(t)) from s[0..K] and z[1..K]
/// (z[0] is not read: it enters only through s).
template <int K, class S>
inline void faa_di_bruno(const S* s, const S* z, S* h) {
  h[0] = s[0];
  if constexpr (K >= 1) h[1] = s[1] * z[1];
  if constexpr (K >= 2) h[2] = s[2] * z[1] * z[1] + s[1] * z[2];
  if constexpr (K >= 3)
    h[3] = s[3] * z[1] * z[1] * z[1] + S(3) * s[2] * z[1] * z[2] + s[1] * z[3];
  if constexpr (K >= 4) {
    const S z1s = z[1] * z[1];
    h[4] = s[4] * z1s * z1s + S(6) * s[3] * z1s * z[2] +
           s[2] * (S(3) * z[2] * z[2] + S(4) * z[1] * z[3]) + s[1] * z[4];
  }
}

/// Binomial coefficient C(n, k) for the small n used here.
constexpr int binomial(int n, int k) {
  int r = 1;
  #pragma GCC unroll 8
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

/// Binomial coefficients C(k, j) for k, j <= 4, as a table (constant after unrolling).
constexpr int kBinomial[5][5] = {
    {1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0}, {1, 3, 3, 1, 0}, {1, 4, 6, 4, 1}};

/// Adjoint of faa_di_bruno<K>: dz[j] = sum_k dh[k] * dh_k/dz_j, from s[0..K+1].
template <int K, class S>
inline void faa_di_bruno_adjoint(const S* s, const S* z, const S* dh, S* dz) {
  S g[K + 1];
  faa_di_bruno<K>(s + 1, z, g);
  #pragma GCC unroll 8
  for (int j = 0; j <= K; ++j) {
    S acc = S(0);
    #pragma GCC unroll 8
    for (int k = j; k <= K; ++k) acc += S(kBinomial[k][j]) * g[k - j] * dh[k];
    dz[j] = acc;
  }
}

namespace detail {

template <int K, class Act, class S>
void taylor_forward_loop(const Act& act, Eigen::Index n, const S* __restrict Z, S* __restrict H) {
  const Act a = act;  // a local copy: its parameters are then loop-invariant registers
  for (Eigen::Index i = 0; i < n; ++i) {
    S z[K + 1], s[K + 1], h[K + 1];
    #pragma GCC unroll 8
    for (int k = 0; k <= K; ++k) z[k] = Z[k * n + i];
    a.template eval<K + 1>(z[0], s);
    faa_di_bruno<K>(s, z, h);
    #pragma GCC unroll 8
    for (int k = 0; k <= K; ++k) H[k * n + i] = h[k];
  }
}

template <int K, class Act, class S>
void taylor_backward_loop(const Act& act, Eigen::Index n, const S* __restrict Z, S* __restrict D) {
  const Act a = act;
  for (Eigen::Index i = 0; i < n; ++i) {
    S z[K + 1], s[K + 2], dh[K + 1], dz[K + 1];
    #pragma GCC unroll 8
    for (int k = 0; k <= K; ++k) {
      z[k] = Z[k * n + i];
      dh[k] = D[k * n + i];
    }
    a.template eval<K + 2>(z[0], s);
    faa_di_bruno_adjoint<K>(s, z, dh, dz);
    #pragma GCC unroll 8
    for (int k = 0; k <= K; ++k) D[k * n + i] = dz[k];
  }
}

/// Calls f(functor) with the functor for activation `a`.
template <class S, class F>
void with_activation(Activation a, S leaky_slope, F&& f) {
  switch (a) {
    case Activation::tanh: return f(act::Tanh());
    case Activation::sin: return f(act::Sin());
    case Activation::sigmoid: return f(act::Sigmoid());
    case Activation::softplus: return f(act::Softplus());
    case Activation::silu: return f(act::Silu());
    case Activation::gelu: return f(act::Gelu());
    case Activation::leaky_relu: return f(act::LeakyRelu<S>{leaky_slope});
    case Activation::identity: return f(act::Identity());
  }
}

}  // namespace detail

/// Applies activation `a` to K+1 stacked blocks of n values each: Z[k*n + i] -> H[k*n + i].
template <class S>
void taylor_activation_forward(Activation a, S leaky_slope, int K, Eigen::Index n, const S* Z,
                               S* H) {
  detail::with_activation(a, leaky_slope, [&](const auto& f) {
    switch (K) {
      case 0: return detail::taylor_forward_loop<0>(f, n, Z, H);
      case 1: return detail::taylor_forward_loop<1>(f, n, Z, H);
      case 2: return detail::taylor_forward_loop<2>(f, n, Z, H);
      case 3: return detail::taylor_forward_loop<3>(f, n, Z, H);
      case 4: return detail::taylor_forward_loop<4>(f, n, Z, H);
      default: throw std::invalid_argument("pinnc::rt: Taylor order must be 0..4");
    }
  });
}

/// In place: D holds dloss/dh (K+1 blocks of n) on entry and dloss/dz on exit.
template <class S>
void taylor_activation_backward(Activation a, S leaky_slope, int K, Eigen::Index n, const S* Z,
                                S* D) {
  detail::with_activation(a, leaky_slope, [&](const auto& f) {
    switch (K) {
      case 0: return detail::taylor_backward_loop<0>(f, n, Z, D);
      case 1: return detail::taylor_backward_loop<1>(f, n, Z, D);
      case 2: return detail::taylor_backward_loop<2>(f, n, Z, D);
      case 3: return detail::taylor_backward_loop<3>(f, n, Z, D);
      case 4: return detail::taylor_backward_loop<4>(f, n, Z, D);
      default: throw std::invalid_argument("pinnc::rt: Taylor order must be 0..4");
    }
  });
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_TAYLOR_H
