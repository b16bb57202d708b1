#!/usr/bin/env bash
# One-shot set-up for a fresh Debian 12 machine: installs every package the build and
# the tests need (as root, with apt), then configures and builds pinnc into build/.
# Usage: scripts/setup.sh            (install + configure + build, Release)
#        PINNC_NO_APT=1 scripts/setup.sh   (skip apt: packages already there)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Every package, with the versions we require. LLVM must be 19.1 (other LLVMs may be
# installed beside it; CMake asks for 19.1 explicitly).
packages=(
  cmake g++ make ninja-build ccache pkg-config
  llvm-19-dev libzstd-dev zlib1g-dev libz3-dev   # LLVM 19.1 (ORC JIT), static components
  clang-19 libclang-rt-19-dev      # libFuzzer + sanitizer runtimes for the fuzz target
  libeigen3-dev                    # Eigen 3.4
  libfmt-dev                       # fmt 9
  doctest-dev                      # doctest 2.4
  libcli11-dev                     # CLI11 2.1
  libedit-dev                      # line editing for the REPL
  libboost-dev                     # Boost.Odeint, Boost.Random (header-only)
  nlohmann-json3-dev               # model.json
  python3                          # golden-file and end-to-end test runners
  tmux                             # the REPL's terminal test (tests/e2e/test_repl_tmux.py)
  time                             # /usr/bin/time -v for bench/run.py (peak memory)
  libplplot-dev plplot-driver-cairo  # PLplot: the plots (SVG; PNG through the cairo driver)
  librsvg2-bin                     # rsvg-convert: SVG -> PNG, to look at the plots
  xppaut                           # XPPAUT 6.11: the oracle of tests/e2e/test_xppaut.py (runs headless)
)
if [[ -z ${PINNC_NO_APT:-} ]]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# Check the versions we rely on.
llvm_ver=$(/usr/lib/llvm-19/bin/llvm-config --version)
[[ $llvm_ver == 19.1.* ]] || { echo "setup: need LLVM 19.1, found $llvm_ver" >&2; exit 1; }
grep -q 'EIGEN_WORLD_VERSION 3' /usr/include/eigen3/Eigen/src/Core/util/Macros.h &&
  grep -q 'EIGEN_MAJOR_VERSION 4' /usr/include/eigen3/Eigen/src/Core/util/Macros.h ||
  { echo "setup: need Eigen 3.4" >&2; exit 1; }

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
