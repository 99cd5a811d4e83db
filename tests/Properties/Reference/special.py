"""Reference tables of the special functions (src/Core.CSharp/Ops/Special.cs): for each op, arguments over its
whole domain (random points, and edges: ±0, tiny, subnormal, huge, near zeros and poles, ±inf, NaN) and the
correctly rounded float64 value from mpmath 1.3 at 60 digits. Run `python3 special.py` here to rewrite the CSVs."""
import math
import random
import struct

import mpmath as mp

mp.mp.dps = 60

EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 1e-300, 1e-200, 1e-30, 1e-16, 1e-8, -1e-8, math.inf, -math.inf,
         math.nan]


def rounded(v):
    """An mpmath value rounded once to the nearest float64, ties to even (a subnormal result rounded directly to a
    multiple of 2^-1074, not through a 53-bit mantissa first)."""
    if mp.isfinite(v) and abs(v) < mp.ldexp(1, -1022):
        return float(mp.ldexp(mp.nint(mp.ldexp(v, 1074)), -1074))
    return float(v)


def table(name, f, points, note):
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {name}(x): {note}\n")
        for x in points:
            if math.isnan(x):
                y = math.nan
            else:
                y = rounded(f(mp.mpf(x)))
            out.write(f"{x!r},{y!r}\n")


def f32(x):
    """x rounded to float32, so that the float32 tests can use the row (they skip rows whose argument is not one)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def spread(rng, lo, hi, n):
    """n random points in [lo, hi], every other one a float32."""
    return [f32(x) if i % 2 else x for i, x in enumerate(rng.uniform(lo, hi) for _ in range(n))]


def logspread(rng, lo, hi, n, sign=1):
    return [f32(x) if i % 2 else x for i, x in enumerate(sign * 10 ** rng.uniform(lo, hi) for _ in range(n))]


def erf_points(rng, far):
    pts = EDGES + [0.5, -0.5, 1.0, -1.0, 0.49999999999999994, 0.9999999999999999, 1.0000000000000002, 6.0, far]
    pts += spread(rng, -1, 1, 120) + spread(rng, -6, 6, 120) + spread(rng, -far, far, 80) + logspread(rng, -20, 0, 40)
    pts += logspread(rng, -20, 0, 20, -1) + spread(rng, 0.45, 0.55, 20) + spread(rng, 0.95, 1.05, 20)
    pts += spread(rng, 0.7, 0.8, 20) + spread(rng, -1.6, -0.7, 20)
    return pts


def main():
    rng = random.Random(23)
    table("erf", mp.erf, erf_points(rng, 7.0), "the error function")
    erfc_pts = erf_points(rng, 30.0) + spread(rng, 20.0, 27.3, 40) + [26.5, 27.0, 27.2, 27.3, 28.0, -6.0, -30.0]
    table("erfc", mp.erfc, erfc_pts, "the complementary error function; underflows past 27.3")
    ndtr_pts = [f32(math.sqrt(2) * x) if i % 2 else math.sqrt(2) * x for i, x in enumerate(erf_points(rng, 10.0))] + spread(rng, -38.5, -20.0, 40) + \
        [-37.5, -38.0, -38.4, -38.5, -40.0, 8.3, 9.0, 40.0] + EDGES
    table("ndtr", mp.ncdf, ndtr_pts, "the standard normal distribution function; underflows below -38.5")


main()
