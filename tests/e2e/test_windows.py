"""End-to-end: time-marching (`--windows`, runtime/include/pinnc/post/march.h). An
oscillator over ~5 periods, which one network with the default settings misses by orders
of magnitude, is solved window by window to the default target; the piecewise model is
written as model.json version 2, read back by `pinnc eval` (a derivative at a window edge is
the right-hand window's), and its evaluator header agrees with `pinnc eval`; the run is
deterministic; a problem that cannot march says why; broken windows in a model are
refused with the field named."""
import json
import math
import os
import re
import subprocess

from e2e_util import SANITIZED, Suite, read_csv

s = Suite("windows")
ode = os.path.join(s.tmp, "osc.ode")
open(ode, "w").write("t in [0, 30]\ny'' + y = 0\ny(0) = 1\ny'(0) = 0\n")

# 1. One network (windows off) misses; time-marching meets the target.
one = os.path.join(s.tmp, "one")
r = s.run("train", ode, "--out", one, "--windows", "off")
s.check(r.returncode == 4 and "not met" in r.stdout, "one network over [0, 30] misses the target (exit 4)", r.stdout)
out = os.path.join(s.tmp, "win")
r = s.run("train", ode, "--out", out, "--windows", "on")
s.check(r.returncode == 0 and "verdict   trusted" in r.stdout and "time-marching:" in r.stdout,
        "time-marching: trusted, and the report says how many windows", r.stdout + r.stderr)
rows = read_csv(os.path.join(out, "solution.csv"))[1] if r.returncode == 0 else []
worst = max((abs(row[1] - math.cos(row[0])) for row in rows), default=math.inf)
s.check(worst <= 1e-6, f"the piecewise solution is within 1e-6 of cos(t) on the fine grid (worst {worst:.2e})")

# 2. model.json: version 2 with windows covering the interval end to end.
model = json.load(open(os.path.join(out, "model.json"))) if r.returncode == 0 else {}
wins = model.get("windows", [])
s.check(model.get("version") == 2 and len(wins) >= 2, "model.json version 2 lists the windows", str(model.get("version")))
s.check(wins and wins[0]["interval"][0] == 0 and wins[-1]["interval"][1] == 30 and
        all(a["interval"][1] == b["interval"][0] for a, b in zip(wins, wins[1:])),
        "the windows cover [0, 30] end to end")
s.check(wins and wins[0]["start"] == [1, 0], "the first window starts from the initial conditions", str(wins[:1]))

# 3. eval: values and the derivative at a window edge (the right-hand window's, whose
# start state is the left window's end: value and y' continuous).
if len(wins) >= 2:
    edge = wins[1]["interval"][0]
    r = s.run("eval", out, "--at", f"{edge!r},10,30", "-d")
    vals = [[float(x) for x in l.split(",")] for l in r.stdout.strip().split("\n")[1:]] if r.returncode == 0 else []
    s.check(len(vals) == 3 and abs(vals[0][1] - wins[1]["start"][0]) <= 1e-15 * max(1, abs(vals[0][1]))
            and abs(vals[0][2] - wins[1]["start"][1]) <= 1e-15 * max(1, abs(vals[0][2])),
            "eval at a window edge gives the right-hand window's start state", r.stdout + r.stderr)
    s.check(len(vals) == 3 and abs(vals[1][1] - math.cos(10)) < 1e-6 and abs(vals[1][2] + math.sin(10)) < 1e-5,
            "eval y(10), y'(10) against cos, -sin", r.stdout)

    # 4. The evaluator header picks the window as pinnc eval does.
    hpp = os.path.join(s.tmp, "osc_solution.hpp")
    r = s.run("emit", "--model", out, "-o", hpp)
    pts = [0.0, edge, 0.5 * (edge + wins[1]["interval"][1]), 10.0, 29.99, 30.0]
    prog = os.path.join(s.tmp, "use.cpp")
    open(prog, "w").write(f'#include <cstdio>\n#include <initializer_list>\n#include "{hpp}"\nint main() {{\n'
                          f'  for (double t : {{{", ".join(repr(p) for p in pts)}}}) {{\n'
                          '    double u[osc::n_unknowns][osc::order + 1];\n    osc::solution(t, u);\n'
                          '    std::printf("%.17g %.17g %.17g\\n", u[0][0], u[0][1], u[0][2]);\n  }\n}\n')
    c = subprocess.run(["g++", "-std=c++17", "-O1", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", prog, "-o",
                        os.path.join(s.tmp, "use")], capture_output=True, text=True, timeout=300)
    if s.check(r.returncode == 0 and c.returncode == 0, "emit --model of a piecewise model compiles warning-free",
               r.stderr + c.stderr[-2000:]):
        got = [[float(x) for x in l.split()] for l in
               subprocess.run([os.path.join(s.tmp, "use")], capture_output=True, text=True).stdout.strip().split("\n")]
        r = s.run("eval", out, "--at", ",".join(repr(p) for p in pts), "-d")
        ref = [[float(x) for x in l.split(",")[1:]] for l in r.stdout.strip().split("\n")[1:]]
        bad = [(pts[i], k, a, b) for i, (g, e) in enumerate(zip(got, ref)) for k, (a, b) in enumerate(zip(g, e))
               if not abs(a - b) <= 1e-12 * max(1e-2, abs(b))]
        s.check(len(got) == len(pts) and len(ref) == len(pts) and not bad, "the header agrees with pinnc eval",
                str(bad[:4]))

# 5. Deterministic: the same file and seed give the same bytes.
again = os.path.join(s.tmp, "again")
r = s.run("train", ode, "--out", again, "--windows", "on", "--quiet")
same = r.returncode == 0 and all(open(os.path.join(out, f), "rb").read() == open(os.path.join(again, f), "rb").read()
                                 for f in ("solution.csv", "model.json", "loss.csv"))
s.check(same, "a second run writes the same solution.csv, model.json and loss.csv")

# 6. A boundary value problem cannot march: trained as one network, with a note.
bvp = os.path.join(s.tmp, "bvp.ode")
open(bvp, "w").write("t in [0, 1]\ny'' = -y\ny(0) = 0\ny(1) = 1\n")
r = s.run("train", bvp, "--out", os.path.join(s.tmp, "bvp"), "--windows", "on", "--opt", "adam:50,lm:50")
s.check(r.returncode in (0, 4) and "time windows were not used: it is not an initial value problem" in r.stdout,
        "a BVP with --windows on: a note says why no windows", r.stdout + r.stderr)

# 7. Broken windows in a model are refused, naming the field.
if wins:
    bad = dict(model)
    bad["windows"] = [dict(w) for w in wins]
    bad["windows"][0]["interval"] = [0, wins[0]["interval"][1] * 0.5]
    path = os.path.join(s.tmp, "bad.json")
    json.dump(bad, open(path, "w"))
    r = s.run("eval", path, "--at", "1")
    s.check(r.returncode == 1 and "windows[1]" in r.stderr and "cover the interval" in r.stderr,
            "a model whose windows leave a gap is refused", r.stderr)
    bad["windows"] = [dict(w) for w in wins]
    bad["windows"][0]["start"] = [1]
    json.dump(bad, open(path, "w"))
    r = s.run("eval", path, "--at", "1")
    s.check(r.returncode == 1 and "windows[0].start: the state needs 2 values" in r.stderr, "a short start state is refused",
            r.stderr)
    bad["windows"] = [dict(w) for w in wins]
    bad["version"] = 1
    json.dump(bad, open(path, "w"))
    r = s.run("eval", path, "--at", "1")
    s.check(r.returncode == 1 and "version 2" in r.stderr, "windows in a version-1 model are refused", r.stderr)

# 8. The default (--windows auto) on a system whose unknowns differ in size a hundredfold
# (SIR: I from 1e-3 to its peak 0.15): one network collapses I to 0, the march solves it.
d = os.path.join(s.tmp, "sir")
r = s.run("train", "tests/e2e/data/sir_small.ode", "--out", d, "--no-plots")
s.check(r.returncode == 0 and "verdict   trusted" in r.stdout and "time-marching took over" in r.stdout,
        f"SIR: the default marches to the target (exit {r.returncode})", r.stdout)
if os.path.exists(os.path.join(d, "model.json")):
    res = json.load(open(os.path.join(d, "model.json")))["results"]
    s.check(res["rel_error"] <= 1e-6, f"SIR: error {res['rel_error']:.2g} within rtol 1e-6")

# 9. A BVP cannot march: with the default (auto) one network is polished by more least
# squares until the target; with --windows off it stops short of it.
r = s.run("train", "tests/e2e/data/beam.ode", "--out", os.path.join(s.tmp, "beam_off"), "--no-plots", "--windows", "off")
s.check(r.returncode == 4, f"beam, one network as scheduled: not trusted (exit {r.returncode})", r.stdout)
r = s.run("train", "tests/e2e/data/beam.ode", "--out", os.path.join(s.tmp, "beam"), "--no-plots")
s.check(r.returncode == 0 and "verdict   trusted" in r.stdout and "cannot march (it is not an initial value problem)" in r.stdout
        and "of least squares" in r.stdout, f"beam, the default polishes to the target (exit {r.returncode})", r.stdout)

# 9b. A boundary layer of width 0.005 (tests/e2e/data/layer.ode): the polish starts on the
# points its fastest time scale asks for (2/eps) and adds points where the residual is
# largest; evenly spaced doubling from 128 points alone ended 5.9e5 times over the target.
# Whether the last rounds reach 1e-6 depends on the training's path: of seeds 0, 1, 2, on
# 2026-12-05 seeds 0 and 2 reached it (0.66 and 0.84 times the target) and seed 1 stalled
# at 19 times (doubling the points from 800 made each later round worse). So two of the
# three must reach it, and every one's verdict must match its true error. Under the
# sanitizers (slow, same code paths) seed 0 alone, which must reach it.
eps = 0.005
exact = lambda t: (math.exp(-t) - math.exp(-t / eps)) / (math.exp(-1) - math.exp(-1 / eps))
reached = 0
seeds = ("0",) if SANITIZED else ("0", "1", "2")
for seed in seeds:
    d = os.path.join(s.tmp, "layer" + seed)
    r = s.run("train", "tests/e2e/data/layer.ode", "--out", d, "--no-plots", "--seed", seed)
    m = re.search(r"of least squares \(the last on (\d+) points\)", r.stdout)
    s.check(r.returncode in (0, 4) and m and int(m.group(1)) >= 400,
            f"boundary layer, seed {seed}: polished on more points (exit {r.returncode})", r.stdout + r.stderr)
    if not os.path.exists(os.path.join(d, "solution.csv")):
        continue
    rows = read_csv(os.path.join(d, "solution.csv"))[1]
    worst = max(abs(row[1] - exact(row[0])) for row in rows) / max(abs(exact(row[0])) for row in rows)
    trusted = r.returncode == 0 and "verdict   trusted" in r.stdout
    s.check(trusted == (worst <= 1e-6),
            f"boundary layer, seed {seed}: the verdict matches the true error {worst:.2e} (exit {r.returncode})", r.stdout)
    reached += worst <= 1e-6
s.check(reached >= min(2, len(seeds)),
        f"boundary layer: {reached} of {len(seeds)} seeds polished to within 1e-6 of the closed form's scale")

# 10. The budget caps the first network too: stopped where it was, nothing marches.
r = s.run("train", "examples/lotka_volterra.ode", "--out", os.path.join(s.tmp, "budget"), "--no-plots", "--budget", "0.05",
          "--opt", "adam:20000")
s.check("stopped: the budget (--budget) ran out" in r.stdout and "time-marching was not tried" in r.stdout and
        r.returncode in (0, 4), f"--budget 0.05 stops the first network (exit {r.returncode})", r.stdout + r.stderr)

# 10b. A first network that took over half the budget is continued by least squares, not
# marched (a march trains every window afresh). The budget is set from a timed run of the
# same schedule to 1.5 times its training time; the rule is by the clock, so a run whose
# time strays by a quarter takes another path: a few tries, and one must take this one.
hit = None
for attempt in range(4):
    r = s.run("train", ode, "--out", os.path.join(s.tmp, "slow_off"), "--no-plots", "--windows", "off",
              "--opt", "adam:6000,lm:20")
    m = re.search(r"in ([0-9.]+) s, stopped", r.stdout)
    if not m:
        break
    budget = 1.5 * float(m.group(1))
    r = s.run("train", ode, "--out", os.path.join(s.tmp, "slow"), "--no-plots", "--opt", "adam:6000,lm:20",
              "--budget", f"{budget:.3f}")
    if "a march would not fit in the budget" in r.stdout or "a march trains every window afresh" in r.stdout:
        hit = r
        break
s.check(hit is not None and "time-marching:" not in hit.stdout and hit.returncode in (0, 4),
        "a first network that took over half the budget is not followed by a march (a note says why)",
        (hit or r).stdout + (hit or r).stderr)

# 11. Settings: bad values get a clear message.
r = s.run("train", ode, "--windows", "sometimes")
s.check(r.returncode == 2 and "expected off, auto or on" in r.stderr, "--windows sometimes is refused", r.stderr)
r = s.run("train", ode, "--budget", "-3")
s.check(r.returncode == 2 and "expected seconds" in r.stderr, "--budget -3 is refused", r.stderr)
s.finish()
