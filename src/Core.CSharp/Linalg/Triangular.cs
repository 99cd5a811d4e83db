using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

public static partial class Linalg
{
    /// <summary>
    /// X with A·X = B (left) or X·A = B, A triangular: its upper or lower triangle is read, and with a unit
    /// diagonal not its diagonal. Batch axes of A and B broadcast.
    /// </summary>
    private sealed class SolveTriangularOp(bool upper, bool left, bool unit) : Op
    {
        public override string Name => "SolveTriangular";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (typeof(SolveTriangularOp), upper, left, unit);

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            Shape(x[0], x[1]);
            return backend.SolveTriangular(x[0], x[1], upper, left, unit);
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        /// <summary>The result's shape, or the error for arguments that do not fit.</summary>
        internal int[] Shape(Tensor a, Tensor b)
        {
            Elementwise.SameDType(a, b, "solveTriangular");
            int n = Matrices.Square(a, "solveTriangular");
            if (b.Rank < 2 || b.shape[left ? ^2 : ^1] != n)
                throw new ShapeMismatchException(
                    $"solveTriangular: A is {Shapes.Show(a)}, so B must be [..batch, {(left ? $"{n}, k" : $"k, {n}")}]"
                    + $" (left = {left}), but it is {Shapes.Show(b)}");
            return [.. Matrices.Batch(a, b, "solveTriangular"), b.shape[^2], b.shape[^1]];
        }

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var shape = Shape(a, b);
            var batch = shape[..^2];
            int n = a.shape[^1], rows = shape[^2], cols = shape[^1], size = rows * cols;
            var aOff = Matrices.Offsets(a, batch);
            var bOff = Matrices.Offsets(b, batch);
            var ab = a.Buffer<T>();
            var bb = b.Buffer<T>();
            var x = Storage.Uninitialized<T>(Shapes.Count(shape, "solveTriangular"), out var lease);
            Matrices.ForBatch(aOff.Length, (long)n * n * (left ? cols : rows), (lo, hi) =>
            {
                for (int i = lo; i < hi; i++)
                {
                    Array.Copy(bb, bOff[i], x, i * size, size);
                    if (left) Triangular.Left(ab, aOff[i], n, !upper, false, unit, x, i * size, cols);
                    else Triangular.Right(ab, aOff[i], n, !upper, false, unit, x, i * size, rows);
                }
            });
            return Tensor.Plain(shape, x, lease);
        }

        /// <summary>g with only the triangle the op reads (strictly, for a unit diagonal).</summary>
        private Tensor Read(Tensor g) => g * Matrices.Triangle(g, g.shape[^1], upper, unit ? 0.0 : 1.0);

        // X = A⁻¹B: B̄ = A⁻ᵀḠ and Ā = −B̄·Xᵀ; X = B·A⁻¹: B̄ = Ḡ·A⁻ᵀ and Ā = −Xᵀ·B̄; Ā keeps A's read triangle.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (a, b) = (x[0], x[1]);
            var gb = Op.Apply(new SolveTriangularOp(!upper, left, unit), Matrices.T(a), g);
            Tensor? ga = null;
            if (needs[0])
                ga = Read(-(left ? gb.MatMul(Matrices.T(y)) : Matrices.T(y).MatMul(gb))).SumTo(a.shape);
            return [ga, needs[1] ? gb.SumTo(b.shape) : null];
        }

        // dX = A⁻¹(dB − dA·X) (left) or (dB − X·dA)·A⁻¹, dA restricted to the triangle read.
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            Tensor? rhs = dx[1];
            if (dx[0] is { } da)
            {
                var d = Read(da);
                var change = left ? d.MatMul(y) : y.MatMul(d);
                rhs = rhs is null ? -change : rhs - change;
            }
            return Op.Apply(this, x[0], rhs!).BroadcastTo(y.shape);
        }

        // The batch axes go first (padded to a common rank), where the op broadcasts them as batch dimensions.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int rank = Math.Max(x[0].Rank - (axes[0] is null ? 0 : 1), x[1].Rank - (axes[1] is null ? 0 : 1));
            var a = axes[0] is int i ? Batching.Padded(Batching.Moved(x[0], i, 0), rank) : x[0];
            var b = axes[1] is int j ? Batching.Padded(Batching.Moved(x[1], j, 0), rank) : x[1];
            return (Op.Apply(this, a, b), 0);
        }
    }

    /// <summary>
    /// Solves A·X = B (or X·A = B where <paramref name="left"/> is false) for X, A being triangular: only its upper
    /// (<paramref name="upper"/>) or lower triangle is read.
    /// </summary>
    /// <param name="a">Triangular matrices [..batch, n, n]; with <paramref name="unitriangular"/> the diagonal is not
    /// read and taken as ones.</param>
    /// <param name="b">Right-hand sides [..batch, n, k] (or [..batch, k, n] solving from the right); batch axes
    /// broadcast with A's.</param>
    /// <param name="upper">Whether A is upper triangular (else lower).</param>
    /// <param name="left">Whether to solve A·X = B (else X·A = B).</param>
    /// <param name="unitriangular">Whether A's diagonal is taken as ones.</param>
    /// <returns>X, of B's matrix shape and the broadcast batch shape.</returns>
    /// <remarks>Substitution by blocks whose off-diagonal work is a matrix product. A zero on the diagonal gives
    /// infinities or NaN, as substitution does; the gradients are −A⁻ᵀḠXᵀ (restricted to the triangle read) and
    /// A⁻ᵀḠ.</remarks>
    /// <example><code>
    /// var l = Tensor.FromArray([2.0, 0.0, 1.0, 4.0], [2, 2]);
    /// var b = Tensor.FromArray([2.0, 9.0], [2, 1]);
    /// Linalg.SolveTriangular(l, b, upper: false) // [[1], [2]]
    /// </code></example>
    [Peers("torch.linalg.solve_triangular", "jax.scipy.linalg.solve_triangular", "")]
    public static Tensor SolveTriangular(Tensor a, Tensor b, bool upper, bool left = true, bool unitriangular = false)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        return Op.Apply(new SolveTriangularOp(upper, left, unitriangular), a, b);
    }
}

internal abstract partial class Backend
{
    /// <summary>torch.linalg.solve_triangular(a, b, upper, left, unitriangular); null where the backend has none.
    /// </summary>
    internal virtual Tensor? SolveTriangular(Tensor a, Tensor b, bool upper, bool left, bool unit) => null;
}
