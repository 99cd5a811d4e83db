using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Special;

// The modified Bessel functions of the first kind, orders 0 and 1, and their exponentially scaled forms. Below the
// switch point A (12 in float64, 8 in float32) I0(x) = P0(x²) and I1(x) = x·P1(x²): power series of positive terms,
// fitted in relative error (BesselCoefficients.cs). x² is split exactly into hi + lo and the series is taken as
// P(hi) + lo·P'(hi), P' by Horner's rule alongside P: the rounding of x² alone would cost up to x/4 ulps. Above A,
// e^(−x)·I(x) = g(1/x)/√x with g smooth in 1/x (tending to 1/√(2π)), and I(x) = e^x·that, formed so that it
// overflows only where I does (x ≈ 713.99 in float64, 91.9 in float32), not where e^x does.

/// <summary>The pieces the Bessel kernels share.</summary>
internal static class BesselCore
{
    /// <summary>Where the power series gives way to the asymptotic form.</summary>
    internal static double Switch<T>() => typeof(T) == typeof(float)
        ? BesselCoefficients.Switch32 : BesselCoefficients.Switch64;

    /// <summary>Past it e^x·g/√x has overflowed in every case (I0 and I1 overflow near 714 and 91.9): the
    /// arguments of the asymptotic form are capped there, which keeps inf out of the exponent's arithmetic.</summary>
    private static double Cap<T>() => typeof(T) == typeof(float) ? 100.0 : 720.0;

    /// <summary>P(x²) for 0 ≤ x ≤ the switch: P(hi) + lo·P'(hi) with x² = hi + lo exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Series<T, V, W>(V x, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var (hi, lo) = Square<T, V, W>(x);
        V p = W.Splat(c[0]), d = W.Splat(T.Zero);
        for (int i = 1; i < c.Length; i++)
        {
            d = W.MulAdd(d, hi, p);
            p = W.MulAdd(p, hi, W.Splat(c[i]));
        }
        return W.MulAdd(lo, d, p);
    }

    /// <summary>g(1/x)/√x = e^(−x)·I(x) for x ≥ the switch (+0 at +inf, NaN at NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Scaled<T, V, W>(V x, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Div(Poly<T, V, W>(W.Div(W.Splat(T.One), x), c), W.Sqrt(x));

    /// <summary>e^x·g(1/x)/√x = I(x) for x ≥ the switch: +inf where it overflows, NaN at NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Unscaled<T, V, W>(V x, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        x = AtMost<T, V, W>(x, Cap<T>());
        return ExpTimes<T, V, W>(x, Scaled<T, V, W>(x, c));
    }

    /// <summary>
    /// e^x·m for x ≤ the cap, m finite: as <see cref="VectorMath.Exp{T, V, W}"/> (n = round(x/ln 2), eʳ on the
    /// remainder), but m multiplies eʳ before the scaling by 2ⁿ, so the product is rounded once and overflows only
    /// when it must.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V ExpTimes<T, V, W>(V x, V m)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        V shifter = K<T, V, W>(single ? 12582912.0 : 6755399441055744.0); // 1.5·2^p: adding it rounds to an integer
        V n = W.Sub(W.Add(W.Mul(x, K<T, V, W>(1.4426950408889634)), shifter), shifter);
        V r = W.Sub(x, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Hi32 : Coefficients.Ln2Hi64)));
        r = W.Sub(r, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Lo32 : Coefficients.Ln2Lo64)));
        V p = W.Add(W.Splat(T.One), W.MulAdd(W.Mul(r, r), Poly<T, V, W>(r, Coefs<T>.ExpRest), r));
        V n1 = W.Sub(W.Add(W.Mul(n, K<T, V, W>(0.5)), shifter), shifter);
        return W.Mul(W.Mul(W.Mul(p, m), W.Pow2(n1)), W.Pow2(W.Sub(n, n1)));
    }

    /// <summary>v with the sign of x (v ≥ 0; −v as −1·v, so +0 becomes −0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V SignOf<T, V, W>(V x, V v)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Mul(v, K<T, V, W>(-1.0)), v);
}

/// <summary>I0(x), the modified Bessel function of the first kind of order 0 (even, ≥ 1).</summary>
internal readonly struct I0F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        double a = BesselCore.Switch<T>();
        V ax = W.Abs(x);
        V small = BesselCore.Series<T, V, W>(AtMost<T, V, W>(ax, a), BesselCoefs<T>.I0Small);
        V large = BesselCore.Unscaled<T, V, W>(AtLeast<T, V, W>(ax, a), BesselCoefs<T>.I0Large);
        return W.Select(W.LessThan(ax, K<T, V, W>(a)), small, large);
    }
}

/// <summary>I0e(x) = e^(−|x|)·I0(x), finite everywhere (0 at ±inf).</summary>
internal readonly struct I0eF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        double a = BesselCore.Switch<T>();
        V ax = W.Abs(x), xs = AtMost<T, V, W>(ax, a);
        V series = BesselCore.Series<T, V, W>(xs, BesselCoefs<T>.I0Small);
        V small = BesselCore.ExpTimes<T, V, W>(Neg<T, V, W>(xs), series);
        V large = BesselCore.Scaled<T, V, W>(AtLeast<T, V, W>(ax, a), BesselCoefs<T>.I0Large);
        return W.Select(W.LessThan(ax, K<T, V, W>(a)), small, large);
    }
}

/// <summary>I1(x), the modified Bessel function of the first kind of order 1 (odd; keeps −0).</summary>
internal readonly struct I1F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        double a = BesselCore.Switch<T>();
        V ax = W.Abs(x);
        V small = W.Mul(x, BesselCore.Series<T, V, W>(AtMost<T, V, W>(ax, a), BesselCoefs<T>.I1Small));
        V large = BesselCore.Unscaled<T, V, W>(AtLeast<T, V, W>(ax, a), BesselCoefs<T>.I1Large);
        return W.Select(W.LessThan(ax, K<T, V, W>(a)), small, BesselCore.SignOf<T, V, W>(x, large));
    }
}

/// <summary>I1e(x) = e^(−|x|)·I1(x) (odd; keeps −0; ±0 at ±inf).</summary>
internal readonly struct I1eF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        double a = BesselCore.Switch<T>();
        V ax = W.Abs(x), xs = AtMost<T, V, W>(ax, a);
        V series = W.Mul(x, BesselCore.Series<T, V, W>(xs, BesselCoefs<T>.I1Small));
        V small = BesselCore.ExpTimes<T, V, W>(Neg<T, V, W>(xs), series);
        V large = BesselCore.Scaled<T, V, W>(AtLeast<T, V, W>(ax, a), BesselCoefs<T>.I1Large);
        return W.Select(W.LessThan(ax, K<T, V, W>(a)), small, BesselCore.SignOf<T, V, W>(x, large));
    }
}

/// <summary>The coefficient tables of <see cref="BesselCoefficients"/> for one element type.</summary>
internal static class BesselCoefs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T[] Pick(double[] f64, double[] f32) =>
        Array.ConvertAll(typeof(T) == typeof(float) ? f32 : f64, T.CreateTruncating);

    internal static readonly T[] I0Small = Pick(BesselCoefficients.I0Small64, BesselCoefficients.I0Small32);
    internal static readonly T[] I1Small = Pick(BesselCoefficients.I1Small64, BesselCoefficients.I1Small32);
    internal static readonly T[] I0Large = Pick(BesselCoefficients.I0Large64, BesselCoefficients.I0Large32);
    internal static readonly T[] I1Large = Pick(BesselCoefficients.I1Large64, BesselCoefficients.I1Large32);
}
