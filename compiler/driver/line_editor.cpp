// line_editor.cpp — see line_editor.h. The only file that sees libedit.
#include "driver/line_editor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#ifdef PINNC_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

namespace pinnc::driver {

namespace {

#ifdef PINNC_HAVE_LIBEDIT
LineEditor::Completer* g_complete = nullptr;
LineEditor::FileQuery* g_wants_file = nullptr;
std::vector<std::string> g_matches;

char* next_match(const char*, int state) {
  static std::size_t index = 0;
  if (state == 0) index = 0;
  if (index >= g_matches.size()) return nullptr;
  return strdup(g_matches[index++].c_str());
}

char** attempt_completion(const char* text, int, int end) {
  std::string_view before(rl_line_buffer, static_cast<std::size_t>(end));
  if (g_wants_file && (*g_wants_file)(before)) return nullptr;  // libedit completes file names
  rl_attempted_completion_over = 1;
  g_matches.clear();
  const std::string_view word(text);
  bool all_settings = true;
  if (g_complete)
    for (std::string& c : (*g_complete)(before))
      if (std::string_view(c).substr(0, word.size()) == word) {
        all_settings = all_settings && !c.empty() && c.back() == '=';
        g_matches.push_back(std::move(c));
      }
  if (g_matches.empty()) return nullptr;
  // `epochs=` continues with the value; everything else with a blank.
  rl_completion_append_character = all_settings ? '\0' : ' ';
  return rl_completion_matches(text, next_match);
}
#endif

}  // namespace

bool LineEditor::has_editing() {
#ifdef PINNC_HAVE_LIBEDIT
  return true;
#else
  return false;
#endif
}

std::string LineEditor::default_history_path() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return {};
  return std::string(home) + "/.pinnc_history";
}

LineEditor::LineEditor(std::string history_path, Completer complete, FileQuery wants_file)
    : history_path_(std::move(history_path)), complete_(std::move(complete)), wants_file_(std::move(wants_file)) {
#ifdef PINNC_HAVE_LIBEDIT
  g_complete = &complete_;
  g_wants_file = &wants_file_;
  rl_readline_name = "pinnc";
  // Words are names, `:commands` and `key=` settings; everything else separates them.
  static char breaks[] = " \t\n\"'()[],;=+-*/^<>";
  rl_completer_word_break_characters = breaks;
  rl_basic_word_break_characters = breaks;  // the one libedit's completer actually reads
  rl_attempted_completion_function = attempt_completion;
  using_history();
  stifle_history(1000);
  if (!history_path_.empty()) read_history(history_path_.c_str());
#endif
}

LineEditor::~LineEditor() {
#ifdef PINNC_HAVE_LIBEDIT
  if (!history_path_.empty()) write_history(history_path_.c_str());
  g_complete = nullptr;
  g_wants_file = nullptr;
#endif
}

std::optional<std::string> LineEditor::read(const std::string& prompt) {
#ifdef PINNC_HAVE_LIBEDIT
  char* raw = readline(prompt.c_str());
  if (!raw) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  if (line.find_first_not_of(" \t") != std::string::npos && line != last_) {
    add_history(line.c_str());
    last_ = line;
    // Written after every line, so a session that is killed keeps its history.
    if (!history_path_.empty()) write_history(history_path_.c_str());
  }
  return line;
#else
  std::fputs(prompt.c_str(), stdout);
  std::fflush(stdout);
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return line;
#endif
}

}  // namespace pinnc::driver
