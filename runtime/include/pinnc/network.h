// network.h — the MLP: parameters, initialisation, Taylor-mode forward and its backward.
//
// A Network maps one input t to U outputs through hidden layers with one activation and a
// linear output layer. All weights and biases live in ONE flat vector (what optimizers
// update and what model files store), layer by layer: W_l (n_l x n_{l-1}, column-major)
// then b_l (n_l) -- together the n_l x (n_{l-1} + 1) matrix [W_l b_l]. Its input-derivative
// forward pass runs on a TaylorWorkspace that stores every layer points-major: a
// (K+1) P x n matrix whose column i is neuron i's values z_0..z_K at all P points (order
// blocks of P rows). Each layer is one product over (K+1) P rows (point_gemm.h, vectorised
// along the points) plus the elementwise Faa di Bruno rules of taylor.h. A layer's input
// carries one more column, 1 on the order-0 rows and 0 below, so [W b] multiplies it whole:
// the bias enters only the values, not their derivatives, and the weight gradient
// dZ^T [h 1] lands on W and b at once, as they are stored. The input map x = scale t + shift (input scaling to
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
#include "pinnc/point_gemm.h"
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
  /// (K+1)P x (inputs + 1): column 0 [x | dx/dt | 0 ...], parameter inputs [x_i | 0 ...],
  /// and the constant column [1 | 0 ...] that multiplies the first layer's bias.
  Mat input;
  std::vector<Mat> Z;  ///< per hidden layer: pre-activations, (K+1)P x n_l
  std::vector<Mat> H;  ///< per hidden layer: activations, (K+1)P x (n_l + 1), last column [1 | 0]
  Vec out;             ///< network output in the kernel ABI's SoA layout: [(j(K+1)+k)P + p]
  Vec adj[2];          ///< backward ping-pong buffers ((K+1)P x max width)
  mutable Vec row;     ///< one point's dZ rows, (K+1) x max width (JacobianSink)
  /// Per weight layer l: [dW_l db_l] += dZ_l^T [h_{l-1} 1] (Eigen's GEMM: a sum over the
  /// points, which it blocks for the caches).
  std::vector<GemmPlan<Scalar, Eigen::RowMajor, Eigen::ColMajor>> grad_w;

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
    for (Index p = 0; p < P; ++p) ws.input(p, 0) = a * t[p] + c;
    if (ws.K >= 1) ws.input.col(0).segment(P, P).setConstant(a);  // dx/dt; higher orders stay 0
    for (size_t i = 0; i < shape_.param_inputs.size(); ++i) {  // constant in t: higher orders 0
      if (!params) throw std::invalid_argument("pinnc::rt::Network::forward: the network has parameter inputs");
      const Scalar x = Scalar(shape_.param_scale[i] * double(params[shape_.param_inputs[i]]) + shape_.param_shift[i]);
      ws.input.col(Index(i) + 1).head(P).setConstant(x);
    }
    const Mat* prev = &ws.input;
    const int L = n_layers();
    for (int l = 0; l < L; ++l) {
      // [h 1] [W b]^T: B(kk, j) = [W b](j, kk), stored column-major with n_out rows.
      const Index no = width(l + 1), ni = width(l);
      Scalar* z = l < L - 1 ? ws.Z[size_t(l)].data() : ws.out.data();  // the output: already SoA
      point_gemm<Scalar>(C, no, ni + 1, prev->data(), C, theta_.data() + weight_offset(l), no, 1, z, C);
      if (l == L - 1) break;
      Scalar* h = ws.H[size_t(l)].data();
      for (Index i = 0; i < no; ++i)
        taylor_activation_forward<Scalar>(shape_.activation, Scalar(shape_.leaky_slope), ws.K, P, z + i * C,
                                          h + i * C);
      prev = &ws.H[size_t(l)];
    }
  }

  /// Backward through all orders after forward(): dout has ws.out's layout and holds
  /// dloss/d(output). For every layer, from the last to the first, calls
  ///   sink(l, dZ_l, [h_{l-1} 1], ws)   ((K+1)P x n_l and (K+1)P x (n_{l-1} + 1) maps;
  ///                                     h_{-1} is the input stack)
  /// where dZ_l = dloss/dz_l. The sink turns those into weight gradients (GradientSink)
  /// or per-point Jacobian rows (JacobianSink).
  template <class Sink>
  void backward(TaylorWorkspace<Scalar>& ws, const Scalar* dout, Sink&& sink) const {
    const Index P = ws.P, C = (ws.K + 1) * P;
    const int L = n_layers();
    const Scalar* dz = dout;  // SoA is the output layer's points-major layout
    int cur = 0;
    for (int l = L - 1; l >= 0; --l) {
      const Mat& prev = l == 0 ? ws.input : ws.H[size_t(l - 1)];
      const Index no = width(l + 1), ni = width(l);
      sink(l, CMapMat(dz, C, no), CMapMat(prev.data(), C, prev.cols()), ws);
      if (l == 0) break;
      // dh = dZ W, then through the activation: dz of layer l - 1 (in place).
      Scalar* dh = ws.adj[cur].data();
      point_gemm<Scalar>(C, ni, no, dz, C, theta_.data() + weight_offset(l), 1, no, dh, C);
      const Scalar* z = ws.Z[size_t(l - 1)].data();
      for (Index i = 0; i < ni; ++i)
        taylor_activation_backward<Scalar>(shape_.activation, Scalar(shape_.leaky_slope), ws.K, P, z + i * C,
                                           dh + i * C);
      dz = dh;
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
  // The constant column [1 | 0] after each layer's own columns; never written again.
  auto with_ones = [&](Index cols) {
    Mat m = Mat::Zero(C, cols + 1);
    m.col(cols).head(P).setOnes();
    return m;
  };
  input = with_ones(net.width(0));
  Z.assign(size_t(net.n_layers() - 1), Mat());
  H.assign(size_t(net.n_layers() - 1), Mat());
  for (int l = 0; l < net.n_layers() - 1; ++l) {
    Z[size_t(l)] = Mat::Zero(C, net.width(l + 1));
    H[size_t(l)] = with_ones(net.width(l + 1));
  }
  out = Vec::Zero(Index(net.n_outputs()) * C);
  adj[0] = Vec::Zero(Index(net.max_width()) * C);
  adj[1] = Vec::Zero(Index(net.max_width()) * C);
  row = Vec::Zero(Index(net.max_width()) * (K + 1));
  grad_w.clear();
  for (int l = 0; l < net.n_layers(); ++l) grad_w.emplace_back(net.width(l + 1), net.width(l) + 1, C);
}

/// Backward sink accumulating the gradient of all weights and biases into g (flat layout):
/// [dW_l db_l] += dZ_l^T [h_{l-1} 1], summed over every order's rows (the constant column
/// is 1 on the order-0 rows only, so db_l sums dz_0).
template <class Scalar>
struct GradientSink {
  const Network<Scalar>* net;
  Scalar* g;
  Index P;
  template <class M1, class M2>
  void operator()(int l, const M1& dZ, const M2& prev, const TaylorWorkspace<Scalar>& ws) const {
    ws.grad_w[size_t(l)].run(dZ.data(), dZ.rows(), prev.data(), prev.rows(), g + net->weight_offset(l),
                             net->width(l + 1));
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
  void operator()(int l, const M1& dZ, const M2& prev, const TaylorWorkspace<Scalar>& ws) const {
    const int no = net->width(l + 1), ni = net->width(l);
    Scalar* dz = ws.row.data();  // dz[k no + o] = dZ(kP + p, o): the point's row, contiguous
    for (Index p = 0; p < P; ++p) {
      for (int k = 0; k <= K; ++k)
        for (int o = 0; o < no; ++o) dz[k * no + o] = dZ(k * P + p, o);
      Scalar* col = Jt + (col0 + p) * ld;
      Scalar* gW = col + net->weight_offset(l);  // no x ni, column-major
      // dW(o, i) = sum over orders k of dz_k(o) h_k(i), in order k = 0..K.
      for (int i = 0; i < ni; ++i) {
        Scalar* g = gW + i * no;
        const Scalar h0 = prev(p, i);
        for (int o = 0; o < no; ++o) g[o] = dz[o] * h0;
        for (int k = 1; k <= K; ++k) {
          const Scalar hk = prev(k * P + p, i);
          for (int o = 0; o < no; ++o) g[o] = g[o] + dz[k * no + o] * hk;
        }
      }
      Scalar* gb = col + net->bias_offset(l);
      for (int o = 0; o < no; ++o) gb[o] = dz[o];
    }
  }
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_NETWORK_H
