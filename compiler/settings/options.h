// options.h — the training settings schema: every key, its type, its default and its
// help text in one place, shared by `pinnc train` flags, `set key = value` lines (sema
// validates them through this parser), the REPL's `:train key=value` and the emitted
// solver (which prints the runtime settings these map to, compiler/train/session.cpp
// trainer_settings()). The lowest layer of the compiler besides the runtime's headers:
// it includes only the runtime's named choices (runtime/include/pinnc/choices.h).
#ifndef PINNC_SETTINGS_OPTIONS_H
#define PINNC_SETTINGS_OPTIONS_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pinnc/choices.h"

namespace pinnc {

enum class Precision { f64, f32 };
enum class ConditionChoice { automatic, soft };  ///< auto: exact (hard) where possible
enum class BackendChoice { jit, interp };
enum class InitChoice { glorot, torch };         ///< rt::Init::glorot_normal, torch_uniform

/// One stage of the optimizer schedule, e.g. "adam:2000".
struct OptimizerStage {
  rt::OptimizerKind optimizer = rt::OptimizerKind::adam;
  int epochs = 0;  ///< 0: a share of TrainOptions::epochs (see stage_epochs)
};

/// The settings of one training run. Member initialisers are the defaults.
struct TrainOptions {
  std::vector<int> net;  ///< hidden layer widths; empty: auto (hidden_widths())
  rt::Activation activation = rt::Activation::tanh;
  std::vector<OptimizerStage> schedule{{rt::OptimizerKind::adam, 300}, {rt::OptimizerKind::lm, 200}};
  double lr = 0;        ///< 0: the optimizer's default (default_lr)
  double momentum = 0;  ///< sgd only
  /// The total budget, 0 when not given. `epochs = N` scales the default schedule to N
  /// epochs in proportion, splits what the stages' own counts leave among the stages
  /// without one, and is refused when the user's schedule fixes every stage otherwise.
  int epochs = 0;
  bool schedule_given = false;  ///< `opt` was set (not the default schedule)
  int points = 128;     ///< collocation points
  rt::Sampling sampling = rt::Sampling::grid;
  double jitter = 0.1;  ///< sigma of jitter, in units of t
  int resample = 1;     ///< resample every N epochs (random samplers)
  uint64_t seed = 1;
  Precision precision = Precision::f64;
  int threads = 0;  ///< 0: auto, one per core (rt::TrainerSettings::threads); the bits do not depend on it
  bool scaling = true;  ///< map the interval to [-1, 1] inside the net
  InitChoice init = InitChoice::glorot;
  ConditionChoice conditions = ConditionChoice::automatic;
  double condition_weight = 1.0;  ///< weight of each soft condition term
  double data_weight = 1.0;       ///< weight of the data term (`data` statements)
  double data_noise = 0.0;        ///< the measurements' standard deviation (0: estimated)
  int bundle_samples = 0;         ///< values per ranged parameter a bundle trains on (0: auto)
  double tolerance = 0;           ///< stop when the loss falls below this (0: off)
  /// The LLVM JIT; the interpreter in a build without LLVM (PINNC_WITH_LLVM=OFF: the
  /// sanitizer build, where the whole test suite runs on it).
#ifdef PINNC_DEFAULT_BACKEND_INTERP
  BackendChoice backend = BackendChoice::interp;
#else
  BackendChoice backend = BackendChoice::jit;
#endif
  /// The target error of the verdict: |u_j - reference| <= rtol * scale_j + atol on the
  /// evaluation grid, scale_j = max |reference_j| (README: "How the verdict is reached").
  double rtol = 1e-6;
  double atol = 0;
  /// Time-marching (runtime/include/pinnc/post/march.h): "off", "auto" or "on".
  std::string windows = "auto";
  /// Seconds for the whole training (time-marching's refinement stops then): 55, so that a
  /// default run, compile and evaluation included, ends within a minute.
  double budget = 55;
  /// GiB the run may hold, estimated before training (runtime/include/pinnc/post/limits.h);
  /// 0 (auto): 80% of the machine's memory.
  double memory_gib = 0;

  /// Applies one `key = value`; on failure returns false and sets *error to a message
  /// that says what is accepted. Also accepts the long names of setting_aliases().
  bool set(const std::string& key, const std::string& value, std::string* error);
  /// (key, value) of every setting in schema order, values written as `set` accepts them
  /// (for reports, model.json and the REPL's :save).
  std::vector<std::pair<std::string, std::string>> describe() const;
  /// The value of one setting as describe() writes it ("" for an unknown key).
  std::string value_of(const std::string& key) const;

  bool f32() const { return precision == Precision::f32; }
  /// Epochs of stage i: its own count, else its share of `epochs` (1000 when no budget).
  int stage_epochs(std::size_t i) const;
  /// The sum of stage_epochs: what `describe` writes for `epochs`.
  int64_t total_epochs() const;
  /// "adam:300,lm:200": the schedule with every stage's epochs.
  std::string stages() const;
  /// The hidden widths: `net`, or with auto 24,24 for up to 5 unknowns and 16,16 for more.
  /// Measured on bench/suite (bench/suite/README.md): least squares costs about the square
  /// of the weights an epoch, and the output layer grows with the unknowns, so narrower
  /// layers let linear systems of 6 and 10 unknowns march further within the budget (10:
  /// from 1.3e-3 at the budget to trusted in 45 s); with 3-4 unknowns 16,16 was as often
  /// worse as better (SEIR: trusted in 3.9 s with 24,24, not trusted after 28 s with 16,16).
  std::vector<int> hidden_widths(std::size_t n_unknowns) const;
};

/// One row of the schema.
struct SettingInfo {
  const char* key;   ///< the flag name (--key) and the `set` key
  const char* help;  ///< what it means and which values it accepts
};

/// Every setting, in the order describe() lists them.
const std::vector<SettingInfo>& setting_schema();
/// Every key `set` accepts, in schema order.
const std::vector<std::string>& option_keys();
/// Long names that read well in a file (`set hidden = [32, 32]`) and the key they mean.
const std::vector<std::pair<std::string, std::string>>& setting_aliases();

/// The learning rate a stage uses when --lr is not given (sgd 8e-3, the others 1e-3).
double default_lr(rt::OptimizerKind kind);

/// Names as the settings spell them ("jitter", "torch", "soft", "interp", "f32").
const char* spelling(rt::Sampling s);
const char* spelling(Precision p);
const char* spelling(ConditionChoice c);
const char* spelling(BackendChoice b);
const char* spelling(InitChoice i);

}  // namespace pinnc

#endif  // PINNC_SETTINGS_OPTIONS_H
