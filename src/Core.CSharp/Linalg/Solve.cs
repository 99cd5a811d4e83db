using FuncGrad.Kernels;
using System.Buffers;
using System.Numerics;

namespace FuncGrad;

public static partial class Linalg
{
    /// <summary>
    /// X with A·X = B (left) or X·A = B by LU with partial pivoting, batch axes broadcast; with <c>ex</c>, X and a
    /// status per matrix packed together (Packed.cs) instead of an error for a singular A. <c>what</c> names the
    /// public op in errors (solve, inv).
    /// </summary>
    private sealed class SolveOp(bool left, bool ex, string what) : Op
    {
        public override string Name => ex ? "SolveEx" : "Solve";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (typeof(SolveOp), left, ex, what);

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            var shape = Shape(x[0], x[1]);
            var (a, b) = (x[0], x[1]);
            if (!ex)
            {
                // a singular matrix gets FuncGrad's error, naming the pivot, from a status computed first
                if (backend.LuFactor(a) is not var (lu, _, _)) return null;
                Singular(lu, a.shape[^1], what, a.shape[..^2]);
            }
            var r = backend.SolveEx(a, b, left);
            if (r is not var (xs, info)) return null;
            if (!ex) return xs;
            var batch = shape[..^2];
            return Packed.Pack(batch.Length, xs.BroadcastTo(shape),
                info.ToDType(a.DType).BroadcastTo(batch).Reshape([.. batch, 1]));
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        /// <summary>X's shape, or the error for arguments that do not fit.</summary>
        private int[] Shape(Tensor a, Tensor b)
        {
            Elementwise.SameDType(a, b, what);
            int n = Matrices.Square(a, what);
            if (b.Rank < 2 || b.shape[left ? ^2 : ^1] != n)
                throw new ShapeMismatchException(
                    $"{what}: A is {Shapes.Show(a)}, so B must be [..batch, {(left ? $"{n}, k" : $"k, {n}")}]"
                    + $" (left = {left}), but it is {Shapes.Show(b)}");
            return [.. Matrices.Batch(a, b, what), b.shape[^2], b.shape[^1]];
        }

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var shape = Shape(a, b);
            var batch = shape[..^2];
            int n = a.shape[^1], rows = shape[^2], cols = shape[^1], size = rows * cols, width = size + (ex ? 1 : 0);
            int k = left ? cols : rows;
            var aOff = Matrices.Offsets(a, batch);
            var bOff = Matrices.Offsets(b, batch);
            var ab = a.Buffer<T>();
            var bb = b.Buffer<T>();
            int count = aOff.Length;
            var y = Storage.Uninitialized<T>(count * width, out var lease);
            var info = new int[count];
            Matrices.ForBatch(count, (long)n * n * (n + k), (lo, hi) =>
            {
                var lu = ArrayPool<T>.Shared.Rent(n * n);
                var rhs = left ? null : ArrayPool<T>.Shared.Rent(size);
                var pivots = new int[n];
                try
                {
                    for (int i = lo; i < hi; i++)
                    {
                        // X·A = B is Aᵀ·Xᵀ = Bᵀ: factor Aᵀ and solve for Xᵀ
                        if (left) Array.Copy(ab, aOff[i], lu, 0, n * n);
                        else Transpose(ab, aOff[i], lu, n, n);
                        info[i] = Lu.Factor(lu, 0, n, pivots, 0);
                        if (left)
                        {
                            Array.Copy(bb, bOff[i], y, i * width, size);
                            Lu.Solve(lu, 0, n, pivots, 0, y, i * width, k);
                        }
                        else
                        {
                            Transpose(bb, bOff[i], rhs!, rows, cols);
                            Lu.Solve(lu, 0, n, pivots, 0, rhs!, 0, k);
                            Transpose(rhs!, 0, y, cols, rows, i * width);
                        }
                        if (ex) y[i * width + size] = T.CreateTruncating(info[i]);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(lu);
                    if (rhs is not null) ArrayPool<T>.Shared.Return(rhs);
                }
            });
            if (!ex)
                for (int i = 0; i < count; i++)
                    if (info[i] != 0) throw SingularError(what, batch, i, info[i], n);
            return Tensor.Plain(ex ? [.. batch, width] : shape, y, lease);
        }

        private static void Transpose<T>(T[] src, int off, T[] dst, int rows, int cols, int dstOff = 0)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    dst[dstOff + j * rows + i] = src[off + i * cols + j];
        }

        /// <summary>X (or its cotangent or tangent) from the op's value, unpacked for the ex form.</summary>
        private Tensor Solution(Tensor y, Tensor b)
        {
            if (!ex) return y;
            var s = y.shape[^1] - 1;
            return y.Slice(-1, 0, s).Reshape([.. y.shape[..^1], b.shape[^2], b.shape[^1]]);
        }

        // X = A⁻¹B: B̄ = A⁻ᵀḠ and Ā = −B̄·Xᵀ; X = B·A⁻¹: B̄ = Ḡ·A⁻ᵀ and Ā = −Xᵀ·B̄.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (a, b) = (x[0], x[1]);
            var xs = Solution(y, b);
            var gb = Op.Apply(new SolveOp(left, false, what), Matrices.T(a), Solution(g, b));
            Tensor? ga = needs[0]
                ? (-(left ? gb.MatMul(Matrices.T(xs)) : Matrices.T(xs).MatMul(gb))).SumTo(a.shape)
                : null;
            return [ga, needs[1] ? gb.SumTo(b.shape) : null];
        }

        // dX = A⁻¹(dB − dA·X) (left) or (dB − X·dA)·A⁻¹.
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var xs = Solution(y, x[1]);
            Tensor? rhs = dx[1];
            if (dx[0] is { } da)
            {
                var change = left ? da.MatMul(xs) : xs.MatMul(da);
                rhs = rhs is null ? -change : rhs - change;
            }
            var dxs = Op.Apply(new SolveOp(left, false, what), x[0], rhs!).BroadcastTo(xs.shape);
            if (!ex) return dxs;
            return Packed.Pack(xs.Rank - 2, dxs, Tensor.ZerosLike(y.Slice(-1, 0, 1)));
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int rank = Math.Max(x[0].Rank - (axes[0] is null ? 0 : 1), x[1].Rank - (axes[1] is null ? 0 : 1));
            var a = axes[0] is int i ? Batching.Padded(Batching.Moved(x[0], i, 0), rank) : x[0];
            var b = axes[1] is int j ? Batching.Padded(Batching.Moved(x[1], j, 0), rank) : x[1];
            return (Op.Apply(this, a, b), 0);
        }
    }

    /// <summary>B as matrices: a batch of vectors [..batch, n] (B's shape is A's without the last axis, as
    /// torch.linalg.solve reads it) becomes columns [..batch, n, 1].</summary>
    private static bool Vectors(Tensor a, Tensor b, bool left) =>
        left && b.Rank == a.Rank - 1 && b.Rank >= 1 && b.shape.AsSpan().SequenceEqual(a.shape.AsSpan(0, a.Rank - 1));

    /// <summary>
    /// Solves A·X = B (or X·A = B where <paramref name="left"/> is false) for square A, by LU with partial pivoting.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <param name="b">Right-hand sides [..batch, n, k] (or [..batch, k, n] from the right), or vectors of A's shape
    /// less its last axis; batch axes broadcast.</param>
    /// <param name="left">Whether to solve A·X = B (else X·A = B).</param>
    /// <returns>X.</returns>
    /// <remarks>A singular matrix (a zero pivot) throws <see cref="LinalgException"/> naming the batch element and
    /// the pivot; <see cref="SolveEx"/> returns a status instead. The gradients are −A⁻ᵀḠXᵀ and A⁻ᵀḠ, solves
    /// themselves, so every order works.</remarks>
    /// <example><code>
    /// var a = Tensor.FromArray([3.0, 1.0, 1.0, 2.0], [2, 2]);
    /// Linalg.Solve(a, Tensor.FromArray([9.0, 8.0], [2])) // [2, 3]
    /// </code></example>
    [Peers("torch.linalg.solve", "jnp.linalg.solve", "dsharp.solve")]
    public static Tensor Solve(Tensor a, Tensor b, bool left = true)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        if (Vectors(a, b, left)) return Op.Apply(new SolveOp(left, false, "solve"), a, b.Unsqueeze(-1)).Squeeze(-1);
        return Op.Apply(new SolveOp(left, false, "solve"), a, b);
    }

    /// <summary>
    /// Solves A·X = B (or X·A = B) by LU with partial pivoting and returns a status per matrix, int32: 0, or the
    /// 1-based index of the first zero pivot; no error unless <paramref name="checkErrors"/>.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <param name="b">Right-hand sides, as for <see cref="Solve"/>.</param>
    /// <param name="left">Whether to solve A·X = B (else X·A = B).</param>
    /// <param name="checkErrors">Whether to throw, as <see cref="Solve"/> does, for a singular matrix.</param>
    /// <returns>X (infinite or NaN where the status is not 0) and the status [..batch].</returns>
    /// <example><code>
    /// var a = Tensor.FromArray([1.0, 2.0, 2.0, 4.0], [2, 2]);
    /// var (x, info) = Linalg.SolveEx(a, Tensor.FromArray([1.0, 1.0], [2]));
    /// info // 2
    /// </code></example>
    [Peers("torch.linalg.solve_ex", "", "")]
    public static (Tensor Result, Tensor Info) SolveEx(Tensor a, Tensor b, bool left = true, bool checkErrors = false)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        bool vectors = Vectors(a, b, left);
        var bm = vectors ? b.Unsqueeze(-1) : b;
        var packed = Op.Apply(new SolveOp(left, !checkErrors, "solveEx"), a, bm);
        if (checkErrors)
        {
            var info = Tensor.ZerosLike(packed.Sum([-2, -1])).ToDType(DType.Int32);
            return (vectors ? packed.Squeeze(-1) : packed, info);
        }
        var parts = Packed.Unpack(packed, [bm.shape[^2], bm.shape[^1]], []);
        return (vectors ? parts[0].Squeeze(-1) : parts[0], parts[1].ToDType(DType.Int32));
    }

    /// <summary>The inverse of square matrices, by LU with partial pivoting: the solve of A·X = I.</summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>A⁻¹.</returns>
    /// <remarks>A singular matrix throws <see cref="LinalgException"/> naming the batch element and the pivot;
    /// <see cref="InvEx"/> returns a status instead. The gradient is −A⁻ᵀ·Ḡ·A⁻ᵀ, to any order.</remarks>
    /// <example><code>
    /// Linalg.Inv(Tensor.FromArray([4.0, 7.0, 2.0, 6.0], [2, 2])) // [[0.6, -0.7], [-0.2, 0.4]]
    /// </code></example>
    [Peers("torch.linalg.inv", "jnp.linalg.inv", "dsharp.inv", Composed = true)]
    public static Tensor Inv(Tensor a)
    {
        Guard.NotNull(a);
        int n = Matrices.Square(a, "inv");
        return Op.Apply(new SolveOp(true, false, "inv"), a, Tensor.Beside(Tensor.Eye(n, a.DType), a));
    }

    /// <summary>
    /// The inverse of square matrices and a status per matrix, int32: 0, or the 1-based index of the first zero
    /// pivot; no error unless <paramref name="checkErrors"/>.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <param name="checkErrors">Whether to throw, as <see cref="Inv"/> does, for a singular matrix.</param>
    /// <returns>A⁻¹ (infinite or NaN where the status is not 0) and the status [..batch].</returns>
    /// <example><code>
    /// var (inverse, info) = Linalg.InvEx(Tensor.FromArray([1.0, 2.0, 2.0, 4.0], [2, 2]));
    /// info // 2
    /// </code></example>
    [Peers("torch.linalg.inv_ex", "", "", Composed = true)]
    public static (Tensor Inverse, Tensor Info) InvEx(Tensor a, bool checkErrors = false)
    {
        Guard.NotNull(a);
        int n = Matrices.Square(a, "invEx");
        var (x, info) = SolveEx(a, Tensor.Beside(Tensor.Eye(n, a.DType), a), true, checkErrors);
        return (x, info);
    }
}

internal abstract partial class Backend
{
    /// <summary>torch.linalg.solve_ex(a, b, left): X and the int32 status per matrix; null where the backend has
    /// none.</summary>
    internal virtual (Tensor X, Tensor Info)? SolveEx(Tensor a, Tensor b, bool left) => null;
}
