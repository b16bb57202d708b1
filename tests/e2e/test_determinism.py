"""End-to-end: every example, trained twice with the same file, flags, seed and thread count,
leaves byte-identical files (solution.csv, loss.csv, model.json and every plot); its emitted
solver and, from the trained model, its emitted header are byte-identical too."""
import concurrent.futures
import os

from e2e_util import SANITIZED, Suite

s = Suite("determinism")
ex = os.path.join(s.root, "examples")
names = sorted(f[:-4] for f in os.listdir(ex) if f.endswith(".ode"))
if SANITIZED:  # one of each kind of run: the Release build checks every example
    names = [n for n in names if n in ("decay", "bvp_sine", "lotka_volterra", "identify_decay", "bundle_decay")]


def train(name, tag):
    out = os.path.join(s.tmp, name + tag)
    # A budget that never binds: where the wall clock ends a run (README: budget) the result
    # depends on the machine's speed and load, and two runs side by side under a loaded
    # ctest -j2 differed (bundle_damped takes 14 s alone).
    r = s.run("train", os.path.join("examples", name + ".ode"), "--out", out, "--quiet", "--threads", "1",
              "--budget", "600")
    return r, out


def files(d):
    """Every file a run left, by name, as bytes."""
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))}


# The two runs of an example go side by side (2 cores); --threads 1 keeps them apart.
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    runs = {n: (pool.submit(train, n, "_a"), pool.submit(train, n, "_b")) for n in names}
    for n in names:
        (ra, a), (rb, b) = runs[n][0].result(), runs[n][1].result()
        if not s.check(ra.returncode == 0 and rb.returncode == 0, f"{n}: both runs succeed ({ra.returncode}, {rb.returncode})",
                       ra.stderr + rb.stderr):
            continue
        fa, fb = files(a), files(b)
        plots = [f for f in fa if f.endswith((".svg", ".png"))]
        s.check(len(plots) >= 4 and {"solution.csv", "loss.csv", "model.json"} <= set(fa),
                f"{n}: the run wrote its CSV, JSON and plots", str(sorted(fa)))
        differ = [f for f in sorted(set(fa) | set(fb)) if fa.get(f) != fb.get(f)]
        s.check(not differ, f"{n}: {len(fa)} files byte-identical across two runs", f"differ: {differ}")

        # Emitted C++: the solver from the file, the header from the trained model.
        emitted = []
        for tag in ("x", "y"):
            d = os.path.join(s.tmp, f"{n}_emit_{tag}")  # the same names: they appear in the files
            os.makedirs(d)
            cpp, hpp = os.path.join(d, "solver.cpp"), os.path.join(d, "solution.hpp")
            e1 = s.run("emit", os.path.join("examples", n + ".ode"), "-o", cpp)
            e2 = s.run("emit", "--model", os.path.join(a, "model.json"), "-o", hpp)
            s.check(e1.returncode == 0 and e2.returncode == 0, f"{n}: emit and emit --model succeed", e1.stderr + e2.stderr)
            emitted.append((open(cpp, "rb").read() if os.path.exists(cpp) else None,
                            open(hpp, "rb").read() if os.path.exists(hpp) else None))
        s.check(emitted[0][0] is not None and emitted[0] == emitted[1], f"{n}: emitted solver and header byte-identical")

s.finish()
