// support.h — the main() of a standalone solver written by `pinnc emit`: command line,
// training and everything after it through the runtime's post-training module
// (pinnc/post/: the same code `pinnc train` runs, so the report, the verdict, the
// reference comparison and the files are the same). C++17, standard library + Eigen +
// Boost's header-only libraries (this header is embedded into every emitted solver).
#ifndef PINNC_STANDALONE_SUPPORT_H
#define PINNC_STANDALONE_SUPPORT_H

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "pinnc/kernel_abi.h"
#include "pinnc/post/evaluate.h"
#include "pinnc/post/files.h"
#include "pinnc/post/march.h"
#include "pinnc/post/outcome.h"
#include "pinnc/post/text.h"
#include "pinnc/trainer.h"

namespace pinnc::standalone {

/// What the emitted code fixes at generation time: the problem's kernels and data, the
/// runtime settings and what the compiler knew about the run.
struct Spec {
  const pinnc_problem* problem = nullptr;
  rt::TrainerSettings settings;
  post::RunInfo info;
};

/// One optimizer stage as pinnc's settings mapping builds it (other fields: runtime defaults).
inline rt::Stage make_stage(rt::OptimizerKind kind, int64_t epochs, double lr, double momentum) {
  rt::Stage s;
  s.optimizer = kind;
  s.epochs = epochs;
  s.lr = lr;
  s.momentum = momentum;
  return s;
}

/// The solver's main: `solver [--out DIR] [--quiet]`, training in precision Scalar (the
/// evaluation afterwards is float64, as in pinnc). Exit codes as `pinnc train`:
/// 0 trusted, 2 usage or output errors, 3 diverged (the best weights before it written, or nothing
/// when there were none), 4 not trusted.
template <class Scalar>
int run_main(const Spec& spec, int argc, char** argv) {
  std::string out_dir = ".";
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--out" || a == "-o") && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--out DIR] [--quiet]\ntrains the network for %s and writes DIR/solution.csv, "
                  "loss.csv, model.json (default DIR: .)\n",
                  argv[0], spec.info.source_file.c_str());
      return 0;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (usage: %s [--out DIR] [--quiet])\n", argv[0], a.c_str(),
                   argv[0]);
      return 2;
    }
  }
  std::string error;
  if (!post::prepare_dir(out_dir, &error)) {
    std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
    return 2;
  }
  const pinnc_problem& pb = *spec.problem;
  post::Outcome run;
  try {
    run = post::train_and_evaluate<Scalar>(pb, spec.info, spec.settings, pb.params, nullptr, post::Progress());
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 2;
  }
  if (run.diverged && !run.recovered) {
    std::fputs(post::divergence_report(run).c_str(), stderr);
    return 3;
  }
  const std::filesystem::path dir(out_dir);
  if (!post::write_all_atomically({{dir / "solution.csv", post::solution_csv(spec.info, run)},
                                   {dir / "loss.csv", post::loss_csv(spec.info, run)},
                                   {dir / "model.json", post::to_json(post::make_model(spec.info, run))}},
                                  &error)) {
    std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
    return 2;
  }
  if (!quiet) {
    std::string text = post::report_text(spec.info, run);
    text += "output    " + out_dir + "/{solution.csv, loss.csv, model.json}\n";
    std::fputs(text.c_str(), stdout);
  }
  if (run.diverged) {  // written with the best weights reached before
    std::fputs(post::divergence_report(run).c_str(), stderr);
    return 3;
  }
  return run.trusted ? 0 : 4;
}

}  // namespace pinnc::standalone

#endif  // PINNC_STANDALONE_SUPPORT_H
