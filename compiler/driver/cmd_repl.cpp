// cmd_repl.cpp — `pinnc repl`: being built (issue in progress); replaced by the real command.
#include <cstdio>

#include "driver/commands.h"

namespace pinnc::driver {

int repl_main(int, char**) {
  std::fprintf(stderr, "pinnc repl: not available in this build yet\n");
  return 2;
}

}  // namespace pinnc::driver
