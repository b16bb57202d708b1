// fuzz_settings.cpp — libFuzzer target: the training settings parser
// (compiler/settings/options.h), which reads `set KEY = VALUE` lines, the --KEY flags of
// `pinnc train` and the REPL's :train key=value. The input is a list of settings, one a
// line (the first 64 lines), applied in order to one TrainOptions: a line's first byte
// picks the key (modulo the keys of option_keys(), then the long names of
// setting_aliases(), then one more choice that reads the key from the line's text up to
// '=') and the rest is the value. Each set() either succeeds or fails with a message and
// changes nothing; after a success every stage of the schedule has at least one epoch. At
// the end describe() lists every key in schema order, value_of() agrees with it, and what
// it writes reads back: set on a fresh TrainOptions, every described value is accepted
// and describes the same settings. Seeds: tests/fuzz/corpus/fuzz_settings (byte 35 + i
// picks key i: '#' net, '%' opt, '(' epochs, 'E' a typed key). Build and run:
// scripts/fuzz.sh [SECONDS].
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "settings/options.h"

namespace {

using Described = std::vector<std::pair<std::string, std::string>>;

/// `epochs` accepts 1..1e8, but it is derived: describe() writes the sum of the stages of
/// `opt`, which carries every count itself, and stages of up to 1e8 each can sum past
/// epochs' limit (pinnc re-reading a model's settings skips epochs for the same reason).
constexpr long long kMaxEpochs = 100000000;

/// Lines read of one input: a file or a command line sets a few dozen settings at most,
/// and every line costs a describe() (a long input of .ode seeds ran at 120 a second).
constexpr int kMaxSettings = 64;

/// The key a line's first byte picks, and its value (the rest of the line).
std::pair<std::string, std::string> key_and_value(std::string_view line) {
  const auto& keys = pinnc::option_keys();
  const auto& aliases = pinnc::setting_aliases();
  const std::size_t choices = keys.size() + aliases.size() + 1;
  const std::size_t pick = static_cast<unsigned char>(line[0]) % choices;
  const std::string_view rest = line.substr(1);
  if (pick < keys.size()) return {keys[pick], std::string(rest)};
  if (pick < keys.size() + aliases.size())
    return {aliases[pick - keys.size()].first, std::string(rest)};
  const std::size_t eq = rest.find('=');  // a key as typed: unknown names, spaces
  if (eq == std::string_view::npos) return {std::string(rest), ""};
  return {std::string(rest.substr(0, eq)), std::string(rest.substr(eq + 1))};
}

/// Every stage of the schedule runs at least one epoch.
void check_schedule(const pinnc::TrainOptions& o) {
  for (std::size_t i = 0; i < o.schedule.size(); ++i)
    if (o.stage_epochs(i) < 1) __builtin_trap();
}

/// describe() lists every key once, in schema order, and value_of() reads the same value.
void check_described(const pinnc::TrainOptions& o, const Described& d) {
  const auto& keys = pinnc::option_keys();
  if (d.size() != keys.size()) __builtin_trap();
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i].first != keys[i]) __builtin_trap();
    if (o.value_of(d[i].first) != d[i].second) __builtin_trap();
  }
}

/// What describe() writes reads back: applied in its order to fresh settings, every value
/// is accepted and the settings describe the same pairs.
void check_round_trip(const Described& d) {
  pinnc::TrainOptions fresh;
  std::string error;
  for (const auto& [key, value] : d) {
    // lr's "default" (not set: the optimizer's own rate) has no spelling that set()
    // accepts; the fresh settings have it already (test_options.cpp skips it too).
    if (key == "lr" && value == "default") continue;
    if (key == "epochs" && std::stoll(value) > kMaxEpochs) continue;
    if (!fresh.set(key, value, &error)) __builtin_trap();
  }
  if (fresh.describe() != d) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  TrainOptions o;
  Described before = o.describe();
  std::size_t start = 0;
  for (int n = 0; n < kMaxSettings && start < input.size(); ++n) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view line = input.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const auto [key, value] = key_and_value(line);
    std::string error;
    if (!o.set(key, value, &error)) {
      if (error.empty()) __builtin_trap();           // a refusal always says why
      if (o.describe() != before) __builtin_trap();  // and changes nothing
      continue;
    }
    before = o.describe();
    check_schedule(o);
  }
  check_described(o, before);
  check_round_trip(before);
  return 0;
}
