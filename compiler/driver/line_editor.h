// line_editor.h — reading lines at a terminal: editing, a history file and tab completion
// through libedit when the build has it (PINNC_HAVE_LIBEDIT), plain reads otherwise.
#ifndef PINNC_DRIVER_LINE_EDITOR_H
#define PINNC_DRIVER_LINE_EDITOR_H

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinnc::driver {

/// One line editor per process (libedit's readline interface is global state).
class LineEditor {
 public:
  /// Candidates for the word that ends `before_cursor` (the line up to the cursor).
  using Completer = std::function<std::vector<std::string>(std::string_view before_cursor)>;
  /// True when the word at the cursor is a file name (completed from the file system).
  using FileQuery = std::function<bool(std::string_view before_cursor)>;

  /// `history_path` empty: no history file. Loads the history.
  LineEditor(std::string history_path, Completer complete, FileQuery wants_file);
  /// Saves the history.
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// Reads one line after `prompt`; nullopt at the end of the input (Ctrl-D).
  /// Non-blank lines go into the history.
  std::optional<std::string> read(const std::string& prompt);

  /// True when lines are edited with libedit (history and completion work).
  static bool has_editing();

  /// ~/.pinnc_history, or "" when there is no home directory.
  static std::string default_history_path();

 private:
  std::string history_path_;
  Completer complete_;
  FileQuery wants_file_;
  std::string last_;
};

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_LINE_EDITOR_H
