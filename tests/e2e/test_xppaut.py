"""End-to-end: XPPAUT files (tests/golden/xpp/*.ode, every supported construct).

- Against XPPAUT itself, when `xppaut` is installed (scripts/setup.sh installs it): the
  classical reference pinnc computes for the converted problem (solution.csv's
  *_reference columns, Dormand-Prince at 1e-12), and the aux quantities computed from it,
  agree with XPPAUT's own output.dat (CVODE at tol 1e-10, printed to 8 digits) to 2e-6 of
  each column's scale at every time both report. output.dat's columns are t, the
  variables in declaration order, then the aux quantities: read off convert's text.
- A converted model trains to the same bits as the same model written in pinnc's
  language, and as `pinnc convert`'s text of it.
- train/emit/check accept --dialect; a pinnc file forced to xpp, and convert of a pinnc
  file, fail with a message.
"""
import filecmp
import os
import re
import shutil
import subprocess

from e2e_util import Suite, read_csv

s = Suite("xppaut")
xpp_dir = os.path.join("tests", "golden", "xpp")
supported = sorted(f for f in os.listdir(os.path.join(s.root, xpp_dir)) if f.endswith(".ode") and not f.startswith("fail_"))
# A cheap run: the reference is computed whatever the training did.
CHEAP = ["--windows", "off", "--opt", "adam:20,lm:5", "--no-plots", "--quiet"]


def xppaut_output(ode):
    """XPPAUT's output.dat for `ode` as {time: [values...]} (t first, variables, aux)."""
    work = os.path.join(s.tmp, "xpp_" + os.path.basename(ode)[:-4])
    os.makedirs(work, exist_ok=True)
    shutil.copy(os.path.join(s.root, ode), work)
    r = subprocess.run(["xppaut", os.path.basename(ode), "-silent"], cwd=work, capture_output=True, text=True,
                       timeout=120)
    path = os.path.join(work, "output.dat")
    if not s.check(r.returncode == 0 and os.path.isfile(path), f"xppaut ran on {ode}", r.stdout + r.stderr):
        return {}
    out = {}
    for line in open(path):
        v = [float(x) for x in line.split()]
        out[round(v[0], 6)] = v[1:]
    return out


have_xppaut = shutil.which("xppaut") is not None
if not have_xppaut:
    print("note: xppaut is not installed; the comparisons with XPPAUT's output are skipped (scripts/setup.sh installs it)")

for name in supported:
    ode = os.path.join(xpp_dir, name)
    out = os.path.join(s.tmp, name[:-4])
    r = s.run("train", ode, "--out", out, *CHEAP)
    if not s.check(r.returncode in (0, 4) and os.path.isfile(os.path.join(out, "solution.csv")),
                   f"{name}: pinnc train ran", r.stdout + r.stderr):
        continue
    header, rows = read_csv(os.path.join(out, "solution.csv"))
    text = s.run("convert", ode).stdout
    names = re.findall(r"^(\w+)' = ", text, re.M) + re.findall(r"^aux (\w+) = ", text, re.M)
    refs = [n + "_reference" for n in names]
    s.check(len(names) > 0 and all(r in header for r in refs), f"{name}: solution.csv has a reference column for "
            f"every variable and aux quantity", str(header) + " " + str(refs))
    if not have_xppaut or not all(r in header for r in refs):
        continue
    xpp = xppaut_output(ode)
    cols = [header.index(h) for h in refs]
    scale = [max(abs(row[c]) for row in rows) or 1.0 for c in cols]
    common = worst = 0
    for row in rows:
        got = xpp.get(round(row[0], 6))
        if got is None:
            continue
        common += 1
        for k, c in enumerate(cols):
            worst = max(worst, abs(got[k] - row[c]) / scale[k])
    # Every XPPAUT time on pinnc's grid (functions.ode prints 9), at least 50 for the others.
    s.check(common >= min(50, len(xpp)), f"{name}: pinnc's grid and XPPAUT's output share {common} of "
            f"{len(xpp)} times (want >= 50, or all)")
    s.check(worst <= 2e-6, f"{name}: pinnc's reference vs XPPAUT: {worst:.2e} of the scale (want <= 2e-6)")
    print(f"{name}: reference ({', '.join(names)}) vs XPPAUT at {common} common times: max {worst:.2e} of the scale")

# The same model in pinnc's language trains to the same bits; so does convert's text.
FLAGS = ["--windows", "off", "--opt", "adam:60,lm:20", "--no-plots", "--quiet"]
twin = os.path.join("tests", "e2e", "data", "lotka_volterra_pinnc.ode")
converted = os.path.join(s.tmp, "lv_converted.ode")
r = s.run("convert", os.path.join(xpp_dir, "lotka_volterra.ode"), "-o", converted)
s.check(r.returncode == 0 and os.path.isfile(converted), "convert -o writes the file", r.stderr)
runs = {}
for label, path in (("xpp", os.path.join(xpp_dir, "lotka_volterra.ode")), ("pinnc", twin), ("converted", converted)):
    out = os.path.join(s.tmp, "same_" + label)
    r = s.run("train", path, "--out", out, *FLAGS)
    s.check(r.returncode in (0, 4), f"train {label}", r.stderr)
    runs[label] = out
for label in ("pinnc", "converted"):
    for f in ("solution.csv", "loss.csv"):
        a, b = os.path.join(runs["xpp"], f), os.path.join(runs[label], f)
        s.check(os.path.isfile(b) and filecmp.cmp(a, b, shallow=False), f"{f}: XPPAUT file and {label} twin give the same bytes")

# The model of an XPPAUT run stores its pinnc reading, so eval and emit --model work on it.
r = s.run("eval", os.path.join(runs["xpp"], "model.json"), "--at", "0,2.5")
s.check(r.returncode == 0 and r.stdout.count("\n") == 3, "eval of an XPPAUT run's model", r.stdout + r.stderr)

# --dialect: forcing pinnc on an XPPAUT file fails in pinnc's terms; convert of a pinnc file
# says it is pinnc already; emit accepts an XPPAUT file.
r = s.run("check", os.path.join(xpp_dir, "lotka_volterra.ode"), "--dialect", "pinnc")
s.check(r.returncode == 1 and "E-" in r.stderr, "check --dialect pinnc on an XPPAUT file reports errors", r.stderr)
r = s.run("convert", os.path.join("examples", "decay.ode"))
s.check(r.returncode == 2 and "pinnc's language already" in r.stderr, "convert of a pinnc file", r.stderr)
r = s.run("check", os.path.join("examples", "decay.ode"), "--dialect", "nonsense")
s.check(r.returncode == 2 and "dialect" in r.stderr, "a bad --dialect is a usage error", r.stderr)
r = s.run("convert", os.path.join(s.tmp, "no_such_file.ode"))
s.check(r.returncode == 2 and "cannot open" in r.stderr, "convert of a missing file", r.stderr)
r = s.run("check", os.path.join(xpp_dir, "lotka_volterra.ode"), "--dump=ast")
s.check(r.returncode == 0 and "(interval t 0 5)" in r.stdout and "(= (call x 0) 10)" in r.stdout,
        "check --dump=ast shows the reader's program", r.stdout + r.stderr)
r = s.run("check", os.path.join(xpp_dir, "lotka_volterra.ode"), "--dump=tokens")
s.check(r.returncode == 2 and "--dump=ast" in r.stderr, "check --dump=tokens of an XPPAUT file says why not", r.stderr)
solver = os.path.join(s.tmp, "lv_solver.cpp")
r = s.run("emit", os.path.join(xpp_dir, "lotka_volterra.ode"), "-o", solver)
s.check(r.returncode == 0 and "x' = a*x - b*x*y" in open(solver).read(),
        "emit of an XPPAUT file embeds its pinnc reading", r.stderr)
# The REPL loads an XPPAUT file through the reader.
r = s.run("repl", stdin=":load " + os.path.join(xpp_dir, "fitzhugh_nagumo.ode") + "\n:show\n")
s.check(r.returncode == 0 and "XPPAUT file" in r.stdout and "cubic(u) = u - u^3/3" in r.stdout,
        "repl :load of an XPPAUT file", r.stdout + r.stderr)
s.finish()
