// reference.h — classical reference solutions, computed from the problem's own residual
// kernel (kernel_abi.h), so `pinnc train` and an emitted solver get the same reference
// bit for bit:
//   initial value problems: Boost.Odeint's Dormand–Prince 5(4) (explicit, adaptive), or
//     its Rosenbrock 4 (linearly implicit, L-stable, on the Jacobian derived below) when
//     the problem is stiff or the explicit integrator gives up;
//   boundary value problems: Chebyshev collocation with Gauss–Newton, started from the
//     trained network, on successively finer grids until two agree.
//
// The compiler decides whether a reference exists (ReferencePlan, compiler/plan/
// reference.cpp). For IVPs the equations are affine in the highest derivatives h:
// R(t, x, h) = c(t, x) + M(t, x) h, so the residual kernel at h = 0 gives r = c and the
// partials dR_e/du_j^(m_j) = M_ej (the entries of the sparse pattern residual_partials
// with k = m_j; unlisted ones are zero): the explicit form is h = -M^-1 c, solved
// pointwise with a full-pivot LU, and its Jacobian dh/dx = -M^-1 dR/dx (at h) comes from
// the same kernel call's partials (FirstOrderForm).
#ifndef PINNC_POST_REFERENCE_H
#define PINNC_POST_REFERENCE_H

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <boost/numeric/odeint.hpp>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/format.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/stiff.h"
#ifndef PINNC_STIFF_SEPARATE
#include "pinnc/post/stiff_impl.h"
#endif

namespace pinnc::post {

/// The problem as a first-order system x' = f(t, x), with the state
/// x = (u_j, u_j', ..., u_j^(m_j - 1)) for each unknown j in order, evaluated through the
/// residual kernel. Needs as many equations as unknowns, affine in the highest derivatives.
class FirstOrderForm {
 public:
  FirstOrderForm(const pinnc_problem& pb, const double* params) : pb_(pb), params_(params) {
    U_ = pb.n_unknowns, K_ = pb.order, E_ = pb.n_equations;
    offset_.resize(std::size_t(U_));
    for (int j = 0; j < U_; ++j) offset_[std::size_t(j)] = n_state_, n_state_ += pb.unknown_order[j];
    const pinnc_pattern& pat = pb.residual_partials;
    m_entry_.assign(std::size_t(E_) * std::size_t(U_), -1);
    for (int n = 0; n < pat.n; ++n) {
      const int e = pat.row[n], s = pat.col[n], j = s / (K_ + 1), k = s % (K_ + 1);
      if (k == pb.unknown_order[j]) m_entry_[std::size_t(e * U_ + j)] = n;
    }
    u_.assign(std::size_t(U_ * (K_ + 1)), 0.0);
    r_.assign(std::size_t(std::max(E_, 1)), 0.0);
    dr_.assign(std::size_t(std::max(pat.n, 1)), 0.0);
    M_.resize(U_, U_);
    c_.resize(U_);
  }
  bool usable() const { return E_ == U_ && pb_.kernels.residual_f64 != nullptr; }
  int size() const { return n_state_; }
  int offset(int j) const { return offset_[std::size_t(j)]; }
  /// The highest derivatives h(t, x) = -M^-1 c. Sets `singular` where M is not invertible.
  const Eigen::VectorXd& highest(double t, const double* x) {
    call(t, x, nullptr);
    for (int e = 0; e < E_; ++e) {
      c_(e) = r_[std::size_t(e)];
      for (int j = 0; j < U_; ++j) {
        const int at = m_entry_[std::size_t(e * U_ + j)];
        M_(e, j) = at < 0 ? 0.0 : dr_[std::size_t(at)];
      }
    }
    lu_.compute(M_);
    if (!lu_.isInvertible()) singular = true;
    h_ = lu_.solve(-c_);
    return h_;
  }
  /// M = dR/dh at the last highest() call, factorised: solves M z = b.
  Eigen::VectorXd solve_m(const Eigen::VectorXd& b) const { return lu_.solve(b); }
  void rhs(double t, const double* x, double* dxdt) {
    const Eigen::VectorXd& h = highest(t, x);
    for (int j = 0; j < U_; ++j) {
      const int off = offset_[std::size_t(j)], m = pb_.unknown_order[j];
      for (int k = 0; k + 1 < m; ++k) dxdt[off + k] = x[off + k + 1];
      dxdt[off + m - 1] = h(j);
    }
  }
  /// J = df/dx at (t, x): ones on the chain rows, -M^-1 dR/dx (at h = h(t, x)) on the rows
  /// of the highest derivatives.
  void jacobian(double t, const double* x, Eigen::MatrixXd& J) {
    const Eigen::VectorXd h = highest(t, x);
    call(t, x, &h);
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(E_, n_state_);
    const pinnc_pattern& pat = pb_.residual_partials;
    for (int n = 0; n < pat.n; ++n) {
      const int e = pat.row[n], s = pat.col[n], j = s / (K_ + 1), k = s % (K_ + 1);
      if (k < pb_.unknown_order[j]) A(e, offset_[std::size_t(j)] + k) = dr_[std::size_t(n)];
    }
    const Eigen::MatrixXd dh = lu_.solve(-A);
    J.setZero(n_state_, n_state_);
    for (int j = 0; j < U_; ++j) {
      const int off = offset_[std::size_t(j)], m = pb_.unknown_order[j];
      for (int k = 0; k + 1 < m; ++k) J(off + k, off + k + 1) = 1.0;
      J.row(off + m - 1) = dh.row(j);
    }
  }
  bool singular = false;

 private:
  void call(double t, const double* x, const Eigen::VectorXd* h) {
    for (int j = 0; j < U_; ++j)
      for (int k = 0; k <= K_; ++k) {
        const int m = pb_.unknown_order[j];
        double v = 0;
        if (k < m) v = x[offset_[std::size_t(j)] + k];
        else if (k == m && h) v = (*h)(j);
        u_[std::size_t(j * (K_ + 1) + k)] = v;
      }
    pb_.kernels.residual_f64(pb_.kernels.ctx, 1, &t, u_.data(), params_, r_.data(), dr_.data(), nullptr);
  }
  const pinnc_problem& pb_;
  const double* params_;
  int U_ = 0, K_ = 0, E_ = 0, n_state_ = 0;
  std::vector<int> offset_, m_entry_;
  std::vector<double> u_, r_, dr_;
  Eigen::MatrixXd M_;
  Eigen::VectorXd c_, h_;
  Eigen::FullPivLU<Eigen::MatrixXd> lu_;
};

/// The fastest decay rate of the linearisation at (t, x): max(0, -Re lambda) over the
/// eigenvalues of df/dx. Times the interval's length it is the stiffness ratio.
inline double decay_rate(FirstOrderForm& form, double t, const double* x) {
  Eigen::MatrixXd J;
  form.jacobian(t, x, J);
  if (!J.allFinite()) return 0;
  Eigen::EigenSolver<Eigen::MatrixXd> es(J, false);
  if (es.info() != Eigen::Success) return 0;
  double rate = 0;
  for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i) rate = std::max(rate, -es.eigenvalues()(i).real());
  return rate;
}

/// A problem is called stiff when its fastest decay rate times the interval's length
/// exceeds this (explicit integrators then take steps set by stability, not accuracy).
constexpr double kStiffRatio = 1e3;

/// "" or a sentence saying the problem is stiff, from the fastest decay rate along a
/// trajectory (states[component][grid point], at up to 65 points) and at the start.
inline std::string stiffness_note(FirstOrderForm& form, const std::vector<double>& grid,
                                  const std::vector<std::vector<double>>& states, const std::string& variable,
                                  double start_rate = 0, double start_at = 0) {
  if (grid.size() < 2 || int(states.size()) != form.size()) return "";
  const double T = grid.back() - grid.front();
  double rate = start_rate, at = start_at;
  const std::size_t step = std::max<std::size_t>(1, grid.size() / 64);
  std::vector<double> x(states.size());
  for (std::size_t i = 0; i < grid.size(); i += step) {
    for (std::size_t c = 0; c < x.size(); ++c) x[c] = states[c][i];
    const double r = decay_rate(form, grid[i], x.data());
    if (r > rate) rate = r, at = grid[i];
  }
  if (!(rate * T > kStiffRatio)) return "";
  return format("stiff: the Jacobian has eigenvalues with real part down to -%.3g (near %s = %s), "
                "%.3g times the interval's length",
                rate, variable.c_str(), shortest(at).c_str(), rate * T);
}

struct ReferenceResult {
  bool ok = false;
  std::vector<std::vector<double>> values;  ///< values[j][i] = u_j(grid[i])
  std::string method;                       ///< e.g. "Dormand-Prince 5(4), ..."
  std::string why_not;                      ///< when !ok
  std::string stiffness;                    ///< "" or why the problem counts as stiff
  double accuracy = 1e-10;                  ///< the reference's own error, relative to the scale (estimate)
};

/// Values of the unknowns at points t (ascending), [j * t.size() + i]: the trained
/// network, a BVP reference's starting guess.
using Guess = std::function<std::vector<double>(const std::vector<double>& t)>;

namespace reference_detail {

/// Where the solution stops being finite, seen from the initial point a: the last grid
/// point on each side before the first non-finite value (a blow-up, e.g. y' = y^2).
inline std::string where_it_stops(const std::vector<std::vector<double>>& values, const std::vector<double>& grid,
                                  double a, const std::string& variable) {
  std::size_t a_index = 0;
  while (a_index < grid.size() && grid[a_index] < a) ++a_index;
  auto finite_at = [&](std::size_t i) {
    for (const auto& row : values)
      if (!std::isfinite(row[i])) return false;
    return true;
  };
  for (std::size_t i = a_index; i < grid.size(); ++i)
    if (!finite_at(i))
      return format(" beyond %s = %s (it blows up or is not defined there)", variable.c_str(),
                    shortest(i > a_index ? grid[i - 1] : a).c_str());
  for (std::size_t i = a_index; i-- > 0;)
    if (!finite_at(i))
      return format(" before %s = %s (it blows up or is not defined there)", variable.c_str(),
                    shortest(i + 1 < grid.size() ? grid[i + 1] : a).c_str());
  return " on the interval";
}

/// The two sweeps of an IVP from plan.a: forwards over the grid points > a and backwards
/// over those < a (`grid` ascending). For each direction, `integrate(times, index)` runs
/// an integrator through `times` (times[0] = a) and stores the state it reaches at
/// times[k] into states[component][index[k]] (index[0] == grid.size() marks a itself).
/// The state at a grid point equal to a is x0.
template <class Integrate>
void sweep_both(const ReferencePlan& plan, const std::vector<double>& grid, std::vector<std::vector<double>>& states,
                Integrate integrate) {
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (grid[i] == plan.a)
      for (std::size_t c = 0; c < plan.x0.size(); ++c) states[c][i] = plan.x0[c];
  for (bool forward : {true, false}) {
    std::vector<double> times{plan.a};
    std::vector<std::size_t> index{grid.size()};
    if (forward) {
      for (std::size_t i = 0; i < grid.size(); ++i)
        if (grid[i] > plan.a) times.push_back(grid[i]), index.push_back(i);
    } else {
      for (std::size_t i = grid.size(); i-- > 0;)
        if (grid[i] < plan.a) times.push_back(grid[i]), index.push_back(i);
    }
    if (times.size() >= 2) integrate(times, index);
  }
}

/// An initial value problem: Dormand–Prince, or Rosenbrock 4 when stiff.
inline ReferenceResult solve_ivp(const pinnc_problem& pb, const ReferencePlan& plan, const std::vector<double>& grid,
                                 const double* params) {
  namespace ode = boost::numeric::odeint;
  ReferenceResult out;
  FirstOrderForm form(pb, params);
  const int U = pb.n_unknowns;
  if (!form.usable() || form.size() != int(plan.x0.size())) {
    out.why_not = "pinnc bug: the reference plan does not match the problem";
    return out;
  }
  const double T = pb.t1 - pb.t0;
  // Tolerances: relative 1e-12 (1e-10 for the implicit method), absolute 1e-12 of the
  // initial state's size (so tiny and huge scales are integrated alike).
  double x_scale = 0;
  for (double v : plan.x0) x_scale = std::max(x_scale, std::fabs(v));
  if (!(x_scale > 0) || !std::isfinite(x_scale)) x_scale = 1;
  const double start_ratio = decay_rate(form, plan.a, plan.x0.data()) * T;
  std::vector<std::vector<double>> states;  // [component][grid point]
  auto fail = [&](const std::string& what) {
    for (int j = 0; j < U; ++j) out.values[std::size_t(j)] = states[std::size_t(form.offset(j))];
    out.ok = false;
    out.why_not = "the reference integrator failed" + where_it_stops(out.values, grid, plan.a, plan.variable) + ": " + what;
  };
  auto start = [&] {
    states.assign(plan.x0.size(), std::vector<double>(grid.size(), std::nan("")));
    out.values.assign(std::size_t(U), std::vector<double>(grid.size(), std::nan("")));
  };
  auto finite = [&] {
    for (int j = 0; j < U; ++j) out.values[std::size_t(j)] = states[std::size_t(form.offset(j))];
    for (const auto& row : out.values)
      for (double v : row)
        if (!std::isfinite(v)) return false;
    return true;
  };
  // One attempt: both sweeps with `integrate`, then the checks every method shares.
  auto run = [&](auto integrate, double accuracy) -> bool {
    try {
      sweep_both(plan, grid, states, integrate);
    } catch (const std::exception& e) {
      fail(e.what());
      return false;
    }
    if (!finite()) {
      out.why_not = "the reference solution is not finite" + where_it_stops(out.values, grid, plan.a, plan.variable);
      return false;
    }
    out.accuracy = accuracy;
    return true;
  };
  auto explicit_run = [&]() -> bool {
    using State = std::vector<double>;
    start();
    out.method = "Dormand-Prince 5(4), adaptive, relative tolerance 1e-12";
    auto rhs = [&](const State& x, State& dxdt, double t) { form.rhs(t, x.data(), dxdt.data()); };
    return run([&](const std::vector<double>& times, const std::vector<std::size_t>& index) {
      std::size_t k = 0;
      State x = plan.x0;
      const double dt = (times.back() > times.front() ? 1 : -1) * 1e-6 * T;
      ode::integrate_times(
          ode::make_dense_output(1e-12 * x_scale, 1e-12, ode::runge_kutta_dopri5<State>()), rhs, x, times.begin(),
          times.end(), dt,
          [&](const State& st, double) {
            if (k < index.size() && index[k] != grid.size())
              for (std::size_t c = 0; c < st.size(); ++c) states[c][index[k]] = st[c];
            ++k;
          },
          ode::max_step_checker(100000));
    }, 1e-10);
  };
  auto implicit_run = [&]() -> bool {
    start();
    out.method = "Rosenbrock 4 (stiff), adaptive, relative tolerance 1e-10 (accurate to about 2e-7)";
    const int ns = form.size();
    std::vector<double> f0(static_cast<std::size_t>(ns)), f1(static_cast<std::size_t>(ns));
    Eigen::MatrixXd Jm;
    StiffSystem sys;
    sys.n = ns;
    sys.rhs = [&](double t, const double* x, double* f) { form.rhs(t, x, f); };
    sys.jacobian = [&](double t, const double* x, double* J, double* dfdt) {
      form.jacobian(t, x, Jm);
      for (int r = 0; r < ns; ++r)
        for (int c = 0; c < ns; ++c) J[r * ns + c] = Jm(r, c);
      // df/dt by central differences (the kernels give no t-derivative).
      const double h = 1e-5 * std::max(std::fabs(t), std::fabs(T));
      form.rhs(t + h, x, f1.data());
      form.rhs(t - h, x, f0.data());
      for (int i = 0; i < ns; ++i) dfdt[i] = (f1[std::size_t(i)] - f0[std::size_t(i)]) / (2 * h);
    };
    return run([&](const std::vector<double>& times, const std::vector<std::size_t>& index) {
      rosenbrock_times(sys, plan.x0, times, 1e-12 * x_scale, 1e-10, 200000, [&](std::size_t k, const double* x) {
        if (k >= index.size() || index[k] == grid.size()) return;
        for (std::size_t c = 0; c < plan.x0.size(); ++c) states[c][index[k]] = x[c];
      });
    }, 2e-7);  // measured: 1e-7 against y' = -1000 (y - cos t) (tests/e2e/test_verdict.py)
  };
  bool ok = false;
  std::string explicit_failure;
  if (start_ratio > kStiffRatio) {
    ok = implicit_run();
  } else {
    ok = explicit_run();
    if (!ok) {
      explicit_failure = out.why_not;
      ok = implicit_run();
      if (ok) out.method += " (Dormand-Prince gave up)";
    }
  }
  if (form.singular) {
    out.ok = false;
    out.why_not = "the equations cannot be solved for the highest derivatives everywhere";
    return out;
  }
  if (!ok) {
    if (!explicit_failure.empty() && explicit_failure != out.why_not) out.why_not = explicit_failure + "; " + out.why_not;
    return out;
  }
  out.stiffness = stiffness_note(form, grid, states, plan.variable, start_ratio / T, plan.a);
  out.ok = true;
  return out;
}

/// Chebyshev–Gauss–Lobatto points on [t0, t1] (ascending), their barycentric weights and
/// the first-derivative matrix.
struct Chebyshev {
  std::vector<double> t, w;
  Eigen::MatrixXd D;
  Chebyshev(int N, double t0, double t1) {
    const double pi = 3.14159265358979323846, mid = 0.5 * (t0 + t1), half = 0.5 * (t1 - t0);
    t.resize(std::size_t(N + 1));
    w.resize(std::size_t(N + 1));
    std::vector<double> x(std::size_t(N + 1));
    for (int i = 0; i <= N; ++i) {
      x[std::size_t(i)] = -std::cos(pi * i / N);
      t[std::size_t(i)] = mid + half * x[std::size_t(i)];
      w[std::size_t(i)] = ((i % 2) ? -1.0 : 1.0) * ((i == 0 || i == N) ? 0.5 : 1.0);
    }
    t.front() = t0, t.back() = t1;
    D = Eigen::MatrixXd::Zero(N + 1, N + 1);
    for (int i = 0; i <= N; ++i) {
      double diag = 0;
      for (int j = 0; j <= N; ++j) {
        if (i == j) continue;
        const double d = (w[std::size_t(j)] / w[std::size_t(i)]) / (x[std::size_t(i)] - x[std::size_t(j)]);
        D(i, j) = d / half;
        diag -= d / half;
      }
      D(i, i) = diag;
    }
  }
  /// The interpolation row at point s: p(s) = row . values.
  Eigen::RowVectorXd row(double s) const {
    const Eigen::Index n = Eigen::Index(t.size());
    Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i)
      if (s == t[std::size_t(i)]) {
        r(i) = 1;
        return r;
      }
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) r(i) = w[std::size_t(i)] / (s - t[std::size_t(i)]), sum += r(i);
    return r / sum;
  }
};

/// A boundary value problem: Chebyshev collocation, N = 16, 32, ... until the solutions
/// on two successive grids agree to 1e-9 of the scale; each solved by Gauss–Newton on
/// the residuals at every node and the conditions (a least-squares system, consistent
/// up to the truncation error), from the network's values (or zero).
inline ReferenceResult solve_bvp(const pinnc_problem& pb, const ReferencePlan& plan, const std::vector<double>& grid,
                                 const double* params, const Guess* guess) {
  ReferenceResult out;
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const pinnc_pattern& pat = pb.residual_partials;
  if (E != U || !pb.kernels.residual_f64) {
    out.why_not = "pinnc bug: the reference plan does not match the problem";
    return out;
  }
  const int n_max = K >= 3 ? 128 : 256;
  std::vector<std::vector<double>> previous;
  std::vector<double> prev_nodes_values;  // the last solution, for the next grid's start
  std::unique_ptr<Chebyshev> prev_grid;
  double agreement = NAN;
  int iterations_used = 0;
  for (int N = 16; N <= n_max; N *= 2) {
    if (std::size_t(U) * std::size_t(N + 1) > 4000) break;
    const Chebyshev cheb(N, pb.t0, pb.t1);
    const Eigen::Index P = N + 1, nv = Eigen::Index(U) * P;
    std::vector<Eigen::MatrixXd> Dk(std::size_t(K + 1));
    Dk[0] = Eigen::MatrixXd::Identity(P, P);
    for (int k = 1; k <= K; ++k) Dk[std::size_t(k)] = cheb.D * Dk[std::size_t(k - 1)];
    Eigen::VectorXd v = Eigen::VectorXd::Zero(nv);
    if (prev_grid) {
      for (int j = 0; j < U; ++j)
        for (Eigen::Index i = 0; i < P; ++i)
          v(j * P + i) = prev_grid->row(cheb.t[std::size_t(i)]) *
                         Eigen::Map<const Eigen::VectorXd>(prev_nodes_values.data() + j * (prev_grid->t.size()),
                                                           Eigen::Index(prev_grid->t.size()));
    } else if (guess && *guess) {
      const std::vector<double> g = (*guess)(cheb.t);
      for (Eigen::Index i = 0; i < nv && std::size_t(i) < g.size(); ++i) v(i) = std::isfinite(g[std::size_t(i)]) ? g[std::size_t(i)] : 0.0;
    }
    // Every condition as rows over the unknowns' node values: plain values first, then the
    // affine ones (row block per unknown; zero blocks for unknowns a condition leaves out).
    std::vector<AffineCondition> conds;
    for (const PlainValue& pv : plan.values) conds.push_back({pv.point, pv.value, {{pv.unknown, pv.order, 1.0}}});
    conds.insert(conds.end(), plan.affine.begin(), plan.affine.end());
    const int C = int(conds.size());
    std::vector<Eigen::RowVectorXd> cond_row(static_cast<std::size_t>(C), Eigen::RowVectorXd::Zero(nv));
    for (int c = 0; c < C; ++c) {
      const Eigen::RowVectorXd at = cheb.row(conds[std::size_t(c)].point);
      for (const AffineCondition::Term& term : conds[std::size_t(c)].terms)
        cond_row[std::size_t(c)].segment(term.unknown * P, P) += term.coefficient * (at * Dk[std::size_t(term.order)]);
    }
    std::vector<double> u(std::size_t(U * (K + 1)) * std::size_t(P)), r(std::size_t(E) * std::size_t(P)),
        dr(std::size_t(std::max(pat.n, 1)) * std::size_t(P));
    const Eigen::Index rows = Eigen::Index(E) * P + C;
    Eigen::VectorXd F(rows);
    Eigen::MatrixXd Jac(rows, nv);
    auto evaluate = [&](const Eigen::VectorXd& vals, bool with_jacobian) {
      for (int j = 0; j < U; ++j)
        for (int k = 0; k <= K; ++k) {
          const Eigen::VectorXd col = Dk[std::size_t(k)] * vals.segment(j * P, P);
          for (Eigen::Index i = 0; i < P; ++i) u[std::size_t((j * (K + 1) + k) * P + i)] = col(i);
        }
      pb.kernels.residual_f64(pb.kernels.ctx, P, cheb.t.data(), u.data(), params, r.data(), dr.data(), nullptr);
      for (Eigen::Index i = 0; i < Eigen::Index(E) * P; ++i) F(i) = r[std::size_t(i)];
      for (int c = 0; c < C; ++c) F(Eigen::Index(E) * P + c) = cond_row[std::size_t(c)].dot(vals) - conds[std::size_t(c)].value;
      if (!with_jacobian) return;
      Jac.setZero();
      for (int n = 0; n < pat.n; ++n) {
        const int e = pat.row[n], s = pat.col[n], j = s / (K + 1), k = s % (K + 1);
        for (Eigen::Index i = 0; i < P; ++i)
          Jac.block(e * P + i, j * P, 1, P) += dr[std::size_t(n) * std::size_t(P) + std::size_t(i)] * Dk[std::size_t(k)].row(i);
      }
      for (int c = 0; c < C; ++c) Jac.row(Eigen::Index(E) * P + c) = cond_row[std::size_t(c)];
    };
    // Gauss–Newton with step halving.
    bool converged = false;
    evaluate(v, true);
    double f_norm = F.norm();
    for (int it = 0; it < 40 && std::isfinite(f_norm); ++it) {
      ++iterations_used;
      const Eigen::VectorXd delta = Jac.colPivHouseholderQr().solve(-F);
      if (!delta.allFinite()) break;
      double step = 1;
      Eigen::VectorXd trial = v + delta;
      evaluate(trial, false);
      while (!(F.norm() <= f_norm) && step > 1e-3) {
        step *= 0.5;
        trial = v + step * delta;
        evaluate(trial, false);
      }
      const double small = 1e-14 * std::max(v.lpNorm<Eigen::Infinity>(), 1e-300);
      const bool tiny_step = step * delta.lpNorm<Eigen::Infinity>() <= small;
      if (F.norm() <= f_norm) v = trial;
      evaluate(v, true);
      const double new_norm = F.norm();
      if (tiny_step || (new_norm >= f_norm * 0.999 && it > 0)) {
        converged = std::isfinite(new_norm);
        f_norm = new_norm;
        break;
      }
      f_norm = new_norm;
    }
    if (!converged || !v.allFinite()) continue;
    // Values on the fine grid.
    std::vector<std::vector<double>> values(std::size_t(U), std::vector<double>(grid.size()));
    std::vector<Eigen::RowVectorXd> rows_at(grid.size());
    for (std::size_t i = 0; i < grid.size(); ++i) rows_at[i] = cheb.row(grid[i]);
    double scale = 0;
    for (int j = 0; j < U; ++j)
      for (std::size_t i = 0; i < grid.size(); ++i) {
        values[std::size_t(j)][i] = rows_at[i].dot(v.segment(j * P, P));
        scale = std::max(scale, std::fabs(values[std::size_t(j)][i]));
      }
    if (!previous.empty()) {
      double diff = 0;
      for (int j = 0; j < U; ++j)
        for (std::size_t i = 0; i < grid.size(); ++i)
          diff = std::max(diff, std::fabs(values[std::size_t(j)][i] - previous[std::size_t(j)][i]));
      agreement = scale > 0 ? diff / scale : diff;
      if (agreement <= 1e-9) {
        out.values = std::move(values);
        out.ok = true;
        out.accuracy = std::max(agreement, 1e-13);
        out.method = format("Chebyshev collocation on %d points, Gauss-Newton from the network's solution "
                            "(agrees with %d points to %.1e)",
                            N + 1, N / 2 + 1, agreement);
        return out;
      }
    }
    previous = std::move(values);
    prev_nodes_values.assign(v.data(), v.data() + v.size());
    prev_grid = std::make_unique<Chebyshev>(cheb);
  }
  (void)iterations_used;
  out.why_not = std::isnan(agreement)
                    ? std::string("the boundary value collocation did not converge from the network's solution")
                    : format("the boundary value collocation did not settle (successive grids differ by %.1e of the "
                             "solution's scale)",
                             agreement);
  return out;
}

}  // namespace reference_detail

/// The classical reference on `grid` (ascending): an IVP integrated from plan.a both
/// ways, or a BVP by collocation started from `guess` (may be null). `params`: [Q].
inline ReferenceResult solve_reference(const pinnc_problem& pb, const ReferencePlan& plan,
                                       const std::vector<double>& grid, const double* params,
                                       const Guess* guess = nullptr) {
  if (!plan.possible) {
    ReferenceResult out;
    out.why_not = plan.why_not;
    return out;
  }
  return plan.boundary ? reference_detail::solve_bvp(pb, plan, grid, params, guess)
                       : reference_detail::solve_ivp(pb, plan, grid, params);
}

}  // namespace pinnc::post

#endif  // PINNC_POST_REFERENCE_H
