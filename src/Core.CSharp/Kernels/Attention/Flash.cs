using FuncGrad.Kernels.Random;
using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels.Attention;

/// <summary>The shapes and options of one attention: q [N, L, E], k [N, S, E], v [N, S, Ev], an additive bias
/// [1 or N, L, S] or none, the causal triangle, the scale, and dropout p under keys [G, 2] (N/G entries a
/// group).</summary>
internal readonly record struct AttentionShape(int N, int L, int S, int E, int Ev, double Scale, bool Causal,
    bool BiasPerEntry, double P, int Groups);

/// <summary>
/// Memory-efficient attention (FlashAttention-2's scheme, Dao 2023) on row-major buffers: tiles of queries against
/// tiles of keys, an online softmax (each row's running maximum m and sum l, rescaled when m grows), so no L×S matrix
/// is ever held. The forward pass writes O and each row's log-sum-exp m + log l; the backward pass recomputes each
/// tile's weights P = exp(s − lse) from them and forms dV = Pᵀ·dO, dS = P ∘ (dP − D) with D = rowsum(dO ∘ O) − dlse,
/// dQ = scale·dS·K, dK = scale·dSᵀ·Q. The tile products are <see cref="Gemm"/>'s micro-kernels on the calling thread;
/// the row work (scale, bias, maximum, exponential, sums) is written once against <see cref="IVec{V, T}"/>. Every
/// output element is computed by one thread in one fixed order (forward: one part per entry and query tile; backward:
/// one part per entry), so the bits do not depend on the number of threads. Key tiles wholly above the causal
/// diagonal are skipped, and the diagonal tile is cut at the last query's key.
/// </summary>
internal static unsafe class Flash
{
    /// <summary>Queries per tile (rows of a score tile): a multiple of the GEMM register tiles' 12 and 6
    /// rows.</summary>
    internal const int Br = 48;
    /// <summary>Keys per tile (columns of a score tile).</summary>
    internal const int Bc = 128;

    /// <summary>Scratch of one thread, reused across calls (a tile product allocates nothing).</summary>
    private static class Scratch<T>
    {
        [ThreadStatic] private static T[]? buffer;
        [ThreadStatic] private static uint[]? words;

        internal static T[] Get(int n) => buffer is { } b && b.Length >= n ? b : (buffer = new T[n]);
        internal static uint[] Words(int n) => words is { } w && w.Length >= n ? w : (words = new uint[n]);
    }

    // ---------------------------------------------------------------- forward

    /// <summary>y [N, L, Ev + 1]: each row's output, then its log-sum-exp (−inf for a row whose keys are all
    /// masked, whose output is 0).</summary>
    internal static void Forward<T>(in AttentionShape a, T[] q, T[] k, T[] v, T[]? bias, (uint, uint)[]? keys, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Simd.Widest)
        {
            case Width.V512: Forward<T, Vector512<T>, W512<T>>(a, q, k, v, bias, keys, y); break;
            case Width.V256: Forward<T, Vector256<T>, W256<T>>(a, q, k, v, bias, keys, y); break;
            case Width.V128: Forward<T, Vector128<T>, W128<T>>(a, q, k, v, bias, keys, y); break;
            default: Forward<T, T, W1<T>>(a, q, k, v, bias, keys, y); break;
        }
    }

    private static void Forward<T, V, W>(AttentionShape a, T[] q, T[] k, T[] v, T[]? bias, (uint, uint)[]? keys,
        T[] y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int tiles = (a.L + Br - 1) / Br;
        Workers.For(a.N * tiles, part => ForwardTile<T, V, W>(a, q, k, v, bias, keys, y, part / tiles,
            part % tiles * Br));
    }

    private static void ForwardTile<T, V, W>(AttentionShape a, T[] q, T[] k, T[] v, T[]? bias, (uint, uint)[]? keys,
        T[] y, int n, int i0)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int br = Math.Min(Br, a.L - i0), ev = a.Ev;
        var width = Simd.ForGemm;
        // scratch: scores [Br, Bc], product [Br, Ev], running output [Br, Ev], m and l [Br], a vector's lanes
        int sAt = 0, tAt = Br * Bc, oAt = tAt + Br * ev, mAt = oAt + Br * ev, lAt = mAt + Br, xAt = lAt + Br;
        var w = Scratch<T>.Get(xAt + 64);
        var words = Scratch<T>.Words(Bc);
        T scale = T.CreateTruncating(a.Scale), ninf = T.NegativeInfinity;
        var (k0, k1) = keys is null ? (0u, 0u) : keys[n / (a.N / a.Groups)];
        ulong threshold = Philox.DropThreshold(a.P), stream = (ulong)(n % (a.N / a.Groups)) * (ulong)a.L * (ulong)a.S;
        T factor = AttentionDropout.Factor<T>(a.P);
        w.AsSpan(oAt, br * ev).Clear();
        w.AsSpan(mAt, br).Fill(ninf);
        w.AsSpan(lAt, br).Clear();
        int sEnd = a.Causal ? Math.Min(a.S, i0 + br) : a.S;
        fixed (T* pw = w, pb = bias)
        {
            for (int j0 = 0; j0 < sEnd; j0 += Bc)
            {
                int bc = Math.Min(Bc, sEnd - j0);
                Gemm.Strided(width, q, (n * a.L + i0) * a.E, a.E, 1, k, (n * a.S + j0) * a.E, 1, a.E, w, sAt, br,
                    a.E, bc, false);
                for (int r = 0; r < br; r++)
                {
                    int i = i0 + r;
                    T* s = pw + sAt + r * bc;
                    T* b = pb is null ? null : pb + ((a.BiasPerEntry ? n : 0) * a.L + i) * a.S + j0;
                    // keys past i are masked on the causal diagonal
                    int live = a.Causal ? Math.Clamp(i - j0 + 1, 0, bc) : bc;
                    ScaleRow<T, V, W>(s, b, live, scale);
                    for (int c = live; c < bc; c++) s[c] = ninf;
                    T m = pw[mAt + r], mx = Max<T, V, W>(s, live, pw + xAt), mNew = T.Max(m, mx);
                    if (T.IsNegativeInfinity(mNew))
                    {
                        new Span<T>(s, bc).Clear(); // nothing taken part yet: weights 0, nothing to rescale
                        continue;
                    }
                    T sum = ExpSub<T, V, W>(s, live, mNew);
                    for (int c = live; c < bc; c++) s[c] = T.Zero;
                    T alpha = T.Exp(m - mNew);
                    pw[lAt + r] = pw[lAt + r] * alpha + sum;
                    pw[mAt + r] = mNew;
                    if (keys is not null) Drop(s, live, words, k0, k1, stream + (ulong)i * (ulong)a.S + (ulong)j0,
                        threshold, factor);
                    if (alpha != T.One) ScaleBy<T, V, W>(pw + oAt + r * ev, ev, alpha);
                }
                Gemm.Strided(width, w, sAt, bc, 1, v, (n * a.S + j0) * ev, ev, 1, w, tAt, br, bc, ev, false);
                AddTo<T, V, W>(pw + oAt, pw + tAt, br * ev);
            }
            for (int r = 0; r < br; r++)
            {
                T l = pw[lAt + r];
                var row = y.AsSpan(((n * a.L) + i0 + r) * (ev + 1), ev + 1);
                if (l == T.Zero)
                {
                    row[..ev].Clear();
                    row[ev] = ninf;
                    continue;
                }
                T inv = T.One / l;
                for (int c = 0; c < ev; c++) row[c] = pw[oAt + r * ev + c] * inv;
                row[ev] = pw[mAt + r] + T.Log(l);
            }
        }
    }

    // ---------------------------------------------------------------- backward

    /// <summary>
    /// g [N, L·E + S·E + S·Ev]: dQ, dK, dV of each entry, from y [N, L, Ev + 1] (the forward's O and log-sum-exp) and
    /// its cotangent dy [N, L, Ev + 1] (dO and dlse).
    /// </summary>
    internal static void Backward<T>(in AttentionShape a, T[] q, T[] k, T[] v, T[]? bias, (uint, uint)[]? keys,
        T[] y, T[] dy, T[] g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Simd.Widest)
        {
            case Width.V512: Backward<T, Vector512<T>, W512<T>>(a, q, k, v, bias, keys, y, dy, g); break;
            case Width.V256: Backward<T, Vector256<T>, W256<T>>(a, q, k, v, bias, keys, y, dy, g); break;
            case Width.V128: Backward<T, Vector128<T>, W128<T>>(a, q, k, v, bias, keys, y, dy, g); break;
            default: Backward<T, T, W1<T>>(a, q, k, v, bias, keys, y, dy, g); break;
        }
    }

    private static void Backward<T, V, W>(AttentionShape a, T[] q, T[] k, T[] v, T[]? bias, (uint, uint)[]? keys,
        T[] y, T[] dy, T[] g)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Workers.For(a.N, n => BackwardEntry<T, V, W>(a, q, k, v, bias, keys, y, dy, g, n));

    private static void BackwardEntry<T, V, W>(AttentionShape a, T[] q, T[] k, T[] v, T[]? bias,
        (uint, uint)[]? keys, T[] y, T[] dy, T[] g, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int l = a.L, s = a.S, e = a.E, ev = a.Ev, row = ev + 1;
        var width = Simd.ForGemm;
        int per = l * e + s * e + s * ev, dqAt = n * per, dkAt = dqAt + l * e, dvAt = dkAt + s * e;
        g.AsSpan(dqAt, per).Clear();
        // scratch: P [Br, Bc], P after dropout [Br, Bc], dS [Br, Bc], a product [max(Br, Bc) · max(E, Ev)], D [L]
        int pAt = 0, pdAt = Br * Bc, dsAt = 2 * Br * Bc, tAt = 3 * Br * Bc, dAt = tAt + Bc * Math.Max(e, ev);
        var w = Scratch<T>.Get(dAt + l);
        var words = Scratch<T>.Words(Bc);
        T scale = T.CreateTruncating(a.Scale);
        var (k0, k1) = keys is null ? (0u, 0u) : keys[n / (a.N / a.Groups)];
        ulong threshold = Philox.DropThreshold(a.P), stream = (ulong)(n % (a.N / a.Groups)) * (ulong)l * (ulong)s;
        T factor = AttentionDropout.Factor<T>(a.P);
        fixed (T* pw = w, pb = bias, py = y, pdy = dy, pg = g)
        {
            // D = rowsum(dO ∘ O) − dlse
            for (int i = 0; i < l; i++)
            {
                T* o = py + (n * l + i) * row, d = pdy + (n * l + i) * row;
                pw[dAt + i] = Dot<T, V, W>(o, d, ev) - d[ev];
            }
            for (int j0 = 0; j0 < s; j0 += Bc)
            {
                int bcFull = Math.Min(Bc, s - j0);
                for (int i0 = a.Causal ? j0 / Br * Br : 0; i0 < l; i0 += Br)
                {
                    int br = Math.Min(Br, l - i0);
                    int bc = a.Causal ? Math.Min(bcFull, i0 + br - j0) : bcFull;
                    if (bc <= 0) continue;
                    Gemm.Strided(width, q, (n * l + i0) * e, e, 1, k, (n * s + j0) * e, 1, e, w, pAt, br, e, bc,
                        false);
                    bool dropped = false;
                    for (int r = 0; r < br; r++)
                    {
                        int i = i0 + r;
                        T* p = pw + pAt + r * bc;
                        T lse = py[(n * l + i) * row + ev];
                        int live = a.Causal ? Math.Clamp(i - j0 + 1, 0, bc) : bc;
                        if (T.IsNegativeInfinity(lse)) live = 0; // every key masked: no weight, no gradient
                        T* b = pb is null ? null : pb + ((a.BiasPerEntry ? n : 0) * l + i) * s + j0;
                        ScaleRow<T, V, W>(p, b, live, scale);
                        ExpSub<T, V, W>(p, live, lse);
                        for (int c = live; c < bc; c++) p[c] = T.Zero;
                        if (keys is not null)
                        {
                            new Span<T>(p, bc).CopyTo(new Span<T>(pw + pdAt + r * bc, bc));
                            Drop(pw + pdAt + r * bc, bc, words, k0, k1, stream + (ulong)i * (ulong)s + (ulong)j0,
                                threshold, factor);
                            dropped = true;
                        }
                    }
                    int pdOff = dropped ? pdAt : pAt;
                    // dV_j += Pdᵀ·dO_i
                    Gemm.Strided(width, w, pdOff, 1, bc, dy, (n * l + i0) * row, row, 1, w, tAt, bc, br, ev, false);
                    AddTo<T, V, W>(pg + dvAt + j0 * ev, pw + tAt, bc * ev);
                    // dPd = dO_i·V_jᵀ, then dS = scale · P ∘ (dPd ∘ Z − D)
                    Gemm.Strided(width, dy, (n * l + i0) * row, row, 1, v, (n * s + j0) * ev, 1, ev, w, dsAt, br, ev,
                        bc, false);
                    for (int r = 0; r < br; r++)
                    {
                        T* ds = pw + dsAt + r * bc;
                        if (keys is not null)
                            Drop(ds, bc, words, k0, k1, stream + (ulong)(i0 + r) * (ulong)s + (ulong)j0, threshold,
                                factor);
                        SoftmaxGrad<T, V, W>(ds, pw + pAt + r * bc, bc, pw[dAt + i0 + r], scale);
                    }
                    // dQ_i += dS·K_j; dK_j += dSᵀ·Q_i
                    Gemm.Strided(width, w, dsAt, bc, 1, k, (n * s + j0) * e, e, 1, w, tAt, br, bc, e, false);
                    AddTo<T, V, W>(pg + dqAt + i0 * e, pw + tAt, br * e);
                    Gemm.Strided(width, w, dsAt, 1, bc, q, (n * l + i0) * e, e, 1, w, tAt, bc, br, e, false);
                    AddTo<T, V, W>(pg + dkAt + j0 * e, pw + tAt, bc * e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- rows

    /// <summary>s[c] = s[c]·scale (+ b[c]) for c &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleRow<T, V, W>(T* s, T* b, int n, T scale)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        V f = W.Splat(scale);
        if (b is null)
        {
            for (; c <= n - w; c += w) W.Store(W.Mul(W.Load(s + c), f), s + c);
            for (; c < n; c++) s[c] *= scale;
        }
        else
        {
            for (; c <= n - w; c += w) W.Store(W.Add(W.Mul(W.Load(s + c), f), W.Load(b + c)), s + c);
            for (; c < n; c++) s[c] = s[c] * scale + b[c];
        }
    }

    /// <summary>The largest of s[0 .. n) (−inf for none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Max<T, V, W>(T* s, int n, T* lanes)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        T m = T.NegativeInfinity;
        if (n >= w)
        {
            V acc = W.Load(s);
            for (c = w; c <= n - w; c += w)
            {
                V x = W.Load(s + c);
                acc = W.Select(W.LessThan(acc, x), x, acc);
            }
            W.Store(acc, lanes);
            for (int i = 0; i < w; i++) m = T.Max(m, lanes[i]);
        }
        for (; c < n; c++) m = T.Max(m, s[c]);
        return m;
    }

    /// <summary>s[c] = e^(s[c] − m) for c &lt; n; returns their sum (in the width's lane order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ExpSub<T, V, W>(T* s, int n, T m)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        V mv = W.Splat(m), zero = W.Splat(T.Zero), acc = zero;
        for (; c <= n - w; c += w)
        {
            V x = VectorMath.Exp<T, V, W>(W.Sub(W.Load(s + c), mv), zero);
            W.Store(x, s + c);
            acc = W.Add(acc, x);
        }
        T sum = W.Sum(acc);
        for (; c < n; c++)
        {
            T x = VectorMath.Exp<T, T, W1<T>>(s[c] - m, T.Zero);
            s[c] = x;
            sum += x;
        }
        return sum;
    }

    /// <summary>Dropout of s[0 .. n): weight c is kept (times the factor) iff word start + c of the key's stream
    /// reaches the threshold.</summary>
    private static void Drop<T>(T* s, int n, uint[] words, uint k0, uint k1, ulong start, ulong threshold, T factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = words.AsSpan(0, n);
        Philox.Fill(k0, k1, start, span);
        for (int c = 0; c < n; c++) s[c] = span[c] >= threshold ? s[c] * factor : T.Zero;
    }

    /// <summary>ds[c] = scale · p[c] · (ds[c] − d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxGrad<T, V, W>(T* ds, T* p, int n, T d, T scale)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        V dv = W.Splat(d), f = W.Splat(scale);
        for (; c <= n - w; c += w)
            W.Store(W.Mul(W.Mul(W.Load(p + c), W.Sub(W.Load(ds + c), dv)), f), ds + c);
        for (; c < n; c++) ds[c] = p[c] * (ds[c] - d) * scale;
    }

    /// <summary>x[c] ·= f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleBy<T, V, W>(T* x, int n, T f)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        V fv = W.Splat(f);
        for (; c <= n - w; c += w) W.Store(W.Mul(W.Load(x + c), fv), x + c);
        for (; c < n; c++) x[c] *= f;
    }

    /// <summary>x[c] += t[c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T, V, W>(T* x, T* t, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        for (; c <= n - w; c += w) W.Store(W.Add(W.Load(x + c), W.Load(t + c)), x + c);
        for (; c < n; c++) x[c] += t[c];
    }

    /// <summary>Σ a[c]·b[c] (in the width's lane order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot<T, V, W>(T* a, T* b, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int c = 0, w = W.Count;
        V acc = W.Splat(T.Zero);
        for (; c <= n - w; c += w) acc = W.MulAdd(W.Load(a + c), W.Load(b + c), acc);
        T sum = W.Sum(acc);
        for (; c < n; c++) sum += a[c] * b[c];
        return sum;
    }
}
