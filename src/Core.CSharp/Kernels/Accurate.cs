using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
internal static class SmallTanh
{
    // 1/n! for n = 1..19: with |z| ≤ 1 the series for eᶻ − 1 is exact to rounding after 19 terms.
    private static readonly double[] InverseFactorials = Enumerable.Range(1, 19)
        .Select(n => 1.0 / Enumerable.Range(1, n).Aggregate(1.0, (p, k) => p * k)).ToArray();

    private const double Limit = 0.5;

    /// <summary>
    /// Replaces y[i] by tanh(x[i]) wherever |x[i]| &lt; 0.5, as e / (e + 2) with e = expm1(2x) summed by
    /// its Taylor series: no cancellation, so the result keeps its relative accuracy down to the smallest x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static void Fix<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            int w = Vector256<T>.Count;
            var limit = Vector256.Create(T.CreateTruncating(Limit));
            var two = Vector256.Create(T.CreateTruncating(2.0));
            // float32 needs fewer terms: with |z| ≤ 1 the eleventh is already below its rounding.
            Span<Vector256<T>> c = stackalloc Vector256<T>[typeof(T) == typeof(float) ? 11 : InverseFactorials.Length];
            for (int n = 0; n < c.Length; n++) c[n] = Vector256.Create(T.CreateTruncating(InverseFactorials[n]));
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T ys = ref MemoryMarshal.GetReference(y);
            for (; i <= x.Length - w; i += w)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                var small = Vector256.LessThan(Vector256.Abs(v), limit);
                if (small == Vector256<T>.Zero) continue;
                var z = v * two;
                var p = c[^1];
                for (int n = c.Length - 2; n >= 0; n--) p = p * z + c[n];
                var e = p * z;
                Vector256.ConditionalSelect(small, e / (e + two), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        var lim = T.CreateTruncating(Limit);
        for (; i < x.Length; i++) if (T.Abs(x[i]) < lim) y[i] = T.Tanh(x[i]);
    }
}
