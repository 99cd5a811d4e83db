using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>Copies between a contiguous buffer and a strided view: the one loop behind broadcast, permute, slice and
/// pad.</summary>
internal static class Strided
{
    /// <summary>dst (contiguous, <paramref name="shape"/>) = src viewed at <paramref name="offset"/> with <paramref
    /// name="strides"/> (0 repeats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static void Gather<T>(ReadOnlySpan<T> src, int offset, int[] shape, int[] strides, Span<T> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = src[offset]; return; }
        int inner = shape[rank - 1], innerStride = strides[rank - 1];
        var idx = new int[rank];
        int s = offset;
        for (int d = 0; d < dst.Length; d += inner)
        {
            var run = dst.Slice(d, inner);
            if (innerStride == 1) src.Slice(s, inner).CopyTo(run);
            else if (innerStride == 0) run.Fill(src[s]);
            else for (int j = 0, p = s; j < inner; j++, p += innerStride) run[j] = src[p];
            for (int ax = rank - 2; ax >= 0; ax--) // odometer over the outer axes
            {
                s += strides[ax];
                if (++idx[ax] < shape[ax]) break;
                s -= strides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>dst viewed at <paramref name="offset"/> with <paramref name="strides"/> (no repeats) = src (contiguous,
    /// <paramref name="shape"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static void Scatter<T>(ReadOnlySpan<T> src, int[] shape, Span<T> dst, int offset, int[] strides)
    {
        int rank = shape.Length;
        if (src.Length == 0) return;
        if (rank == 0) { dst[offset] = src[0]; return; }
        int inner = shape[rank - 1], innerStride = strides[rank - 1];
        var idx = new int[rank];
        int s = offset;
        for (int d = 0; d < src.Length; d += inner)
        {
            var run = src.Slice(d, inner);
            if (innerStride == 1) run.CopyTo(dst.Slice(s, inner));
            else for (int j = 0, p = s; j < inner; j++, p += innerStride) dst[p] = run[j];
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                s += strides[ax];
                if (++idx[ax] < shape[ax]) break;
                s -= strides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>Strides of <paramref name="src"/> seen through a broadcast to <paramref name="to"/>: 0 on repeated
    /// axes.</summary>
    internal static int[] BroadcastStrides(int[] src, int[] to)
    {
        var own = Shapes.Strides(src);
        var r = new int[to.Length];
        int lead = to.Length - src.Length;
        for (int i = 0; i < src.Length; i++) r[lead + i] = src[i] == 1 && to[lead + i] != 1 ? 0 : own[i];
        return r;
    }
}

/// <summary>Reductions over a set of axes, for any associative <see cref="IReduceKernel"/> whose combining is
/// elementwise. Large ones are split over the cores in parts whose results do not depend on how many there
/// are.</summary>
internal static class Reduce
{
    /// <summary>dst (the shape with <paramref name="axes"/> removed) = reduction of src over the sorted, distinct
    /// axes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static unsafe void Axes<T, R>(ReadOnlySpan<T> src, int[] shape, int[] axes, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T> where R : IReduceKernel
    {
        int rank = shape.Length;
        if (axes.Length == rank)
        {
            dst[0] = src.Length == 0 ? R.Identity<T>() : Total<T, R>(src, threads: true);
            return;
        }
        dst.Fill(R.Identity<T>());
        if (src.Length == 0) return;

        // Destination strides, 0 along reduced axes: source element i adds into dst[offset(i)].
        var keep = new int[rank];
        int acc = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            bool reduced = Array.IndexOf(axes, i) >= 0;
            keep[i] = reduced ? 0 : acc;
            if (!reduced) acc *= shape[i];
        }
        int inner = shape[rank - 1];
        if (keep[rank - 1] == 0)
        {
            Runs<T, R>(src, shape, keep, dst);
            return;
        }
        // The last axis kept (a broadcast's gradient summed back to a row): each part adds the rows' same columns,
        // every element of dst in the order of the rows, as on one thread.
        int parts = (int)Math.Min(Elementwise.PartsOf(src.Length, Elementwise.PartUnit),
            Math.Max(1, inner / Elementwise.PartUnit));
        fixed (T* ps = src, pd = dst)
        {
            if (parts <= 1) Columns<T, R>(ps, src.Length, shape, keep, pd, 0, inner);
            else
            {
                nint at = (nint)ps, to = (nint)pd; // pinned until the parts are done
                int n = src.Length;
                Workers.For(parts, p =>
                {
                    var (c0, c1) = Elementwise.PartOf(inner, Elementwise.PartUnit, parts, p);
                    Columns<T, R>((T*)at, n, shape, keep, (T*)to, c0, c1);
                });
            }
        }
    }

    /// <summary>Columns [c0, c1) of the rows of src (its last axis kept) combined into dst at their offsets
    /// (<paramref name="keep"/>: dst's strides, 0 along reduced axes).</summary>
    private static unsafe void Columns<T, R>(T* src, int n, int[] shape, int[] keep, T* dst, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T> where R : IReduceKernel
    {
        int rank = shape.Length, inner = shape[rank - 1];
        var idx = new int[rank];
        int o = 0;
        for (int s = 0; s < n; s += inner)
        {
            R.CombineInto(new Span<T>(dst + o + c0, c1 - c0), new ReadOnlySpan<T>(src + s + c0, c1 - c0));
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                o += keep[ax];
                if (++idx[ax] < shape[ax]) break;
                o -= keep[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>The last axis reduced: each row's total combined into its element of dst.</summary>
    private static void Runs<T, R>(ReadOnlySpan<T> src, int[] shape, int[] keep, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T> where R : IReduceKernel
    {
        int rank = shape.Length, inner = shape[rank - 1];
        var idx = new int[rank];
        int o = 0;
        for (int s = 0; s < src.Length; s += inner)
        {
            R.CombineInto(dst.Slice(o, 1), [Total<T, R>(src.Slice(s, inner), threads: false)]);
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                o += keep[ax];
                if (++idx[ax] < shape[ax]) break;
                o -= keep[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>Elements of a reduction's chunk: a longer line is aggregated chunk by chunk.</summary>
    internal const int Chunk = 1 << 16;

    /// <summary>
    /// The reduction of a line (non-empty): in chunks of <see cref="Chunk"/> elements counted from its start, each
    /// chunk aggregated by R, the chunks' values then combined one by one in order. The association depends on the
    /// length alone, so the bits are the same on any number of threads; with <paramref name="threads"/>, the chunks
    /// are shared among the cores.
    /// </summary>
    internal static T Total<T, R>(ReadOnlySpan<T> x, bool threads)
        where T : unmanaged, IFloatingPointIeee754<T> where R : IReduceKernel =>
        x.Length <= Chunk ? R.Aggregate(x) : Chunked<T, R>(x, threads);

    private static unsafe T Chunked<T, R>(ReadOnlySpan<T> x, bool threads)
        where T : unmanaged, IFloatingPointIeee754<T> where R : IReduceKernel
    {
        int n = x.Length, chunks = (n + Chunk - 1) / Chunk;
        var partial = new T[chunks];
        fixed (T* p = x)
        {
            nint at = (nint)p; // pinned until the parts are done: Workers.For returns when all have run
            void Part(int c0, int c1)
            {
                for (int c = c0; c < c1; c++)
                {
                    int lo = c * Chunk;
                    partial[c] = R.Aggregate(new ReadOnlySpan<T>((T*)at + lo, Math.Min(Chunk, n - lo)));
                }
            }
            int parts = threads ? Math.Min(chunks, Workers.Forced ?? Environment.ProcessorCount) : 1;
            if (parts <= 1) Part(0, chunks);
            else Workers.For(parts, q => Part(chunks * q / parts, chunks * (q + 1) / parts));
        }
        Span<T> acc = [partial[0]];
        for (int c = 1; c < chunks; c++) R.CombineInto(acc, partial.AsSpan(c, 1));
        return acc[0];
    }
}
