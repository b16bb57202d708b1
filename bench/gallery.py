#!/usr/bin/env python3
"""The examples gallery: trains every examples/*.ode with its default settings and writes
examples/README.md (a table of every example: equation, conditions, interval, settings,
training time, relative L2 and max error against the exact or reference solution) and the
plots of a few examples into examples/plots/. The table is regenerated, never hand-edited:

    python3 bench/gallery.py [--pinnc build/pinnc] [--root .]

The equations and conditions come from `pinnc check`, the errors and settings from each
run's model.json, the training time from the report on stdout (it varies with the machine
and its load by 10-20%; everything else is deterministic).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Plots shown in the README: (example, plot file, caption).
SHOWCASE = [
    ("harmonic", "solution.png", "The network (thin) on the exact solution (wide, grey)"),
    ("harmonic", "extrapolation.png", "Beyond the trained interval the network does not follow the solution"),
    ("decay", "loss.png", "Loss per epoch: Adam, then Levenberg-Marquardt"),
    ("lotka_volterra", "phase.png", "A system: the phase plane against Odeint"),
    ("lotka_volterra", "error.png", "Pointwise error and residual of each equation"),
]
# Flags that only add plots (they do not change training), per example.
PLOT_FLAGS = {"lotka_volterra": ["--phase", "x,y"]}
# Extrapolation plots: up to t0 + factor*(t1 - t0), drawn by `pinnc plot DIR --extrapolate`.
EXTRAPOLATE = {"harmonic": 2.0}


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def md(text):
    """Table-cell text: code, with the characters Markdown tables treat specially escaped."""
    return "`" + text.replace("|", "\\|") + "`" if text else ""


def describe(pinnc, root, path):
    """Equations, conditions and functions as `pinnc check` prints them."""
    r = run([pinnc, "check", path], root)
    if r.returncode != 0:
        sys.exit(f"gallery: pinnc check {path} failed:\n{r.stderr}")
    info = {"equations": [], "conditions": [], "functions": [], "exact": []}
    for line in r.stdout.splitlines():
        m = re.match(r"(equation|condition) \d+ \(line \d+\): (.*)$", line)
        if m:
            info[m.group(1) + "s"].append(m.group(2))
        elif line.startswith("function "):
            info["functions"].append(line[len("function "):])
        elif line.startswith("exact "):
            info["exact"].append(line[len("exact "):])
    return info


def interval_as_written(text):
    for line in text.splitlines():
        m = re.match(r"\s*(\w+)\s+in\s+(\[[^\]]*\])", line)
        if m:
            return f"{m.group(1)} in {m.group(2)}"
    return ""


def fmt_err(x):
    return "—" if x is None else f"{x:.1e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pinnc", default="build/pinnc")
    ap.add_argument("--root", default=".")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    pinnc = os.path.abspath(args.pinnc)
    examples = sorted(f for f in os.listdir(os.path.join(root, "examples")) if f.endswith(".ode"))
    work = tempfile.mkdtemp(prefix="pinnc_gallery_")
    plots_dir = os.path.join(root, "examples", "plots")
    rows = []
    for f in examples:
        name = f[:-4]
        rel = f"examples/{f}"
        info = describe(pinnc, root, rel)
        out = os.path.join(work, name)
        flags = PLOT_FLAGS.get(name, [])
        cmd = [pinnc, "train", rel, "--out", out] + flags
        print(f"gallery: {' '.join(cmd[1:])}", file=sys.stderr)
        r = run(cmd, root)
        if r.returncode not in (0, 4):
            sys.exit(f"gallery: {rel} failed (exit {r.returncode}):\n{r.stderr}")
        m = re.search(r"^training\s+(\d+) epochs \(([^)]*)\) in ([0-9.]+) s", r.stdout, re.M)
        model = json.load(open(os.path.join(out, "model.json")))
        if name in EXTRAPOLATE:
            t0, t1 = model["problem"]["interval"]
            t_end = t0 + EXTRAPOLATE[name] * (t1 - t0)
            r2 = run([pinnc, "plot", out, "--extrapolate", f"{t_end:.6g}", "-q"] + flags, root)
            if r2.returncode != 0:
                sys.exit(f"gallery: pinnc plot {out} failed:\n{r2.stderr}")
        res, st = model["results"], model["settings"]
        identified = {q["name"] for q in model.get("identified", [])}
        ranged = {b["name"]: b for b in model.get("bundle", [])}
        identified |= set(ranged)
        ref = {"exact": "exact", "reference": "Odeint"}.get(res.get("reference"), "none")
        rows.append({
            "name": name, "file": f, "info": info, "interval": interval_as_written(model["source"]["text"]),
            "params": ", ".join(f"{p['name']} = {p['value']:g}" for p in model["problem"]["params"]
                                if p["name"] not in identified),
            "identified": ", ".join(f"{q['name']} = {q['value']:.6g}" +
                                    (f" ± {q['std_error']:.2g}" if q.get("std_error") is not None else "")
                                    for q in model.get("identified", [])),
            "bundle": ", ".join(f"{b['name']} in [{b['lower']:g}, {b['upper']:g}]" for b in ranged.values()),
            # The hidden widths the run used (settings.net may say auto).
            "settings": f"{','.join(map(str, model['network']['widths'][1:-1]))} {st['act']}, {st['opt']}, {st['points']} pts",
            "time": float(m.group(3)) if m else None, "ref": ref,
            "rel_l2": res.get("rel_l2") if ref != "none" else None,
            "max_abs": res.get("max_abs") if ref != "none" else None,
            "residual": res.get("residual_rms"), "verdict": res.get("verdict", ""), "out": out,
        })

    # The showcase plots, copied under examples/plots/<example>_<plot>.png.
    os.makedirs(plots_dir, exist_ok=True)
    for old in os.listdir(plots_dir):
        if old.endswith(".png"):
            os.remove(os.path.join(plots_dir, old))
    shown = []
    for name, plot, caption in SHOWCASE:
        src = os.path.join(work, name, plot)
        if not os.path.isfile(src):
            sys.exit(f"gallery: {src} was not drawn (is PLplot's cairo driver, plplot-driver-cairo, installed?)")
        dst = f"{name}_{plot}"
        shutil.copy(src, os.path.join(plots_dir, dst))
        shown.append((name, dst, caption))

    lines = [
        "# Examples",
        "",
        "<!-- Generated by bench/gallery.py: do not edit by hand; run `python3 bench/gallery.py`. -->",
        "",
        "Every problem here trained by `pinnc train examples/NAME.ode` with its default settings",
        "(seed 1). Errors are over 1001 evenly spaced points against the file's `exact` solution or,",
        "for initial value problems without one, Boost.Odeint's Dormand–Prince 5(4) at tolerance",
        "1e-12; max error is the largest absolute difference over all unknowns. Training time is",
        "wall-clock on the machine that ran the script (it varies by 10–20% between runs).",
        "The `identify_*` examples fit parameters to measurements (docs/IDENTIFY.md): the table",
        "gives the identified values with their standard errors (the data came from known values,",
        "listed in each file).",
        "",
        "| example | equations | conditions | interval | settings | time | reference | rel. L2 | max error | verdict |",
        "|---|---|---|---|---|---:|---|---:|---:|---|",
    ]
    for r in rows:
        i = r["info"]
        eqs = "<br>".join(md(e) for e in i["equations"])
        extras = [md(fn) for fn in i["functions"]] + ([md(r["params"])] if r["params"] else [])
        if extras:
            eqs += "<br>with " + ", ".join(extras)
        if r["bundle"]:
            eqs += "<br>a solution bundle over " + md(r["bundle"]) + " (errors at the middle; the run checks the range)"
        if r["identified"]:
            eqs += "<br>identified from the data: " + md(r["identified"])
        conds = "<br>".join(md(c) for c in i["conditions"])
        time = "—" if r["time"] is None else f"{r['time']:.2f} s"
        lines.append(f"| [{r['name']}]({r['file']}) | {eqs} | {conds} | {md(r['interval'])} | {r['settings']} | "
                     f"{time} | {r['ref']} | {fmt_err(r['rel_l2'])} | {fmt_err(r['max_abs'])} | {r['verdict']} |")
    no_ref = [r["name"] for r in rows if r["ref"] == "none"]
    if no_ref:
        lines += ["", "No reference exists for " + ", ".join(no_ref) + " (boundary value problems without an "
                  "`exact` line); their verdict rests on the residual: RMS " +
                  ", ".join(f"{r['residual']:.1e}" for r in rows if r["ref"] == "none") + "."]
    lines += ["", "## Plots", "",
              "`pinnc train` draws these next to its CSV files (see the Plots section of the top-level",
              "README); a few of them:", ""]
    for name, dst, caption in shown:
        lines += [f"**{name}** — {caption}", "", f"![{name}: {caption}](plots/{dst})", ""]
    with open(os.path.join(root, "examples", "README.md"), "w") as fh:
        fh.write("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    print(f"gallery: wrote examples/README.md ({len(rows)} examples) and {len(shown)} plots in examples/plots/")


if __name__ == "__main__":
    main()
