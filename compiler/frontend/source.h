// source.h — a source file in memory and ranges into it (byte offsets).
#ifndef PINNC_FRONTEND_SOURCE_H
#define PINNC_FRONTEND_SOURCE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pinnc {

/// A half-open byte range [begin, end) in one SourceFile.
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// The smallest range covering both.
inline SourceRange join(SourceRange a, SourceRange b) {
  return SourceRange{a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
}

/// 1-based line and column (columns count bytes).
struct LineCol {
  uint32_t line = 1;
  uint32_t col = 1;
};

/// The text of one input (a file, or a REPL line) with a name for diagnostics.
class SourceFile {
 public:
  /// Inputs longer than this are truncated (offsets are 32-bit); the front end reports
  /// an error for them before they get here.
  static constexpr std::size_t kMaxSourceBytes = 64u << 20;

  SourceFile(std::string name, std::string text);
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  /// Size of the text as given, before any truncation to kMaxSourceBytes.
  std::size_t original_size() const { return original_size_; }
  /// Line and column of a byte offset (offsets past the end map to the end).
  LineCol line_col(uint32_t offset) const;
  /// Number of lines (a final line without newline counts; an empty file has one line).
  uint32_t line_count() const;
  /// The text of 1-based line `line`, without its newline.
  std::string_view line_text(uint32_t line) const;
  /// The text of a range (clamped to the file).
  std::string_view slice(SourceRange r) const;

 private:
  std::string name_;
  std::string text_;
  std::size_t original_size_ = 0;
  std::vector<uint32_t> line_starts_;
};

}  // namespace pinnc

#endif  // PINNC_FRONTEND_SOURCE_H
