using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>One element of the elementary functions that TensorPrimitives has no routine for, written for their
/// accuracy (bounds in Ops/Elementary.cs, measured against mpmath).</summary>
internal static class ElementaryKernels
{
    /// <summary>sin(πx)/(πx): 1 at 0, +0 at the other integers, NaN at ±inf. float32 is computed in float64 and
    /// rounded once.</summary>
    internal static T Sinc<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(Sinc(double.CreateTruncating(x)));

    // π as a sum of two doubles: PiHi = Math.PI, PiLo = π − PiHi to double precision.
    private const double PiHi = Math.PI, PiLo = 1.2246467991473532e-16;

    /// <summary>sin(πx)/(πx) in float64. The argument is reduced exactly, x = n/2 + r with |r| ≤ 1/4, so sin(πx) is
    /// ±sin(πr) or ±cos(πr), and πr and πx are formed with π to twice double precision: near the zeros the result
    /// keeps its relative accuracy, which sin(π·x) rounded first loses.</summary>
    private static double Sinc(double x)
    {
        double a = Math.Abs(x);
        if (a < 1e-9) return 1.0; // (πx)²/6 is below half an ulp of 1
        if (double.IsInfinity(x)) return double.NaN;
        if (a >= 4503599627370496.0) return 0.0; // 2^52: every such double is an integer
        double n = Math.Round(2 * a); // exact; sinc is even, so work with |x|
        double r = a - 0.5 * n; // exact, |r| ≤ 1/4
        long q = (long)n & 3;
        if (r == 0 && (q & 1) == 0) return 0.0; // a nonzero integer
        // πr = p + e to about twice double precision, then sin(πr) ≈ sin p + e·cos p (cos likewise)
        double p = PiHi * r;
        double e = Math.FusedMultiplyAdd(PiHi, r, -p) + PiLo * r;
        double sin = Math.Sin(p), cos = Math.Cos(p);
        double s = q switch
        {
            0 => sin + e * cos,
            1 => cos - e * sin,
            2 => -(sin + e * cos),
            _ => -(cos - e * sin),
        };
        // πa = d + de likewise; s/(d + de) ≈ s/d · (1 − de/d)
        double d = PiHi * a;
        double de = Math.FusedMultiplyAdd(PiHi, a, -d) + PiLo * a;
        double quotient = s / d;
        return quotient - quotient * (de / d);
    }

    /// <summary>−x·ln x: 0 at 0, −inf below 0, NaN for NaN.</summary>
    internal static T Entr<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(x)) return x;
        if (x < T.Zero) return T.NegativeInfinity;
        if (x == T.Zero) return T.Zero;
        return -x * T.Log(x);
    }
}
