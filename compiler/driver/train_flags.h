// train_flags.h — the training settings as command-line flags (`--net 32,32`, ...), the
// same names as `set` statements in a file; shared by `pinnc train` and `pinnc emit`.
#ifndef PINNC_DRIVER_TRAIN_FLAGS_H
#define PINNC_DRIVER_TRAIN_FLAGS_H

#include <map>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "frontend/source.h"
#include "sema/problem.h"
#include "settings/options.h"

namespace pinnc::driver {

/// Flag values as given (unset flags are absent).
struct TrainFlags {
  std::map<std::string, std::string> values;
};

/// Adds one `--KEY VALUE` option per training setting.
void add_train_flags(CLI::App& app, TrainFlags& flags);

/// Applies the file's `set` statements, then the flags (flags win). On an invalid value
/// prints a located diagnostic (file settings) or a usage message (flags) to stderr and
/// returns 1 (input error) or 2 (usage error); 0 on success.
int apply_settings(const Problem& problem, const SourceFile& src, const TrainFlags& flags,
                   TrainOptions* opt);

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_TRAIN_FLAGS_H
