// files.cpp — reading whole files with messages that say what went wrong.
#include "train/files.h"

#include "base/read_file.h"

namespace pinnc::train {

namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::string* content, std::string* error) {
  return read_whole_file(path, content, error);
}

}  // namespace pinnc::train
