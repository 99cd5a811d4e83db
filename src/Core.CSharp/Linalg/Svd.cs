using System.Numerics;

namespace FuncGrad;

// Singular value decompositions: one op (singular values, or U, S and Vᵀ packed), its rules through the singular
// vectors and the 1/(sⱼ² − sᵢ²) matrix, the non-square and full-matrices terms, and its LibTorch seam.
public static partial class Linalg
{
    /// <summary>
    /// A = U·diag(S)·Vᵀ of m×n matrices, k = min(m, n): S descending, then (when <c>vectors</c>) U (m×k, or m×m when
    /// <c>full</c>) and Vᵀ (k×n, or n×n), packed as [..batch, U, S, Vᵀ] (S alone without vectors).
    /// </summary>
    private sealed class SvdOp(bool vectors, bool full) : Op
    {
        internal static readonly SvdOp Values = new(false, false), Reduced = new(true, false), Full = new(true, true);

        public override string Name => !vectors ? "Svdvals" : full ? "SvdFull" : "Svd";
        public override bool ReadsValuesOnly => true;

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => backend.Svd(x[0], vectors, full);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int m = a.shape[^2], n = a.shape[^1];
            int count = Shapes.Count(a.shape[..^2], Name);
            int stride = Kernels.Svd.Layout(m, n, vectors, full).Stride;
            var result = Storage.Uninitialized<T>(count * stride, out var lease); // the kernel writes every element
            Kernels.Svd.Run(a.Buffer<T>(), result, count, m, n, vectors, full);
            return Tensor.Plain([.. a.shape[..^2], stride], result, lease);
        }

        /// <summary>The trailing shapes of the packed parts U, S, Vᵀ.</summary>
        internal int[][] Parts(int m, int n)
        {
            int k = Math.Min(m, n);
            if (!vectors) return [[k]];
            return full ? [[m, m], [k], [n, n]] : [[m, k], [k], [k, n]];
        }

        /// <summary>The reduced factors U₁ (m×k), s (k) and V₁ (n×k) of <paramref name="a"/>, from the packed value
        /// <paramref name="y"/> or, for the values-only op, from the reduced op applied to <paramref name="a"/>.
        /// </summary>
        private (Tensor U, Tensor S, Tensor V, Tensor[] Packed) Factors(Tensor a, Tensor y)
        {
            int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
            var op = vectors ? this : Reduced;
            var parts = Packed.Unpack(vectors ? y : Op.Apply(Reduced, a), op.Parts(m, n));
            var u = parts[0].Slice(-1, 0, k);
            var v = T(parts[2].Slice(-2, 0, k));
            return (u, parts[1], v, parts);
        }

        // With P = U₁ᵀ·dA·V₁ = Psym + Pskew: dS = diag(P); dU₁ = U₁·(D ∘ Psym + E ∘ Pskew) + (dA·V₁ − U₁·P)·S⁻¹
        // (when m > k); dV₁ = V₁·(D ∘ Psym − E ∘ Pskew) + (dAᵀ·U₁ − V₁·Pᵀ)·S⁻¹ (when n > k), where Dᵢⱼ = 1/(sⱼ − sᵢ)
        // and Eᵢⱼ = 1/(sⱼ + sᵢ) (together (P·S + S·Pᵀ)ᵢⱼ/(sⱼ² − sᵢ²)), D zero on degenerate pairs, E zero where both
        // values are zero, S⁻¹ zero for zero values. E's term stays at equal values: it is how U turns against V, which
        // U·diag(S)·Vᵀ needs. The full-matrices columns U₂ move only as orthogonality to U₁ demands,
        // dU₂ = −U₁·(dU₁ᵀ·U₂), and likewise V₂; the VJP is this JVP's adjoint.
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var a = x[0];
            int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
            var (u, s, v, parts) = Factors(a, y);
            var da = dx[0]!;
            var dav = da.MatMul(v);
            var ds = (u * dav).Sum([-2]);
            if (!vectors) return ds;
            var p = T(u).MatMul(dav);
            var (d, e) = Gaps(s);
            var half = p.Const(0.5);
            var sym = (p + T(p)) * half;
            var skew = (p - T(p)) * half;
            var du = u.MatMul(d * sym + e * skew);
            var dv = v.MatMul(d * sym - e * skew);
            var sInv = SafeReciprocal(s, Zero(s)).Unsqueeze(-2);
            if (m > k) du += (dav - u.MatMul(p)) * sInv;
            if (n > k) dv += (T(da).MatMul(u) - v.MatMul(T(p))) * sInv;
            if (full && m > k)
            {
                var u2 = parts[0].Slice(-1, k, m);
                du = Tensor.Concat([du, -u.MatMul(T(du).MatMul(u2))], -1);
            }
            if (full && n > k)
            {
                var v2 = T(parts[2].Slice(-2, k, n));
                dv = Tensor.Concat([dv, -v.MatMul(T(dv).MatMul(v2))], -1);
            }
            return Packed.Pack(a.Rank - 2, du, ds, T(dv));
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var a = x[0];
            int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
            var (u, s, v, parts) = Factors(a, y);
            var diag = Mask(k, a, (i, j) => i == j);
            if (!vectors) return [(u * g.Unsqueeze(-2)).MatMul(T(v))];
            var gp = Packed.Unpack(g, Parts(m, n));
            var gu = gp[0].Slice(-1, 0, k);
            var gs = gp[1];
            var gv = T(gp[2].Slice(-2, 0, k));
            if (full && m > k)
                gu -= parts[0].Slice(-1, k, m).MatMul(T(gp[0].Slice(-1, k, m))).MatMul(u);
            if (full && n > k)
            {
                var v2 = T(parts[2].Slice(-2, k, n));
                gv -= v2.MatMul(gp[2].Slice(-2, k, n)).MatMul(v);
            }
            var (d, e) = Gaps(s);
            var half = g.Const(0.5);
            var j = T(u).MatMul(gu);
            var kk = T(v).MatMul(gv);
            var dj = d * (j + kk);
            var ej = e * (j - kk);
            var inner = gs.Unsqueeze(-1) * diag + (dj + T(dj)) * half + (ej - T(ej)) * half;
            var ga = u.MatMul(inner).MatMul(T(v));
            var sInv = SafeReciprocal(s, Zero(s)).Unsqueeze(-2);
            if (m > k) ga += ((gu - u.MatMul(j)) * sInv).MatMul(T(v));
            if (n > k) ga += u.MatMul(T((gv - v.MatMul(kk)) * sInv));
            return [ga];
        }

        /// <summary>Dᵢⱼ = 1/(sⱼ − sᵢ), 0 on degenerate pairs and the diagonal, and Eᵢⱼ = 1/(sⱼ + sᵢ), 0 where both are
        /// zero.</summary>
        private static (Tensor D, Tensor E) Gaps(Tensor s)
        {
            var zero = Zero(s);
            return (SafeReciprocal(s.Unsqueeze(-2) - s.Unsqueeze(-1), Degenerate(s)),
                SafeReciprocal(s.Unsqueeze(-2) + s.Unsqueeze(-1), zero.Unsqueeze(-2).LogicalAnd(zero.Unsqueeze(-1))));
        }

        /// <summary>Singular values treated as zero: at most 8·k·ε·s_max, the bound of <see cref="Degenerate"/>.
        /// </summary>
        private static Tensor Zero(Tensor s)
        {
            double eps = s.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
            return s.Le(s.Max([-1], keepDims: true) * s.Const(8 * s.shape[^1] * eps));
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>
    /// The singular value decomposition A = U·diag(S)·Vh: U's columns and Vh's rows orthonormal, S descending. With
    /// <paramref name="fullMatrices"/> U is m×m and Vh n×n; otherwise m×k and k×n, k = min(m, n).
    /// </summary>
    /// <remarks>
    /// The first k columns of U have their largest component positive (V's matching rows follow). Gradients treat
    /// singular values closer than 8·max(m, n)·ε·s_max as equal and the completing columns of full matrices as
    /// moving only to stay orthogonal (docs/conventions.md, "Linear algebra").
    /// </remarks>
    /// <example><code>
    /// var (u, s, vh) = Linalg.Svd(Tensor.FromArray([3.0, 0.0, 0.0, -2.0], [2, 2]));
    /// // s is tensor([3., 2.]); u·diag(s)·vh is the matrix again
    /// </code></example>
    [Peers("torch.linalg.svd", "jnp.linalg.svd", "dsharp.svd", Notes = "signs fixed: U's largest components positive")]
    public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a, bool fullMatrices = true)
    {
        Guard.NotNull(a);
        CheckMatrix(a, "svd", square: false);
        var op = fullMatrices ? SvdOp.Full : SvdOp.Reduced;
        var parts = Packed.Unpack(Op.Apply(op, a), op.Parts(a.shape[^2], a.shape[^1]));
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>The singular values of matrices, descending.</summary>
    /// <remarks>Its gradient, U·diag(S̄)·Vᵀ, is exact at repeated singular values too.</remarks>
    /// <example><code>
    /// Linalg.Svdvals(Tensor.FromArray([3.0, 0.0, 0.0, -2.0], [2, 2])) // tensor([3., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.svdvals", "jnp.linalg.svd (compute_uv=False)", "")]
    public static Tensor Svdvals(Tensor a)
    {
        Guard.NotNull(a);
        CheckMatrix(a, "svdvals", square: false);
        return Op.Apply(SvdOp.Values, a);
    }
}

internal abstract partial class Backend
{
    /// <summary>The packed value of Linalg's SvdOp (U, S descending, Vᵀ; the first min(m, n) columns of U with their
    /// largest component positive), or null where this backend has no kernel.</summary>
    internal virtual Tensor? Svd(Tensor a, bool vectors, bool full) => null;
}
