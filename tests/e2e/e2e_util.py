"""Shared helpers for the end-to-end tests: run pinnc, check results, count outcomes."""
import argparse
import os
import subprocess
import sys
import tempfile


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
        return subprocess.run([self.pinnc, *argv], cwd=cwd or self.root, input=stdin, capture_output=True,
                              text=True, timeout=timeout)

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


def read_csv(path):
    with open(path) as f:
        lines = f.read().strip().split("\n")
    header = lines[0].split(",")
    rows = [[float(x) if x not in ("", "nan") else float("nan") for x in line.split(",")] for line in lines[1:]]
    return header, rows
