using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>A small whole power written as the products a reader would write by hand (x·x·x for x³), so that
/// <c>x.Pow(3.0)</c> has the bits of <c>x * x * x</c>.</summary>
internal interface ISmallPower
{
    static abstract T One<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract V Of<V, W, T>(V x)
        where V : struct where W : IVec<V, T> where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>x³ as (x·x)·x.</summary>
internal readonly struct Cube : ISmallPower
{
    public static T One<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x * x * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Of<V, W, T>(V x) where V : struct where W : IVec<V, T> where T : unmanaged, IFloatingPointIeee754<T>
        => W.Mul(W.Mul(x, x), x);
}

/// <summary>x⁴ as (x·x)·(x·x).</summary>
internal readonly struct Fourth : ISmallPower
{
    public static T One<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = x * x;
        return s * s;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Of<V, W, T>(V x) where V : struct where W : IVec<V, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = W.Mul(x, x);
        return W.Mul(s, s);
    }
}

/// <summary>x⁻² as 1/(x·x).</summary>
internal readonly struct InverseSquare : ISmallPower
{
    public static T One<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (x * x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Of<V, W, T>(V x) where V : struct where W : IVec<V, T> where T : unmanaged, IFloatingPointIeee754<T>
        => W.Div(W.Splat(T.One), W.Mul(x, x));
}

/// <summary>One pass over the elements at the widest vector width. The products are exact IEEE operations, so the
/// vector body and the scalar tail give the same bits.</summary>
internal static unsafe class Powers
{
    internal static void Run<P, T>(ReadOnlySpan<T> x, Span<T> y)
        where P : ISmallPower where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Simd.Widest)
        {
            case Width.V512: Run<P, T, Vector512<T>, W512<T>>(x, y); break;
            case Width.V256: Run<P, T, Vector256<T>, W256<T>>(x, y); break;
            case Width.V128: Run<P, T, Vector128<T>, W128<T>>(x, y); break;
            default: Run<P, T, T, W1<T>>(x, y); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<P, T, V, W>(ReadOnlySpan<T> x, Span<T> y)
        where P : ISmallPower where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int n = x.Length, i = 0;
        fixed (T* px = x, py = y)
        {
            for (; i <= n - 2 * W.Count; i += 2 * W.Count)
            {
                W.Store(P.Of<V, W, T>(W.Load(px + i)), py + i);
                W.Store(P.Of<V, W, T>(W.Load(px + i + W.Count)), py + i + W.Count);
            }
            for (; i < n; i++) py[i] = P.One(px[i]);
        }
    }
}
