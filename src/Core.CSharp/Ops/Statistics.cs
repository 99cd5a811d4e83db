using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Statistics over axes: variance (one fused two-pass kernel per line) and what is composed of it or of the other
// reductions: standard deviation, the NaN-ignoring sum and mean, norms and quantiles.
public sealed partial class Tensor
{
    /// <summary>
    /// Σ(x − mean)² / (n − correction) over axes. The kernel moves the reduced axes last (a copy unless they already
    /// are), then, per line, takes the mean and the sum of squared deviations from it: two passes, each summed in one
    /// order fixed by the line's length, so a line's bits do not depend on where it sits or on the thread count.
    /// </summary>
    private sealed class VarOp(int[] axes, double correction, bool keepDims) : Op
    {
        public override string Name => "Var";
        internal override object Identity => ("Var", string.Join(",", axes), correction, keepDims);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
            b.Statistics("Var", x[0], axes, correction, keepDims) ?? Composed(x[0]);
        public override Tensor Compute(Tensor[] x) => x[0].DType == DType.Float64
            ? VarCompute<double>(x[0], axes, correction, keepDims)
            : VarCompute<float>(x[0], axes, correction, keepDims);
        private Tensor Composed(Tensor x)
        {
            var d = x - x.Mean(axes, keepDims: true);
            return (d * d).Sum(axes, keepDims) / Dof(x, axes, correction);
        }
        /// <summary>∂var/∂x = 2(x − mean)/(n − correction), the mean's own dependence on x summing to 0.</summary>
        private Tensor Slope(Tensor x) => (x - x.Mean(axes, keepDims: true)) * (2 / Dof(x, axes, correction));
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0], axes) * Slope(x[0])];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => (dx[0]! * Slope(x[0])).Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, (v, a, k) => Op.Apply(new VarOp(a, correction, k), v));
    }

    /// <summary>n − correction, the divisor of the variance; 0 or less gives inf or NaN, as PyTorch's.</summary>
    private static double Dof(Tensor x, int[] axes, double correction)
    {
        long n = 1;
        foreach (var a in axes) n *= x.shape[a];
        return Math.Max(0, n - correction);
    }

    private static Tensor VarCompute<T>(Tensor x, int[] axes, double correction, bool keepDims)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Shapes.Reduced(x.shape, axes, keepDims);
        int n = 1;
        foreach (var a in axes) n *= x.shape[a];
        int rank = x.Rank;
        bool trailing = true;
        for (int i = 0; i < axes.Length; i++) trailing &= axes[i] == rank - axes.Length + i;
        var lines = trailing ? x
            : x.Permute([.. Enumerable.Range(0, rank).Where(a => Array.IndexOf(axes, a) < 0), .. axes]);
        var src = lines.Buffer<T>();
        int rows = Shapes.Count(shape, "var");
        var d = new T[rows];
        T count = T.CreateChecked(n), dof = T.CreateChecked(Dof(x, axes, correction));
        void Lines(int lo, int hi)
        {
            var dev = new T[n];
            for (int r = lo; r < hi; r++)
            {
                var line = new ReadOnlySpan<T>(src, r * n, n);
                var mean = TensorPrimitives.Sum(line) / count;
                TensorPrimitives.Subtract(line, mean, dev);
                d[r] = TensorPrimitives.SumOfSquares<T>(dev) / dof;
            }
        }
        int parts = (long)rows * n < 1 << 16 ? 1 : Math.Min(rows, Environment.ProcessorCount);
        Workers.For(parts, p => Lines((int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts)));
        GC.KeepAlive(lines);
        return Plain(shape, d);
    }

    private int[] FloatAxes(int[]? axes, string op)
    {
        if (!DType.IsFloat())
            throw new DTypeMismatchException($"{op}: computes with floating-point tensors, but x is "
                + $"{Shapes.Show(this)};"
                + " convert it with ToDType(DType.Float64) or ToDType(DType.Float32) first");
        return NonEmptyAxes(axes, op);
    }

    /// <summary>The variance Σ(x − mean)² / (n − <paramref name="correction"/>) of all elements, or over
    /// <paramref name="axes"/>; correction 1 (the default, PyTorch's) is the unbiased sample variance, 0 the
    /// population's.</summary>
    /// <remarks>One fused two-pass kernel per line, the reduced axes moved last first (a copy unless they are the
    /// trailing ones), so the bits are the same whatever the layout, under vmap too. n − correction ≤ 0 gives inf
    /// (or NaN for a constant line), as PyTorch's. An empty reduction is an
    /// <see cref="EmptyTensorException"/>.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 2.0, 3.0, 4.0]).Var() // tensor(1.6667, dtype=float64)</code></example>
    [Peers("torch.var", "jnp.var", "dsharp.var", Notes = "correction as PyTorch's (default 1; JAX's ddof, default 0)")]
    public Tensor Var(int[]? axes = null, double correction = 1, bool keepDims = false) =>
        Op.Apply(new VarOp(FloatAxes(axes, "var"), correction, keepDims), this);

    /// <summary>The standard deviation √<see cref="Var"/> of all elements, or over <paramref name="axes"/>, with
    /// <paramref name="correction"/> (default 1, as PyTorch's).</summary>
    /// <remarks>Where every element of a line is equal the value is 0 and its gradient NaN (√ at 0), as PyTorch's.
    /// </remarks>
    /// <example><code>Tensor.FromArray([1.0, 3.0]).Std() // tensor(1.4142, dtype=float64)</code></example>
    [Peers("torch.std", "jnp.std", "dsharp.std", Composed = true, Notes = "correction as torch.var's")]
    public Tensor Std(int[]? axes = null, double correction = 1, bool keepDims = false) =>
        Op.Apply(new VarOp(FloatAxes(axes, "std"), correction, keepDims), this).Sqrt();

    /// <summary>The variance (as <see cref="Var"/>) and the mean of all elements, or over
    /// <paramref name="axes"/>, as PyTorch's var_mean returns them.</summary>
    /// <example><code>
    /// var (v, m) = Tensor.FromArray([1.0, 3.0]).VarMean(); // v: tensor(2., dtype=float64), m: tensor(2., ...)
    /// </code></example>
    [Peers("torch.var_mean", "", "", Composed = true)]
    public (Tensor Var, Tensor Mean) VarMean(int[]? axes = null, double correction = 1, bool keepDims = false) =>
        (Var(axes, correction, keepDims), Mean(axes, keepDims));

    /// <summary>The standard deviation (as <see cref="Std"/>) and the mean of all elements, or over
    /// <paramref name="axes"/>, as PyTorch's std_mean returns them.</summary>
    /// <example><code>
    /// var (s, m) = Tensor.FromArray([1.0, 3.0]).StdMean(); // s: tensor(1.4142, dtype=float64), m: tensor(2., ...)
    /// </code></example>
    [Peers("torch.std_mean", "", "", Composed = true)]
    public (Tensor Std, Tensor Mean) StdMean(int[]? axes = null, double correction = 1, bool keepDims = false) =>
        (Std(axes, correction, keepDims), Mean(axes, keepDims));

    /// <summary>The maximum over <paramref name="axes"/> (all when null), as <see cref="Max"/>: PyTorch's amax.
    /// </summary>
    /// <remarks>Ties share the gradient evenly: amax([1, 3, 3]) sends [0, ½, ½] back, as PyTorch's. NaN if any element
    /// is NaN. Every dtype.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 3.0, 3.0]).Amax() // tensor(3., dtype=float64)</code></example>
    [Peers("torch.amax", "jnp.amax", "", Composed = true, Notes = "Max under PyTorch's name")]
    public Tensor Amax(int[]? axes = null, bool keepDims = false) => Max(axes, keepDims);

    /// <summary>The minimum over <paramref name="axes"/> (all when null), as <see cref="Min"/>: PyTorch's amin.
    /// </summary>
    /// <remarks>Ties share the gradient evenly, as PyTorch's. NaN if any element is NaN. Every dtype.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 3.0, 3.0]).Amin() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.amin", "jnp.amin", "", Composed = true, Notes = "Min under PyTorch's name")]
    public Tensor Amin(int[]? axes = null, bool keepDims = false) => Min(axes, keepDims);

    /// <summary>The sum of all elements, or over <paramref name="axes"/>, treating NaN as 0.</summary>
    /// <remarks>NaN elements get gradient 0; ±inf count as themselves. Integer tensors sum as
    /// <see cref="Sum"/>.</remarks>
    /// <example><code>Tensor.FromArray([1.0, double.NaN, 2.0]).Nansum() // tensor(3., dtype=float64)</code></example>
    [Peers("torch.nansum", "jnp.nansum", "", Composed = true)]
    public Tensor Nansum(int[]? axes = null, bool keepDims = false) => DType.IsFloat()
        ? Where(IsNan(), Const(0), this).Sum(axes, keepDims)
        : Sum(axes, keepDims);

    /// <summary>The mean of the elements that are not NaN, over all or over <paramref name="axes"/>; NaN where every
    /// one is NaN, as PyTorch's.</summary>
    /// <remarks>NaN elements get gradient 0, the others 1/(their count).</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NaN, 2.0]).Nanmean() // tensor(1.5000, dtype=float64)
    /// </code></example>
    [Peers("torch.nanmean", "jnp.nanmean", "", Composed = true)]
    public Tensor Nanmean(int[]? axes = null, bool keepDims = false)
    {
        var a = FloatAxes(axes, "nanmean");
        var count = IsNan().LogicalNot().CountNonzero(a, keepDims).ToDType(DType);
        return Nansum(a, keepDims) / count;
    }

    /// <summary>The p-norm over <paramref name="dim"/> (every element when null), PyTorch's norm with a number:
    /// (Σ|x|ᵖ)^(1/p), ±inf the largest or smallest magnitude, 0 the count of nonzeros.</summary>
    /// <remarks><see cref="Linalg.VectorNorm"/> over the axes given, with its conventions (gradient 0 where the norm
    /// is 0). The string overload takes "fro" and "nuc".</remarks>
    /// <example><code>Tensor.FromArray([3.0, -4.0]).Norm() // tensor(5., dtype=float64)</code></example>
    [Peers("torch.norm", "jnp.linalg.norm", "dsharp.norm", Composed = true,
        Notes = "p a number (vector norm over dim) or \"fro\" / \"nuc\"")]
    public Tensor Norm(double p = 2, int[]? dim = null, bool keepDim = false) =>
        Linalg.VectorNorm(this, p, dim, keepDim);

    /// <summary>The norm named <paramref name="p"/>: "fro" (√Σx² over <paramref name="dim"/>, every element when
    /// null) or "nuc" (the sum of the singular values of the matrices over the two axes of dim, the last two when
    /// null).</summary>
    /// <example><code>Tensor.FromArray(new double[,] { { 3, 0 }, { 0, 4 } }).Norm("fro") // tensor(5., dtype=float64)
    /// </code></example>
    public Tensor Norm(string p, int[]? dim = null, bool keepDim = false)
    {
        Guard.NotNull(p);
        return p switch
        {
            "fro" when dim is null || dim.Length != 2 => Linalg.VectorNorm(this, 2, dim, keepDim),
            "fro" => Linalg.MatrixNorm(this, "fro", dim, keepDim),
            "nuc" => Linalg.MatrixNorm(this, "nuc", dim, keepDim),
            _ => throw new ArgumentException($"norm: p \"{p}\" is not a norm's name; pass \"fro\" or \"nuc\", or a "
                + "number (2, 1, double.PositiveInfinity, ...) to the numeric overload", nameof(p)),
        };
    }
}

internal abstract partial class Backend
{
    /// <summary>The statistic <paramref name="name"/> ("Var") over <paramref name="axes"/> with
    /// <paramref name="correction"/>, or null where the backend has none.</summary>
    internal virtual Tensor? Statistics(string name, Tensor x, int[] axes, double correction, bool keepDims) => null;
}
