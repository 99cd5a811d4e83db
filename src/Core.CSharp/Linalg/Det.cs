using FuncGrad.Kernels;
using System.Buffers;
using System.Numerics;

namespace FuncGrad;

public static partial class Linalg
{
    /// <summary>
    /// The determinant (<c>log</c> false) or the sign and log|det| packed as [..batch, 2] (<c>log</c> true) of square
    /// matrices, from LU with partial pivoting. A zero pivot gives det 0, sign 0 and log|det| −∞, never an error.
    /// </summary>
    private sealed class DetOp(bool log) : Op
    {
        public override string Name => log ? "Slogdet" : "Det";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (typeof(DetOp), log);

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            Matrices.Square(x[0], Name);
            if (!log) return backend.Det(x[0]);
            if (backend.Slogdet(x[0]) is not var (sign, logabs)) return null;
            return Tensor.Stack([sign, logabs], -1);
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = Matrices.Square(a, Name), size = n * n, width = log ? 2 : 1;
            var batch = a.shape[..^2];
            int count = Shapes.Count(batch, Name);
            var src = a.Buffer<T>();
            var y = Storage.Uninitialized<T>(count * width, out var lease);
            Matrices.ForBatch(count, (long)n * n * n / 3 * 2, (lo, hi) =>
            {
                var lu = ArrayPool<T>.Shared.Rent(Math.Max(1, size));
                var pivots = new int[n];
                try
                {
                    for (int i = lo; i < hi; i++)
                    {
                        Array.Copy(src, i * size, lu, 0, size);
                        Lu.Factor(lu, 0, n, pivots, 0);
                        if (log) (y[2 * i], y[2 * i + 1]) = Lu.Slogdet(lu, 0, n, pivots, 0);
                        else y[i] = Lu.Det(lu, 0, n, pivots, 0);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(lu);
                }
            });
            return Tensor.Plain(log ? [.. batch, 2] : batch, y, lease);
        }

        // d det = ⟨adj(A)ᵀ, dA⟩, so Ā = ḡ·adj(A)ᵀ, finite at a singular A of rank n − 1 (CofactorsOp); d log|det| =
        // tr(A⁻¹·dA), so Ā = ḡ·A⁻ᵀ; the sign is locally constant.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            if (!log) return [g.Unsqueeze(-1).Unsqueeze(-1) * Op.Apply(CofactorsOp.Instance, x[0])];
            return [g.Slice(-1, 1, 2).Unsqueeze(-1) * InverseTransposed(x[0])];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            if (!log) return (Op.Apply(CofactorsOp.Instance, x[0]) * dx[0]!).Sum([-2, -1]);
            var trace = Trace(SolveQuiet(x[0], dx[0]!));
            return Tensor.Stack([Tensor.ZerosLike(trace), trace], -1);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>A⁻¹·B by a solve that gives infinities rather than an error at a singular matrix.</summary>
    private static Tensor SolveQuiet(Tensor a, Tensor b)
    {
        var packed = Op.Apply(new SolveOp(true, true, "det"), a, b);
        return Packed.Unpack(packed, [b.shape[^2], b.shape[^1]], [])[0];
    }

    /// <summary>A⁻ᵀ, quietly (infinite at a singular matrix).</summary>
    private static Tensor InverseTransposed(Tensor a) =>
        SolveQuiet(Matrices.T(a), Tensor.Beside(Tensor.Eye(a.shape[^1], a.DType), a));

    /// <summary>
    /// The cofactor matrix C = adj(A)ᵀ = ∂det/∂A: det·A⁻ᵀ, and at a singular A of rank n − 1 (one zero pivot) its
    /// limit, a finite rank-one matrix (Kernels/Linalg/Lu.cs). Its rules are those of det·A⁻ᵀ, by solves: finite
    /// wherever A is invertible.
    /// </summary>
    private sealed class CofactorsOp : Op
    {
        internal static readonly CofactorsOp Instance = new();
        public override string Name => "Cofactors";
        public override bool ReadsValuesOnly => true;

        // no backend kernel: computed on a managed copy, and moved back beside A
        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) =>
            Tensor.Beside(Compute([x[0].To(Device.Managed)]), x[0]);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private static Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = Matrices.Square(a, "det"), size = n * n;
            int count = Shapes.Count(a.shape[..^2], "det");
            var src = a.Buffer<T>();
            var c = Storage.Uninitialized<T>(count * size, out var lease);
            Matrices.ForBatch(count, (long)n * n * n, (lo, hi) =>
            {
                var lu = new T[size];
                var pivots = new int[n];
                for (int i = lo; i < hi; i++)
                {
                    Array.Copy(src, i * size, lu, 0, size);
                    Lu.Factor(lu, 0, n, pivots, 0);
                    Lu.Cofactors(lu, 0, n, pivots, 0, c, i * size);
                }
            });
            return Tensor.Plain(a.shape, c, lease);
        }

        // With Z = A⁻¹·dA: dC = tr(Z)·C − C·Zᵀ, so Ā = A⁻ᵀ·(⟨Ḡ, C⟩·I − Ḡᵀ·C).
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var inner = (g * y).Sum([-2, -1]).Unsqueeze(-1).Unsqueeze(-1);
            var m = inner * Tensor.Beside(Tensor.Eye(y.shape[^1], y.DType), y) - Matrices.T(g).MatMul(y);
            return [SolveQuiet(Matrices.T(x[0]), m)];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var z = SolveQuiet(x[0], dx[0]!);
            return Trace(z).Unsqueeze(-1).Unsqueeze(-1) * y - y.MatMul(Matrices.T(z));
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>The determinant of square matrices, from LU with partial pivoting.</summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>det A [..batch].</returns>
    /// <remarks>A zero pivot gives exactly 0, never an error. The gradient is the cofactor matrix adj(A)ᵀ (det·A⁻ᵀ),
    /// finite at a singular matrix of rank n − 1 too (docs/conventions.md); higher orders are by solves. The product
    /// over- or underflows where the determinant does: <see cref="Slogdet"/> does not.</remarks>
    /// <example><code>
    /// Linalg.Det(Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2])) // -2
    /// </code></example>
    [Peers("torch.linalg.det", "jnp.linalg.det", "dsharp.det")]
    public static Tensor Det(Tensor a)
    {
        Guard.NotNull(a);
        return Op.Apply(new DetOp(false), a);
    }

    /// <summary>The sign (±1, or 0 for a singular matrix) and the log of the absolute value of the determinant.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>The sign and log|det A|, each [..batch]; −∞ for a singular matrix.</returns>
    /// <remarks>Sums of logs of LU's pivots, so it neither over- nor underflows. The gradient of log|det| is A⁻ᵀ; the
    /// sign's is zero.</remarks>
    /// <example><code>
    /// var (sign, logabsdet) = Linalg.Slogdet(Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]));
    /// // sign = -1, logabsdet = log 2
    /// </code></example>
    [Peers("torch.linalg.slogdet", "jnp.linalg.slogdet", "")]
    public static (Tensor Sign, Tensor LogAbsDet) Slogdet(Tensor a)
    {
        Guard.NotNull(a);
        var packed = Op.Apply(new DetOp(true), a);
        return (packed.Slice(-1, 0, 1).Squeeze(-1), packed.Slice(-1, 1, 2).Squeeze(-1));
    }

    /// <summary>The log of the determinant: NaN where the determinant is negative, −∞ where it is zero.</summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>log det A [..batch].</returns>
    /// <remarks>log|det| plus the log of the sign, from <see cref="Slogdet"/>; its gradient is A⁻ᵀ where the
    /// determinant is positive.</remarks>
    /// <example><code>
    /// Linalg.Logdet(Tensor.FromArray([2.0, 0.0, 0.0, 3.0], [2, 2])) // log 6
    /// </code></example>
    [Peers("torch.logdet", "", "", Composed = true)]
    public static Tensor Logdet(Tensor a)
    {
        Guard.NotNull(a);
        var (sign, logabs) = Slogdet(a);
        return logabs + sign.Log();
    }
}

internal abstract partial class Backend
{
    /// <summary>torch.linalg.det(a); null where the backend has none.</summary>
    internal virtual Tensor? Det(Tensor a) => null;

    /// <summary>torch.linalg.slogdet(a): the sign and log|det|; null where the backend has none.</summary>
    internal virtual (Tensor Sign, Tensor LogAbs)? Slogdet(Tensor a) => null;
}
