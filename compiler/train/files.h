// files.h — output files that are never half-written: write to a temporary name beside
// the target, flush, then rename over it (atomic on POSIX file systems).
#ifndef PINNC_TRAIN_FILES_H
#define PINNC_TRAIN_FILES_H

#include <filesystem>
#include <string>
#include <vector>

namespace pinnc::train {

/// Creates `dir` (and parents) if needed and checks that it is writable.
bool prepare_dir(const std::filesystem::path& dir, std::string* error);

/// Writes `content` to `path` atomically. False (with *error) on any failure; the
/// previous file, if any, is then left untouched.
bool write_atomically(const std::filesystem::path& path, const std::string& content, std::string* error);

/// Writes several files so that either all are replaced or none is: every temporary is
/// written first, then all are renamed.
bool write_all_atomically(const std::vector<std::pair<std::filesystem::path, std::string>>& files,
                          std::string* error);

/// Reads a whole file. False (with *error) when it cannot be read.
bool read_file(const std::filesystem::path& path, std::string* content, std::string* error);

/// %.17g: enough digits to round-trip a double.
std::string format_number(double v);

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_FILES_H
