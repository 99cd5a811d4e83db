namespace FuncGrad;

// Quantiles, composed of a sort and gathers at positions computed with ops, so every transformation runs them and the
// gradient goes to the one or two sorted elements each quantile interpolates between.
public sealed partial class Tensor
{
    private static readonly string[] interpolations = ["linear", "lower", "higher", "midpoint", "nearest"];

    /// <summary>
    /// The <paramref name="q"/>-quantile (0 ≤ q ≤ 1) of all elements, or along <paramref name="dim"/>: the value at
    /// position q·(n − 1) of the sorted line, by <paramref name="interpolation"/>. NaN where the line has a NaN.
    /// </summary>
    /// <remarks>Interpolations as PyTorch's: "linear", "lower", "higher", "midpoint" or "nearest" (half to even). The
    /// gradient goes to the sorted elements interpolated between (with weights 1 − f and f for linear,
    /// ½ each for midpoint). With <paramref name="dim"/> null and <paramref name="keepDim"/> every axis is kept as
    /// size 1.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0]).Quantile(0.5) // tensor(2.5000, dtype=float64)
    /// </code></example>
    [Peers("torch.quantile", "jnp.quantile", "", Composed = true,
        Notes = "q a number or a 1-D tensor (its values are read); five interpolations")]
    public Tensor Quantile(double q, int? dim = null, bool keepDim = false, string interpolation = "linear") =>
        Quantiles([q], null, dim, keepDim, interpolation, ignoreNan: false, "quantile");

    /// <summary>The quantiles at each of <paramref name="q"/> (a 0-D or 1-D float tensor, its values read), stacked
    /// along a new first axis for a 1-D q, as PyTorch's.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0]).Quantile(Tensor.FromArray([0.0, 1.0])) // tensor([1., 3.], dtype=float64)
    /// </code></example>
    public Tensor Quantile(Tensor q, int? dim = null, bool keepDim = false, string interpolation = "linear") =>
        Quantiles(QValues(q, "quantile"), q.Rank, dim, keepDim, interpolation, ignoreNan: false, "quantile");

    /// <summary>As <see cref="Quantile(double, int?, bool, string)"/>, ignoring NaN: the quantile of each line's other
    /// elements, NaN only where all are NaN, as PyTorch's nanquantile.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NaN, 3.0]).Nanquantile(0.5) // tensor(2., dtype=float64)
    /// </code></example>
    [Peers("torch.nanquantile", "jnp.nanquantile", "", Composed = true, Notes = "as quantile, NaN ignored")]
    public Tensor Nanquantile(double q, int? dim = null, bool keepDim = false, string interpolation = "linear") =>
        Quantiles([q], null, dim, keepDim, interpolation, ignoreNan: true, "nanquantile");

    /// <summary>The NaN-ignoring quantiles at each of <paramref name="q"/> (a 0-D or 1-D float tensor, its values
    /// read), stacked along a new first axis for a 1-D q.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NaN, 3.0]).Nanquantile(Tensor.FromArray([0.0, 1.0])) // tensor([1., 3.], ...)
    /// </code></example>
    public Tensor Nanquantile(Tensor q, int? dim = null, bool keepDim = false, string interpolation = "linear") =>
        Quantiles(QValues(q, "nanquantile"), q.Rank, dim, keepDim, interpolation, ignoreNan: true, "nanquantile");

    private static double[] QValues(Tensor q, string op)
    {
        Guard.NotNull(q);
        if (q.Rank > 1 || !q.DType.IsFloat())
            throw new ShapeMismatchException($"{op}: q must be a number or a 0-D or 1-D float tensor, but it is "
                + $"{Shapes.Show(q)}; pass q.Reshape([-1]) for several, converted with ToDType(DType.Float64)");
        return q.ToArray();
    }

    private Tensor Quantiles(double[] qs, int? qRank, int? dim, bool keepDim, string interpolation, bool ignoreNan,
        string op)
    {
        Guard.NotNull(interpolation);
        if (Array.IndexOf(interpolations, interpolation) < 0)
            throw new ArgumentException($"{op}: interpolation \"{interpolation}\" is not one of "
                + string.Join(", ", interpolations), nameof(interpolation));
        foreach (var q in qs)
            if (!(q >= 0 && q <= 1))
                throw new ArgumentOutOfRangeException(nameof(qs), $"{op}: q = {q} is outside [0, 1]; pass quantiles "
                    + "as fractions (0.5 for the median)");
        if (!DType.IsFloat())
            throw new DTypeMismatchException($"{op}: computes with floating-point tensors, but x is "
                + $"{Shapes.Show(this)};"
                + " convert it with ToDType(DType.Float64) or ToDType(DType.Float32) first");
        var x = dim is null ? Reshape([-1]) : this;
        int ax = dim is null ? 0 : Shapes.Axis(dim.Value, shape, op);
        if (x.shape[ax] == 0)
            throw new EmptyTensorException($"{op}: axis {ax} of {Shapes.Show(x)} is empty; {op} needs at least one "
                + "element per line");
        var sorted = x.Sort(ax).Values; // NaN last
        var valid = x.IsNan().LogicalNot().CountNonzero([ax], keepDims: true).ToDType(DType);
        var n = ignoreNan ? valid : Beside(valid.Const(x.shape[ax]), valid).BroadcastTo(valid.shape);
        var empty = n.Eq(n.Const(0));
        var last = Where(empty, n.Const(0), n - 1); // the position of the last (non-NaN) element
        var nan = Where(ignoreNan ? empty : valid.Lt(n), sorted.Const(double.NaN), sorted.Const(0));
        var results = new Tensor[qs.Length];
        for (int i = 0; i < qs.Length; i++)
        {
            var r = Interpolated(sorted, last * qs[i], ax, interpolation) + nan;
            results[i] = keepDim ? (dim is null ? r.Reshape([.. shape.Select(_ => 1)]) : r) : r.Squeeze(ax);
        }
        return qRank is 1 ? Stack(results, 0) : results[0];
    }

    /// <summary>The sorted line's value at fractional positions <paramref name="pos"/> (≥ 0, held constant), by
    /// the interpolation given.</summary>
    private static Tensor Interpolated(Tensor sorted, Tensor pos, int ax, string interpolation)
    {
        var lo = pos.ToDType(DType.Int64).ToDType(pos.DType); // pos ≥ 0: truncation is the floor
        var f = pos - lo;
        var hi = Where(f.Gt(f.Const(0)), lo + 1, lo);
        Tensor Take(Tensor at) => sorted.Gather(ax, at.ToDType(DType.Int64));
        switch (interpolation)
        {
            case "lower": return Take(lo);
            case "higher": return Take(hi);
            case "midpoint": return (Take(lo) + Take(hi)) * 0.5;
            case "nearest":
                // half to even, as PyTorch's round: at f = ½ the even one of lo and hi
                var half = lo * 0.5;
                var loEven = half.ToDType(DType.Int64).ToDType(pos.DType).Eq(half);
                var up = Where(f.Eq(f.Const(0.5)), loEven.LogicalNot(), f.Gt(f.Const(0.5)));
                return Take(Where(up, hi, lo));
            default:
                var a = Take(lo);
                return a + (Take(hi) - a) * f;
        }
    }
}
