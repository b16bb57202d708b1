// files.h — reading input files; writing output files that are never half-written (the
// runtime's post/files.h: a temporary beside the target, flushed, then renamed).
#ifndef PINNC_TRAIN_FILES_H
#define PINNC_TRAIN_FILES_H

#include <filesystem>
#include <string>
#include <vector>

#include "pinnc/post/files.h"
#include "pinnc/post/format.h"

namespace pinnc::train {

/// Output folders and atomic writes are the runtime's (shared with emitted solvers).
using post::prepare_dir;
using post::write_all_atomically;
using post::write_atomically;

/// Reads a whole file. False (with *error) when it cannot be read.
bool read_file(const std::filesystem::path& path, std::string* content, std::string* error);

/// %.17g: enough digits to round-trip a double.
using post::format_number;

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_FILES_H
