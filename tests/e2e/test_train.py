"""End-to-end: `pinnc train` on every example to a stated error bound, eval round trip,
determinism, divergence, exit codes and output-file handling."""
import json
import math
import os

from e2e_util import Suite, read_csv

s = Suite("train")
ex = os.path.join(s.root, "examples")

# Each example with the default settings (seed 1) reaches at least this relative L2 error
# (measured figures are 10-1000x better; the bound leaves room for other CPUs' rounding).
# Problems without `exact` are compared with the Odeint reference; BVPs without an exact
# solution have none, and then the fine-grid residual RMS bound applies instead.
bounds = {
    "decay": 1e-5, "logistic": 1e-5, "harmonic": 1e-4, "damped": 1e-3, "forced": 1e-4,
    "lotka_volterra": 1e-4, "van_der_pol": 1e-2, "bvp_sine": 1e-5, "robin": 1e-5, "airy": 1e-5,
    "beam": 1e-4, "oscillator_system": 1e-4,
}
for f in sorted(os.listdir(ex)):
    # The identification and bundle examples are trained and checked, more strictly, by
    # test_identify.py and test_bundle.py (training them twice costs CI ~1.5 min).
    if not f.endswith(".ode") or f.startswith("identify_") or f.startswith("bundle_"):
        continue
    name = f[:-4]
    out = os.path.join(s.tmp, name)
    r = s.run("train", os.path.join("examples", f), "--out", out, "--quiet")
    if not s.check(r.returncode == 0, f"{name}: exit code {r.returncode}", r.stderr):
        continue
    model = json.load(open(os.path.join(out, "model.json")))
    res = model["results"]
    if res["reference"] != "none":
        s.check(name in bounds, f"{name}: has a stated error bound in test_train.py")
        s.check(res["rel_l2"] is not None and res["rel_l2"] <= bounds.get(name, 0),
                f"{name}: relative L2 {res['rel_l2']} <= {bounds.get(name)}")
    else:
        s.check(res["residual_rms"] <= 1e-3, f"{name}: residual RMS {res['residual_rms']} <= 1e-3")
    for fn in ("solution.csv", "loss.csv", "model.json"):
        s.check(os.path.isfile(os.path.join(out, fn)), f"{name}: wrote {fn}")
    s.check(not [x for x in os.listdir(out) if x.startswith(".")], f"{name}: no temporary files left")

# solution.csv agrees with the exact solution column and `pinnc eval` on the same grid.
out = os.path.join(s.tmp, "decay")
header, rows = read_csv(os.path.join(out, "solution.csv"))
s.check(header[:3] == ["t", "y", "y'"] and "y_exact" in header and "residual" in header, f"solution.csv header {header}")
r = s.run("eval", os.path.join(out, "model.json"), "--grid", "0:5:1001", "--derivatives")
s.check(r.returncode == 0, "eval exit 0", r.stderr)
lines = r.stdout.strip().split("\n")
s.check(lines[0] == "t,y,y'", f"eval header {lines[0]}")
erows = [[float(x) for x in l.split(",")] for l in lines[1:]]
worst = max(abs(a[1] - b[1]) / max(abs(b[1]), 1e-14) for a, b in zip(erows, rows))
s.check(len(erows) == len(rows) and worst <= 1e-12, f"eval matches solution.csv (worst rel diff {worst})")
s.check(all(len(l.split(",")[1]) >= 15 for l in lines[2:5]), "eval prints 17 significant digits")
exact = [math.exp(-t[0]) for t in erows]
s.check(max(abs(a[1] - e) for a, e in zip(erows, exact)) < 1e-5, "eval values match exp(-t)")
r = s.run("eval", os.path.join(out, "model.json"), "--at", "2.5,7")
s.check(r.returncode == 0 and "outside the trained interval" in r.stderr, "eval warns outside the interval", r.stderr)

# Determinism: same file, same seed -> identical bytes.
a, b = os.path.join(s.tmp, "det_a"), os.path.join(s.tmp, "det_b")
for d in (a, b):
    s.run("train", "examples/harmonic.ode", "--out", d, "-q", "--seed", "7")
for fn in ("solution.csv", "loss.csv", "model.json"):
    s.check(open(os.path.join(a, fn)).read() == open(os.path.join(b, fn)).read(), f"deterministic {fn}")
c = os.path.join(s.tmp, "det_c")
s.run("train", "examples/harmonic.ode", "--out", c, "-q", "--seed", "8")
s.check(open(os.path.join(a, "model.json")).read() != open(os.path.join(c, "model.json")).read(),
        "a different seed gives different weights")

# Threads: every thread count gives the same bytes (fixed point blocks, sums in block
# order); model.json differs only in the recorded setting. Several blocks (300 and 501
# points), LM's Jacobian, soft conditions, float32. One network each (--windows off): these
# short schedules miss the target, and time-marching's own determinism is tests/e2e/test_windows.py's.
import json
for example, extra in (("lotka_volterra.ode", ["--points", "300", "--opt", "adam:100,lm:30", "--windows", "off"]),
                       # LM's other form (more residuals than weights: J^T J, 34 x 34 in two tiles)
                       ("lotka_volterra.ode", ["--net", "8", "--points", "300", "--opt", "adam:50,lm:30", "--windows", "off"]),
                       ("bvp_sine.ode", ["--points", "200", "--conditions", "soft", "--opt", "adam:100,lbfgs:30"]),
                       ("decay.ode", ["--points", "501", "--precision", "f32", "--sampling", "jitter:0.1",
                                      "--opt", "sgd:200", "--lr", "1e-3", "--windows", "off"])):
    outs = []
    for threads in ("1", "2", "3", "auto"):
        d = os.path.join(s.tmp, f"threads_{example}_{len(extra)}_{threads}")
        r = s.run("train", os.path.join("examples", example), "--out", d, "-q", "--no-plots", "--threads", threads, *extra)
        s.check(r.returncode in (0, 4), f"{example} --threads {threads} trains", r.stderr)
        files = {fn: open(os.path.join(d, fn)).read() for fn in ("solution.csv", "loss.csv")}
        model = json.load(open(os.path.join(d, "model.json")))
        s.check(model["settings"]["threads"] == threads, f"{example}: model.json records threads {threads}")
        model["settings"].pop("threads")
        files["model.json"] = json.dumps(model, sort_keys=True)
        outs.append(files)
    for i, threads in enumerate(("2", "3", "auto")):
        for fn in ("solution.csv", "loss.csv", "model.json"):
            s.check(outs[i + 1][fn] == outs[0][fn], f"{example}: --threads {threads} gives the same {fn} as 1 thread")

# The default is one thread per core, recorded as given.
d = os.path.join(s.tmp, "threads_default")
r = s.run("train", "examples/decay.ode", "--out", d, "-q", "--no-plots")
s.check(r.returncode == 0, "decay trains with the default threads", r.stderr)
s.check(json.load(open(os.path.join(d, "model.json")))["settings"]["threads"] == "auto",
        "model.json records the default threads as auto")

# The interpreter backend trains to the same result as the JIT (same arithmetic).
d = os.path.join(s.tmp, "interp")
r = s.run("train", "examples/decay.ode", "--out", d, "-q", "--backend", "interp")
s.check(r.returncode == 0, "interp backend trains", r.stderr)
mj = json.load(open(os.path.join(s.tmp, "decay", "model.json")))
mi = json.load(open(os.path.join(d, "model.json")))
s.check(mj["network"]["theta"] == mi["network"]["theta"], "JIT and interpreter give bit-identical weights")

# Divergence: exit 3, the equation's line named, a remedy; the best weights reached before
# are evaluated and written, marked partial (nothing when the first epoch is already NaN).
def diverged(name, *flags):
    d = os.path.join(s.tmp, name)
    r = s.run("train", f"tests/e2e/data/{name}.ode", "--out", d, "--no-plots", *flags)
    model = json.load(open(os.path.join(d, "model.json"))) if os.path.exists(os.path.join(d, "model.json")) else None
    return r, d, model


def kept_best(name, r, d, model):
    """The checks every divergence that had good epochs before it passes."""
    s.check(r.returncode == 3, f"{name}: divergence exits 3 (got {r.returncode})", r.stderr)
    if not s.check(model is not None and model.get("partial") is True, f"{name}: model.json written, marked partial"):
        return
    rows = [l.split(",") for l in open(os.path.join(d, "loss.csv")).read().split("\n")[1:] if l]
    totals = [float(x[2]) for x in rows]
    s.check("the outputs hold the best weights reached before (epoch 0)" in r.stderr and "--lr" in r.stderr,
            f"{name}: stderr says what was kept and gives a remedy", r.stderr)
    s.check("diverged  at epoch 1: what follows is from the best weights reached before (epoch 0)" in r.stdout
            and "NOT TO BE TRUSTED" in r.stdout and "training diverged at epoch 1" in r.stdout,
            f"{name}: the report says so, and the verdict is not trusted", r.stdout)
    s.check(abs(model["results"]["loss"] - totals[0]) <= 1e-12 * totals[0] and min(totals) == totals[0],
            f"{name}: the model's loss is epoch 0's, the best in loss.csv", str(rows))
    s.check(os.path.exists(os.path.join(d, "solution.csv")), f"{name}: solution.csv written")
    e = s.run("eval", os.path.join(d, "model.json"), "--at", "0.5")
    s.check(e.returncode == 0 and math.isfinite(float(e.stdout.split()[-1].split(",")[1])), f"{name}: the partial model evaluates",
            e.stdout + e.stderr)


# An exploding loss (1e50 after one step of lr 1e12: over 1e6 times the untrained network's)
# is stopped there.
r, d, model = diverged("blowup", "--opt", "sgd:50", "--lr", "1e12")
kept_best("blowup", r, d, model)
s.check("blowup.ode:3: the residual of `y' = y^2 + 1`, the largest term of the loss, diverged (the loss grew to"
        in r.stderr and "over 1e+06 times the untrained network's" in r.stderr, "blowup: the exploding term's source line", r.stderr)
# A NaN after a good epoch (sqrt of a negative y).
r, d, model = diverged("nan_later", "--opt", "adam:200", "--lr", "10", "--windows", "off")
kept_best("nan_later", r, d, model)
s.check("nan_later.ode:3: the residual of `y' = sqrt(y)` became NaN or infinite" in r.stderr,
        "nan_later: the NaN term's source line", r.stderr)
# NaN at the starting weights: nothing to keep, nothing written, a hint about the domain.
r, d, model = diverged("nan_start")
s.check(r.returncode == 3 and model is None and not os.path.exists(os.path.join(d, "solution.csv")),
        f"nan_start: exit 3, nothing written (exit {r.returncode})", r.stderr)
s.check("nan_start.ode:3: the residual of `y' = sqrt(y - 2)` became NaN or infinite" in r.stderr
        and "nothing was written" in r.stderr and "where its functions are defined" in r.stderr,
        "nan_start: the line, nothing written, a hint about the domain", r.stderr)

# Untrusted result: exit 4 with the reasons (one network: it falls into y = 0). With the
# default --windows auto the same file is solved by time-marching, and the report says so.
r = s.run("train", "tests/e2e/data/untrusted.ode", "--out", os.path.join(s.tmp, "untrusted"), "--windows", "off")
s.check(r.returncode == 4 and "NOT TO BE TRUSTED" in r.stdout, f"untrusted exits 4 (got {r.returncode})", r.stdout)
r = s.run("train", "tests/e2e/data/untrusted.ode", "--out", os.path.join(s.tmp, "untrusted_auto"), "--no-plots")
s.check(r.returncode == 0 and "verdict   trusted" in r.stdout and "time-marching took over" in r.stdout,
        f"the default (--windows auto) solves it by time-marching (exit {r.returncode})", r.stdout)

# Usage and input errors.
r = s.run("train", "examples/decay.ode", "--epochs", "ten", "--out", os.path.join(s.tmp, "x"))
s.check(r.returncode == 2 and "epochs" in r.stderr, "bad flag value exits 2", r.stderr)
r = s.run("train", "no/such/file.ode")
s.check(r.returncode == 2 and "no/such/file.ode" in r.stderr, "missing file exits 2", r.stderr)
bad = os.path.join(s.tmp, "bad.ode")
open(bad, "w").write("t in [0, 1]\ny' = = 1\n")
r = s.run("train", bad, "--out", os.path.join(s.tmp, "bad"))
s.check(r.returncode == 1 and "bad.ode:2:" in r.stderr, "syntax error exits 1 with a location", r.stderr)
blocker = os.path.join(s.tmp, "afile")
open(blocker, "w").write("x")
r = s.run("train", "examples/decay.ode", "--out", blocker)
s.check(r.returncode == 2 and "not a folder" in r.stderr, "output path that is a file exits 2", r.stderr)
r = s.run("train", "examples/harmonic.ode", "--act", "leaky_relu", "--out", os.path.join(s.tmp, "lr"))
s.check(r.returncode == 2 and "second derivative" in r.stderr, "leaky_relu refused for order 2", r.stderr)
r = s.run("eval", os.path.join(s.tmp, "afile"), "--at", "1")
s.check(r.returncode == 1 and "JSON" in r.stderr, "eval of a non-model exits 1", r.stderr)

# A model from a newer format, or whose sizes disagree, is refused naming the field (exit 1).
good = json.load(open(os.path.join(s.tmp, "decay", "model.json")))
def broken(change):
    m = json.loads(json.dumps(good))
    change(m)
    path = os.path.join(s.tmp, "broken.json")
    json.dump(m, open(path, "w"))
    return s.run("eval", path, "--at", "1")
for what, change, want in [
        ("a newer version", lambda m: m.update(version=99), "version: model format 99 is newer than this pinnc reads"),
        ("a short theta", lambda m: m["network"]["theta"].pop(), "network.theta: the widths need 673 weights but it has 672"),
        ("a zero width", lambda m: m["network"]["widths"].__setitem__(1, 0), "network.widths[1]: a layer's width must be at least 1"),
        ("two outputs", lambda m: m["network"]["widths"].__setitem__(-1, 2), "network.widths: the first must be 1 (time) and the last 1")]:
    r = broken(change)
    s.check(r.returncode == 1 and want in r.stderr and not r.stdout, f"model with {what}: exit 1, naming the field", r.stderr)

# Limits before allocation: a run over --memory is refused with the sizes and the remedies
# (nothing trained or written); an input over 64 MiB is not read (a sparse file, /dev/zero).
d = os.path.join(s.tmp, "mem")
r = s.run("train", "examples/decay.ode", "--out", d, "--points", "100000", "--memory", "0.5")
s.check(r.returncode == 2 and "this run would need about 1.6" in r.stderr and "more than the limit of 0.5 GiB (--memory)"
        in r.stderr and "Levenberg-Marquardt's Jacobian and normal equations (673 weights x 100000 residuals)" in r.stderr
        and "fewer --points" in r.stderr and not os.path.exists(os.path.join(d, "model.json")),
        "--memory 0.5 refuses a 100000-point LM run, naming the Jacobian", r.stderr)
r = s.run("train", "examples/decay.ode", "--out", d, "--memory", "lots")
s.check(r.returncode == 2 and "expected GiB, e.g. 8 or 8G, or auto" in r.stderr, "--memory lots refused", r.stderr)
memf = os.path.join(s.tmp, "mem.ode")
open(memf, "w").write(open(os.path.join(ex, "decay.ode")).read() + "\nset memory = 2\n")
r = s.run("train", memf, "--out", d, "--no-plots", "-q")
m = json.load(open(os.path.join(d, "model.json"))) if r.returncode == 0 else {}
s.check(r.returncode == 0 and m.get("settings", {}).get("memory") == "2", "set memory = 2 is a setting", r.stderr)
big = os.path.join(s.tmp, "big.ode")
with open(big, "wb") as f:
    f.truncate(100 << 20)
for argv in (["check", big], ["train", big], ["eval", big, "--at", "1"], ["check", "/dev/zero"]):
    r = s.run(*argv)
    s.check(r.returncode == 2 and "is over the 64 MiB limit on input files" in r.stderr, f"{argv[0]} {argv[1]}: refused",
            r.stderr)
os.remove(big)

# Command-line errors in pinnc's words, naming the flag and the nearest valid one.
for argv, want in [(["train", "examples/decay.ode", "--epoch", "100"], "pinnc train: unknown option '--epoch'; did you mean '--epochs'?"),
                   (["train", "examples/decay.ode", "--out", "a", "--out", "b"], "pinnc train: --out is given more than once"),
                   (["train", "examples/decay.ode", "--lr"], "pinnc train: --lr needs a value"),
                   (["train"], "pinnc train: FILE is required"),
                   (["eval", "x.json", "--at"], "pinnc eval: --at needs a value"),
                   (["trian", "x"], "pinnc: unknown command 'trian'; did you mean 'train'?")]:
    r = s.run(*argv)
    s.check(r.returncode == 2 and want in r.stderr and "Run with --help" not in r.stderr,
            f"{' '.join(argv)}: says '{want}'", r.stderr)

# A run's folder stands for its model.json; the report says in words why training stopped.
r = s.run("train", "examples/decay.ode", "--out", os.path.join(s.tmp, "dir"), "--no-plots", "--epochs", "20")
s.check("stopped: every epoch run" in r.stdout, "the stop reason in words", r.stdout)
r = s.run("eval", os.path.join(s.tmp, "dir"), "--at", "0.5")
s.check(r.returncode == 0 and r.stdout.startswith("t,y"), "pinnc eval RUN_DIR reads RUN_DIR/model.json", r.stderr)
os.makedirs(os.path.join(s.tmp, "empty"), exist_ok=True)
r = s.run("eval", os.path.join(s.tmp, "empty"), "--at", "0.5")
s.check(r.returncode == 2 and "folder without a model.json" in r.stderr, "eval of a folder without a model", r.stderr)

# A reference that blows up says where.
blow = os.path.join(s.tmp, "blow.ode")
open(blow, "w").write("t in [0, 2]\ny' = y^2\ny(0) = 1\n")
r = s.run("train", blow, "--out", os.path.join(s.tmp, "blow"), "--no-plots", "--epochs", "20")
s.check("the reference solution is not finite beyond t = 0.998" in r.stdout, "a blow-up names where it stops",
        r.stdout)

# Settings: every flag value can be a `set` line; --epochs is the total budget.
setf = os.path.join(s.tmp, "set.ode")
open(setf, "w").write("t in [0, 1]\ny' = -y\ny(0) = 1\nset opt = adam:40,lm:30\nset sampling = jitter:0.05\n")
r = s.run("train", setf, "--out", os.path.join(s.tmp, "set"), "--no-plots", "--windows", "off")
s.check(r.returncode in (0, 4) and "training  70 epochs (adam:40,lm:30)" in r.stdout and "(jitter)" in r.stdout,
        "set opt = adam:40,lm:30 and set sampling = jitter:0.05 in a file", r.stdout + r.stderr)
r = s.run("train", "examples/decay.ode", "--epochs", "50", "--out", os.path.join(s.tmp, "ep"), "--no-plots",
          "--windows", "off")
s.check(r.returncode in (0, 4) and "training  50 epochs (adam:30,lm:20)" in r.stdout,
        "--epochs 50 scales the default schedule", r.stdout + r.stderr)
r = s.run("train", setf, "--epochs", "500", "--out", os.path.join(s.tmp, "ep2"), "--no-plots")
s.check(r.returncode == 2 and "every stage of opt = adam:40,lm:30 has its own epoch count" in r.stderr,
        "--epochs against a schedule that fixes every stage is refused", r.stderr)

s.finish()
