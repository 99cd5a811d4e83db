using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuncGrad.Kernels;

/// <summary>One step of a scan: the running value combined with the next element.</summary>
internal interface IScanStep
{
    /// <summary>The running value after <paramref name="x"/>.</summary>
    static abstract T Step<T>(T acc, T x) where T : unmanaged, INumber<T>;

    /// <summary><see cref="Step"/> on whole rows, d[j] = Step(acc[j], x[j]), with the same bits.</summary>
    static abstract void Rows<T>(ReadOnlySpan<T> acc, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>;
}

/// <summary>Running sums. Integers are checked: an overflow throws rather than wrapping around.</summary>
internal readonly struct SumStep : IScanStep
{
    public static T Step<T>(T acc, T x) where T : unmanaged, INumber<T> => checked(acc + x);

    public static void Rows<T>(ReadOnlySpan<T> acc, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Add(acc, x, d);
        else for (int j = 0; j < d.Length; j++) d[j] = checked(acc[j] + x[j]);
    }
}

/// <summary>Running products, checked for integers as <see cref="SumStep"/> is.</summary>
internal readonly struct ProdStep : IScanStep
{
    public static T Step<T>(T acc, T x) where T : unmanaged, INumber<T> => checked(acc * x);

    public static void Rows<T>(ReadOnlySpan<T> acc, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Multiply(acc, x, d);
        else for (int j = 0; j < d.Length; j++) d[j] = checked(acc[j] * x[j]);
    }
}

/// <summary>
/// Running log-sum-exp: log(e^acc + e^x) as max + log1p(e^−|acc − x|), whose exponent is never positive, so nothing
/// overflows. Two −inf give −inf, +inf absorbs everything but NaN, and NaN propagates.
/// </summary>
internal readonly struct LogAddExpStep : IScanStep
{
    public static T Step<T>(T acc, T x) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(double))
        {
            var r = LogAddExp(Unsafe.As<T, double>(ref acc), Unsafe.As<T, double>(ref x));
            return Unsafe.As<double, T>(ref r);
        }
        if (typeof(T) == typeof(float))
        {
            var r = LogAddExp(Unsafe.As<T, float>(ref acc), Unsafe.As<T, float>(ref x));
            return Unsafe.As<float, T>(ref r);
        }
        throw new UnreachableException("logcumsumexp scans floats only");
    }

    public static void Rows<T>(ReadOnlySpan<T> acc, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int j = 0; j < d.Length; j++) d[j] = Step(acc[j], x[j]);
    }

    private static F LogAddExp<F>(F a, F b) where F : unmanaged, IFloatingPointIeee754<F>
    {
        if (F.IsNaN(a) || F.IsNaN(b)) return a + b;
        var m = F.Max(a, b);
        if (F.IsInfinity(m)) return m;
        return m + Accurate.Log1p(F.Exp(-F.Abs(a - b)));
    }
}

/// <summary>
/// Scans along one axis of a row-major array seen as [outer, n, inner]: each of the outer × inner lines of n elements
/// is accumulated in order, first to last (or last to first when reversed). An element's bits therefore depend only
/// on its own line, never on how lines are grouped, batched or shared among threads.
/// </summary>
internal static class Scan
{
    /// <summary>Below this many elements a scan runs on the calling thread alone.</summary>
    private const long ParallelElements = 1 << 16;

    /// <summary>
    /// Rows scanned side by side where the axis is the last: independent chains hide the step's latency. Four, not
    /// more: rows of a power-of-two length lie a multiple of 4 KB apart, in one set of the L1 cache, whose 8 ways hold
    /// the 4 rows read and the 4 written; 8 rows thrash it (1,024 × 1,024 float32: 6 ms against 0.33).
    /// </summary>
    private const int Interleave = 4;

    /// <summary>y = the running <typeparamref name="K"/> of x along the middle axis of [outer, n, inner].</summary>
    internal static void Run<T, K>(T[] x, T[] y, int outer, int n, int inner, bool reverse)
        where T : unmanaged, INumber<T> where K : IScanStep =>
        Drive(new Running<T, K>(x, y, n, inner, reverse), outer, n, inner);

    /// <summary>
    /// A scan's two loops: <see cref="Lines"/> on rows r0 … r1 − 1 where the axis is the last (inner = 1), else
    /// <see cref="Planes"/> on columns c0 … c1 − 1 of outer blocks o0 … o1 − 1. Implemented by structs, so that
    /// <see cref="Drive"/> is compiled for each scan and calls them directly.
    /// </summary>
    private interface ILoops
    {
        void Lines(int r0, int r1);
        void Planes(int o0, int o1, int c0, int c1);
    }

    /// <summary>A recurrence along a line, for <see cref="Lines"/>: its first value, and each next one, read at flat
    /// offsets. Ref structs over the arrays' first elements, so the loop reads them as it would the arrays.</summary>
    private interface IRecurrence<T>
    {
        T First(nint i);
        T Next(T previous, nint i);
    }

    private readonly struct Running<T, K>(T[] x, T[] y, int n, int inner, bool reverse) : ILoops
        where T : unmanaged, INumber<T> where K : IScanStep
    {
        public void Lines(int r0, int r1) =>
            Scan.Lines(new Steps<T, K>(ref MemoryMarshal.GetArrayDataReference(x)), y, r0, r1, n, reverse);

        public void Planes(int o0, int o1, int c0, int c1) => Planes<T, K>(x, y, o0, o1, c0, c1, n, inner, reverse);
    }

    private readonly ref struct Steps<T, K>(ref T x) : IRecurrence<T>
        where T : unmanaged, INumber<T> where K : IScanStep
    {
        private readonly ref T x = ref x;
        public T First(nint i) => Unsafe.Add(ref x, i);
        public T Next(T previous, nint i) => K.Step(previous, Unsafe.Add(ref x, i));
    }

    private readonly struct Recurrence<T>(T[] a, T[] b, T[] h, int n, int inner, bool reverse) : ILoops
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Lines(int r0, int r1) => Scan.Lines(
            new Affine<T>(ref MemoryMarshal.GetArrayDataReference(a), ref MemoryMarshal.GetArrayDataReference(b)), h,
            r0, r1, n, reverse);

        public void Planes(int o0, int o1, int c0, int c1) => LinearPlanes(a, b, h, o0, o1, c0, c1, n, inner, reverse);
    }

    // h_k = a_k·h_prev + b_k: the product and the sum rounded apart, never fused, as LinearPlanes rounds them.
    private readonly ref struct Affine<T>(ref T a, ref T b) : IRecurrence<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ref T a = ref a, b = ref b;
        public T First(nint i) => Unsafe.Add(ref b, i);
        public T Next(T previous, nint i) => Unsafe.Add(ref a, i) * previous + Unsafe.Add(ref b, i);
    }

    /// <summary>Runs <paramref name="loops"/> over [outer, n, inner], split into parts over the cores.</summary>
    private static void Drive<L>(L loops, int outer, int n, int inner) where L : struct, ILoops
    {
        if (outer == 0 || n == 0 || inner == 0) return;
        var (parts, byOuter) = Split(outer, n, inner);
        if (parts == 1) Part(loops, outer, inner, 0, 1, true);
        else InParallel(loops, outer, inner, parts, byOuter);
    }

    // Apart from Drive, so that only a parallel scan allocates the closure.
    private static void InParallel<L>(L loops, int outer, int inner, int parts, bool byOuter)
        where L : struct, ILoops => Workers.For(parts, p => Part(loops, outer, inner, p, parts, byOuter));

    /// <summary>How many parts a scan splits into, and whether they own ranges of the outer lines (else of the inner
    /// columns).</summary>
    private static (int Parts, bool ByOuter) Split(int outer, int n, int inner)
    {
        long total = (long)outer * n * inner;
        int cores = Environment.ProcessorCount;
        if (total < ParallelElements || cores == 1) return (1, true);
        if (outer >= 2 * Interleave || (inner == 1 && outer >= 2)) return (Math.Min(cores, outer), true);
        return inner >= 64 ? (Math.Min(cores, inner / 32), false) : (1, true);
    }

    /// <summary>The bounds of part <paramref name="p"/> of <paramref name="parts"/> over <paramref name="extent"/>
    /// items, in whole groups of <paramref name="grain"/>.</summary>
    private static (int Lo, int Hi) Bounds(int extent, int p, int parts, int grain)
    {
        int groups = (extent + grain - 1) / grain;
        int lo = (int)Math.Min(extent, (long)groups * p / parts * grain);
        int hi = (int)Math.Min(extent, (long)groups * (p + 1) / parts * grain);
        return (lo, hi);
    }

    private static void Part<L>(L loops, int outer, int inner, int p, int parts, bool byOuter) where L : struct, ILoops
    {
        if (byOuter)
        {
            var (lo, hi) = Bounds(outer, p, parts, inner == 1 && outer >= parts * Interleave ? Interleave : 1);
            if (inner == 1) loops.Lines(lo, hi);
            else loops.Planes(lo, hi, 0, inner);
        }
        else
        {
            var (lo, hi) = Bounds(inner, p, parts, 32);
            loops.Planes(0, outer, lo, hi);
        }
    }

    /// <summary>
    /// y = a recurrence along rows r0 … r1 − 1 of length n (the scan axis is the last), <see cref="Interleave"/> rows
    /// at a time: y_first = First(first), then y_k = Next(y_prev, k), at flat offsets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Lines<T, R>(R rec, T[] y, int r0, int r1, int n, bool reverse)
        where T : unmanaged where R : IRecurrence<T>, allows ref struct
    {
        ref T ys = ref MemoryMarshal.GetArrayDataReference(y);
        nint step = reverse ? -1 : 1, w = n;
        int r = r0;
        for (; r + Interleave <= r1; r += Interleave)
        {
            nint i = (nint)r * n + (reverse ? n - 1 : 0);
            T v0 = rec.First(i), v1 = rec.First(i + w), v2 = rec.First(i + 2 * w), v3 = rec.First(i + 3 * w);
            for (int k = 0; ; k++)
            {
                Unsafe.Add(ref ys, i) = v0;
                Unsafe.Add(ref ys, i + w) = v1;
                Unsafe.Add(ref ys, i + 2 * w) = v2;
                Unsafe.Add(ref ys, i + 3 * w) = v3;
                if (k == n - 1) break;
                i += step;
                v0 = rec.Next(v0, i);
                v1 = rec.Next(v1, i + w);
                v2 = rec.Next(v2, i + 2 * w);
                v3 = rec.Next(v3, i + 3 * w);
            }
        }
        for (; r < r1; r++)
        {
            nint i = (nint)r * n + (reverse ? n - 1 : 0);
            T v = rec.First(i);
            Unsafe.Add(ref ys, i) = v;
            for (int k = 1; k < n; k++)
            {
                i += step;
                v = rec.Next(v, i);
                Unsafe.Add(ref ys, i) = v;
            }
        }
    }

    /// <summary>Outer blocks o0 … o1 − 1, columns c0 … c1 − 1 of their inner extent: one row step at a time.</summary>
    private static void Planes<T, K>(T[] x, T[] y, int o0, int o1, int c0, int c1, int n, int inner, bool reverse)
        where T : unmanaged, INumber<T> where K : IScanStep
    {
        int w = c1 - c0, first = reverse ? n - 1 : 0, step = reverse ? -1 : 1;
        for (int o = o0; o < o1; o++)
        {
            int at = (o * n + first) * inner + c0;
            x.AsSpan(at, w).CopyTo(y.AsSpan(at, w));
            for (int k = 1; k < n; k++)
            {
                int next = at + step * inner;
                K.Rows<T>(y.AsSpan(at, w), x.AsSpan(next, w), y.AsSpan(next, w));
                at = next;
            }
        }
    }

    /// <summary>
    /// h = the linear recurrence h_k = a_k·h_prev + b_k along the middle axis, from h_first = b_first (the first a is
    /// not read). The product and the sum are rounded apart, never fused, so rows and lines give the same bits.
    /// </summary>
    internal static void Linear<T>(T[] a, T[] b, T[] h, int outer, int n, int inner, bool reverse)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Drive(new Recurrence<T>(a, b, h, n, inner, reverse), outer, n, inner);

    /// <summary>Outer blocks o0 … o1 − 1, columns c0 … c1 − 1: one row step at a time, the product into a scratch
    /// row and then the sum, as the lines round them.</summary>
    private static void LinearPlanes<T>(T[] a, T[] b, T[] h, int o0, int o1, int c0, int c1, int n, int inner,
        bool reverse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = c1 - c0, first = reverse ? n - 1 : 0, step = reverse ? -1 : 1;
        var product = new T[w];
        for (int o = o0; o < o1; o++)
        {
            int at = (o * n + first) * inner + c0;
            b.AsSpan(at, w).CopyTo(h.AsSpan(at, w));
            for (int k = 1; k < n; k++)
            {
                int next = at + step * inner;
                TensorPrimitives.Multiply(a.AsSpan(next, w), h.AsSpan(at, w), product);
                TensorPrimitives.Add(product, b.AsSpan(next, w), h.AsSpan(next, w));
                at = next;
            }
        }
    }

    /// <summary>
    /// The running maximum (or minimum) along the middle axis and where it was found. A later element takes over when
    /// it is NaN, or when the running value is not NaN and the element is ≥ it (≤ for the minimum): ties report the
    /// last index, and NaN propagates, each later NaN taking over the index, as PyTorch's CPU kernel does.
    /// </summary>
    internal static void Extreme<T>(T[] x, T[]? values, long[]? indices, int outer, int n, int inner, bool max)
        where T : unmanaged, INumber<T>
    {
        if (outer == 0 || n == 0 || inner == 0) return;
        var run = new T[inner];
        var at = new long[inner];
        for (int o = 0; o < outer; o++)
        {
            int row = o * n * inner;
            for (int k = 0; k < n; k++, row += inner)
            {
                for (int j = 0; j < inner; j++)
                {
                    T c = x[row + j];
                    if (k == 0 || T.IsNaN(c) || (!T.IsNaN(run[j]) && (max ? c >= run[j] : c <= run[j])))
                    {
                        run[j] = c;
                        at[j] = k;
                    }
                }
                if (values is not null) run.CopyTo(values.AsSpan(row, inner));
                if (indices is not null) at.CopyTo(indices.AsSpan(row, inner));
            }
        }
    }

    /// <summary>
    /// Moves elements along the middle axis by <paramref name="indices"/> (an index along that axis for each element):
    /// gathering, r[o, k, j] = v[o, indices[o, k, j], j]; or scattering, the transpose, r[o, indices[o, k, j], j] +=
    /// v[o, k, j] into zeros, the additions into one element made in increasing k.
    /// </summary>
    internal static void Route<T>(T[] v, long[] indices, T[] r, int outer, int n, int inner, bool scatter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scatter) Array.Clear(r);
        for (int o = 0; o < outer; o++)
        {
            int block = o * n * inner;
            for (int k = 0; k < n; k++)
                for (int j = 0; j < inner; j++)
                {
                    int e = block + k * inner + j, from = block + (int)indices[e] * inner + j;
                    if (scatter) r[from] += v[e];
                    else r[e] = v[from];
                }
        }
    }
}
