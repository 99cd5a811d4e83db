using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels;

/// <summary>
/// A binary kernel that runs a float64 formula at the widest vector width (the scalar width on the tail, the same
/// formula), float32 arguments widened exactly block by block and the float64 results rounded once: float32 keeps
/// the accuracy of a float64 formula, as <see cref="Pointwise{F}"/> does, at vector speed. An element's bits depend on
/// its two values alone.
/// </summary>
internal readonly struct Widened<F> : IBinaryKernel where F : IFormula2
{
    private const int Block = 256;

    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Fused.Map<double, F>(Cast<T, double>(x), Cast<T, double>(y), Cast<T, double>(d));
            return;
        }
        Span<double> a = stackalloc double[Block], b = stackalloc double[Block];
        for (int i = 0; i < d.Length; i += Block)
        {
            int n = Math.Min(Block, d.Length - i);
            TensorPrimitives.ConvertTruncating(Cast<T, float>(x.Slice(i, n)), a[..n]);
            TensorPrimitives.ConvertTruncating(Cast<T, float>(y.Slice(i, n)), b[..n]);
            Fused.Map<double, F>(a[..n], b[..n], a[..n]);
            TensorPrimitives.ConvertTruncating<double, float>(a[..n], Cast<T, float>(d.Slice(i, n)));
        }
    }

    public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> b = stackalloc T[Math.Min(Block, d.Length)];
        b.Fill(y);
        for (int i = 0; i < d.Length; i += Block)
        {
            int n = Math.Min(Block, d.Length - i);
            Run<T>(x.Slice(i, n), b[..n], d.Slice(i, n));
        }
    }

    public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> a = stackalloc T[Math.Min(Block, d.Length)];
        a.Fill(x);
        for (int i = 0; i < d.Length; i += Block)
        {
            int n = Math.Min(Block, d.Length - i);
            Run<T>(a[..n], y.Slice(i, n), d.Slice(i, n));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : struct where TTo : struct
        => System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> s) where TFrom : struct where TTo : struct
        => System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(s);
}

/// <summary>log(eᵃ + eᵇ) = max(a, b) + log1p(e^−|a−b|), with the vector exp and log of Kernels/Special; a + log 2 where
/// a = b (also at equal infinities, where a − b is NaN); NaN if either is.</summary>
internal readonly struct LogaddexpV : IFormula2
{
    public static V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V m = W.Select(W.LessThan(a, b), b, a), d = Neg<T, V, W>(W.Abs(W.Sub(a, b))); // d NaN if either is
        V r = W.Add(m, Log1p<T, V, W>(Exp<T, V, W>(d, W.Splat(T.Zero))));
        V equal = W.Select(W.LessOrEqual(a, b), W.LessOrEqual(b, a), W.Splat(T.Zero));
        return W.Select(equal, W.Add(a, K<T, V, W>(0.69314718055994530942)), r);
    }
}

/// <summary>log₂(2ᵃ + 2ᵇ) = max(a, b) + log1p(2^−|a−b|)/ln 2; a + 1 where a = b; NaN if either is.</summary>
internal readonly struct Logaddexp2V : IFormula2
{
    public static V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V m = W.Select(W.LessThan(a, b), b, a), d = Neg<T, V, W>(W.Abs(W.Sub(a, b)));
        V e = Exp<T, V, W>(W.Mul(d, K<T, V, W>(0.69314718055994530942)), W.Splat(T.Zero));
        V r = W.Add(m, W.Mul(Log1p<T, V, W>(e), K<T, V, W>(1.4426950408889634)));
        V equal = W.Select(W.LessOrEqual(a, b), W.LessOrEqual(b, a), W.Splat(T.Zero));
        return W.Select(equal, W.Add(a, W.Splat(T.One)), r);
    }
}

/// <summary>
/// √(a² + b²) without overflow or underflow on the way, correctly rounded but for rare cases (within 1 ulp): the
/// arguments scaled by a power of 2 where the larger is beyond 2^±450, their squares exact in two parts (Dekker), the
/// root of the rounded sum corrected by the residual (s − h²)/(2h). No fused multiply-add, so every instruction set
/// gives the same bits. +inf where either argument is infinite (even beside NaN), as IEEE 754. A float64 formula (its
/// scale factors do not exist in float32): float32 runs it through <see cref="Widened{F}"/>.
/// </summary>
internal readonly struct HypotV : IFormula2
{
    private static readonly double Up = Math.ScaleB(1.0, 600), Down = Math.ScaleB(1.0, -600);
    private const double Big = 1e135, Small = 1e-135; // about 2^±450

    public static V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), inf = K<T, V, W>(double.PositiveInfinity);
        V aa = W.Abs(a), ab = W.Abs(b), m = W.Select(W.LessThan(aa, ab), ab, aa);
        V big = W.LessThan(K<T, V, W>(Big), m), small = W.LessThan(m, K<T, V, W>(Small));
        V scale = W.Select(big, K<T, V, W>(Down), W.Select(small, K<T, V, W>(Up), W.Splat(T.One)));
        V undo = W.Select(big, K<T, V, W>(Up), W.Select(small, K<T, V, W>(Down), W.Splat(T.One)));
        var (ph, pl) = Square<T, V, W>(W.Mul(aa, scale));
        var (qh, ql) = Square<T, V, W>(W.Mul(ab, scale));
        V sh = W.Add(ph, qh), t = W.Sub(sh, ph);
        V sl = W.Add(W.Add(W.Sub(ph, W.Sub(sh, t)), W.Sub(qh, t)), W.Add(pl, ql)); // the sum's rounding error + lows
        V h = W.Sqrt(sh);
        var (hh, hl) = Square<T, V, W>(h);
        V corr = W.Div(W.Add(W.Sub(W.Sub(sh, hh), hl), sl), W.Add(h, h));
        V r = W.Mul(W.Select(W.LessThan(zero, h), W.Add(h, corr), h), undo);
        V aInf = W.LessThan(K<T, V, W>(double.MaxValue), aa), bInf = W.LessThan(K<T, V, W>(double.MaxValue), ab);
        return W.Select(W.Select(aInf, aInf, bInf), inf, r);
    }
}
