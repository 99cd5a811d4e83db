using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>A formula of two values, in vector and scalar form (the same formula, rounded the same way).</summary>
internal interface IFormula2
{
    static abstract Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract T Scalar<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>One pass over two spans for a formula: a fused kernel, with no intermediate arrays.</summary>
internal static class Fused
{
    /// <summary>d[i] = F(a[i], b[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static void Map<T, F>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            ref T rd = ref MemoryMarshal.GetReference(d);
            for (int w = Vector256<T>.Count; i <= d.Length - w; i += w)
                F.Vector(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < d.Length; i++) d[i] = F.Scalar(a[i], b[i]);
    }

    /// <summary>d[i] = F(a[i], b).</summary>
    internal static void Map<T, F>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        for (int i = 0; i < d.Length; i++) d[i] = F.Scalar(a[i], b);
    }

    /// <summary>d[i] = F(a, b[i]).</summary>
    internal static void Map<T, F>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula2
    {
        for (int i = 0; i < d.Length; i++) d[i] = F.Scalar(a, b[i]);
    }
}

/// <summary>An <see cref="IBinaryKernel"/> made from a formula.</summary>
internal readonly struct FormulaKernel<F> : IBinaryKernel where F : IFormula2
{
    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Fused.Map<T, F>(x, y, d);
    public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Fused.Map<T, F>(x, y, d);
    public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Fused.Map<T, F>(x, y, d);
}
