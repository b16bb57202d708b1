#!/usr/bin/env python3
"""Why solution bundles matter: the solution at 10^4 parameter values, from one trained
bundle against a classical integrator run for each value.

  bench/bundle.py [--pinnc build/pinnc] [--values 10000] [--example bundle_harmonic]

The example (examples/bundle_decay.ode: y' = -k y, exact exp(-k t); or bundle_harmonic:
y'' + w^2 y = 0, exact cos(w t)) is trained once with `pinnc train`, and its evaluator
header is written with `pinnc emit --model`. A C++ program then computes, for N values of
the parameter evenly spread over its range, u and u' on a grid of 21 times covering the
interval, in two ways:
  - bundle: the header's ns::solution(t, k, u) (u and u' from one network evaluation);
  - classical: Boost.Odeint's Dormand-Prince 5(4), adaptive, dense output at the 21
    times, once per value. Two tolerances are run: 1e-6, which is about the bundle's
    error, and 1e-10, which is far below it.
For each way it prints the wall time for all N values, the time per value, and the
largest error against the exact solution over all values and times, relative to the
solution's scale. The training time is printed beside them: it is paid once.
Speed is measured, never asserted; rerun to see the noise.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAM = r"""
#include <boost/numeric/odeint.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>
#include "HEADER"

using State = std::vector<double>;
namespace ode = boost::numeric::odeint;

static double exact(double t, double p) { return EXACT; }
static double exact_d1(double t, double p) { return EXACT_D1; }

int main() {
  const int n = NVALUES, nt = 21;
  const double lo = LOWER, hi = UPPER, t0 = ns::t_min, t1 = ns::t_max;
  std::vector<double> ps(n), ts(nt);
  for (int i = 0; i < n; ++i) ps[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
  for (int i = 0; i < nt; ++i) ts[i] = t0 + (t1 - t0) * i / (nt - 1);
  double scale = 0;
  for (double p : ps)
    for (double t : ts) scale = std::fmax(scale, std::fmax(std::fabs(exact(t, p)), std::fabs(exact_d1(t, p))));
  using clock = std::chrono::steady_clock;
  // The bundle.
  double err = 0, sink = 0;
  auto a = clock::now();
  for (double p : ps)
    for (double t : ts) {
      double v[ns::n_unknowns][ns::order + 1];
      ns::solution(t, p, v);  // u and its derivatives in one network evaluation
      const double u = v[0][0], du = v[0][1];
      sink += u;
      err = std::fmax(err, std::fmax(std::fabs(u - exact(t, p)), std::fabs(du - exact_d1(t, p))));
    }
  const double bundle_s = std::chrono::duration<double>(clock::now() - a).count();
  std::printf("bundle %.6f %.3e %g\n", bundle_s, err / scale, sink);
  // The classical integrator, once per value.
  for (double tol : {1e-6, 1e-10}) {
    double cerr = 0;
    auto b = clock::now();
    for (double p : ps) {
      State x = INITIAL;
      std::size_t k = 0;
      auto rhs = [p](const State& x, State& dx, double t) { RHS; };
      ode::integrate_times(ode::make_dense_output(tol, tol, ode::runge_kutta_dopri5<State>()), rhs, x, ts.begin(),
                           ts.end(), 1e-3 * (t1 - t0), [&](const State& s, double t) {
                             (void)k;
                             cerr = std::fmax(cerr, std::fmax(std::fabs(s[0] - exact(t, p)), std::fabs(DERIV - exact_d1(t, p))));
                           });
    }
    const double classical_s = std::chrono::duration<double>(clock::now() - b).count();
    std::printf("classical %g %.6f %.3e\n", tol, classical_s, cerr / scale);
  }
}
"""

EXAMPLES = {
    # name: (parameter, exact, exact', initial state, rhs, u' from the state)
    "bundle_decay": ("k", "std::exp(-p * t)", "-p * std::exp(-p * t)", "State{1.0}",
                     "dx.resize(1); dx[0] = -p * x[0]", "(-p * s[0])"),
    "bundle_harmonic": ("w", "std::cos(p * t)", "-p * std::sin(p * t)", "State{1.0, 0.0}",
                        "dx.resize(2); dx[0] = x[1]; dx[1] = -p * p * x[0]", "s[1]"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pinnc", default=os.path.join(ROOT, "build", "pinnc"))
    ap.add_argument("--values", type=int, default=10000)
    ap.add_argument("--example", default="bundle_harmonic", choices=sorted(EXAMPLES))
    args = ap.parse_args()
    name = args.example
    param, ex, ex_d1, init, rhs, deriv = EXAMPLES[name]
    work = tempfile.mkdtemp(prefix="pinnc_bundle_bench_")
    out = os.path.join(work, "run")
    r = subprocess.run([args.pinnc, "train", os.path.join(ROOT, "examples", name + ".ode"), "--out", out, "--no-plots"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bundle.py: pinnc train failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    train_s = float(re.search(r"^training .* in ([0-9.]+) s", r.stdout, re.M).group(1))
    rng = re.search(r"^bundle +\w+ in \[([^,]+), ([^\]]+)\]", r.stdout, re.M)
    lo, hi = rng.group(1), rng.group(2)
    header = os.path.join(work, "bundle.hpp")
    r = subprocess.run([args.pinnc, "emit", "--model", out, "-o", header, "--name", "ns"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bundle.py: pinnc emit --model failed:\n{r.stderr}")
    src = (PROGRAM.replace("HEADER", header).replace("EXACT_D1", ex_d1).replace("EXACT", ex)
           .replace("NVALUES", str(args.values)).replace("LOWER", lo).replace("UPPER", hi)
           .replace("INITIAL", init).replace("RHS", rhs).replace("DERIV", deriv))
    prog = os.path.join(work, "bench.cpp")
    open(prog, "w").write(src)
    exe = os.path.join(work, "bench")
    c = subprocess.run(["g++", "-std=c++17", "-O2", "-march=native", prog, "-o", exe], capture_output=True, text=True)
    if c.returncode != 0:
        sys.exit(f"bundle.py: the benchmark program does not compile:\n{c.stderr}")
    lines = subprocess.run([exe], capture_output=True, text=True, check=True).stdout.split("\n")
    n = args.values
    print(f"{name}: {param} in [{lo}, {hi}], {n} values x 21 times, u and u' (2-core machine; noisy)")
    print(f"  training the bundle once: {train_s:.2f} s")
    print(f"  {'method':<34} {'all values (s)':>14} {'per value (us)':>15} {'max error / scale':>18}")
    for line in lines:
        f = line.split()
        if not f:
            continue
        if f[0] == "bundle":
            secs, err = float(f[1]), float(f[2])
            label = "bundle (evaluator header)"
        else:
            secs, err = float(f[2]), float(f[3])
            label = f"Odeint dopri5, tolerance {f[1]}"
        print(f"  {label:<34} {secs:>14.4f} {1e6 * secs / n:>15.2f} {err:>18.2e}")


if __name__ == "__main__":
    main()
