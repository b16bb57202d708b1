// cmd_emit.cpp — `pinnc emit`: being built (issue in progress); replaced by the real command.
#include <cstdio>

#include "driver/commands.h"

namespace pinnc::driver {

int emit_main(int, char**) {
  std::fprintf(stderr, "pinnc emit: not available in this build yet\n");
  return 2;
}

}  // namespace pinnc::driver
