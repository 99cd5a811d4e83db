using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Special;

// The inverse error function and the inverse normal distribution function share one core in w = −log(1 − x²): for
// ndtri(p) = √2·erfinv(2p − 1), 1 − x² = 4q(1 − q) with q = min(p, 1 − p), both factors exact or nearly, so the tails
// keep their digits however close 2p − 1 rounds to ±1 (p = 1e-300 gives w ≈ 690). Near 0 (w < 6.25, |x| < 0.9990),
// erfinv(x) = x·P(w); beyond, erfinv(x) = s·Q(1/s) with s = √w, and past s = 6.25 (ndtri below p ≈ 1e-17 only)
// s·R(log s). The fits are our own (tests/Properties/Reference/inv_fits.py, InvCoefficients.cs).

/// <summary>The pieces erfinv and ndtri share.</summary>
internal static class InvCore
{
    /// <summary>erfinv(x) for |x| &lt; 1, given w = −log(1 − x²) computed without cancellation; other lanes get
    /// unspecified values. Keeps −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V FromW<T, V, W>(V x, V w)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V central = W.Mul(x, Poly<T, V, W>(W.Sub(w, K<T, V, W>(3.125)), InvCoefs<T>.Central));
        V tail = W.LessThan(K<T, V, W>(6.25), w);
        if (W.None(tail)) return central; // the usual case: no lane needs the square root or the tail fits
        V s = W.Sqrt(w), t = W.Div(W.Splat(T.One), s);
        V near = Poly<T, V, W>(W.Sub(t, K<T, V, W>(InvCoefficients.NearCentre)), InvCoefs<T>.Near);
        V far = Poly<T, V, W>(W.Sub(t, K<T, V, W>(InvCoefficients.FarCentre)), InvCoefs<T>.Far);
        V h = W.Select(W.LessThan(w, K<T, V, W>(16.0)), near, far);
        V farthest = W.LessThan(K<T, V, W>(39.0625), w);
        if (!W.None(farthest))
        {
            V logS = W.Sub(W.Mul(Log<T, V, W>(w), K<T, V, W>(0.5)), K<T, V, W>(InvCoefficients.FarthestCentre));
            h = W.Select(farthest, Poly<T, V, W>(logS, InvCoefs<T>.Farthest), h);
        }
        V y = W.Mul(s, h);
        y = W.Select(W.LessThan(x, W.Splat(T.Zero)), Neg<T, V, W>(y), y);
        return W.Select(tail, y, central);
    }

    /// <summary>−log(u) with u = 1 + v for the central lanes (v = −x², kept to the last digit as log1p does) and u as
    /// given elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V MinusLog<T, V, W>(V central, V x, V uTail)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One), v = Neg<T, V, W>(W.Mul(x, x));
        V u = W.Select(central, W.Add(one, v), uTail);
        V correction = W.Select(central, W.Div(W.Sub(v, W.Sub(u, one)), u), W.Splat(T.Zero));
        return Neg<T, V, W>(W.Add(Log<T, V, W>(u), correction));
    }

    /// <summary>The value in range, else ±inf where x = ±1 (and NaN where x is NaN), NaN where the argument is
    /// outside its domain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Edges<T, V, W>(V inRange, V outside, V x, V y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V edge = W.Select(outside, K<T, V, W>(double.NaN), W.Mul(x, K<T, V, W>(double.PositiveInfinity)));
        return W.Select(inRange, y, edge);
    }
}

/// <summary>erfinv(x), the inverse of erf on [−1, 1]: ±inf at ±1, NaN outside.</summary>
internal readonly struct ErfinvF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V a = W.Abs(x), one = W.Splat(T.One);
        // 1 − |x| is exact from |x| = ½ on, so 1 − x² = (1 − |x|)(1 + |x|) keeps its digits near ±1
        V central = W.LessThan(a, K<T, V, W>(0.5));
        V w = InvCore.MinusLog<T, V, W>(central, x, W.Mul(W.Sub(one, a), W.Add(one, a)));
        V y = InvCore.FromW<T, V, W>(x, w);
        return InvCore.Edges<T, V, W>(W.LessThan(a, one), W.LessThan(one, a), x, y);
    }
}

/// <summary>ndtri(p), the inverse of the standard normal distribution function on [0, 1]: −inf at 0, +inf at 1, NaN
/// outside.</summary>
internal readonly struct NdtriF : IFormula1
{
    public static V Apply<T, V, W>(V p)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One), zero = W.Splat(T.Zero), half = K<T, V, W>(0.5);
        V x = W.Sub(W.Add(p, p), one); // exact from p = ¼ on; below, only its sign and size near −1 are used
        V q = W.Select(W.LessThan(p, half), p, W.Sub(one, p)); // 1 − p is exact for p ≥ ½
        V central = W.LessThan(W.Abs(x), half);
        V w = InvCore.MinusLog<T, V, W>(central, x, W.Mul(W.Mul(K<T, V, W>(4.0), q), W.Sub(one, q)));
        V y = W.Mul(InvCore.FromW<T, V, W>(x, w), K<T, V, W>(1.4142135623730950488));
        V below = W.LessThan(p, zero), above = W.LessThan(one, p);
        V inRange = W.Select(W.LessThan(zero, p), W.LessThan(p, one), zero);
        return InvCore.Edges<T, V, W>(inRange, W.Select(below, below, above), x, y);
    }
}

/// <summary>The coefficient tables of <see cref="InvCoefficients"/> for one element type.</summary>
internal static class InvCoefs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T[] Pick(double[] f64, double[] f32) =>
        Array.ConvertAll(typeof(T) == typeof(float) ? f32 : f64, T.CreateTruncating);

    internal static readonly T[] Central = Pick(InvCoefficients.Central64, InvCoefficients.Central32);
    internal static readonly T[] Near = Pick(InvCoefficients.Near64, InvCoefficients.Near32);
    internal static readonly T[] Far = Pick(InvCoefficients.Far64, InvCoefficients.Far32);
    internal static readonly T[] Farthest = Pick(InvCoefficients.Farthest64, InvCoefficients.Farthest32);
}
