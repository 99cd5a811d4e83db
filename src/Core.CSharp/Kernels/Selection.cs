using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// Sorting and selection along one axis of a row-major tensor viewed as [outer, n, inner]: each of its outer·inner
/// lines holds n elements, inner apart. Results are int64 positions along the axis.
/// </summary>
/// <remarks>
/// One order serves every kernel: NaN ranks above every number (as PyTorch sorts), −0 equals +0, and equal elements
/// keep their order, the lower position first, in ascending and descending order alike. So an index result is
/// determined by the values, whichever kernel or thread computes it.
/// </remarks>
internal static class Selection
{
    /// <summary>Whether a comes before b in ascending order: a &lt; b, or b is NaN and a is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Below<T>(T a, T b) where T : INumber<T> => a < b || (T.IsNaN(b) && !T.IsNaN(a));

    /// <summary>Lines at least this long in all (elements) are split over the cores.</summary>
    private const int ParallelElements = 1 << 15;

    /// <summary>body(first, end) over ranges of lines, in parallel where the work is large.</summary>
    private static void Lines(int lines, long elements, Action<int, int> body)
    {
        int parts = elements < ParallelElements ? 1 : Math.Min(lines, Environment.ProcessorCount * 4);
        if (parts <= 1) { body(0, lines); return; }
        Workers.For(parts, p => body((int)((long)lines * p / parts), (int)((long)lines * (p + 1) / parts)));
    }

    /// <summary>Line l of x (l = o·inner + i) as a span: itself when inner is 1, else copied into
    /// <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<T> Line<T>(T[] x, int l, int n, int inner, T[] buffer)
    {
        if (inner == 1) return x.AsSpan(l * n, n);
        int o = l / inner, i = l - o * inner, at = o * n * inner + i;
        for (int j = 0; j < n; j++, at += inner) buffer[j] = x[at];
        return buffer.AsSpan(0, n);
    }

    /// <summary>Writes k positions of line l into d, laid out [outer, k, inner].</summary>
    private static void Put(long[] d, int l, int k, int inner, ReadOnlySpan<int> positions)
    {
        int o = l / inner, i = l - o * inner, at = o * k * inner + i;
        for (int j = 0; j < positions.Length; j++, at += inner) d[at] = positions[j];
    }

    /// <summary>
    /// The position of the largest (<paramref name="max"/>) or smallest element of each line, [outer, 1, inner]: the
    /// first of equal ones, and the first NaN where there is one (NaN propagates, as in max and min).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ArgExtreme<T>(T[] x, int outer, int n, int inner, bool max, long[] d)
        where T : unmanaged, INumber<T>
    {
        if (inner == 1)
        {
            Lines(outer, (long)outer * n, (first, end) =>
            {
                for (int l = first; l < end; l++) d[l] = ArgExtreme<T>(x.AsSpan(l * n, n), max);
            });
            return;
        }
        var best = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            var at = d.AsSpan(o * inner, inner);
            at.Clear();
            x.AsSpan(o * n * inner, inner).CopyTo(best);
            for (int j = 1; j < n; j++)
            {
                var row = x.AsSpan((o * n + j) * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T v = row[i], b = best[i];
                    // a NaN, once found, is kept; a later NaN or a better number replaces a number
                    if (!T.IsNaN(b) && (T.IsNaN(v) || (max ? v > b : v < b))) { best[i] = v; at[i] = j; }
                }
            }
        }
    }

    /// <summary>
    /// The position of a contiguous line's extreme: the extreme found by a vector pass (NaN if any is NaN; +0 above
    /// −0, which == takes as equal), then its first occurrence.
    /// </summary>
    private static int ArgExtreme<T>(ReadOnlySpan<T> line, bool max) where T : unmanaged, INumber<T>
    {
        T e = max ? TensorPrimitives.Max(line) : TensorPrimitives.Min(line);
        int j = 0;
        if (T.IsNaN(e))
        {
            while (!T.IsNaN(line[j])) j++;
            return j;
        }
        // a vector's == is IEEE's, as the scalar one: −0 equals +0
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var target = new Vector<T>(e);
            int w = Vector<T>.Count;
            while (j + w <= line.Length && !Vector.EqualsAny(new Vector<T>(line.Slice(j, w)), target)) j += w;
        }
        while (line[j] != e) j++;
        return j;
    }

    /// <summary>Scratch space for <see cref="Order"/> over lines of n elements.</summary>
    private sealed class Scratch<T>(int n)
    {
        internal readonly T[] Line = new T[n], Keys = new T[n];
        internal readonly int[] Items = new int[n], Order = new int[n];
    }

    /// <summary>
    /// The positions of <paramref name="v"/> in stable ascending (or descending) order, into s.Order: numbers by
    /// an unstable sort of (value, position) pairs whose runs of equal values are then put back in position order,
    /// NaN (by position) after them, or before them when descending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Order<T>(ReadOnlySpan<T> v, bool descending, Scratch<T> s) where T : INumber<T>
    {
        int n = v.Length, m = 0, q = n;
        var keys = s.Keys.AsSpan(0, n);
        var items = s.Items.AsSpan(0, n);
        for (int j = 0; j < n; j++)
        {
            if (T.IsNaN(v[j])) items[--q] = j; // from the end, so in reverse
            else { keys[m] = v[j]; items[m++] = j; }
        }
        items[m..].Reverse();
        keys[..m].Sort(items[..m]);
        var order = s.Order.AsSpan(0, n);
        if (!descending)
        {
            for (int a = 0; a < m;)
            {
                int b = RunEnd(keys, a, m);
                if (b - a > 1) items[a..b].Sort();
                a = b;
            }
            items.CopyTo(order);
            return;
        }
        items[m..].CopyTo(order);
        int at = n - m;
        for (int b = m; b > 0;)
        {
            int a = b - 1;
            while (a > 0 && keys[a - 1] == keys[b - 1]) a--;
            var run = items[a..b];
            if (run.Length > 1) run.Sort();
            run.CopyTo(order[at..]);
            at += run.Length;
            b = a;
        }
    }

    private static int RunEnd<T>(ReadOnlySpan<T> keys, int a, int m) where T : INumber<T>
    {
        int b = a + 1;
        while (b < m && keys[b] == keys[a]) b++;
        return b;
    }

    /// <summary>Every line's positions in stable ascending or descending order, [outer, n, inner].</summary>
    internal static void Argsort<T>(T[] x, int outer, int n, int inner, bool descending, long[] d)
        where T : unmanaged, INumber<T> =>
        Lines(outer * inner, (long)outer * inner * n, (first, end) =>
        {
            var s = new Scratch<T>(n);
            for (int l = first; l < end; l++)
            {
                Order(Line(x, l, n, inner, s.Line), descending, s);
                Put(d, l, n, inner, s.Order.AsSpan(0, n));
            }
        });

    /// <summary>
    /// The position of each line's element of 0-based rank <paramref name="rank"/> in the stable ascending order
    /// (kthvalue), [outer, 1, inner]; with <paramref name="median"/>, the first NaN instead where a line has one.
    /// </summary>
    internal static void Kth<T>(T[] x, int outer, int n, int inner, int rank, bool median, long[] d)
        where T : unmanaged, INumber<T> =>
        Lines(outer * inner, (long)outer * inner * n, (first, end) =>
        {
            var s = new Scratch<T>(n);
            for (int l = first; l < end; l++)
            {
                var line = Line(x, l, n, inner, s.Line);
                int nan = median ? FirstNaN(line) : -1;
                if (nan < 0) Order(line, false, s);
                d[l] = nan >= 0 ? nan : s.Order[rank];
            }
        });

    private static int FirstNaN<T>(ReadOnlySpan<T> line) where T : INumber<T>
    {
        for (int j = 0; j < line.Length; j++)
            if (T.IsNaN(line[j])) return j;
        return -1;
    }

    /// <summary>At most this k takes the insertion path of <see cref="Topk"/>; larger ones sort each line.</summary>
    private const int SmallK = 32;

    /// <summary>
    /// The positions of each line's k largest (or smallest) elements, best first, equal ones by position,
    /// [outer, k, inner]: the first k of the stable descending (ascending) order.
    /// </summary>
    internal static void Topk<T>(T[] x, int outer, int n, int inner, int k, bool largest, long[] d)
        where T : unmanaged, INumber<T>
    {
        if (k == 0) return;
        Lines(outer * inner, (long)outer * inner * n, (first, end) =>
        {
            var s = new Scratch<T>(n);
            for (int l = first; l < end; l++)
            {
                var line = Line(x, l, n, inner, s.Line);
                if (k > SmallK) Order(line, largest, s);
                else if (largest) Best<T, Larger>(line, s.Keys.AsSpan(0, k), s.Order.AsSpan(0, k));
                else Best<T, Smaller>(line, s.Keys.AsSpan(0, k), s.Order.AsSpan(0, k));
                Put(d, l, k, inner, s.Order.AsSpan(0, k));
            }
        });
    }

    /// <summary>Which of two elements ranks better for <see cref="Best"/>.</summary>
    private interface IBetter
    {
        /// <summary>a ranks strictly before b.</summary>
        static abstract bool Better<T>(T a, T b) where T : unmanaged, INumber<T>;
        /// <summary>No element of <paramref name="v"/> ranks strictly before t (t is not NaN).</summary>
        static abstract bool NoneBetter<T>(Vector<T> v, Vector<T> t) where T : unmanaged, INumber<T>;
    }

    private readonly struct Larger : IBetter
    {
        public static bool Better<T>(T a, T b) where T : unmanaged, INumber<T> => Below(b, a);
        // a number beats t only if above it, and NaN beats it too: none does where every lane is ≤ t
        public static bool NoneBetter<T>(Vector<T> v, Vector<T> t) where T : unmanaged, INumber<T> =>
            Vector.LessThanOrEqualAll(v, t);
    }

    private readonly struct Smaller : IBetter
    {
        public static bool Better<T>(T a, T b) where T : unmanaged, INumber<T> => Below(a, b);
        // NaN never beats a number, and a number beats t only if below it
        public static bool NoneBetter<T>(Vector<T> v, Vector<T> t) where T : unmanaged, INumber<T> =>
            !Vector.LessThanAny(v, t);
    }

    /// <summary>
    /// The first keys.Length positions of <paramref name="line"/> in B's order, best first: a sorted buffer of the
    /// best so far, which an element joins only when strictly better than its last (so the earlier of equal
    /// elements stays ahead). Where the buffer is full, runs of a vector's width none of which beats its last are
    /// skipped at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Best<T, B>(ReadOnlySpan<T> line, Span<T> keys, Span<int> at)
        where T : unmanaged, INumber<T> where B : IBetter
    {
        int k = keys.Length, n = line.Length, c = 0, j = 0;
        for (; j < n && c < k; j++)
        {
            T v = line[j];
            int p = c;
            while (p > 0 && B.Better(v, keys[p - 1])) p--;
            for (int q = c; q > p; q--) { keys[q] = keys[q - 1]; at[q] = at[q - 1]; }
            keys[p] = v; at[p] = j; c++;
        }
        int w = Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : n + 1;
        while (j < n)
        {
            T last = keys[k - 1];
            if (T.IsNaN(last) && typeof(B) == typeof(Larger)) return; // k NaNs: nothing beats them
            if (j + w <= n && !T.IsNaN(last))
            {
                var t = new Vector<T>(last);
                while (j + w <= n && B.NoneBetter(new Vector<T>(line.Slice(j, w)), t)) j += w;
                if (j >= n) break;
            }
            int end = (int)Math.Min(n, (long)j + w);
            for (; j < end; j++)
            {
                T v = line[j];
                if (!B.Better(v, keys[k - 1])) continue;
                int p = k - 1;
                while (p > 0 && B.Better(v, keys[p - 1])) p--;
                for (int q = k - 1; q > p; q--) { keys[q] = keys[q - 1]; at[q] = at[q - 1]; }
                keys[p] = v; at[p] = j;
            }
        }
    }

    /// <summary>
    /// For each value, how many elements of its line of the sorted sequence come before it: those below it (left),
    /// or those not above it (<paramref name="right"/>), in the order above (NaN above every number). Lines of
    /// <paramref name="n"/> sorted elements and of <paramref name="m"/> values, line by line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Searchsorted<T>(T[] sorted, int n, T[] values, int m, bool right, long[] d)
        where T : unmanaged, INumber<T>
    {
        int lines = m == 0 ? 0 : values.Length / m;
        for (int l = 0; l < lines; l++)
        {
            var s = sorted.AsSpan(n == 0 ? 0 : l * n, n);
            for (int j = 0; j < m; j++)
            {
                T v = values[l * m + j];
                int lo = 0, hi = n;
                while (lo < hi)
                {
                    int mid = (int)((uint)(lo + hi) >> 1);
                    if (right ? !Below(v, s[mid]) : Below(s[mid], v)) lo = mid + 1;
                    else hi = mid;
                }
                d[l * m + j] = lo;
            }
        }
    }

    /// <summary>
    /// The distinct values of x in ascending order (each NaN distinct, as NaN equals nothing), as the position of each
    /// one's first occurrence; and for each element, the number of its value; and each value's count.
    /// </summary>
    internal static (long[] First, long[] Inverse, long[] Counts) Unique<T>(T[] x) where T : unmanaged, INumber<T>
    {
        int n = x.Length;
        var s = new Scratch<T>(n);
        Order<T>(x, false, s);
        var first = new List<long>();
        var counts = new List<long>();
        var inverse = new long[n];
        for (int a = 0; a < n;)
        {
            T v = x[s.Order[a]];
            int b = a + 1;
            while (b < n && x[s.Order[b]] == v) b++; // a NaN is a run of one
            for (int j = a; j < b; j++) inverse[s.Order[j]] = first.Count;
            first.Add(s.Order[a]); // the stable order puts the first occurrence first
            counts.Add(b - a);
            a = b;
        }
        return (first.ToArray(), inverse, counts.ToArray());
    }

    /// <summary>
    /// d = x's elements at <paramref name="idx"/> along the axis: x is [outer, n, inner], idx and d [outer, k, inner].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TakeAlong<T>(T[] x, int outer, int n, int inner, long[] idx, int k, T[] d)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
            {
                int at = (o * k + j) * inner, from = o * n * inner;
                for (int i = 0; i < inner; i++)
                    d[at + i] = x[from + Checked(idx[at + i], n) * inner + i];
            }
    }

    /// <summary>
    /// d, zeros of [outer, n, inner], with g's elements [outer, k, inner] added at <paramref name="idx"/> along the
    /// axis, in order: the transpose of <see cref="TakeAlong"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddAlong<T>(T[] g, int outer, int k, int inner, long[] idx, int n, T[] d)
        where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
            {
                int at = (o * k + j) * inner, to = o * n * inner;
                for (int i = 0; i < inner; i++)
                    d[to + Checked(idx[at + i], n) * inner + i] += g[at + i];
            }
    }

    /// <summary>An index the ops made themselves: out of range is a bug, said as one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Checked(long i, int n) => (ulong)i < (ulong)n ? (int)i
        : throw new InvalidOperationException($"an index {i} for an axis of size {n}: this is a bug in FuncGrad");
}
