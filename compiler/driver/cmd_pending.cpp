// cmd_pending.cpp — placeholders for train/eval until the JIT issue lands them.
#include <cstdio>

#include "driver/commands.h"

namespace pinnc::driver {

int eval_main(int, char**) {
  std::fprintf(stderr, "pinnc eval: not built yet\n");
  return 2;
}

}  // namespace pinnc::driver
