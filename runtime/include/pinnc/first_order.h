// first_order.h — gradient-step optimizers: SGD (with optional momentum) and Adam.
//
// Both update a flat parameter vector in place from its gradient; all state is allocated
// by init(), so step() never allocates.
#ifndef PINNC_RT_FIRST_ORDER_H
#define PINNC_RT_FIRST_ORDER_H

#include <Eigen/Core>
#include <cmath>

namespace pinnc::rt {

/// Plain SGD, or heavy-ball momentum: v = mu v + g, x -= lr v (PyTorch's convention).
template <class Scalar>
class Sgd {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  void init(Eigen::Index n, double lr, double momentum = 0.0) {
    lr_ = Scalar(lr);
    mu_ = Scalar(momentum);
    v_ = Vec::Zero(mu_ != Scalar(0) ? n : 0);
  }
  void step(Eigen::Ref<Vec> x, const Eigen::Ref<const Vec>& g) {
    if (mu_ == Scalar(0)) {
      x.noalias() -= lr_ * g;
      return;
    }
    v_ = mu_ * v_ + g;
    x.noalias() -= lr_ * v_;
  }
  void set_lr(double lr) { lr_ = Scalar(lr); }

 private:
  Scalar lr_ = Scalar(1e-3), mu_ = Scalar(0);
  Vec v_;
};

/// Adam (Kingma & Ba 2015) with bias correction, as in PyTorch's torch.optim.Adam.
template <class Scalar>
class Adam {
 public:
  using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  void init(Eigen::Index n, double lr, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8) {
    lr_ = lr, b1_ = beta1, b2_ = beta2, eps_ = eps;
    m_ = Vec::Zero(n);
    v_ = Vec::Zero(n);
    t_ = 0;
  }
  void step(Eigen::Ref<Vec> x, const Eigen::Ref<const Vec>& g) {
    ++t_;
    const Scalar b1 = Scalar(b1_), b2 = Scalar(b2_);
    m_ = b1 * m_ + (Scalar(1) - b1) * g;
    v_ = b2 * v_ + (Scalar(1) - b2) * g.cwiseProduct(g);
    const double c1 = 1.0 - std::pow(b1_, double(t_));
    const double c2 = 1.0 - std::pow(b2_, double(t_));
    const Scalar step = Scalar(lr_ / c1);
    const Scalar inv_sqrt_c2 = Scalar(1.0 / std::sqrt(c2));
    const Scalar eps = Scalar(eps_);
    x.array() -= step * m_.array() / (v_.array().sqrt() * inv_sqrt_c2 + eps);
  }
  void set_lr(double lr) { lr_ = lr; }

 private:
  double lr_ = 1e-3, b1_ = 0.9, b2_ = 0.999, eps_ = 1e-8;
  Vec m_, v_;
  long t_ = 0;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_FIRST_ORDER_H
