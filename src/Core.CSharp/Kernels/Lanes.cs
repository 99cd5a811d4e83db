using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>
/// Fixed vector groups for TensorPrimitives' functions whose vector code computes the elements of a vector together.
/// </summary>
/// <remarks>
/// TensorPrimitives' vector Sin, Cos, Tan, Tanh, Exp, Log, Sigmoid and Pow (System.Numerics.Tensors 11) give an element
/// bits that depend on the other elements of its vector (a vector holding an element outside the fast formula's range
/// is computed another way), and a long span's loop starts where the array's address is aligned. Which elements share
/// a vector then depends on where the runtime put the array: the same values gave different last bits from run to
/// run (sin of 1,000 float64 values differed in 101 of 200 runs). Calling the function on groups of exactly eight
/// vectors, counted from the tensor's first element, the last group padded with zeros, makes the bits a function of
/// the values alone: a span of at most eight vectors is processed from its start, with no alignment step. A range of
/// elements that starts at a multiple of 128 (a compiled program's block) gets the groups of the whole tensor. (Groups
/// of one vector would do as well, at twice the cost of a call per vector.)
/// </remarks>
internal static unsafe class Lanes
{
    /// <summary>The elements of a group: eight of the widest vector TensorPrimitives uses on this machine (eight
    /// elements without vectors); at most 128, which divides every block of a compiled program's fused loop.</summary>
    internal static int Width<T>() => 8 * (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported
        ? Vector512<T>.Count
        : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Vector256<T>.Count
        : Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported ? Vector128<T>.Count
        : 1);

    /// <summary>y = f(x), f called on groups of <see cref="Width{T}"/> elements.</summary>
    internal static void Grouped<T>(ReadOnlySpan<T> x, Span<T> y, delegate*<ReadOnlySpan<T>, Span<T>, void> f)
        where T : unmanaged
    {
        int w = Width<T>(), whole = x.Length - x.Length % w;
        for (int i = 0; i < whole; i += w) f(x.Slice(i, w), y.Slice(i, w));
        if (whole == x.Length) return;
        Span<T> a = stackalloc T[w], b = stackalloc T[w];
        a.Clear();
        x[whole..].CopyTo(a);
        f(a, b);
        b[..(x.Length - whole)].CopyTo(y[whole..]);
    }

    /// <summary>d = f(x, y) elementwise, f called on groups of <see cref="Width{T}"/> elements.</summary>
    internal static void Grouped<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d,
        delegate*<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, void> f) where T : unmanaged
    {
        int w = Width<T>(), whole = x.Length - x.Length % w;
        for (int i = 0; i < whole; i += w) f(x.Slice(i, w), y.Slice(i, w), d.Slice(i, w));
        if (whole == x.Length) return;
        Span<T> a = stackalloc T[w], b = stackalloc T[w], c = stackalloc T[w];
        a.Clear();
        b.Clear();
        x[whole..].CopyTo(a);
        y[whole..].CopyTo(b);
        f(a, b, c);
        c[..(x.Length - whole)].CopyTo(d[whole..]);
    }

    /// <summary>d = f(x, c) elementwise for a number c, f called on groups of <see cref="Width{T}"/>
    /// elements.</summary>
    internal static void Grouped<T>(ReadOnlySpan<T> x, T c, Span<T> d, delegate*<ReadOnlySpan<T>, T, Span<T>, void> f)
        where T : unmanaged
    {
        int w = Width<T>(), whole = x.Length - x.Length % w;
        for (int i = 0; i < whole; i += w) f(x.Slice(i, w), c, d.Slice(i, w));
        if (whole == x.Length) return;
        Span<T> a = stackalloc T[w], b = stackalloc T[w];
        a.Clear();
        x[whole..].CopyTo(a);
        f(a, c, b);
        b[..(x.Length - whole)].CopyTo(d[whole..]);
    }

    /// <summary>d = f(c, y) elementwise for a number c, f called on groups of <see cref="Width{T}"/>
    /// elements.</summary>
    internal static void Grouped<T>(T c, ReadOnlySpan<T> y, Span<T> d, delegate*<T, ReadOnlySpan<T>, Span<T>, void> f)
        where T : unmanaged
    {
        int w = Width<T>(), whole = y.Length - y.Length % w;
        for (int i = 0; i < whole; i += w) f(c, y.Slice(i, w), d.Slice(i, w));
        if (whole == y.Length) return;
        Span<T> a = stackalloc T[w], b = stackalloc T[w];
        a.Clear();
        y[whole..].CopyTo(a);
        f(c, a, b);
        b[..(y.Length - whole)].CopyTo(d[whole..]);
    }
}
