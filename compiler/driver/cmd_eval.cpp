// cmd_eval.cpp — `pinnc eval MODEL.json --at ... | --grid a:b:n [--derivatives]`: the
// trained solution as CSV (17 significant digits), no LLVM needed.
#include <cmath>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "driver/cli.h"
#include "driver/commands.h"
#include "driver/model_file.h"
#include "train/files.h"
#include "train/session.h"

namespace pinnc::driver {

namespace {

bool parse_number(const std::string& s, double* v) {
  char* end = nullptr;
  *v = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && std::isfinite(*v);
}

/// "0,0.5,2.5" -> points; false with *error.
bool parse_at(const std::string& text, std::vector<double>* t, std::string* error) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    double v;
    if (!parse_number(item, &v)) {
      *error = fmt::format("--at: '{}' is not a number (expected e.g. --at 0,0.5,2.5)", item);
      return false;
    }
    t->push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

/// "a:b:n" -> n evenly spaced points from a to b inclusive.
bool parse_grid(const std::string& text, std::vector<double>* t, std::string* error) {
  auto c1 = text.find(':'), c2 = text.rfind(':');
  double a, b, n;
  if (c1 == std::string::npos || c1 == c2 || !parse_number(text.substr(0, c1), &a) ||
      !parse_number(text.substr(c1 + 1, c2 - c1 - 1), &b) || !parse_number(text.substr(c2 + 1), &n) ||
      n != std::floor(n) || n < 1 || n > 1e7) {
    *error = fmt::format("--grid: '{}' is not a:b:n with n a whole number in 1..1e7 (e.g. --grid 0:5:11)", text);
    return false;
  }
  const auto count = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < count; ++i) t->push_back(count == 1 ? a : a + (b - a) * double(i) / double(count - 1));
  if (count > 1) t->back() = b;
  return true;
}

/// `--param k=1.7,w=2` (the option may be repeated) -> the values of a bundle's ranged
/// parameters in `model` (a copy, evaluated by the caller). Every ranged parameter needs
/// a value; a value outside its range is extrapolation and gets a warning.
bool apply_params(const std::vector<std::string>& items, train::Model* model, std::string* error) {
  std::vector<bool> given(model->bundle.size(), false);
  for (const std::string& text : items) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t comma = text.find(',', start);
      const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const std::size_t eq = item.find('=');
      double v = 0;
      if (eq == std::string::npos || !parse_number(item.substr(eq + 1), &v)) {
        *error = fmt::format("--param: '{}' is not NAME=VALUE (e.g. --param k=1.7)", item);
        return false;
      }
      const std::string name = item.substr(0, eq);
      std::size_t i = 0;
      while (i < model->bundle.size() && model->bundle[i].name != name) ++i;
      if (i == model->bundle.size()) {
        std::string ranged;
        for (const auto& r : model->bundle) ranged += (ranged.empty() ? "" : ", ") + r.name;
        *error = model->bundle.empty()
                     ? fmt::format("--param {}: the model is not a solution bundle; its parameters are fixed", name)
                     : fmt::format("--param {}: not a ranged parameter of this model (those are: {})", name, ranged);
        return false;
      }
      const auto& r = model->bundle[i];
      if (v < r.lower || v > r.upper)
        std::fprintf(stderr, "pinnc eval: warning: %s = %g lies outside the trained range [%g, %g]; the values are "
                     "extrapolation\n", name.c_str(), v, r.lower, r.upper);
      model->params[static_cast<std::size_t>(r.index)].second = v;
      given[i] = true;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (std::size_t i = 0; i < given.size(); ++i)
    if (!given[i]) {
      const auto& r = model->bundle[i];
      *error = fmt::format("the model is a solution bundle over {} in [{}, {}]; give its value with --param {}=VALUE",
                           r.name, r.lower, r.upper, r.name);
      return false;
    }
  return true;
}

}  // namespace

int eval_main(int argc, char** argv) {
  CLI::App app{"Evaluate a trained solution (model.json) at given points; prints CSV", "pinnc eval"};
  std::string model_path, at, grid;
  bool derivatives = false;
  std::vector<std::string> param_values;
  app.add_option("MODEL", model_path, "model.json written by pinnc train, or the run's folder")->required();
  auto* at_opt = app.add_option("--at", at, "comma-separated points, e.g. 0,0.5,2.5");
  app.add_option("--grid", grid, "a:b:n, n evenly spaced points from a to b inclusive")->excludes(at_opt);
  app.add_flag("--derivatives,-d", derivatives, "also print y', y'', ... up to each unknown's order");
  app.add_option("--param", param_values, "a solution bundle's parameter values, e.g. --param k=1.7 (or k=1.7,w=2)");
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;
  std::vector<double> t;
  std::string error;
  if (at.empty() && grid.empty()) {
    std::fprintf(stderr, "pinnc eval: give the points with --at 0,0.5,2.5 or --grid a:b:n\n");
    return 2;
  }
  if (!(at.empty() ? parse_grid(grid, &t, &error) : parse_at(at, &t, &error))) {
    std::fprintf(stderr, "pinnc eval: %s\n", error.c_str());
    return 2;
  }
  LoadedModel loaded;
  if (int rc = load_model_file("eval", model_path, &loaded)) return rc;
  train::Model model = loaded.model;
  if (!apply_params(param_values, &model, &error)) {
    std::fprintf(stderr, "pinnc eval: %s\n", error.c_str());
    return 2;
  }
  const auto& prep = loaded.prep;
  const Problem& p = prep->problem;
  std::size_t outside = 0;
  for (double x : t) outside += (x < p.t0 || x > p.t1);
  if (outside)
    std::fprintf(stderr,
                 "pinnc eval: warning: %zu of %zu points lie outside the trained interval [%g, %g]; the values "
                 "there are extrapolation, which a trained network does poorly\n",
                 outside, t.size(), p.t0, p.t1);
  const int order = derivatives ? p.order : 0;
  std::vector<double> u;
  train::evaluate_model(*prep, model, t, order, &u);
  const std::size_t n = t.size();
  std::string out = p.indep_name;
  for (const Unknown& un : p.unknowns)
    for (int k = 0; k <= (derivatives ? un.order : 0); ++k) out += "," + train::derivative_name(un.name, k);
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += train::format_number(t[i]);
    for (std::size_t j = 0; j < p.unknowns.size(); ++j)
      for (int k = 0; k <= (derivatives ? p.unknowns[j].order : 0); ++k)
        out += "," + train::format_number(u[(j * (order + 1) + k) * n + i]);
    out += '\n';
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace pinnc::driver
