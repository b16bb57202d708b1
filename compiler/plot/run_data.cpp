// run_data.cpp — RunData from a run's folder (model.json, solution.csv, loss.csv), from a
// session in memory, and the extrapolation beyond the trained interval.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "plot/plot.h"
#include "train/files.h"
#include "pinnc/post/reference.h"
#include "plan/reference.h"

namespace pinnc::plot {

namespace fs = std::filesystem;

namespace {

/// A CSV file as a header and rows of fields (no quoting: pinnc writes none).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
};

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = line.find(sep, start);
    out.push_back(line.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

bool read_csv(const fs::path& path, Csv* csv, std::string* error) {
  std::string text;
  if (!train::read_file(path, &text, error)) return false;
  std::vector<std::string> lines = split(text, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.size() < 2) {
    *error = fmt::format("{}: expected a header and at least one row", path.string());
    return false;
  }
  csv->header = split(lines[0], ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    csv->rows.push_back(split(lines[i], ','));
    if (csv->rows.back().size() != csv->header.size()) {
      *error = fmt::format("{}:{}: {} fields, the header has {}", path.string(), i + 1,
                           csv->rows.back().size(), csv->header.size());
      return false;
    }
  }
  return true;
}

bool number_column(const Csv& csv, int col, const fs::path& path, std::vector<double>* out,
                   std::string* error) {
  out->clear();
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string& s = csv.rows[i][static_cast<std::size_t>(col)];
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) {
      *error = fmt::format("{}:{}: '{}' in column {} is not a number", path.string(), i + 2, s,
                           csv.header[static_cast<std::size_t>(col)]);
      return false;
    }
    out->push_back(v);
  }
  return true;
}

bool required_column(const Csv& csv, const std::string& name, const fs::path& path,
                     std::vector<double>* out, std::string* error) {
  int col = csv.column(name);
  if (col < 0) {
    *error = fmt::format(
        "{}: no column '{}' (the model's problem has it; was the file written for another run?)",
        path.string(), name);
    return false;
  }
  return number_column(csv, col, path, out, error);
}

bool read_solution(const fs::path& path, const train::Model& m, RunData* d, std::string* error) {
  Csv csv;
  if (!read_csv(path, &csv, error)) return false;
  if (!required_column(csv, m.variable, path, &d->t, error)) return false;
  for (const train::ModelUnknown& u : m.unknowns)
    for (int k = 1; k <= u.order; ++k) {
      d->derivative_names.push_back(train::derivative_name(u.name, k));
      d->derivatives.emplace_back();
      if (!required_column(csv, d->derivative_names.back(), path, &d->derivatives.back(), error)) return false;
    }
  for (const train::ModelUnknown& u : m.unknowns) {
    d->u.emplace_back();
    if (!required_column(csv, u.name, path, &d->u.back(), error)) return false;
    d->ref.emplace_back();
    for (const char* kind : {"exact", "reference"}) {
      int col = csv.column(u.name + "_" + kind);
      if (col < 0) continue;
      if (!number_column(csv, col, path, &d->ref.back(), error)) return false;
      d->reference_kind = kind;
    }
    d->bound.emplace_back();
    if (int col = csv.column(u.name + "_error_bound"); col >= 0 && !number_column(csv, col, path, &d->bound.back(), error))
      return false;
  }
  for (std::size_t i = 0; i < csv.header.size(); ++i) {
    const std::string& h = csv.header[i];
    if (h.rfind("residual", 0) != 0) continue;
    d->residual.emplace_back();
    if (!number_column(csv, static_cast<int>(i), path, &d->residual.back(), error)) return false;
  }
  if (d->residual.empty()) {
    *error = fmt::format("{}: no residual column", path.string());
    return false;
  }
  return true;
}

bool read_loss(const fs::path& path, RunData* d, std::string* error) {
  Csv csv;
  if (!read_csv(path, &csv, error)) return false;
  if (csv.header.size() < 3 || csv.header[0] != "epoch" || csv.header[1] != "optimizer") {
    *error = fmt::format("{}: expected the columns epoch,optimizer,total,...", path.string());
    return false;
  }
  if (!number_column(csv, 0, path, &d->epoch, error)) return false;
  for (const auto& row : csv.rows) d->optimizer.push_back(row[1]);
  for (std::size_t c = 2; c < csv.header.size(); ++c) {
    d->loss.emplace_back(csv.header[c], std::vector<double>{});
    if (!number_column(csv, static_cast<int>(c), path, &d->loss.back().second, error)) return false;
  }
  return true;
}

}  // namespace

bool read_run(const fs::path& dir, RunData* data, train::Model* model_out, std::string* error) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    *error = fmt::format("{}: no such folder (give the --out folder of a pinnc train run)",
                         dir.string());
    return false;
  }
  const fs::path model_path = dir / "model.json";
  if (!fs::exists(model_path, ec)) {
    *error = fmt::format("{}: no model.json here; is this a folder written by pinnc train?",
                         dir.string());
    return false;
  }
  std::string text;
  if (!train::read_file(model_path, &text, error)) return false;
  train::Model m;
  if (!train::from_json(text, &m, error)) {
    *error = fmt::format("{}: {}", model_path.string(), *error);
    return false;
  }
  RunData d;
  d.file = m.source_file;
  d.variable = m.variable;
  d.t0 = m.t0, d.t1 = m.t1;
  for (const train::ModelUnknown& u : m.unknowns) d.unknowns.push_back(u.name);
  if (!read_solution(dir / "solution.csv", m, &d, error) || !read_loss(dir / "loss.csv", &d, error))
    return false;
  *data = std::move(d);
  if (model_out) *model_out = std::move(m);
  return true;
}

RunData from_session(const train::Prepared& prep, const train::TrainReport& rep) {
  const Problem& p = prep.problem;
  const int K = prep.abi.order;
  const std::size_t n = rep.grid.size();
  RunData d;
  d.file = p.file_name;
  d.variable = p.indep_name;
  d.t0 = p.t0, d.t1 = p.t1;
  d.t = rep.grid;
  d.reference_kind = rep.reference_kind;
  for (std::size_t j = 0; j < p.unknowns.size(); ++j) {
    d.unknowns.push_back(p.unknowns[j].name);
    const double* col = rep.u.data() + j * std::size_t(K + 1) * n;
    d.u.emplace_back(col, col + n);
    const bool has = j < rep.reference.size() && n > 0 && std::isfinite(rep.reference[j][0]);
    d.ref.push_back(has ? rep.reference[j] : std::vector<double>{});
    d.bound.emplace_back();
    if (rep.bound_curve.size() == n && j < rep.scale.size())
      for (double b : rep.bound_curve) d.bound.back().push_back(b * rep.scale[j]);
  }
  for (std::size_t j = 0; j < p.unknowns.size(); ++j)
    for (int k = 1; k <= p.unknowns[j].order; ++k) {
      d.derivative_names.push_back(train::derivative_name(p.unknowns[j].name, k));
      const double* col = rep.u.data() + (j * std::size_t(K + 1) + std::size_t(k)) * n;
      d.derivatives.emplace_back(col, col + n);
    }
  for (std::size_t e = 0; n > 0 && e < rep.residuals.size() / n; ++e)
    d.residual.emplace_back(rep.residuals.begin() + std::ptrdiff_t(e * n),
                            rep.residuals.begin() + std::ptrdiff_t((e + 1) * n));
  // The columns of loss.csv, in its order.
  std::vector<std::string> names{"total", "residual", "conditions"};
  const std::size_t E = rep.history.empty() ? 0 : rep.history.front().equation.size();
  const std::size_t C = rep.history.empty() ? 0 : rep.history.front().condition.size();
  for (std::size_t e = 0; e < E; ++e) names.push_back(fmt::format("equation{}", e + 1));
  for (std::size_t c = 0; c < C; ++c) names.push_back(fmt::format("condition{}", c + 1));
  for (const std::string& name : names) d.loss.emplace_back(name, std::vector<double>{});
  for (const train::LossRow& r : rep.history) {
    d.epoch.push_back(double(r.epoch));
    d.optimizer.push_back(r.optimizer);
    d.loss[0].second.push_back(r.total);
    d.loss[1].second.push_back(r.residual);
    d.loss[2].second.push_back(r.conditions);
    for (std::size_t e = 0; e < E; ++e) d.loss[3 + e].second.push_back(r.equation[e]);
    for (std::size_t c = 0; c < C; ++c) d.loss[3 + E + c].second.push_back(r.condition[c]);
  }
  return d;
}

bool add_extrapolation(train::Prepared& prep, const train::Model& model, double T, RunData* data,
                       std::string* error) {
  const double t0 = prep.problem.t0, t1 = prep.problem.t1;
  if (!std::isfinite(T) || (T >= t0 && T <= t1)) {
    *error = fmt::format(
        "--extrapolate {:g}: give a point outside the trained interval [{:g}, {:g}]", T, t0, t1);
    return false;
  }
  constexpr std::size_t n = 1001;
  const double lo = std::min(T, t0), hi = std::max(T, t1);
  std::vector<double> grid(n);
  for (std::size_t i = 0; i < n; ++i) grid[i] = lo + (hi - lo) * double(i) / double(n - 1);
  grid.back() = hi;
  std::vector<double> u;
  train::evaluate_model(prep, model, grid, 0, &u);
  const std::size_t U = prep.problem.unknowns.size();
  data->ext_t = grid;
  data->ext_u.assign(U, {});
  data->ext_ref.assign(U, {});
  for (std::size_t j = 0; j < U; ++j)
    data->ext_u[j].assign(u.begin() + std::ptrdiff_t(j * n),
                          u.begin() + std::ptrdiff_t((j + 1) * n));
  // The reference where the trained run had one: the exact solution, else the integrator.
  const int K = prep.abi.order;
  bool missing = false;
  if (prep.abi.kernels.exact_f64) {
    std::vector<double> ex(U * std::size_t(K + 1) * n, std::nan(""));
    prep.abi.kernels.exact_f64(prep.abi.kernels.ctx, static_cast<int64_t>(n), grid.data(), prep.params.data(),
                               ex.data());
    for (std::size_t j = 0; j < U; ++j) {
      const double* col = ex.data() + j * std::size_t(K + 1) * n;
      bool any = false;
      for (std::size_t i = 0; i < n; ++i) any = any || std::isfinite(col[i]);
      if (any)
        data->ext_ref[j].assign(col, col + n);
      else
        missing = true;
    }
  } else {
    missing = true;
  }
  if (missing) {
    post::ReferenceResult r = post::solve_reference(prep.abi, prep.reference_plan, grid, prep.params.data());
    if (r.ok)
      for (std::size_t j = 0; j < U; ++j)
        if (data->ext_ref[j].empty()) data->ext_ref[j] = r.values[j];
  }
  return true;
}

std::vector<std::string> phase_names(const std::vector<std::string>& unknowns, const std::vector<int>& orders) {
  std::vector<std::string> names = unknowns;
  for (std::size_t j = 0; j < unknowns.size(); ++j)
    for (int k = 1; j < orders.size() && k <= orders[j]; ++k) names.push_back(train::derivative_name(unknowns[j], k));
  return names;
}

std::vector<std::string> phase_names(const RunData& data) {
  std::vector<std::string> names = data.unknowns;
  names.insert(names.end(), data.derivative_names.begin(), data.derivative_names.end());
  return names;
}

bool check_phase(const std::vector<std::string>& names, const std::string& x, const std::string& y,
                 std::string* error) {
  std::string list;
  bool fx = false, fy = false;
  for (const std::string& u : names) {
    list += (list.empty() ? "" : ", ") + u;
    fx = fx || u == x, fy = fy || u == y;
  }
  if (fx && fy && x != y) return true;
  *error = names.size() < 2
               ? fmt::format("--phase needs two series; this problem has one ({})", list)
               : fmt::format("--phase {},{}: give two different unknowns or derivatives of the problem ({})", x, y,
                             list);
  return false;
}

}  // namespace pinnc::plot
