namespace FuncGrad;

/// <summary>Shape arithmetic shared by every op: element counts, broadcasting, axes.</summary>
internal static class Shapes
{
    internal static readonly int[] Scalar = [];

    /// <summary>"[2x3]" for a matrix, "[]" for a scalar: the form every error message uses.</summary>
    internal static string Show(ReadOnlySpan<int> shape) => "[" + string.Join("x", shape.ToArray()) + "]";

    internal static string Show(Tensor t) => Show(t.shape) + " " + t.DType.Name();

    internal static int Count(ReadOnlySpan<int> shape, string op)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                throw new ShapeMismatchException(
                    $"{op}: shape {Show(shape)} has a negative dimension; every dimension must be 0 or more");
            n *= d;
            if (n > Array.MaxLength)
                throw new TensorSizeOverflowException(
                    $"{op}: shape {Show(shape)} holds more than {Array.MaxLength} elements, " +
                    "more than one .NET array can store; use smaller dimensions");
        }
        return (int)n;
    }

    internal static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    internal static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>NumPy broadcasting: align trailing dimensions; each pair must match or contain a 1.</summary>
    internal static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (Same(a, b)) return a;
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException(
                    $"{op}: cannot broadcast {Show(a)} with {Show(b)}: " +
                    $"dimension {da} and {db} differ and neither is 1; " +
                    "reshape or unsqueeze one operand so trailing dimensions match");
            r[i] = da == 1 ? db : da;
        }
        if (Same(r, a)) return a;
        if (Same(r, b)) return b;
        return r;
    }

    /// <summary>An axis of a tensor of <paramref name="shape"/>, negative counting from the end, checked and
    /// normalised.</summary>
    internal static int Axis(int axis, int[] shape, string op) => Axis(axis, shape.Length, op, shape);

    /// <summary>An axis among <paramref name="rank"/> positions (for ops that insert one: rank + 1), checked and
    /// normalised.</summary>
    internal static int Axis(int axis, int rank, string op, int[]? shape = null)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new AxisOutOfRangeException(
                $"{op}: axis {axis} is out of range for {(shape is null ? "a tensor" : "shape " + Show(shape))} " +
                $"of rank {rank}; use an axis in [{-rank}, {rank - 1}]");
        return a;
    }

    /// <summary>Normalised, sorted, distinct axes of a tensor of <paramref name="shape"/>; <c>null</c> means every
    /// axis.</summary>
    internal static int[] Axes(int[]? axes, int[] shape, string op)
    {
        int rank = shape.Length;
        if (axes is null) { var all = new int[rank]; for (int i = 0; i < rank; i++) all[i] = i; return all; }
        var r = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) r[i] = Axis(axes[i], shape, op);
        Array.Sort(r);
        for (int i = 1; i < r.Length; i++)
            if (r[i] == r[i - 1])
                throw new AxisOutOfRangeException(
                    $"{op}: axis {r[i]} is given twice in [{string.Join(", ", axes)}]; list each axis once");
        return r;
    }

    /// <summary>The shape after reducing <paramref name="axes"/> (sorted, normalised).</summary>
    internal static int[] Reduced(int[] shape, int[] axes, bool keepDims)
    {
        if (axes.Length == 0) return shape;
        var r = new List<int>(shape.Length);
        for (int i = 0; i < shape.Length; i++)
        {
            bool reduced = Array.IndexOf(axes, i) >= 0;
            if (!reduced) r.Add(shape[i]);
            else if (keepDims) r.Add(1);
        }
        return r.Count == 0 ? Scalar : r.ToArray();
    }
}
