using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>
/// Both partials of a two-argument op times the cotangent, (g·∂y/∂a, g·∂y/∂b) from (g, a, b, y), written once against a
/// vector width W. Each must round exactly as the op's composite rules do (the same IEEE operations in the same order,
/// no fused multiply-add), so the scalar width (V = T) gives every lane's bits.
/// </summary>
internal interface IChain2
{
    static abstract (V Da, V Db) Apply<T, V, W>(V g, V a, V b, V y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>;
}

/// <summary>One pass over four spans writing two: a binary op's backward with no intermediate arrays.</summary>
internal static unsafe class Chain2
{
    /// <summary>(g·∂y/∂a, g·∂y/∂b) for plain tensors of one shape, of more than one element.</summary>
    internal static (Tensor Da, Tensor Db) Run<F>(Tensor g, Tensor a, Tensor b, Tensor y) where F : IChain2
    {
        var r = y.DType == DType.Float64 ? Run<F, double>(g, a, b, y) : Run<F, float>(g, a, b, y);
        GC.KeepAlive(g);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(y);
        return r;
    }

    private static (Tensor, Tensor) Run<F, T>(Tensor g, Tensor a, Tensor b, Tensor y)
        where F : IChain2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = y.shape;
        var da = Storage.Uninitialized<T>(y.Count, out var la);
        var db = Storage.Uninitialized<T>(y.Count, out var lb);
        Map<F, T>(Simd.Widest, g.Span<T>(), a.Span<T>(), b.Span<T>(), y.Span<T>(), da, db);
        return (Tensor.Plain(shape, da, la), Tensor.Plain(shape, db, lb));
    }

    /// <summary>da[i], db[i] = F(g[i], a[i], b[i], y[i]) at the given width (tests run every width on any
    /// machine).</summary>
    internal static void Map<F, T>(Width width, ReadOnlySpan<T> g, ReadOnlySpan<T> a, ReadOnlySpan<T> b,
        ReadOnlySpan<T> y, Span<T> da, Span<T> db) where F : IChain2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pg = g, pa = a, pb = b, py = y, pda = da, pdb = db)
        {
            int n = da.Length, i = width switch
            {
                Width.V512 => Body<F, T, Vector512<T>, W512<T>>(pg, pa, pb, py, pda, pdb, n),
                Width.V256 => Body<F, T, Vector256<T>, W256<T>>(pg, pa, pb, py, pda, pdb, n),
                Width.V128 => Body<F, T, Vector128<T>, W128<T>>(pg, pa, pb, py, pda, pdb, n),
                _ => 0,
            };
            for (; i < n; i++) (pda[i], pdb[i]) = F.Apply<T, T, W1<T>>(pg[i], pa[i], pb[i], py[i]);
        }
    }

    /// <summary>The whole vectors; returns where the scalar tail starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<F, T, V, W>(T* g, T* a, T* b, T* y, T* da, T* db, int n)
        where F : IChain2 where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        for (; i <= n - w; i += w)
        {
            var (p, q) = F.Apply<T, V, W>(W.Load(g + i), W.Load(a + i), W.Load(b + i), W.Load(y + i));
            W.Store(p, da + i);
            W.Store(q, db + i);
        }
        return i;
    }

    /// <summary>1 where the mask is set, else 0: a comparison's result in the dtype, as ToDType makes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V OneWhere<T, V, W>(V mask)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(mask, W.Splat(T.One), W.Splat(T.Zero));

    /// <summary>sign(x): −1, 0 or 1, keeping ±0 and NaN, as Sign's kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Sign<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero);
        return W.Select(W.LessThan(zero, x), W.Splat(T.One), W.Select(W.LessThan(x, zero), W.Splat(T.NegativeOne), x));
    }
}

/// <summary>Both partials times g, element by element, for ops whose rules call a scalar function (a logarithm): one
/// pass all the same.</summary>
internal interface IChain2Scalar
{
    static abstract (T Da, T Db) Of<T>(T g, T a, T b, T y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>One element-by-element pass of an <see cref="IChain2Scalar"/>.</summary>
internal static class ScalarChain2
{
    internal static (Tensor Da, Tensor Db) Run<F>(Tensor g, Tensor a, Tensor b, Tensor y) where F : IChain2Scalar
    {
        var r = y.DType == DType.Float64 ? Run<F, double>(g, a, b, y) : Run<F, float>(g, a, b, y);
        GC.KeepAlive(g);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(y);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (Tensor, Tensor) Run<F, T>(Tensor g, Tensor a, Tensor b, Tensor y)
        where F : IChain2Scalar where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = y.shape;
        var da = Storage.Uninitialized<T>(y.Count, out var la);
        var db = Storage.Uninitialized<T>(y.Count, out var lb);
        ReadOnlySpan<T> sg = g.Span<T>(), sa = a.Span<T>(), sb = b.Span<T>(), sy = y.Span<T>();
        for (int i = 0; i < da.Length; i++) (da[i], db[i]) = F.Of(sg[i], sa[i], sb[i], sy[i]);
        return (Tensor.Plain(shape, da, la), Tensor.Plain(shape, db, lb));
    }
}

/// <summary>g where lo ≤ x ≤ hi (ordered: never where x is NaN), else g·0: the backward of clamping by numbers in one
/// masked pass, with the bits of g times the comparisons' 1 or 0.</summary>
internal static unsafe class ClampChain
{
    internal static Tensor Run(Tensor g, Tensor x, double lo, double hi)
    {
        var r = x.DType == DType.Float64 ? Run<double>(g, x, lo, hi) : Run<float>(g, x, lo, hi);
        GC.KeepAlive(g);
        GC.KeepAlive(x);
        return r;
    }

    private static Tensor Run<T>(Tensor g, Tensor x, double lo, double hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = Storage.Uninitialized<T>(x.Count, out var lease);
        Map(Simd.Widest, g.Span<T>(), x.Span<T>(), T.CreateTruncating(lo), T.CreateTruncating(hi), d);
        return Tensor.Plain(x.shape, d, lease);
    }

    /// <summary>d[i] = g[i]·(lo ≤ x[i] ≤ hi) at the given width.</summary>
    internal static void Map<T>(Width width, ReadOnlySpan<T> g, ReadOnlySpan<T> x, T lo, T hi, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pg = g, px = x, pd = d)
        {
            int n = d.Length, i = width switch
            {
                Width.V512 => Body<T, Vector512<T>, W512<T>>(pg, px, lo, hi, pd, n),
                Width.V256 => Body<T, Vector256<T>, W256<T>>(pg, px, lo, hi, pd, n),
                Width.V128 => Body<T, Vector128<T>, W128<T>>(pg, px, lo, hi, pd, n),
                _ => 0,
            };
            for (; i < n; i++) pd[i] = One<T, T, W1<T>>(pg[i], px[i], lo, hi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V One<T, V, W>(V g, V x, V lo, V hi)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, Chain2.OneWhere<T, V, W>(W.Select(W.LessOrEqual(lo, x), W.LessOrEqual(x, hi), W.Splat(T.Zero))));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<T, V, W>(T* g, T* x, T lo, T hi, T* d, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        V vlo = W.Splat(lo), vhi = W.Splat(hi);
        for (; i <= n - w; i += w) W.Store(One<T, V, W>(W.Load(g + i), W.Load(x + i), vlo, vhi), d + i);
        return i;
    }
}
