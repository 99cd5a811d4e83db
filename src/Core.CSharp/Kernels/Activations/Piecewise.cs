using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// A function of one value and two parameters made of comparisons, selections and arithmetic (the piecewise
/// activations: leaky relu, hardtanh, hardsigmoid, hardswish, softsign), written once against a vector width W.
/// </summary>
internal interface IPiecewise
{
    static abstract V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>;
}

/// <summary>y[i] = F(x[i], a, b) at the widest width; the tail runs the same formula one element at a time (W1), so
/// an element's bits do not depend on where it sits.</summary>
internal static unsafe class Piecewise
{
    /// <summary>F at one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Scalar<T, F>(T x, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
        => F.Apply<T, T, W1<T>>(x, a, b);

    /// <summary>y[i] = F(x[i], a, b).</summary>
    internal static void Map<T, F>(ReadOnlySpan<T> x, T a, T b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
        => Map<T, F>(Simd.Widest, x, a, b, y);

    /// <summary>y[i] = F(x[i], a, b) at the given width (tests run every width on any machine).</summary>
    internal static void Map<T, F>(Width width, ReadOnlySpan<T> x, T a, T b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
    {
        fixed (T* px = x, py = y)
        {
            int n = x.Length, i = width switch
            {
                Width.V512 => Body<T, F, System.Runtime.Intrinsics.Vector512<T>, W512<T>>(px, py, n, a, b),
                Width.V256 => Body<T, F, System.Runtime.Intrinsics.Vector256<T>, W256<T>>(px, py, n, a, b),
                Width.V128 => Body<T, F, System.Runtime.Intrinsics.Vector128<T>, W128<T>>(px, py, n, a, b),
                _ => 0,
            };
            for (; i < n; i++) py[i] = Scalar<T, F>(px[i], a, b);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<T, F, V, W>(T* x, T* y, int n, T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        V va = W.Splat(a), vb = W.Splat(b);
        for (; i <= n - w; i += w) W.Store(F.Apply<T, V, W>(W.Load(x + i), va, vb), y + i);
        return i;
    }

    /// <summary>x clamped to [lo, hi]; NaN stays NaN (neither comparison holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Clamp<T, V, W>(V x, V lo, V hi)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessThan(x, lo), lo, W.Select(W.LessThan(hi, x), hi, x));
}

/// <summary>x where x &gt; 0, else a·x (b unused).</summary>
internal readonly struct LeakyReluF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessThan(W.Splat(T.Zero), x), x, W.Mul(x, a));
}

/// <summary>x clamped to [a, b].</summary>
internal readonly struct HardtanhF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Piecewise.Clamp<T, V, W>(x, a, b);
}

/// <summary>min(max(x + 3, 0), 6) / 6, rounded as PyTorch's kernel writes it (a, b unused).</summary>
internal readonly struct HardsigmoidF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var six = W.Splat(T.CreateTruncating(6));
        return W.Div(Piecewise.Clamp<T, V, W>(W.Add(x, W.Splat(T.CreateTruncating(3))), W.Splat(T.Zero), six), six);
    }
}

/// <summary>x · min(max(x + 3, 0), 6) / 6, rounded as PyTorch's kernel writes it, and 0 below −3 (a, b
/// unused).</summary>
internal readonly struct HardswishF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var six = W.Splat(T.CreateTruncating(6));
        var zero = W.Splat(T.Zero);
        var c = Piecewise.Clamp<T, V, W>(W.Add(x, W.Splat(T.CreateTruncating(3))), zero, six);
        // 0 below −3 written out, so that −inf gives the limit 0 rather than −inf·0
        return W.Select(W.LessThan(x, W.Splat(T.CreateTruncating(-3))), zero, W.Div(W.Mul(x, c), six));
    }
}

/// <summary>x / (1 + |x|), and its limit ±1 at ±inf (where the quotient would be inf/inf) (a, b unused).</summary>
internal readonly struct SoftsignF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var one = W.Splat(T.One);
        var q = W.Div(x, W.Add(one, W.Abs(x)));
        var limit = W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Splat(-T.One), one);
        // beyond 1e30 (in either dtype) 1 + |x| rounds to |x| and the quotient is already ±1: the limit only
        // replaces inf/inf at ±inf, and finite values agree with the quotient
        return W.Select(W.LessThan(W.Splat(T.CreateTruncating(1e30)), W.Abs(x)), limit, q);
    }
}

/// <summary>GELU's exact form x·Φ(x) on the special functions' vector Φ (Kernels/Special/Erf.cs), 0 at −inf (where
/// the product would be −inf·0).</summary>
internal readonly struct GeluF : Special.IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessThan(x, W.Splat(T.CreateTruncating(-1e30))), W.Splat(-T.Zero),
            W.Mul(x, Special.NdtrF.Apply<T, V, W>(x)));
}
