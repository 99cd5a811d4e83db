"""Reference tables of the gamma family (src/Core.CSharp/Ops/Special.cs: Lgamma, Digamma, Polygamma): for each op,
arguments over its whole domain (random points, and edges: ±0, tiny, subnormal, huge, near the zeros and poles, ±inf,
NaN) and the correctly rounded float64 value from mpmath 1.3 at 60 digits. Run `python3 gamma.py` here to rewrite the
CSVs. At the poles the rows hold the conventions of docs/conventions.md ("Special functions")."""
import math
import random
import struct

import mpmath as mp

mp.mp.dps = 60

EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, -1e-310, 1e-300, -1e-300, 1e-30, -1e-30, 1e-8, -1e-8, math.inf,
         -math.inf, math.nan]


def rounded(v):
    """An mpmath value rounded once to the nearest float64, ties to even (subnormals directly to a multiple of 2^-1074)."""
    if mp.isfinite(v) and abs(v) < mp.ldexp(1, -1022):
        return float(mp.ldexp(mp.nint(mp.ldexp(v, 1074)), -1074))
    return float(v)


def f32(x):
    """x rounded to float32, so that the float32 tests can use the row (they skip rows whose argument is not one)."""
    return struct.unpack("<f", struct.pack("<f", x))[0] if abs(x) < 3.4e38 else x


def spread(rng, lo, hi, n):
    """n random points in [lo, hi], every other one a float32."""
    return [f32(x) if i % 2 else x for i, x in enumerate(rng.uniform(lo, hi) for _ in range(n))]


def logspread(rng, lo, hi, n, sign=1):
    return [f32(x) if i % 2 else x for i, x in enumerate(sign * 10 ** rng.uniform(lo, hi) for _ in range(n))]


def table(name, f, points, note):
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {name}(x): {note}\n")
        for x in points:
            y = math.nan if math.isnan(x) else f(x)
            out.write(f"{x!r},{y!r}\n")


def is_pole(x):
    return x <= 0 and x == math.floor(x)


def lgamma(x):
    if math.isinf(x) or is_pole(x):
        return math.inf
    return rounded(mp.log(abs(mp.gamma(mp.mpf(x)))) if abs(x) < 1e5 else mp.loggamma(abs(mp.mpf(x))).real
                   if x > 0 else mp.log(mp.pi / abs(mp.sin(mp.pi * mp.mpf(x)))) - mp.loggamma(1 - mp.mpf(x)).real)


def digamma(x):
    if x == 0:
        return -math.inf if math.copysign(1, x) > 0 else math.inf
    if x == math.inf:
        return math.inf
    if math.isinf(x) or is_pole(x):
        return math.nan
    return rounded(mp.digamma(mp.mpf(x)))


def polygamma(n):
    def f(x):
        if math.isinf(x):
            return math.nan if x < 0 else (0.0 if n % 2 else -0.0)
        if is_pole(x):
            return math.inf if n % 2 else -math.inf
        return rounded(mp.polygamma(n, mp.mpf(x)))
    return f


def points(rng, zeros):
    pts = EDGES + [1.0, 2.0, 3.0, 0.5, -0.5, -1.0, -2.0, -3.0, -100.0, 1e15, 2.5e305, 1e307, 1.7976931348623157e308]
    pts += [z + d for z in zeros for d in (0.0, 1e-15, -1e-15, 1e-10, -1e-10, 1e-6, -1e-6, 0.01, -0.01)]
    pts += spread(rng, 0, 3, 80) + spread(rng, 0, 12, 80) + spread(rng, 10, 100, 30) + logspread(rng, 2, 300, 30)
    pts += logspread(rng, -300, 0, 30) + spread(rng, -10, 0, 60) + spread(rng, -200, -10, 10)
    pts += [-k + d for k in (1, 2, 5) for d in (1e-10, -1e-10, 0.5, 0.25)]
    return [p for p in pts if not (isinstance(p, float) and p > 1.7976931348623157e308)]


def main():
    rng = random.Random(2323)
    table("lgamma", lgamma, points(rng, [1.0, 2.0]), "log |Γ(x)|; +inf at the non-positive integers and ±inf")
    x0 = float(mp.findroot(mp.digamma, 1.4616))
    table("digamma", digamma, points(rng, [x0, f32(x0)]),
          "ψ(x); −inf at +0, +inf at −0, NaN at the negative integers and −inf")
    for n in (1, 2, 3, 6):
        pts = [p for p in points(rng, [1.0]) if abs(p) < 1e300 or math.isinf(p) or n == 1]
        table(f"polygamma{n}", polygamma(n), pts, f"ψ^({n})(x); (−1)^{n + 1}·inf at the non-positive integers")


main()
