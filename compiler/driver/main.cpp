// main.cpp — the `pinnc` command: dispatches to the subcommands in commands.h.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "base/names.h"
#include "driver/commands.h"
#include "base/version.h"

namespace {

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: pinnc <command> [options]\n"
               "commands:\n"
               "  check FILE.ode   diagnostics and the derived residuals, no training\n"
               "  train FILE.ode   train a network that solves the problem\n"
               "  eval MODEL.json  evaluate a trained solution\n"
               "  emit FILE.ode    standalone C++: a training program, or (--model) an evaluator\n"
               "  repl             explore a problem interactively\n"
               "  plot DIR         redraw the plots of a finished run\n"
               "  convert FILE.ode an XPPAUT file in pinnc's language\n"
               "run 'pinnc <command> --help' for a command's options\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pinnc::driver;
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("pinnc %s\n", pinnc::version());
    return 0;
  }
  if (cmd == "check") return check_main(argc - 1, argv + 1);
  if (cmd == "train") return train_main(argc - 1, argv + 1);
  if (cmd == "eval") return eval_main(argc - 1, argv + 1);
  if (cmd == "emit") return emit_main(argc - 1, argv + 1);
  if (cmd == "repl") return repl_main(argc - 1, argv + 1);
  if (cmd == "plot") return plot_main(argc - 1, argv + 1);
  if (cmd == "convert") return convert_main(argc - 1, argv + 1);
  const auto near = pinnc::closest_name(cmd, {"check", "train", "eval", "emit", "repl", "plot", "convert"});
  std::fprintf(stderr, "pinnc: unknown command '%s'%s\n", argv[1],
               near ? ("; did you mean '" + *near + "'?").c_str() : "");
  usage(stderr);
  return 2;
}
