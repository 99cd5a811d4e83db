using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Special;

// The error function family. Near 0, erf(x) = x·P(x²); away from 0, erfc(z) = e^(−z²)·k(t)/z with t = 2/(2 + z) and
// k(t) = z·erfc(z)·e^(z²) a smooth function of t on [0, 0.8] (z ≥ 0.5) that tends to 1/√π, fitted as a polynomial in
// t − 0.4 (Coefficients.cs). e^(−z²) is evaluated from z² split exactly into two parts, so the argument's rounding
// (z² up to 700) costs no accuracy in the far tail.

/// <summary>The pieces the error functions share.</summary>
internal static class ErfCore
{
    /// <summary>k(t) = z·erfc(z)·e^(z²) for z ≥ 0.5, t = 2/(2 + z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V K<T, V, W>(V z)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V two = VectorMath.K<T, V, W>(2.0);
        V t = W.Div(two, W.Add(two, z));
        return Poly<T, V, W>(W.Sub(t, VectorMath.K<T, V, W>(0.4)), Coefs<T>.ErfcLarge);
    }

    /// <summary>erf(x) for |x| ≤ 1 (x·P(x²)); keeps −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Small<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(x, Poly<T, V, W>(W.Mul(x, x), Coefs<T>.ErfSmall));

    /// <summary>erfc(z) for 0.5 ≤ z ≤ the cap (z NaN gives NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Tail<T, V, W>(V z)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var (hi, lo) = Square<T, V, W>(z);
        return W.Mul(Exp<T, V, W>(Neg<T, V, W>(hi), Neg<T, V, W>(lo)), W.Div(K<T, V, W>(z), z));
    }

    /// <summary>Where erfc(z) has underflowed to 0 (float64: erfc(27.3) &lt; 2⁻¹⁰⁷⁵; float32: erfc(10.1) &lt; 2⁻¹⁵⁰): z
    /// is capped there, which keeps ±inf off the exact square.</summary>
    internal static double Cap<T>() => typeof(T) == typeof(float) ? 11.0 : 28.0;
}

/// <summary>erf(x) = (2/√π)∫₀ˣ e^(−t²) dt.</summary>
internal readonly struct ErfF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V ax = W.Abs(x), one = W.Splat(T.One);
        // erfc(6) < 2⁻⁵⁴ (float32: erfc(4) < 2⁻²⁵): erf rounds to ±1 from there
        V z = AtMost<T, V, W>(ax, typeof(T) == typeof(float) ? 4.0 : 6.0);
        V big = W.Sub(one, ErfCore.Tail<T, V, W>(z));
        big = W.Select(W.LessThan(x, W.Splat(T.Zero)), Neg<T, V, W>(big), big);
        return W.Select(W.LessThan(ax, one), ErfCore.Small<T, V, W>(x), big);
    }
}

/// <summary>erfc(x) = 1 − erf(x), accurate where it is small (x up to 27 in float64).</summary>
internal readonly struct ErfcF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V ax = W.Abs(x), one = W.Splat(T.One);
        V tail = ErfCore.Tail<T, V, W>(AtMost<T, V, W>(ax, ErfCore.Cap<T>()));
        V big = W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Sub(K<T, V, W>(2.0), tail), tail);
        return W.Select(W.LessThan(ax, K<T, V, W>(0.75)), W.Sub(one, ErfCore.Small<T, V, W>(x)), big);
    }
}

/// <summary>ndtr(x) = erfc(−x/√2)/2, the standard normal distribution function, with −x²/2 taken exactly from x (not
/// from the rounded x/√2), so the left tail keeps its accuracy down to x = −38.</summary>
internal readonly struct NdtrF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V ax = W.Abs(x), half = K<T, V, W>(0.5), rsqrt2 = K<T, V, W>(0.70710678118654752440);
        V small = W.MulAdd(half, ErfCore.Small<T, V, W>(W.Mul(x, rsqrt2)), half);
        V xc = AtMost<T, V, W>(ax, typeof(T) == typeof(float) ? 15.0 : 40.0);
        var (hi, lo) = Square<T, V, W>(xc);
        V e = Exp<T, V, W>(W.Mul(hi, K<T, V, W>(-0.5)), W.Mul(lo, K<T, V, W>(-0.5)));
        // erfc(z)/2 = e^(−z²)·k(t)/(2z) with z = |x|/√2: 2z = √2·|x|, so k/(2z) = (k/√2)/|x|
        V tail = W.Mul(e, W.Div(W.Mul(ErfCore.K<T, V, W>(W.Mul(xc, rsqrt2)), rsqrt2), xc));
        V big = W.Select(W.LessThan(x, W.Splat(T.Zero)), tail, W.Sub(W.Splat(T.One), tail));
        return W.Select(W.LessThan(W.Mul(ax, rsqrt2), K<T, V, W>(0.75)), small, big);
    }
}
