"""End-to-end: the plots of `pinnc train` and `pinnc plot` — files produced, valid SVG with
the expected number of plotted series for one and two unknowns, titles and axis labels,
--no-plots, redrawing from a run's folder (same bytes), extrapolation, phase plane, errors."""
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

from e2e_util import Suite

s = Suite("plots")
SVG = "{http://www.w3.org/2000/svg}"
TINY = ["--opt", "adam:50,lm:20", "--points", "32", "--net", "8,8", "-q"]


def svg_info(path):
    """(root, series, texts): the plotted lines, and every text element's text. PLplot's SVG
    driver writes a long line as polylines of at most 256 points, each starting where the
    previous one ended: those chains are joined into one series. A series has more than 20
    points (axes, ticks, legend samples and stage marks have a handful)."""
    root = ET.parse(path).getroot()
    series = []  # [stroke, first point, last point, count]
    for e in root.iter(SVG + "polyline"):
        pts = e.get("points", "").split()
        if e.get("fill") != "none" or not pts:
            continue
        last = series[-1] if series else None
        if last and last[0] == e.get("stroke") and last[2] == pts[0]:
            last[2], last[3] = pts[-1], last[3] + len(pts) - 1
        else:
            series.append([e.get("stroke"), pts[0], pts[-1], len(pts)])
    series = [x for x in series if x[3] > 20]
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    return root, series, texts


def check_svg(path, want_series, words, what):
    if not s.check(os.path.isfile(path), f"{what}: {os.path.basename(path)} written"):
        return
    try:
        root, series, texts = svg_info(path)
    except ET.ParseError as e:
        s.check(False, f"{what}: {os.path.basename(path)} is valid XML", str(e))
        return
    s.check(root.tag == SVG + "svg", f"{what}: {os.path.basename(path)} is an SVG document", root.tag)
    s.check(len(series) == want_series, f"{what}: {os.path.basename(path)} has {want_series} data series "
            f"(found {len(series)})", str(series))
    joined = " | ".join(texts)
    for w in words:
        s.check(w in joined, f"{what}: {os.path.basename(path)} shows '{w}'", joined[:400])


def png_ok(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def plots_in(d):
    return sorted(f for f in os.listdir(d) if f.endswith((".svg", ".png")))


# One unknown with an exact solution: solution (exact + network), loss (total only: the
# initial value is exact through the trial solution), error (|error| + |residual|).
decay = os.path.join(s.tmp, "decay")
r = s.run("train", "examples/decay.ode", "--out", decay, *TINY)
s.check(r.returncode in (0, 4), f"decay trains (exit {r.returncode})", r.stderr)
s.check("warning" not in r.stderr, "no plot warning", r.stderr)
check_svg(os.path.join(decay, "solution.svg"), 2, ["examples/decay.ode", "y(t)", "y exact", "y network"], "decay")
check_svg(os.path.join(decay, "loss.svg"), 1, ["examples/decay.ode", "loss", "epoch", "total", "adam", "lm"],
          "decay")
# error, its bound (the Gronwall bound from the network), the residual
check_svg(os.path.join(decay, "error.svg"), 3, ["examples/decay.ode", "|network - exact| and its bound", "y bound",
                                                "|residual|"], "decay")
pngs = [f for f in plots_in(decay) if f.endswith(".png")]
if pngs:  # PNG needs PLplot's cairo driver (plplot-driver-cairo)
    s.check(pngs == ["error.png", "loss.png", "solution.png"], f"decay: PNG beside each SVG {pngs}")
    s.check(all(png_ok(os.path.join(decay, f)) for f in pngs), "decay: PNG files start with the PNG signature")
s.check(not [f for f in os.listdir(decay) if f.startswith(".")], "decay: no temporary files left")
s.check(not os.path.exists(os.path.join(decay, "phase.svg")) and
        not os.path.exists(os.path.join(decay, "extrapolation.svg")), "decay: no optional plots unasked")

# The report names the plots.
r = s.run("train", "examples/decay.ode", "--out", decay, *TINY[:-1])
s.check("plots     " in r.stdout and "solution" in r.stdout and "svg" in r.stdout, "report lists the plots",
        r.stdout)

# `pinnc plot DIR` redraws the same bytes from the files.
before = {f: open(os.path.join(decay, f), "rb").read() for f in plots_in(decay)}
for f in before:
    os.remove(os.path.join(decay, f))
r = s.run("plot", decay)
s.check(r.returncode == 0, f"plot DIR exits 0 (got {r.returncode})", r.stderr)
after = {f: open(os.path.join(decay, f), "rb").read() for f in plots_in(decay)}
s.check(sorted(after) == sorted(before), f"plot DIR writes the same files {sorted(after)}")
s.check(all(after.get(f) == b for f, b in before.items()), "plot DIR gives the same bytes as train")

# Extrapolation: beyond the interval, the trained interval shaded (a filled polygon).
r = s.run("plot", decay, "--extrapolate", "8")
s.check(r.returncode == 0, f"plot --extrapolate exits 0 (got {r.returncode})", r.stderr)
ext = os.path.join(decay, "extrapolation.svg")
check_svg(ext, 2, ["examples/decay.ode", "trained interval", "8"], "decay extrapolation")  # 8: an x tick label
if os.path.isfile(ext):
    root = ET.parse(ext).getroot()
    shaded = [e for e in root.iter() if e.tag in (SVG + "polygon", SVG + "polyline", SVG + "path")
              and e.get("fill") not in (None, "none", "#FFFFFF")]
    s.check(len(shaded) >= 1, "extrapolation shades the trained interval")
r = s.run("plot", decay, "--extrapolate", "2.5")
s.check(r.returncode == 2 and "outside the trained interval" in r.stderr, "--extrapolate inside the interval: exit 2",
        r.stderr)
r = s.run("plot", decay, "--phase", "y,z")
s.check(r.returncode == 2 and "--phase" in r.stderr, "--phase on one unknown: exit 2", r.stderr)
# A value against its own derivative: one unknown is enough (the network only: no reference
# for derivatives).
r = s.run("plot", decay, "--phase", "y,y'")
s.check(r.returncode == 0, "--phase y,y' on one unknown: exit 0", r.stderr)
check_svg(os.path.join(decay, "phase.svg"), 1, ["phase plane", "network"], "decay y,y'")
r = s.run("plot", decay, "--phase", "y,y''")
s.check(r.returncode == 2 and "y, y'" in r.stderr, "--phase with a derivative beyond the order: exit 2", r.stderr)

# Long legends wrap into rows inside the frame (the beam with four soft conditions has
# eight loss terms): every legend label starts inside the picture and ends before its edge.
beam = os.path.join(s.tmp, "beam")
r = s.run("train", "examples/beam.ode", "--conditions", "soft", "--epochs", "20", "--out", beam, "--quiet")
s.check(r.returncode in (0, 4), "beam with soft conditions trains", r.stderr)
if os.path.isfile(os.path.join(beam, "loss.svg")):
    root = ET.parse(os.path.join(beam, "loss.svg")).getroot()
    width = float(root.get("viewBox").split()[2])
    labels = {"total", "residual", "conditions", "condition1", "condition2", "condition3", "condition4"}
    placed = []
    for t in root.iter(SVG + "text"):
        text = "".join(t.itertext())
        if text in labels:
            m = t.get("transform", "").replace("matrix(", "").replace(")", "").split()
            x, size = float(m[4]), float(t.get("font-size", "20"))
            placed.append((text, x, x + 0.6 * size * len(text)))
    s.check(len(placed) == len(labels) and all(0 <= a and b <= width for _, a, b in placed),
            "loss legend of eight terms stays inside the picture", str(placed))

# Deterministic: the same run gives the same plot bytes.
decay2 = os.path.join(s.tmp, "decay2")
s.run("train", "examples/decay.ode", "--out", decay2, *TINY)
s.check(all(open(os.path.join(decay2, f), "rb").read() == open(os.path.join(decay, f), "rb").read()
            for f in ("solution.svg", "loss.svg", "error.svg")), "same run, same plot bytes")

# --no-plots: none drawn, and plots of an earlier model in the folder are removed.
r = s.run("train", "examples/decay.ode", "--out", decay2, "--no-plots", *TINY)
s.check(r.returncode in (0, 4), f"--no-plots trains (exit {r.returncode})", r.stderr)
s.check(plots_in(decay2) == [], f"--no-plots leaves no plots {plots_in(decay2)}")
s.check(os.path.isfile(os.path.join(decay2, "model.json")), "--no-plots still writes model.json")

# A plot that cannot be written is a warning: the run still succeeds with its files.
blocked = os.path.join(s.tmp, "blocked")
os.makedirs(os.path.join(blocked, "loss.svg", "in_the_way"))
r = s.run("train", "examples/decay.ode", "--out", blocked, *TINY)
s.check(r.returncode in (0, 4) and "warning: no plots drawn" in r.stderr and "loss.svg" in r.stderr,
        f"unwritable plot: a warning, exit {r.returncode}", r.stderr)
s.check(os.path.isfile(os.path.join(blocked, "model.json")), "unwritable plot: model.json still written")
s.check(not [f for f in os.listdir(blocked) if f.startswith(".")], "unwritable plot: no temporary files left")

# Two unknowns: one panel each, error for both, a residual per equation; phase plane and
# extrapolation on request. Temporary files go to TMPDIR and are removed.
lv = os.path.join(s.tmp, "lv")
tmpdir = os.path.join(s.tmp, "tmpdir")
os.makedirs(tmpdir)
env = dict(os.environ, TMPDIR=tmpdir)
r = subprocess.run([s.pinnc, "train", "examples/lotka_volterra.ode", "--out", lv, "--phase", "x,y",
                    "--extrapolate", "14", *TINY], cwd=s.root, env=env, capture_output=True, text=True, timeout=300)
s.check(r.returncode in (0, 4), f"lotka_volterra trains (exit {r.returncode})", r.stderr)
check_svg(os.path.join(lv, "solution.svg"), 4, ["x(t)", "y(t)", "x reference (Odeint)", "y network"], "lv")
check_svg(os.path.join(lv, "error.svg"), 6, ["|network - reference|", "x bound", "equation 1", "equation 2"], "lv")
check_svg(os.path.join(lv, "phase.svg"), 2, ["phase plane", "network"], "lv")
check_svg(os.path.join(lv, "extrapolation.svg"), 4, ["trained interval", "14"], "lv")
check_svg(os.path.join(lv, "loss.svg"), 3, ["total", "equation1", "equation2"], "lv")  # two equations
s.check(os.listdir(tmpdir) == [], f"no temporary plot files left in TMPDIR {os.listdir(tmpdir)}")
# A redraw without the optional flags keeps the optional plots of the same model.
r = s.run("plot", lv, "-q")
s.check(r.returncode == 0 and r.stdout == "", "plot -q is quiet", r.stdout + r.stderr)
s.check(os.path.isfile(os.path.join(lv, "phase.svg")), "redraw keeps phase.svg")
# Retraining replaces them: plots of the earlier model are removed.
r = s.run("train", "examples/lotka_volterra.ode", "--out", lv, *TINY)
s.check(not os.path.exists(os.path.join(lv, "phase.svg")), "retraining removes the earlier phase.svg")
r = s.run("train", "examples/lotka_volterra.ode", "--out", lv, "--phase", "x,q", *TINY)
s.check(r.returncode == 2 and "x, y" in r.stderr, "train --phase with an unknown name: exit 2 listing the unknowns",
        r.stderr)
r = s.run("train", "examples/lotka_volterra.ode", "--out", lv, "--phase", "xy", *TINY)
s.check(r.returncode == 2 and "comma" in r.stderr, "train --phase without a comma: exit 2", r.stderr)
r = s.run("train", "examples/lotka_volterra.ode", "--out", lv, "--extrapolate", "5", *TINY)
s.check(r.returncode == 2 and "outside" in r.stderr, "train --extrapolate inside the interval: exit 2", r.stderr)

# Missing or corrupt folders: a clear message, usage (2) or input (1) error.
r = s.run("plot", os.path.join(s.tmp, "no_such_dir"))
s.check(r.returncode == 2 and "no such folder" in r.stderr, f"missing DIR: exit 2 (got {r.returncode})", r.stderr)
empty = os.path.join(s.tmp, "empty")
os.makedirs(empty)
r = s.run("plot", empty)
s.check(r.returncode == 1 and "model.json" in r.stderr and "pinnc train" in r.stderr,
        f"DIR without model.json: exit 1 (got {r.returncode})", r.stderr)
bad = os.path.join(s.tmp, "bad_csv")
shutil.copytree(decay, bad)
with open(os.path.join(bad, "solution.csv"), "a") as f:
    f.write("1,2\n")
r = s.run("plot", bad)
s.check(r.returncode == 1 and "solution.csv" in r.stderr, f"short row in solution.csv: exit 1 (got {r.returncode})",
        r.stderr)
with open(os.path.join(bad, "solution.csv"), "w") as f:
    f.write("t,q\n0,1\n")
r = s.run("plot", bad)
s.check(r.returncode == 1 and "solution.csv" in r.stderr and "'y'" in r.stderr,
        "solution.csv without the unknown's column: exit 1", r.stderr)
shutil.copy(os.path.join(decay, "solution.csv"), os.path.join(bad, "solution.csv"))
with open(os.path.join(bad, "loss.csv"), "w") as f:
    f.write("epoch,optimizer,total\n0,adam,zero\n")
r = s.run("plot", bad)
s.check(r.returncode == 1 and "loss.csv" in r.stderr and "zero" in r.stderr, "non-number in loss.csv: exit 1",
        r.stderr)
with open(os.path.join(bad, "model.json"), "w") as f:
    f.write("{ not json")
r = s.run("plot", bad)
s.check(r.returncode == 1 and "model.json" in r.stderr, "corrupt model.json: exit 1", r.stderr)
os.remove(os.path.join(bad, "loss.csv"))
shutil.copy(os.path.join(decay, "model.json"), os.path.join(bad, "model.json"))
r = s.run("plot", bad)
s.check(r.returncode == 1 and "loss.csv" in r.stderr, "missing loss.csv: exit 1", r.stderr)

s.finish()
