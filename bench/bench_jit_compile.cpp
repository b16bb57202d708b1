// bench_jit_compile.cpp — how long parse -> JIT-ready takes, stage by stage, for a file:
//   build/bench_jit_compile examples/decay.ode [repeats]
// Prints front end, lowering, LLJIT creation, and kernel compilation (first and later).
#include <chrono>
#include <cstdio>
#include <string>

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
  for (int i = 0; i < repeats; ++i) {
    jit::CompiledKernels k;
    if (!jit->compile(lowered.module, false, &k, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    std::printf("compile %d: %.2f ms\n", i + 1, k.compile_ms);
  }
  return 0;
}
