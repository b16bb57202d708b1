#!/usr/bin/env python3
"""pinnc against the PyTorch peer (../shared/bench), measured in one run.

  bench/run.py [--pinnc build/pinnc] [--peer ../shared/bench/run_peer.sh] [--pairs 3] [--quick]

Prints a Markdown table (and writes bench/results.md):
  1. the seed setup (1-50-50-50-1 leaky_relu, SGD 8e-3, 501 jittered points, float32, one
     thread): ms/epoch = (wall(10,000 epochs) - wall(10 epochs)) / 9,990 for both tools,
     median of --pairs interleaved pairs, the ratio, and the errors;
  2. wall time of the whole `pinnc train examples/decay.ode` (defaults) and its error,
     against the peer's tanh + Adam error after 10,000 epochs;
  3. parse -> JIT-ready time of every example, measured inside the process, compiled
     (--no-cache) and loaded from the object cache, and the process start-up time;
  4. peak resident memory of the seed setup (/usr/bin/time -v);
  5. the core's FMA peak (build/bench_fma_peak, a register-only loop) and the seed
     setup's GFLOP/s as a share of it, in float32 and float64;
  6. threads: the seed setup and a default-size run (lotka_volterra.ode, defaults) on
     2 threads against 1;
  7. a second table: parse -> JIT-ready of a chain of n coupled ODEs (bench/chain.py),
     n = 2 ... 64, compiled and from the cache.
All pinnc runs use an object cache in a temporary folder.
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


def with_flag(flags, name, value):
    """SEED_FLAGS with one flag's value replaced."""
    out = list(flags)
    out[out.index(name) + 1] = value
    return out


def pinnc_seed(pinnc, epochs, out, flags=SEED_FLAGS):
    t, r = wall([pinnc, "train", os.path.join(ROOT, "examples/decay.ode"), *flags, "--epochs", str(epochs),
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


def ready_ms(pinnc, path, tmp, extra):
    """Parse -> JIT-ready of one `pinnc train` run of one epoch, as it reports it."""
    _, r = wall([pinnc, "train", path, "--out", os.path.join(tmp, "ex"), "--epochs", "1", "--opt", "adam:1",
                 "--no-plots", *extra])
    m = re.search(r"parse to JIT-ready ([\d.]+) ms", r.stdout)
    if not m:
        sys.exit(f"pinnc train printed no timing for {path}:\n{r.stdout}\n{r.stderr}")
    return float(m.group(1))


def training_s(pinnc, path, tmp, threads):
    """Training time of a default run, as the report gives it."""
    _, r = wall([pinnc, "train", path, "--out", os.path.join(tmp, "th"), "--threads", threads, "--no-plots"])
    m = re.search(r"epochs \(.*\) in ([\d.]+) s", r.stdout)
    if not m:
        sys.exit(f"pinnc train printed no training time for {path}:\n{r.stdout}\n{r.stderr}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build/pinnc"))
    ap.add_argument("--peer", default=os.path.join(ROOT, "../shared/bench/run_peer.sh"))
    ap.add_argument("--peak", default=os.path.join(ROOT, "build/bench_fma_peak"))
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 pair, 2,000 epochs (a smoke run, not a measurement)")
    a = ap.parse_args()
    epochs = 2000 if a.quick else 10000
    pairs = 1 if a.quick else a.pairs
    tmp = tempfile.mkdtemp(prefix="pinnc_bench_")
    os.environ["PINNC_CACHE_DIR"] = os.path.join(tmp, "cache")  # inherited by every run
    rows = []
    seed_mflop = 31.3

    # 5a. the FMA peak of this core, before and after the training runs (the better one)
    def fma_peak():
        _, r = wall([a.peak, "20"])
        m = re.search(r"f32 ([\d.]+) f64 ([\d.]+) GFLOP/s \(([^,]+)", r.stdout)
        return (float(m.group(1)), float(m.group(2)), m.group(3)) if m else None
    peaks = [fma_peak()]

    # 1. seed setup, interleaved pairs; pinnc also in float64 and on 2 threads
    def seed_ms(flags):
        tl, err = pinnc_seed(a.pinnc, epochs, os.path.join(tmp, "s"), flags)
        ts, _ = pinnc_seed(a.pinnc, 10, os.path.join(tmp, "s10"), flags)
        return 1e3 * (tl - ts) / (epochs - 10), err
    p_ms, t_ms, d_ms, two_ms, p_err, t_err = [], [], [], [], None, None
    for i in range(pairs):
        ms, p_err = seed_ms(SEED_FLAGS)
        p_ms.append(ms)
        tl, t_err, _ = peer_seed(a.peer, epochs)
        ts, _, _ = peer_seed(a.peer, 10)
        t_ms.append(1e3 * (tl - ts) / (epochs - 10))
        d_ms.append(seed_ms(with_flag(SEED_FLAGS, "--precision", "f64"))[0])
        two_ms.append(seed_ms(with_flag(SEED_FLAGS, "--threads", "2"))[0])
        print(f"pair {i + 1}: pinnc {p_ms[-1]:.3f} ms/epoch (f64 {d_ms[-1]:.3f}, 2 threads {two_ms[-1]:.3f}),"
              f" peer {t_ms[-1]:.3f} ms/epoch", file=sys.stderr)
    ratios = [p / t for p, t in zip(p_ms, t_ms)]
    pm, tm, rm = statistics.median(p_ms), statistics.median(t_ms), statistics.median(ratios)
    dm, twom = statistics.median(d_ms), statistics.median(two_ms)
    rows.append(("seed setup, ms/epoch (f32, 1 thread)", f"{pm:.3f}", f"{tm:.3f}", f"{rm:.2f}", "<= 0.30 ms, >= 3x peer"))
    rows.append((f"seed setup, GFLOP/s ({seed_mflop} MFLOP/epoch)", f"{seed_mflop / pm:.0f}", f"{seed_mflop / tm:.0f}",
                 "", ""))
    rows.append(("seed setup, ms/epoch (f64, 1 thread)", f"{dm:.3f}", "", "", ""))
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

    # 3. parse -> JIT-ready per example (median of 3), compiled and from the cache; start-up
    starts = [wall([a.pinnc, "--version"])[0] for _ in range(5)]
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".ode"))
    miss = [(f, statistics.median(ready_ms(a.pinnc, os.path.join(ROOT, "examples", f), tmp, ["--no-cache"])
                                  for _ in range(3))) for f in examples]
    for f in examples:
        ready_ms(a.pinnc, os.path.join(ROOT, "examples", f), tmp, [])  # stores the kernels
    hit = [statistics.median(ready_ms(a.pinnc, os.path.join(ROOT, "examples", f), tmp, []) for _ in range(3))
           for f in examples]
    worst = max(miss, key=lambda x: x[1])
    rows.append(("parse -> JIT-ready, compiled, median over examples (ms)",
                 f"{statistics.median([m[1] for m in miss]):.1f}", "", "", "<= 30 ms"))
    rows.append((f"parse -> JIT-ready, compiled, worst ({worst[0]}) (ms)", f"{worst[1]:.1f}", "", "", ""))
    rows.append(("parse -> JIT-ready, object cache hit, median over examples (ms)", f"{statistics.median(hit):.1f}",
                 "", "", "<= 5 ms"))
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

    # 5b. share of the FMA peak
    peaks.append(fma_peak())
    if all(peaks):
        f32_peak, f64_peak = max(p[0] for p in peaks), max(p[1] for p in peaks)
        rows.append((f"FMA peak of one core, f32 / f64 (GFLOP/s, {peaks[0][2]} register loop)",
                     f"{f32_peak:.0f} / {f64_peak:.0f}", "", "", ""))
        rows.append(("seed setup, share of the FMA peak, f32 / f64",
                     f"{100 * seed_mflop / pm / f32_peak:.0f}% / {100 * seed_mflop / dm / f64_peak:.0f}%",
                     f"{100 * seed_mflop / tm / f32_peak:.0f}% (f32)", "", ">= 60% (f32)"))
    else:
        rows.append(("FMA peak", "n/a (build/bench_fma_peak missing or not x86)", "", "", ""))

    # 6. threads: 2 against 1
    rows.append(("seed setup, 2 threads, ms/epoch (speed-up over 1 thread)", f"{twom:.3f} ({pm / twom:.2f}x)", "", "",
                 ">= 1.7x"))
    lv = os.path.join(ROOT, "examples/lotka_volterra.ode")
    one = [training_s(a.pinnc, lv, tmp, "1") for _ in range(pairs)]
    two = [training_s(a.pinnc, lv, tmp, "2") for _ in range(pairs)]
    rows.append(("lotka_volterra defaults, training time 1 / 2 threads (s)",
                 f"{statistics.median(one):.2f} / {statistics.median(two):.2f}"
                 f" ({statistics.median(one) / statistics.median(two):.2f}x)", "", "", ">= 1.7x"))

    table = ["| measure | pinnc | PyTorch peer | ratio | target |", "|---|---|---|---|---|"]
    table += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |" for r in rows]

    # 7. compile scaling
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import chain  # noqa: E402 (bench/chain.py)
    table += ["", "Parse -> JIT-ready of a chain of n coupled linear ODEs (bench/chain.py), median of 3 (ms):", "",
              "| n | compiled | object cache hit |", "|---|---|---|"]
    scaling = {}
    for n in (2, 4, 6, 8, 16, 24, 32, 48, 64):
        path = os.path.join(tmp, f"chain{n}.ode")
        with open(path, "w") as f:
            f.write(chain.chain_source(n))
        compiled = statistics.median(ready_ms(a.pinnc, path, tmp, ["--no-cache"]) for _ in range(3))
        ready_ms(a.pinnc, path, tmp, [])
        cached = statistics.median(ready_ms(a.pinnc, path, tmp, []) for _ in range(3))
        scaling[n] = compiled
        table.append(f"| {n} | {compiled:.1f} | {cached:.1f} |")
    decay_ms = dict(miss)["decay.ode"]
    table += ["", f"n = 48 against n = 6: {scaling[48] / scaling[6]:.1f}x (target <= 12x); against decay.ode:"
              f" {scaling[48] / decay_ms:.1f}x (target <= 20x); n = 48: {scaling[48]:.0f} ms (target <= 150 ms for"
              " 50 unknowns)."]
    text = "\n".join(table) + "\n"
    print(text)
    if not a.quick:
        with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
            f.write(f"Measured by bench/run.py on {time.strftime('%Y-%m-%d')}, {pairs} interleaved pairs.\n\n" + text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
