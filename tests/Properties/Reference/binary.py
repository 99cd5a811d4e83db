"""Reference tables for the functions of two arguments (Ops/BinaryMath.cs, and the whole powers of Ops/Power.cs).

Writes <op>.csv beside this script: the arguments, then the correctly rounded float64 value, as Python's repr.
Smooth functions are evaluated with mpmath at 60 digits; fmod, remainder and the powers exactly with fractions.
Every finite argument is a float32 value too (so the float32 tests use the same rows), except the rows marked by
float64-only magnitudes. Special values (zeros, infinities, NaN) follow IEEE 754 and PyTorch, written out below.
Run: python3 binary.py (mpmath 1.3).
"""

import math
import random
import struct
from fractions import Fraction

import mpmath

mpmath.mp.dps = 60
rng = random.Random(23)
INF, NAN = math.inf, math.nan


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def rounded(v):
    """The float64 nearest an mpf or a Fraction (ties to even), overflowing to ±inf."""
    if isinstance(v, mpmath.mpf):
        sign, man, exp, _ = v._mpf_
        if man == 0:
            return -0.0 if sign else 0.0
        v = Fraction((-1) ** sign * man) * (Fraction(2) ** exp)
    try:
        return float(v)
    except OverflowError:
        return INF if v > 0 else -INF


def draw():
    """A float32 value: mostly moderate, some tiny or huge, either sign."""
    k = rng.random()
    if k < 0.5:
        x = rng.uniform(-10, 10)
    elif k < 0.8:
        x = math.copysign(10 ** rng.uniform(-30, 30), rng.random() - 0.5)
    else:
        x = rng.uniform(-1, 1)
    return f32(x)


SPECIAL = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 1e-45, -1e-45, 3.4e38, -3.4e38, 1.1754943508222875e-38]
# float64-only magnitudes (not float32 values): the float32 tests skip these rows
WIDE = [5e-324, -5e-324, 1e-310, 1.7976931348623157e308, -1.7976931348623157e308, 1e-200, 1e200]


def pairs(n, first=draw, second=draw):
    out = [(first(), second()) for _ in range(n)]
    out += [(a, b) for a in SPECIAL for b in SPECIAL]
    out += [(a, b) for a in WIDE for b in [1.0, -2.5, 1e-300, 1e300] + WIDE[:2]]
    return out


def mp(x):
    return mpmath.mpf(x)


def special(*xs):
    return any(math.isnan(x) or math.isinf(x) or x == 0 for x in xs)


def atan2(a, b):
    if special(a, b):
        return math.atan2(a, b)  # IEEE's table of signed zeros and infinities; the finite quadrants are exact
    return rounded(mpmath.atan2(mp(a), mp(b)))


def hypot(a, b):
    if math.isinf(a) or math.isinf(b):
        return INF
    if math.isnan(a) or math.isnan(b):
        return NAN
    return rounded(mpmath.sqrt(mp(a) ** 2 + mp(b) ** 2))


def fmod(a, b):
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or b == 0:
        return NAN
    if math.isinf(b):
        return a
    q = Fraction(a) / Fraction(b)
    r = Fraction(a) - Fraction(b) * int(q)  # int truncates toward 0
    return math.copysign(float(r), a) if r == 0 else float(r)


def remainder(a, b):
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or b == 0:
        return NAN
    if math.isinf(b):
        # Python's and PyTorch's: a where a and b have one sign (or a = 0), else b
        return a if a == 0 or (a > 0) == (b > 0) else b
    r = Fraction(a) - Fraction(b) * math.floor(Fraction(a) / Fraction(b))
    return math.copysign(0.0, b) if r == 0 else float(r)


def logaddexp_special(a, b):
    """logaddexp's and logaddexp2's value where an argument is NaN or infinite, else None."""
    if math.isnan(a) or math.isnan(b):
        return NAN
    if a == INF or b == INF:
        return INF
    if a == -INF:
        return b
    if b == -INF:
        return a
    return None


def logaddexp(a, b):
    special = logaddexp_special(a, b)
    if special is not None:
        return special
    # the same function as log(eᵃ + eᵇ), written so 60 digits suffice where a or b is tiny beside 1; past a gap of
    # 2000 the smaller term is below 1e-800 and never moves a float64
    if abs(mp(a) - mp(b)) > 2000:
        return max(a, b)
    return rounded(max(mp(a), mp(b)) + mpmath.log1p(mpmath.exp(-abs(mp(a) - mp(b)))))


def logaddexp2(a, b):
    special = logaddexp_special(a, b)
    if special is not None:
        return special
    if abs(mp(a) - mp(b)) > 3000:
        return max(a, b)
    return rounded(max(mp(a), mp(b)) + mpmath.log1p(mpmath.power(2, -abs(mp(a) - mp(b)))) / mpmath.log(2))


def xlogy(a, b):
    if math.isnan(b):
        return NAN
    if a == 0:
        return 0.0
    if math.isnan(a) or b < 0:
        return NAN
    if b == 0:
        return -INF if a > 0 else INF
    if math.isinf(a) or math.isinf(b):
        return a * math.log(b) if b != 1 else NAN  # inf·0 is NaN
    return rounded(mp(a) * mpmath.log(mp(b)))


def xlog1py(a, b):
    if math.isnan(b):
        return NAN
    if a == 0:
        return 0.0
    if math.isnan(a) or b < -1:
        return NAN
    if b == -1:
        return -INF if a > 0 else INF
    if math.isinf(a) or math.isinf(b):
        return a * math.log1p(b) if b != 0 else NAN
    return rounded(mp(a) * mpmath.log1p(mp(b)))


def power(p):
    def f(x):
        if x == 0 and p < 0:
            return INF if p % 2 == 0 else math.copysign(INF, x)  # IEEE's pole, signed for odd powers
        if math.isnan(x) or math.isinf(x) or x == 0:
            return math.pow(x, p)  # IEEE's signed zeros and infinities
        return rounded(Fraction(x) ** p)

    return f


def near_logaddexp_zero():
    """Points where eᵃ + eᵇ is near 1 (the result near 0), where the stable formula cancels."""
    a = f32(rng.uniform(-5, -0.01))
    b = f32(math.log1p(-math.exp(a)) * (1 + rng.uniform(-1e-3, 1e-3)))
    return a, b


def write(name, header, rows, f):
    with open(f"{name}.csv", "w") as out:
        out.write(f"# {header}; generated by binary.py with mpmath {mpmath.__version__} at 60 digits\n")
        for args in rows:
            out.write(",".join(repr(x) for x in list(args) + [f(*args)]) + "\n")


def positive():
    return f32(10 ** rng.uniform(-30, 30) if rng.random() < 0.4 else rng.uniform(0, 20))


write("atan2", "a, b, atan2(a, b)", pairs(250), atan2)
write("hypot", "a, b, hypot(a, b)", pairs(250), hypot)
write("fmod", "a, b, fmod(a, b)", pairs(250), fmod)
write("remainder", "a, b, a - b*floor(a/b)", pairs(250), remainder)
write(
    "logaddexp",
    "a, b, log(e^a + e^b)",
    pairs(200, lambda: f32(rng.uniform(-60, 60)), lambda: f32(rng.uniform(-60, 60)))
    + [near_logaddexp_zero() for _ in range(40)],
    logaddexp,
)
write(
    "logaddexp2",
    "a, b, log2(2^a + 2^b)",
    pairs(220, lambda: f32(rng.uniform(-90, 90)), lambda: f32(rng.uniform(-90, 90))),
    logaddexp2,
)
write("xlogy", "a, b, a*log(b) (0 where a = 0 unless b is NaN)", pairs(250, draw, positive), xlogy)
write(
    "xlog1py",
    "a, b, a*log1p(b) (0 where a = 0 unless b is NaN)",
    pairs(250, draw, lambda: f32(rng.uniform(-1, 1) if rng.random() < 0.5 else positive())),
    xlog1py,
)
ones = [draw() for _ in range(250)] + SPECIAL + WIDE
write("pow3", "x, x^3", [(x,) for x in ones], power(3))
write("pow4", "x, x^4", [(x,) for x in ones], power(4))
write("pow-2", "x, x^-2", [(x,) for x in ones], power(-2))
