#!/usr/bin/env python3
"""Training speed of an emitted standalone solver against pinnc's own (JIT) run.

  bench/bench_emit.py [--pinnc build/pinnc] [--example decay] [--pairs 5] [-- training flags]

Emits examples/EXAMPLE.ode with the training flags (default: the seed setup's shape on the
example, 2000 Adam epochs then 200 LM), compiles it with the build line from its opening
comment (g++ -std=c++17 -O2 -march=native -ffp-contract=off), then runs --pairs interleaved
pairs (solver, pinnc train) and compares the training time each prints on its `training`
line (the same clock around the same loop; start-up, JIT compile and file output excluded).
Prints each pair, the median ratio emitted/JIT, and whether the final losses are identical.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAINING = re.compile(r"^training\s+\d+ epochs \(.*\) in ([0-9.]+) s", re.M)
LOSS = re.compile(r"^loss\s+total (\S+)", re.M)


def measure(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    m, l = TRAINING.search(r.stdout), LOSS.search(r.stdout)
    if r.returncode not in (0, 4) or not m:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return float(m.group(1)), l.group(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build", "pinnc"))
    ap.add_argument("--example", default="decay")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("flags", nargs="*", default=["--opt", "adam:2000,lm:200"])
    a = ap.parse_args()
    src = os.path.join(ROOT, "examples", a.example + ".ode")
    tmp = tempfile.mkdtemp(prefix="pinnc_bench_emit_")
    cpp = os.path.join(tmp, "solver.cpp")
    subprocess.run([a.pinnc, "emit", src, "-o", cpp, *a.flags], check=True)
    build = next(l for l in open(cpp) if l.startswith("//   g++ "))[4:].split()
    print("build:", " ".join(build))
    subprocess.run(build, cwd=tmp, check=True)
    solver = [os.path.join(tmp, "solver"), "--out", os.path.join(tmp, "s"), ]
    jit = [a.pinnc, "train", src, "--out", os.path.join(tmp, "p"), *a.flags]
    ratios, same = [], True
    for i in range(a.pairs):
        te, le = measure(solver)
        tj, lj = measure(jit)
        ratios.append(te / tj)
        same = same and le == lj
        print(f"pair {i + 1}: emitted {te:.3f} s   JIT {tj:.3f} s   ratio {te / tj:.3f}   loss {le} / {lj}")
    print(f"{a.example} {' '.join(a.flags)}: median ratio emitted/JIT {statistics.median(ratios):.3f} "
          f"over {a.pairs} interleaved pairs; final losses {'identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
