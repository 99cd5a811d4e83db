namespace FuncGrad.Kernels;

/// <summary>
/// The activations built on exp, one float64 element at a time: float32 elements are computed in float64 and rounded
/// once, so they are within an ulp. No intermediate overflows, and results in the subnormal range are reached by
/// scaling, not by multiplying a subnormal (which has lost its relative accuracy) by x.
/// </summary>
internal static class ActivationMath
{
    // exp(−64): a product scaled by e⁶⁴ and back reaches the subnormal range with one final rounding.
    private static readonly double ExpMinus64 = Math.Exp(-64.0);

    /// <summary>x·eˣ for x &lt; 0, accurate where it is subnormal.</summary>
    private static double XExp(double x) => x < -700.0 ? x * Math.Exp(x + 64.0) * ExpMinus64 : x * Math.Exp(x);

    /// <summary>x·σ(x): x/(1 + e⁻ˣ) above 0, x·eˣ/(1 + eˣ) below, so nothing overflows.</summary>
    internal static double Silu(double x)
    {
        if (x >= 0 || double.IsNaN(x)) return x / (1.0 + Math.Exp(-x));
        if (double.IsNegativeInfinity(x)) return -0.0;
        if (x < -40.0) return XExp(x); // 1 + eˣ rounds to 1
        var e = Math.Exp(x);
        return x * e / (1.0 + e);
    }

    /// <summary>
    /// x·tanh(log(1 + eˣ)). With e = eˣ, tanh(log(1 + e)) = n/(n + 2) for n = e(e + 2); above 0 the same with e⁻ˣ:
    /// (1 + 2e⁻ˣ)/(1 + 2e⁻ˣ + 2e⁻²ˣ). One exp, no cancellation.
    /// </summary>
    internal static double Mish(double x)
    {
        if (x > 0 || double.IsNaN(x))
        {
            var e = Math.Exp(-x);
            var d = 2.0 * e;
            return x * (1.0 + d) / (1.0 + d + d * e);
        }
        if (double.IsNegativeInfinity(x)) return -0.0;
        if (x < -40.0) return XExp(x); // n/(n + 2) = eˣ(1 − eˣ/2 + …) rounds to eˣ
        var f = Math.Exp(x);
        var n = f * (f + 2.0);
        return x * n / (n + 2.0);
    }

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

    /// <summary>log σ(x) = min(x, 0) − log1p(e^−|x|).</summary>
    internal static double LogSigmoid(double x) => Math.Min(x, 0.0) - Accurate.Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|): no overflow, and its relative accuracy kept where it is
    /// tiny.</summary>
    internal static double Softplus(double z) => Math.Max(z, 0.0) + Accurate.Log1p(Math.Exp(-Math.Abs(z)));

    /// <summary>x − tanh x.</summary>
    internal static double Tanhshrink(double x) => double.IsInfinity(x) ? x : x - Math.Tanh(x);
}
