// train_flags.cpp — see train_flags.h.
#include "driver/train_flags.h"

#include <fmt/format.h>

namespace pinnc::driver {

namespace {

const std::map<std::string, std::string>& flag_help() {
  static const std::map<std::string, std::string> help = {
      {"net", "hidden layer widths, e.g. 32,32"},
      {"act", "activation: tanh sin sigmoid softplus silu gelu leaky_relu identity"},
      {"opt", "optimizer schedule, e.g. adam:2000,lm:200 (sgd adam lbfgs lm)"},
      {"lr", "learning rate (sgd 8e-3 and adam 1e-3 by default)"},
      {"momentum", "SGD momentum"},
      {"epochs", "epochs for stages without their own count"},
      {"points", "collocation points"},
      {"sampling", "grid, jitter[:sigma], uniform or sobol"},
      {"resample", "new random points every N epochs"},
      {"seed", "random seed (same seed, same result)"},
      {"precision", "f64 or f32"},
      {"threads", "threads for the linear algebra"},
      {"scaling", "on/off: map the interval to [-1, 1] inside the network"},
      {"init", "glorot or torch (PyTorch's uniform(1/sqrt(fan_in)))"},
      {"conditions", "auto (exact where possible) or soft (loss terms)"},
      {"cond-weight", "weight of each soft condition in the loss"},
      {"tol", "stop when the loss falls below this"},
      {"backend", "jit (LLVM) or interp (interpreter, no LLVM)"},
  };
  return help;
}

}  // namespace

void add_train_flags(CLI::App& app, TrainFlags& flags) {
  for (const std::string& key : train::option_keys()) {
    auto it = flag_help().find(key);
    app.add_option_function<std::string>(
           "--" + key, [&flags, key](const std::string& v) { flags.values[key] = v; },
           it == flag_help().end() ? key : it->second)
        ->group("Training settings (also `set KEY = VALUE` in the file; flags win)");
  }
}

int apply_settings(const Problem& problem, const SourceFile& src, const TrainFlags& flags,
                   train::TrainOptions* opt) {
  std::string error;
  for (const FileSetting& s : problem.settings) {
    if (!opt->set(s.key, s.value, &error)) {
      LineCol lc = src.line_col(s.range.begin);
      std::fprintf(stderr, "%s:%u:%u: error: %s\n  %.*s\n", src.name().c_str(), lc.line, lc.col, error.c_str(),
                   static_cast<int>(src.line_text(lc.line).size()), src.line_text(lc.line).data());
      return 1;
    }
  }
  // Flags in the fixed order of option_keys(), so `--epochs` after `--opt` semantics do
  // not depend on the order on the command line.
  for (const std::string& key : train::option_keys()) {
    auto it = flags.values.find(key);
    if (it == flags.values.end()) continue;
    if (!opt->set(key, it->second, &error)) {
      std::fprintf(stderr, "pinnc: --%s: %s\n", key.c_str(), error.c_str());
      return 2;
    }
  }
  return 0;
}

}  // namespace pinnc::driver
