// console.h — where the REPL writes (results to `out`, diagnostics to `err`), and located
// messages of its own in the same form as the compiler's diagnostics.
#ifndef PINNC_REPL_CONSOLE_H
#define PINNC_REPL_CONSOLE_H

#include <string>
#include <string_view>
#include <vector>

#include "frontend/diagnostic.h"
#include "frontend/source.h"

namespace pinnc::repl {

/// The REPL's output streams. The terminal driver writes through to stdout/stderr; tests
/// collect the text.
class Console {
 public:
  virtual ~Console() = default;
  /// Results (reports, values, listings).
  virtual void out(std::string_view text) = 0;
  /// Diagnostics, warnings and errors.
  virtual void err(std::string_view text) = 0;
};

/// A Console that keeps everything (for tests): `out`, `err`, and both in order in `all`.
class StringConsole final : public Console {
 public:
  void out(std::string_view text) override {
    out_text += text;
    all += text;
  }
  void err(std::string_view text) override {
    err_text += text;
    all += text;
  }
  std::string out_text, err_text, all;
};

/// A message of the REPL's own at a place in an input line (not one of the compiler's
/// registered diagnostic kinds, so it carries no code):
///   <stdin>:3:5: error: message
///    3 | y(2.5) + q
///      |          ^
///     hint: ...
struct Message {
  Severity severity = Severity::Error;
  SourceRange range;
  std::string text;
  std::vector<std::string> hints;
};

/// Renders one Message with its source line and caret.
std::string render_message(const SourceFile& src, const Message& m);

}  // namespace pinnc::repl

#endif  // PINNC_REPL_CONSOLE_H
