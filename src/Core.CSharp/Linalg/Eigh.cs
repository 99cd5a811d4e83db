using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Eigenvalues and eigenvectors of symmetric matrices: one op (values, or values and vectors packed), its rules through
// the eigenvectors and the 1/(λⱼ − λᵢ) matrix, and its LibTorch seam.
public static partial class Linalg
{
    /// <summary>
    /// The eigendecomposition A = V·diag(λ)·Vᵀ of the symmetric matrix read from one triangle of the argument (the
    /// lower, or the upper when <c>upper</c>): λ ascending, then (when <c>vectors</c>) V, packed as
    /// [..batch, n (+ n²)]. Being a function of that triangle alone, its derivatives are too: the JVP mirrors the
    /// triangle's tangent, the VJP folds the symmetric cotangent onto the triangle.
    /// </summary>
    private sealed class EighOp(bool upper, bool vectors) : Op
    {
        internal static readonly EighOp[] All =
            [new(false, false), new(false, true), new(true, false), new(true, true)];
        internal static EighOp Of(bool upper, bool vectors) => All[(upper ? 2 : 0) + (vectors ? 1 : 0)];

        public override string Name => vectors ? "Eigh" : "Eigvalsh";
        public override bool ReadsValuesOnly => true;

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => backend.Eigh(x[0], upper, vectors);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = a.shape[^1];
            int count = Shapes.Count(a.shape[..^2], Name);
            int stride = vectors ? n + n * n : n;
            var result = Storage.Uninitialized<T>(count * stride, out var lease); // the kernel writes every element
            SymmetricEigen.Run(a.Buffer<T>(), result, count, n, upper, vectors);
            return Tensor.Plain([.. a.shape[..^2], stride], result, lease);
        }

        /// <summary>λ and V of <paramref name="a"/>, from this op's packed value <paramref name="y"/> or, for the
        /// values-only op, from the full op applied to <paramref name="a"/> (differentiable in turn).</summary>
        private (Tensor W, Tensor V) Factors(Tensor a, Tensor y)
        {
            int n = a.shape[^1];
            var packed = vectors ? y : Op.Apply(Of(upper, true), a);
            var parts = Packed.Unpack(packed, [n], [n, n]);
            return (parts[0], parts[1]);
        }

        /// <summary>The symmetric matrix's tangent: the read triangle's tangent mirrored.</summary>
        private Tensor Symmetrised(Tensor d)
        {
            int n = d.shape[^1];
            var strict = d * Mask(n, d, (i, j) => upper ? j > i : i > j);
            return strict + T(strict) + d * Mask(n, d, (i, j) => i == j);
        }

        /// <summary>The adjoint of <see cref="Symmetrised"/>: G's symmetric part folded onto the read triangle.
        /// </summary>
        private Tensor Folded(Tensor g)
        {
            int n = g.shape[^1];
            return (g + T(g)) * Mask(n, g, (i, j) => upper ? j > i : i > j) + g * Mask(n, g, (i, j) => i == j);
        }

        // A = V·Λ·Vᵀ: dλ = diag(Vᵀ·dA·V), dV = V·(F ∘ Vᵀ·dA·V), Fᵢⱼ = 1/(λⱼ − λᵢ) off the degenerate pairs and 0 on
        // them (see Degenerate); so the cotangent is V·(diag(λ̄) + F ∘ Vᵀ·V̄)·Vᵀ.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            int n = x[0].shape[^1];
            var (w, v) = Factors(x[0], y);
            Tensor inner;
            if (vectors)
            {
                var parts = Packed.Unpack(g, [n], [n, n]);
                inner = Gaps(w) * T(v).MatMul(parts[1]) + parts[0].Unsqueeze(-1) * Mask(n, g, (i, j) => i == j);
            }
            else inner = g.Unsqueeze(-1) * Mask(n, g, (i, j) => i == j);
            return [Folded(v.MatMul(inner).MatMul(T(v)))];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            int n = x[0].shape[^1];
            var (w, v) = Factors(x[0], y);
            var p = T(v).MatMul(Symmetrised(dx[0]!)).MatMul(v);
            var dw = (p * Mask(n, p, (i, j) => i == j)).Sum([-1]);
            if (!vectors) return dw;
            return Packed.Pack(x[0].Rank - 2, dw, v.MatMul(Gaps(w) * p));
        }

        /// <summary>Fᵢⱼ = 1/(λⱼ − λᵢ), 0 on degenerate pairs and the diagonal.</summary>
        private static Tensor Gaps(Tensor w) => SafeReciprocal(w.Unsqueeze(-2) - w.Unsqueeze(-1), Degenerate(w));

        // The leading axes are a batch already: the vmap axis joins them.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    private static bool Upper(string uplo, string op) => Guard.NotNull(uplo) switch
    {
        "L" or "l" => false,
        "U" or "u" => true,
        _ => throw new ArgumentException(
            $"{op}: uplo is \"{uplo}\"; pass \"L\" to read the lower triangle or \"U\" for the upper", nameof(uplo)),
    };

    /// <summary>
    /// The eigenvalues (ascending) and eigenvectors (as columns) of symmetric matrices, read from the lower triangle
    /// (<paramref name="uplo"/> "L") or the upper ("U").
    /// </summary>
    /// <remarks>
    /// Each eigenvector's component of largest magnitude is positive. Gradients through the eigenvectors use
    /// 1/(λⱼ − λᵢ); pairs of eigenvalues closer than 8·n·ε·max|λ| are treated as equal and contribute nothing, which
    /// is exact for functions that do not depend on the choice of basis within an eigenspace (docs/conventions.md,
    /// "Linear algebra").
    /// </remarks>
    /// <example><code>
    /// var (w, v) = Linalg.Eigh(Tensor.FromArray([2.0, 1.0, 1.0, 2.0], [2, 2]));
    /// // w is tensor([1., 3.]); v's columns are (1, −1)/√2 and (1, 1)/√2, each with a positive largest part
    /// </code></example>
    [Peers("torch.linalg.eigh", "jnp.linalg.eigh", "", Notes = "eigenvector signs fixed: largest component positive")]
    public static (Tensor Eigenvalues, Tensor Eigenvectors) Eigh(Tensor a, string uplo = "L")
    {
        Guard.NotNull(a);
        bool upper = Upper(uplo, "eigh");
        CheckMatrix(a, "eigh", square: true);
        int n = a.shape[^1];
        var parts = Packed.Unpack(Op.Apply(EighOp.Of(upper, true), a), [n], [n, n]);
        return (parts[0], parts[1]);
    }

    /// <summary>The eigenvalues, ascending, of symmetric matrices read from the lower (<paramref name="uplo"/> "L") or
    /// upper ("U") triangle.</summary>
    /// <remarks>Its gradient, V·diag(λ̄)·Vᵀ, is exact at repeated eigenvalues too.</remarks>
    /// <example><code>
    /// Linalg.Eigvalsh(Tensor.FromArray([2.0, 1.0, 1.0, 2.0], [2, 2])) // tensor([1., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.eigvalsh", "jnp.linalg.eigvalsh", "")]
    public static Tensor Eigvalsh(Tensor a, string uplo = "L")
    {
        Guard.NotNull(a);
        bool upper = Upper(uplo, "eigvalsh");
        CheckMatrix(a, "eigvalsh", square: true);
        return Op.Apply(EighOp.Of(upper, false), a);
    }
}

internal abstract partial class Backend
{
    /// <summary>The packed value of Linalg's EighOp (eigenvalues ascending, then, when <paramref name="vectors"/>,
    /// eigenvectors with the largest component of each positive), or null where this backend has no kernel.</summary>
    internal virtual Tensor? Eigh(Tensor a, bool upper, bool vectors) => null;
}
