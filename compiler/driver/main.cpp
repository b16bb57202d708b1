// main.cpp — the `pinnc` command: dispatches to check, train, eval, emit, repl.
#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pinnc <check|train|eval|emit|repl> ...\n");
    return 2;
  }
  std::fprintf(stderr, "pinnc: unknown command '%s'\n", argv[1]);
  return 2;
}
