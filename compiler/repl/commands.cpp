// commands.cpp — the REPL's `:command` table and dispatcher, :help, :load, :save, :quit,
// and tab completion.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "pipeline/compile.h"
#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "repl/session.h"
#include "repl/session_impl.h"
#include "symbolic/ops.h"
#include "train/files.h"
#include "settings/options.h"

namespace pinnc::repl {

const std::vector<Session::Command>& Session::commands() {
  static const std::vector<Command> table = {
      {"show", "", "the statements (numbered as diagnostics name them), options, training state", &Session::cmd_show},
      {"derive", "", "the derived residuals and their partial derivatives, the conditions",
       &Session::cmd_derive},
      {"check", "", "every diagnostic of the problem as it stands", &Session::cmd_check},
      {"train", "[key=value ...]",
       "train (settings as `pinnc train` flags, for this run only; warm start when the network is unchanged)",
       &Session::cmd_train},
      {"set", "[key=value ...]",
       "settings for every later :train, as `set` statements (:load replaces them); alone: the settings in force",
       &Session::cmd_set},
      {"param", "[name=value ...]",
       "a trained solution bundle's parameter values for evaluation (param k in [a, b]); alone: those in force",
       &Session::cmd_param},
      {"eval", "EXPR", "evaluate in the trained solution, e.g. y(2.5), y'(1) (a bare expression does the same)",
       &Session::cmd_eval},
      {"plot", "[DIR] [phase=X,Y] [extrapolate=T]",
       "plots and their data (CSV, model.json) of the trained solution into DIR (default out/repl)", &Session::cmd_plot,
       true},
      {"load", "FILE", "replace the statements with those of an .ode file", &Session::cmd_load, true},
      {"save", "FILE", "write the statements as an .ode file", &Session::cmd_save, true},
      {"savemodel", "FILE", "write the trained model (model.json, for pinnc eval / emit)", &Session::cmd_savemodel,
       true},
      {"emit", "FILE", "C++: FILE.cpp a standalone training program, FILE.hpp an evaluator of the trained solution",
       &Session::cmd_emit, true},
      {"delete", "N", "remove statement N (see :show)", &Session::cmd_delete},
      {"clear", "", "forget the statements (settings included) and the trained solution", &Session::cmd_clear},
      {"help", "[COMMAND]", "this list, or one command", &Session::cmd_help},
      {"quit", "", "leave (Ctrl-D too)", &Session::cmd_quit},
  };
  return table;
}

namespace {

/// The command word of a line that starts with ':' (without the ':').
std::string_view command_word(std::string_view line) {
  line = trim(line);
  line.remove_prefix(1);
  std::size_t end = 0;
  while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
  return line.substr(0, end);
}

}  // namespace

int Session::usage_error(const SourceFile& input, std::string text, std::string hint) const {
  Message m{Severity::Error, args_range(input), std::move(text), {}};
  if (!hint.empty()) m.hints.push_back(std::move(hint));
  console_.err(render_message(input, m));
  return kUsageError;
}

int Session::run_command(std::string_view line, const SourceFile& input) {
  std::string_view word = command_word(line);
  std::string_view args = trim(line);
  args.remove_prefix(1 + word.size());
  // A command is named by its full name or any unambiguous prefix (:q, :tr, :sh).
  std::vector<const Command*> matches;
  for (const Command& c : commands()) {
    if (c.name == word) {
      matches = {&c};
      break;
    }
    if (!word.empty() && c.name.substr(0, word.size()) == word) matches.push_back(&c);
  }
  if (word == "exit") matches = {&commands().back()};
  if (matches.size() != 1) {
    std::string hint = "`:help` lists the commands";
    if (matches.size() > 1) {
      hint = "did you mean";
      for (std::size_t i = 0; i < matches.size(); ++i)
        hint += fmt::format("{} :{}", i == 0 ? "" : (i + 1 == matches.size() ? " or" : ","), matches[i]->name);
      hint += '?';
    }
    console_.err(fmt::format("{}:{}: error: {} command ':{}'\n  hint: {}\n", input.name(), line_number_,
                             matches.empty() ? "unknown" : "ambiguous", word, hint));
    return kUsageError;
  }
  return (this->*(matches.front()->handler))(args, input);
}

int Session::cmd_help(std::string_view args, const SourceFile& input) {
  std::string_view name = trim(args);
  if (!name.empty() && name.front() == ':') name.remove_prefix(1);
  std::string out;
  for (const Command& c : commands()) {
    if (!name.empty() && c.name != name) continue;
    std::string head = fmt::format(":{}{}{}", c.name, c.args.empty() ? "" : " ", c.args);
    out += fmt::format("  {:<40} {}\n", head, c.summary);
  }
  if (!name.empty() && out.empty()) return usage_error(input, fmt::format("no command ':{}'", name));
  if (name.empty()) {
    out = "Type statements of the .ode language, one or more per line (';' separates):\n"
          "  param k = 1      t in [0, 5]      y' + k*y = 0      y(0) = 1      exact y = exp(-k*t)\n"
          "  f(u) = u^2       set epochs = 2000\n"
          "A statement for something that exists replaces it: a parameter, the interval, the equation\n"
          "for an unknown (by its highest derivative), a condition (by its point value), a function,\n"
          "an exact solution, a setting. A line without '=' is evaluated: y(2.5), y'(1) - exp(-5).\n"
          "Commands (any unambiguous prefix works, e.g. :q):\n" +
          out;
  }
  console_.out(out);
  return kOk;
}

int Session::cmd_quit(std::string_view, const SourceFile&) {
  quit_ = true;
  return kOk;
}

int Session::cmd_load(std::string_view args, const SourceFile& input) {
  std::string path(trim(args)), text, error;
  if (path.empty()) return usage_error(input, ":load takes a file name, e.g. :load examples/decay.ode");
  if (!train::read_file(path, &text, &error)) return usage_error(input, error);
  SourceFile file(path, text);
  DiagnosticEngine diags;
  if (xpp::detect(text) == xpp::Dialect::Xpp) {
    // An XPPAUT file: the session holds its pinnc reading (what `pinnc convert` prints).
    Reading reading;
    std::optional<Problem> problem = compile_source(file, diags, xpp::Dialect::Xpp, &reading);
    if (!problem) {
      console_.err(render_all(file, diags) + fmt::format("{} was not loaded; the session is unchanged\n", path));
      return kInputError;
    }
    console_.out(fmt::format("{} is an XPPAUT file: loading its reading in pinnc's language (:show lists it)\n", path));
    for (const std::string& n : problem->notes) console_.out("note: " + n + "\n");
    file = SourceFile(path, reading.pinnc_text);
    diags = DiagnosticEngine();
  }
  ast::Program prog = parse(lex(file, diags), diags);
  if (!diags.has_errors()) compile_source(file, diags, xpp::Dialect::Pinnc);
  bool hard = false;
  for (const Diagnostic& d : diags.diagnostics()) hard = hard || (d.severity() != Severity::Warning && !is_incompleteness(d.id));
  if (hard) {
    console_.err(render_all(file, diags) + fmt::format("{} was not loaded; the session is unchanged\n", path));
    return kInputError;
  }
  std::set<std::string> unknowns;
  std::string indep = "t";
  for (const ast::Stmt& s : prog.stmts) {
    collect_differentiated(s, &unknowns);
    if (s.kind == ast::StmtKind::Interval) indep = s.name;
  }
  // Every statement of the file is kept, even two that key alike (a system whose
  // equations share their highest derivative): the file is known to check.
  StatementList list;
  std::set<std::string> seen;
  for (const ast::Stmt& s : prog.stmts) {
    Statement st = make_statement(s, file, unknowns, indep);
    if (!st.key.empty() && !seen.insert(st.key).second) st.key.clear();
    list.put(std::move(st));
  }
  stmts_ = std::move(list);
  console_.out(fmt::format("loaded {}: {} statement{}\n", path, stmts_.size(), stmts_.size() == 1 ? "" : "s"));
  console_.out(status_line(compile(stmts_)));
  return kOk;
}

int Session::load(const std::string& path) {
  return cmd_load(path, input_file("<command line>", 1, path));
}

int Session::cmd_save(std::string_view args, const SourceFile& input) {
  std::string path(trim(args)), error;
  if (path.empty()) return usage_error(input, ":save takes a file name, e.g. :save decay.ode");
  const std::string text = stmts_.text();  // :set settings are `set` statements among them
  if (!train::write_atomically(path, text, &error)) return usage_error(input, error);
  console_.out(fmt::format("saved {} statement{} to {}\n", stmts_.size(), stmts_.size() == 1 ? "" : "s", path));
  return kOk;
}

bool Session::completes_file(std::string_view before_cursor) const {
  std::string_view line = before_cursor;
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
  if (line.empty() || line.front() != ':') return false;
  std::string_view word = command_word(line);
  if (line.size() <= 1 + word.size()) return false;  // still typing the command
  for (const Command& c : commands())
    if (c.name == word) return c.file_argument;
  return false;
}

std::vector<std::string> Session::complete(std::string_view before_cursor) const {
  // The word being typed: back to the last character that cannot be in a name.
  std::size_t start = before_cursor.size();
  while (start > 0) {
    char c = before_cursor[start - 1];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) break;
    --start;
  }
  std::string_view word = before_cursor.substr(start);
  std::string_view head = trim(before_cursor.substr(0, start));
  std::set<std::string> candidates;
  bool names = true;
  if (head.empty() && !word.empty() && word.front() == ':') {
    names = false;
    for (const Command& c : commands()) candidates.insert(":" + std::string(c.name));
  } else if (!head.empty() && head.front() == ':') {
    std::string_view cmd = command_word(head);
    names = cmd == "eval" || cmd == "ev" || cmd == "eva";
    if (cmd == "train" || cmd == "tr" || cmd == "tra" || cmd == "trai" || cmd == "set") {
      for (const std::string& k : option_keys()) candidates.insert(k + "=");
    } else if (cmd == "help" || cmd == "he" || cmd == "hel") {
      for (const Command& c : commands()) candidates.insert(std::string(c.name));
    }
  } else if (word.find(':') != std::string_view::npos) {
    names = false;
  }
  if (names) {
    for (const char* k : {"param", "exact", "set", "in", "pi"}) candidates.insert(k);
    for (int i = 0; i < sym::kOpCount; ++i) {
      const sym::OpInfo& info = sym::op_info(static_cast<sym::Op>(i));
      if (!info.function.empty()) candidates.insert(std::string(info.function));
    }
    // Every name the statements mention (parameters, the variable, unknowns, functions).
    SourceFile src("session", stmts_.text());
    DiagnosticEngine diags;
    for (const Token& t : lex(src, diags))
      if (t.kind == Tok::Ident) candidates.insert(std::string(t.text));
  }
  std::vector<std::string> out;
  for (const std::string& c : candidates)
    if (c.size() >= word.size() && std::string_view(c).substr(0, word.size()) == word) out.push_back(c);
  return out;
}

}  // namespace pinnc::repl
