#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 19, ASan + UBSan) and runs each for N seconds.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60; e.g. scripts/fuzz.sh 3600 for a long run)
# Crashing inputs are left in build-fuzz/crashes/; the corpus grows in build-fuzz/corpus/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
      -DPINNC_FUZZ=ON -DPINNC_WITH_LLVM=OFF -DPINNC_NATIVE=OFF >/dev/null
shopt -s nullglob
targets=()
for src in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
if ((${#targets[@]} == 0)); then echo "fuzz: no targets"; exit 0; fi
cmake --build build-fuzz --target "${targets[@]}"
mkdir -p build-fuzz/crashes
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  mkdir -p "$corpus"
  # Seed with the examples and the failing test files, and the target's own seeds
  # (tests/fuzz/corpus/TARGET: model files for fuzz_model, CSV files for fuzz_data,
  # settings lines for fuzz_settings; crash_* files: inputs that once failed).
  cp -n examples/*.ode tests/golden/*.ode tests/golden/xpp/*.ode "$corpus"/ 2>/dev/null || true
  cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $t for ${seconds}s"
  # With pipefail the pipeline fails with the fuzzer's status: caught, so that `set -e`
  # does not end the script before it says which target failed.
  status=0
  build-fuzz/"$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 2>&1 | tail -n 15 || status=$?
  test "$status" -eq 0 || { echo "fuzz: $t found a failure (see build-fuzz/crashes/)"; exit 1; }
done
