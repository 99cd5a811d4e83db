"""Reference tables of the inverse error function and the inverse normal distribution function (Ops/Special.cs
Erfinv, Ndtri): arguments over the whole domain (random points; ±0, tiny and subnormal arguments; the tails near ±1
and near 0 and 1, down to the last float64 and float32 below 1 and the smallest subnormal; the fits' seams; ±1, 0, 1,
outside the domain, ±inf, NaN) and the correctly rounded float64 value from mpmath 1.3, with enough digits that
1 − x and 2p − 1 are exact. Run `python3 inv.py` here to rewrite erfinv.csv and ndtri.csv;
`python3 inv.py --dense DIR` writes denser samples (5,000 and 3,850 points, too many for the tests' time) to
DIR/erfinv_dense.csv and DIR/ndtri_dense.csv, which the bounds in docs/conventions.md were also measured on."""
import math
import random
import struct
import sys

import mpmath as mp

mp.mp.dps = 60


def rounded(v):
    """An mpmath value rounded once to the nearest float64 (a subnormal directly to a multiple of 2^-1074)."""
    if mp.isfinite(v) and abs(v) < mp.ldexp(1, -1022):
        return float(mp.ldexp(mp.nint(mp.ldexp(v, 1074)), -1074))
    return float(v)


def f32(x):
    """x rounded to float32, so that the float32 tests can use the row."""
    return struct.unpack("<f", struct.pack("<f", x))[0] if abs(x) < 3.4e38 else x


def spread(rng, lo, hi, n):
    """n random points in [lo, hi], every other one a float32."""
    return [f32(x) if i % 2 else x for i, x in enumerate(rng.uniform(lo, hi) for _ in range(n))]


def logspread(rng, lo, hi, n, sign=1):
    return [f32(x) if i % 2 else x for i, x in enumerate(sign * 10 ** rng.uniform(lo, hi) for _ in range(n))]


def erfinv(x):
    if abs(x) > 1:
        return math.nan
    if abs(x) == 1:
        return math.copysign(math.inf, x)
    return rounded(mp.erfinv(mp.mpf(x)))


def ndtri(p):
    if not 0 <= p <= 1:
        return math.nan
    if p in (0, 1):
        return -math.inf if p == 0 else math.inf
    q = min(p, 1 - p)  # 1 − p is exact for p ≥ ½
    with mp.workdps(60 + int(-math.log10(q))):  # 1 − 2q exact
        y = -mp.sqrt(2) * mp.erfinv(1 - 2 * mp.mpf(q))
        assert abs(mp.ncdf(y) / q - 1) < mp.mpf(10) ** -40
    return rounded(y if p < 0.5 else -y)


def table(name, f, points, note):
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {name}(x): {note}\n")
        for x in points:
            y = math.nan if math.isnan(x) else f(x)
            out.write(f"{x!r},{y!r}\n")


def seam(rng, x, n=6):
    """Points either side of x, float64 and float32."""
    return spread(rng, x * (1 - 1e-6), x * (1 + 1e-6), n) + [x]


def dense(folder):
    rng = random.Random(4242)
    x = spread(rng, -1, 1, 3000)
    x += [f32(1 - v) if i % 2 else 1 - v for i, v in enumerate(logspread(rng, -16, -0.3, 1500))]
    x += logspread(rng, -40, 0, 500)
    table(f"{folder}/erfinv_dense", erfinv, x, "dense sample")
    p = spread(rng, 0, 1, 2000) + logspread(rng, -3, -0.3, 800) + logspread(rng, -40, -3, 300)
    p += logspread(rng, -323, -40, 150)
    p += [f32(1 - v) if i % 2 else 1 - v for i, v in enumerate(logspread(rng, -16, -0.3, 600))]
    table(f"{folder}/ndtri_dense", ndtri, p, "dense sample")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--dense":
        dense(sys.argv[2])
        return
    rng = random.Random(29)
    below1 = [1 - 2.0**-53, 1 - 2.0**-52, 1 - 2.0**-40, 1 - 2.0**-24, 1 - 2.0**-23]
    # |x| where w = −log(1 − x²) crosses the seams 6.25 and 16 of the fits, and |x| = ½ where w's formula changes
    seams = [math.sqrt(-math.expm1(-6.25)), math.sqrt(-math.expm1(-16.0)), 0.5]
    x = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 1e-300, 1e-30, 1e-16, -1e-8, 1.0, -1.0, 1.0000000000000002, -1.5, 2.0,
         math.inf, -math.inf, math.nan] + below1 + [-v for v in below1]
    x += spread(rng, -1, 1, 200) + logspread(rng, -20, 0, 30) + logspread(rng, -20, 0, 20, -1)
    x += [f32(1 - v) if i % 2 else 1 - v for i, v in enumerate(logspread(rng, -16, -0.3, 80))]
    x += [-v for v in x[-30:]]
    for s in seams:
        x += seam(rng, s) + [-v for v in seam(rng, s, 2)]
    table("erfinv", erfinv, x, "the inverse error function; ±inf at ±1, NaN outside [-1, 1]")

    q6, q16, q39 = (-math.expm1(-w) / 4 for w in (6.25, 16.0, 39.0625))  # 4q(1 − q) = e^(−w), q ≪ 1
    p = [0.0, -0.0, 5e-324, 1e-310, 1e-300, 1e-200, 1e-30, 1e-16, 1e-8, -1e-8, 0.5, 1.0, 1.0000000000000002, 2.0,
         math.inf, -math.inf, math.nan, 1.401298464324817e-45, 1.1754943508222875e-38, 2.2250738585072014e-308,
         1 - 2.0**-53, 1 - 2.0**-52, 1 - 2.0**-24, 1 - 1e-16, 0.25, 0.75, 0.9999999999999999]
    p += spread(rng, 0, 1, 160) + logspread(rng, -323, -0.4, 90) + logspread(rng, -44, -0.4, 40)
    p += [f32(1 - v) if i % 2 else 1 - v for i, v in enumerate(logspread(rng, -16, -0.4, 50))]
    for s in (0.25, 0.75, q6, 1 - q6, q16, q39):
        p += seam(rng, s)
    table("ndtri", ndtri, p, "the inverse of the standard normal distribution function; -inf at 0, inf at 1")


main()
