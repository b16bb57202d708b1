#!/usr/bin/env python3
"""Golden-file tests for `pinnc check`.

Runs `pinnc check` (from the repository root, with relative paths, so the expected files
are machine-independent) on every examples/*.ode and every tests/golden/fail_*.ode and
warn_*.ode, and compares stdout + stderr + exit code with the .expected file beside it
(tests/golden/examples/<name>.expected for the examples). The XPPAUT files in
tests/golden/xpp/ are checked the same way, and `pinnc convert` of each is compared with
<name>.pinnc.expected (the pinnc program the reader makes of it). Also checks that every
diagnostic kind registered in compiler/frontend/diagnostic_kinds.def as golden has a
fail_<kind>.ode (errors) or warn_<kind>.ode (warnings) that produces it.

Usage: run.py --pinnc PATH --root REPO [--update]
  --update   rewrite the .expected files from the current output (review the diff!)
"""
import argparse
import difflib
import os
import re
import subprocess
import sys


def run_check(pinnc, root, rel, command="check"):
    proc = subprocess.run([pinnc, command, rel], cwd=root, capture_output=True, timeout=60)
    out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    return out + f"[exit {proc.returncode}]\n", proc.returncode


def registered_kinds(root):
    """(code, severity) of every kind marked golden in the registry."""
    path = os.path.join(root, "compiler", "frontend", "diagnostic_kinds.def")
    kinds = []
    row = re.compile(r'^DIAG\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(true|false)\s*,')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = row.match(line)
            if m and m.group(3) == "true":
                kinds.append((m.group(1), m.group(2)))
    return kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pinnc", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    pinnc = os.path.abspath(args.pinnc)
    root = os.path.abspath(args.root)
    golden = os.path.join("tests", "golden")

    cases = []  # (relative .ode path, relative .expected path[, command])
    for name in sorted(os.listdir(os.path.join(root, "examples"))):
        if name.endswith(".ode"):
            cases.append((os.path.join("examples", name),
                          os.path.join(golden, "examples", name[:-4] + ".expected")))
    for name in sorted(os.listdir(os.path.join(root, golden))):
        if name.endswith(".ode") and (name.startswith("fail_") or name.startswith("warn_")):
            cases.append((os.path.join(golden, name), os.path.join(golden, name[:-4] + ".expected")))
    xpp = os.path.join(golden, "xpp")
    for name in sorted(os.listdir(os.path.join(root, xpp))):
        if name.endswith(".ode"):
            cases.append((os.path.join(xpp, name), os.path.join(xpp, name[:-4] + ".expected")))
            cases.append((os.path.join(xpp, name), os.path.join(xpp, name[:-4] + ".pinnc.expected"), "convert"))

    passed = failed = 0
    outputs = {}
    for ode, expected_path, *command in cases:
        actual, code = run_check(pinnc, root, ode, *command)
        if not command:
            outputs[ode] = actual
        problems = []
        base = os.path.basename(ode)
        if base.startswith("fail_") and code != 1:
            problems.append(f"expected exit code 1 for a fail_ file, got {code}")
        if (base.startswith("warn_") or ode.startswith("examples")) and code != 0:
            problems.append(f"expected exit code 0, got {code}")
        full = os.path.join(root, expected_path)
        if args.update:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(actual)
        else:
            try:
                with open(full, encoding="utf-8") as f:
                    expected = f.read()
            except FileNotFoundError:
                expected = None
                problems.append(f"missing {expected_path} (run with --update to create it)")
            if expected is not None and expected != actual:
                diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            expected_path, "actual output")
                problems.append("output differs:\n" + "".join(diff))
        if problems:
            failed += 1
            print(f"FAIL {ode}")
            for p in problems:
                print("  " + p.replace("\n", "\n  ").rstrip())
        else:
            passed += 1

    # Every registered diagnostic kind has its own test file that produces it.
    for code, severity in registered_kinds(root):
        prefix = "warn_" if severity == "Warning" else "fail_"
        stem = prefix + code.split("-", 1)[1].replace("-", "_")
        ode = os.path.join(golden, stem + ".ode")
        if ode not in outputs:
            failed += 1
            print(f"FAIL {code}: no {ode}")
        elif f"[{code}]" not in outputs[ode]:
            failed += 1
            print(f"FAIL {code}: {ode} does not produce it")
        else:
            passed += 1

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
