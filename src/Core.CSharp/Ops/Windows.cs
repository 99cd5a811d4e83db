namespace FuncGrad;

/// <summary>
/// The arguments of the sliding-window ops (convolutions, pooling, folding): per-axis values given as PyTorch takes
/// them (null for the default, one value for every spatial axis, or one per axis), the input's rank with or without
/// its batch axis, and each output size, checked with messages that name the op, the shapes and the rule broken.
/// </summary>
internal static class Windows
{
    /// <summary>
    /// <paramref name="values"/> expanded to <paramref name="axes"/> spatial axes: null gives
    /// <paramref name="fallback"/> on every axis, one element applies to every axis, otherwise exactly one per axis.
    /// </summary>
    internal static int[] PerAxis(int[]? values, int axes, int fallback, string op, string name)
    {
        if (values is null) return Filled(axes, fallback);
        if (values.Length == 1) return Filled(axes, values[0]);
        if (values.Length != axes)
            throw new ArgumentException(
                $"{op}: {name} has {values.Length} values ({Show(values)}) for {axes} spatial axes; give one value for "
                + $"every axis or exactly {axes}", name);
        return (int[])values.Clone();
    }

    /// <summary><see cref="PerAxis(int[], int, int, string, string)"/>, each value at least
    /// <paramref name="least"/> (1 for kernel sizes, strides and dilations, 0 for paddings).</summary>
    internal static int[] PerAxis(int[]? values, int axes, int fallback, string op, string name, int least)
    {
        var v = PerAxis(values, axes, fallback, op, name);
        foreach (var e in v)
            if (e < least)
                throw new ArgumentOutOfRangeException(name,
                    $"{op}: {name} is {Show(v)}; every value must be "
                    + (least == 0 ? "0 or more" : $"at least {least}"));
        return v;
    }

    /// <summary>
    /// Whether <paramref name="x"/> has its batch axis (rank <paramref name="axes"/> + 2: [N, C, spatial…]) or not
    /// (rank <paramref name="axes"/> + 1: [C, spatial…], which the op treats as a batch of one); any other rank is
    /// an error that names the layout expected.
    /// </summary>
    internal static bool Batched(Tensor x, int axes, string op)
    {
        if (x.Rank == axes + 2) return true;
        if (x.Rank == axes + 1) return false;
        throw new RankException(
            $"{op}: the input is {Shapes.Show(x)}, rank {x.Rank}; it takes [N, C, {Spatial(axes)}] (rank {axes + 2}) "
            + $"or [C, {Spatial(axes)}] (rank {axes + 1})");
    }

    /// <summary>
    /// The output length along one axis of a window of <paramref name="kernel"/> taps <paramref name="dilation"/>
    /// apart, moved <paramref name="stride"/> at a time over <paramref name="input"/> elements padded by
    /// <paramref name="padding"/> in all: ⌊(input + padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 (rounded up
    /// with <paramref name="ceil"/>, as long as the last window starts inside the input or its leading padding
    /// <paramref name="lead"/>, PyTorch's pooling rule). An error when it is less than 1.
    /// </summary>
    internal static int OutputSize(int input, int kernel, int stride, int padding, int dilation, string op, int axis,
        bool ceil = false, int lead = 0)
    {
        long span = (long)dilation * (kernel - 1) + 1;
        long room = input + (long)padding - span;
        long n = room < 0 ? 0 : (ceil ? (room + stride - 1) / stride : room / stride) + 1;
        if (ceil && n > 1 && (n - 1) * stride >= input + (long)lead) n--;
        if (n < 1)
            throw new ShapeMismatchException(
                $"{op}: spatial axis {axis} has {input} elements{(padding > 0 ? $" ({input + padding} padded)" : "")}, "
                + $"fewer than the window spans ({kernel} taps{(dilation > 1 ? $" dilated by {dilation}" : "")} = "
                + $"{span}); pad the input or use a smaller kernel or dilation");
        return (int)n;
    }

    /// <summary>"H, W" for two spatial axes: the names of the axes in error messages.</summary>
    internal static string Spatial(int axes) => axes switch
    {
        1 => "L",
        2 => "H, W",
        3 => "D, H, W",
        _ => string.Join(", ", Enumerable.Range(0, axes).Select(i => $"S{i}")),
    };

    /// <summary>"[1, 2]": per-axis values as messages show them.</summary>
    internal static string Show(int[] values) => "[" + string.Join(", ", values) + "]";

    private static int[] Filled(int n, int value)
    {
        var v = new int[n];
        Array.Fill(v, value);
        return v;
    }
}
