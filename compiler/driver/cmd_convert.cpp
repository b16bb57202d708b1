// cmd_convert.cpp — `pinnc convert FILE [-o OUT]`: an XPPAUT file in pinnc's language.
// The text printed is the program pinnc trains for the file (compiler/xpp reads it,
// pipeline/compile.cpp prints it), checked before it is written: a file that does not
// check gives its diagnostics and no output.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "driver/cli.h"
#include "driver/commands.h"
#include "pipeline/compile.h"
#include "train/files.h"

namespace pinnc::driver {

int convert_main(int argc, char** argv) {
  CLI::App app{"Print an XPPAUT .ode file in pinnc's language (the program pinnc check/train read from it)",
               "pinnc convert"};
  std::string file, out, dialect_flag;
  app.add_option("FILE", file, "the XPPAUT .ode file")->required();
  app.add_option("--output,-o", out, "write to this file instead of standard output");
  add_dialect_option(app, dialect_flag);
  if (auto rc = parse_command_line(app, argc, argv)) return *rc;

  std::string text, error;
  if (!train::read_file(file, &text, &error)) {
    std::fprintf(stderr, "pinnc convert: %s\n", error.c_str());
    return 2;
  }
  SourceFile src(file, text);
  xpp::Dialect dialect = dialect_of(dialect_flag);
  if (dialect == xpp::Dialect::Auto) dialect = xpp::detect(text);
  if (dialect == xpp::Dialect::Pinnc) {
    std::fprintf(stderr,
                 "pinnc convert: %s is in pinnc's language already (it has an interval statement or no XPPAUT "
                 "keyword); --dialect xpp reads it as XPPAUT\n",
                 file.c_str());
    return 2;
  }
  DiagnosticEngine diags;
  Reading reading;
  std::optional<Problem> problem = compile_source(src, diags, xpp::Dialect::Xpp, &reading);
  std::fputs(render_all(src, diags).c_str(), stderr);
  if (!problem) return 1;
  if (out.empty() || out == "-") {
    std::fputs(reading.pinnc_text.c_str(), stdout);
    return 0;
  }
  if (!train::write_atomically(out, reading.pinnc_text, &error)) {
    std::fprintf(stderr, "pinnc convert: %s\n", error.c_str());
    return 2;
  }
  return 0;
}

}  // namespace pinnc::driver
