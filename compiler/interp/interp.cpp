// interp.cpp — straightforward tape evaluation, one point at a time.
#include "interp/interp.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace pinnc::interp {

using sym::Op;

namespace {

/// One op on evaluated arguments, in precision T (float calls the float libm functions,
/// exactly as the JIT's float kernels do).
template <class T>
T apply(const lower::Instr& in, const T* a) {
  switch (in.op) {
    case Op::Const:
    case Op::Symbol: break;  // handled by the caller
    case Op::Add: {
      T s = a[0];
      for (std::size_t i = 1; i < in.args.size(); ++i) s = s + a[i];
      return s;
    }
    case Op::Mul: {
      T s = a[0];
      for (std::size_t i = 1; i < in.args.size(); ++i) s = s * a[i];
      return s;
    }
    case Op::Pow: return in.int_exponent != 0 ? powi(a[0], in.int_exponent) : std::pow(a[0], a[1]);
    case Op::Sin: return std::sin(a[0]);
    case Op::Cos: return std::cos(a[0]);
    case Op::Tan: return std::tan(a[0]);
    case Op::Asin: return std::asin(a[0]);
    case Op::Acos: return std::acos(a[0]);
    case Op::Atan: return std::atan(a[0]);
    case Op::Sinh: return std::sinh(a[0]);
    case Op::Cosh: return std::cosh(a[0]);
    case Op::Tanh: return std::tanh(a[0]);
    case Op::Exp: return std::exp(a[0]);
    case Op::Log: return std::log(a[0]);
    case Op::Sqrt: return std::sqrt(a[0]);
    case Op::Abs: return std::fabs(a[0]);
    case Op::Sign: return a[0] > T(0) ? T(1) : a[0] < T(0) ? T(-1) : T(0);
    case Op::Step: return a[0] > T(0) ? T(1) : a[0] < T(0) ? T(0) : T(0.5);
    case Op::Min: return a[1] < a[0] ? a[1] : a[0];
    case Op::Max: return a[1] > a[0] ? a[1] : a[0];
  }
  throw std::logic_error("pinnc bug: interpreter reached an op without a rule");
}

template <class T>
void run_block(const lower::Block& b, int64_t P, int64_t p, const T* t, const T* u, const T* params,
               T* const* outs, std::vector<T>& vals, std::vector<T>& argv) {
  vals.resize(b.code.size());
  for (std::size_t i = 0; i < b.code.size(); ++i) {
    const lower::Instr& in = b.code[i];
    if (in.op == Op::Const) {
      vals[i] = static_cast<T>(in.value);
    } else if (in.op == Op::Symbol) {
      switch (in.input) {
        case lower::Input::T: vals[i] = t[p]; break;
        case lower::Input::U: vals[i] = u[in.slot * P + p]; break;
        case lower::Input::Param: vals[i] = params[in.slot]; break;
      }
    } else {
      argv.resize(in.args.size());
      for (std::size_t a = 0; a < in.args.size(); ++a) argv[a] = vals[in.args[a]];
      vals[i] = apply<T>(in, argv.data());
    }
  }
  for (const lower::Store& s : b.stores)
    if (outs[s.array]) outs[s.array][s.slot * P + p] = vals[s.value];
}

}  // namespace

template <class T>
void run(const lower::Kernel& k, int64_t P, const T* t, const T* u, const T* params, T* const* outs) {
  std::vector<T> vals, argv;
  for (const lower::Block& b : k.blocks) {
    if (b.point >= 0) {
      if (b.point < P) run_block(b, P, b.point, t, u, params, outs, vals, argv);
      continue;
    }
    for (int64_t p = 0; p < P; ++p) run_block(b, P, p, t, u, params, outs, vals, argv);
  }
}

template void run<double>(const lower::Kernel&, int64_t, const double*, const double*, const double*,
                          double* const*);
template void run<float>(const lower::Kernel&, int64_t, const float*, const float*, const float*,
                         float* const*);

// ---- process-wide binding to the ABI's plain C function types ---------------------------
namespace {

const lower::KernelModule* g_bound = nullptr;

template <class T>
void residual_tramp(int64_t P, const T* t, const T* u, const T* params, T* r, T* dr, T* drp) {
  T* outs[3] = {r, dr, drp};
  run<T>(g_bound->residual, P, t, u, params, outs);
}
template <class T>
void conditions_tramp(int64_t P, const T* t, const T* u, const T* params, T* r, T* dr, T* drp) {
  T* outs[3] = {r, dr, drp};
  run<T>(g_bound->conditions, P, t, u, params, outs);
}
template <class T>
void trial_tramp(int64_t P, const T* t, const T* params, T* A, T* B) {
  T* outs[2] = {A, B};
  run<T>(g_bound->trial, P, t, nullptr, params, outs);
}
void exact_tramp(int64_t P, const double* t, const double* params, double* u) {
  double* outs[1] = {u};
  run<double>(g_bound->exact, P, t, nullptr, params, outs);
}

}  // namespace

Binding::Binding(const lower::KernelModule& module) { g_bound = &module; }
Binding::~Binding() { g_bound = nullptr; }
pinnc_pointwise_f64 Binding::residual_f64() const { return &residual_tramp<double>; }
pinnc_pointwise_f64 Binding::conditions_f64() const { return &conditions_tramp<double>; }
pinnc_trial_f64 Binding::trial_f64() const { return g_bound->has_trial ? &trial_tramp<double> : nullptr; }
pinnc_exact_f64 Binding::exact_f64() const { return g_bound->has_exact ? &exact_tramp : nullptr; }
pinnc_pointwise_f32 Binding::residual_f32() const { return &residual_tramp<float>; }
pinnc_pointwise_f32 Binding::conditions_f32() const { return &conditions_tramp<float>; }
pinnc_trial_f32 Binding::trial_f32() const { return g_bound->has_trial ? &trial_tramp<float> : nullptr; }

}  // namespace pinnc::interp
