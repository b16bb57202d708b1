// source.cpp — line table and slicing for SourceFile.
#include "frontend/source.h"

#include <algorithm>

namespace pinnc {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  // Offsets are 32-bit; the front end refuses larger inputs before building a SourceFile,
  // but clamp anyway so that nothing here can overflow.
  // A UTF-8 byte-order mark (some editors write one) is not part of the text: columns,
  // source lines in messages and the text stored in model.json start after it.
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) text_.erase(0, 3);
  original_size_ = text_.size();
  if (text_.size() > kMaxSourceBytes) text_.resize(kMaxSourceBytes);
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineCol SourceFile::line_col(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());  // >= 1
  return LineCol{line, offset - line_starts_[line - 1] + 1};
}

uint32_t SourceFile::line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t begin = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                            : static_cast<uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

std::string_view SourceFile::slice(SourceRange r) const {
  auto size = static_cast<uint32_t>(text_.size());
  uint32_t b = std::min(r.begin, size);
  uint32_t e = std::min(std::max(r.end, b), size);
  return std::string_view(text_).substr(b, e - b);
}

}  // namespace pinnc
