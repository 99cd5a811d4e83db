"""Reference tables for FuncGrad's own vector exp, log, log1p, expm1, tanh, sigmoid, softplus, sin, cos and tan
(Kernels/Elementary/Transcendental.cs, issue 27), from mpmath at 60 digits, drawn as elementary.py draws its tables
(float32 arguments, uniform and log-uniform, edges, then float64-only rows). Run: python3 transcendental.py
"""
import math

import mpmath
from mpmath import mp

from elementary import INF, MAX32, NAN, SUB32, UNIT, mpf, write_tables

mp.dps = 60


def exp(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return INF if x > 0 else 0.0
    return mpmath.exp(mpf(x))


def log(x):
    if math.isnan(x) or x < 0:
        return NAN
    if x == 0:
        return -INF
    if math.isinf(x):
        return INF
    return mpmath.log(mpf(x))


def log1p(x):
    if math.isnan(x) or x < -1:
        return NAN
    if x == -1:
        return -INF
    if math.isinf(x):
        return INF
    if x == 0:
        return x
    return mpmath.log1p(mpf(x))


def expm1(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return INF if x > 0 else -1.0
    if x == 0:
        return x
    return mpmath.expm1(mpf(x))


def tanh(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return math.copysign(1.0, x)
    if x == 0:
        return x
    return mpmath.tanh(mpf(x))


def sigmoid(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return 1.0 if x > 0 else 0.0
    return 1 / (1 + mpmath.exp(-mpf(x)))


def softplus(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return INF if x > 0 else 0.0
    return mpmath.log1p(mpmath.exp(mpf(x)))


def trig(f):
    def g(x):
        if math.isnan(x) or math.isinf(x):
            return NAN
        if x == 0 and f is not mpmath.cos:
            return x
        return f(mpf(x))
    return g


NEAR_PI = [math.pi, math.pi / 2, 3 * math.pi / 2, 2 * math.pi, 100 * math.pi, 1e4 * math.pi, 1e6, 1.5e6, 1.6e6, 1e7,
           1e22, 0.785, -0.786, 710.0, 1e-8, 2**-30]
TABLES = {
    # name: (function, uniform range, log-magnitude range, signed, extra edges)
    "exp": (exp, (-10, 10), (SUB32, 1100), True, [1.0, -1.0, 88.7, 88.8, -87.3, -103.9, -104.0, 709.7, 709.8,
                                                  -708.4, -745.1, -745.2, 0.5]),
    "log": (log, (0, 10), (SUB32, MAX32), False, [1.0, 2.0, 0.5, 1 + 2**-23, 1 - 2**-24, 1.4142135, 0.7071067,
                                                  -1.0]),
    "log1p": (log1p, (-1, 5), (SUB32, MAX32), True, UNIT + [-1.0, -1 + 2**-24, -0.5, 1e-5, -1e-5, 0.4142135, -2.0]),
    "expm1": (expm1, (-10, 10), (SUB32, 1100), True, UNIT + [0.3465, -0.3466, 0.7, -0.7, 40.0, -40.0, 88.7, 709.7,
                                                               709.8, -60.0, -800.0, 1e-5, -1e-5]),
    "tanh": (tanh, (-5, 5), (SUB32, 100), True, UNIT + [0.55, -0.55, 9.0, 10.0, 11.0, 19.0, 20.0, 21.0, 1e-5, 1e30]),
    "sigmoid": (sigmoid, (-20, 20), (SUB32, 800), True, UNIT + [36.0, 37.0, -36.0, -88.0, -103.0, -104.0, -708.0,
                                                                 -745.0, -746.0, 17.0]),
    "softplus": (softplus, (-20, 20), (SUB32, 800), True, UNIT + [-37.0, 37.0, -88.0, -104.0, -708.0, -745.0,
                                                                   -746.0, 20.0, 1e30]),
    "sin": (trig(mpmath.sin), (-10, 10), (SUB32, MAX32), True, UNIT + NEAR_PI),
    "cos": (trig(mpmath.cos), (-10, 10), (SUB32, MAX32), True, UNIT + NEAR_PI),
    "tan": (trig(mpmath.tan), (-10, 10), (SUB32, MAX32), True, UNIT + NEAR_PI),
}


def main():
    write_tables(TABLES, 2000, "transcendental.py")


if __name__ == "__main__":
    main()
