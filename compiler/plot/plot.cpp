// plot.cpp — write_plots: render every figure to a temporary file, then replace the
// plots in the run's folder all at once (train/files.h).
#include "plot/plot.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "plot/figure.h"
#include "train/files.h"

namespace pinnc::plot {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPlotNames[] = {"solution", "loss", "error", "phase", "extrapolation"};
constexpr const char* kExtensions[] = {".svg", ".png"};

/// Renders `fig` into a fresh temporary file and returns its bytes.
bool render_to_string(const Figure& fig, Format format, std::string* bytes, std::string* error) {
  std::error_code ec;
  fs::path tmp_dir = fs::temp_directory_path(ec);
  if (ec) tmp_dir = "/tmp";
  const std::string ext = format == Format::svg ? ".svg" : ".png";
  std::string pattern = (tmp_dir / ("pinnc-plot-XXXXXX" + ext)).string();
  int fd = ::mkstemps(pattern.data(), static_cast<int>(ext.size()));
  if (fd < 0) {
    *error = fmt::format("cannot create a temporary file in {}", tmp_dir.string());
    return false;
  }
  ::close(fd);
  const fs::path tmp(pattern);
  bool ok = render(fig, format, tmp, error) && train::read_file(tmp, bytes, error);
  fs::remove(tmp, ec);
  if (ok && bytes->empty()) {
    *error = fmt::format("PLplot wrote nothing for {}{}", fig.name, ext);
    ok = false;
  }
  return ok;
}

}  // namespace

bool write_plots(const RunData& data, const PlotOptions& options, const fs::path& dir,
                 std::vector<std::string>* written, std::string* error) {
  if (data.unknowns.empty() || data.u.size() != data.unknowns.size() || data.t.empty()) {
    *error = "nothing to plot: the run has no solution values";
    return false;
  }
  if (!options.phase_x.empty() &&
      !check_phase(phase_names(data), options.phase_x, options.phase_y, error))
    return false;
  std::vector<Format> formats{Format::svg};
  if (options.png && png_available()) formats.push_back(Format::png);
  std::vector<std::pair<fs::path, std::string>> files;
  std::vector<std::string> names;
  for (const Figure& fig : build_figures(data, options)) {
    for (Format f : formats) {
      std::string name = fig.name + (f == Format::svg ? ".svg" : ".png"), bytes;
      if (!render_to_string(fig, f, &bytes, error)) {
        *error = fmt::format("{}: {}", name, *error);
        return false;
      }
      files.emplace_back(dir / name, std::move(bytes));
      names.push_back(std::move(name));
    }
  }
  if (!train::write_all_atomically(files, error)) return false;
  if (written) *written = std::move(names);
  return true;
}

void remove_plots(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : kPlotNames)
    for (const char* ext : kExtensions) fs::remove(dir / (std::string(name) + ext), ec);
}

}  // namespace pinnc::plot
