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

}  // namespace

int eval_main(int argc, char** argv) {
  CLI::App app{"Evaluate a trained solution (model.json) at given points; prints CSV", "pinnc eval"};
  std::string model_path, at, grid;
  bool derivatives = false;
  app.add_option("MODEL", model_path, "model.json written by pinnc train, or the run's folder")->required();
  auto* at_opt = app.add_option("--at", at, "comma-separated points, e.g. 0,0.5,2.5");
  app.add_option("--grid", grid, "a:b:n, n evenly spaced points from a to b inclusive")->excludes(at_opt);
  app.add_flag("--derivatives,-d", derivatives, "also print y', y'', ... up to each unknown's order");
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
  const train::Model& model = loaded.model;
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
