// data_file.cpp — `data y, z from "obs.csv"`: the measurements a problem is fitted to
// (docs/IDENTIFY.md). Reads the CSV file relative to the .ode file and reports every
// problem with it at the statement's file name, naming the row and column in the CSV.
#include <charconv>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "base/names.h"
#include "base/read_file.h"
#include "sema/scope.h"

namespace pinnc::sema {
namespace {

constexpr std::size_t kMaxDataBytes = std::size_t(64) << 20;  // 64 MiB
constexpr std::size_t kMaxDataRows = 1000000;

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  std::string out(s.substr(a, b - a));
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = line.find(',', start);
    cells.push_back(trim(std::string_view(line).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

/// A number as a CSV cell writes it (from_chars also takes "nan" and "inf"; those are
/// refused by the finiteness check).
bool parse_number(const std::string& cell, double* v) {
  const char* b = cell.data();
  const char* e = b + cell.size();
  if (b != e && *b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, *v);
  return ec == std::errc() && ptr == e && b != e;
}

}  // namespace

DataSet read_data_statement(State& st, const ast::Stmt& s, bool read_file) {
  DataSet d;
  d.file = s.raw;
  d.range = s.range;
  d.line = st.src.line_col(s.range.begin).line;
  bool names_ok = true;
  for (std::size_t i = 0; i < s.names.size(); ++i) {
    const NameEntry* n = st.find(s.names[i]);
    if (!n || n->kind != NameKind::Unknown) {
      auto diag = st.diags.report(DiagId::DataNotUnknown, s.name_ranges[i], {s.names[i]});
      std::vector<std::string> unknown_names;
      for (const Unknown& u : st.prob.unknowns) unknown_names.push_back(u.name);
      if (auto best = closest_name(s.names[i], unknown_names)) diag.hint("did you mean '" + *best + "'?");
      names_ok = false;
      continue;
    }
    for (int j : d.unknowns)
      if (j == n->index) {
        st.diags.report(DiagId::DataFormat, s.name_ranges[i], {"'" + s.names[i] + "' is named twice in this statement"});
        names_ok = false;
      }
    d.unknowns.push_back(n->index);
  }
  if (!names_ok || !read_file) return d;

  namespace fs = std::filesystem;
  fs::path path(s.raw);
  if (path.is_relative()) path = fs::path(st.src.name()).parent_path() / path;
  d.path = path.lexically_normal().string();
  auto file_error = [&](const std::string& why) {
    st.diags.report(DiagId::DataFile, s.raw_range, {d.file, d.path, why})
        .hint("a data file's path is relative to the .ode file's folder");
    d.t.clear();
    return d;
  };
  std::string text, why;
  if (!read_whole_file(path, &text, &why, kMaxDataBytes)) {
    // The diagnostic names the path already: "No such file or directory", "it is a folder".
    const std::string quoted = "'" + path.string() + "'";
    if (why.rfind("cannot open " + quoted + ": ", 0) == 0) why = why.substr(quoted.size() + 14);
    else if (why.rfind(quoted + " is", 0) == 0) why = "it" + why.substr(quoted.size());
    return file_error(why);
  }

  auto format_error = [&](int line, const std::string& why) {
    st.diags.report(DiagId::DataFormat, s.raw_range, {fmt::format("{}:{}: {}", d.file, line, why)});
    d.t.clear();
    return d;
  };
  std::istringstream lines(text);
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(lines, line)) {
    ++line_no;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    header = split(line);
  }
  if (header.empty()) return format_error(std::max(line_no, 1), "the file has no header line (column names)");
  auto column_of = [&](const std::string& name) -> int {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return int(c);
    return -1;
  };
  std::string columns;
  for (const std::string& h : header) columns += (columns.empty() ? "" : ", ") + ("'" + h + "'");
  const int t_col = column_of(st.indep_name);
  if (t_col < 0)
    return format_error(line_no, fmt::format("no column named '{}' (the independent variable); the columns are {}",
                                             st.indep_name, columns));
  std::vector<int> cols;
  for (std::size_t i = 0; i < d.unknowns.size(); ++i) {
    const std::string& name = st.prob.unknowns[std::size_t(d.unknowns[i])].name;
    const int c = column_of(name);
    if (c < 0) return format_error(line_no, fmt::format("no column named '{}'; the columns are {}", name, columns));
    cols.push_back(c);
  }
  d.values.assign(d.unknowns.size(), {});
  std::size_t outside = 0, rows = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (++rows > kMaxDataRows) return format_error(line_no, fmt::format("more than {} rows", kMaxDataRows));
    const std::vector<std::string> cells = split(line);
    if (cells.size() != header.size())
      return format_error(line_no, fmt::format("{} cells, but the header has {} columns", cells.size(), header.size()));
    auto number = [&](int c, double* v) {
      if (parse_number(cells[std::size_t(c)], v) && std::isfinite(*v)) return true;
      format_error(line_no, fmt::format("column '{}' ({}): '{}' is not a finite number", header[std::size_t(c)], c + 1,
                                        cells[std::size_t(c)]));
      return false;
    };
    double tv = 0;
    if (cells[std::size_t(t_col)].empty())
      return format_error(line_no, fmt::format("column '{}' ({}) is empty; every row needs a time", st.indep_name, t_col + 1));
    if (!number(t_col, &tv)) return d;
    std::vector<double> row(cols.size(), std::numeric_limits<double>::quiet_NaN());
    bool any = false;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (cells[std::size_t(cols[i])].empty()) continue;  // a missing value
      if (!number(cols[i], &row[i])) return d;
      any = true;
    }
    if (!any) continue;
    const double eps = 1e-12 * (st.prob.t1 - st.prob.t0);
    if (st.have_interval && (tv < st.prob.t0 - eps || tv > st.prob.t1 + eps)) {
      ++outside;
      continue;
    }
    d.t.push_back(tv);
    for (std::size_t i = 0; i < cols.size(); ++i) d.values[i].push_back(row[i]);
  }
  if (outside > 0)
    st.diags.report(DiagId::DataOutside, s.raw_range,
                    {plural(outside, "row"), d.file, st.indep_name, number_text(st.prob.t0), number_text(st.prob.t1)});
  if (d.t.empty())
    return format_error(line_no, outside > 0 ? "no measurement lies inside the interval" : "the file has no measurements");
  return d;
}

}  // namespace pinnc::sema
