// cmd_emit.cpp — `pinnc emit FILE.ode -o solver.cpp [training flags]` (a standalone
// training program) and `pinnc emit --model MODEL.json -o NAME.hpp [--name NS]` (a
// dependency-free evaluator of a trained solution). `-o -` writes to standard output.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <CLI/CLI.hpp>

#include "codegen/cpp/evaluator.h"
#include "codegen/cpp/standalone.h"
#include "driver/cli.h"
#include "driver/commands.h"
#include "driver/model_file.h"
#include "driver/train_flags.h"
#include "pipeline/compile.h"
#include "train/files.h"
#include "train/session.h"

namespace pinnc::driver {

namespace fs = std::filesystem;

namespace {

/// Writes the generated text atomically (or to stdout for "-"); exit code 0 or 2.
int write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  std::string error;
  if (!train::write_atomically(path, text, &error)) {
    std::fprintf(stderr, "pinnc emit: %s\n", error.c_str());
    return 2;
  }
  return 0;
}

int emit_solver(const std::string& file, const std::string& out, const TrainFlags& flags, xpp::Dialect dialect) {
  std::string text, error;
  if (!train::read_file(file, &text, &error)) {
    std::fprintf(stderr, "pinnc emit: %s\n", error.c_str());
    return 2;
  }
  SourceFile src(file, text);
  DiagnosticEngine diags;
  std::optional<Problem> problem = compile_source(src, diags, dialect);
  std::fputs(render_all(src, diags).c_str(), stderr);
  if (!problem) return 1;
  TrainOptions opt;
  if (int rc = apply_settings(*problem, src, flags, &opt)) return rc;
  // Lowered and planned exactly as `pinnc train` does; no kernels are bound.
  const lower::Lowered lowered = lower::lower(*problem, plan::condition_mode(opt));
  const plan::RunSpec run = plan::make_run_spec(*problem, lowered, opt, "emitted C++");
  const std::string name = out == "-" ? "solver.cpp" : fs::path(out).filename().string();
  return write_output(out, cppgen::emit_standalone(*problem, lowered, run, name));
}

int emit_evaluator(const std::string& model_path, const std::string& out, std::string ns) {
  LoadedModel loaded;
  if (int rc = load_model_file("emit", model_path, &loaded)) return rc;
  const train::Model& model = loaded.model;
  const auto& prep = loaded.prep;
  if (ns.empty()) {
    ns = fs::path(model.source_file).stem().string();  // made an identifier if it is not one
  } else if (cppgen::namespace_name(ns) != ns) {
    std::string hint;  // the name with every other character made '_'
    for (char c : ns) hint += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (hint.empty() || std::isdigit(static_cast<unsigned char>(hint[0])) || cppgen::namespace_name(hint) != hint)
      hint = "ns_" + hint;
    std::fprintf(stderr,
                 "pinnc emit: --name %s: the namespace must be a C++ identifier (letters, digits and _, not "
                 "starting with a digit), not a C++ keyword and not starting with pinnc_; e.g. --name %s\n",
                 ns.c_str(), hint.c_str());
    return 2;
  }
  const std::string name = out == "-" ? ns + "_solution.hpp" : fs::path(out).filename().string();
  std::string header;
  try {
    header = cppgen::emit_evaluator(model, prep->problem, prep->lowered, cppgen::namespace_name(ns), name);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "pinnc emit: %s: %s\n", model_path.c_str(), e.what());
    return 1;
  }
  return write_output(out, header);
}

}  // namespace

int emit_main(int argc, char** argv) {
  CLI::App app{"Write C++: a standalone training program for FILE, or (--model) a header that evaluates a "
               "trained solution",
               "pinnc emit"};
  std::string file, model, out, name;
  TrainFlags flags;
  app.add_option("FILE", file, "the .ode file (for a training program)");
  app.add_option("--model", model, "model.json written by pinnc train (for an evaluator header)");
  app.add_option("--output,-o", out, "the file to write, e.g. solver.cpp or decay_solution.hpp ('-': stdout)");
  app.add_option("--name", name, "the evaluator's namespace (default: the source file's name)");
  std::string dialect_flag;
  add_dialect_option(app, dialect_flag);
  add_train_flags(app, flags);
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;
  if (file.empty() == model.empty()) {
    std::fprintf(stderr, "pinnc emit: give either FILE.ode (a training program) or --model MODEL.json (an "
                         "evaluator header)\n");
    return 2;
  }
  if (out.empty()) {
    std::fprintf(stderr, "pinnc emit: no output file: add -o %s\n", model.empty() ? "solver.cpp" : "solution.hpp");
    return 2;
  }
  if (!model.empty()) {
    if (!flags.values.empty()) {
      std::fprintf(stderr, "pinnc emit: training flags do not apply to --model (the model's settings are fixed)\n");
      return 2;
    }
    return emit_evaluator(model, out, name);
  }
  if (!name.empty()) {
    std::fprintf(stderr, "pinnc emit: --name applies to --model only\n");
    return 2;
  }
  return emit_solver(file, out, flags, dialect_of(dialect_flag));
}

}  // namespace pinnc::driver
