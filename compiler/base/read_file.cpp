// read_file.cpp — see read_file.h.
#include "base/read_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace pinnc {

namespace fs = std::filesystem;

namespace {

std::string size_words(std::size_t bytes) {
  if (bytes % (std::size_t(1) << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

bool read_whole_file(const fs::path& path, std::string* content, std::string* error, std::size_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = "'" + path.string() + "' is a folder, not a file";
    return false;
  }
  const std::string too_big = "'" + path.string() + "' is over the " + size_words(max_bytes) +
                              " limit on input files; pinnc does not read it";
  // A regular file's size is known before reading; devices and pipes are read in pieces
  // and stopped one byte past the limit.
  if (fs::is_regular_file(path, ec)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_bytes) {
      *error = too_big;
      return false;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path.string() + "': " + std::strerror(errno);
    return false;
  }
  std::string text;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    text.append(buf, std::size_t(in.gcount()));
    if (text.size() > max_bytes) {
      *error = too_big;
      return false;
    }
  }
  if (in.bad()) {
    *error = "cannot read '" + path.string() + "'";
    return false;
  }
  *content = std::move(text);
  return true;
}

}  // namespace pinnc
