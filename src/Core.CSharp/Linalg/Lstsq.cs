namespace FuncGrad;

// Least squares through QR (Linalg/Qr.cs): composed of Qr, SolveTriangular and products, whose rules it inherits.
public static partial class Linalg
{
    /// <summary>
    /// The least-squares solution X of A·X ≈ B for each matrix A of <paramref name="a"/> of full rank: the X that
    /// minimises ‖A·X − B‖ (more rows than columns), or the X of least norm with A·X = B (fewer).
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="a"/> is [..batch, m, n] and <paramref name="b"/> [..batch, m, k], their batch axes
    /// broadcasting. With m ≥ n, A = Q·R and X = R⁻¹·Qᵀ·B; with m &lt; n, Aᵀ = Q·R and X = Q·R⁻ᵀ·B. This is
    /// PyTorch's <c>driver="gels"</c>: A must have full rank (a rank-deficient A makes R singular, and the solution
    /// infinite or NaN; use <c>Pinv</c> there). Residuals are the squared norms Σᵢ (A·X − B)ᵢⱼ² of each column
    /// [..batch, k] when m &gt; n, and an empty tensor [0] otherwise, as in PyTorch; PyTorch's rank and singular
    /// values, which only its rank-revealing drivers compute, are not returned.
    /// </para>
    /// <para>
    /// Composed of <see cref="Qr"/>, <see cref="SolveTriangular"/> and matrix products, so its derivatives are theirs,
    /// those of the map (A, B) ↦ A⁺·B at a matrix of full rank.
    /// </para>
    /// </remarks>
    /// <example><code>
    /// var a = Tensor.FromArray([1.0, 0.0, 1.0, 1.0, 1.0, 2.0], [3, 2]);
    /// var b = Tensor.FromArray([1.0, 2.0, 2.0], [3, 1]);
    /// var (x, residuals) = Linalg.Lstsq(a, b); // x = [[7/6], [1/2]], residuals = [1/6]
    /// </code></example>
    [Peers("torch.linalg.lstsq", "jnp.linalg.lstsq", "",
        Notes = "driver \"gels\": full rank; returns the solution and residuals", Composed = true)]
    public static (Tensor Solution, Tensor Residuals) Lstsq(Tensor a, Tensor b)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        if (a.Rank < 2 || b.Rank < 2)
            throw new RankException(
                $"lstsq: needs A [..batch, m, n] and B [..batch, m, k], matrices or batches of them, but got "
                + $"{Shapes.Show(a)} and {Shapes.Show(b)}; make a vector B a column with Unsqueeze(-1)");
        Elementwise.SameDType(a, b, "lstsq");
        int m = a.shape[^2], n = a.shape[^1];
        if (b.shape[^2] != m)
            throw new ShapeMismatchException(
                $"lstsq: A {Shapes.Show(a)} has {m} rows but B {Shapes.Show(b)} has {b.shape[^2]}; "
                + "B needs one row per row of A");
        Matrices.Batch(a, b, "lstsq (batch axes)");
        if (m >= n)
        {
            var (q, r) = Qr(a);
            var x = SolveTriangular(r, Matrices.T(q).MatMul(b), upper: true);
            var residuals = m > n
                ? (a.MatMul(x) - b).Square().Sum([-2])
                : Tensor.Beside(Tensor.Zeros([0], a.DType), a);
            return (x, residuals);
        }
        var (qt, rt) = Qr(Matrices.T(a));
        var y = SolveTriangular(Matrices.T(rt), b, upper: false);
        return (qt.MatMul(y), Tensor.Beside(Tensor.Zeros([0], a.DType), a));
    }
}
