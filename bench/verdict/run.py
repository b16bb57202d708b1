#!/usr/bin/env python3
"""The verdict suite: trains every case of bench/verdict/cases.json with pinnc, computes
each run's TRUE error against an independent solution (an analytic formula in the case
list, or a high-accuracy classical integrator written here in pure Python), and checks
pinnc's verdict against it.

    python3 bench/verdict/run.py --pinnc build/pinnc [--only NAME[,NAME...]] [--jobs 2]
                                 [--markdown FILE] [--json FILE] [--timeout 120] [--keep DIR]

Standard library only (Python 3.11). See bench/verdict/README.md for the classes.
"""
import argparse
import concurrent.futures
import csv
import fnmatch
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_RTOL = 1e-6
WRONG_FACTOR = 3.0  # trusted with a true error above WRONG_FACTOR * target: trusted-but-wrong

# Class names (README.md explains them).
OK, MARGINAL, WRONG, FALSE_ALARM, CAUGHT = (
    "trusted-and-correct", "trusted-marginal", "TRUSTED-BUT-WRONG", "FALSE-ALARM", "correctly-not-trusted")
UNVERIFIED_T, UNVERIFIED_N = "trusted-unverified", "not-trusted-unverified"
DIVERGED, TIMEOUT, CRASH, ERROR, SKIPPED = "diverged", "TIMEOUT", "CRASH", "ERROR", "skipped"


# ---- expressions ------------------------------------------------------------------------

MATH_NS = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}
MATH_NS.update(abs=abs, min=min, max=max, pow=pow)


def compile_expr(text, names):
    """A Python expression in `names` (and math's functions) as a fast function."""
    code = "lambda " + ", ".join(names) + ": (" + text + ")"
    return eval(code, dict(MATH_NS))  # the case list is ours: trusted input


# ---- classical integrators (pure Python) ------------------------------------------------

def _norm(err, y0, y1, rtol, atol):
    s = 0.0
    for e, a, b in zip(err, y0, y1):
        sc = atol + rtol * max(abs(a), abs(b))
        s = max(s, abs(e) / sc)
    return s


# Dormand-Prince 5(4) coefficients.
_DP_C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1]
_DP_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_DP_B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]
_DP_E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]  # b - b*


def dopri5(f, t0, y0, grid, rtol, atol, max_steps=2_000_000):
    """Adaptive Dormand-Prince 5(4); returns the state at each time of `grid` (ascending,
    grid[0] >= t0); the integration stops exactly at every grid point."""
    n = len(y0)
    t, y = t0, list(y0)
    out = []
    h = None
    steps = 0
    k1 = f(t, y)
    for tg in grid:
        while t < tg:
            if h is None:
                h = min(1e-6 * max(1.0, abs(tg - t0)), tg - t)
            last = t + h >= tg
            hh = tg - t if last else h
            ks = [k1]
            for i in range(1, 7):
                yi = [y[m] + hh * sum(_DP_A[i][j] * ks[j][m] for j in range(i)) for m in range(n)]
                ks.append(f(t + _DP_C[i] * hh, yi))
            ynew = [y[m] + hh * sum(_DP_B[j] * ks[j][m] for j in range(6)) for m in range(n)]
            # ks[6] is f(t + hh, ynew) (FSAL)
            err = [hh * sum(_DP_E[j] * ks[j][m] for j in range(7)) for m in range(n)]
            e = _norm(err, y, ynew, rtol, atol)
            steps += 1
            if steps > max_steps:
                raise RuntimeError("dopri5: too many steps")
            if e <= 1.0 or hh < 1e-14 * max(1.0, abs(t)):
                t = tg if last else t + hh
                y = ynew
                k1 = ks[6]
                if not last:
                    h = hh * (5.0 if e == 0 else min(5.0, max(0.2, 0.9 * e ** -0.2)))
            else:
                h = hh * max(0.1, 0.9 * e ** -0.2)
        out.append(list(y))
    return out


# Radau IIA, 3 stages, order 5.
_S6 = math.sqrt(6.0)
_RA = [
    [(88 - 7 * _S6) / 360, (296 - 169 * _S6) / 1800, (-2 + 3 * _S6) / 225],
    [(296 + 169 * _S6) / 1800, (88 + 7 * _S6) / 360, (-2 - 3 * _S6) / 225],
    [(16 - _S6) / 36, (16 + _S6) / 36, 1 / 9],
]
_RC = [(4 - _S6) / 10, (4 + _S6) / 10, 1.0]


def _lu(a):
    """LU factorisation with partial pivoting, in place; returns (a, piv)."""
    n = len(a)
    piv = list(range(n))
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[p][k] == 0:
            raise ZeroDivisionError("singular Newton matrix")
        if p != k:
            a[k], a[p] = a[p], a[k]
            piv[k], piv[p] = piv[p], piv[k]
        akk = a[k][k]
        rowk = a[k]
        for i in range(k + 1, n):
            m = a[i][k] / akk
            if m:
                a[i][k] = m
                rowi = a[i]
                for j in range(k + 1, n):
                    rowi[j] -= m * rowk[j]
            else:
                a[i][k] = 0.0
    return a, piv


def _lu_solve(lu, b):
    a, piv = lu
    n = len(a)
    x = [b[piv[i]] for i in range(n)]
    for i in range(n):
        s = x[i]
        row = a[i]
        for j in range(i):
            s -= row[j] * x[j]
        x[i] = s
    for i in range(n - 1, -1, -1):
        s = x[i]
        row = a[i]
        for j in range(i + 1, n):
            s -= row[j] * x[j]
        x[i] = s / row[i]
    return x


def _jacobian(f, t, y, fy):
    n = len(y)
    cols = []
    for m in range(n):
        d = 1e-8 * max(abs(y[m]), 1e-6)
        yp = list(y)
        yp[m] += d
        fp = f(t, yp)
        cols.append([(fp[i] - fy[i]) / d for i in range(n)])
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def _radau_step(f, t, y, h, J, newton_tol):
    """One Radau IIA step (simplified Newton); returns the new state or None."""
    n = len(y)
    N = 3 * n
    M = [[0.0] * N for _ in range(N)]
    for a in range(3):
        for b in range(3):
            hab = h * _RA[a][b]
            for i in range(n):
                row = M[a * n + i]
                Ji = J[i]
                for j in range(n):
                    row[b * n + j] = -hab * Ji[j]
    for i in range(N):
        M[i][i] += 1.0
    lu = _lu(M)
    Z = [0.0] * N
    prev = None
    for _ in range(12):
        F = [f(t + _RC[a] * h, [y[i] + Z[a * n + i] for i in range(n)]) for a in range(3)]
        G = [0.0] * N
        for a in range(3):
            for i in range(n):
                G[a * n + i] = -Z[a * n + i] + h * sum(_RA[a][b] * F[b][i] for b in range(3))
        dZ = _lu_solve(lu, G)
        for k in range(N):
            Z[k] += dZ[k]
        size = max(abs(dZ[a * n + i]) / newton_tol[i] for a in range(3) for i in range(n))
        if not math.isfinite(size):
            return None
        if size <= 1.0:
            return [y[i] + Z[2 * n + i] for i in range(n)]
        if prev is not None and size > 0.9 * prev:
            return None
        prev = size
    return None


def radau5(f, t0, y0, grid, rtol, atol, max_steps=200_000):
    """Adaptive Radau IIA (order 5, L-stable) for stiff systems; the local error is
    estimated by step doubling. Returns the state at each time of `grid`."""
    n = len(y0)
    t, y = t0, list(y0)
    out = []
    h = None
    steps = 0
    for tg in grid:
        while t < tg:
            if h is None:
                h = min(1e-6 * max(1.0, abs(tg - t0)), tg - t)
            last = t + h >= tg
            hh = tg - t if last else h
            fy = f(t, y)
            J = _jacobian(f, t, y, fy)
            ntol = [1e-3 * (atol + rtol * abs(v)) for v in y]
            steps += 1
            if steps > max_steps:
                raise RuntimeError("radau5: too many steps")
            big = _radau_step(f, t, y, hh, J, ntol)
            half = _radau_step(f, t, y, hh / 2, J, ntol)
            full = None
            if half is not None:
                fh = f(t + hh / 2, half)
                Jh = _jacobian(f, t + hh / 2, half, fh)
                full = _radau_step(f, t + hh / 2, half, hh / 2, Jh, ntol)
            if big is None or full is None:
                h = hh / 4
                if h < 1e-300:
                    raise RuntimeError("radau5: step size underflow")
                continue
            err = [(full[i] - big[i]) / 31.0 for i in range(n)]
            e = _norm(err, y, full, rtol, atol)
            if e <= 1.0:
                t = tg if last else t + hh
                y = [full[i] + err[i] for i in range(n)]  # Richardson extrapolation
                if not last:
                    fac = 4.0 if e == 0 else min(4.0, max(0.2, 0.9 * e ** (-1 / 6)))
                    h = hh * fac
            else:
                h = hh * max(0.1, 0.9 * e ** (-1 / 6))
        out.append(list(y))
    return out


def integrate(spec, params, t0, grid):
    """The case's `ode` block integrated onto `grid`: {state name: [values]}."""
    state = spec["state"]
    names = ["t"] + list(params) + state
    fs = [compile_expr(e, names) for e in spec["rhs"]]
    pv = list(params.values())

    def f(t, y):
        args = [t] + pv + list(y)
        return [g(*args) for g in fs]

    init = [compile_expr(str(e), list(params))(*pv) for e in spec["init"]]
    rtol = spec.get("rtol", 1e-11)
    atol = spec.get("atol", 1e-14)
    method = spec.get("method", "dopri5")
    solver = {"dopri5": dopri5, "radau5": radau5}[method]
    start = spec.get("t0", t0)
    pts = [g for g in grid]
    if pts and pts[0] < start:
        raise ValueError("grid starts before the initial point")
    ys = solver(f, start, init, pts, rtol, atol)
    return {name: [row[i] for row in ys] for i, name in enumerate(state)}


# ---- pinnc ------------------------------------------------------------------------------

def pinnc_features(pinnc):
    try:
        r = subprocess.run([pinnc, "train", "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        sys.exit(f"verdict suite: cannot run {pinnc}: {e}")
    text = r.stdout + r.stderr
    return {name for name in ("seed", "no-plots", "rtol", "atol", "quiet") if "--" + name in text}


def run_pinnc(cmd, timeout):
    """(returncode or None on timeout, stdout, stderr, seconds)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, time.monotonic() - start
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # the process group of this one child only
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return None, out, err, time.monotonic() - start


def parse_report(stdout):
    """The verdict and its reasons from the report on stdout."""
    verdict, reasons = None, []
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("verdict"):
            rest = line[len("verdict"):].strip()
            verdict = "trusted" if rest.startswith("trusted") else "not trusted"
            for more in lines[i + 1:]:
                m = re.match(r"\s+- (.*)", more)
                if m:
                    reasons.append(m.group(1))
                elif more.startswith("          ") and reasons:
                    reasons[-1] += " " + more.strip()
                else:
                    break
    return verdict, reasons


def read_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    cols = {h: [] for h in header}
    for row in data:
        for h, v in zip(header, row):
            cols[h].append(float(v))
    return header, cols


def flag_value(flags, name):
    for i, f in enumerate(flags):
        if f == "--" + name and i + 1 < len(flags):
            return flags[i + 1]
        if f.startswith("--" + name + "="):
            return f.split("=", 1)[1]
    return None


def to_float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


# ---- one case ---------------------------------------------------------------------------

def run_case(case, pinnc, features, timeout, workdir):
    name = case["name"]
    flags = list(case.get("flags", []))
    res = {"name": name, "flags": " ".join(flags), "intent": case.get("intent", ""), "class": None,
           "true_error": None, "target": None, "verdict": None, "reasons": [], "bound": None,
           "bound_kind": None, "bound_held": None, "tightness": None, "reported_rel_l2": None,
           "reference": None, "exit": None, "seconds": None, "message": ""}
    missing = [f for f in case.get("requires", []) if f not in features]
    if missing:
        res["class"] = SKIPPED
        res["message"] = "pinnc has no --" + ", --".join(missing)
        return res
    out = os.path.join(workdir, name)
    cmd = [pinnc, "train", os.path.join(HERE, "cases", case["file"]), "--out", out] + flags
    if "seed" in features and flag_value(flags, "seed") is None:
        cmd += ["--seed", "1"]
    if "no-plots" in features:
        cmd += ["--no-plots"]
    rc, stdout, stderr, secs = run_pinnc(cmd, case.get("timeout", timeout))
    res["exit"], res["seconds"] = rc, secs
    res["stdout"], res["stderr"] = stdout, stderr
    if rc is None:
        res["class"] = TIMEOUT
        res["message"] = f"no result after {secs:.1f} s (killed)"
        return res
    if rc < 0 or rc >= 128:
        sig = -rc if rc < 0 else rc - 128
        res["class"] = CRASH
        res["message"] = f"killed by signal {sig}: " + (stderr.strip().splitlines() or [""])[-1][:200]
        return res
    if rc == 3:
        res["class"] = DIVERGED
        res["verdict"] = "diverged"
        res["message"] = (stderr.strip().splitlines() or [""])[0][:200]
        return res
    if rc not in (0, 4):
        res["class"] = ERROR
        res["message"] = f"exit {rc}: " + " / ".join(stderr.strip().splitlines()[:3])[:300]
        return res

    verdict, reasons = parse_report(stdout)
    model = {}
    try:
        with open(os.path.join(out, "model.json")) as fh:
            model = json.load(fh)
    except (OSError, ValueError) as e:
        res["message"] += f"model.json unreadable ({e}); "
    results = model.get("results", {}) or {}
    settings = model.get("settings", {}) or {}
    mverdict = results.get("verdict")
    if mverdict is not None:
        if verdict is not None and mverdict != verdict:
            res["message"] += f"report says '{verdict}', model.json '{mverdict}'; "
        verdict = mverdict
    if verdict is None:
        verdict = "trusted" if rc == 0 else "not trusted"
    if (rc == 0) != (verdict == "trusted"):
        res["message"] += f"exit {rc} disagrees with the verdict '{verdict}'; "
    res["verdict"], res["reasons"] = verdict, reasons
    res["reported_rel_l2"] = to_float(results.get("rel_l2"))
    res["reference"] = results.get("reference")
    res["results"] = results
    res["bound"] = to_float(results.get("error_bound"))
    res["bound_kind"] = results.get("error_bound_kind")

    # The target: settings (the new verdict writes them), else the case's flags, else 1e-6.
    rtol = to_float(settings.get("rtol"))
    if rtol is None:
        rtol = to_float(flag_value(flags, "rtol"))
    if rtol is None:
        rtol = DEFAULT_RTOL
    atol = to_float(settings.get("atol"))
    if atol is None:
        atol = to_float(flag_value(flags, "atol")) or 0.0

    # The true error.
    truth = case.get("truth")
    trusted = verdict == "trusted"
    try:
        header, cols = read_csv(os.path.join(out, "solution.csv"))
    except (OSError, ValueError, IndexError) as e:
        res["class"] = ERROR
        res["message"] += f"solution.csv unreadable: {e}"
        return res
    tname = header[0]
    grid = cols[tname]
    params = {p["name"]: p["value"] for p in model.get("problem", {}).get("params", [])}
    params.update(case.get("params", {}))
    t0 = model.get("problem", {}).get("interval", [grid[0]])[0]
    if not truth:
        res["class"] = UNVERIFIED_T if trusted else UNVERIFIED_N
        return res
    numeric = None
    worst_ratio, worst = -1.0, None
    abs_max = 0.0
    for unknown, expr in truth.items():
        if unknown not in cols:
            res["class"] = ERROR
            res["message"] += f"no column '{unknown}' in solution.csv"
            return res
        if expr == "ode":
            if numeric is None:
                try:
                    numeric = integrate(case["ode"], params, t0, grid)
                except Exception as e:  # noqa: BLE001 (report any failure of the integrator)
                    res["class"] = UNVERIFIED_T if trusted else UNVERIFIED_N
                    res["message"] += f"reference integration failed: {e}"
                    return res
            true = numeric[unknown]
        else:
            fn = compile_expr(expr, [tname] + list(params))
            pv = list(params.values())
            true = [fn(t, *pv) for t in grid]
        net = cols[unknown]
        scale = max(abs(v) for v in true)
        diff = max((abs(a - b) if math.isfinite(a) else math.inf) for a, b in zip(net, true))
        abs_max = max(abs_max, diff)
        err = diff / scale if scale > 0 else diff
        target = rtol + (atol / scale if scale > 0 else atol)
        ratio = err / target if target > 0 else math.inf
        if ratio > worst_ratio:
            worst_ratio, worst = ratio, (err, target)
    err, target = worst
    res["true_error"], res["target"], res["ratio"] = err, target, worst_ratio
    res["abs_error"] = abs_max
    if trusted:
        res["class"] = OK if worst_ratio <= 1 else (MARGINAL if worst_ratio <= WRONG_FACTOR else WRONG)
    else:
        res["class"] = FALSE_ALARM if worst_ratio <= 1 else CAUGHT
    if res["bound"] is not None:
        kind = (res["bound_kind"] or "").lower()
        measured = abs_max if "abs" in kind else err
        res["bound_held"] = measured <= res["bound"]
        res["tightness"] = res["bound"] / measured if measured > 0 else math.inf
    return res


# ---- output -----------------------------------------------------------------------------

def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}e}"


COLUMNS = ["case", "flags", "true err", "target", "verdict", "bound", "held", "class", "s", "note"]


def table_rows(results):
    rows = []
    for r in results:
        verdict = r["verdict"] or "-"
        held = "-" if r["bound_held"] is None else ("yes" if r["bound_held"] else "NO")
        note = r["message"].strip().rstrip(";")
        if not note and r["verdict"] == "not trusted" and r["reasons"]:
            note = r["reasons"][0]
        bound = fmt(r["bound"])
        if r["bound"] is not None and r.get("bound_kind") not in (None, "bound"):
            bound = "~" + bound  # an estimate, not a guaranteed bound
        rows.append([r["name"], r["flags"] or "(default)", fmt(r["true_error"]), fmt(r["target"], 0), verdict,
                     bound, held, r["class"], "-" if r["seconds"] is None else f"{r['seconds']:.1f}",
                     note[:110]])
    return rows


def print_table(rows, columns=COLUMNS):
    """Prints rows under the column names, padded to each column's width (the last, the
    note, at most 110). bench/suite.py prints its table with this too."""
    widths = [max(len(str(x)) for x in col) for col in zip(columns, *rows)]
    widths[-1] = min(widths[-1], 110)
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(columns))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def summary(results):
    counts = {}
    for r in results:
        counts[r["class"]] = counts.get(r["class"], 0) + 1
    meeting = [r for r in results if r["class"] in (OK, FALSE_ALARM)]
    false_alarms = [r for r in results if r["class"] == FALSE_ALARM]
    wrong = [r for r in results if r["class"] == WRONG]
    bounded = [r for r in results if r["bound_held"] is not None]
    held = [r for r in bounded if r["bound_held"]]

    def median_tightness(rs):
        tight = sorted(r["tightness"] for r in rs if r["tightness"] is not None and math.isfinite(r["tightness"]))
        if not tight:
            return None
        k = len(tight)
        return tight[k // 2] if k % 2 else 0.5 * (tight[k // 2 - 1] + tight[k // 2])

    by_kind = {}
    for r in bounded:
        kind = r.get("bound_kind") or "unnamed"
        b = by_kind.setdefault(kind, {"runs": 0, "held": 0, "failed": [], "median_tightness": None})
        b["runs"] += 1
        if r["bound_held"]:
            b["held"] += 1
        else:
            b["failed"].append(r["name"])
    for kind, b in by_kind.items():
        b["median_tightness"] = median_tightness(
            [r for r in held if (r.get("bound_kind") or "unnamed") == kind])
    s = {
        "cases": len(results),
        "classes": counts,
        "trusted_but_wrong": [r["name"] for r in wrong],
        "false_alarms": [r["name"] for r in false_alarms],
        "meeting_target": len(meeting),
        "false_alarm_rate": (len(false_alarms) / len(meeting)) if meeting else None,
        "with_bound": len(bounded),
        "bound_held": len(held),
        "bound_failed": [r["name"] for r in bounded if not r["bound_held"]],
        "median_tightness": median_tightness(held),
        "bound_by_kind": by_kind,
        "timeouts": [r["name"] for r in results if r["class"] == TIMEOUT],
        "crashes": [r["name"] for r in results if r["class"] == CRASH],
        "errors": [r["name"] for r in results if r["class"] == ERROR],
        "seconds": sum(r["seconds"] or 0 for r in results),
    }
    return s


def summary_lines(s):
    rate = "-" if s["false_alarm_rate"] is None else f"{100 * s['false_alarm_rate']:.0f}%"
    lines = [
        f"cases: {s['cases']}; classes: " + ", ".join(f"{k} {v}" for k, v in sorted(s["classes"].items())),
        f"trusted-but-wrong (true error > {WRONG_FACTOR:g}x target): {len(s['trusted_but_wrong'])} (goal 0)"
        + (": " + ", ".join(s["trusted_but_wrong"]) if s["trusted_but_wrong"] else ""),
        f"false alarms: {len(s['false_alarms'])} of {s['meeting_target']} runs that meet the target = {rate}"
        " (goal <= 5%)" + (": " + ", ".join(s["false_alarms"]) if s["false_alarms"] else ""),
    ]
    if s["with_bound"]:
        lines.append(f"error bound held: {s['bound_held']} of {s['with_bound']} runs with a bound and a true error; "
                     f"median tightness (bound / true error) {fmt(s['median_tightness'])}"
                     + ("; failed: " + ", ".join(s["bound_failed"]) if s["bound_failed"] else ""))
        for kind, b in sorted(s["bound_by_kind"].items()):
            lines.append(f"  kind '{kind}': held {b['held']} of {b['runs']}, median tightness "
                         f"{fmt(b['median_tightness'])}" + ("; failed: " + ", ".join(b["failed"]) if b["failed"] else ""))
    else:
        lines.append("error bound: none reported (model.json has no results.error_bound)")
    for key, label in (("timeouts", "timeouts"), ("crashes", "crashes"), ("errors", "errors")):
        if s[key]:
            lines.append(f"{label}: " + ", ".join(s[key]))
    lines.append(f"pinnc time: {s['seconds']:.1f} s (sum over runs)")
    return lines


def write_markdown(path, rows, lines, pinnc):
    esc = lambda x: str(x).replace("|", "\\|")
    out = [f"# Verdict suite results\n", f"pinnc: `{pinnc}`\n", ""]
    out += ["- " + esc(line) for line in lines]
    out += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        out.append("| " + " | ".join(esc(c) for c in row) + " |")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pinnc", default=os.path.join(HERE, "..", "..", "build", "pinnc"))
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    ap.add_argument("--only", help="comma-separated case names (shell patterns allowed)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120, help="seconds per run (a case may set its own)")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    ap.add_argument("--json", help="also write every result as JSON to this file")
    ap.add_argument("--keep", help="keep the runs' output folders under this folder")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--selftest", action="store_true", help="check the Python integrators and exit")
    args = ap.parse_args()

    if args.selftest:
        return selftest()
    pinnc = os.path.abspath(args.pinnc)
    with open(args.cases) as fh:
        cases = json.load(fh)["cases"]
    if args.only:
        pats = [p.strip() for p in args.only.split(",") if p.strip()]
        cases = [c for c in cases if any(fnmatch.fnmatchcase(c["name"], p) for p in pats)]
        if not cases:
            sys.exit(f"verdict suite: no case matches --only {args.only}")
    features = pinnc_features(pinnc)
    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="pinnc-verdict-")
    os.makedirs(workdir, exist_ok=True)
    print(f"pinnc {pinnc} (flags seen: {', '.join(sorted(features)) or 'none'}); {len(cases)} case(s), "
          f"{args.jobs} job(s), output in {workdir}", flush=True)
    start = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = {pool.submit(run_case, c, pinnc, features, args.timeout, workdir): c for c in cases}
            done = {}
            for fut in concurrent.futures.as_completed(futs):
                c = futs[fut]
                try:
                    r = fut.result()
                except Exception as e:  # noqa: BLE001 (a bug here must not hide the other cases)
                    r = {"name": c["name"], "flags": " ".join(c.get("flags", [])), "class": ERROR,
                         "true_error": None, "target": None, "verdict": None, "reasons": [], "bound": None,
                         "bound_held": None, "tightness": None, "seconds": None,
                         "message": f"runner error: {type(e).__name__}: {e}"}
                done[c["name"]] = r
                print(f"  {r['class']:<24} {c['name']}", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results = [done[c["name"]] for c in cases]
    rows = table_rows(results)
    print()
    print_table(rows)
    s = summary(results)
    lines = summary_lines(s)
    lines.append(f"wall time: {time.monotonic() - start:.1f} s")
    print()
    for line in lines:
        print(line)
    if args.markdown:
        write_markdown(args.markdown, rows, lines, pinnc)
    if args.json:
        with open(args.json, "w") as fh:
            slim = [{k: v for k, v in r.items() if k not in ("stdout", "stderr")} for r in results]
            json.dump({"pinnc": pinnc, "summary": s, "results": slim}, fh, indent=1, default=str)
    if args.strict and (s["trusted_but_wrong"] or (s["false_alarm_rate"] or 0) > 0.05 or s["crashes"]):
        return 1
    return 0


def selftest():
    """The integrators against closed forms (decay, oscillator, stiff linear)."""
    grid = [i / 100 for i in range(101)]
    ok = True

    def check(label, got, want, tol):
        nonlocal ok
        e = max(abs(a - b) for a, b in zip(got, want)) / max(abs(b) for b in want)
        status = "ok" if e <= tol else "FAIL"
        ok &= e <= tol
        print(f"{status:4} {label}: relative max error {e:.1e} (<= {tol:.0e})")

    t1 = time.monotonic()
    g = [10 * x for x in grid]
    ys = dopri5(lambda t, y: [y[1], -y[0]], 0.0, [1.0, 0.0], g, 1e-11, 1e-14)
    check("dopri5 oscillator [0,10]", [y[0] for y in ys], [math.cos(t) for t in g], 1e-9)
    ys = radau5(lambda t, y: [y[1], -y[0]], 0.0, [1.0, 0.0], g, 1e-11, 1e-14)
    check("radau5 oscillator [0,10]", [y[0] for y in ys], [math.cos(t) for t in g], 1e-9)
    lam = 1000.0
    exact = lambda t: (lam ** 2 * math.cos(t) + lam * math.sin(t)) / (lam ** 2 + 1) - lam ** 2 / (lam ** 2 + 1) * math.exp(-lam * t)
    ys = radau5(lambda t, y: [-lam * (y[0] - math.cos(t))], 0.0, [0.0], grid, 1e-11, 1e-14)
    check("radau5 stiff y'=-1000(y-cos t)", [y[0] for y in ys], [exact(t) for t in grid], 1e-9)
    ys = dopri5(lambda t, y: [-lam * (y[0] - math.cos(t))], 0.0, [0.0], grid, 1e-11, 1e-14)
    check("dopri5 stiff y'=-1000(y-cos t)", [y[0] for y in ys], [exact(t) for t in grid], 1e-9)
    print(f"{time.monotonic() - t1:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
