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

        /// <summary>A⁻ᵀ, by a solve that gives infinities rather than an error at a singular matrix.</summary>
        private static Tensor InverseTransposed(Tensor a)
        {
            int n = a.shape[^1];
            var eye = Tensor.Beside(Tensor.Eye(n, a.DType), a);
            var packed = Op.Apply(new SolveOp(true, true, "det"), Matrices.T(a), eye);
            return Packed.Unpack(packed, [n, n], [])[0];
        }

        // d det = det·tr(A⁻¹·dA), so Ā = ḡ·det·A⁻ᵀ; d log|det| = tr(A⁻¹·dA), so Ā = ḡ·A⁻ᵀ; the sign is locally
        // constant.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var scale = log ? g.Slice(-1, 1, 2).Unsqueeze(-1) : (g * y).Unsqueeze(-1).Unsqueeze(-1);
            return [scale * InverseTransposed(x[0])];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            int n = x[0].shape[^1];
            var solved = Op.Apply(new SolveOp(true, true, "det"), x[0], dx[0]!);
            var z = Packed.Unpack(solved, [n, n], [])[0];
            var trace = (z * Tensor.Beside(Tensor.Eye(n, z.DType), z)).Sum([-2, -1]);
            if (!log) return y * trace;
            return Tensor.Stack([Tensor.ZerosLike(trace), trace], -1);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>The determinant of square matrices, from LU with partial pivoting.</summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>det A [..batch].</returns>
    /// <remarks>A zero pivot gives exactly 0, never an error. The gradient is det·A⁻ᵀ by a solve, to any order; at
    /// an exactly singular matrix that solve is infinite and the gradient NaN (see docs/conventions.md). The product
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
