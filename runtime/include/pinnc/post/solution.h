// solution.h — a trained solution as a function of t, in float64: one network over the
// whole interval, or a piecewise solution of one network per time window (Piece,
// post/outcome.h). Everything that evaluates a trained run goes through this: the fine
// grid after training (post/evaluate.h), `pinnc eval`, plots and the REPL
// (compiler/train/session.cpp evaluate_model).
#ifndef PINNC_POST_SOLUTION_H
#define PINNC_POST_SOLUTION_H

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnc/choices.h"
#include "pinnc/kernel_abi.h"
#include "pinnc/model.h"
#include "pinnc/network.h"
#include "pinnc/post/outcome.h"
#include "pinnc/window.h"

namespace pinnc::post {

/// The trained network in float64, exactly as `pinnc eval` sees it.
inline rt::Network<double> network_of(const std::vector<int>& widths, rt::Activation activation, double input_scale,
                                      double input_shift, const std::vector<double>& theta,
                                      const std::vector<ParamInput>& param_inputs = {}) {
  rt::NetworkShape shape;
  shape.widths = widths;
  shape.activation = activation;
  shape.input_scale = input_scale;
  shape.input_shift = input_shift;
  for (const ParamInput& in : param_inputs) {
    shape.param_inputs.push_back(in.index);
    shape.param_scale.push_back(in.scale);
    shape.param_shift.push_back(in.shift);
  }
  rt::Network<double> net(shape);
  if (std::size_t(net.params().size()) != theta.size())
    throw std::invalid_argument("pinnc: the weights do not match the network's widths");
  for (std::size_t i = 0; i < theta.size(); ++i) net.params()[Eigen::Index(i)] = theta[i];
  return net;
}

/// The index of the window that holds t: the first with t < b, else the last (so window
/// i covers [a_i, b_i) and the last one its right end as well).
inline std::size_t piece_index(const std::vector<Piece>& pieces, double t) {
  for (std::size_t i = 0; i + 1 < pieces.size(); ++i)
    if (t < pieces[i].b) return i;
  return pieces.size() - 1;
}

/// u(t), its derivatives and the residuals of a trained run. The base problem must
/// outlive it.
class TrainedSolution {
 public:
  /// One network (pieces empty) or a piecewise solution (theta etc. unused).
  TrainedSolution(const pinnc_problem& pb, const std::string& activation, const std::vector<int>& widths,
                  double input_scale, double input_shift, const std::vector<double>& theta,
                  const std::vector<Piece>& pieces, const std::vector<ParamInput>& param_inputs = {})
      : pb_(&pb) {
    rt::Activation act{};
    if (!rt::parse_activation(activation, act)) throw std::invalid_argument("unknown activation '" + activation + "'");
    if (pieces.empty()) {
      nets_.push_back(network_of(widths, act, input_scale, input_shift, theta, param_inputs));
      return;
    }
    for (const Piece& w : pieces) {
      nets_.push_back(network_of(widths, act, w.input_scale, w.input_shift, w.theta));
      windows_.push_back(std::make_unique<rt::WindowProblem>(pb, w.a, w.b, w.start));
    }
    pieces_ = pieces;
  }
  static TrainedSolution of(const pinnc_problem& pb, const std::string& activation, const Outcome& rep) {
    return TrainedSolution(pb, activation, rep.widths, rep.input_scale, rep.input_shift, rep.theta, rep.pieces,
                           rep.param_inputs);
  }
  static TrainedSolution of(const pinnc_problem& pb, const ModelFile& m) {
    return TrainedSolution(pb, m.activation, m.widths, m.input_scale, m.input_shift, m.theta, m.pieces, m.param_inputs);
  }

  bool piecewise() const { return !pieces_.empty(); }

  /// out[(j(order+1)+k) n + p] = u_j^(k)(t_p), k = 0..order (model.h's evaluate_solution).
  void values(const double* params, const double* t, std::size_t n, int order, double* out) const {
    const int U = pb_->n_unknowns;
    each_piece(t, n, [&](const pinnc_problem& pb, const rt::Network<double>& net, const std::vector<double>& ts,
                         const std::vector<std::size_t>& at) {
      std::vector<double> part(std::size_t(U * (order + 1)) * ts.size());
      rt::evaluate_solution(pb, net, params, ts.data(), Eigen::Index(ts.size()), order, part.data());
      scatter(part, ts.size(), std::size_t(U * (order + 1)), at, n, out);
    });
  }

  /// r[e n + p] = R_e(t_p, u, params).
  void residuals(const double* params, const double* t, std::size_t n, double* r) const {
    each_piece(t, n, [&](const pinnc_problem& pb, const rt::Network<double>& net, const std::vector<double>& ts,
                         const std::vector<std::size_t>& at) {
      std::vector<double> part(std::size_t(pb_->n_equations) * ts.size());
      rt::evaluate_residuals(pb, net, params, ts.data(), Eigen::Index(ts.size()), part.data());
      scatter(part, ts.size(), std::size_t(pb_->n_equations), at, n, r);
    });
  }

 private:
  /// Calls f(window problem, network, its points, their indices) once per window that
  /// holds any of the points (once in all for one network).
  template <class F>
  void each_piece(const double* t, std::size_t n, F&& f) const {
    if (n == 0) return;
    if (pieces_.empty()) {
      std::vector<std::size_t> at(n);
      for (std::size_t p = 0; p < n; ++p) at[p] = p;
      f(*pb_, nets_[0], std::vector<double>(t, t + n), at);
      return;
    }
    std::vector<std::vector<std::size_t>> groups(pieces_.size());
    for (std::size_t p = 0; p < n; ++p) groups[piece_index(pieces_, t[p])].push_back(p);
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      if (groups[i].empty()) continue;
      std::vector<double> ts;
      for (std::size_t p : groups[i]) ts.push_back(t[p]);
      f(windows_[i]->abi(), nets_[i], ts, groups[i]);
    }
  }
  /// part[row m + q] -> out[row n + at[q]] for every row.
  static void scatter(const std::vector<double>& part, std::size_t m, std::size_t rows,
                      const std::vector<std::size_t>& at, std::size_t n, double* out) {
    for (std::size_t row = 0; row < rows; ++row)
      for (std::size_t q = 0; q < m; ++q) out[row * n + at[q]] = part[row * m + q];
  }

  const pinnc_problem* pb_;
  std::vector<rt::Network<double>> nets_;
  std::vector<Piece> pieces_;
  std::vector<std::unique_ptr<rt::WindowProblem>> windows_;
};

}  // namespace pinnc::post

#endif  // PINNC_POST_SOLUTION_H
