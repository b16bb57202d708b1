// cmd_train.cpp — `pinnc train FILE.ode`: compile, JIT, train, report, write outputs.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "driver/backend_factory.h"
#include "driver/cli.h"
#include "driver/commands.h"
#include "driver/plot_flags.h"
#include "driver/train_flags.h"
#include "pipeline/compile.h"
#include "train/files.h"
#include "train/session.h"
#include "pinnc/post/evaluate.h"

namespace pinnc::driver {

namespace fs = std::filesystem;

namespace {

/// A one-line progress display on a terminal, redrawn at most ten times a second.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled), start_(clock::now()), last_(start_) {}
  bool operator()(int64_t epoch, int64_t total, const train::LossRow& loss) {
    if (!enabled_) return true;
    auto now = clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && epoch + 1 < total) return true;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? double(epoch + 1) / secs : 0;
    double eta = rate > 0 ? double(total - epoch - 1) / rate : 0;
    std::fprintf(stderr, "\r  epoch %lld/%lld  %-5s loss %.3e (residual %.2e, conditions %.2e)  %.0f/s  ETA %.1f s ",
                 static_cast<long long>(epoch + 1), static_cast<long long>(total), loss.optimizer.c_str(),
                 loss.total, loss.residual, loss.conditions, rate, eta);
    drawn_ = true;
    return true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\r%110s\r", "");
  }

 private:
  using clock = std::chrono::steady_clock;
  bool enabled_, drawn_ = false;
  clock::time_point start_, last_;
};

/// The first SIGINT or SIGTERM asks training to stop at the end of its epoch
/// (post::stop_flag(), runtime/include/pinnc/post/evaluate.h): the best weights are
/// evaluated and written, marked partial, and the exit code is 128 + the signal's number.
/// A second one ends the process at once (outputs are written to temporary names and
/// renamed, so none is left half-written).
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_signal != 0) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
  post::stop_flag() = 1;
}

void catch_stop_signals() {
  post::stop_flag() = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int train_main(int argc, char** argv) {
  CLI::App app{"Train a network that solves the problem in FILE", "pinnc train"};
  std::string file, out_dir;
  bool quiet = false, no_cache = false;
  TrainFlags flags;
  PlotFlags plot_flags;
  app.add_option("FILE", file, "the .ode file")->required();
  app.add_option("--out,-o", out_dir, "output folder (default: out/<file name without .ode>)");
  app.add_flag("--quiet,-q", quiet, "no progress line and no report; only errors");
  app.add_flag("--no-cache", no_cache, "compile the kernels even when the object cache has them, and store nothing");
  std::string dialect_flag;
  add_dialect_option(app, dialect_flag);
  add_train_flags(app, flags);
  add_plot_flags(app, plot_flags, true);
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;
  auto t_start = std::chrono::steady_clock::now();

  std::string text, error;
  if (!train::read_file(file, &text, &error)) {
    std::fprintf(stderr, "pinnc train: %s\n", error.c_str());
    return 2;
  }
  SourceFile src(file, text);
  DiagnosticEngine diags;
  std::optional<Problem> problem = compile_source(src, diags, dialect_of(dialect_flag));
  std::fputs(render_all(src, diags).c_str(), stderr);
  if (!problem) return 1;
  const std::vector<std::string> reader_notes = problem->notes;
  TrainOptions opt;
  if (int rc = apply_settings(*problem, src, flags, &opt)) return rc;
  if (int rc = check_plot_flags(*problem, plot_flags)) return rc;

  if (out_dir.empty()) out_dir = (fs::path("out") / fs::path(file).stem()).string();
  if (!train::prepare_dir(out_dir, &error)) {
    std::fprintf(stderr, "pinnc train: %s\n", error.c_str());
    return 2;
  }

  std::unique_ptr<kernels::KernelBackend> backend = make_backend(spelling(opt.backend), !no_cache, &error);
  if (!backend) {
    std::fprintf(stderr, "pinnc train: %s\n", error.c_str());
    return 2;
  }
  auto prep = train::prepare(std::move(*problem), opt, *backend, &error);
  if (!prep) {
    std::fprintf(stderr, "pinnc train: %s\n", error.c_str());
    return 3;
  }
  double ready_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();

  ProgressLine progress(!quiet && ::isatty(2));
  train::TrainReport rep;
  catch_stop_signals();
  try {
    rep = train::run_training(*prep, opt, nullptr, std::ref(progress));
  } catch (const std::invalid_argument& e) {
    progress.finish();
    std::string what = e.what();
    if (what.rfind("pinnc::rt::Trainer: ", 0) == 0) what = what.substr(20);
    std::fprintf(stderr, "pinnc train: %s\n", what.c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    progress.finish();
    std::fprintf(stderr, "pinnc train: out of memory; use a smaller --net or fewer --points\n");
    return 3;
  } catch (const std::exception& e) {
    progress.finish();
    std::fprintf(stderr, "pinnc train: internal error (a pinnc bug, please report it): %s\n", e.what());
    return 3;
  }
  progress.finish();
  if (rep.diverged && !rep.recovered) {
    std::fputs(post::divergence_report(rep).c_str(), stderr);
    return 3;
  }
  train::Model model = train::make_model(*prep, opt, rep);
  const fs::path dir(out_dir);
  if (!train::write_all_atomically({{dir / "solution.csv", train::solution_csv(*prep, rep)},
                                    {dir / "loss.csv", train::loss_csv(*prep, rep)},
                                    {dir / "model.json", train::to_json(model)}},
                                   &error)) {
    std::fprintf(stderr, "pinnc train: %s\n", error.c_str());
    return 2;
  }
  if (!quiet) {
    std::string report = train::report_text(*prep, opt, rep);
    for (const std::string& n : reader_notes) report += "note      " + n + "\n";
    report += fmt::format("timing    parse to JIT-ready {:.1f} ms (kernel compile {:.1f} ms{})\n", ready_ms,
                          prep->compile_ms, prep->compile_note.empty() ? "" : ", " + prep->compile_note);
    report += fmt::format("output    {}/{{solution.csv, loss.csv, model.json}}\n", out_dir);
    std::fputs(report.c_str(), stdout);
  }
  plot_after_training(*prep, rep, model, out_dir, plot_flags, quiet);  // warns on failure, never fails the run
  if (rep.diverged) {  // written with the best weights reached before
    std::fputs(post::divergence_report(rep).c_str(), stderr);
    return 3;
  }
  if (rep.diverged) {  // written with the best weights reached before
    std::fputs(post::divergence_report(rep).c_str(), stderr);
    return 3;
  }
  if (g_signal != 0) {
    std::fprintf(stderr, "pinnc train: interrupted (%s) at epoch %lld; the outputs hold the best weights reached, "
                 "marked \"partial\": true in model.json\n",
                 g_signal == SIGINT ? "SIGINT" : "SIGTERM", static_cast<long long>(rep.epochs));
    return 128 + g_signal;
  }
  return rep.trusted ? 0 : 4;
}

}  // namespace pinnc::driver
