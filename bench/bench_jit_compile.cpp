// bench_jit_compile.cpp — how long parse -> JIT-ready takes, stage by stage, for a file:
//   build/bench_jit_compile examples/decay.ode [repeats]
// Prints front end, lowering, LLJIT creation, kernel compilation (first and later), and
// the run time of the float64 residual kernel in ns per point (1024 points; the environment
// variable P= sets another count), so that a cheaper pipeline can be weighed against slower
// kernels.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "codegen/llvm/jit.h"
#include "pipeline/compile.h"
#include "lower/lower.h"
#include "train/files.h"

using namespace pinnc;
using clk = std::chrono::steady_clock;

static double ms_since(clk::time_point t) { return std::chrono::duration<double, std::milli>(clk::now() - t).count(); }

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_jit_compile FILE.ode [repeats]\n");
    return 2;
  }
  int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  std::string text, error;
  if (!train::read_file(argv[1], &text, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  auto t0 = clk::now();
  SourceFile src(argv[1], text);
  DiagnosticEngine diags;
  auto problem = compile_source(src, diags);
  if (!problem) {
    std::fputs(render_all(src, diags).c_str(), stderr);
    return 1;
  }
  double front = ms_since(t0);
  t0 = clk::now();
  auto lowered = lower::lower(*problem, lower::ConditionMode::Auto);
  double low = ms_since(t0);
  t0 = clk::now();
  auto jit = jit::Jit::create(&error);
  double create = ms_since(t0);
  std::printf("front end %.2f ms, lowering %.2f ms, LLJIT creation %.2f ms\n", front, low, create);
  jit::CompiledKernels k;
  for (int i = 0; i < repeats; ++i) {
    if (!jit->compile(lowered.module, false, &k, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    std::printf("compile %d: %.2f ms\n", i + 1, k.compile_ms);
  }
  // The residual kernel on random stacks: best of 5 timings of 200 calls on P points.
  const lower::KernelModule& km = lowered.module;
  const int64_t P = std::getenv("P") ? std::atoi(std::getenv("P")) : 1024;
  const auto S = static_cast<std::size_t>(km.n_unknowns * (km.order + 1));
  std::vector<double> t(P), u(S * P), q(static_cast<std::size_t>(km.n_params) + 1),
      r(static_cast<std::size_t>(km.n_equations) * P), dr(km.residual_partials.size() * static_cast<std::size_t>(P) + 1),
      drp(km.residual_param_partials.size() * static_cast<std::size_t>(P) + 1);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> uni(0.1, 0.9);
  for (auto* v : {&t, &u, &q})
    for (double& x : *v) x = uni(rng);
  double best = 1e300;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = clk::now();
    for (int call = 0; call < 200; ++call)
      k.kernels.residual_f64(nullptr, P, t.data(), u.data(), q.data(), r.data(), dr.data(), drp.data());
    best = std::min(best, ms_since(t0) * 1e6 / (200.0 * P));
  }
  std::printf("residual kernel: %.2f ns per point (%d equations, %d partials)\n", best, km.n_equations,
              static_cast<int>(km.residual_partials.size()));
  return 0;
}
