// diagnostic_render.cpp — prints diagnostics as `file:line:col: error: ...`, the source
// line, a caret range under the spot, hints and notes.
#include <algorithm>
#include <string>

#include "frontend/diagnostic.h"

namespace pinnc {

namespace {

const char* severity_label(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Bug: return "internal error";
  }
  return "error";
}

/// Length of a valid UTF-8 sequence starting at s[i], or 0 if the bytes are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (c >= 0xF5) n = 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xF4 && c1 >= 0x90) return 0;  // > U+10FFFF
  return n;
}

/// A source line made printable: one display column per character, control bytes and
/// invalid UTF-8 shown as '?', long lines cut to a window around the spot.
struct ShownLine {
  std::string text;
  std::size_t caret_col = 0;  ///< 0-based display column of the range start
  std::size_t caret_len = 1;  ///< display columns under the range (at least 1)
};

ShownLine show_line(std::string_view line, std::size_t begin, std::size_t end) {
  constexpr std::size_t kBefore = 60, kAfter = 100;
  std::size_t from = begin > kBefore ? begin - kBefore : 0;
  std::size_t to = std::min(line.size(), std::max(begin, end) + kAfter);
  to = std::min(to, begin + kBefore + kAfter);
  to = std::max(to, std::min(line.size(), begin + 1));
  // Never start in the middle of a UTF-8 sequence.
  while (from > 0 && from < line.size() && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80)
    ++from;
  ShownLine out;
  std::size_t col = 0;
  if (from > 0) {
    out.text = "...";
    col = 3;
  }
  bool caret_set = false;
  std::size_t end_col = 0;
  std::size_t i = from;
  while (i < to) {
    if (!caret_set && i >= begin) {
      out.caret_col = col;
      caret_set = true;
    }
    if (i < end) end_col = col + 1;
    auto c = static_cast<unsigned char>(line[i]);
    std::size_t step = 1;
    if (c == '\t') {
      out.text += ' ';
    } else if (c < 0x20 || c == 0x7F) {
      out.text += '?';
    } else if (c < 0x80) {
      out.text += static_cast<char>(c);
    } else if (std::size_t n = utf8_length(line, i); n > 0) {
      out.text.append(line.substr(i, n));
      step = n;
    } else {
      out.text += '?';
    }
    i += step;
    ++col;
  }
  if (to < line.size()) out.text += "...";
  if (!caret_set) out.caret_col = col;  // at the end of the line
  if (end_col > out.caret_col) out.caret_len = end_col - out.caret_col;
  return out;
}

void render_snippet(std::string& out, const SourceFile& src, SourceRange range) {
  LineCol lc = src.line_col(range.begin);
  std::string_view line = src.line_text(lc.line);
  std::size_t begin = lc.col - 1;
  // A range that runs past the line is underlined to the end of the line.
  std::size_t end = begin + std::max<std::size_t>(range.end > range.begin ? range.end - range.begin : 1, 1);
  end = std::min(end, std::max(line.size(), begin + 1));
  ShownLine shown = show_line(line, begin, end);
  std::string num = std::to_string(lc.line);
  std::string pad(num.size(), ' ');
  out += ' ' + num + " | " + shown.text + '\n';
  out += ' ' + pad + " | " + std::string(shown.caret_col, ' ') + '^' +
         std::string(shown.caret_len - 1, '~') + '\n';
}

std::string location(const SourceFile& src, SourceRange range) {
  LineCol lc = src.line_col(range.begin);
  return src.name() + ':' + std::to_string(lc.line) + ':' + std::to_string(lc.col);
}

}  // namespace

std::string render(const SourceFile& src, const Diagnostic& d) {
  const DiagKind& kind = diag_kind(d.id);
  std::string out;
  out += d.located ? location(src, d.range) : src.name();
  out += ": ";
  out += severity_label(kind.severity);
  out += ": ";
  out += d.message;
  out += " [";
  out += kind.code;
  out += "]\n";
  if (d.located) render_snippet(out, src, d.range);
  for (const auto& h : d.hints) out += "  hint: " + h + '\n';
  for (const auto& n : d.notes) {
    out += location(src, n.range) + ": note: " + n.message + '\n';
    render_snippet(out, src, n.range);
  }
  return out;
}

std::string render_all(const SourceFile& src, const DiagnosticEngine& engine) {
  const auto& diags = engine.diagnostics();
  std::vector<std::size_t> order(diags.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // By location; unlocated ones and the "too many errors" stop last.
  auto key = [&](std::size_t i) -> uint64_t {
    const Diagnostic& d = diags[i];
    if (!d.located || d.id == DiagId::TooManyErrors) return UINT64_MAX;
    return d.range.begin;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  std::string out;
  for (std::size_t i : order) out += render(src, diags[i]);
  int e = engine.error_count(), w = engine.warning_count();
  if (e > 0 || w > 0) {
    std::string summary;
    if (e > 0) summary += std::to_string(e) + (e == 1 ? " error" : " errors");
    if (w > 0) {
      if (!summary.empty()) summary += ", ";
      summary += std::to_string(w) + (w == 1 ? " warning" : " warnings");
    }
    out += summary + '\n';
  }
  return out;
}

}  // namespace pinnc
