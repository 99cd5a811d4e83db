"""Reference tables of the modified Bessel functions (I0, I0e, I1, I1e of src/Core.CSharp/Ops/Special.cs): arguments
over the whole line (random points on both sides of the kernels' switch points 12 and 8, around them, up to and past
the overflow of I0 and I1 near 713.99 in float64 and 91.9 in float32, and edges: ±0, subnormal, tiny, huge, ±inf, NaN)
and the correctly rounded float64 value from mpmath 1.3 at 60 digits. Run `python3 bessel.py` here to rewrite the
CSVs."""
import math
import random
import struct

import mpmath as mp

mp.mp.dps = 60

# the edges, the rounding and the point spreads of special.py (not imported: importing it rewrites its tables)
EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 1e-300, 1e-200, 1e-30, 1e-16, 1e-8, -1e-8, math.inf, -math.inf,
         math.nan]


def rounded(v):
    """An mpmath value rounded once to the nearest float64, ties to even, subnormals directly."""
    if mp.isfinite(v) and abs(v) < mp.ldexp(1, -1022):
        return float(mp.ldexp(mp.nint(mp.ldexp(v, 1074)), -1074))
    return float(v)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0] if abs(x) < 3.4e38 else x


def spread(rng, lo, hi, n):
    """n random points in [lo, hi], every other one a float32."""
    return [f32(x) if i % 2 else x for i, x in enumerate(rng.uniform(lo, hi) for _ in range(n))]


def logspread(rng, lo, hi, n, sign=1):
    return [f32(x) if i % 2 else x for i, x in enumerate(sign * 10 ** rng.uniform(lo, hi) for _ in range(n))]


def scaled(n):
    def f(x):
        ax = abs(x)
        if ax > 1e6:
            # the asymptotic series of e^(−x)·I_n(x); at x > 10⁶ its terms past the tenth are below 1e-60
            mu, term, total = 4 * n * n, mp.mpf(1), mp.mpf(1)
            for k in range(1, 12):
                term *= -(mu - (2 * k - 1) ** 2) / (k * 8 * ax)
                total += term
            v = total / mp.sqrt(2 * mp.pi * ax)
        else:
            v = mp.besseli(n, ax) * mp.exp(-ax)
        return v if n == 0 or x >= 0 else -v

    return f


def table(name, f, points, note):
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {name}(x): {note}\n")
        for x in points:
            if math.isnan(x):
                y = math.nan
            elif math.isinf(x):
                y = float(f(x))
            else:
                y = rounded(f(mp.mpf(x)))
            out.write(f"{x!r},{y!r}\n")


def points(rng, far):
    pts = EDGES + [1.0, -1.0, 7.999999999999999, 8.0, 8.000000000000002, 11.999999999999998, 12.0, 12.000000000000002,
                   -12.0, 1.0 / 64, 20.0, 100.0, 1e3, 1e6, 1e7, 1e20, 1e300, -1e300]
    pts += spread(rng, -12, 12, 100) + spread(rng, -8, 8, 60) + spread(rng, 0, 3, 20) + spread(rng, 7.5, 8.5, 20)
    pts += spread(rng, 11.5, 12.5, 20) + spread(rng, -far, far, 60) + spread(rng, 12, 100, 30)
    pts += logspread(rng, -20, 0, 20) + logspread(rng, -20, 0, 10, -1) + logspread(rng, 0, 6, 20, -1)
    return pts


def main():
    rng = random.Random(29)
    edge = [713.9, 713.98, 713.99, 714.0, 714.1, 720.0, 91.5, 91.8, 91.9, 92.0, 92.1]
    edge = [f32(x) for x in edge] + edge + [-x for x in edge] + spread(rng, 700, 720, 20) + spread(rng, 85, 95, 20)
    i0 = lambda x: mp.inf if mp.isinf(x) else mp.besseli(0, x)
    i1 = lambda x: x if mp.isinf(x) else mp.besseli(1, x)
    table("i0", i0, points(rng, 720.0) + edge, "modified Bessel function of order 0; overflows past 713.99")
    table("i1", i1, points(rng, 720.0) + edge, "modified Bessel function of order 1; overflows past 713.99")
    fi0e, fi1e = scaled(0), scaled(1)
    table("i0e", lambda x: 0.0 if math.isinf(x) else fi0e(x), points(rng, 1e4) + edge, "e^(-|x|)·I0(x)")
    table("i1e", lambda x: math.copysign(0.0, x) if math.isinf(x) else fi1e(x), points(rng, 1e4) + edge,
          "e^(-|x|)·I1(x)")


main()
