// cmd_check.cpp — `pinnc check FILE [--dump=tokens|ast|ir]`: diagnostics and the derived
// residuals and partial derivatives, without training.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "driver/cli.h"
#include "driver/commands.h"
#include "pipeline/compile.h"
#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "driver/backend_factory.h"
#include "driver/train_flags.h"
#include "lower/lower.h"
#include "sema/print_problem.h"
#include "train/files.h"
#include "plan/run_spec.h"
#ifdef PINNC_HAVE_LLVM
#include "codegen/llvm/jit.h"
#endif

namespace pinnc::driver {

namespace {

/// `--dump=kernels|llvm`: the kernel IR, or the LLVM IR the JIT compiles (optimised),
/// lowered with the file's own settings (e.g. `set conditions = soft`).
int dump_lowered(Problem& problem, const SourceFile& src, const std::string& what) {
  TrainOptions opt;
  if (int rc = apply_settings(problem, src, TrainFlags{}, &opt)) return rc;
  lower::Lowered lowered =
      lower::lower(problem, plan::condition_mode(opt));
  if (what == "kernels") {
    std::fputs(lower::dump(lowered.module).c_str(), stdout);
    return 0;
  }
#ifdef PINNC_HAVE_LLVM
  std::string error;
  auto jit = jit::Jit::create(&error);
  if (!jit) {
    std::fprintf(stderr, "pinnc check: %s\n", error.c_str());
    return 2;
  }
  std::fputs(jit->llvm_ir(lowered.module, true).c_str(), stdout);
  return 0;
#else
  std::fprintf(stderr, "pinnc check: --dump=llvm needs a build with LLVM (PINNC_WITH_LLVM=ON)\n");
  return 2;
#endif
}

}  // namespace

int check_main(int argc, char** argv) {
  CLI::App app{"Check an .ode file: diagnostics, then the derived residuals and partial derivatives",
               "pinnc check"};
  std::string file;
  std::string dump;
  app.add_option("FILE", file, "the .ode file to check")->required();
  app.add_option("--dump", dump, "print one stage instead: tokens, ast, ir, kernels or llvm")
      ->check(CLI::IsMember({"tokens", "ast", "ir", "kernels", "llvm"}));
  std::string dialect_flag;
  add_dialect_option(app, dialect_flag);
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;

  std::string text, why;
  if (!train::read_file(file, &text, &why)) {
    std::fprintf(stderr, "pinnc check: %s\n", why.c_str());
    return 2;
  }
  SourceFile src(file, std::move(text));
  DiagnosticEngine diags;
  std::string out;
  xpp::Dialect dialect = dialect_of(dialect_flag);
  if (dialect == xpp::Dialect::Auto) dialect = xpp::detect(src.text());
  if (dialect == xpp::Dialect::Xpp && (dump == "tokens" || dump == "ast")) {
    // The reader's program (its tokens are pinnc's, made line by line: no token dump).
    if (dump == "tokens") {
      std::fprintf(stderr, "pinnc check: --dump=tokens is for pinnc's language; %s is read as XPPAUT (try --dump=ast)\n",
                   file.c_str());
      return 2;
    }
    out = ast::dump(xpp::read(src, diags).program);
  } else if (dump == "tokens" || dump == "ast") {
    std::vector<Token> tokens = lex(src, diags);
    if (dump == "tokens") {
      out = dump_tokens(src, tokens);
    } else {
      out = ast::dump(parse(tokens, diags));
    }
  } else {
    std::optional<Problem> problem = compile_source(src, diags, dialect);
    if (problem && (dump == "kernels" || dump == "llvm")) {
      std::fputs(render_all(src, diags).c_str(), stderr);
      return dump_lowered(*problem, src, dump);
    }
    if (problem) out = dump == "ir" ? dump_ir(*problem) : describe(*problem);
    if (problem && dump.empty()) {
      if (dialect == xpp::Dialect::Xpp) out += "read as an XPPAUT file (pinnc convert prints it in pinnc's language)\n";
      for (const std::string& n : problem->notes) out += "note: " + n + "\n";
    }
  }
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  std::fputs(render_all(src, diags).c_str(), stderr);
  return diags.has_errors() ? 1 : 0;
}

}  // namespace pinnc::driver
