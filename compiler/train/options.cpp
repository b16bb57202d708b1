// options.cpp — parsing and printing of training settings.
#include "train/options.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace pinnc::train {

namespace {

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool parse_int(const std::string& s, long long lo, long long hi, long long* out) {
  std::string t = trim(s);
  long long v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool parse_double(const std::string& s, double* out) {
  std::string t = trim(s);
  if (t.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = s.find(sep, start);
    parts.push_back(trim(s.substr(start, pos - start)));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
  for (const char* o : options)
    if (v == o) return true;
  return false;
}

std::string join_options(std::initializer_list<const char*> options) {
  std::string s;
  for (const char* o : options) s += (s.empty() ? "" : ", ") + std::string(o);
  return s;
}

constexpr std::initializer_list<const char*> kActivations = {
    "tanh", "sin", "sigmoid", "softplus", "silu", "gelu", "leaky_relu", "identity"};
constexpr std::initializer_list<const char*> kOptimizers = {"sgd", "adam", "lbfgs", "lm"};

}  // namespace

const std::vector<std::string>& option_keys() {
  static const std::vector<std::string> keys = {
      "net", "act", "opt", "lr", "momentum", "epochs", "points", "sampling", "resample", "seed",
      "precision", "threads", "scaling", "init", "conditions", "cond-weight", "tol", "backend"};
  return keys;
}

bool TrainOptions::set(const std::string& key_in, const std::string& value_in, std::string* error) {
  std::string key = trim(key_in), value = trim(value_in);
  // Long names that read well in a file (`set hidden = [32, 32]`) map to the flag names.
  static const std::pair<const char*, const char*> kAliases[] = {
      {"hidden", "net"}, {"activation", "act"}, {"optimizer", "opt"}, {"tolerance", "tol"},
      {"condition-weight", "cond-weight"}};
  for (const auto& [alias, name] : kAliases)
    if (key == alias) key = name;
  if (key == "net" && value.size() >= 2 && value.front() == '[' && value.back() == ']')
    value = trim(value.substr(1, value.size() - 2));
  long long n = 0;
  double d = 0;
  auto fail = [&](const std::string& what) {
    *error = fmt::format("invalid value '{}' for '{}': {}", value, key, what);
    return false;
  };
  if (key == "net") {
    std::vector<int> widths;
    for (const std::string& w : split(value, ','))
      if (!parse_int(w, 1, 4096, &n)) return fail("expected hidden widths such as 32,32 (each 1..4096)");
      else widths.push_back(static_cast<int>(n));
    if (widths.size() > 16) return fail("at most 16 hidden layers");
    net = widths;
  } else if (key == "act") {
    if (!one_of(value, kActivations)) return fail("expected one of " + join_options(kActivations));
    activation = value;
  } else if (key == "opt") {
    std::vector<Stage> stages;
    for (const std::string& part : split(value, ',')) {
      auto colon = part.find(':');
      Stage s{trim(part.substr(0, colon)), 0};
      if (!one_of(s.optimizer, kOptimizers))
        return fail("expected optimizers from " + join_options(kOptimizers) + ", chained as adam:2000,lm:200");
      if (colon != std::string::npos) {
        if (!parse_int(part.substr(colon + 1), 1, 100000000, &n)) return fail("epochs after ':' must be a positive integer");
        s.epochs = static_cast<int>(n);
      }
      stages.push_back(s);
    }
    schedule = stages;
  } else if (key == "lr") {
    if (!parse_double(value, &d) || d <= 0) return fail("expected a positive number such as 1e-3");
    lr = d;
  } else if (key == "momentum") {
    if (!parse_double(value, &d) || d < 0 || d >= 1) return fail("expected a number in [0, 1)");
    momentum = d;
  } else if (key == "epochs") {
    if (!parse_int(value, 1, 100000000, &n)) return fail("expected a positive integer");
    epochs = static_cast<int>(n);
    // A single-stage schedule takes the epoch count, so `--opt sgd --epochs 10000` works.
    if (schedule.size() == 1) schedule[0].epochs = epochs;
  } else if (key == "points") {
    if (!parse_int(value, 2, 10000000, &n)) return fail("expected an integer >= 2");
    points = static_cast<int>(n);
  } else if (key == "sampling") {
    auto colon = value.find(':');
    std::string kind = trim(value.substr(0, colon));
    if (!one_of(kind, {"grid", "jitter", "uniform", "sobol"}))
      return fail("expected grid, jitter[:sigma], uniform or sobol");
    if (colon != std::string::npos) {
      if (kind != "jitter" || !parse_double(value.substr(colon + 1), &d) || d < 0)
        return fail("only jitter takes a parameter: jitter:0.1 (sigma >= 0)");
      jitter = d;
    }
    sampling = kind;
  } else if (key == "resample") {
    if (!parse_int(value, 1, 100000000, &n)) return fail("expected a positive integer (epochs)");
    resample = static_cast<int>(n);
  } else if (key == "seed") {
    if (!parse_int(value, 0, (1LL << 62), &n)) return fail("expected a non-negative integer");
    seed = static_cast<uint64_t>(n);
  } else if (key == "precision") {
    if (!one_of(value, {"f64", "f32"})) return fail("expected f64 or f32");
    precision = value;
  } else if (key == "threads") {
    if (!parse_int(value, 1, 256, &n)) return fail("expected an integer in 1..256");
    threads = static_cast<int>(n);
  } else if (key == "scaling") {
    if (!one_of(value, {"on", "off"})) return fail("expected on or off");
    scaling = value == "on";
  } else if (key == "init") {
    if (!one_of(value, {"glorot", "torch"})) return fail("expected glorot or torch");
    init = value;
  } else if (key == "conditions") {
    if (!one_of(value, {"auto", "soft"})) return fail("expected auto (exact where possible) or soft");
    conditions = value;
  } else if (key == "cond-weight") {
    if (!parse_double(value, &d) || d <= 0) return fail("expected a positive number");
    condition_weight = d;
  } else if (key == "tol") {
    if (!parse_double(value, &d) || d < 0) return fail("expected a non-negative number");
    tolerance = d;
  } else if (key == "backend") {
    if (!one_of(value, {"jit", "interp"})) return fail("expected jit or interp");
    backend = value;
  } else {
    std::string keys;
    for (const auto& k : option_keys()) keys += (keys.empty() ? "" : ", ") + k;
    *error = fmt::format("unknown setting '{}'; settings are: {}", key, keys);
    return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> TrainOptions::describe() const {
  std::string widths, stages;
  for (int w : net) widths += (widths.empty() ? "" : ",") + std::to_string(w);
  for (const Stage& s : schedule)
    stages += (stages.empty() ? "" : ",") + s.optimizer + ":" + std::to_string(s.epochs ? s.epochs : epochs);
  std::string samp = sampling == "jitter" ? fmt::format("jitter:{}", jitter) : sampling;
  return {{"net", widths},
          {"act", activation},
          {"opt", stages},
          {"lr", lr == 0 ? "default" : fmt::format("{}", lr)},
          {"momentum", fmt::format("{}", momentum)},
          {"epochs", std::to_string(epochs)},
          {"points", std::to_string(points)},
          {"sampling", samp},
          {"resample", std::to_string(resample)},
          {"seed", std::to_string(seed)},
          {"precision", precision},
          {"threads", std::to_string(threads)},
          {"scaling", scaling ? "on" : "off"},
          {"init", init},
          {"conditions", conditions},
          {"cond-weight", fmt::format("{}", condition_weight)},
          {"tol", fmt::format("{}", tolerance)},
          {"backend", backend}};
}

}  // namespace pinnc::train
