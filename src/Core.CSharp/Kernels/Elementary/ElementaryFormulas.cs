using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Elementary;

// Vector forms of elementary functions that .NET computes one element at a time (the C runtime's log2, log10, exp2),
// written once against IVec for every width, both dtypes. log2 and log10 take the natural logarithm's reduction of
// VectorMath.Log, x = 2ᵉ·m with m in [√½, √2), log m = f − f²/2 + s·(f²/2 + R), and keep log m as an unevaluated sum
// hi + lo with hi short enough (half the mantissa) that hi times a short part of 1/ln 2 or 1/ln 10 is exact: the
// scaling then adds no rounding to the leading part, and e·log₁₀2 likewise, so the result is rounded about once.

/// <summary>The reduction the logarithms share.</summary>
internal static class LogCore
{
    /// <summary>x = 2ᵉ·m (subnormals scaled up first), log m = hi + lo with hi of half the mantissa's bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V E, V Hi, V Lo) Reduce<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        var (e, f, s, hfsq, rest) = LogParts<T, V, W>(x);
        // hi: f − f²/2 cut to its leading half by Veltkamp's split; f − hi is exact
        V h = W.Sub(f, hfsq);
        V c = W.Mul(h, K<T, V, W>(single ? 4097.0 : 134217729.0));
        V hi = W.Sub(c, W.Sub(c, h));
        V lo = W.Add(W.Sub(W.Sub(f, hi), hfsq), W.Mul(s, W.Add(hfsq, rest)));
        return (e, hi, lo);
    }
}

/// <summary>log₂ x: e + (hi + lo)/ln 2, with hi/ln 2 split as hi·a + (hi + lo)·b + lo·a where a + b = 1/ln 2 and a
/// is short.</summary>
internal readonly struct Log2F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        var (e, hi, lo) = LogCore.Reduce<T, V, W>(x);
        V a = K<T, V, W>(single ? 1.44287109375 : 1.4426950365304947);
        V b = K<T, V, W>(single ? -0.00017605285393074155 : 4.3584687174185184e-09);
        V valHi = W.Mul(hi, a);
        V valLo = W.Add(W.Mul(W.Add(lo, hi), b), W.Mul(lo, a));
        V w = W.Add(e, valHi);
        valLo = W.Add(valLo, W.Add(W.Sub(e, w), valHi));
        return LogEdges<T, V, W>(x, W.Add(valLo, w));
    }
}

/// <summary>log₁₀ x: e·log₁₀2 + (hi + lo)/ln 10, both constants split so that their leading products are
/// exact.</summary>
internal readonly struct Log10F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        var (e, hi, lo) = LogCore.Reduce<T, V, W>(x);
        V a = K<T, V, W>(single ? 0.434326171875 : 0.434294480830431);
        V b = K<T, V, W>(single ? -3.168997136526741e-05 : 1.0728208431540585e-09);
        V l2hi = K<T, V, W>(single ? 0.30103302001953125 : 0.3010299956640665);
        V l2lo = K<T, V, W>(single ? -3.024355464731343e-06 : -8.532344317057107e-14);
        V valHi = W.Mul(hi, a);
        V y2 = W.Mul(e, l2hi);
        V valLo = W.Add(W.Add(W.Mul(e, l2lo), W.Mul(W.Add(lo, hi), b)), W.Mul(lo, a));
        V w = W.Add(y2, valHi);
        valLo = W.Add(valLo, W.Add(W.Sub(y2, w), valHi));
        return LogEdges<T, V, W>(x, W.Add(valLo, w));
    }
}

/// <summary>2ˣ = e^(x·ln 2) with x·ln 2 formed as an exact product hi + lo (Dekker's, with ln 2 rounded to T and
/// split in halves, plus the rounding of ln 2 times x), then VectorMath's e^(hi + lo).</summary>
internal readonly struct Exp2F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        // beyond ±1100 (float64; ±160 float32) 2ˣ is 0 or +inf whatever lo is: x is capped there, which keeps ±inf
        // off the split (NaN stays NaN)
        double cap = single ? 160.0 : 1100.0;
        V xc = AtLeast<T, V, W>(AtMost<T, V, W>(x, cap), -cap);
        V c = K<T, V, W>(single ? 0.6931471824645996 : 0.6931471805599453); // ln 2 rounded to T
        V ch = K<T, V, W>(single ? 0.693115234375 : 0.6931471824645996), cl = K<T, V, W>(single
            ? 3.1948089599609375e-05 : -1.904654323148236e-09);
        V cres = K<T, V, W>(single ? -1.9046542121259336e-09 : 2.3190468138462996e-17); // ln 2 − c
        V p = W.Mul(xc, c);
        V sp = W.Mul(xc, K<T, V, W>(single ? 4097.0 : 134217729.0));
        V xh = W.Sub(sp, W.Sub(sp, xc)), xl = W.Sub(xc, xh);
        V err = W.Add(W.Add(W.Add(W.Sub(W.Mul(xh, ch), p), W.Mul(xh, cl)), W.Mul(xl, ch)), W.Mul(xl, cl));
        return Exp<T, V, W>(p, W.Add(err, W.Mul(xc, cres)));
    }
}

/// <summary>x − trunc(x), in one pass.</summary>
internal readonly struct FracF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Sub(x, W.Truncate(x));
}

/// <summary>log(x/(1 − x)); near 1/2, where the result is near 0, log1p((2x − 1)/(1 − x)) (2x − 1 and, from 1/2 up,
/// 1 − x are exact), so the small result keeps its relative accuracy. NaN outside [0, 1]; a NaN argument
/// itself.</summary>
internal readonly struct LogitF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One), zero = W.Splat(T.Zero), nan = K<T, V, W>(double.NaN);
        V d = W.Sub(one, x);
        V outer = Log<T, V, W>(W.Div(x, d));
        V inner = Log1p<T, V, W>(W.Div(W.Sub(W.Add(x, x), one), d));
        V r = W.Select(W.LessThan(x, K<T, V, W>(0.25)), outer,
            W.Select(W.LessThan(K<T, V, W>(0.75), x), outer, inner));
        // A NaN argument is returned as it is: r would combine two NaNs of opposite signs in an addition whose
        // operand order the JIT may swap between tiers, so its sign would depend on when the code ran.
        r = W.Select(W.LessOrEqual(x, x), r, x);
        return W.Select(W.LessThan(x, zero), nan, W.Select(W.LessThan(one, x), nan, r));
    }
}
