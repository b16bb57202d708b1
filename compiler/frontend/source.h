// source.h — a source file in memory and ranges into it (byte offsets).
#ifndef PINNC_FRONTEND_SOURCE_H
#define PINNC_FRONTEND_SOURCE_H

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

/// 1-based line and column (columns count bytes).
struct LineCol {
  uint32_t line = 1;
  uint32_t col = 1;
};

/// The text of one input (a file, or a REPL line) with a name for diagnostics.
class SourceFile {
 public:
  SourceFile(std::string name, std::string text);
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  LineCol line_col(uint32_t offset) const;
  /// The text of 1-based line `line`, without its newline.
  std::string_view line_text(uint32_t line) const;
  std::string_view slice(SourceRange r) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

}  // namespace pinnc

#endif  // PINNC_FRONTEND_SOURCE_H
