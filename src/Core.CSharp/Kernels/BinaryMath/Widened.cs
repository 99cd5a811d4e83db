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
    /// <summary>Neither a nor b is NaN. Where one is, the result is a + b, that NaN as it is: the formula's own NaN
    /// would meet the argument's in an addition, whose operands the JIT may swap, and a sum of two NaNs is the first
    /// operand's, so its sign would depend on how the code was compiled.</summary>
    internal static V Ordered<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessOrEqual(a, a), W.LessOrEqual(b, b), W.Splat(T.Zero));

    public static V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V m = W.Select(W.LessThan(a, b), b, a), d = Neg<T, V, W>(W.Abs(W.Sub(a, b))); // d NaN if either is
        V r = W.Add(m, Log1p<T, V, W>(Exp<T, V, W>(d, W.Splat(T.Zero))));
        V equal = W.Select(W.LessOrEqual(a, b), W.LessOrEqual(b, a), W.Splat(T.Zero));
        return W.Select(Ordered<T, V, W>(a, b), W.Select(equal, W.Add(a, K<T, V, W>(0.69314718055994530942)), r),
            W.Add(a, b));
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
        return W.Select(LogaddexpV.Ordered<T, V, W>(a, b), W.Select(equal, W.Add(a, W.Splat(T.One)), r), W.Add(a, b));
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

/// <summary>
/// atan2(a, b) as a float64 formula for float32 arguments (through <see cref="Widened{F}"/>), accurate to about 1e-16
/// before the one rounding to float32: q = min(|a|, |b|)/max(|a|, |b|) in [0, 1], reduced to |t| ≤ tan(π/8) by
/// atan q = π/4 + atan((q − 1)/(q + 1)), atan t by its Taylor series to t³⁵ (truncation below 1e-15), then placed in
/// the quadrant of (b, a) with the signs of zeros kept (−0 is told by 1/x &lt; 0). IEEE 754's special values: (±0, ±0)
/// gives ±0 or ±π, (±inf, ±inf) ±π/4 or ±3π/4; NaN if either is.
/// </summary>
internal readonly struct Atan2V : IFormula2
{
    private static readonly double[] Series = // (−1)ᵏ/(2k + 1), k = 17 … 1: atan t = t + t·z·P(z), z = t²
        [.. Enumerable.Range(1, 17).Reverse().Select(k => (k % 2 == 0 ? 1.0 : -1.0) / (2 * k + 1))];

    public static V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One), max = K<T, V, W>(double.MaxValue);
        V ay = W.Abs(a), ax = W.Abs(b), swap = W.LessThan(ax, ay);
        V num = W.Select(swap, ax, ay), den = W.Select(swap, ay, ax);
        V q = W.Div(num, den);
        q = W.Select(W.Select(W.LessOrEqual(num, zero), W.LessOrEqual(den, den), zero), zero, q); // 0/0 (not NaN)
        q = W.Select(W.Select(W.LessThan(max, num), W.LessThan(max, den), zero), one, q); // inf/inf
        V high = W.LessThan(K<T, V, W>(0.41421356237309503), q);
        V t = W.Select(high, W.Div(W.Sub(q, one), W.Add(q, one)), q), z = W.Mul(t, t);
        V p = K<T, V, W>(Series[0]);
        for (int i = 1; i < Series.Length; i++) p = W.Add(W.Mul(p, z), K<T, V, W>(Series[i]));
        V r = W.Add(t, W.Mul(W.Mul(t, z), p));
        r = W.Select(high, W.Add(K<T, V, W>(Math.PI / 4), r), r);
        r = W.Select(swap, W.Sub(K<T, V, W>(Math.PI / 2), r), r);
        V bNeg = W.LessThan(b, zero), aNeg = W.LessThan(a, zero);
        r = W.Select(W.Select(bNeg, bNeg, W.LessThan(W.Div(one, b), zero)), W.Sub(K<T, V, W>(Math.PI), r), r);
        return W.Select(W.Select(aNeg, aNeg, W.LessThan(W.Div(one, a), zero)), W.Negate(r), r);
    }
}

/// <summary>atan2: float64 by the scalar library routine (within 1 ulp), float32 by the vector formula
/// <see cref="Atan2V"/> in float64.</summary>
internal readonly struct Atan2K : IBinaryKernel
{
    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) Pointwise<Atan2F>.Run(x, y, d);
        else Widened<Atan2V>.Run(x, y, d);
    }

    public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) Pointwise<Atan2F>.Run(x, y, d);
        else Widened<Atan2V>.Run(x, y, d);
    }

    public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) Pointwise<Atan2F>.Run(x, y, d);
        else Widened<Atan2V>.Run(x, y, d);
    }
}
