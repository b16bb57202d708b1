#!/usr/bin/env python3
"""pinnc against the PyTorch peer (../shared/bench), measured in one run.

  bench/run.py [--pinnc build/pinnc] [--peer ../shared/bench/run_peer.sh] [--pairs 3] [--quick]

Prints a Markdown table (and writes bench/results.md):
  1. the seed setup (1-50-50-50-1 leaky_relu, SGD 8e-3, 501 jittered points, float32, one
     thread): ms/epoch = (wall(10,000 epochs) - wall(10 epochs)) / 9,990 for both tools,
     median of --pairs interleaved pairs, the ratio, and the errors;
  2. wall time of the whole `pinnc train examples/decay.ode` (defaults) and its error,
     against the peer's tanh + Adam error after 10,000 epochs;
  3. parse -> JIT-ready time of every example, measured inside the process, and the
     process start-up time (`pinnc --version`);
  4. peak resident memory of the seed setup (/usr/bin/time -v).
Absolute times on these machines drift 10-20% between runs: compare ratios.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_FLAGS = ["--net", "50,50,50", "--act", "leaky_relu", "--opt", "sgd", "--lr", "8e-3", "--points", "501",
              "--sampling", "jitter:0.1", "--conditions", "soft", "--precision", "f32", "--threads", "1",
              "--scaling", "off", "--init", "torch"]


def wall(cmd, **kw):
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - start, r


def pinnc_seed(pinnc, epochs, out):
    t, r = wall([pinnc, "train", os.path.join(ROOT, "examples/decay.ode"), *SEED_FLAGS, "--epochs", str(epochs),
                 "--out", out, "--quiet"])
    if r.returncode not in (0, 4):
        sys.exit(f"pinnc failed: {r.stderr}")
    res = json.load(open(os.path.join(out, "model.json")))["results"]
    return t, res["rel_l2"]


def peer_seed(peer, epochs, extra=()):
    t, r = wall(["bash", peer, "--epochs", str(epochs), *extra])
    if r.returncode != 0:
        sys.exit(f"peer failed: {r.stdout}\n{r.stderr}")
    m = re.search(r"interp_rel_l2 (\S+)", r.stdout)
    w = re.search(r"wall_time_s (\S+)", r.stdout)
    return t, float(m.group(1)), float(w.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build/pinnc"))
    ap.add_argument("--peer", default=os.path.join(ROOT, "../shared/bench/run_peer.sh"))
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 pair, 2,000 epochs (a smoke run, not a measurement)")
    a = ap.parse_args()
    epochs = 2000 if a.quick else 10000
    pairs = 1 if a.quick else a.pairs
    tmp = tempfile.mkdtemp(prefix="pinnc_bench_")
    rows = []

    # 1. seed setup, interleaved pairs
    p_ms, t_ms, p_err, t_err = [], [], None, None
    for i in range(pairs):
        tl, p_err = pinnc_seed(a.pinnc, epochs, os.path.join(tmp, "s"))
        ts, _ = pinnc_seed(a.pinnc, 10, os.path.join(tmp, "s10"))
        p_ms.append(1e3 * (tl - ts) / (epochs - 10))
        tl, t_err, _ = peer_seed(a.peer, epochs)
        ts, _, _ = peer_seed(a.peer, 10)
        t_ms.append(1e3 * (tl - ts) / (epochs - 10))
        print(f"pair {i + 1}: pinnc {p_ms[-1]:.3f} ms/epoch, peer {t_ms[-1]:.3f} ms/epoch", file=sys.stderr)
    ratios = [p / t for p, t in zip(p_ms, t_ms)]
    pm, tm, rm = statistics.median(p_ms), statistics.median(t_ms), statistics.median(ratios)
    rows.append(("seed setup, ms/epoch (f32, 1 thread)", f"{pm:.3f}", f"{tm:.3f}", f"{rm:.2f}", "<= 0.25 ms"))
    rows.append(("seed setup, GFLOP/s (31.3 MFLOP/epoch)", f"{31.3 / pm:.0f}", f"{31.3 / tm:.0f}", "", ""))
    rows.append((f"seed setup, relative L2 error after {epochs} epochs", f"{p_err:.2e}", f"{t_err:.2e}", "", ""))

    # 2. time to 1e-6 on decay with pinnc's defaults, whole process
    out = os.path.join(tmp, "decay")
    times = []
    for _ in range(pairs):
        t, r = wall([a.pinnc, "train", os.path.join(ROOT, "examples/decay.ode"), "--out", out, "--quiet"])
        times.append(t)
    err = json.load(open(os.path.join(out, "model.json")))["results"]["rel_l2"]
    _, adam_err, adam_wall = peer_seed(a.peer, epochs, ["--activation", "tanh", "--optimizer", "adam"])
    rows.append(("decay, defaults: whole-process wall time (s)", f"{statistics.median(times):.3f}",
                 f"{adam_wall:.1f} (training only)", "", "<= 0.5 s"))
    rows.append(("decay: relative L2 error (pinnc defaults / peer tanh+Adam 1e4)", f"{err:.2e}", f"{adam_err:.2e}",
                 "", "<= 1e-6"))

    # 3. parse -> JIT-ready per example, and process start-up
    starts = [wall([a.pinnc, "--version"])[0] for _ in range(5)]
    ready = []
    for f in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        if not f.endswith(".ode"):
            continue
        _, r = wall([a.pinnc, "train", os.path.join(ROOT, "examples", f), "--out", os.path.join(tmp, "ex"),
                     "--epochs", "1", "--opt", "adam:1"])
        m = re.search(r"parse to JIT-ready ([\d.]+) ms", r.stdout)
        if m:
            ready.append((f, float(m.group(1))))
    worst = max(ready, key=lambda x: x[1])
    rows.append(("parse -> JIT-ready, median over examples (ms)", f"{statistics.median([r[1] for r in ready]):.1f}",
                 "", "", "<= 30 ms"))
    rows.append((f"parse -> JIT-ready, worst ({worst[0]}) (ms)", f"{worst[1]:.1f}", "", "", "<= 30 ms"))
    rows.append(("process start-up, `pinnc --version` (ms)", f"{1e3 * statistics.median(starts):.1f}", "", "", ""))

    # 4. peak memory of the seed setup
    if shutil.which("/usr/bin/time") or os.path.exists("/usr/bin/time"):
        _, r = wall(["/usr/bin/time", "-v", a.pinnc, "train", os.path.join(ROOT, "examples/decay.ode"), *SEED_FLAGS,
                     "--epochs", "1000", "--out", os.path.join(tmp, "mem"), "--quiet"])
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        if m:
            rows.append(("seed setup, peak RSS (MB)", f"{int(m.group(1)) / 1024:.1f}", "", "", "<= 64 MB"))
    else:
        rows.append(("seed setup, peak RSS", "n/a: install Debian's `time`", "", "", ""))

    table = ["| measure | pinnc | PyTorch peer | ratio | target |", "|---|---|---|---|---|"]
    table += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |" for r in rows]
    text = "\n".join(table) + "\n"
    print(text)
    if not a.quick:
        with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
            f.write(f"Measured by bench/run.py on {time.strftime('%Y-%m-%d')}, {pairs} interleaved pairs.\n\n" + text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
