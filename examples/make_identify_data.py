#!/usr/bin/env python3
"""Writes the measurement files of the identification examples (identify_*.ode) from the
known solutions, so that a reader can see where the data come from and regenerate them:
closed forms where there is one, else classical RK4 with a step of 1e-4 (error ~1e-14).
Noise is Gaussian, relative to each value, from a fixed seed.  Run from this folder."""
import math
import random


def rk4(f, x, t1, h=1e-4, every=0.5):
    """Values of x' = f(x) from t = 0 at multiples of `every` up to t1."""
    out, t, n = [(0.0, list(x))], 0.0, int(round(t1 / h))
    stride = int(round(every / h))
    for i in range(1, n + 1):
        k1 = f(x)
        k2 = f([a + h / 2 * b for a, b in zip(x, k1)])
        k3 = f([a + h / 2 * b for a, b in zip(x, k2)])
        k4 = f([a + h * b for a, b in zip(x, k3)])
        x = [a + h / 6 * (b + 2 * c + 2 * d + e) for a, b, c, d, e in zip(x, k1, k2, k3, k4)]
        if i % stride == 0:
            out.append((i * h, list(x)))
    return out


def write(name, header, rows, comment):
    with open(name, "w") as f:
        f.write("# " + comment + "\n" + ",".join(header) + "\n")
        for r in rows:
            f.write(",".join("%.10g" % v for v in r) + "\n")


# y' = -k y, y(0) = 2, k = 1.3; 21 times, 1% noise.
rnd = random.Random(7)
write("decay_data.csv", ["t", "y"],
      [(0.25 * i, 2 * math.exp(-1.3 * 0.25 * i) * (1 + 0.01 * rnd.gauss(0, 1))) for i in range(21)],
      "y' = -k*y, y(0) = 2, k = 1.3, with 1% Gaussian noise (seed 7)")

# Lotka-Volterra x' = a x - b x y, y' = d x y - c y; a, b, c, d = 1.1, 0.4, 0.4, 0.1;
# x(0) = y(0) = 10; 41 times on [0, 20], no noise.
a, b, c, d = 1.1, 0.4, 0.4, 0.1
lv = rk4(lambda s: [a * s[0] - b * s[0] * s[1], d * s[0] * s[1] - c * s[1]], [10.0, 10.0], 20.0)
write("lotka_volterra_data.csv", ["t", "x", "y"], [(t, s[0], s[1]) for t, s in lv],
      "Lotka-Volterra, a = 1.1, b = 0.4, c = 0.4, d = 0.1, x(0) = y(0) = 10, no noise")

# Damped oscillator y'' + 2 zeta w y' + w^2 y = 0, y(0) = 1, y'(0) = 0, w = 3, zeta = 0.1;
# 31 times on [0, 6], 0.5% noise of the amplitude.
w, z = 3.0, 0.1
wd = w * math.sqrt(1 - z * z)
def osc(t):
    return math.exp(-z * w * t) * (math.cos(wd * t) + z * w / wd * math.sin(wd * t))
rnd = random.Random(11)
write("oscillator_data.csv", ["t", "y"], [(0.2 * i, osc(0.2 * i) + 0.005 * rnd.gauss(0, 1)) for i in range(31)],
      "y'' + 2*zeta*w*y' + w^2*y = 0, y(0) = 1, y'(0) = 0, w = 3, zeta = 0.1, noise 0.005")

# BVP y'' = k y - 1 on [0, 1], y(0) = y(1) = 0, k = 4: y = (1 - cosh(2 (x - 1/2)) / cosh(1)) / 4;
# 9 interior points, no noise.
def bvp(x):
    return (1 - math.cosh(2 * (x - 0.5)) / math.cosh(1.0)) / 4
write("bvp_data.csv", ["x", "y"], [(0.1 * i, bvp(0.1 * i)) for i in range(1, 10)],
      "y'' = k*y - 1, y(0) = y(1) = 0, k = 4, no noise")
