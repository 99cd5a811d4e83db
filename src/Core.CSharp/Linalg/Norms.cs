namespace FuncGrad;

// Matrix norms, composed of reductions and, for the spectral ones, of the singular values.
public static partial class Linalg
{
    /// <summary>
    /// A matrix norm over the two axes <paramref name="dim"/> (the last two by default): "fro" (Frobenius) or "nuc"
    /// (nuclear, the sum of the singular values).
    /// </summary>
    /// <remarks>The numeric orders (1, −1, 2, −2, ∞, −∞) are the other overload. The Frobenius norm of a zero matrix
    /// has a NaN gradient, as √ has at 0.</remarks>
    /// <example><code>
    /// Linalg.MatrixNorm(Tensor.FromArray([3.0, 0.0, 0.0, 4.0], [2, 2])) // tensor(5., dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.matrix_norm", "jnp.linalg.matrix_norm", "", Notes = "ord \"fro\", \"nuc\", 1, -1, 2, -2, "
        + "inf or -inf (F#: matrixNormOf for a number)", Composed = true)]
    public static Tensor MatrixNorm(Tensor a, string ord = "fro", int[]? dim = null, bool keepDim = false)
    {
        Guard.NotNull(a);
        Guard.NotNull(ord);
        var (d0, d1) = NormAxes(a, dim);
        return ord switch
        {
            "fro" => a.Square().Sum([d0, d1], keepDim).Sqrt(),
            "nuc" => Spectral(a, d0, d1, keepDim, s => s.Sum([-1])),
            _ => throw new ArgumentException(
                $"matrix_norm: ord \"{ord}\" is not a matrix norm; pass \"fro\", \"nuc\", or a number (1, -1, 2, -2, "
                + "double.PositiveInfinity or double.NegativeInfinity) to the numeric overload", nameof(ord)),
        };
    }

    /// <summary>
    /// A matrix norm over the two axes <paramref name="dim"/>: ord 1 (the largest column sum of |aᵢⱼ|), −1 (the
    /// smallest), ∞ (the largest row sum), −∞ (the smallest), 2 (the largest singular value) or −2 (the smallest).
    /// </summary>
    /// <remarks>Ties in the maximum or minimum share the gradient, as <see cref="Tensor.Max"/>'s do.</remarks>
    /// <example><code>
    /// Linalg.MatrixNorm(Tensor.FromArray([1.0, -2.0, 3.0, 4.0], [2, 2]), 1.0) // tensor(6., dtype=float64)
    /// </code></example>
    public static Tensor MatrixNorm(Tensor a, double ord, int[]? dim = null, bool keepDim = false)
    {
        Guard.NotNull(a);
        var (d0, d1) = NormAxes(a, dim);
        Tensor Sums(int over, int then, bool max)
        {
            var sums = a.Abs().Sum([over], keepDims: true);
            var r = max ? sums.Max([then], keepDims: true) : sums.Min([then], keepDims: true);
            return keepDim ? r : r.Squeeze(Math.Max(d0, d1)).Squeeze(Math.Min(d0, d1));
        }
        return ord switch
        {
            1 => Sums(d0, d1, max: true),
            -1 => Sums(d0, d1, max: false),
            double.PositiveInfinity => Sums(d1, d0, max: true),
            double.NegativeInfinity => Sums(d1, d0, max: false),
            2 => Spectral(a, d0, d1, keepDim, s => s.Max([-1])),
            -2 => Spectral(a, d0, d1, keepDim, s => s.Min([-1])),
            _ => throw new ArgumentException(
                $"matrix_norm: ord {ord} is not a matrix norm; pass 1, -1, 2, -2, double.PositiveInfinity or "
                + "double.NegativeInfinity, or the strings \"fro\" or \"nuc\"", nameof(ord)),
        };
    }

    /// <summary>The two axes of a matrix norm, made non-negative, or the error naming the op and the shape.</summary>
    private static (int, int) NormAxes(Tensor a, int[]? dim)
    {
        dim ??= [-2, -1];
        if (a.Rank < 2 || dim.Length != 2)
            throw new RankException(
                $"matrix_norm: needs a tensor of rank 2 or more and two axes, but got {Shapes.Show(a)} and "
                + $"{dim.Length} axes; pass dim as two distinct axes, or use a vector norm for one");
        int d0 = dim[0] < 0 ? dim[0] + a.Rank : dim[0], d1 = dim[1] < 0 ? dim[1] + a.Rank : dim[1];
        if (d0 < 0 || d0 >= a.Rank || d1 < 0 || d1 >= a.Rank || d0 == d1)
            throw new AxisOutOfRangeException(
                $"matrix_norm: axes [{dim[0]}, {dim[1]}] are not two distinct axes of {Shapes.Show(a)}");
        if (!a.DType.IsFloat())
            throw new DTypeMismatchException(
                $"matrix_norm: computes with float64 or float32 tensors but got {Shapes.Show(a)}; convert it first");
        return (d0, d1);
    }

    /// <summary><paramref name="reduce"/> of the singular values of the matrices on axes d0 (rows) and d1.</summary>
    private static Tensor Spectral(Tensor a, int d0, int d1, bool keepDim, Func<Tensor, Tensor> reduce)
    {
        var perm = Enumerable.Range(0, a.Rank).Where(d => d != d0 && d != d1).Append(d0).Append(d1).ToArray();
        var r = reduce(Svdvals(a.Permute(perm)));
        return keepDim ? r.Unsqueeze(Math.Min(d0, d1)).Unsqueeze(Math.Max(d0, d1)) : r;
    }
}
