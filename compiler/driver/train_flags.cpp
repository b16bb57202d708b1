// train_flags.cpp — see train_flags.h.
#include "driver/train_flags.h"

#include <fmt/format.h>

namespace pinnc::driver {

void add_train_flags(CLI::App& app, TrainFlags& flags) {
  for (const SettingInfo& setting : setting_schema()) {
    const std::string key = setting.key;
    app.add_option_function<std::string>(
           "--" + key, [&flags, key](const std::string& v) { flags.values[key] = v; }, setting.help)
        ->group("Training settings (also `set KEY = VALUE` in the file; flags win)");
  }
}

int apply_settings(const Problem& problem, const SourceFile& src, const TrainFlags& flags,
                   TrainOptions* opt) {
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
  for (const std::string& key : option_keys()) {
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
