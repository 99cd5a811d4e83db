"""Reference tables for the activations (src/Core.CSharp/Ops/Activations.cs): mpmath at 60 digits, each value
correctly rounded to float64 (Python repr). Run `python3 activations.py` here; it rewrites <op>.csv beside it.

Arguments are float32 values (so the float32 tests read the same rows) plus a few float64-only ones (the tests skip
those in float32): random over [-12, 12], magnitudes 1e-40 .. 3e38 of both signs, points near the kinks, ±0, ±inf,
NaN. The limits at ±inf and NaN are written out by hand beside each function.
"""
import math
import random
import struct

import mpmath
from mpmath import mp, mpf

mp.dps = 60


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def arguments(seed, lo=-12.0, hi=12.0, extra=()):
    rng = random.Random(seed)
    xs = [f32(rng.uniform(lo, hi)) for _ in range(220)]
    for e in range(-40, 39, 2):
        m = f32(rng.uniform(1.0, 10.0) * 10.0**e)
        if m != 0.0 and not math.isinf(m):
            xs += [m, -m]
    xs += [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0**-149, -(2.0**-149), 1e-40, -1e-40, 3.4028234663852886e38,
           -3.4028234663852886e38, 20.0, -20.0, 40.0, -40.0, 88.0, -88.0, 100.0, -100.0, 700.0, -700.0, 745.0, -745.0]
    xs += [f32(v) for v in extra]
    xs += [1e-300, -1e-300, 1e200, -1e200, 1e300, -1e300]  # float64 only
    xs += [math.inf, -math.inf, math.nan]
    return xs


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def special(at_inf, at_minus_inf):
    def wrap(f):
        def g(x):
            if math.isnan(x):
                return math.nan
            if math.isinf(x):
                return at_inf if x > 0 else at_minus_inf
            return float(f(mpf(x)))
        return g
    return wrap


K = mpmath.sqrt(2 / mpmath.pi)
C = mpf("0.044715")
ALPHA = mpf("1.6732632423543772848170429916717")
SCALE = mpf("1.0507009873554804934193349852946")

functions = {
    # x·Φ(x) and its tanh approximation, written as x·σ(2u) (the same function, with no cancellation in mpmath)
    "gelu": (special(math.inf, -0.0)(lambda x: (x if x > 0 else -0.0) if abs(x) > 1e6  # below -1e6 it underflows
                                     else x * mpmath.erfc(-x / mpmath.sqrt(2)) / 2), ()),
    "gelu_tanh": (special(math.inf, -0.0)(lambda x: x * sigmoid(2 * K * (x + C * x**3))), ()),
    "silu": (special(math.inf, -0.0)(lambda x: x * sigmoid(x)), ()),
    "mish": (special(math.inf, -0.0)(lambda x: x * mpmath.tanh(mpmath.log1p(mpmath.exp(x)))), ()),
    "logsigmoid": (special(0.0, -math.inf)(lambda x: -mpmath.log1p(mpmath.exp(-x))), ()),
    # softplus(beta = 2, threshold = 20): x where 2x > 20 (exact in binary), else log1p(e^(2x))/2
    "softplus_beta2": (special(math.inf, 0.0)(lambda x: x if 2 * x > 20 else mpmath.log1p(mpmath.exp(2 * x)) / 2),
                       (9.999999, 10.0, 10.000001)),
    "elu": (special(math.inf, -1.0)(lambda x: x if x > 0 else mpmath.expm1(x)), ()),
    "selu": (special(math.inf, -float(SCALE * ALPHA))(lambda x: SCALE * (x if x > 0 else ALPHA * mpmath.expm1(x))), ()),
    # celu(alpha = 0.5): 0.5·expm1(x/0.5) below 0
    "celu_half": (special(math.inf, -0.5)(lambda x: x if x > 0 else mpf("0.5") * mpmath.expm1(2 * x)), ()),
    "softsign": (special(1.0, -1.0)(lambda x: x / (1 + abs(x))), ()),
    "hardswish": (special(math.inf, -0.0)(lambda x: x * min(max(x + 3, 0), 6) / 6), (-3.0, 3.0, -2.9, 2.9)),
    "hardsigmoid": (special(1.0, 0.0)(lambda x: min(max(x + 3, 0), 6) / 6), (-3.0, 3.0, -2.9, 2.9)),
}

for i, (name, (f, extra)) in enumerate(sorted(functions.items())):
    rows = []
    for x in arguments(1000 + i, extra=extra):
        y = f(x)
        rows.append(f"{x!r},{y!r}")
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {name}: x, then the correctly rounded float64 value (activations.py, "
                  f"mpmath {mpmath.__version__}, 60 digits)\n")
        out.write("\n".join(rows) + "\n")
    print(name, len(rows))

# tanhshrink x − tanh x: computed as the difference, so only |x| ≥ 1 is held to an ulp bound (near 0 its error is
# ulps of x, not of the far smaller result); its own table
rng = random.Random(7)
xs = [f32(rng.choice([-1, 1]) * rng.uniform(1.0, 20.0)) for _ in range(200)]
xs += [1.0, -1.0, 1e3, -1e3, 3.4028234663852886e38, -3.4028234663852886e38, 1e300, -1e300, math.inf, -math.inf,
       math.nan]
tanhshrink = special(math.inf, -math.inf)(lambda x: x - mpmath.tanh(x))
with open("tanhshrink.csv", "w") as out:
    out.write(f"# tanhshrink for |x| >= 1: x, then the correctly rounded float64 value (activations.py, mpmath "
              f"{mpmath.__version__}, 60 digits)\n")
    out.write("\n".join(f"{x!r},{tanhshrink(x)!r}" for x in xs) + "\n")
print("tanhshrink", len(xs))
