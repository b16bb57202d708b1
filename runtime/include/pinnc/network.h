// network.h — the MLP: parameters, initialisation, Taylor-mode forward and its backward.
//
// A Network maps one input t to U outputs through hidden layers with one activation and a
// linear output layer. All weights and biases live in ONE flat vector (what optimizers
// update and what model files store), layer by layer: W_l (n_l x n_{l-1}, column-major)
// then b_l (n_l). Its input-derivative forward pass runs on a TaylorWorkspace: every
// layer's values z_0..z_K for all P points are K+1 column blocks of one matrix, so each
// layer is one GEMM over (K+1) P columns (bias on block 0 only) plus the elementwise
// Faa di Bruno rules of taylor.h. The input map x = scale t + shift (input scaling to
// [-1, 1]) enters as the input stack [x | scale | 0 ...], so the outputs are derivatives
// with respect to t itself: the chain-rule factors scale^k come out of the propagation.
//
// Solution bundles (a family y(t; k) over a range of parameter values) give the network
// more inputs: NetworkShape::param_inputs lists parameters q whose values enter as input
// rows 1.. (x_i = param_scale_i * params[q_i] + param_shift_i). They do not depend on t,
// so their derivative rows are zero and the outputs stay derivatives in t alone.
#ifndef PINNC_RT_NETWORK_H
#define PINNC_RT_NETWORK_H

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/activation.h"
#include "pinnc/choices.h"
#include "pinnc/gemm.h"
#include "pinnc/rng.h"
#include "pinnc/taylor.h"

namespace pinnc::rt {

using Eigen::Index;


/// Everything but the weights: enough to rebuild a Network from a flat weight vector.
struct NetworkShape {
  std::vector<int> widths;  ///< {1 + param_inputs.size(), hidden..., U}
  Activation activation = Activation::tanh;
  double leaky_slope = 0.01;
  double input_scale = 1.0;  ///< x = input_scale * t + input_shift
  double input_shift = 0.0;
  std::vector<int> param_inputs;     ///< parameters fed as inputs (bundles), in input order
  std::vector<double> param_scale;   ///< their input maps, like input_scale/input_shift
  std::vector<double> param_shift;
};

template <class Scalar>
class Network;

/// Buffers for one batch of P points at Taylor order K (allocated once, reused).
template <class Scalar>
struct TaylorWorkspace {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  Index P = 0;
  int K = 0;
  Mat input;           ///< inputs x (K+1)P: row 0 [x | dx/dt | 0 ...], rows 1.. [x_i | 0 ...]
  std::vector<Mat> Z;  ///< per hidden layer: pre-activations, n_l x (K+1)P
  std::vector<Mat> H;  ///< per hidden layer: activations, n_l x (K+1)P
  Vec out;             ///< network output in the kernel ABI's SoA layout: [(j(K+1)+k)P + p]
  Vec adj[2];          ///< backward ping-pong buffers (max width x (K+1)P)
  Vec scratch;         ///< column-major output before transposition to SoA (U > 1)
  /// Per weight layer l: Z_l = W_l h_{l-1}; dW_l += dZ_l h_{l-1}^T; dh_{l-1} = W_l^T dZ_l.
  std::vector<GemmPlan<Scalar, Eigen::ColMajor, Eigen::ColMajor>> fwd;
  std::vector<GemmPlan<Scalar, Eigen::ColMajor, Eigen::RowMajor>> grad_w;
  std::vector<GemmPlan<Scalar, Eigen::RowMajor, Eigen::ColMajor>> adj_h;

  TaylorWorkspace() = default;
  TaylorWorkspace(const Network<Scalar>& net, Index points, int order) { resize(net, points, order); }
  void resize(const Network<Scalar>& net, Index points, int order);
};

/// A multilayer perceptron R -> R^U with a flat parameter vector.
template <class Scalar>
class Network {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using RowMat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using MapMat = Eigen::Map<Mat>;
  using CMapMat = Eigen::Map<const Mat>;

  Network() = default;
  /// widths = {1, hidden..., U}; throws std::invalid_argument on a bad shape.
  explicit Network(const NetworkShape& shape) : shape_(shape) {
    const auto& w = shape_.widths;
    if (w.size() < 2 || w.front() != 1 + int(shape_.param_inputs.size()))
      throw std::invalid_argument("pinnc::rt::Network: widths must be {1 + parameter inputs, hidden..., outputs}");
    if (shape_.param_scale.size() != shape_.param_inputs.size() || shape_.param_shift.size() != shape_.param_inputs.size())
      throw std::invalid_argument("pinnc::rt::Network: every parameter input needs its scale and shift");
    offsets_.assign(w.size(), 0);
    Index off = 0;
    for (size_t l = 1; l < w.size(); ++l) {
      if (w[l] < 1) throw std::invalid_argument("pinnc::rt::Network: a layer width is < 1");
      offsets_[l - 1] = off;
      off += Index(w[l]) * w[l - 1] + w[l];
    }
    offsets_.back() = off;
    theta_ = Vec::Zero(off);
  }

  const NetworkShape& shape() const { return shape_; }
  int n_layers() const { return int(shape_.widths.size()) - 1; }  ///< weight layers
  int width(int i) const { return shape_.widths[size_t(i)]; }     ///< i = 0 is the input
  int n_outputs() const { return shape_.widths.back(); }
  int max_width() const {
    int m = 0;
    for (int w : shape_.widths) m = w > m ? w : m;
    return m;
  }
  Index n_params() const { return theta_.size(); }
  /// Offset of W_l (layer l = 0..n_layers-1) in the flat vector; b_l follows it.
  Index weight_offset(int l) const { return offsets_[size_t(l)]; }
  Index bias_offset(int l) const { return offsets_[size_t(l)] + Index(width(l + 1)) * width(l); }

  Vec& params() { return theta_; }
  const Vec& params() const { return theta_; }
  CMapMat W(int l) const { return CMapMat(theta_.data() + weight_offset(l), width(l + 1), width(l)); }
  Eigen::Map<const Vec> b(int l) const { return Eigen::Map<const Vec>(theta_.data() + bias_offset(l), width(l + 1)); }

  /// Sets x = scale t + shift so that [t0, t1] maps to [-1, 1].
  void set_input_interval(double t0, double t1) {
    shape_.input_scale = 2.0 / (t1 - t0);
    shape_.input_shift = -(t0 + t1) / (t1 - t0);
  }
  void set_input_identity() { shape_.input_scale = 1.0, shape_.input_shift = 0.0; }

  /// Draws all weights and biases from Rng(seed), layer by layer, W (column-major) then b.
  void initialize(Init kind, uint64_t seed) {
    Rng rng(seed);
    for (int l = 0; l < n_layers(); ++l) {
      const double fan_in = width(l), fan_out = width(l + 1);
      Scalar* w = theta_.data() + weight_offset(l);
      Scalar* bb = theta_.data() + bias_offset(l);
      const Index nw = Index(width(l + 1)) * width(l);
      switch (kind) {
        case Init::glorot_normal: {
          const double sd = std::sqrt(2.0 / (fan_in + fan_out));
          for (Index i = 0; i < nw; ++i) w[i] = Scalar(sd * rng.normal());
          for (int i = 0; i < width(l + 1); ++i) bb[i] = Scalar(0);
          break;
        }
        case Init::glorot_uniform: {
          const double a = std::sqrt(6.0 / (fan_in + fan_out));
          for (Index i = 0; i < nw; ++i) w[i] = Scalar(rng.uniform(-a, a));
          for (int i = 0; i < width(l + 1); ++i) bb[i] = Scalar(0);
          break;
        }
        case Init::torch_uniform: {
          const double a = 1.0 / std::sqrt(fan_in);
          for (Index i = 0; i < nw; ++i) w[i] = Scalar(rng.uniform(-a, a));
          for (int i = 0; i < width(l + 1); ++i) bb[i] = Scalar(rng.uniform(-a, a));
          break;
        }
      }
    }
  }

  /// Weights as doubles (for model files), in the flat order described above.
  std::vector<double> weights() const {
    std::vector<double> v(size_t(theta_.size()));
    for (Index i = 0; i < theta_.size(); ++i) v[size_t(i)] = double(theta_[i]);
    return v;
  }
  /// Inverse of weights(); throws if the size does not match the shape.
  void set_weights(const std::vector<double>& v) {
    if (Index(v.size()) != theta_.size())
      throw std::invalid_argument("pinnc::rt::Network::set_weights: expected " +
                                  std::to_string(theta_.size()) + " weights, got " +
                                  std::to_string(v.size()));
    for (Index i = 0; i < theta_.size(); ++i) theta_[i] = Scalar(v[size_t(i)]);
  }

  /// Taylor-mode forward over ws.P points t[0..P): fills ws.out with d^k N_j/dt^k.
  /// `params` [Q] gives the parameter inputs' values (may be null without any).
  void forward(const Scalar* t, TaylorWorkspace<Scalar>& ws, const Scalar* params = nullptr) const {
    const Index P = ws.P, C = (ws.K + 1) * P;
    const Scalar a = Scalar(shape_.input_scale), c = Scalar(shape_.input_shift);
    for (Index p = 0; p < P; ++p) ws.input(0, p) = a * t[p] + c;
    if (ws.K >= 1) ws.input.block(0, P, 1, P).setConstant(a);  // dx/dt; higher orders stay 0
    for (size_t i = 0; i < shape_.param_inputs.size(); ++i) {  // constant in t: higher orders 0
      if (!params) throw std::invalid_argument("pinnc::rt::Network::forward: the network has parameter inputs");
      const Scalar x = Scalar(shape_.param_scale[i] * double(params[shape_.param_inputs[i]]) + shape_.param_shift[i]);
      ws.input.block(Index(i) + 1, 0, 1, P).setConstant(x);
    }
    const Mat* prev = &ws.input;
    const int L = n_layers();
    for (int l = 0; l < L - 1; ++l) {
      Mat& Z = ws.Z[size_t(l)];
      // Start from the bias on the order-0 block (zeros elsewhere) and accumulate W h.
      Z.leftCols(P).colwise() = b(l);
      Z.rightCols(C - P).setZero();
      ws.fwd[size_t(l)].run(W(l).data(), width(l + 1), prev->data(), width(l), Z.data(), width(l + 1));
      taylor_activation_forward<Scalar>(shape_.activation, Scalar(shape_.leaky_slope), ws.K,
                                        Index(width(l + 1)) * P, Z.data(), ws.H[size_t(l)].data());
      prev = &ws.H[size_t(l)];
    }
    const int U = n_outputs();
    MapMat o(U == 1 ? ws.out.data() : ws.scratch.data(), U, C);  // U = 1: already SoA
    o.leftCols(P).colwise() = b(L - 1);
    o.rightCols(C - P).setZero();
    ws.fwd[size_t(L - 1)].run(W(L - 1).data(), U, prev->data(), width(L - 1), o.data(), U);
    if (U > 1) Eigen::Map<RowMat>(ws.out.data(), U, C) = o;
  }

  /// Backward through all orders after forward(): dout has ws.out's layout and holds
  /// dloss/d(output). For every layer, from the last to the first, calls
  ///   sink(l, dZ_l, h_{l-1}, ws)   (both (n x (K+1)P) maps; h_{-1} is the input stack)
  /// where dZ_l = dloss/dz_l. The sink turns those into weight gradients (GradientSink)
  /// or per-point Jacobian rows (JacobianSink).
  template <class Sink>
  void backward(TaylorWorkspace<Scalar>& ws, const Scalar* dout, Sink&& sink) const {
    const Index P = ws.P, C = (ws.K + 1) * P;
    const int L = n_layers();
    const int U = n_outputs();
    MapMat dZ(ws.adj[0].data(), U, C);
    dZ = Eigen::Map<const RowMat>(dout, U, C);
    int cur = 0;
    for (int l = L - 1; l >= 0; --l) {
      const Mat& prev = l == 0 ? ws.input : ws.H[size_t(l - 1)];
      MapMat dz(ws.adj[cur].data(), width(l + 1), C);
      sink(l, CMapMat(dz.data(), dz.rows(), C), CMapMat(prev.data(), prev.rows(), C), ws);
      if (l == 0) break;
      MapMat dh(ws.adj[1 - cur].data(), width(l), C);
      dh.setZero();
      ws.adj_h[size_t(l)].run(W(l).data(), width(l + 1), dz.data(), width(l + 1), dh.data(), width(l));
      taylor_activation_backward<Scalar>(shape_.activation, Scalar(shape_.leaky_slope), ws.K,
                                         Index(width(l)) * P, ws.Z[size_t(l - 1)].data(),
                                         dh.data());
      cur = 1 - cur;
    }
  }

 private:
  NetworkShape shape_;
  std::vector<Index> offsets_;
  Vec theta_;
};

template <class Scalar>
void TaylorWorkspace<Scalar>::resize(const Network<Scalar>& net, Index points, int order) {
  if (order < 0 || order > 4) throw std::invalid_argument("pinnc::rt: Taylor order must be 0..4");
  P = points;
  K = order;
  const Index C = (K + 1) * P;
  input = Mat::Zero(net.width(0), C);
  Z.assign(size_t(net.n_layers() - 1), Mat());
  H.assign(size_t(net.n_layers() - 1), Mat());
  for (int l = 0; l < net.n_layers() - 1; ++l) {
    Z[size_t(l)] = Mat::Zero(net.width(l + 1), C);
    H[size_t(l)] = Mat::Zero(net.width(l + 1), C);
  }
  out = Vec::Zero(Index(net.n_outputs()) * C);
  adj[0] = Vec::Zero(Index(net.max_width()) * C);
  adj[1] = Vec::Zero(Index(net.max_width()) * C);
  scratch = Vec::Zero(net.n_outputs() > 1 ? out.size() : 0);
  fwd.clear(), grad_w.clear(), adj_h.clear();
  for (int l = 0; l < net.n_layers(); ++l) {
    const Index no = net.width(l + 1), ni = net.width(l);
    fwd.emplace_back(no, C, ni);
    grad_w.emplace_back(no, ni, C);
    adj_h.emplace_back(ni, C, no);
  }
}

/// Backward sink accumulating the gradient of all weights and biases into g (flat layout):
/// dW_l += [dz0|dz1|...] [h0|h1|...]^T, db_l += row sums of dz0.
template <class Scalar>
struct GradientSink {
  const Network<Scalar>* net;
  Scalar* g;
  Index P;
  template <class M1, class M2>
  void operator()(int l, const M1& dZ, const M2& prev, const TaylorWorkspace<Scalar>& ws) const {
    ws.grad_w[size_t(l)].run(dZ.data(), dZ.rows(), prev.data(), prev.rows(),
                             g + net->weight_offset(l), net->width(l + 1));
    Eigen::Map<typename Network<Scalar>::Vec> gb(g + net->bias_offset(l), net->width(l + 1));
    gb.noalias() += dZ.leftCols(P).rowwise().sum();
  }
};

/// Backward sink writing per-point gradients: column col0 + p of Jt (n_params x M) gets
/// d(seeded quantity at point p)/d(theta). Every point's column is overwritten.
template <class Scalar>
struct JacobianSink {
  const Network<Scalar>* net;
  Scalar* Jt;    ///< column-major, leading dimension ld
  Index ld;
  Index col0;
  Index P;
  int K;
  template <class M1, class M2>
  void operator()(int l, const M1& dZ, const M2& prev, const TaylorWorkspace<Scalar>&) const {
    using Mat = typename Network<Scalar>::Mat;
    using Vec = typename Network<Scalar>::Vec;
    const int no = net->width(l + 1), ni = net->width(l);
    for (Index p = 0; p < P; ++p) {
      Scalar* col = Jt + (col0 + p) * ld;
      Eigen::Map<Mat> gW(col + net->weight_offset(l), no, ni);
      gW.noalias() = dZ.col(p) * prev.col(p).transpose();
      for (int k = 1; k <= K; ++k) gW.noalias() += dZ.col(k * P + p) * prev.col(k * P + p).transpose();
      Eigen::Map<Vec>(col + net->bias_offset(l), no) = dZ.col(p);
    }
  }
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_NETWORK_H
