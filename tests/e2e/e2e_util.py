"""Shared helpers for the end-to-end tests: run pinnc, check results, count outcomes."""
import argparse
import os
import subprocess
import sys
import tempfile
import time


# Set by tests/tests.cmake in the sanitizer build (scripts/test.sh), where pinnc runs 3-5
# times slower: a run that stops at the default budget (55 s) there would end short of
# where the Release build gets, so `train` and `emit` get a larger one unless a test gives
# its own.
SANITIZED = bool(os.environ.get("PINNC_E2E_SANITIZED"))
SANITIZED_BUDGET = "600"
# A file to which every pinnc run appends "seconds<TAB>test<TAB>arguments" (unset: none):
# where the suite's time goes, e.g. to keep CI short.
TIMES = os.environ.get("PINNC_E2E_TIMES")


class Suite:
    """Collects check results and prints the closing 'N passed, M failed' line."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        p = argparse.ArgumentParser()
        p.add_argument("--pinnc", required=True)
        p.add_argument("--root", required=True)
        self.args = p.parse_args()
        self.pinnc = os.path.abspath(self.args.pinnc)
        self.root = os.path.abspath(self.args.root)
        self.tmp = tempfile.mkdtemp(prefix="pinnc_e2e_")

    def run(self, *argv, cwd=None, stdin=None, timeout=300):
        if (SANITIZED and argv and argv[0] in ("train", "emit") and "--budget" not in argv and "--help" not in argv
                and "--model" not in argv):
            argv = (argv[0], "--budget", SANITIZED_BUDGET, *argv[1:])  # first: a trailing flag keeps its error
        start = time.perf_counter()
        r = subprocess.run([self.pinnc, *argv], cwd=cwd or self.root, input=stdin, capture_output=True,
                           text=True, timeout=timeout * (3 if SANITIZED else 1))
        if TIMES:
            with open(TIMES, "a") as f:
                f.write(f"{time.perf_counter() - start:.1f}\t{self.name}\t{' '.join(argv)}\n")
        return r

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {self.name}: {what}\n{detail}", file=sys.stderr)
        return cond

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def check_emitted_solver(suite, ode, trained, name):
    """Emits `ode` as a standalone solver, compiles it as test_emit.py does (-O1, warnings as
    errors), runs it, and checks that its solution.csv and loss.csv equal those `pinnc
    train` wrote into the folder `trained` (the same file, flags and seed)."""
    cpp = os.path.join(suite.tmp, name + "_solver.cpp")
    exe = os.path.join(suite.tmp, name + "_solver")
    r = suite.run("emit", ode, "-o", cpp)
    c = subprocess.run(["g++", "-std=c++17", "-O1", "-march=native", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
                        "-I/usr/include/eigen3", cpp, "-o", exe], capture_output=True, text=True) if r.returncode == 0 else None
    if not suite.check(c is not None and c.returncode == 0, f"{name}: the emitted solver compiles",
                       (c.stderr if c else r.stderr)[-2000:]):
        return
    emitted = os.path.join(suite.tmp, name + "_emitted")
    e = subprocess.run([exe, "--out", emitted, "--quiet"], capture_output=True, text=True)
    suite.check(e.returncode == 0 and all(open(os.path.join(emitted, f)).read() == open(os.path.join(trained, f)).read()
                                          for f in ("solution.csv", "loss.csv")),
                f"{name}: the emitted solver's solution.csv and loss.csv equal pinnc train's", e.stdout + e.stderr)


def read_csv(path):
    with open(path) as f:
        lines = f.read().strip().split("\n")
    header = lines[0].split(",")
    rows = [[float(x) if x not in ("", "nan") else float("nan") for x in line.split(",")] for line in lines[1:]]
    return header, rows
