using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// How a row op reads its one-dimensional index: the public op it serves and the axis it names in errors, whether
/// negative indices count from the end (<paramref name="Wrap"/>), and an index value whose slices are skipped
/// (<paramref name="Skip"/>: an embedding's padding row). A resolved rule reads indices that were checked already
/// (a batching rule's merged indices), where a negative one means "skip".
/// </summary>
internal sealed record IndexRule(string Op, int Axis, bool Wrap, long? Skip, bool Resolved = false)
{
    /// <summary>The rule of indices a batching rule has resolved and offset.</summary>
    internal IndexRule AsResolved() => this with { Wrap = false, Skip = null, Resolved = true };

    /// <summary>
    /// The indices checked against an axis of size <paramref name="n"/>: each in [0, n) (negatives counted from the
    /// end where the rule wraps), or −1 where it is the skipped value. An index out of range is the error named here.
    /// </summary>
    internal long[] Resolve(long[] raw, int n)
    {
        var r = new long[raw.Length];
        for (int j = 0; j < raw.Length; j++)
        {
            long v = raw[j];
            if (Resolved ? v < 0 : Skip == v) { r[j] = -1; continue; }
            long w = Wrap && v < 0 ? v + n : v;
            if ((ulong)w >= (ulong)n) throw OutOfRange(v, j, raw.Length, n);
            r[j] = w;
        }
        return r;
    }

    internal ArgumentOutOfRangeException OutOfRange(long v, int j, int count, int n) => new("index",
        $"{Op}: index {v} (element {j} of {count}) is out of range for axis {Axis} of size {n}; "
        + (n == 0 ? "the axis has no elements to pick"
            : Wrap ? $"indices must be in [{-n}, {n - 1}] (negative ones count from the end)"
            : $"indices must be in [0, {n - 1}]"
              + (v < 0 ? $" ({Op} does not count negative indices from the end, as in PyTorch)" : "")));
}

/// <summary>
/// Whole slices picked, added or copied along one axis by a one-dimensional index of resolved entries (see
/// <see cref="IndexRule.Resolve"/>; −1 skips): the data viewed as [outer, n, inner], the slices of the index's
/// entries [outer, m, inner]. Writes to one slice happen in the index's order whatever the threads (parts split the
/// outer axis, or else the inner one), so an add sums in one order and a copy's last write wins.
/// </summary>
internal static class Rows
{
    private const int Grain = 32768;

    private static int Parts(long work, int most) =>
        work < 2 * Grain || most < 2
            ? 1
            : (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, most), work / Grain));

    private static (int From, int To) Share(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    /// <summary>y [outer, m, inner] = the slices of x [outer, n, inner] at the index (zeros where it skips).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Select<T>(T[] x, int outer, int n, int inner, long[] index, T[] y)
    {
        int m = index.Length;
        long work = (long)outer * m * inner;
        bool byOuter = outer >= 2 * Environment.ProcessorCount || m < 2;
        int parts = Parts(work, byOuter ? outer : m);
        void Part(int part)
        {
            var (o0, o1) = byOuter ? Share(outer, parts, part) : (0, outer);
            var (j0, j1) = byOuter ? (0, m) : Share(m, parts, part);
            for (int o = o0; o < o1; o++)
                for (int j = j0; j < j1; j++)
                {
                    var dst = y.AsSpan((o * m + j) * inner, inner);
                    long v = index[j];
                    if (v < 0) dst.Clear();
                    else if (inner == 1) dst[0] = x[o * n + (int)v];
                    else x.AsSpan((o * n + (int)v) * inner, inner).CopyTo(dst);
                }
        }
        if (parts == 1) Part(0);
        else Workers.For(parts, Part);
    }

    /// <summary>y [outer, n, inner] (holding the data, or zeros) plus the slices of src [outer, m, inner] added at the
    /// index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add<T>(T[] y, int outer, int n, int inner, long[] index, T[] src)
        where T : unmanaged, INumberBase<T>
    {
        int m = index.Length;
        long work = (long)outer * m * inner;
        bool byOuter = outer >= 2 || inner < 16;
        int parts = Parts(work, byOuter ? outer : inner / 8);
        void Part(int part)
        {
            var (o0, o1) = byOuter ? Share(outer, parts, part) : (0, outer);
            var (c0, c1) = byOuter ? (0, inner) : Share(inner / 8, parts, part);
            if (!byOuter) { c0 *= 8; c1 = part == parts - 1 ? inner : c1 * 8; }
            int w = c1 - c0;
            for (int o = o0; o < o1; o++)
                for (int j = 0; j < m; j++)
                {
                    long v = index[j];
                    if (v < 0) continue;
                    if (w == 1) { y[(o * n + (int)v) * inner + c0] += src[(o * m + j) * inner + c0]; continue; }
                    var dst = y.AsSpan((o * n + (int)v) * inner + c0, w);
                    TensorPrimitives.Add(dst, src.AsSpan((o * m + j) * inner + c0, w), dst);
                }
        }
        if (parts == 1) Part(0);
        else Workers.For(parts, Part);
    }

    /// <summary>y [outer, n, inner] (holding the data) with the slices of src [outer, m, inner] copied to the index; of
    /// two copies to one slice the later in the index wins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Copy<T>(T[] y, int outer, int n, int inner, long[] index, T[] src)
    {
        int m = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
            {
                long v = index[j];
                if (v < 0) continue;
                src.AsSpan((o * m + j) * inner, inner).CopyTo(y.AsSpan((o * n + (int)v) * inner, inner));
            }
    }
}
