namespace FuncGrad.Kernels;

/// <summary>
/// GELU's tanh form and tanhshrink, one float64 element at a time: float32 elements are computed in float64 and
/// rounded once, so they are within an ulp. No intermediate overflows, and results in the subnormal range are reached
/// by scaling, not by multiplying a subnormal (which has lost its relative accuracy) by x.
/// </summary>
internal static class ActivationMath
{
    // exp(−64): a product scaled by e⁶⁴ and back reaches the subnormal range with one final rounding.
    private static readonly double ExpMinus64 = Math.Exp(-64.0);

    // 2√(2/π) and 2√(2/π)·0.044715, each as a float64 pair (hi + lo), for the exponent of GELU's tanh form.
    private const double AHi = 1.5957691216057308, ALo = -9.96930880911092e-17;
    private const double BHi = 0.07135481627260025, BLo = -6.175149918155315e-19;

    /// <summary>
    /// ½x(1 + tanh u) = x·σ(2u), 2u = 2√(2/π)(x + 0.044715x³). In the left tail the result is e^(2u) times x, and
    /// a rounding of 2u (|2u| up to ~745) would cost hundreds of ulps; 2u is summed in double-float64 arithmetic.
    /// </summary>
    internal static double GeluTanh(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsNegativeInfinity(x)) return -0.0;
        // t = 2u = x·(A + B·x²) in pairs (hi, lo)
        double x2 = x * x, x2e = Math.FusedMultiplyAdd(x, x, -x2);
        double bx = BHi * x2, bxe = Math.FusedMultiplyAdd(BHi, x2, -bx) + (BHi * x2e + BLo * x2);
        double s = bx + AHi, sb = s - bx; // TwoSum(bx, A), then the lows
        double se = (bx - (s - sb)) + (AHi - sb) + (bxe + ALo);
        double t = s * x, te = Math.FusedMultiplyAdd(s, x, -t) + se * x;
        if (double.IsInfinity(t) || double.IsNaN(t)) return t > 0 || double.IsNaN(t) ? x : -0.0; // x³ overflowed
        double th = t + te, tl = te - (th - t);
        if (th >= 0) return x / (1.0 + Math.Exp(-th) * (1.0 - tl));
        if (th < -40.0)
        {
            // x·e^t: scaled where it would be subnormal
            var scaled = th < -700.0 ? Math.Exp(th + 64.0) * ExpMinus64 : Math.Exp(th);
            return x * (scaled * (1.0 + tl));
        }
        var e = Math.Exp(th) * (1.0 + tl);
        return x * e / (1.0 + e);
    }

    /// <summary>x − tanh x.</summary>
    internal static double Tanhshrink(double x) => double.IsInfinity(x) ? x : x - Math.Tanh(x);
}
