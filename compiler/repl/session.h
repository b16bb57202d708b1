// session.h — the REPL's state and its line commands: the statements entered so far, the
// training options given to :train, and the last trained solution (kept across errors).
// Terminal-free: the driver (compiler/driver/cmd_repl.cpp) feeds it lines and supplies
// the kernel backend, the progress display and Ctrl-C handling through Hooks.
#ifndef PINNC_REPL_SESSION_H
#define PINNC_REPL_SESSION_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/diagnostic.h"
#include "frontend/source.h"
#include "repl/console.h"
#include "repl/statements.h"
#include "sema/problem.h"
#include "train/session.h"

namespace pinnc::repl {

/// What the session needs from its host.
struct Hooks {
  /// The kernel backend named by the `backend` option ("jit" or "interp"); nullptr with
  /// *error when this build cannot make it. Required.
  std::function<std::unique_ptr<kernels::KernelBackend>(const std::string&, std::string*)> make_backend;
  /// Called after every epoch; returning false stops the training (Ctrl-C). Optional.
  train::Progress progress;
  /// Called with true just before training starts and false when it has ended (the
  /// terminal driver installs its SIGINT handler in between). Optional.
  std::function<void(bool)> training;
};

/// Exit codes of a line, as the command line's (README): 0 ok, 1 input error (syntax,
/// semantics), 2 usage error (bad command or option, unreadable or unwritable file),
/// 3 training failed (diverged, or could not start).
enum LineStatus : int { kOk = 0, kInputError = 1, kUsageError = 2, kTrainingFailed = 3 };

/// One interactive session.
class Session {
 public:
  Session(Console& console, Hooks hooks);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The name input lines carry in diagnostics ("<stdin>" for a script: line numbers are
  /// then the script's; "<input>" at a terminal).
  void set_input_name(std::string name) { input_name_ = std::move(name); }

  /// Runs one input line: a statement of the file language (or several, separated by ';'),
  /// an expression to evaluate in the trained solution, or a `:command`. Returns a
  /// LineStatus (0 on success). Whatever fails, the session's state stays as it was.
  int run_line(std::string_view line);

  /// :load `path` (for `pinnc repl FILE`); diagnostics name the file itself.
  int load(const std::string& path);

  /// True after :quit.
  bool quit_requested() const { return quit_; }

  /// Completion candidates for the word that ends `before_cursor` (the line up to the
  /// cursor): commands after a leading ':', option keys after :train, else keywords,
  /// builtin functions and every name in the session. Sorted, without duplicates.
  std::vector<std::string> complete(std::string_view before_cursor) const;
  /// True when the word at the cursor is a file-name argument (:load, :save, ...).
  bool completes_file(std::string_view before_cursor) const;

  /// The statements entered so far.
  const StatementList& statements() const { return stmts_; }
  /// True once a :train has succeeded.
  bool trained() const { return trained_ != nullptr; }
  /// The last successful run's report (trained() must be true).
  const train::TrainReport& last_report() const;

 private:
  struct Trained;
  struct Compiled;
  struct Command;
  using Handler = int (Session::*)(std::string_view args, const SourceFile& input);
  static const std::vector<Command>& commands();

  // session.cpp: statements and the problem
  int enter_statements(const SourceFile& input, std::string_view line);
  Compiled compile(const StatementList& list) const;
  std::string status_line(const Compiled& c) const;
  void print_diagnostics(const Compiled& c, bool deferred_too) const;
  int cmd_show(std::string_view, const SourceFile&);
  int cmd_derive(std::string_view, const SourceFile&);
  int cmd_check(std::string_view, const SourceFile&);
  int cmd_delete(std::string_view args, const SourceFile& input);
  int cmd_clear(std::string_view, const SourceFile&);

  // session_train.cpp: training and the trained solution
  int cmd_train(std::string_view args, const SourceFile& input);
  int cmd_eval(std::string_view args, const SourceFile& input);
  int cmd_plot(std::string_view args, const SourceFile& input);
  int cmd_savemodel(std::string_view args, const SourceFile& input);
  int cmd_emit(std::string_view args, const SourceFile& input);
  /// The options for a run: the statements' `set` lines, then `run_flags` (:train k=v).
  bool options_for(const Problem& problem, const SourceFile& src, TrainOptions* opt,
                   const std::map<std::string, std::string>& run_flags) const;
  /// Parses `key=value` words (aliases mapped to the keys), each validated; kOk or an error.
  int settings_words(std::string_view args, const SourceFile& input, const char* command,
                     std::map<std::string, std::string>* out) const;
  int cmd_set(std::string_view args, const SourceFile& input);
  /// `:param k=1.7`: the values of a trained solution bundle's ranged parameters that
  /// evaluation uses (the range's middle until set); alone: the values in force.
  int cmd_param(std::string_view args, const SourceFile& input);
  /// The trained model with the bundle's values of :param (the model itself otherwise).
  train::Model evaluation_model() const;
  /// "training settings: net=24,24 act=tanh ..." for the statements as they stand.
  std::string settings_line() const;

  // commands.cpp: the dispatcher, files, help
  int run_command(std::string_view line, const SourceFile& input);
  int cmd_load(std::string_view args, const SourceFile& input);
  int cmd_save(std::string_view args, const SourceFile& input);
  int cmd_help(std::string_view args, const SourceFile& input);
  int cmd_quit(std::string_view, const SourceFile&);
  int usage_error(const SourceFile& input, std::string text, std::string hint = {}) const;

  Console& console_;
  Hooks hooks_;
  std::string input_name_ = "<input>";
  uint32_t line_number_ = 0;
  bool quit_ = false;
  StatementList stmts_;
  std::unique_ptr<Trained> trained_;
  std::map<std::string, double> bundle_values_;  ///< :param, by name
};

}  // namespace pinnc::repl

#endif  // PINNC_REPL_SESSION_H
