"""Reference table of the implicit reparameterisation gradient of gamma draws (src/Core.CSharp/Kernels/Random/Gamma.cs,
the GammaSampleGrad op): for shapes α over [1e-3, 1e4] and z across each distribution's support (quantiles from 1e-12
to 1 − 1e-12 and beyond), dz/dα = −(∂P(α, z)/∂α)/f(z; α), with P the regularised lower incomplete gamma function and f
the gamma density, the derivative taken by mpmath's numerical differentiation of P at 50 digits (independent of the
kernel's series and quadrature). Run `python3 random_gamma.py` here to rewrite gamma_sample_grad.csv."""
import math
import random

import mpmath as mp

mp.mp.dps = 50


def grad(a, z):
    a, z = mp.mpf(a), mp.mpf(z)
    dp = mp.diff(lambda s: mp.gammainc(s, 0, z, regularized=True), a)
    density = mp.exp((a - 1) * mp.log(z) - z - mp.loggamma(a))
    return -dp / density


def quantile(a, p):
    """z with P(a, z) = p, by bisection on log z (robust from the tiniest to the largest quantiles)."""
    a, p = mp.mpf(a), mp.mpf(p)
    lo, hi = mp.mpf(-800), mp.log(a + 50 * mp.sqrt(a) + 100)
    for _ in range(200):
        mid = (lo + hi) / 2
        if mp.gammainc(a, 0, mp.exp(mid), regularized=True) < p:
            lo = mid
        else:
            hi = mid
    return float(mp.exp((lo + hi) / 2))


def main():
    rng = random.Random(24)
    alphas = [1e-3, 0.01, 0.1, 0.3, 0.5, 0.999, 1.0, 1.5, 2.0, 5.0, 10.0, 30.0, 100.0, 1000.0, 1e4]
    alphas += [10 ** rng.uniform(-3, 4) for _ in range(25)]
    ps = [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-6]
    rows = []
    for a in alphas:
        for p in ps:
            z = quantile(a, p)
            if z == 0 or z < 1e-300:
                continue
            rows.append((a, z))
        # and z a little either side of α + ½, where the kernel switches formula
        for z in (a + 0.4, a + 0.6):
            rows.append((a, z))
    with open("gamma_sample_grad.csv", "w") as out:
        out.write("# gamma_sample_grad(alpha, z) = dz/dalpha = -(dP(alpha, z)/dalpha)/f(z; alpha), mpmath 50 digits\n")
        for a, z in rows:
            out.write(f"{a!r},{z!r},{float(grad(a, z))!r}\n")


if __name__ == "__main__":
    main()
