// files.cpp — reading whole files with messages that say what went wrong.
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


}  // namespace pinnc::train
