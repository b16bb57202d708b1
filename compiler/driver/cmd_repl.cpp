// cmd_repl.cpp — `pinnc repl [FILE]`: the interactive session (compiler/repl/) at a
// terminal with line editing, or over a script on stdin (`pinnc repl < script.txt`: each
// line echoed after the prompt, exit code of the worst failed line).
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "driver/backend_factory.h"
#include "driver/cli.h"
#include "driver/commands.h"
#include "driver/line_editor.h"
#include "pinnc/post/evaluate.h"
#include "repl/session.h"
#include "base/version.h"

namespace pinnc::driver {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_sigint(int) { g_interrupted = 1; }
/// During training Ctrl-C also ends time-marching and polishing (post::stop_flag()).
extern "C" void on_training_sigint(int) {
  g_interrupted = 1;
  post::stop_flag() = 1;
}

/// Results to stdout, diagnostics to stderr, each flushed so that the two interleave in
/// the order they were written.
class StdConsole final : public repl::Console {
 public:
  void out(std::string_view text) override {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  void err(std::string_view text) override {
    std::fflush(stdout);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }
};

/// Ctrl-C while training stops the run (the progress callback says so), and a one-line
/// progress display on a terminal.
class TrainingControl {
 public:
  explicit TrainingControl(bool show) : show_(show) {}

  void begin_end(bool starting) {
    if (starting) {
      g_interrupted = 0;
      post::stop_flag() = 0;
      struct sigaction sa {};
      sa.sa_handler = on_training_sigint;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = 0;
      sigaction(SIGINT, &sa, &previous_);
      start_ = last_ = clock::now();
      drawn_ = false;
    } else {
      sigaction(SIGINT, &previous_, nullptr);
      if (drawn_) std::fprintf(stderr, "\r%78s\r", "");
      if (g_interrupted) std::fprintf(stderr, "interrupted\n");
      g_interrupted = 0;
      post::stop_flag() = 0;
    }
  }

  bool progress(int64_t epoch, int64_t total, double loss, const std::string& optimizer) {
    if (g_interrupted) return false;
    if (!show_) return true;
    auto now = clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && epoch + 1 < total) return true;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r  epoch %lld/%lld  %-5s loss %.3e  %.1f s  (Ctrl-C stops, keeps the weights)  ",
                 static_cast<long long>(epoch + 1), static_cast<long long>(total), optimizer.c_str(), loss, secs);
    std::fflush(stderr);
    drawn_ = true;
    return true;
  }

 private:
  using clock = std::chrono::steady_clock;
  bool show_, drawn_ = false;
  clock::time_point start_, last_;
  struct sigaction previous_ {};
};

}  // namespace

int repl_main(int argc, char** argv) {
  CLI::App app{"Explore a problem interactively: type statements, :train, evaluate y(2.5); :help inside",
               "pinnc repl"};
  std::string file;
  bool no_history = false, no_cache = false;
  app.add_option("FILE", file, "an .ode file to start from");
  app.add_flag("--no-history", no_history, "do not read or write ~/.pinnc_history");
  app.add_flag("--no-cache", no_cache, "always compile the kernels; use and store nothing in the object cache");
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;

  const bool terminal = ::isatty(0) && ::isatty(1);
  StdConsole console;
  TrainingControl control(::isatty(2));
  repl::Hooks hooks;
  hooks.make_backend = [no_cache](const std::string& name, std::string* error) {
    return make_backend(name, !no_cache, error);
  };
  hooks.progress = [&control](int64_t e, int64_t n, const train::LossRow& loss) {
    return control.progress(e, n, loss.total, loss.optimizer);
  };
  hooks.training = [&control](bool starting) { control.begin_end(starting); };
  repl::Session session(console, hooks);
  session.set_input_name(terminal ? "<input>" : "<stdin>");

  int worst = 0;
  if (!file.empty()) {
    int rc = session.load(file);
    if (rc && !terminal) return rc;
  }
  if (terminal) {
    std::printf("pinnc %s repl: type statements (t in [0, 5], y' = -y, y(0) = 1), :train, y(2.5); "
                ":help; Ctrl-D quits\n",
                version());
    LineEditor editor(
        no_history ? std::string() : LineEditor::default_history_path(),
        [&session](std::string_view before) { return session.complete(before); },
        [&session](std::string_view before) { return session.completes_file(before); });
    // Ctrl-C at the prompt abandons the line being typed (and never ends the session).
    struct sigaction sa {}, previous {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous);
    while (!session.quit_requested()) {
      g_interrupted = 0;
      std::optional<std::string> line = editor.read("pinnc> ");
      if (g_interrupted) {
        std::printf("\n");
        continue;
      }
      if (!line) {
        std::printf("\n");
        break;
      }
      session.run_line(*line);
    }
    sigaction(SIGINT, &previous, nullptr);
    return 0;
  }
  std::string line;
  while (!session.quit_requested() && std::getline(std::cin, line)) {
    console.out("pinnc> " + line + "\n");
    int rc = session.run_line(line);
    if (rc > worst) worst = rc;
  }
  return worst;
}

}  // namespace pinnc::driver
