using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>
/// start + w·(end − start) where |w| &lt; ½, else end − (end − start)·(1 − w), as PyTorch computes it: exact at w = 0
/// and w = 1, and monotone in w. Branch-free per vector, and the scalar tail does the same operations, so every
/// element's bits depend on its values alone.
/// </summary>
internal static unsafe class LerpKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T One<T>(T s, T e, T w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T diff = e - s;
        T small = s + w * diff, large = e - diff * (T.One - w);
        return T.Abs(w) < T.CreateTruncating(0.5) ? small : large;
    }

    /// <summary>d = lerp(s, e, w) over full spans, w one value where <paramref name="w"/> has one element.</summary>
    internal static void Run<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> e, ReadOnlySpan<T> w, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Simd.Widest)
        {
            case Width.V512: Run<T, Vector512<T>, W512<T>>(s, e, w, d); break;
            case Width.V256: Run<T, Vector256<T>, W256<T>>(s, e, w, d); break;
            case Width.V128: Run<T, Vector128<T>, W128<T>>(s, e, w, d); break;
            default: Run<T, T, W1<T>>(s, e, w, d); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, V, W>(ReadOnlySpan<T> s, ReadOnlySpan<T> e, ReadOnlySpan<T> w, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int n = d.Length, i = 0;
        bool one = w.Length == 1;
        V half = W.Splat(T.CreateTruncating(0.5)), unit = W.Splat(T.One), w0 = W.Splat(w[0]);
        fixed (T* ps = s, pe = e, pw = w, pd = d)
        {
            for (; i <= n - W.Count; i += W.Count)
            {
                V vs = W.Load(ps + i), ve = W.Load(pe + i), vw = one ? w0 : W.Load(pw + i);
                V diff = W.Sub(ve, vs);
                V small = W.Add(vs, W.Mul(vw, diff)), large = W.Sub(ve, W.Mul(diff, W.Sub(unit, vw)));
                W.Store(W.Select(W.LessThan(W.Abs(vw), half), small, large), pd + i);
            }
            for (; i < n; i++) pd[i] = One(ps[i], pe[i], one ? pw[0] : pw[i]);
        }
    }
}
