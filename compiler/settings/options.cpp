// options.cpp — parsing and printing of training settings (see options.h).
#include "settings/options.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>

#include <fmt/format.h>

namespace pinnc {

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

template <class E>
bool parse_named(const std::string& v, std::initializer_list<E> values, E* out) {
  for (E e : values)
    if (v == spelling(e)) return *out = e, true;
  return false;
}

}  // namespace

const std::vector<SettingInfo>& setting_schema() {
  static const std::vector<SettingInfo> schema = {
      {"net", "hidden layer widths, e.g. 32,32, or auto: 24,24 for up to 5 unknowns, 16,16 for more"},
      {"act", "activation: tanh sin sigmoid softplus silu gelu leaky_relu identity"},
      {"opt", "optimizer schedule, e.g. adam:2000,lm:200 (sgd adam lbfgs lm)"},
      {"lr", "learning rate (sgd 8e-3 and adam 1e-3 by default)"},
      {"momentum", "SGD momentum"},
      {"epochs", "the total epochs: scales the default schedule, or is shared by the stages of --opt without a count"},
      {"points", "collocation points"},
      {"sampling", "grid, jitter[:sigma], uniform or sobol"},
      {"resample", "new random points every N epochs"},
      {"seed", "random seed (same seed, same result)"},
      {"precision", "f64 or f32"},
      {"threads", "threads for the epoch's point blocks, or auto (one per core); the result does not depend on it"},
      {"scaling", "on/off: map the interval to [-1, 1] inside the network"},
      {"init", "glorot or torch (PyTorch's uniform(1/sqrt(fan_in)))"},
      {"conditions", "auto (exact where possible) or soft (loss terms)"},
      {"cond-weight", "weight of each soft condition in the loss"},
      {"bundle-samples", "values per ranged parameter (param k in [a, b]) that a bundle trains on; auto: 9 for one, 5 for two, 3 for more"},
      {"data-noise", "the measurements' noise (standard deviation, in their units) for standard errors and the fit's verdict; 0: estimated from the misfit"},
      {"data-weight", "weight of the data term (mean squared misfit of the `data` measurements) in the loss"},
      {"tol", "stop when the loss falls below this"},
      {"backend", "jit (LLVM) or interp (interpreter, no LLVM)"},
      {"rtol", "target error relative to the solution's scale (the verdict: met or not)"},
      {"atol", "absolute floor of the target error"},
      {"windows", "time-marching for initial value problems: off, auto (when one network misses the target) or on"},
      {"budget", "wall-clock seconds the training may take in all (time-marching stops refining when it is spent), e.g. 60 or 60s"},
      {"memory", "GiB the run may hold, estimated before training starts (a larger run is refused), or auto (80% of this machine's memory)"},
  };
  return schema;
}

const std::vector<std::string>& option_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const SettingInfo& s : setting_schema()) k.push_back(s.key);
    return k;
  }();
  return keys;
}

const std::vector<std::pair<std::string, std::string>>& setting_aliases() {
  static const std::vector<std::pair<std::string, std::string>> aliases = {
      {"hidden", "net"}, {"activation", "act"}, {"optimizer", "opt"}, {"tolerance", "tol"},
      {"condition-weight", "cond-weight"}, {"data_weight", "data-weight"}, {"bundle_samples", "bundle-samples"}, {"data_noise", "data-noise"}};
  return aliases;
}

double default_lr(rt::OptimizerKind kind) { return kind == rt::OptimizerKind::sgd ? 8e-3 : 1e-3; }

const char* spelling(rt::Sampling s) {
  switch (s) {
    case rt::Sampling::grid: return "grid";
    case rt::Sampling::jittered_grid: return "jitter";
    case rt::Sampling::uniform: return "uniform";
    case rt::Sampling::sobol: return "sobol";
  }
  return "?";
}
const char* spelling(Precision p) { return p == Precision::f32 ? "f32" : "f64"; }
const char* spelling(ConditionChoice c) { return c == ConditionChoice::soft ? "soft" : "auto"; }
const char* spelling(BackendChoice b) { return b == BackendChoice::interp ? "interp" : "jit"; }
const char* spelling(InitChoice i) { return i == InitChoice::torch ? "torch" : "glorot"; }

namespace {

constexpr int kStageEpochsWithoutBudget = 1000;

/// (sum of the stages' own counts, number of stages without one).
std::pair<int64_t, int> fixed_and_free(const std::vector<OptimizerStage>& schedule) {
  int64_t fixed = 0;
  int free = 0;
  for (const OptimizerStage& s : schedule) s.epochs ? void(fixed += s.epochs) : void(++free);
  return {fixed, free};
}

}  // namespace

int TrainOptions::stage_epochs(std::size_t i) const {
  if (schedule[i].epochs) return schedule[i].epochs;
  if (epochs == 0) return kStageEpochsWithoutBudget;
  const auto [fixed, free] = fixed_and_free(schedule);
  const int64_t left = epochs - fixed, share = left / free;
  // The last stage without a count takes the remainder.
  std::size_t last = 0;
  for (std::size_t k = 0; k < schedule.size(); ++k)
    if (!schedule[k].epochs) last = k;
  return static_cast<int>(i == last ? left - share * (free - 1) : share);
}

int64_t TrainOptions::total_epochs() const {
  int64_t total = 0;
  for (std::size_t i = 0; i < schedule.size(); ++i) total += stage_epochs(i);
  return total;
}

std::string TrainOptions::stages() const {
  std::string out;
  for (std::size_t i = 0; i < schedule.size(); ++i)
    out += fmt::format("{}{}:{}", out.empty() ? "" : ",", rt::optimizer_name(schedule[i].optimizer), stage_epochs(i));
  return out;
}

std::string TrainOptions::value_of(const std::string& key) const {
  for (const auto& [k, v] : describe())
    if (k == key) return v;
  return "";
}

bool TrainOptions::set(const std::string& key_in, const std::string& value_in, std::string* error) {
  std::string key = trim(key_in), value = trim(value_in);
  for (const auto& [alias, name] : setting_aliases())
    if (key == alias) key = name;
  if (key == "net" && value.size() >= 2 && value.front() == '[' && value.back() == ']')
    value = trim(value.substr(1, value.size() - 2));
  long long n = 0;
  double d = 0;
  auto fail = [&](const std::string& what) {
    *error = fmt::format("invalid value '{}' for '{}': {}", value, key, what);
    return false;
  };
  if (key == "net" && value == "auto") {
    net.clear();
  } else if (key == "net") {
    std::vector<int> widths;
    for (const std::string& w : split(value, ','))
      if (!parse_int(w, 1, 4096, &n)) return fail("expected auto or hidden widths such as 32,32 (each 1..4096)");
      else widths.push_back(static_cast<int>(n));
    if (widths.size() > 16) return fail("at most 16 hidden layers");
    net = widths;
  } else if (key == "act") {
    // Only the canonical names (the runtime also reads aliases such as "swish").
    rt::Activation a{};
    if (!rt::parse_activation(value, a) || value != rt::activation_name(a))
      return fail("expected one of tanh, sin, sigmoid, softplus, silu, gelu, leaky_relu, identity");
    activation = a;
  } else if (key == "opt") {
    std::vector<OptimizerStage> stages;
    for (const std::string& part : split(value, ',')) {
      auto colon = part.find(':');
      const std::string name = trim(part.substr(0, colon));
      OptimizerStage s;
      if (!rt::parse_optimizer(name, s.optimizer) || name != rt::optimizer_name(s.optimizer))
        return fail("expected optimizers from sgd, adam, lbfgs, lm, chained as adam:2000,lm:200");
      if (colon != std::string::npos) {
        if (!parse_int(part.substr(colon + 1), 1, 100000000, &n)) return fail("epochs after ':' must be a positive integer");
        s.epochs = static_cast<int>(n);
      }
      stages.push_back(s);
    }
    // A total given before (`set epochs` earlier in the file) is shared by the stages
    // without a count: each must get at least one epoch.
    if (const auto [fixed, free] = fixed_and_free(stages); epochs != 0 && free > 0 && epochs - fixed < free)
      return fail(fmt::format("the stages with their own counts take {} of the {} epochs, which leaves fewer than one "
                              "for each stage without a count",
                              fixed, epochs));
    schedule = stages;
    schedule_given = true;
  } else if (key == "lr") {
    if (!parse_double(value, &d) || d <= 0) return fail("expected a positive number such as 1e-3");
    lr = d;
  } else if (key == "momentum") {
    if (!parse_double(value, &d) || d < 0 || d >= 1) return fail("expected a number in [0, 1)");
    momentum = d;
  } else if (key == "epochs") {
    if (!parse_int(value, 1, 100000000, &n)) return fail("expected a positive integer");
    const auto [fixed, free] = fixed_and_free(schedule);
    if (free > 0) {
      // Stages without a count share what the others leave (`--opt sgd --epochs 10000`).
      if (n - fixed < free)
        return fail(fmt::format("the stages with their own counts in opt = {} already take {} epochs", stages(), fixed));
    } else if (n != fixed) {
      if (schedule_given)
        return fail(fmt::format("every stage of opt = {} has its own epoch count, so the total cannot be {}; "
                                "give the counts in opt, or leave them out (opt = adam,lm) to share the total",
                                stages(), n));
      // The default schedule: scale every stage in proportion, the last takes the rest.
      if (n < static_cast<long long>(schedule.size()))
        return fail(fmt::format("the schedule {} needs at least {} epochs", stages(), schedule.size()));
      long long used = 0;
      for (std::size_t i = 0; i + 1 < schedule.size(); ++i) {
        const long long share = std::max<long long>(1, (n * schedule[i].epochs + fixed / 2) / fixed);
        schedule[i].epochs = static_cast<int>(std::min<long long>(share, n - used - (long long)(schedule.size() - 1 - i)));
        used += schedule[i].epochs;
      }
      schedule.back().epochs = static_cast<int>(n - used);
    }
    epochs = static_cast<int>(n);
  } else if (key == "points") {
    if (!parse_int(value, 2, 10000000, &n)) return fail("expected an integer >= 2");
    points = static_cast<int>(n);
  } else if (key == "sampling") {
    auto colon = value.find(':');
    rt::Sampling kind{};
    if (!parse_named(trim(value.substr(0, colon)),
                     {rt::Sampling::grid, rt::Sampling::jittered_grid, rt::Sampling::uniform, rt::Sampling::sobol},
                     &kind))
      return fail("expected grid, jitter[:sigma], uniform or sobol");
    if (colon != std::string::npos) {
      if (kind != rt::Sampling::jittered_grid || !parse_double(value.substr(colon + 1), &d) || d < 0)
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
    if (!parse_named(value, {Precision::f64, Precision::f32}, &precision)) return fail("expected f64 or f32");
  } else if (key == "threads") {
    if (value == "auto") {
      threads = 0;
    } else {
      if (!parse_int(value, 1, 256, &n)) return fail("expected auto or an integer in 1..256");
      threads = static_cast<int>(n);
    }
  } else if (key == "scaling") {
    if (value != "on" && value != "off") return fail("expected on or off");
    scaling = value == "on";
  } else if (key == "init") {
    if (!parse_named(value, {InitChoice::glorot, InitChoice::torch}, &init)) return fail("expected glorot or torch");
  } else if (key == "conditions") {
    if (!parse_named(value, {ConditionChoice::automatic, ConditionChoice::soft}, &conditions))
      return fail("expected auto (exact where possible) or soft");
  } else if (key == "cond-weight") {
    if (!parse_double(value, &d) || d <= 0) return fail("expected a positive number");
    condition_weight = d;
  } else if (key == "bundle-samples") {
    if (value == "auto") {
      bundle_samples = 0;
    } else {
      if (!parse_int(value, 2, 1000, &n)) return fail("expected auto or a whole number from 2 to 1000");
      bundle_samples = static_cast<int>(n);
    }
  } else if (key == "data-noise") {
    if (!parse_double(value, &d) || !(d >= 0) || !std::isfinite(d)) return fail("expected a non-negative number");
    data_noise = d;
  } else if (key == "data-weight") {
    if (!parse_double(value, &d) || !(d > 0) || !std::isfinite(d)) return fail("expected a positive number");
    data_weight = d;
  } else if (key == "tol") {
    if (!parse_double(value, &d) || d < 0) return fail("expected a non-negative number");
    tolerance = d;
  } else if (key == "rtol") {
    if (!parse_double(value, &d) || !(d > 0 && d < 1)) return fail("expected a number between 0 and 1, e.g. 1e-6");
    rtol = d;
  } else if (key == "atol") {
    if (!parse_double(value, &d) || !(d >= 0) || !std::isfinite(d)) return fail("expected a non-negative number");
    atol = d;
  } else if (key == "windows") {
    if (value != "off" && value != "auto" && value != "on") return fail("expected off, auto or on");
    windows = value;
  } else if (key == "budget") {
    std::string v = trim(value);
    if (!v.empty() && v.back() == 's') v.pop_back();
    if (!parse_double(v, &d) || !(d > 0) || d > 1e7) return fail("expected seconds, e.g. 60 or 60s");
    budget = d;
  } else if (key == "memory") {
    std::string v = trim(value);
    for (const char* unit : {"GiB", "G"})
      if (v.size() > std::strlen(unit) && v.compare(v.size() - std::strlen(unit), std::string::npos, unit) == 0)
        v.resize(v.size() - std::strlen(unit));
    if (v == "auto") {
      memory_gib = 0;
    } else {
      if (!parse_double(v, &d) || !(d > 0) || d > 1e6) return fail("expected GiB, e.g. 8 or 8G, or auto");
      memory_gib = d;
    }
  } else if (key == "backend") {
    if (!parse_named(value, {BackendChoice::jit, BackendChoice::interp}, &backend)) return fail("expected jit or interp");
  } else {
    std::string keys;
    for (const auto& k : option_keys()) keys += (keys.empty() ? "" : ", ") + k;
    *error = fmt::format("unknown setting '{}'; settings are: {}", key, keys);
    return false;
  }
  return true;
}

std::vector<int> TrainOptions::hidden_widths(std::size_t n_unknowns) const {
  if (!net.empty()) return net;
  return n_unknowns <= 5 ? std::vector<int>{24, 24} : std::vector<int>{16, 16};
}

std::vector<std::pair<std::string, std::string>> TrainOptions::describe() const {
  std::string widths = net.empty() ? "auto" : "";
  for (int w : net) widths += (widths.empty() ? "" : ",") + std::to_string(w);
  std::string samp = sampling == rt::Sampling::jittered_grid ? fmt::format("jitter:{}", jitter) : spelling(sampling);
  return {{"net", widths},
          {"act", rt::activation_name(activation)},
          {"opt", stages()},
          {"lr", lr == 0 ? "default" : fmt::format("{}", lr)},
          {"momentum", fmt::format("{}", momentum)},
          {"epochs", std::to_string(total_epochs())},
          {"points", std::to_string(points)},
          {"sampling", samp},
          {"resample", std::to_string(resample)},
          {"seed", std::to_string(seed)},
          {"precision", spelling(precision)},
          {"threads", threads == 0 ? "auto" : std::to_string(threads)},
          {"scaling", scaling ? "on" : "off"},
          {"init", spelling(init)},
          {"conditions", spelling(conditions)},
          {"cond-weight", fmt::format("{}", condition_weight)},
          {"bundle-samples", bundle_samples == 0 ? "auto" : std::to_string(bundle_samples)},
          {"data-noise", fmt::format("{}", data_noise)},
          {"data-weight", fmt::format("{}", data_weight)},
          {"tol", fmt::format("{}", tolerance)},
          {"backend", spelling(backend)},
          {"rtol", fmt::format("{}", rtol)},
          {"atol", fmt::format("{}", atol)},
          {"windows", windows},
          {"budget", fmt::format("{}", budget)},
          {"memory", memory_gib == 0 ? "auto" : fmt::format("{}", memory_gib)}};
}

}  // namespace pinnc
