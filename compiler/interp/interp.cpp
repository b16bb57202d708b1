// interp.cpp — straightforward tape evaluation, one point at a time.
#include "interp/interp.h"

#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace pinnc::interp {

using sym::Op;

namespace {

/// One op on evaluated arguments, in precision T: the op table's value (ops.h), or an
/// integer power by repeated multiplication.
template <class T>
T apply(const lower::Instr& in, const T* a) {
  if (in.int_exponent != 0) return sym::powi(a[0], in.int_exponent);
  return sym::op_value<T>(in.op, a, static_cast<int>(in.args.size()));
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
  const bool fixed = b.point >= 0;  // a fixed-point block stores one value per slot
  for (const lower::Store& s : b.stores)
    if (outs[s.array]) outs[s.array][fixed ? s.slot : s.slot * P + p] = vals[s.value];
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

// ---- the ABI's C function types, with the module as ctx --------------------------------
namespace {

/// A kernel call's arguments, sorted by their roles in the kind's signature.
template <class T>
struct CallArgs {
  int64_t P = 0;
  const T* t = nullptr;
  const T* u = nullptr;
  const T* params = nullptr;
  std::vector<T*> outs;

  void take(const lower::KernelArg&, int64_t n) { P = n; }
  void take(const lower::KernelArg& arg, const T* in) {
    switch (arg.role) {
      case lower::ArgRole::TIME: t = in; break;
      case lower::ArgRole::STACK: u = in; break;
      case lower::ArgRole::PARAMS: params = in; break;
      case lower::ArgRole::COUNT:
      case lower::ArgRole::OUT:
      case lower::ArgRole::OPTIONAL_OUT: throw std::logic_error("pinnc bug: input argument with an output role");
    }
  }
  void take(const lower::KernelArg&, T* out) { outs.push_back(out); }
};

/// The C function of type Fn (from kernel_abi.h) that interprets kernel K of the module
/// passed as ctx, in precision T.
template <lower::KernelKind K, class T, class Fn>
struct Trampoline;
template <lower::KernelKind K, class T, class... A>
struct Trampoline<K, T, void (*)(void*, A...)> {
  static void call(void* ctx, A... a) {
    const auto& module = *static_cast<const lower::KernelModule*>(ctx);
    const lower::KernelSignature& sig = lower::signature(K);
    CallArgs<T> args;
    std::size_t i = 0;
    (args.take(sig.args[i++], a), ...);
    run<T>(module.kernel(K), args.P, args.t, args.u, args.params, args.outs.data());
  }
};

}  // namespace

pinnc_kernels kernels(const lower::KernelModule& module) {
  pinnc_kernels k{};
  k.ctx = const_cast<lower::KernelModule*>(&module);  // only ever read through
  lower::for_each_kernel(k, [&](auto kind, auto f32, auto& field) {
    using Fn = std::remove_reference_t<decltype(field)>;
    using T = std::conditional_t<decltype(f32)::value, float, double>;
    field = module.has(kind) ? &Trampoline<decltype(kind)::value, T, Fn>::call : nullptr;
  });
  return k;
}

}  // namespace pinnc::interp
