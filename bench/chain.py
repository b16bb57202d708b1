#!/usr/bin/env python3
"""Compile cost of a chain of n coupled linear ODEs, as n grows.

  bench/chain.py [--pinnc build/pinnc] [--bench build/bench_jit_compile] [--sizes 8,16,24,48]
                 [--repeats 3] [--write DIR]

The problem for size n (unknowns y1..yn, y0 = y(n+1) = 0):
    yi' = y(i-1) - 2*yi + y(i+1),   yi(0) = sin(pi*i/(n+1)),   t in [0, 1]
Each equation touches three unknowns, so the structurally non-zero partials dr_e/du_j^(k)
grow like 3n while the dense E x U x (K+1) array grows like n^2.

For each n it prints:
  - the size of `pinnc check --dump=kernels` (bytes and lines) and its wall time;
  - parse -> JIT-ready as `pinnc train` reports it (median of --repeats runs of one epoch),
    compiled (--no-cache) and loaded from a fresh object cache (the second run);
  - when build/bench_jit_compile exists: front end, lowering and kernel compile separately.
--write DIR keeps the generated .ode files there.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def chain_source(n):
    lines = [f"# A chain of {n} coupled linear ODEs (bench/chain.py).", "t in [0, 1]"]
    for i in range(1, n + 1):
        rhs = []
        if i > 1:
            rhs.append(f"y{i - 1}")
        rhs.append(f"2*y{i}")
        if i < n:
            rhs.append(f"y{i + 1}")
        expr = (rhs[0] + " - " + " + ".join(rhs[1:])) if i > 1 else "-" + " + ".join(rhs)
        lines.append(f"y{i}' = {expr}")
    for i in range(1, n + 1):
        lines.append(f"y{i}(0) = sin(pi*{i}/{n + 1})")
    return "\n".join(lines) + "\n"


def run(cmd, env=None):
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build/pinnc"))
    ap.add_argument("--bench", default=os.path.join(ROOT, "build/bench_jit_compile"))
    ap.add_argument("--sizes", default="2,4,8,16,32,48,64")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--write", default="")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    tmp = a.write or tempfile.mkdtemp(prefix="pinnc_chain_")
    os.makedirs(tmp, exist_ok=True)
    cache = os.path.join(tmp, "cache")
    print("| n | dump=kernels bytes | lines | dump time (s) | parse -> JIT-ready, compiled (ms) |"
          " cache hit (ms) | front end (ms) | lowering (ms) | kernel compile (ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        path = os.path.join(tmp, f"chain{n}.ode")
        with open(path, "w") as f:
            f.write(chain_source(n))
        dump_s, r = run([a.pinnc, "check", path, "--dump=kernels"])
        if r.returncode != 0:
            sys.exit(f"pinnc check failed for n={n}:\n{r.stderr}")
        dump_bytes, dump_lines = len(r.stdout.encode()), r.stdout.count("\n")
        def ready_ms(extra):
            _, r = run([a.pinnc, "train", path, "--epochs", "1", "--opt", "adam:1", "--no-plots",
                        "--out", os.path.join(tmp, f"out{n}"), *extra], env={**os.environ, "PINNC_CACHE_DIR": cache})
            m = re.search(r"parse to JIT-ready ([\d.]+) ms", r.stdout)
            if not m:
                sys.exit(f"pinnc train printed no timing for n={n}:\n{r.stdout}\n{r.stderr}")
            return float(m.group(1))
        ready = [ready_ms(["--no-cache"]) for _ in range(a.repeats)]
        ready_ms([])  # stores the kernels
        hit = [ready_ms([]) for _ in range(a.repeats)]
        front = low = comp = ""
        if os.path.exists(a.bench):
            _, r = run([a.bench, path, "1"])
            m = re.search(r"front end ([\d.]+) ms, lowering ([\d.]+) ms", r.stdout)
            c = re.search(r"compile 1: ([\d.]+) ms", r.stdout)
            if m and c:
                front, low, comp = m.group(1), m.group(2), c.group(1)
        print(f"| {n} | {dump_bytes} | {dump_lines} | {dump_s:.2f} | {statistics.median(ready):.1f} |"
              f" {statistics.median(hit):.1f} | {front} |"
              f" {low} | {comp} |", flush=True)


if __name__ == "__main__":
    main()
