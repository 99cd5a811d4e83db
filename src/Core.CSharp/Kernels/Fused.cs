using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// A formula of two values, written once against a vector width W; the scalar width (V = T) is the same
/// formula one element at a time, so every lane is rounded alike whatever the width.
/// </summary>
internal interface IFormula2
{
    static abstract V Apply<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>;
}

/// <summary>One pass over two spans for a formula: a fused kernel, with no intermediate arrays.</summary>
internal static unsafe class Fused
{
    /// <summary>F at one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Scalar<T, F>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
        => F.Apply<T, T, W1<T>>(a, b);

    /// <summary>d[i] = F(a[i], b[i]), at the widest accelerated width.</summary>
    internal static void Map<T, F>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
        => Map<T, F>(Simd.Widest, a, b, d);

    /// <summary>d[i] = F(a[i], b[i]) at the given width (tests run every width on any machine).</summary>
    internal static void Map<T, F>(Width width, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        fixed (T* pa = a, pb = b, pd = d)
        {
            int n = d.Length, i = width switch
            {
                Width.V512 => Body<T, F, System.Runtime.Intrinsics.Vector512<T>, W512<T>>(pa, pb, pd, n),
                Width.V256 => Body<T, F, System.Runtime.Intrinsics.Vector256<T>, W256<T>>(pa, pb, pd, n),
                Width.V128 => Body<T, F, System.Runtime.Intrinsics.Vector128<T>, W128<T>>(pa, pb, pd, n),
                _ => 0,
            };
            for (; i < n; i++) pd[i] = Scalar<T, F>(pa[i], pb[i]);
        }
    }

    /// <summary>The whole vectors of a map; returns where the scalar tail starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<T, F, V, W>(T* a, T* b, T* d, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2 where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        for (; i <= n - w; i += w) W.Store(F.Apply<T, V, W>(W.Load(a + i), W.Load(b + i)), d + i);
        return i;
    }

    /// <summary>d[i] = F(a[i], b).</summary>
    internal static void Map<T, F>(ReadOnlySpan<T> a, T b, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar<T, F>(a[i], b);
    }

    /// <summary>d[i] = F(a, b[i]).</summary>
    internal static void Map<T, F>(T a, ReadOnlySpan<T> b, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar<T, F>(a, b[i]);
    }
}

/// <summary>An <see cref="IBinaryKernel"/> made from a formula.</summary>
internal readonly struct FormulaKernel<F> : IBinaryKernel where F : IFormula2
{
    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Fused.Map<T, F>(x, y, d);

    public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Fused.Map<T, F>(x, y, d);

    public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Fused.Map<T, F>(x, y, d);
}
