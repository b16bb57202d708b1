// cmd_check.cpp — `pinnc check`: placeholder until the front end lands.
#include <cstdio>

#include "driver/commands.h"

namespace pinnc::driver {

int check_main(int, char**) {
  std::fprintf(stderr, "pinnc check: not built yet\n");
  return 2;
}

}  // namespace pinnc::driver
