using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// A sparse linear map along one axis, from <see cref="In"/> positions to <see cref="Out"/>: output j is
/// Σ_e Weight[e] · input[Index[e]] over the entries e of row j (Start[j] ≤ e &lt; Start[j + 1]), summed in the order
/// the entries are stored. Padding, interpolation and area averaging are each one such map per axis; the transpose is
/// another, whose rows keep the order of the output positions they came from, so both sum in a fixed order.
/// </summary>
internal sealed class AxisMap
{
    internal int In { get; }
    internal int Out { get; }
    internal int[] Start { get; }
    internal int[] Index { get; }
    internal double[] Weight { get; }

    internal AxisMap(int input, int output, int[] start, int[] index, double[] weight)
    {
        In = input;
        Out = output;
        Start = start;
        Index = index;
        Weight = weight;
    }

    /// <summary>A map whose output j reads the input at <paramref name="source"/>[j] with weight 1, or nothing (a
    /// zero) where that is negative: padding, cropping and nearest-neighbour sampling.</summary>
    internal static AxisMap Picking(int input, int[] source)
    {
        var start = new int[source.Length + 1];
        var index = new List<int>(source.Length);
        for (int j = 0; j < source.Length; j++)
        {
            if (source[j] >= 0) index.Add(source[j]);
            start[j + 1] = index.Count;
        }
        var weight = new double[index.Count];
        Array.Fill(weight, 1.0);
        return new AxisMap(input, source.Length, start, [.. index], weight);
    }

    /// <summary>A map with <paramref name="taps"/> entries per output, row-major in <paramref name="index"/> and
    /// <paramref name="weight"/>.</summary>
    internal static AxisMap Dense(int input, int output, int taps, int[] index, double[] weight)
    {
        var start = new int[output + 1];
        for (int j = 0; j <= output; j++) start[j] = j * taps;
        return new AxisMap(input, output, start, index, weight);
    }

    /// <summary>The transpose: In and Out swapped, each entry moved to the row of its input position, rows in
    /// increasing order of the output position they came from.</summary>
    internal AxisMap Transposed()
    {
        var start = new int[In + 1];
        foreach (var i in Index) start[i + 1]++;
        for (int i = 0; i < In; i++) start[i + 1] += start[i];
        var next = (int[])start[..In].Clone();
        var index = new int[Index.Length];
        var weight = new double[Index.Length];
        for (int j = 0; j < Out; j++)
            for (int e = Start[j]; e < Start[j + 1]; e++)
            {
                int at = next[Index[e]]++;
                index[at] = j;
                weight[at] = Weight[e];
            }
        return new AxisMap(Out, In, start, index, weight);
    }

    /// <summary>Whether two maps compute the same function (for a compiled program's shared steps).</summary>
    internal bool SameAs(AxisMap other) =>
        In == other.In && Out == other.Out && Start.AsSpan().SequenceEqual(other.Start)
        && Index.AsSpan().SequenceEqual(other.Index) && Weight.AsSpan().SequenceEqual(other.Weight);

    internal int Hash() => HashCode.Combine(In, Out, Index.Length, Index.Length > 0 ? Index[^1] : 0);

    /// <summary>Elements below which a map runs on the calling thread alone.</summary>
    private const long ParallelElements = 1 << 15;

    /// <summary>
    /// y[o, j, i] = Σ_e w_e · x[o, Index[e], i] for x [outer, In, inner] and y [outer, Out, inner]. Each output
    /// element is one product then one add per further entry, never fused, in entry order: the same bits at every
    /// vector width and on any number of threads.
    /// </summary>
    internal void Apply<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int inner) where T : unmanaged, INumber<T>
    {
        var w = new T[Weight.Length];
        for (int e = 0; e < w.Length; e++) w[e] = T.CreateTruncating(Weight[e]);
        long total = (long)outer * Out * inner;
        int parts = total < ParallelElements || Environment.ProcessorCount == 1 ? 1
            : (int)Math.Min(Environment.ProcessorCount, (long)outer * Out);
        if (parts <= 1)
        {
            Rows(x, y, w, inner, 0, outer * Out);
            return;
        }
        unsafe
        {
            fixed (T* px = x, py = y)
            {
                nint ax = (nint)px, ay = (nint)py;
                int lx = x.Length, ly = y.Length, rows = outer * Out;
                Workers.For(parts, p =>
                {
                    var xs = new ReadOnlySpan<T>((T*)ax, lx);
                    var ys = new Span<T>((T*)ay, ly);
                    Rows(xs, ys, w, inner, (int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts));
                });
            }
        }
    }

    /// <summary>Output rows [lo, hi) of the flattened (outer, Out) grid.</summary>
    private void Rows<T>(ReadOnlySpan<T> x, Span<T> y, T[] w, int inner, int lo, int hi)
        where T : unmanaged, INumber<T>
    {
        for (int r = lo; r < hi; r++)
        {
            int o = r / Out, j = r - o * Out;
            var dst = y.Slice(r * inner, inner);
            int e0 = Start[j], e1 = Start[j + 1];
            if (e0 == e1)
            {
                dst.Clear();
                continue;
            }
            long plane = (long)o * In * inner;
            if (inner == 1)
            {
                T s = w[e0] * x[(int)(plane + Index[e0])];
                for (int e = e0 + 1; e < e1; e++) s += w[e] * x[(int)(plane + Index[e])];
                dst[0] = s;
                continue;
            }
            Scaled(x.Slice((int)(plane + (long)Index[e0] * inner), inner), w[e0], dst);
            for (int e = e0 + 1; e < e1; e++)
                AddScaled(x.Slice((int)(plane + (long)Index[e] * inner), inner), w[e], dst);
        }
    }

    private static void Scaled<T>(ReadOnlySpan<T> a, T w, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<T>.Count)
        {
            var vw = new Vector<T>(w);
            for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                (vw * new Vector<T>(a[i..])).CopyTo(d[i..]);
        }
        for (; i < a.Length; i++) d[i] = w * a[i];
    }

    private static void AddScaled<T>(ReadOnlySpan<T> a, T w, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<T>.Count)
        {
            var vw = new Vector<T>(w);
            for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(d[i..]) + vw * new Vector<T>(a[i..])).CopyTo(d[i..]);
        }
        for (; i < a.Length; i++) d[i] += w * a[i];
    }
}
