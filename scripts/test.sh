#!/usr/bin/env bash
# The whole test suite, as CI runs it (README's second command):
#   1. set-up (packages, configure, build) via scripts/setup.sh
#   2. every test of the Release build (unit, runtime, JIT, golden files, end-to-end)
#   3. every test again under AddressSanitizer + UndefinedBehaviorSanitizer, end-to-end
#      tests included (a build without LLVM: the interpreter backend; the JIT path is
#      checked under valgrind by scripts/valgrind.sh)
#   4. each fuzz target for PINNC_FUZZ_SECONDS (default 30) seconds
# Environment: PINNC_NO_APT=1 skips apt; PINNC_SKIP_SANITIZE=1 / PINNC_SKIP_FUZZ=1 skip 3 / 4.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)

"$root/scripts/setup.sh"

echo "== Release build: all tests"
ctest --test-dir build --output-on-failure -j "$jobs"

if [[ -z ${PINNC_SKIP_SANITIZE:-} ]]; then
  echo "== ASan + UBSan build: all tests (interpreter backend)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPINNC_SANITIZE=ON \
        -DPINNC_WITH_LLVM=OFF >/dev/null
  cmake --build build-asan --target pinnc pinnc_unit_tests pinnc_runtime_tests
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS=suppressions=$root/tests/sanitizer/lsan.supp \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi

if [[ -z ${PINNC_SKIP_FUZZ:-} ]]; then
  echo "== libFuzzer: every input format, ${PINNC_FUZZ_SECONDS:-30} s per target"
  "$root/scripts/fuzz.sh" "${PINNC_FUZZ_SECONDS:-30}"
fi
