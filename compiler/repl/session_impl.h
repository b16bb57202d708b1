// session_impl.h — Session's private structures, shared by session.cpp,
// session_train.cpp and commands.cpp. Internal to compiler/repl.
#ifndef PINNC_REPL_SESSION_IMPL_H
#define PINNC_REPL_SESSION_IMPL_H

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "repl/session.h"
#include "kernels/backend.h"
#include "train/model.h"
#include "settings/options.h"
#include "train/session.h"

namespace pinnc::repl {

/// The last successful training run. The backend owns the kernels `prep` is bound to, so
/// it is declared first (destroyed last).
struct Session::Trained {
  std::unique_ptr<kernels::KernelBackend> backend;
  std::unique_ptr<train::Prepared> prep;
  TrainOptions opt;
  train::TrainReport report;
  train::Model model;
  std::string source;  ///< the session's text when it was trained
};

/// The session's statements compiled as one file named "session" (line i = statement i).
struct Session::Compiled {
  SourceFile src{"session", ""};
  DiagnosticEngine diags;
  std::optional<Problem> problem;
  /// True when every error is one of the kinds an unfinished problem has (no interval
  /// yet, no equations, missing conditions, ...): statements are still accepted then.
  bool only_incomplete = true;
};

/// One `:command`.
struct Session::Command {
  std::string_view name;      ///< without the ':'
  std::string_view args;      ///< synopsis of the arguments ("FILE", "[key=value ...]")
  std::string_view summary;   ///< one line for :help
  Session::Handler handler;
  bool file_argument = false;  ///< completes file names
};

/// True for the errors of a problem that is only unfinished, not wrong.
bool is_incompleteness(DiagId id);

/// `text` with leading and trailing blanks removed.
std::string_view trim(std::string_view text);

/// The arguments of the command on the input's last line (the command word is blanked):
/// the range of its non-blank text, or the end of the line when there is none.
SourceRange args_range(const SourceFile& input);

/// The line as a SourceFile named `name` whose text puts it on line `number` (earlier
/// lines empty), so that diagnostics carry the script's line number.
SourceFile input_file(const std::string& name, uint32_t number, std::string_view line);

}  // namespace pinnc::repl

#endif  // PINNC_REPL_SESSION_IMPL_H
