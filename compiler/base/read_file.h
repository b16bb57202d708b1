// read_file.h — reading a whole input file with a size limit checked before the text is
// held in memory (a 10 GB file, /dev/zero or a pipe that never ends is refused with a
// message, not read until memory runs out).
#ifndef PINNC_BASE_READ_FILE_H
#define PINNC_BASE_READ_FILE_H

#include <cstddef>
#include <filesystem>
#include <string>

namespace pinnc {

/// The largest input pinnc reads: a .ode file, a model.json, a data CSV, an XPPAUT file.
inline constexpr std::size_t kMaxInputBytes = std::size_t(64) << 20;  // 64 MiB

/// Reads `path` into *content. False with *error ("'x' is a folder, not a file", "cannot
/// open 'x': <errno text>", "'x' is over the 64 MiB limit on input files", ...) otherwise.
bool read_whole_file(const std::filesystem::path& path, std::string* content, std::string* error,
                     std::size_t max_bytes = kMaxInputBytes);

}  // namespace pinnc

#endif  // PINNC_BASE_READ_FILE_H
