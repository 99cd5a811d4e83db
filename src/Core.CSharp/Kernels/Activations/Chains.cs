using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuncGrad.Kernels;

/// <summary>
/// The activations' kernels over spans: a formula of one value and two parameters (<see cref="IPiecewise"/>) mapped
/// at the widest vector width, either in the element type or, for float32 where the formula's accuracy needs it, in
/// float64 lanes rounded once to float32; and the one-pass chain g·f(x) of a derivative f.
/// </summary>
/// <remarks>Each element's bits depend on its value alone: the formula's scalar tail is the same formula one element
/// at a time, and float32 elements are widened exactly.</remarks>
internal static class ActivationKernels
{
    /// <summary>Elements per step of the float32-in-float64 map and of a chain: a multiple of every vector width,
    /// small enough to stay in the first-level cache.</summary>
    private const int Chunk = 512;

    /// <summary>F at one element (in float64 where <paramref name="wide"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Scalar<T, F>(bool wide, T x, double a, double b)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
        => wide && typeof(T) == typeof(float)
            ? T.CreateTruncating(F.Apply<double, double, W1<double>>(double.CreateTruncating(x), a, b))
            : Piecewise.Scalar<T, F>(x, T.CreateTruncating(a), T.CreateTruncating(b));

    /// <summary>y[i] = F(x[i], a, b); float32 in float64 lanes where <paramref name="wide"/>. y may be x.</summary>
    internal static void Map<T, F>(bool wide, ReadOnlySpan<T> x, double a, double b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
    {
        if (!wide || typeof(T) == typeof(double))
        {
            Piecewise.Map<T, F>(x, T.CreateTruncating(a), T.CreateTruncating(b), y);
            return;
        }
        var xf = MemoryMarshal.Cast<T, float>(x);
        var yf = MemoryMarshal.Cast<T, float>(y);
        Span<double> buffer = stackalloc double[Chunk];
        for (int i = 0; i < xf.Length; i += Chunk)
        {
            var w = buffer[..Math.Min(Chunk, xf.Length - i)];
            TensorPrimitives.ConvertTruncating(xf.Slice(i, w.Length), w); // exact
            Piecewise.Map<double, F>(w, a, b, w);
            TensorPrimitives.ConvertTruncating<double, float>(w, yf.Slice(i, w.Length)); // rounded once
        }
    }

    /// <summary>d[i] = g[i]·F(x[i], a, b), chunk by chunk: the bits of <c>g * f(x)</c> where f is the op whose kernel
    /// is this map, in one pass over memory.</summary>
    internal static void Chain<T, F>(bool wide, ReadOnlySpan<T> g, ReadOnlySpan<T> x, double a, double b, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IPiecewise
    {
        for (int i = 0; i < d.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, d.Length - i);
            var di = d.Slice(i, n);
            Map<T, F>(wide, x.Slice(i, n), a, b, di);
            TensorPrimitives.Multiply(g.Slice(i, n), di, di);
        }
    }

    /// <summary>d[i] = g[i]·K(x[i]) chunk by chunk, for a kernel that is not a formula; chunks start at multiples of
    /// <see cref="Chunk"/>, so grouped TensorPrimitives calls (<see cref="Lanes"/>) see the whole tensor's
    /// groups.</summary>
    internal static void Chain<T, K>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where K : IUnaryKernel
    {
        for (int i = 0; i < d.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, d.Length - i);
            var di = d.Slice(i, n);
            K.Run(x.Slice(i, n), di);
            TensorPrimitives.Multiply(g.Slice(i, n), di, di);
        }
    }
}

/// <summary>A parameterless activation formula as a unary kernel, in the element type.</summary>
internal readonly struct Narrow<F> : IUnaryKernel where F : IPiecewise
{
    public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => ActivationKernels.Scalar<T, F>(false, x, 0, 0);
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => ActivationKernels.Map<T, F>(false, x, 0, 0, y);
}

/// <summary>A parameterless activation formula as a unary kernel, float32 computed in float64 and rounded once (within
/// an ulp wherever the float64 formula is within a few).</summary>
internal readonly struct Wide<F> : IUnaryKernel where F : IPiecewise
{
    public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => ActivationKernels.Scalar<T, F>(true, x, 0, 0);
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => ActivationKernels.Map<T, F>(true, x, 0, 0, y);
}
