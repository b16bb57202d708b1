// fuzz_kernels.cpp — libFuzzer target: checked problem -> kernels -> interpreter, on
// arbitrary bytes read as a .ode file. A file that compiles (as in fuzz_frontend) is
// lowered and bound as `pinnc train --backend interp` does (train/session.h
// lower_problem + bind, with the file's own `set conditions`), and every kernel it has is
// run through the ABI (runtime/include/pinnc/kernel_abi.h), in float64 and, where the
// kind has one, float32: the residual at a few points inside the interval and the
// conditions at their points, with stacks of small values derived from the input. The
// ABI's sizes agree with the problem, its patterns are sorted, unique and in range, its
// condition points lie in the interval; every kernel writes every element of its outputs
// and nothing outside them (each output is allocated to its ABI size, under ASan); a NULL
// dr_dparams changes nothing else; a second call gives the same bits. No LLVM: the fuzz
// build has PINNC_WITH_LLVM=OFF. Seeds: the examples and tests/golden (scripts/fuzz.sh)
// and tests/fuzz/corpus/fuzz_kernels. Build and run: scripts/fuzz.sh [SECONDS].
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_checks.h"
#include "interp/interp_backend.h"
#include "pipeline/compile.h"
#include "train/session.h"

namespace {

/// Points of the residual batch, as fractions of the interval (its ends included).
constexpr double kFractions[] = {0.0, 0.25, 0.6180339887498949, 1.0};
constexpr int64_t kPoints = sizeof kFractions / sizeof kFractions[0];

/// Small numbers from the input's bytes: FNV-1a of the input, stepped by splitmix64, as
/// multiples of 1/64 in [-2, 2] (exact in float32 too).
class Numbers {
 public:
  Numbers(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size; ++i) state_ = (state_ ^ data[i]) * 0x100000001b3ULL;
  }
  double next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<int>(z % 257) - 128) / 64.0;
  }
  std::vector<double> take(std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = next();
    return v;
  }

 private:
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

/// A signalling NaN no kernel computes (arithmetic quiets a NaN) nor copies (the inputs
/// are finite): what an output element holds until the kernel writes it.
template <class T>
T unwritten() {
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<T>(uint64_t{0x7ff4deadbeef0001ULL});
  else
    return std::bit_cast<T>(uint32_t{0x7fa0beefU});
}

template <class T>
std::vector<T> cast(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

/// Output arrays of the given sizes, every element unwritten.
template <class T>
std::vector<std::vector<T>> outputs(std::initializer_list<std::size_t> sizes) {
  std::vector<std::vector<T>> out;
  for (std::size_t n : sizes) out.emplace_back(n, unwritten<T>());
  return out;
}

template <class T>
void check_written(const std::vector<std::vector<T>>& outs) {
  const T mark = unwritten<T>();
  for (const std::vector<T>& o : outs)
    for (const T& x : o)
      if (std::memcmp(&x, &mark, sizeof x) == 0) __builtin_trap();
}

template <class T>
bool same_bits(const std::vector<std::vector<T>>& a, const std::vector<std::vector<T>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].size() != b[i].size() ||
        (!a[i].empty() && std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(T))))
      return false;
  return true;
}

/// Calls `run(outs)` on fresh outputs of `sizes` twice: every element written, the same
/// bits both times. Returns the outputs.
template <class T, class Run>
std::vector<std::vector<T>> call_twice(std::initializer_list<std::size_t> sizes, Run run) {
  std::vector<std::vector<T>> first = outputs<T>(sizes), second = outputs<T>(sizes);
  run(first);
  run(second);
  check_written(first);
  if (!same_bits(first, second)) __builtin_trap();
  return first;
}

/// The residual or conditions kernel (same signature) on P points: r, dr and dr_dparams
/// as the ABI sizes them, `n` values per row or entry (P for the residual, 1 for the
/// conditions), then once more with a NULL dr_dparams, which leaves r and dr as they were.
template <class T, class Fn>
void run_pointwise(Fn fn, void* ctx, int64_t P, std::size_t n, std::size_t rows,
                   const pinnc_pattern& dr, const pinnc_pattern& dq, const std::vector<double>& t,
                   const std::vector<double>& u, const std::vector<double>& params) {
  if (!fn) __builtin_trap();  // the interpreter binds both precisions of both kinds
  const std::vector<T> tt = cast<T>(t), uu = cast<T>(u), pp = cast<T>(params);
  auto call = [&](std::vector<std::vector<T>>& o) {
    fn(ctx, P, tt.data(), uu.data(), pp.data(), o[0].data(), o[1].data(),
       o.size() > 2 ? o[2].data() : nullptr);
  };
  const auto full = call_twice<T>({rows * n, std::size_t(dr.n) * n, std::size_t(dq.n) * n}, call);
  const auto without = call_twice<T>({rows * n, std::size_t(dr.n) * n}, call);
  if (!same_bits(std::vector(full.begin(), full.begin() + 2), without)) __builtin_trap();
}

/// A pattern as kernel_abi.h defines it: entries sorted by row, then column, each pair at
/// most once, rows below `rows` and columns below `cols`.
void check_pattern(const pinnc_pattern& p, int32_t rows, int32_t cols) {
  if (p.n < 0) __builtin_trap();
  for (int32_t i = 0; i < p.n; ++i) {
    if (p.row[i] < 0 || p.row[i] >= rows || p.col[i] < 0 || p.col[i] >= cols) __builtin_trap();
    if (i > 0 &&
        (p.row[i] < p.row[i - 1] || (p.row[i] == p.row[i - 1] && p.col[i] <= p.col[i - 1])))
      __builtin_trap();
  }
}

void check_abi(const pinnc::train::Prepared& prep) {
  const pinnc_problem& abi = prep.abi;
  const pinnc::Problem& p = prep.problem;
  if (abi.n_unknowns != int32_t(p.unknowns.size()) || abi.order != p.order ||
      abi.n_equations != int32_t(p.equations.size()) || abi.n_params != int32_t(p.params.size()) ||
      abi.n_aux != int32_t(p.aux.size()) ||
      abi.n_conditions != int32_t(prep.lowered.soft_conditions.size()) ||
      abi.n_conditions > int32_t(p.conditions.size()))
    __builtin_trap();
  if (abi.order < 0 || abi.order > PINNC_MAX_ORDER || abi.t0 != p.t0 || abi.t1 != p.t1)
    __builtin_trap();
  for (int32_t j = 0; j < abi.n_unknowns; ++j)
    if (abi.unknown_order[j] < 0 || abi.unknown_order[j] > abi.order) __builtin_trap();
  for (int32_t c = 0; c < abi.n_conditions; ++c)
    if (!(abi.condition_points[c] >= abi.t0 && abi.condition_points[c] <= abi.t1)) __builtin_trap();
  const int32_t slots = abi.n_unknowns * (abi.order + 1);
  check_pattern(abi.residual_partials, abi.n_equations, slots);
  check_pattern(abi.residual_param_partials, abi.n_equations, abi.n_params);
  check_pattern(abi.condition_partials, abi.n_conditions, slots);
  check_pattern(abi.condition_param_partials, abi.n_conditions, abi.n_params);
}

/// Inputs of one evaluation: the residual batch (points inside the interval, a stack) and
/// the conditions' (their own points, a stack), with the parameters' values.
struct Inputs {
  std::vector<double> t, u, tc, uc, params;
};

/// Every kernel of the bound problem through its ABI pointers: the residual and the
/// conditions in float64 and float32, the trial, exact and aux kernels where there are.
void run_kernels(const pinnc_problem& abi, const Inputs& in) {
  const pinnc_kernels& k = abi.kernels;
  const std::size_t P = kPoints, C = std::size_t(abi.n_conditions);
  const std::size_t S = std::size_t(abi.n_unknowns) * std::size_t(abi.order + 1);
  const std::size_t E = std::size_t(abi.n_equations);
  run_pointwise<double>(k.residual_f64, k.ctx, kPoints, P, E, abi.residual_partials,
                        abi.residual_param_partials, in.t, in.u, in.params);
  run_pointwise<float>(k.residual_f32, k.ctx, kPoints, P, E, abi.residual_partials,
                       abi.residual_param_partials, in.t, in.u, in.params);
  // The conditions: P = C, one value per condition and per listed partial.
  run_pointwise<double>(k.conditions_f64, k.ctx, abi.n_conditions, 1, C, abi.condition_partials,
                        abi.condition_param_partials, in.tc, in.uc, in.params);
  run_pointwise<float>(k.conditions_f32, k.ctx, abi.n_conditions, 1, C, abi.condition_partials,
                       abi.condition_param_partials, in.tc, in.uc, in.params);
  if (k.trial_f64) {
    if (!k.trial_f32) __builtin_trap();
    call_twice<double>({S * P, S * P}, [&](auto& o) {
      k.trial_f64(k.ctx, kPoints, in.t.data(), in.params.data(), o[0].data(), o[1].data());
    });
    const std::vector<float> t = cast<float>(in.t), q = cast<float>(in.params);
    call_twice<float>({S * P, S * P}, [&](auto& o) {
      k.trial_f32(k.ctx, kPoints, t.data(), q.data(), o[0].data(), o[1].data());
    });
  }
  if (k.exact_f64)
    call_twice<double>({S * P}, [&](auto& o) {
      k.exact_f64(k.ctx, kPoints, in.t.data(), in.params.data(), o[0].data());
    });
  if (k.aux_f64)
    call_twice<double>({std::size_t(abi.n_aux) * P}, [&](auto& o) {
      k.aux_f64(k.ctx, kPoints, in.t.data(), in.u.data(), in.params.data(), o[0].data());
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  SourceFile src("fuzz.ode", std::string(reinterpret_cast<const char*>(data), size));
  DiagnosticEngine diags;
  // Kernels do not depend on measurements: the files of `data` statements are not read
  // (as when a model is re-created), so nothing depends on the file system.
  SemaOptions sema;
  sema.read_data = false;
  std::optional<Problem> problem = compile_source(src, diags, xpp::Dialect::Auto, nullptr, sema);
  fuzz::check_compile(src, diags, problem.has_value());
  if (!problem) return 0;

  // The file's settings, as training applies them. Sema checks each value alone, so a
  // combination may still be refused (pinnc train then stops with a located error);
  // lowering reads only `conditions`, which any value refused leaves as it was.
  TrainOptions opt;
  std::string error;
  for (const FileSetting& s : problem->settings) (void)opt.set(s.key, s.value, &error);
  auto prep = train::lower_problem(std::move(*problem), opt);
  interp::InterpBackend backend;
  if (!train::bind(*prep, backend, opt.f32(), &error)) __builtin_trap();
  const pinnc_problem& abi = prep->abi;
  check_abi(*prep);
  if (abi.kernels.ctx != &prep->lowered.module) __builtin_trap();

  // Points inside the interval (t0 (1 - f) + t1 f stays finite for any finite interval),
  // the conditions at their own points, stacks of small numbers from the input.
  Numbers numbers(data, size);
  const std::size_t S = std::size_t(abi.n_unknowns) * std::size_t(abi.order + 1);
  Inputs in;
  for (double f : kFractions) in.t.push_back(abi.t0 * (1 - f) + abi.t1 * f);
  in.u = numbers.take(S * kPoints);
  in.tc.assign(abi.condition_points, abi.condition_points + abi.n_conditions);
  in.uc = numbers.take(S * std::size_t(abi.n_conditions));
  in.params.assign(abi.params, abi.params + abi.n_params);
  run_kernels(abi, in);
  return 0;
}
