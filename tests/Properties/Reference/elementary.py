"""Reference tables for the elementary functions of Ops/Elementary.cs (issue 23), from mpmath at 60 digits.

Writes <op>.csv beside this file: the argument, then the correctly rounded float64 value (Python repr). Arguments are
float32 values (so one table serves both dtypes: a float32 argument is exact in float64; a few float64-only
rows come last), drawn with a fixed seed over
the whole domain (uniform in the typical range, log-uniform in magnitude up to the largest finite float32 and down to
subnormals), plus edge points: ±0, ±1, ±inf, NaN, the ends of the domain, near poles and zeros. Run:
python3 elementary.py
"""
import math
import random
import struct

import mpmath
from mpmath import mp

mp.dps = 60
NAN, INF = float("nan"), float("inf")


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0] if math.isfinite(x) else x


def rounded(v):
    """The float64 nearest an mpf (ties are irrelevant at 60 digits): through a 40-digit decimal string, which
    Python's float() rounds correctly, subnormals and overflow to inf included."""
    if isinstance(v, float):
        return v
    if mpmath.isnan(v):
        return NAN
    if mpmath.isinf(v):
        return INF if v > 0 else -INF
    return float(mpmath.nstr(v, 40, strip_zeros=False, min_fixed=1, max_fixed=0))


def mpf(x):
    return mpmath.mpf(x)


def asin(x):
    if math.isnan(x) or abs(x) > 1:
        return NAN
    return mpmath.asin(mpf(x))


def acos(x):
    if math.isnan(x) or abs(x) > 1:
        return NAN
    return mpmath.acos(mpf(x))


def atan(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return math.copysign(1, x) * mp.pi / 2
    return mpmath.atan(mpf(x))


def sinh(x):
    if math.isnan(x) or math.isinf(x):
        return x
    return mpmath.sinh(mpf(x))


def cosh(x):
    if math.isnan(x) or math.isinf(x):
        return abs(x)
    return mpmath.cosh(mpf(x))


def asinh(x):
    if math.isnan(x) or math.isinf(x):
        return x
    return mpmath.asinh(mpf(x))


def acosh(x):
    if math.isnan(x) or x < 1:
        return NAN
    if math.isinf(x):
        return x
    return mpmath.acosh(mpf(x))


def atanh(x):
    if math.isnan(x) or abs(x) > 1:
        return NAN
    if abs(x) == 1:
        return math.copysign(INF, x)
    return mpmath.atanh(mpf(x))


def logb(base):
    def f(x):
        if math.isnan(x) or x < 0:
            return NAN
        if x == 0:
            return -INF
        if math.isinf(x):
            return INF
        return mpmath.log(mpf(x), base)
    return f


def exp2(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return INF if x > 0 else 0.0
    return mpmath.power(2, mpf(x))


def rsqrt(x):
    if math.isnan(x) or x < 0:
        return NAN
    if x == 0:
        return math.copysign(INF, x)
    if math.isinf(x):
        return 0.0
    return 1 / mpmath.sqrt(mpf(x))


def sinc(x):
    if math.isnan(x) or math.isinf(x):
        return NAN
    if x == 0:
        return 1.0
    return mpmath.sinpi(mpf(x)) / (mp.pi * mpf(x))


def logit(x):
    if math.isnan(x) or x < 0 or x > 1:
        return NAN
    if x == 0:
        return -INF
    if x == 1:
        return INF
    return mpmath.log(mpf(x) / (1 - mpf(x)))


def entr(x):
    if math.isnan(x):
        return NAN
    if x < 0:
        return -INF
    if x == 0:
        return 0.0
    if math.isinf(x):
        return -INF
    return -mpf(x) * mpmath.log(mpf(x))


MAX32 = 3.4028234663852886e38
SUB32 = 1.401298464324817e-45


def loguniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def points(seed, uniform, logmag, signed, edges):
    """float32 arguments: 200 uniform in `uniform`, 150 log-uniform magnitudes in `logmag` (signed or not), edges."""
    rng = random.Random(seed)
    xs = [rng.uniform(*uniform) for _ in range(200)]
    for _ in range(150):
        m = loguniform(rng, *logmag)
        xs.append(-m if signed and rng.random() < 0.5 else m)
    xs += edges
    out, seen = [], set()
    for x in xs:
        v = f32(x)
        key = repr(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


COMMON = [0.0, -0.0, INF, -INF, NAN, SUB32, -SUB32, 1e-30, -1e-30]
UNIT = [1.0, -1.0, 0.5, -0.5, 1 - 2**-24, -(1 - 2**-24), 1 - 2**-10, 2**-24, 1e-8, 1.5, -1.5, 2.0]

TABLES = {
    # name: (function, uniform range, log-magnitude range, signed, extra edges)
    "asin": (asin, (-1, 1), (SUB32, 1), True, UNIT),
    "acos": (acos, (-1, 1), (SUB32, 1), True, UNIT),
    "atan": (atan, (-10, 10), (SUB32, MAX32), True, UNIT + [1e10, -1e30, MAX32]),
    "sinh": (sinh, (-10, 10), (SUB32, 720), True, [1e-5, 1e-3, 88.7, 89.5, 709.0, 710.0, 711.0, -710.0, MAX32]),
    "cosh": (cosh, (-10, 10), (SUB32, 720), True, [1e-5, 1e-3, 88.7, 89.5, 709.0, 710.0, 711.0, -710.0, MAX32]),
    "asinh": (asinh, (-10, 10), (SUB32, MAX32), True, UNIT + [1e20, -1e30, MAX32]),
    "acosh": (acosh, (1, 10), (1, MAX32), False, [1.0, 1 + 2**-23, 1 + 2**-10, 0.5, -1.0, 1e20, MAX32]),
    "atanh": (atanh, (-1, 1), (SUB32, 1), True, UNIT),
    "log2": (logb(2), (0, 10), (SUB32, MAX32), False, [1.0, 2.0, 0.5, 1024.0, 1 + 2**-23, 1 - 2**-24, -1.0]),
    "log10": (logb(10), (0, 10), (SUB32, MAX32), False, [1.0, 10.0, 100.0, 0.1, 1e-10, 1 + 2**-23, -1.0]),
    "exp2": (exp2, (-10, 10), (SUB32, 1100), True, [1.0, -1.0, 127.9, 128.0, -149.0, -150.0, 1023.9, 1024.0,
                                                      -1074.0, -1075.0, 0.5]),
    "rsqrt": (rsqrt, (0, 10), (SUB32, MAX32), False, [1.0, 4.0, 0.25, 2.0, -1.0, 1e-40]),
    "sinc": (sinc, (-10, 10), (SUB32, MAX32), True, [1.0, -1.0, 2.0, 0.5, 1e-5, 1e-4, 1e-9, 1e-10, 3.0 + 2**-21,
                                                       1 - 2**-24, 1e6 + 0.5, 1e7 + 0.5, 1e20]),
    "logit": (logit, (0, 1), (SUB32, 1), False, [0.5, 0.25, 0.75, 0.5 + 2**-24, 0.5 - 2**-25, 1 - 2**-24, 2**-24,
                                                 1.0, -0.5, 1.5]),
    "entr": (entr, (0, 5), (SUB32, MAX32), False, [1.0, 1 - 2**-24, 1 + 2**-23, 0.5, math.exp(-1), -1.0, 1e30]),
}


# Not float32 values: float64 subnormals, magnitudes beyond float32's range, values float32 cannot hold (the float32
# tests skip these rows).
F64_ONLY = [5e-324, 1e-310, -1e-310, 1e-300, 1e300, -1e300, 1.7976931348623157e308, 0.1, -0.1, 1 / 3, 0.7, 1 - 2**-53,
            0.5 + 2**-53, 1 + 2**-52, 709.7, 1023.5, -1074.5, math.pi]


def write_tables(tables, first_seed, script):
    """Writes <name>.csv for each table: its points (seeded from first_seed in name order) and F64_ONLY."""
    for seed, (name, (fn, uni, mag, signed, extra)) in enumerate(sorted(tables.items())):
        xs = points(first_seed + seed, uni, mag, signed, COMMON + extra) + F64_ONLY
        with open(f"{name}.csv", "w") as out:
            out.write(f"# {name}(x): x (a float32 value, except the last rows), then the correctly rounded float64 "
                      f"value; mpmath {mpmath.__version__}, {mp.dps} digits, by {script}\n")
            for x in xs:
                out.write(f"{x!r},{rounded(fn(x))!r}\n")
        print(name, len(xs))


def main():
    write_tables(TABLES, 1000, "elementary.py")


if __name__ == "__main__":
    main()
