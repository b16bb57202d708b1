#!/usr/bin/env bash
# The JIT path under valgrind memcheck (the sanitizer build has no LLVM, so this is where
# the JIT-compiled kernels, the object cache and the LLVM ORC set-up are checked for
# invalid reads/writes, uses of uninitialised values and leaks).
# Usage: scripts/valgrind.sh   (needs `apt install valgrind`; 7 min on 2 cores, its build included)
# valgrind 3.19 (Debian 12) does not know AVX-512, so this builds its own pinnc in
# build-valgrind/ for a generic x86-64 CPU (PINNC_NATIVE=OFF, with debug info) and has the
# JIT compile for x86-64-v3 (PINNC_JIT_CPU). Runs `pinnc train` twice on
# examples/decay.ode (compiling its kernels, then loading them from a fresh object cache),
# then `pinnc eval` of the model; exit 1 on any memcheck error or definite leak.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=build-valgrind
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed (apt install valgrind)"; exit 2; }
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPINNC_NATIVE=OFF >/dev/null
cmake --build "$build" --target pinnc
export PINNC_JIT_CPU=x86-64-v3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=yes --quiet)
export PINNC_CACHE_DIR=$tmp/cache
# pinnc's own exit codes 0 (trusted) and 4 (not trusted) are fine; memcheck's errors exit 1.
run() {
  local rc=0
  "${vg[@]}" "$build/pinnc" "$@" || rc=$?
  if ((rc != 0 && rc != 4)); then echo "valgrind.sh: memcheck or pinnc failed (exit $rc): pinnc $*"; exit 1; fi
}
echo "valgrind: pinnc train (kernels compiled by the JIT, stored in the cache)"
run train examples/decay.ode --out "$tmp/a" --no-plots --quiet --opt adam:100,lm:50 --windows off
echo "valgrind: pinnc train (kernels loaded from the object cache)"
run train examples/decay.ode --out "$tmp/b" --no-plots --quiet --opt adam:100,lm:50 --windows off
cmp "$tmp/a/model.json" "$tmp/b/model.json"
echo "valgrind: pinnc eval"
run eval "$tmp/a/model.json" --grid 0:5:11 >/dev/null
echo "valgrind: no errors, no definite leaks"
