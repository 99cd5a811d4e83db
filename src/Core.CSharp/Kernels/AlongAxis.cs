using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuncGrad.Kernels;

/// <summary>
/// Where an index tensor points in a data tensor along one axis, as gather and scatter read it: the index (and a
/// source of its shape) viewed as rows of its last axis, and for each row the data offset of its first element with
/// the indexed axis left out. Element j of row r, holding index v, is data element <c>Base[r] + v·Stride + j</c> (j
/// left out where the indexed axis is the last).
/// </summary>
internal sealed class AxisGeometry
{
    internal readonly int[] IndexShape;
    internal readonly int Axis, N, Stride, Rows, Len;
    internal readonly bool Last;
    internal readonly int[] Base;
    /// <summary>Rows per step of the index's axis 0 (rows with one axis-0 coordinate are consecutive).</summary>
    internal readonly int RowsPerLead;

    internal AxisGeometry(int[] indexShape, int axis, int[] dataShape)
    {
        IndexShape = indexShape;
        Axis = axis;
        N = dataShape[axis];
        var strides = Shapes.Strides(dataShape);
        Stride = strides[axis];
        int rank = indexShape.Length;
        Last = axis == rank - 1;
        Len = indexShape[rank - 1];
        Rows = 1;
        for (int a = 0; a < rank - 1; a++) Rows *= indexShape[a];
        RowsPerLead = rank == 1 ? 1 : Rows / Math.Max(1, indexShape[0]);
        Base = new int[Rows];
        var at = new int[rank];
        int offset = 0;
        for (int r = 0; r < Rows; r++)
        {
            Base[r] = offset;
            for (int a = rank - 2; a >= 0; a--) // odometer over the index's outer axes
            {
                int step = a == axis ? 0 : strides[a];
                offset += step;
                if (++at[a] < indexShape[a]) break;
                offset -= step * indexShape[a];
                at[a] = 0;
            }
        }
    }

    /// <summary>The data offset of element j of row r that holds index v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int At(int r, int j, long v) => Base[r] + (int)v * Stride + (Last ? 0 : j);

    /// <summary>The index's position p as a multi-index past the first <paramref name="lead"/> axes (a batch's), for
    /// error messages.</summary>
    internal string Position(int p, int lead)
    {
        var at = new int[IndexShape.Length];
        for (int a = IndexShape.Length - 1; a >= 0; a--) { at[a] = p % IndexShape[a]; p /= IndexShape[a]; }
        return "[" + string.Join(", ", at[lead..]) + "]";
    }
}

/// <summary>
/// How an along-axis op names itself and its data in errors: the public op, the data ("the input"), and how many batch
/// axes vmap's rules put in front (an error then names one example's axis and shape).
/// </summary>
internal sealed record AxisNames(string Op, string Noun = "the input", int Lead = 0)
{
    internal static readonly AxisNames Gather = new("gather"), Scatter = new("scatter"),
        ScatterAdd = new("scatterAdd"), ScatterReduce = new("scatterReduce");

    /// <summary>The names of this op with one more batch axis in front.</summary>
    internal AxisNames Batched => this with { Lead = Lead + 1 };
}

/// <summary>
/// Gather, scatter, scatter-add and scatter-reduce: an index tensor reads or writes a data tensor along one axis (see
/// <see cref="AxisGeometry"/>). Indices must lie in [0, n): an index out of range stops the kernel, and the first one
/// in row-major order is reported. Writes to one element happen in the row-major order of the index, whatever the
/// threads: parts never share an output element (they split the index's axis 0 where the indexed axis is another,
/// else its last axis), so a scatter's last write wins and a sum adds in one order, run after run.
/// </summary>
internal static class AlongAxis
{
    /// <summary>Elements per part below which a loop stays on one thread.</summary>
    private const int Grain = 32768;

    private static int Parts(long work, int most) =>
        work < 2 * Grain ? 1 : (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, most), work / Grain));

    private static (int From, int To) Share(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    /// <summary>The index array of an int64 or int32 tensor, as int64 (int32 indices are widened, a copy).</summary>
    internal static long[] Indices(Tensor index) =>
        index.DType == DType.Int64 ? index.Buffer<long>() : Cast.To<long>(index, "index");

    /// <summary>y (the index's shape) = x at the index along the axis.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gather<T>(T[] x, long[] index, AxisGeometry g, T[] y, AxisNames names, int[] dataShape,
        DType dtype)
    {
        int parts = Parts((long)g.Rows * g.Len, g.Rows);
        bool bad = false;
        void Part(int part)
        {
            var (r0, r1) = Share(g.Rows, parts, part);
            if (!GatherRows(x, index, g, y, r0, r1)) bad = true;
        }
        if (parts == 1) Part(0);
        else Workers.For(parts, Part);
        if (bad) throw OutOfRange(index, g, names, dataShape, dtype);
    }

    /// <summary>Gathers rows [r0, r1); false at an index out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool GatherRows<T>(T[] x, long[] index, AxisGeometry g, T[] y, int r0, int r1)
    {
        int len = g.Len, stride = g.Stride;
        ulong n = (ulong)g.N;
        ref T x0 = ref MemoryMarshal.GetArrayDataReference(x);
        ref T y0 = ref MemoryMarshal.GetArrayDataReference(y);
        ref long i0 = ref MemoryMarshal.GetArrayDataReference(index);
        var bases = g.Base;
        for (int r = r0; r < r1; r++)
        {
            int row = r * len;
            // bounds: every index is checked against n, and the geometry keeps base + v·stride + j inside x
            ref T src = ref Unsafe.Add(ref x0, bases[r]);
            ref T dst = ref Unsafe.Add(ref y0, row);
            ref long ix = ref Unsafe.Add(ref i0, row);
            if (g.Last)
            {
                int j = 0;
                for (; j + 4 <= len; j += 4) // four independent loads in flight
                {
                    long v0 = Unsafe.Add(ref ix, j), v1 = Unsafe.Add(ref ix, j + 1);
                    long v2 = Unsafe.Add(ref ix, j + 2), v3 = Unsafe.Add(ref ix, j + 3);
                    if (((ulong)v0 >= n) | ((ulong)v1 >= n) | ((ulong)v2 >= n) | ((ulong)v3 >= n)) return false;
                    Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, (nint)v0);
                    Unsafe.Add(ref dst, j + 1) = Unsafe.Add(ref src, (nint)v1);
                    Unsafe.Add(ref dst, j + 2) = Unsafe.Add(ref src, (nint)v2);
                    Unsafe.Add(ref dst, j + 3) = Unsafe.Add(ref src, (nint)v3);
                }
                for (; j < len; j++)
                {
                    long v = Unsafe.Add(ref ix, j);
                    if ((ulong)v >= n) return false;
                    Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, (nint)v);
                }
            }
            else
                for (int j = 0; j < len; j++)
                {
                    long v = Unsafe.Add(ref ix, j);
                    if ((ulong)v >= n) return false;
                    Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, (nint)v * stride + j);
                }
        }
        return true;
    }

    /// <summary>The parts of a write loop, and whether they split the rows (by axis-0 blocks) or the columns.</summary>
    private static (int Parts, bool ByRows) WriteParts(AxisGeometry g)
    {
        long work = (long)g.Rows * g.Len;
        int rank = g.IndexShape.Length;
        if (rank >= 2 && g.Axis != 0) return (Parts(work, g.IndexShape[0]), true);
        if (rank >= 2) return (Parts(work, g.Len), false);
        return (1, true);
    }

    /// <summary>The (rows, columns) of one part of a write loop.</summary>
    private static (int R0, int R1, int J0, int J1) Block(AxisGeometry g, int parts, bool byRows, int part)
    {
        if (parts == 1) return (0, g.Rows, 0, g.Len);
        if (byRows)
        {
            var (a, b) = Share(g.IndexShape[0], parts, part);
            return (a * g.RowsPerLead, b * g.RowsPerLead, 0, g.Len);
        }
        var (j0, j1) = Share(g.Len, parts, part);
        return (0, g.Rows, j0, j1);
    }

    /// <summary>y (holding the data) with the source written at the index; of two writes to one element the later in
    /// row-major order of the index wins.</summary>
    internal static void Scatter<T>(T[] y, long[] index, AxisGeometry g, T[] src, AxisNames names, int[] dataShape,
        DType dtype) => Write<T, Assign<T>>(y, index, g, src, names, dataShape, dtype);

    /// <summary>y (holding the data, or zeros) plus the source added at the index, each element's terms in row-major
    /// order of the index.</summary>
    /// <remarks>With <paramref name="clear"/>, y starts as zeros: each part clears the rows it writes just before
    /// writing them, while they are in its cache, rather than all of y in a pass of its own.</remarks>
    internal static void ScatterAdd<T>(T[] y, long[] index, AxisGeometry g, T[] src, AxisNames names, int[] dataShape,
        DType dtype, bool clear = false) where T : unmanaged, INumberBase<T> =>
        Write<T, Add<T>>(y, index, g, src, names, dataShape, dtype, clear);

    /// <summary>How a scatter writes one source element into its target.</summary>
    private interface IWrite<T>
    {
        static abstract void To(ref T target, T value);
    }

    private readonly struct Assign<T> : IWrite<T>
    {
        public static void To(ref T target, T value) => target = value;
    }

    private readonly struct Add<T> : IWrite<T> where T : INumberBase<T>
    {
        public static void To(ref T target, T value) => target += value;
    }

    private static void Write<T, TWrite>(T[] y, long[] index, AxisGeometry g, T[] src, AxisNames names,
        int[] dataShape, DType dtype, bool clear = false) where TWrite : struct, IWrite<T>
    {
        var (parts, byRows) = WriteParts(g);
        // parts that split the index's axis 0 (not the indexed one) own the same block of y's axis 0
        bool clearOwn = clear && parts > 1 && byRows;
        if (clear && !clearOwn) y.AsSpan().Clear();
        int lead = clearOwn ? y.Length / dataShape[0] : 0;
        bool bad = false;
        void Part(int part)
        {
            var (r0, r1, j0, j1) = Block(g, parts, byRows, part);
            if (clearOwn)
            {
                var (a, b) = Share(g.IndexShape[0], parts, part);
                y.AsSpan(a * lead, (b - a) * lead).Clear();
            }
            if (!WriteRows<T, TWrite>(y, index, g, src, r0, r1, j0, j1)) bad = true;
        }
        if (parts == 1) Part(0);
        else Workers.For(parts, Part);
        if (bad) throw OutOfRange(index, g, names, dataShape, dtype);
    }

    /// <summary>Writes columns [j0, j1) of rows [r0, r1); false at an index out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool WriteRows<T, TWrite>(T[] y, long[] index, AxisGeometry g, T[] src, int r0, int r1, int j0,
        int j1) where TWrite : struct, IWrite<T>
    {
        int len = g.Len;
        nint stride = g.Last ? 0 : g.Stride;
        ulong n = (ulong)g.N;
        ref T y0 = ref MemoryMarshal.GetArrayDataReference(y);
        ref T s0 = ref MemoryMarshal.GetArrayDataReference(src);
        ref long i0 = ref MemoryMarshal.GetArrayDataReference(index);
        var bases = g.Base;
        if (g.Last)
            for (int r = r0; r < r1; r++)
            {
                // bounds: every index is checked against n, and the geometry keeps base + v·stride + j inside y
                ref T dst = ref Unsafe.Add(ref y0, bases[r]);
                int row = r * len;
                for (int j = j0; j < j1; j++)
                {
                    long v = Unsafe.Add(ref i0, row + j);
                    if ((ulong)v >= n) return false;
                    TWrite.To(ref Unsafe.Add(ref dst, (nint)v), Unsafe.Add(ref s0, row + j));
                }
            }
        else
            for (int r = r0; r < r1; r++)
            {
                ref T dst = ref Unsafe.Add(ref y0, bases[r]);
                int row = r * len;
                for (int j = j0; j < j1; j++)
                {
                    long v = Unsafe.Add(ref i0, row + j);
                    if ((ulong)v >= n) return false;
                    TWrite.To(ref Unsafe.Add(ref dst, (nint)v * stride + j), Unsafe.Add(ref s0, row + j));
                }
            }
        return true;
    }

    /// <summary>
    /// y (holding the data) reduced with the source at the index: "sum", "prod", "mean", "amax" or "amin", the data's
    /// own element included or not. Elements no index reaches keep the data's value; a mean divides by the number of
    /// terms; amax and amin propagate NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ScatterReduce<T>(T[] y, long[] index, AxisGeometry g, T[] src, string reduce,
        bool includeSelf, AxisNames names, int[] dataShape, DType dtype) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = new int[y.Length];
        var (parts, byRows) = WriteParts(g);
        bool bad = false;
        int mode = reduce switch { "sum" or "mean" => 0, "prod" => 1, "amax" => 2, _ => 3 };
        void Part(int part)
        {
            var (r0, r1, j0, j1) = Block(g, parts, byRows, part);
            ulong n = (ulong)g.N;
            for (int r = r0; r < r1; r++)
            {
                int row = r * g.Len;
                for (int j = j0; j < j1; j++)
                {
                    long v = index[row + j];
                    if ((ulong)v >= n) { bad = true; return; }
                    int at = g.At(r, j, v);
                    T s = src[row + j];
                    if (!includeSelf && count[at] == 0) y[at] = s;
                    else
                        y[at] = mode switch
                        {
                            0 => y[at] + s,
                            1 => y[at] * s,
                            2 => T.Max(y[at], s),
                            _ => T.Min(y[at], s),
                        };
                    count[at]++;
                }
            }
        }
        if (parts == 1) Part(0);
        else Workers.For(parts, Part);
        if (bad) throw OutOfRange(index, g, names, dataShape, dtype);
        if (reduce != "mean") return;
        for (int i = 0; i < y.Length; i++)
            if (count[i] > 0) y[i] /= T.CreateTruncating(count[i] + (includeSelf ? 1 : 0));
    }

    /// <summary>The error for the first index out of range, in row-major order, in one example's terms.</summary>
    private static ArgumentOutOfRangeException OutOfRange(long[] index, AxisGeometry g, AxisNames names,
        int[] dataShape, DType dtype)
    {
        int p = 0;
        while (p < index.Length && (ulong)index[p] < (ulong)g.N) p++;
        long v = index[p];
        int lead = names.Lead;
        string at = g.Position(p, lead), op = names.Op;
        string data = $"{names.Noun} {Shapes.Show(dataShape.AsSpan(lead))} {dtype.Name()}"
            + (lead > 0 ? " (one example's)" : "");
        return new ArgumentOutOfRangeException("index",
            $"{op}: index {v} at position {at} of the index {Shapes.Show(g.IndexShape.AsSpan(lead))} is out of range "
            + $"for axis {g.Axis - lead} of size {g.N} of {data}; indices must be in [0, {g.N - 1}]"
            + (v < 0 ? $" ({op} does not count negative indices from the end, as in PyTorch)" : ""));
    }
}
