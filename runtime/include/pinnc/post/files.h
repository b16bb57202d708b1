// files.h — output files that are never half-written: each is written to a temporary
// name beside its target, flushed, then renamed over it (atomic on POSIX file systems).
// One definition for `pinnc train`, the REPL, `pinnc emit` and every emitted solver.
#ifndef PINNC_POST_FILES_H
#define PINNC_POST_FILES_H

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace pinnc::post {

namespace files_detail {

inline std::filesystem::path temp_name(const std::filesystem::path& path) {
#if defined(__unix__) || defined(__APPLE__)
  const long pid = static_cast<long>(::getpid());
#else
  const long pid = 0;
#endif
  return path.parent_path() / ("." + path.filename().string() + ".tmp" + std::to_string(pid));
}

/// Writes `content` to `tmp`, the temporary beside `target`; messages name `target`.
inline bool write_temp(const std::filesystem::path& tmp, const std::filesystem::path& target,
                       const std::string& content, std::string* error) {
  std::FILE* f = std::fopen(tmp.string().c_str(), "wb");
  if (!f) {
    *error = "cannot write '" + target.string() + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    *error = "cannot write '" + target.string() + "': " + std::strerror(errno);
    std::remove(tmp.string().c_str());
  }
  return ok;
}

}  // namespace files_detail

/// Creates `dir` (and parents) if needed and checks that it is a folder.
inline bool prepare_dir(const std::filesystem::path& dir, std::string* error) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    *error = "'" + dir.string() + "' exists and is not a folder; choose another --out";
    return false;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create the output folder '" + dir.string() + "': " + ec.message();
    return false;
  }
#if defined(__unix__) || defined(__APPLE__)
  if (::access(dir.string().c_str(), W_OK) != 0) {
    *error = "the output folder '" + dir.string() + "' is not writable: " + std::strerror(errno);
    return false;
  }
#endif
  return true;
}

/// Writes several files so that either all are replaced or none is: every temporary is
/// written first, then all are renamed. False (with *error) on failure; the previous
/// files are then left untouched.
inline bool write_all_atomically(const std::vector<std::pair<std::filesystem::path, std::string>>& files,
                                 std::string* error) {
  std::vector<std::filesystem::path> temps;
  for (const auto& [path, content] : files) {
    std::filesystem::path tmp = files_detail::temp_name(path);
    if (!files_detail::write_temp(tmp, path, content, error)) {
      for (const auto& t : temps) std::remove(t.string().c_str());
      return false;
    }
    temps.push_back(tmp);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (std::rename(temps[i].string().c_str(), files[i].first.string().c_str()) != 0) {
      *error = "cannot replace '" + files[i].first.string() + "': " + std::strerror(errno);
      for (std::size_t k = i; k < temps.size(); ++k) std::remove(temps[k].string().c_str());
      return false;
    }
  }
  return true;
}

/// One file, atomically.
inline bool write_atomically(const std::filesystem::path& path, const std::string& content, std::string* error) {
  return write_all_atomically({{path, content}}, error);
}

}  // namespace pinnc::post

#endif  // PINNC_POST_FILES_H
