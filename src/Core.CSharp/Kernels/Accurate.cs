using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// Scalar functions whose usual library forms lose accuracy: .NET's LogP1 and ExpM1 (and
/// TensorPrimitives') compute log(1 + x) and eˣ − 1 literally, so they return 0 for tiny x.
/// </summary>
internal static class Accurate
{
    /// <summary>log(1 + x) to within a few ulps for every x, by Goldberg's correction: the rounding
    /// error of u = 1 + x is divided back out.</summary>
    internal static T Log1p<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = T.One + x;
        if (u == T.One) return x;                    // also keeps −0
        if (T.IsPositiveInfinity(u)) return u;
        return T.Log(u) * x / (u - T.One);
    }

    /// <summary>eˣ − 1 to within a few ulps for every x, by Kahan's correction.</summary>
    internal static T Expm1<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = T.Exp(x);
        if (u == T.One) return x;
        if (T.IsPositiveInfinity(u)) return u;
        var um1 = u - T.One;
        if (um1 == -T.One) return um1;
        return um1 * x / T.Log(u);
    }
}

/// <summary>tanh near 0, vectorised, for the elements where a vector tanh loses relative accuracy.</summary>
internal static unsafe class SmallTanh
{
    // 1/n! for n = 1..19: with |z| ≤ 1 the series for eᶻ − 1 is exact to rounding after 19 terms.
    private static readonly double[] InverseFactorials = Enumerable.Range(1, 19)
        .Select(n => 1.0 / Enumerable.Range(1, n).Aggregate(1.0, (p, k) => p * k)).ToArray();

    private const double Limit = 0.5;

    /// <summary>
    /// Replaces y[i] by tanh(x[i]) wherever |x[i]| &lt; 0.5, as e / (e + 2) with e = expm1(2x) summed by
    /// its Taylor series: no cancellation, so the result keeps its relative accuracy down to the smallest x.
    /// Every lane is rounded alike (multiplies and adds, not fused), so the result does not depend on the
    /// width or on where an element falls, in a vector or in the tail.
    /// </summary>
    internal static void Fix<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Fix(Simd.Widest, x, y);

    /// <summary><see cref="Fix{T}(ReadOnlySpan{T}, Span{T})"/> at the given width.</summary>
    internal static void Fix<T>(Width width, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // float32 needs fewer terms: with |z| ≤ 1 the eleventh is already below its rounding.
        Span<T> c = stackalloc T[typeof(T) == typeof(float) ? 11 : InverseFactorials.Length];
        for (int n = 0; n < c.Length; n++) c[n] = T.CreateTruncating(InverseFactorials[n]);
        fixed (T* px = x, py = y, pc = c)
        {
            int i = width switch
            {
                Width.V512 => Body<T, System.Runtime.Intrinsics.Vector512<T>, W512<T>>(px, py, x.Length, pc, c.Length),
                Width.V256 => Body<T, System.Runtime.Intrinsics.Vector256<T>, W256<T>>(px, py, x.Length, pc, c.Length),
                Width.V128 => Body<T, System.Runtime.Intrinsics.Vector128<T>, W128<T>>(px, py, x.Length, pc, c.Length),
                _ => 0,
            };
            Body<T, T, W1<T>>(px + i, py + i, x.Length - i, pc, c.Length);
        }
    }

    /// <summary>The whole vectors of width W from the start; returns where the rest starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<T, V, W>(T* x, T* y, int n, T* coefficients, int terms)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        var limit = W.Splat(T.CreateTruncating(Limit));
        var two = W.Splat(T.CreateTruncating(2.0));
        for (; i <= n - w; i += w)
        {
            var v = W.Load(x + i);
            var small = W.LessThan(W.Abs(v), limit);
            if (W.None(small)) continue;
            var z = W.Mul(v, two);
            var p = W.Splat(coefficients[terms - 1]);
            for (int k = terms - 2; k >= 0; k--) p = W.Add(W.Mul(p, z), W.Splat(coefficients[k]));
            var e = W.Mul(p, z);
            W.Store(W.Select(small, W.Div(e, W.Add(e, two)), W.Load(y + i)), y + i);
        }
        return i;
    }
}
