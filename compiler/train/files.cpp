// files.cpp — atomic file output and small I/O helpers.
#include "train/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

namespace pinnc::train {

namespace fs = std::filesystem;

bool prepare_dir(const fs::path& dir, std::string* error) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    *error = fmt::format("'{}' exists and is not a folder; choose another --out", dir.string());
    return false;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("cannot create the output folder '{}': {}", dir.string(), ec.message());
    return false;
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    *error = fmt::format("the output folder '{}' is not writable: {}", dir.string(), std::strerror(errno));
    return false;
  }
  return true;
}

namespace {

fs::path temp_name(const fs::path& path) {
  return path.parent_path() / fmt::format(".{}.tmp{}", path.filename().string(), static_cast<long>(::getpid()));
}

bool write_temp(const fs::path& tmp, const std::string& content, std::string* error) {
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    *error = fmt::format("cannot write '{}': {}", tmp.parent_path().string(), std::strerror(errno));
    return false;
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    *error = fmt::format("cannot write '{}': {}", tmp.string(), std::strerror(errno));
    std::remove(tmp.c_str());
  }
  return ok;
}

}  // namespace

bool write_atomically(const fs::path& path, const std::string& content, std::string* error) {
  return write_all_atomically({{path, content}}, error);
}

bool write_all_atomically(const std::vector<std::pair<fs::path, std::string>>& files, std::string* error) {
  std::vector<fs::path> temps;
  for (const auto& [path, content] : files) {
    fs::path tmp = temp_name(path);
    if (!write_temp(tmp, content, error)) {
      for (const auto& t : temps) std::remove(t.c_str());
      return false;
    }
    temps.push_back(tmp);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (std::rename(temps[i].c_str(), files[i].first.c_str()) != 0) {
      *error = fmt::format("cannot replace '{}': {}", files[i].first.string(), std::strerror(errno));
      for (std::size_t k = i; k < temps.size(); ++k) std::remove(temps[k].c_str());
      return false;
    }
  }
  return true;
}

bool read_file(const fs::path& path, std::string* content, std::string* error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = fmt::format("'{}' is a folder, not a file", path.string());
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fmt::format("cannot open '{}': {}", path.string(), std::strerror(errno));
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = fmt::format("cannot read '{}'", path.string());
    return false;
  }
  *content = ss.str();
  return true;
}

std::string format_number(double v) { return fmt::format("{:.17g}", v); }

}  // namespace pinnc::train
