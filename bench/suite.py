#!/usr/bin/env python3
"""The problem suite of issue 13: trains every problem of bench/suite/cases.json with pinnc's
DEFAULT settings (`pinnc train FILE --out DIR`, no flags), computes each run's TRUE error
against a trusted reference (a closed form, or a high-accuracy pure-Python integrator, by
shooting for two-point problems), and prints a table and a summary against the issue's targets.

    python3 bench/suite.py [--pinnc build/pinnc] [--only 'kepler*,sir'] [--jobs 1] [--timeout 120]
                           [--markdown FILE] [--json FILE] [--keep DIR] [--strict] [--flags "..."]
    python3 bench/suite.py --selftest      # checks the references (no pinnc needed)

Standard library only (Python 3.11). It reuses bench/verdict/run.py (the integrators, the
process runner, the report and CSV readers). See bench/suite/README.md.
"""
import argparse
import concurrent.futures
import datetime
import fnmatch
import importlib.util
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))  # bench/
ROOT = os.path.dirname(HERE)
SUITE = os.path.join(HERE, "suite")

# bench/verdict/run.py, loaded by path: `import run` would be ambiguous with bench/run.py,
# which sits next to this script (and so first on sys.path).
_spec = importlib.util.spec_from_file_location("verdict_run", os.path.join(HERE, "verdict", "run.py"))
V = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(V)

SOLVED6, SOLVED3, FAILED = "solved<=1e-6", "solved<=1e-3", "failed"
FLAGGED, WRONG = "flagged-honestly", "WRONG-TRUSTED"
TIMEOUT, CRASH, ERROR, DIVERGED, UNVERIFIED = "TIMEOUT", "CRASH", "ERROR", "diverged", "unverified"
WRONG_FACTOR = 10.0  # trusted, but the true error is above WRONG_FACTOR times the target
TARGET_ALL, TARGET_MOST, TARGET_SHARE = 1e-3, 1e-6, 0.90  # the issue's targets (non-stiff)
TARGET_MEDIAN_S, TARGET_MAX_S = 5.0, 60.0


# ---- functions the truths may use, besides math's -------------------------------------

def jacobi(u, m):
    """Jacobi elliptic (sn, cn, dn) of u with parameter m = k^2, 0 <= m <= 1, by the
    arithmetic-geometric mean (Abramowitz and Stegun 16.4)."""
    if m < 0 or m > 1:
        raise ValueError("jacobi: the parameter must be in [0, 1]")
    if m == 0:
        return math.sin(u), math.cos(u), 1.0
    if m == 1:
        return math.tanh(u), 1 / math.cosh(u), 1 / math.cosh(u)
    a, b, c = [1.0], math.sqrt(1 - m), [math.sqrt(m)]
    while abs(c[-1]) > 1e-17 and len(a) < 40:
        an, cn = (a[-1] + b) / 2, (a[-1] - b) / 2
        b = math.sqrt(a[-1] * b)
        a.append(an)
        c.append(cn)
    n = len(a) - 1
    phi = 2.0 ** n * a[n] * u
    for i in range(n, 0, -1):
        phi = (phi + math.asin(c[i] / a[i] * math.sin(phi))) / 2
    s, co = math.sin(phi), math.cos(phi)
    return s, co, math.sqrt(1 - m * s * s)


def kepler_E(M, e):
    """The eccentric anomaly: E - e*sin(E) = M (Newton; 0 <= e < 1)."""
    E = M + e * math.sin(M) / (1 - e * math.cos(M)) if e < 0.8 else M + 0.85 * e * (1 if math.sin(M) >= 0 else -1)
    for _ in range(60):
        d = (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
        E -= d
        if abs(d) <= 1e-16 * max(1.0, abs(E)):
            break
    return E


def j0(x):
    """Bessel J0(x) = (1/2pi) * integral over [0, 2pi] of cos(x sin s): the trapezoidal rule on a
    periodic integrand converges exponentially (64 + 4|x| points: rounding level for |x| <= 100)."""
    n = 64 + 4 * int(abs(x))
    return sum(math.cos(x * math.sin(2 * math.pi * i / n)) for i in range(n)) / n


V.MATH_NS.update(
    jacobi=jacobi, kepler_E=kepler_E, j0=j0,
    sn=lambda u, m: jacobi(u, m)[0], cn=lambda u, m: jacobi(u, m)[1], dn=lambda u, m: jacobi(u, m)[2],
    cd=lambda u, m: (lambda s, c, d: c / d)(*jacobi(u, m)))


# ---- the problem file: interval and parameters (for references without a pinnc run) ----

def pinnc_to_python(expr):
    return expr.replace("^", "**")


def read_ode(path):
    """(variable, t0, t1, {param: value}) from a .ode file's `param` and interval lines."""
    params, var, t0, t1 = {}, None, None, None
    ns = dict(V.MATH_NS, pi=math.pi)
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            for stmt in (s.strip() for s in line.split(";")):
                m = re.match(r"param\s+([A-Za-z_]\w*)\s*=\s*(.+)$", stmt)
                if m:
                    params[m.group(1)] = float(eval(pinnc_to_python(m.group(2)), dict(ns, **params)))
                    continue
                m = re.match(r"([A-Za-z_]\w*)\s+in\s+\[(.+),(.+)\]$", stmt)
                if m:
                    var = m.group(1)
                    t0 = float(eval(pinnc_to_python(m.group(2)), dict(ns, **params)))
                    t1 = float(eval(pinnc_to_python(m.group(3)), dict(ns, **params)))
    if var is None:
        raise ValueError(f"{path}: no interval line")
    return var, t0, t1, params


# ---- references -------------------------------------------------------------------------

def shoot(spec, params, t0, t1):
    """The shooting parameters (spec['shoot']['guess'] names, used in spec['init']) that make
    every expression of spec['shoot']['end'] vanish at t1: Newton with a finite-difference
    Jacobian, each residual from one dopri5/radau5 run. Returns params with them added."""
    sh = spec["shoot"]
    names = list(sh["guess"])
    p = [float(sh["guess"][k]) for k in names]
    ends = [V.compile_expr(e, ["t"] + list(params) + names + spec["state"]) for e in sh["end"]]

    def residual(pv):
        merged = dict(params, **dict(zip(names, pv)))
        final = V.integrate(spec, merged, t0, [t1])
        state = [final[s][0] for s in spec["state"]]
        return [f(t1, *merged.values(), *state) for f in ends]

    r = residual(p)
    for _ in range(40):
        if max(abs(v) for v in r) <= 1e-13:
            break
        cols = []
        for j in range(len(p)):
            h = 1e-6 * max(1.0, abs(p[j]))
            q = list(p)
            q[j] += h
            rq = residual(q)
            cols.append([(rq[i] - r[i]) / h for i in range(len(r))])
        J = [[cols[j][i] for j in range(len(p))] for i in range(len(r))]
        dp = V._lu_solve(V._lu(J), [-v for v in r])
        # damped Newton: halve the step while the residual grows
        lam = 1.0
        while True:
            q = [a + lam * b for a, b in zip(p, dp)]
            rq = residual(q)
            if max(abs(v) for v in rq) < max(abs(v) for v in r) or lam < 1e-3:
                break
            lam /= 2
        p, r = q, rq
    if max(abs(v) for v in r) > 1e-10:
        raise RuntimeError(f"shooting did not converge (end residual {max(abs(v) for v in r):.1e})")
    return dict(params, **dict(zip(names, p)))


def integrate_case(spec, params, t0, t1, grid):
    """The `ode` block on `grid` ({state: values}), shooting first when it is a two-point problem."""
    if "shoot" in spec:
        params = shoot(spec, params, spec.get("t0", t0), t1)
    return V.integrate(spec, params, t0, grid)


def reference(case, params, t0, t1, grid, var="t"):
    """The truth of every unknown of the case on grid: {unknown: values}."""
    out, numeric = {}, None
    for unknown, expr in case["truth"].items():
        if expr == "ode":
            if numeric is None:
                numeric = integrate_case(case["ode"], params, t0, t1, grid)
            out[unknown] = numeric[unknown]
        else:
            fn = V.compile_expr(expr, [var] + list(params))
            pv = list(params.values())
            out[unknown] = [fn(t, *pv) for t in grid]
    return out


def norm_max_error(pred, ref):
    """max_t |pred - ref| / max_t |ref| (absolute when ref is 0); inf when pred is not finite."""
    scale = max(abs(v) for v in ref)
    diff = max((abs(a - b) if math.isfinite(a) else math.inf) for a, b in zip(pred, ref))
    return diff / scale if scale > 0 else diff


# ---- one problem ------------------------------------------------------------------------

def parse_bound(stdout):
    """('bound' | 'estimate', value) from the report's `bound` line, or (None, None)."""
    m = re.search(r"^bound\s+error (bound|estimate) (\S+)", stdout, re.M)
    if not m:
        return None, None
    return m.group(1), V.to_float(m.group(2))


def new_result(case):
    return {"name": case["name"], "category": case.get("category", ""), "stiff": bool(case.get("stiff")),
            "class": None, "seconds": None, "exit": None, "true_error": None, "worst": None,
            "per_unknown": {}, "target": None, "reported_error": None, "bound": None, "bound_kind": None,
            "verdict": None, "reasons": [], "pinnc_stiff": None, "ref_delta": None, "message": ""}


def run_case(case, pinnc, extra, timeout, workdir):
    res = new_result(case)
    out = os.path.join(workdir, case["name"])
    shutil.rmtree(out, ignore_errors=True)
    path = os.path.join(SUITE, "cases", case["file"])
    cmd = [pinnc, "train", path, "--out", out] + list(extra)
    rc, stdout, stderr, secs = V.run_pinnc(cmd, case.get("timeout", timeout))
    res.update(exit=rc, seconds=secs, stdout=stdout, stderr=stderr)
    if rc is None:
        res["class"] = TIMEOUT
        res["message"] = f"killed after {secs:.0f} s"
        return res
    if rc < 0 or rc >= 128:
        res["class"] = CRASH
        res["message"] = f"signal {-rc if rc < 0 else rc - 128}: " + (stderr.strip().splitlines() or [""])[-1][:150]
        return res
    if rc == 3:
        res["class"], res["verdict"] = DIVERGED, "diverged"
        res["message"] = (stderr.strip().splitlines() or [""])[0][:150]
        return res
    if rc not in (0, 4):
        res["class"] = ERROR
        res["message"] = f"exit {rc}: " + " / ".join(stderr.strip().splitlines()[:2])[:200]
        return res

    verdict, reasons = V.parse_report(stdout)
    try:
        with open(os.path.join(out, "model.json")) as fh:
            model = json.load(fh)
    except (OSError, ValueError) as e:
        model = {}
        res["message"] += f"model.json unreadable ({e}); "
    results = model.get("results", {}) or {}
    settings = model.get("settings", {}) or {}
    if results.get("verdict"):
        verdict = results["verdict"]
    if verdict is None:
        verdict = "trusted" if rc == 0 else "not trusted"
    res["verdict"], res["reasons"] = verdict, reasons
    res["reported_error"] = V.to_float(results.get("rel_error"))
    res["bound_kind"], res["bound"] = parse_bound(stdout)
    res["pinnc_stiff"] = bool(results.get("stiffness"))
    rtol = V.to_float(settings.get("rtol"))
    rtol = V.DEFAULT_RTOL if rtol is None else rtol
    atol = V.to_float(settings.get("atol")) or 0.0

    try:
        header, cols = V.read_csv(os.path.join(out, "solution.csv"))
    except (OSError, ValueError, IndexError) as e:
        res["class"] = ERROR
        res["message"] += f"solution.csv unreadable: {e}"
        return res
    var = header[0]
    grid = cols[var]
    fvar, ft0, ft1, fparams = read_ode(path)
    problem = model.get("problem", {})
    params = {p["name"]: p["value"] for p in problem.get("params", [])} or fparams
    params.update(case.get("params", {}))
    t0, t1 = (problem.get("interval") or [ft0, ft1])[:2]
    if not case.get("truth"):
        res["class"] = UNVERIFIED
        return res
    try:
        truth = reference(case, params, t0, t1, grid, var)
    except Exception as e:  # noqa: BLE001 (a failed reference must not hide the run)
        res["class"] = UNVERIFIED
        res["message"] += f"reference failed: {e}; "
        return res
    worst_ratio, deltas = -1.0, []
    for unknown, ref in truth.items():
        if unknown not in cols:
            res["class"] = ERROR
            res["message"] += f"no column '{unknown}' in solution.csv"
            return res
        err = norm_max_error(cols[unknown], ref)
        res["per_unknown"][unknown] = err
        scale = max(abs(v) for v in ref)
        target = rtol + (atol / scale if scale > 0 else atol)
        ratio = err / target if target > 0 else math.inf
        if ratio > worst_ratio:
            worst_ratio, res["target"] = ratio, target
        if res["true_error"] is None or err > res["true_error"]:
            res["true_error"], res["worst"] = err, unknown
        for suffix in ("_exact", "_reference"):  # pinnc's own reference, against the truth
            if unknown + suffix in cols:
                deltas.append(norm_max_error(cols[unknown + suffix], ref))
                break
    res["ratio"] = worst_ratio
    if deltas:
        res["ref_delta"] = max(deltas)
        if res["ref_delta"] > 1e-6:
            res["message"] += f"pinnc's reference is {res['ref_delta']:.1e} off the truth; "
    res["class"] = classify(res)
    return res


def classify(res):
    err, trusted = res["true_error"], res["verdict"] == "trusted"
    if trusted and res["ratio"] > WRONG_FACTOR:
        return WRONG
    if err <= TARGET_MOST:
        return SOLVED6
    if err <= TARGET_ALL:
        return SOLVED3
    return FLAGGED if res["stiff"] and not trusted else FAILED


# ---- output -----------------------------------------------------------------------------

COLUMNS = ["problem", "category", "wall s", "true err", "worst", "pinnc err", "estimate", "verdict", "exit",
           "class", "ref Δ", "note"]


def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}e}"


def table_rows(results):
    rows = []
    for r in results:
        est = fmt(r["bound"])
        if r["bound"] is not None and r["bound_kind"] == "estimate":
            est = "~" + est
        notes = [r["message"].strip().rstrip(";")] if r["message"].strip() else []
        if r["verdict"] == "not trusted":  # the reasons besides "the error ... is above the target"
            notes += [x.split(";")[0] for x in r["reasons"] if not x.startswith(("the error ", "the problem is stiff"))]
        if r["pinnc_stiff"]:
            notes.append("pinnc: stiff")
        note = "; ".join(notes)
        rows.append([r["name"] + (" (stiff)" if r["stiff"] else ""), r["category"],
                     "-" if r["seconds"] is None else f"{r['seconds']:.2f}", fmt(r["true_error"]),
                     r["worst"] or "-", fmt(r["reported_error"]), est, r["verdict"] or "-",
                     "-" if r["exit"] is None else str(r["exit"]), r["class"], fmt(r["ref_delta"], 0), note[:90]])
    return rows


def summary(results):
    nonstiff = [r for r in results if not r["stiff"]]
    stiff = [r for r in results if r["stiff"]]
    measured = [r for r in nonstiff if r["true_error"] is not None]
    le3 = [r for r in nonstiff if r["true_error"] is not None and r["true_error"] <= TARGET_ALL]
    le6 = [r for r in nonstiff if r["true_error"] is not None and r["true_error"] <= TARGET_MOST]
    walls = [r["seconds"] for r in results if r["seconds"] is not None]
    slow = [r["name"] for r in results if r["seconds"] is not None and r["seconds"] > TARGET_MAX_S]
    stiff_ok = [r for r in stiff if r["class"] in (SOLVED6, SOLVED3, FLAGGED)]
    counts = {}
    for r in results:
        counts[r["class"]] = counts.get(r["class"], 0) + 1
    worst_wall = max((r for r in results if r["seconds"] is not None), key=lambda r: r["seconds"], default=None)
    s = {
        "problems": len(results), "nonstiff": len(nonstiff), "stiff": len(stiff), "classes": counts,
        "nonstiff_measured": len(measured),
        "nonstiff_le_1e-3": len(le3), "nonstiff_le_1e-6": len(le6),
        "share_le_1e-6": len(le6) / len(nonstiff) if nonstiff else None,
        "nonstiff_above_1e-3": [r["name"] for r in nonstiff if r not in le3],
        "median_wall": statistics.median(walls) if walls else None,
        "max_wall": worst_wall["seconds"] if worst_wall else None,
        "max_wall_problem": worst_wall["name"] if worst_wall else None,
        "over_60s": slow,
        "stiff_ok": len(stiff_ok), "stiff_not_ok": [r["name"] for r in stiff if r not in stiff_ok],
        "wrong_trusted": [r["name"] for r in results if r["class"] == WRONG],
        "trusted": sum(1 for r in results if r["verdict"] == "trusted"),
        "timeouts": [r["name"] for r in results if r["class"] == TIMEOUT],
        "crashes": [r["name"] for r in results if r["class"] == CRASH],
        "errors": [r["name"] for r in results if r["class"] in (ERROR, UNVERIFIED)],
        "total_wall": sum(walls),
    }
    s["targets"] = {
        "every non-stiff <= 1e-3": len(le3) == len(nonstiff),
        ">= 90% of non-stiff <= 1e-6": s["share_le_1e-6"] is not None and s["share_le_1e-6"] >= TARGET_SHARE,
        "median wall <= 5 s": s["median_wall"] is not None and s["median_wall"] <= TARGET_MEDIAN_S,
        "no problem over 60 s": not slow and not s["timeouts"],
        "stiff solved or honestly flagged": len(stiff_ok) == len(stiff),
        "no WRONG-TRUSTED": not s["wrong_trusted"],
    }
    return s


def summary_lines(s):
    yes = lambda k: "met" if s["targets"][k] else "MISSED"
    pct = lambda x: "-" if x is None else f"{100 * x:.0f}%"
    sec = lambda x: "-" if x is None else f"{x:.2f} s"
    lines = [
        f"problems: {s['problems']} ({s['nonstiff']} non-stiff, {s['stiff']} stiff); trusted {s['trusted']}; classes: "
        + ", ".join(f"{k} {v}" for k, v in sorted(s["classes"].items())),
        f"non-stiff solved to <= 1e-3: {s['nonstiff_le_1e-3']} of {s['nonstiff']} (target: all): "
        + yes("every non-stiff <= 1e-3"),
        f"non-stiff solved to <= 1e-6: {s['nonstiff_le_1e-6']} of {s['nonstiff']} = {pct(s['share_le_1e-6'])} "
        "(target >= 90%): " + yes(">= 90% of non-stiff <= 1e-6"),
        f"median wall time: {sec(s['median_wall'])} (target <= 5 s): " + yes("median wall <= 5 s"),
        f"max wall time: {sec(s['max_wall'])} ({s['max_wall_problem']}); over 60 s: "
        + (", ".join(s["over_60s"] + [n + " (timeout)" for n in s["timeouts"] if n not in s["over_60s"]]) or "none")
        + " (target: none): " + yes("no problem over 60 s"),
        f"stiff solved or honestly flagged: {s['stiff_ok']} of {s['stiff']}"
        + (" (not: " + ", ".join(s["stiff_not_ok"]) + ")" if s["stiff_not_ok"] else "")
        + ": " + yes("stiff solved or honestly flagged"),
        f"WRONG-TRUSTED (trusted, true error > {WRONG_FACTOR:g}x target): {len(s['wrong_trusted'])}"
        + (" (" + ", ".join(s["wrong_trusted"]) + ")" if s["wrong_trusted"] else "") + " (goal: none)",
    ]
    if s["nonstiff_above_1e-3"]:
        lines.append("non-stiff above 1e-3: " + ", ".join(s["nonstiff_above_1e-3"]))
    for key, label in (("timeouts", "timeouts"), ("crashes", "crashes"), ("errors", "errors / no reference")):
        if s[key]:
            lines.append(f"{label}: " + ", ".join(s[key]))
    lines.append(f"pinnc wall time, sum over problems: {s['total_wall']:.1f} s")
    return lines


def describe(pinnc):
    """The pinnc binary and the repository state, for the record."""
    info = {"pinnc": pinnc, "date": datetime.date.today().isoformat(), "cores": os.cpu_count(),
            "load_at_start": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None}
    try:
        info["version"] = subprocess.run([pinnc, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        info["version"] = "?"
    try:
        git = lambda *a: subprocess.run(["git", "-C", ROOT] + list(a), capture_output=True, text=True, timeout=30).stdout
        info["commit"] = git("rev-parse", "--short", "HEAD").strip()
        info["dirty"] = bool(git("status", "--porcelain", "--untracked-files=no").strip())
    except (OSError, subprocess.TimeoutExpired):
        info["commit"], info["dirty"] = "?", None
    return info


def write_markdown(path, rows, lines, info, flags):
    esc = lambda x: str(x).replace("|", "\\|")
    commit = info["commit"] + (" (with uncommitted changes in the worktree)" if info.get("dirty") else "")
    out = ["# Problem suite results (bench/suite.py)", "",
           f"{info['date']}, commit {commit}, `{info['version']}`, "
           + (f"flags `{flags}`" if flags else "default settings (no flags)")
           + f"; {info['cores']} cores, load average {info['load_at_start']} at the start.", ""]
    out += ["- " + esc(line) for line in lines]
    out += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        out.append("| " + " | ".join(esc(c) for c in row) + " |")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")


def load_cases(path, only):
    with open(path) as fh:
        cases = json.load(fh)["cases"]
    if only:
        pats = [p.strip() for p in only.split(",") if p.strip()]
        cases = [c for c in cases if any(fnmatch.fnmatchcase(c["name"], p) for p in pats)]
        if not cases:
            sys.exit(f"suite: no problem matches --only {only}")
    return cases


def main():
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build", "pinnc"), help="default: build/pinnc")
    ap.add_argument("--cases", default=os.path.join(SUITE, "cases.json"), help="default: bench/suite/cases.json")
    ap.add_argument("--only", help="comma-separated problem names (shell patterns allowed)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel runs (default 1: the wall times matter)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per run (a problem may set its own)")
    ap.add_argument("--markdown", help="also write the table and summary as Markdown to this file")
    ap.add_argument("--json", help="also write every result as JSON to this file")
    ap.add_argument("--keep", help="keep each run's output folder under this folder")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--flags", default="", help="extra pinnc train flags, for experiments (the suite's numbers are without); "
                    "a single flag needs the = form: --flags=--no-plots")
    ap.add_argument("--selftest", action="store_true", help="check the references and exit (no pinnc runs)")
    args = ap.parse_args()

    cases = load_cases(args.cases, args.only)
    if args.selftest:
        return selftest(cases)
    pinnc = os.path.abspath(args.pinnc)
    if not os.access(pinnc, os.X_OK):
        sys.exit(f"suite: {pinnc} is not an executable")
    extra = shlex.split(args.flags)
    info = describe(pinnc)
    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="pinnc-suite-")
    os.makedirs(workdir, exist_ok=True)
    print(f"{info['version']} ({pinnc}), commit {info['commit']}{' +changes' if info.get('dirty') else ''}; "
          f"{len(cases)} problem(s), {args.jobs} job(s), load average {info['load_at_start']}, "
          + (f"flags: {args.flags}" if extra else "default settings") + f"; output in {workdir}", flush=True)
    start = time.monotonic()
    done = {}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = {pool.submit(run_case, c, pinnc, extra, args.timeout, workdir): c for c in cases}
            for fut in concurrent.futures.as_completed(futs):
                c = futs[fut]
                try:
                    r = fut.result()
                except Exception as e:  # noqa: BLE001 (a bug here must not hide the other problems)
                    r = new_result(c)
                    r["class"], r["message"] = ERROR, f"runner error: {type(e).__name__}: {e}"
                done[c["name"]] = r
                secs = "-" if r["seconds"] is None else f"{r['seconds']:.1f} s"
                print(f"  {r['class']:<17} {c['name']:<20} {secs:>8}  err {fmt(r['true_error'])}",
                      file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results = [done[c["name"]] for c in cases]
    rows = table_rows(results)
    print(flush=True)
    V.print_table(rows, COLUMNS)
    s = summary(results)
    lines = summary_lines(s)
    lines.append(f"suite wall time (pinnc runs and references): {time.monotonic() - start:.1f} s")
    print()
    for line in lines:
        print(line)
    sys.stdout.flush()
    if args.markdown:
        write_markdown(args.markdown, rows, lines, info, args.flags)
    if args.json:
        with open(args.json, "w") as fh:
            slim = [{k: v for k, v in r.items() if k not in ("stdout", "stderr")} for r in results]
            json.dump({"run": info, "flags": args.flags, "summary": s, "results": slim}, fh, indent=1, default=str)
    if args.strict and not all(s["targets"].values()):
        return 1
    return 0


# ---- self-test: the references ----------------------------------------------------------

def selftest(cases):
    """Checks the references, without pinnc:
    1. the verdict suite's integrator self-test (dopri5, radau5 against closed forms);
    2. the helper functions against known values and identities;
    3. every closed-form truth against its `ode` block integrated (or shot) at tight tolerance;
    4. every integrated truth against the same integration at 100 times tighter tolerances
       (an estimate of the reference's own error), and against the other method for a few;
    5. the conserved quantities (`invariant`) along the reference."""
    ok = True

    def check(label, err, tol):
        nonlocal ok
        good = err <= tol
        ok &= good
        print(f"{'ok' if good else 'FAIL':4} {label}: {err:.1e} (<= {tol:.0e})", flush=True)

    t_start = time.monotonic()
    print("-- bench/verdict/run.py's integrator self-test")
    ok &= V.selftest() == 0

    print("-- helper functions")
    check("j0(1) against 0.76519768655796655", abs(j0(1.0) - 0.76519768655796655), 1e-15)
    check("j0 at its first zero 2.404825557695773", abs(j0(2.404825557695773)), 1e-15)
    check("j0(20) against 0.16702466434058316", abs(j0(20.0) - 0.16702466434058316), 1e-15)
    K = {0.5: 1.8540746773013719, 0.99: 3.6956373629898747}  # complete elliptic integrals K(m)
    for m, k in K.items():
        s, c, d = jacobi(k, m)
        check(f"sn(K({m}) | {m}) = 1, cn = 0", max(abs(s - 1), abs(c)), 1e-12)
        s, c, d = jacobi(0.7, m)
        check(f"sn^2 + cn^2 = 1, dn^2 + m sn^2 = 1 at u = 0.7, m = {m}", max(abs(s * s + c * c - 1), abs(d * d + m * s * s - 1)), 1e-15)
    for e in (0.1, 0.5, 0.9):
        worst = max(abs(kepler_E(M, e) - e * math.sin(kepler_E(M, e)) - M) for M in [0.37 * i for i in range(60)])
        check(f"Kepler's equation residual, e = {e}", worst, 1e-13)

    for case in cases:
        spec = case.get("ode")
        truth = case.get("truth") or {}
        if not spec:
            print(f"skip {case['name']}: no ode block")
            continue
        var, t0, t1, params = read_ode(os.path.join(SUITE, "cases", case["file"]))
        params.update(case.get("params", {}))
        n = 200
        grid = [t0 + (t1 - t0) * i / n for i in range(n + 1)]
        grid[-1] = t1
        t1c = time.monotonic()
        try:
            ref = integrate_case(spec, params, t0, t1, grid)
        except Exception as e:  # noqa: BLE001
            check(f"{case['name']}: integration failed ({e})", math.inf, 0)
            continue
        closed = [u for u, ex in truth.items() if ex != "ode"]
        if closed:
            exact = reference(dict(case, truth={u: truth[u] for u in closed}), params, t0, t1, grid, var)
            err = max(norm_max_error(exact[u], ref[u]) for u in closed)
            tol = 1e-7 if spec.get("method") == "radau5" else 1e-8
            check(f"{case['name']}: closed form against {spec.get('method', 'dopri5')}"
                  + (" shooting" if "shoot" in spec else ""), err, tol)
        integrated = [u for u, ex in truth.items() if ex == "ode"]
        if integrated:
            tight = dict(spec, rtol=spec.get("rtol", 1e-11) / 100, atol=spec.get("atol", 1e-14) / 100)
            ref2 = integrate_case(tight, params, t0, t1, grid)
            err = max(norm_max_error(ref[u], ref2[u]) for u in integrated)
            check(f"{case['name']}: {spec.get('method', 'dopri5')} against itself at 100x tighter tolerances", err, 1e-8)
        if "invariant" in spec or "invariant" in case:
            inv = V.compile_expr(case.get("invariant") or spec["invariant"], list(params) + spec["state"])
            vals = [inv(*params.values(), *(ref[s][i] for s in spec["state"])) for i in range(len(grid))]
            drift = max(abs(v - vals[0]) for v in vals) / max(1.0, abs(vals[0]))
            check(f"{case['name']}: invariant drift", drift, 1e-8)
        dt = time.monotonic() - t1c
        if dt > 5:
            print(f"     ({case['name']}: {dt:.1f} s)")
    # The two integrators against each other on non-stiff integrated truths (independent methods).
    for name in ("lotka_volterra_20", "van_der_pol_mu1", "brusselator"):
        case = next((c for c in cases if c["name"] == name), None)
        if case is None:
            continue
        var, t0, t1, params = read_ode(os.path.join(SUITE, "cases", case["file"]))
        grid = [t0 + (t1 - t0) * i / 100 for i in range(101)]
        a = integrate_case(case["ode"], params, t0, t1, grid)
        b = integrate_case(dict(case["ode"], method="radau5", rtol=1e-12, atol=1e-14), params, t0, t1, grid)
        check(f"{name}: dopri5 against radau5", max(norm_max_error(a[u], b[u]) for u in case["ode"]["state"]), 1e-8)
    print(f"{'all ok' if ok else 'FAILURES'}; {time.monotonic() - t_start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
