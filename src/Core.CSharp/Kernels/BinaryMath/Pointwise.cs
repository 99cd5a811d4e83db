using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>A function of two numbers, written once for float64; float32 arguments are widened and the float64
/// result rounded once, which keeps float32 within half an ulp or so of the correctly rounded value.</summary>
internal interface IPointwise2
{
    static abstract double Of(double a, double b);
}

/// <summary>
/// A binary kernel that applies <typeparamref name="F"/> element by element. One element's bits depend on its two
/// values alone (no vector body beside a scalar tail), so results are the same wherever an element sits and on every
/// instruction set.
/// </summary>
internal readonly struct Pointwise<F> : IBinaryKernel where F : IPointwise2
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T One<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (T)(object)F.Of((double)(object)a, (double)(object)b);
        return T.CreateTruncating(F.Of(double.CreateTruncating(a), double.CreateTruncating(b)));
    }

    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = One(x[i], y[i]);
    }

    public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = One(x[i], y);
    }

    public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = One(x, y[i]);
    }
}
