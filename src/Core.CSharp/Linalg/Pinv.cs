namespace FuncGrad;

// The pseudo-inverse, composed of the singular value (or, for symmetric input, the eigen) decomposition.
public static partial class Linalg
{
    /// <summary>
    /// The Moore–Penrose pseudo-inverse: V·diag(1/s)·Uᵀ over the singular values s above max(atol, rtol·s_max), the
    /// rest dropped. With <paramref name="hermitian"/> the matrix is taken as symmetric (its lower triangle read) and
    /// its eigendecomposition used.
    /// </summary>
    /// <remarks>
    /// As torch.linalg.pinv: with neither tolerance given rtol is max(m, n)·ε of the dtype; with atol alone rtol is
    /// 0. The gradient is that of the kept part, exact where no singular value crosses the cut-off.
    /// </remarks>
    /// <example><code>
    /// Linalg.Pinv(Tensor.FromArray([2.0, 0.0, 0.0, 0.0], [2, 2])) // tensor([[0.5, 0.], [0., 0.]], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.pinv", "jnp.linalg.pinv", "", Notes = "atol and rtol numbers; hermitian reads the lower "
        + "triangle", Composed = true)]
    public static Tensor Pinv(Tensor a, double? atol = null, double? rtol = null, bool hermitian = false)
    {
        Guard.NotNull(a);
        CheckMatrix(a, "pinv", square: hermitian);
        if (atol is < 0 || rtol is < 0 || atol is double.NaN || rtol is double.NaN)
            throw new ArgumentException(
                $"pinv: atol ({atol}) and rtol ({rtol}) must be non-negative numbers; pass null for the default");
        if (a.shape[^1] == 0 || a.shape[^2] == 0) return T(a); // no singular values: the empty n×m matrix
        double eps = a.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        double r = rtol ?? (atol is null ? Math.Max(a.shape[^2], a.shape[^1]) * eps : 0);
        double abs = atol ?? 0;
        if (hermitian)
        {
            var (w, v) = Eigh(a);
            var cut = Cutoff(w.Abs(), abs, r);
            var inv = SafeReciprocal(w, w.Abs().Le(cut));
            return (v * inv.Unsqueeze(-2)).MatMul(T(v));
        }
        var (u, s, vh) = Svd(a, fullMatrices: false);
        var sInv = SafeReciprocal(s, s.Le(Cutoff(s, abs, r)));
        return (T(vh) * sInv.Unsqueeze(-2)).MatMul(T(u));
    }

    /// <summary>max(atol, rtol·max(values)) along the last axis, kept as an axis of 1.</summary>
    private static Tensor Cutoff(Tensor magnitudes, double atol, double rtol) =>
        (magnitudes.Max([-1], keepDims: true) * magnitudes.Const(rtol)).Maximum(magnitudes.Const(atol));
}
