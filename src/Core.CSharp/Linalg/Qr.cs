using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// QR by Householder reflectors (Kernels/Linalg/Householder.cs), R's diagonal non-negative, and its rules.
public static partial class Linalg
{
    /// <summary>Q and R packed as [..batch, m·qc + rr·n] (R alone in mode r); see Householder.Factor.</summary>
    private sealed class QrOp(QrMode mode) : Op
    {
        internal static readonly QrOp Reduced = new(QrMode.Reduced), Complete = new(QrMode.Complete),
            ROnly = new(QrMode.R);
        internal static QrOp Of(QrMode mode) =>
            mode == QrMode.Reduced ? Reduced : mode == QrMode.Complete ? Complete : ROnly;

        internal QrMode Mode => mode;
        public override string Name => mode == QrMode.Reduced ? "Qr" : mode == QrMode.Complete ? "QrComplete" : "QrR";
        public override bool ReadsValuesOnly => true;

        /// <summary>The trailing shapes of the packed parts for an m×n matrix.</summary>
        internal int[][] Parts(int m, int n)
        {
            int qc = Householder.QColumns(m, n, mode), rr = Householder.RRows(m, n, mode);
            return mode == QrMode.R ? [[rr, n]] : [[m, qc], [rr, n]];
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int m = a.shape[^2], n = a.shape[^1];
            int stride = m * Householder.QColumns(m, n, mode) + Householder.RRows(m, n, mode) * n;
            int count = Shapes.Count(a.shape[..^2], "qr");
            int[] shape = [.. a.shape[..^2], stride];
            var y = Storage.Uninitialized<T>(Shapes.Count(shape, "qr"), out var lease);
            Householder.Factor(a.Buffer<T>(), count, m, n, mode, y);
            return Tensor.Plain(shape, y, lease);
        }

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => backend.Qr(x[0], mode) is var (q, r)
            ? mode == QrMode.R
                ? r.Reshaped([.. r.shape[..^2], r.shape[^2] * r.shape[^1]])
                : Packed.Pack(r.Rank - 2, q!, r)
            : null;

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var a = x[0];
            int m = a.shape[^2], n = a.shape[^1];
            var parts = Packed.Unpack(g, Parts(m, n));
            if (mode == QrMode.R)
            {
                // R alone is still a function of A: its cotangent goes back through the reduced factorisation's rule.
                var qr = Packed.Unpack(Op.Apply(Reduced, a), Reduced.Parts(m, n));
                return [QrVjp(null, parts[0], qr[0], qr[1], a)];
            }
            NotDefined(a, "VJP");
            var (q, r) = Unpacked(y, m, n);
            return [QrVjp(parts[0], parts[1], q, r, a)];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var a = x[0];
            int m = a.shape[^2], n = a.shape[^1];
            if (mode == QrMode.R)
            {
                var qr = Packed.Unpack(Op.Apply(Reduced, a), Reduced.Parts(m, n));
                var (_, dr0) = QrJvp(dx[0]!, qr[0], qr[1], a);
                return dr0.Reshape([.. dr0.shape[..^2], -1]);
            }
            NotDefined(a, "JVP");
            var (q, r) = Unpacked(y, m, n);
            var (dq, dr) = QrJvp(dx[0]!, q, r, a);
            return Packed.Pack(a.Rank - 2, dq, dr);
        }

        private (Tensor Q, Tensor R) Unpacked(Tensor y, int m, int n)
        {
            var p = Packed.Unpack(y, Parts(m, n));
            return (p[0], p[1]);
        }

        /// <summary>Complete Q of a tall matrix: its last m − n columns are any basis of the complement, so no
        /// derivative exists.</summary>
        private void NotDefined(Tensor a, string rule)
        {
            if (mode == QrMode.Complete && a.shape[^2] > a.shape[^1])
                throw new GradientException(
                    $"qr: the {rule} of mode \"complete\" is not defined for {Shapes.Show(a)} with more rows than "
                    + "columns: the last m − n columns of Q are any orthonormal basis of the complement of A's "
                    + "columns; differentiate mode \"reduced\" (or \"r\") instead");
        }

        // The leading axes are a batch already: the vmap axis goes first.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>
    /// Tangents (dQ, dR) of A = Q·R (reduced) for dA. With Z = dA·R⁻¹ and X = Qᵀ·Z, QᵀdQ is skew and dR·R⁻¹ upper, so
    /// X's strict lower part is QᵀdQ's: U = triu(X) + tril(X, −1)ᵀ, dR = U·R, dQ = Z − Q·U. A wide A = [X | Y] is
    /// X's factorisation and V = QᵀY: dV = Qᵀ·dY + dQᵀ·Y.
    /// </summary>
    private static (Tensor DQ, Tensor DR) QrJvp(Tensor da, Tensor q, Tensor r, Tensor a)
    {
        int m = a.shape[^2], n = a.shape[^1];
        if (m < n)
        {
            var (dq0, du) = QrJvp(da.Slice(-1, 0, m), q, r.Slice(-1, 0, m), a.Slice(-1, 0, m));
            var dv = Matrices.T(q).MatMul(da.Slice(-1, m, n)) + Matrices.T(dq0).MatMul(a.Slice(-1, m, n));
            return (dq0, Tensor.Concat([du, dv], -1));
        }
        var z = SolveTriangular(r, da, upper: true, left: false);
        var x = Matrices.T(q).MatMul(z);
        int k = x.shape[^1];
        var u = x * Matrices.Triangle(x, k, upper: true, 1) + Matrices.T(x * Matrices.Triangle(x, k, upper: false, 0));
        return (z - q.MatMul(u), u.MatMul(r));
    }

    /// <summary>
    /// The cotangent of A for cotangents gQ (null: zero) and gR of A = Q·R (reduced): with M = gR·Rᵀ − Qᵀ·gQ, the
    /// adjoint of the JVP is (gQ + Q·(triu(M) + triu(M, 1)ᵀ))·R⁻ᵀ. A wide A = [X | Y]: X's rule with gQ + Y·gVᵀ, and
    /// Q·gV for Y.
    /// </summary>
    private static Tensor QrVjp(Tensor? gq, Tensor gr, Tensor q, Tensor r, Tensor a)
    {
        int m = a.shape[^2], n = a.shape[^1];
        if (m < n)
        {
            var gv = gr.Slice(-1, m, n);
            var y = a.Slice(-1, m, n);
            var gqx = y.MatMul(Matrices.T(gv));
            var gx = QrVjp(gq is null ? gqx : gq + gqx, gr.Slice(-1, 0, m), q, r.Slice(-1, 0, m), a.Slice(-1, 0, m));
            return Tensor.Concat([gx, q.MatMul(gv)], -1);
        }
        var mm = gr.MatMul(Matrices.T(r));
        if (gq is not null) mm -= Matrices.T(q).MatMul(gq);
        int k = mm.shape[^1];
        var sym = mm * Matrices.Triangle(mm, k, upper: true, 1)
            + Matrices.T(mm * Matrices.Triangle(mm, k, upper: true, 0));
        var b = q.MatMul(sym);
        if (gq is not null) b += gq;
        // b·R⁻ᵀ = (R⁻¹·bᵀ)ᵀ
        return Matrices.T(SolveTriangular(r, Matrices.T(b), upper: true));
    }

    /// <summary>
    /// The QR factorisation A = Q·R of each matrix of <paramref name="a"/>: Q with orthonormal columns and R upper
    /// triangular with a non-negative diagonal.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="mode"/> is <c>"reduced"</c> (Q m×k, R k×n, k = min(m, n)), <c>"complete"</c> (Q m×m, R m×n) or
    /// <c>"r"</c> (R k×n alone; Q is an empty tensor of shape [0]). R's diagonal is non-negative, which makes the
    /// factorisation of a matrix of full column rank unique; LAPACK (and so PyTorch and JAX) may return negative
    /// entries there, with the matching columns of Q negated: compare Q·R, or the factors after multiplying both by
    /// the signs of R's diagonal. On a LibTorch device the factors are brought to this convention.
    /// </para>
    /// <para>
    /// Derivatives exist where R's diagonal has no zero (A of full rank in its first k columns), for mode "reduced"
    /// of any shape, "r", and "complete" with m ≤ n (where it is the reduced one); complete Q of a matrix with more
    /// rows than columns has none (its last m − n columns are arbitrary), and differentiating it is an error, as in
    /// PyTorch. Where R is singular the rule divides by zero: infinities or NaN.
    /// </para>
    /// </remarks>
    /// <example><code>
    /// var (q, r) = Linalg.Qr(Tensor.FromArray([3.0, 1.0, 4.0, 2.0], [2, 2]));
    /// r // tensor([[5.0000, 2.2000], [0.0000, 0.4000]], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.qr", "jnp.linalg.qr", "",
        Notes = "R's diagonal non-negative (LAPACK's may be negative); mode \"r\": Q is empty")]
    public static (Tensor Q, Tensor R) Qr(Tensor a, string mode = "reduced")
    {
        Guard.NotNull(a);
        Guard.NotNull(mode);
        var m = mode switch
        {
            "reduced" => QrMode.Reduced,
            "complete" => QrMode.Complete,
            "r" => QrMode.R,
            _ => throw new ArgumentException(
                $"qr: mode \"{mode}\" is not one of \"reduced\", \"complete\" and \"r\"", nameof(mode)),
        };
        if (a.Rank < 2)
            throw new RankException(
                $"qr: needs a matrix or a batch of matrices (rank 2 or more) but got {Shapes.Show(a)}; "
                + "make a vector a column with Unsqueeze(-1)");
        var op = QrOp.Of(m);
        var parts = Packed.Unpack(Op.Apply(op, a), op.Parts(a.shape[^2], a.shape[^1]));
        return m == QrMode.R
            ? (Tensor.Beside(Tensor.Zeros([0], a.DType), a), parts[0])
            : (parts[0], parts[1]);
    }
}

internal abstract partial class Backend
{
    /// <summary>Q and R of torch.linalg.qr in the given mode, R's diagonal made non-negative (Q null in mode
    /// r).</summary>
    internal virtual (Tensor? Q, Tensor R)? Qr(Tensor a, QrMode mode) => null;
}
