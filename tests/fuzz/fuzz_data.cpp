// fuzz_data.cpp — libFuzzer target: the CSV reader of `data y, z from "obs.csv"`
// (compiler/sema/data_file.cpp, docs/IDENTIFY.md) on arbitrary bytes. The reader takes its
// text only from the file a statement names, so each input is written to one file of this
// process (pinnc_fuzz_data_PID.csv in /dev/shm, else the temporary folder) and a fixed
// problem whose `data` statement names that file is compiled through the pipeline
// (pipeline/compile.h). The file is either refused with E-data-format, with a message, and
// nothing else goes wrong; or it is read into measurements of y and z: at least one row,
// fewer rows than lines and no more than the reader's limit, every time finite and inside
// the interval (within the reader's tolerance of 1e-12 of its length), every value finite
// or NaN (missing), no row with every value missing. Seeds: tests/fuzz/corpus/fuzz_data.
// Build and run: scripts/fuzz.sh [SECONDS].
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "fuzz_checks.h"
#include "pipeline/compile.h"

namespace {

constexpr std::size_t kMaxDataRows = 1000000;  // data_file.cpp's limit (docs/IDENTIFY.md)

/// This process's data file, removed when the fuzzer exits normally. In memory where there
/// is a tmpfs: on ext4 rewriting a truncated file flushes it at every close (auto_da_alloc),
/// measured 260 inputs a second against 1400 in /dev/shm.
struct DataFile {
  std::string path = folder() + "/pinnc_fuzz_data_" + std::to_string(::getpid()) + ".csv";
  ~DataFile() { std::remove(path.c_str()); }

  static std::string folder() {
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
    return std::filesystem::temp_directory_path().string();
  }

  void write(const uint8_t* data, size_t size) const {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) __builtin_trap();  // the harness's own failure, not the reader's
    if (size && std::fwrite(data, 1, size, f) != size) __builtin_trap();
    if (std::fclose(f) != 0) __builtin_trap();
  }
};

/// Identification of k from measurements of both unknowns, on [0, 5].
std::string source_for(const std::string& path) {
  return "param k = ? 0.5 in [0, 10]\n"
         "t in [0, 5]\n"
         "y' = -k*y\n"
         "z' = k*y\n"
         "y(0) = 2\n"
         "z(0) = 0\n"
         "data y, z from \"" + path + "\"\n";
}

void check_accepted(const pinnc::Problem& p, const uint8_t* data, size_t size) {
  if (p.data.size() != 1) __builtin_trap();
  const pinnc::DataSet& d = p.data[0];
  const std::size_t rows = d.t.size();
  const std::size_t lines = static_cast<std::size_t>(std::count(data, data + size, '\n')) + 1;
  if (rows == 0 || rows > kMaxDataRows || rows >= lines)
    __builtin_trap();  // the header is a line too
  if (d.unknowns.size() != 2 || d.values.size() != 2) __builtin_trap();
  for (const auto& column : d.values)
    if (column.size() != rows) __builtin_trap();
  const double eps = 1e-12 * (p.t1 - p.t0);
  for (std::size_t r = 0; r < rows; ++r) {
    if (!std::isfinite(d.t[r]) || d.t[r] < p.t0 - eps || d.t[r] > p.t1 + eps) __builtin_trap();
    bool any = false;
    for (const auto& column : d.values) {
      if (std::isinf(column[r])) __builtin_trap();
      any |= !std::isnan(column[r]);
    }
    if (!any) __builtin_trap();  // a row with every value missing is skipped
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  static const DataFile file;
  file.write(data, size);
  SourceFile src("fuzz_data.ode", source_for(file.path));
  DiagnosticEngine diags;
  std::optional<Problem> problem = compile_source(src, diags);
  fuzz::check_compile(src, diags, problem.has_value());
  // The problem is fine but for its data: the only error there can be is the file's.
  for (const Diagnostic& e : diags.diagnostics()) {
    if (e.severity() == Severity::Warning) continue;
    if (e.id != DiagId::DataFormat || e.message.empty()) __builtin_trap();
  }
  if (problem) check_accepted(*problem, data, size);
  return 0;
}
