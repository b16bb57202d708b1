// options.h — training settings shared by `pinnc train` flags, `set key = value`
// statements in a file and the REPL's `:train key=value`: one parser, the same names.
#ifndef PINNC_TRAIN_OPTIONS_H
#define PINNC_TRAIN_OPTIONS_H

#include <cstdint>
#include <string>
#include <vector>

namespace pinnc::train {

/// One stage of the optimizer schedule, e.g. "adam:2000".
struct Stage {
  std::string optimizer;  ///< sgd | adam | lbfgs | lm
  int epochs = 0;         ///< 0: use TrainOptions::epochs
};

struct TrainOptions {
  std::vector<int> net{24, 24};            ///< hidden layer widths
  std::string activation = "tanh";
  std::vector<Stage> schedule{{"adam", 300}, {"lm", 200}};
  double lr = 0;                           ///< 0: the optimizer's default (sgd 8e-3, adam 1e-3)
  double momentum = 0;                     ///< sgd only
  int epochs = 1000;                       ///< for stages without their own count
  int points = 128;                        ///< collocation points
  std::string sampling = "grid";           ///< grid | jitter | uniform | sobol
  double jitter = 0.1;                     ///< sigma of jitter, in units of t
  int resample = 1;                        ///< resample every N epochs (random samplers)
  uint64_t seed = 1;
  std::string precision = "f64";           ///< f64 | f32
  int threads = 1;
  bool scaling = true;                     ///< map the interval to [-1, 1] inside the net
  std::string init = "glorot";             ///< glorot | torch
  std::string conditions = "auto";         ///< auto (hard where possible) | soft
  double condition_weight = 1.0;           ///< weight of each soft condition term
  double tolerance = 0;                    ///< stop when the loss falls below this (0: off)
  std::string backend = "jit";             ///< jit | interp

  /// Applies one `key = value`; on failure returns false and sets *error to a message
  /// that says what is accepted. Also accepts the long names hidden, activation,
  /// optimizer, tolerance, condition-weight, and `[32, 32]` for net.
  bool set(const std::string& key, const std::string& value, std::string* error);
  /// "key=value" lines of every setting, in a fixed order (for reports and model.json).
  std::vector<std::pair<std::string, std::string>> describe() const;
};

/// Every key `set` accepts, in the order `describe` lists them.
const std::vector<std::string>& option_keys();

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_OPTIONS_H
