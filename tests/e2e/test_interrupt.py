"""End-to-end: an interrupted `pinnc train` keeps its work. SIGINT (Ctrl-C) or SIGTERM
stops training at the end of the current epoch; solution.csv, loss.csv, model.json and the
plots are written from the best weights reached, model.json says "partial": true, the
report says "interrupted at epoch N", and the exit code is 130 or 143. A second signal ends
the process at once, leaving no visible output half-written."""
import csv
import json
import math
import os
import signal
import subprocess
import time

from e2e_util import Suite

s = Suite("interrupt")
ode = os.path.join(s.tmp, "decay.ode")
open(ode, "w").write("t in [0, 5]\ny' = -y\ny(0) = 1\nexact y = exp(-t)\n")
# Far more epochs than the test waits for: only a signal ends this run.
ENDLESS = ["--opt", "adam:100000000", "--windows", "off"]


def started_run(name, extra=()):
    out = os.path.join(s.tmp, name)
    p = subprocess.Popen([s.pinnc, "train", ode, "--out", out, *ENDLESS, *extra], cwd=s.root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)  # compiled and some thousands of epochs in
    return p, out


def finished(p, timeout=60):
    try:
        stdout, stderr = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        stdout, stderr = p.communicate()
        return None, stdout, stderr
    return p.returncode, stdout, stderr


# 1. SIGINT: exit 130, every output written from the best weights, marked partial.
p, out = started_run("sigint")
p.send_signal(signal.SIGINT)
rc, stdout, stderr = finished(p)
s.check(rc == 130, f"SIGINT: exit 130 (got {rc})", stdout + stderr)
s.check("interrupted at epoch" in stdout and "stopped: interrupted" in stdout,
        "SIGINT: the report says where training was interrupted", stdout)
s.check("pinnc train: interrupted (SIGINT)" in stderr, "SIGINT: a message on stderr says what happened", stderr)
for f in ("solution.csv", "loss.csv", "model.json", "solution.svg", "loss.svg", "error.svg"):
    s.check(os.path.exists(os.path.join(out, f)), f"SIGINT: {f} is written")
model = json.load(open(os.path.join(out, "model.json"))) if os.path.exists(os.path.join(out, "model.json")) else {}
s.check(model.get("partial") is True, "SIGINT: model.json says \"partial\": true", str(model.get("partial")))
if model:
    # The weights written are the best the run reached: their loss is the smallest in loss.csv.
    with open(os.path.join(out, "loss.csv")) as f:
        rows = list(csv.DictReader(f))
    smallest = min(float(r["total"]) for r in rows)
    final = dict(model["results"])["loss"] if isinstance(model["results"], list) else model["results"]["loss"]
    s.check(len(rows) > 100 and final <= smallest * (1 + 1e-9),
            f"SIGINT: the final loss {final:.3e} is the smallest of the {len(rows)} epochs ({smallest:.3e})")
    r = s.run("eval", os.path.join(out, "model.json"), "--at", "2.5")
    last = r.stdout.strip().splitlines()[-1].split(",") if r.returncode in (0, 4) and r.stdout.strip() else []
    value = float(last[-1]) if len(last) == 2 else math.nan
    s.check(abs(value - math.exp(-2.5)) < 1e-2, f"SIGINT: the partial model evaluates (y(2.5) = {value})",
            r.stdout + r.stderr)

# 2. SIGTERM: exit 143, partial too.
p, out = started_run("sigterm", ["--no-plots"])
p.send_signal(signal.SIGTERM)
rc, stdout, stderr = finished(p)
s.check(rc == 143 and "interrupted at epoch" in stdout, f"SIGTERM: exit 143 and the report says so (got {rc})",
        stdout + stderr)
model = json.load(open(os.path.join(out, "model.json"))) if os.path.exists(os.path.join(out, "model.json")) else {}
s.check(model.get("partial") is True, "SIGTERM: model.json says \"partial\": true")

# 3. A second SIGINT ends the process at once; what is visible is complete.
p, out = started_run("twice", ["--no-plots"])
p.send_signal(signal.SIGINT)
p.send_signal(signal.SIGINT)
start = time.time()
rc, stdout, stderr = finished(p, timeout=20)
s.check(rc in (130, -signal.SIGINT) and time.time() - start < 10,
        f"a second SIGINT: the process ends at once (exit {rc})", stdout + stderr)
for f in ("solution.csv", "loss.csv", "model.json"):
    path = os.path.join(out, f)
    if os.path.exists(path):
        text = open(path).read()
        complete = json.loads(text) is not None if f.endswith(".json") else text.endswith("\n")
        s.check(complete, f"a second SIGINT: {f}, when present, is complete")

# 4. A normal run is not marked partial.
r = s.run("train", ode, "--out", os.path.join(s.tmp, "whole"), "--no-plots")
model = json.load(open(os.path.join(s.tmp, "whole", "model.json"))) if r.returncode == 0 else {}
s.check(r.returncode == 0 and "partial" not in model and "interrupted" not in r.stdout,
        "an uninterrupted run has no \"partial\" and no interruption line", r.stdout + r.stderr)
s.finish()
