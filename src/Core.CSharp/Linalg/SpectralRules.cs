namespace FuncGrad;

// Pieces shared by the rules of the eigen and singular value ops (Eigh.cs, Svd.cs), written with FuncGrad's ops so
// the rules differentiate in turn.
public static partial class Linalg
{
    /// <summary>The op's name, the input's shape and what to do, for a matrix argument of rank below 2 or (when
    /// <paramref name="square"/>) not square.</summary>
    private static void CheckMatrix(Tensor a, string op, bool square)
    {
        if (a.Rank < 2)
            throw new RankException(
                $"{op}: needs a matrix or a batch of matrices (rank 2 or more, the last two axes the matrix) but got "
                + $"{Shapes.Show(a)}; reshape a vector with Unsqueeze(0) or Reshape");
        if (square && a.shape[^1] != a.shape[^2])
            throw new ShapeMismatchException(
                $"{op}: needs square matrices but got {Shapes.Show(a)}, whose last two axes are "
                + $"{a.shape[^2]}×{a.shape[^1]}; pass a square matrix (or use Linalg.Svd for a rectangular one)");
        if (!a.DType.IsFloat())
            throw new DTypeMismatchException(
                $"{op}: computes with float64 or float32 matrices but got {Shapes.Show(a)}; convert it with "
                + "ToDType(DType.Float64) first");
    }

    /// <summary>A constant n×n 0/1 matrix of <paramref name="like"/>'s dtype and device, 1 where
    /// <paramref name="keep"/> holds.</summary>
    private static Tensor Mask(int n, Tensor like, Func<int, int, bool> keep)
    {
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) v[i * n + j] = keep(i, j) ? 1 : 0;
        return Tensor.Beside(Tensor.FromArray(v, [n, n]).ToDType(like.DType), like);
    }

    /// <summary>
    /// Values treated as equal by the spectral rules: |vⱼ − vᵢ| ≤ 8·n·ε·max|v| along the last axis (ε of the dtype),
    /// a bool [..., n, n] that includes the diagonal.
    /// </summary>
    private static Tensor Degenerate(Tensor values)
    {
        int n = values.shape[^1];
        double eps = values.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        var diff = (values.Unsqueeze(-2) - values.Unsqueeze(-1)).Abs();
        var tol = values.Abs().Max([-1], keepDims: true).Unsqueeze(-1) * values.Const(8 * Math.Max(n, 1) * eps);
        return diff.Le(tol);
    }

    /// <summary>1/x where <paramref name="zero"/> is false, 0 where it is true, with no infinity on either path
    /// (so the derivative of the unused branch is never 0·∞).</summary>
    private static Tensor SafeReciprocal(Tensor x, Tensor zero)
    {
        var safe = Tensor.Where(zero, x.Const(1), x);
        return Tensor.Where(zero, x.Const(0), safe.Const(1) / safe);
    }

    /// <summary>Xᵀ over the last two axes.</summary>
    private static Tensor T(Tensor x) => x.Transpose(-2, -1);
}
