using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

public static partial class Linalg
{
    /// <summary>
    /// LU with partial pivoting, A = P·L·U, as one packed value per matrix: the factors LU (L's strict lower triangle,
    /// U's upper), the permutation matrix P, the pivots (1-based, as floats) and, for the ex form, the status.
    /// </summary>
    private sealed class LuFactorOp(bool ex) : Op
    {
        public override string Name => ex ? "LuFactorEx" : "LuFactor";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (typeof(LuFactorOp), ex);

        internal static int[][] Parts(int n) => [[n, n], [n, n], [n], []];

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            int n = Matrices.Square(x[0], Name);
            if (backend.LuFactor(x[0]) is not var (lu, p, pivots)) return null;
            var info = Singular(lu, n, ex ? null : Name, x[0].shape[..^2]);
            var dt = x[0].DType;
            return Packed.Pack(x[0].Rank - 2, lu, p, pivots.ToDType(dt), info);
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = Matrices.Square(a, Name), size = n * n, width = 2 * size + n + 1;
            var batch = a.shape[..^2];
            int count = Shapes.Count(batch, Name);
            var src = a.Buffer<T>();
            var y = Storage.Uninitialized<T>(count * width, out var lease);
            var info = new int[count];
            var pivots = new int[count * n];
            Matrices.ForBatch(count, (long)n * n * n, (lo, hi) =>
            {
                var perm = new int[n];
                for (int i = lo; i < hi; i++)
                {
                    int o = i * width;
                    Array.Copy(src, i * size, y, o, size);
                    info[i] = Lu.Factor(y, o, n, pivots, i * n);
                    var p = y.AsSpan(o + size, size);
                    p.Clear();
                    for (int r = 0; r < n; r++) perm[r] = r;
                    for (int j = 0; j < n; j++)
                    {
                        int q = pivots[i * n + j];
                        (perm[j], perm[q]) = (perm[q], perm[j]);
                        y[o + 2 * size + j] = T.CreateTruncating(q + 1);
                    }
                    for (int r = 0; r < n; r++) p[perm[r] * n + r] = T.One;
                    y[o + width - 1] = T.CreateTruncating(info[i]);
                }
            });
            if (!ex)
                for (int i = 0; i < count; i++)
                    if (info[i] != 0) throw SingularError(Name, batch, i, info[i], n);
            return Tensor.Plain([.. batch, width], y, lease);
        }

        // A = P·L·U: with X = L⁻¹·Pᵀ·dA·U⁻¹, dL = L·tril(X, −1) and dU = triu(X)·U, so the cotangent of A is
        // P·L⁻ᵀ·(tril(Lᵀ·L̄, −1) + triu(Ū·Uᵀ))·U⁻ᵀ, with L̄ and Ū the two triangles of LU's cotangent.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            int n = x[0].shape[^1];
            var parts = Packed.Unpack(y, Parts(n));
            var (lu, p) = (parts[0], parts[1]);
            var glu = Packed.Unpack(g, Parts(n))[0];
            var strict = Matrices.Triangle(lu, n, false, 0.0);
            var upperMask = Matrices.Triangle(lu, n, true, 1.0);
            var l = lu * strict + Tensor.Beside(Tensor.Eye(n, lu.DType), lu);
            var u = lu * upperMask;
            var m = Matrices.T(l).MatMul(glu * strict) * strict + (glu * upperMask).MatMul(Matrices.T(u)) * upperMask;
            var left = SolveTriangular(Matrices.T(lu), m, true, unitriangular: true);
            return [p.MatMul(SolveTriangular(Matrices.T(lu), left, false, left: false))];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            int n = x[0].shape[^1];
            var parts = Packed.Unpack(y, Parts(n));
            var (lu, p) = (parts[0], parts[1]);
            var strict = Matrices.Triangle(lu, n, false, 0.0);
            var upperMask = Matrices.Triangle(lu, n, true, 1.0);
            var z = SolveTriangular(lu, Matrices.T(p).MatMul(dx[0]!), false, unitriangular: true);
            var xm = SolveTriangular(lu, z, true, left: false);
            var l = lu * strict + Tensor.Beside(Tensor.Eye(n, lu.DType), lu);
            var dlu = l.MatMul(xm * strict) + (xm * upperMask).MatMul(lu * upperMask);
            var zeros = Tensor.ZerosLike(y.Slice(-1, n * n, y.shape[^1]));
            return Packed.Pack(x[0].Rank - 2, dlu, zeros);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>The status per matrix from LU's diagonal on a backend (0, or the first zero pivot's 1-based index),
    /// [..batch, 1] in LU's dtype; throws the singular error for the op named, when one is.</summary>
    private static Tensor Singular(Tensor lu, int n, string? op, int[] batch)
    {
        var d = lu.ToArray();
        int count = d.Length / Math.Max(1, n * n);
        var info = new double[count];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < n; j++)
                if (d[i * n * n + j * n + j] == 0)
                {
                    if (op is not null) throw SingularError(op, batch, i, j + 1, n);
                    info[i] = j + 1;
                    break;
                }
        return Tensor.Beside(Tensor.FromArray(info, [.. batch, 1]).ToDType(lu.DType), lu);
    }

    /// <summary>The error for a singular matrix: the op, the batch element, the zero pivot, and what to do.</summary>
    internal static LinalgException SingularError(string op, int[] batch, int element, int pivot, int n)
    {
        var where = batch.Length == 0 ? "the matrix" : $"batch element [{string.Join(", ", Index(batch, element))}]";
        return new LinalgException(
            $"{op}: {where} ({n}x{n}) is singular: pivot {pivot} of its LU factorisation with partial pivoting, "
            + $"U[{pivot - 1}, {pivot - 1}], is exactly zero. Use Lstsq or Pinv for a singular system, or the Ex form "
            + "(LuFactorEx, SolveEx, InvEx) to get a status per matrix instead of this error");
    }

    /// <summary>
    /// The permutation matrix P [..batch, n, n] of LU pivots (1-based, int32, each the row swapped with row j at step
    /// j), in the dtype and on the device of the second argument, which is read for nothing else. P is constant: no
    /// derivative reaches either argument.
    /// </summary>
    private sealed class PermutationOp : Op
    {
        internal static readonly PermutationOp Instance = new();
        public override string Name => "Permutation";
        public override bool ReadsValuesOnly => true;
        internal override bool AnyDType => true;

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) =>
            Tensor.Beside(Compute([x[0].To(Device.Managed), Tensor.ZerosLike(x[1]).To(Device.Managed)]), x[1]);

        public override Tensor Compute(Tensor[] x)
        {
            var piv = x[0];
            if (piv.DType != DType.Int32 || piv.Rank < 1)
                throw new DTypeMismatchException(
                    $"luSolve: pivots must be int32 [..batch, n], as LuFactor returns them, but are "
                    + Shapes.Show(piv));
            int n = piv.shape[^1];
            var batch = piv.shape[..^1];
            int count = Shapes.Count(batch, "luSolve");
            var pv = piv.ToInt32Array();
            var m = new double[count * n * n];
            var perm = new int[n];
            for (int i = 0; i < count; i++)
            {
                for (int r = 0; r < n; r++) perm[r] = r;
                for (int j = 0; j < n; j++)
                {
                    int q = pv[i * n + j] - 1;
                    if (q < j || q >= n)
                        throw new ArgumentException(
                            $"luSolve: pivot {j} is {q + 1}, outside [{j + 1}, {n}]; pass the pivots that "
                            + "LuFactor returned");
                    (perm[j], perm[q]) = (perm[q], perm[j]);
                }
                for (int r = 0; r < n; r++) m[i * n * n + perm[r] * n + r] = 1;
            }
            // made beside the carrier: the default device may be another (FUNCGRAD_DEVICE)
            return Tensor.Beside(Tensor.FromArray(m, [.. batch, n, n]), x[1]).ToDType(x[1].DType);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [null, needs[1] ? Tensor.ZerosLike(x[1]) : null];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Tensor.ZerosLike(y);

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            if (axes[0] is null) return (Op.Apply(this, x[0], x[1]), null);
            return (Op.Apply(this, Batching.Front(x[0], axes[0]), x[1]), 0);
        }
    }

    /// <summary>
    /// The LU factorisation with partial pivoting, A = P·L·U, in LAPACK's compact form: L (unit diagonal, not
    /// stored) and U together in one matrix, and the pivots.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <returns>LU [..batch, n, n] and the pivots [..batch, n], int32 and 1-based as LAPACK and torch give them:
    /// row j was swapped with row pivots[j] at step j.</returns>
    /// <remarks>A singular matrix (a pivot exactly zero) throws <see cref="LinalgException"/> naming the batch
    /// element and the pivot; <see cref="LuFactorEx"/> returns a status instead. The gradient flows through LU, to
    /// any order; the pivots are constant.</remarks>
    /// <example><code>
    /// var (lu, pivots) = Linalg.LuFactor(Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]));
    /// // lu = [[3, 4], [0.3333, 0.6667]], pivots = [2, 2]
    /// </code></example>
    [Peers("torch.linalg.lu_factor", "jax.scipy.linalg.lu_factor", "")]
    public static (Tensor LU, Tensor Pivots) LuFactor(Tensor a)
    {
        Guard.NotNull(a);
        var parts = Packed.Unpack(Op.Apply(new LuFactorOp(false), a), LuFactorOp.Parts(Matrices.Square(a, "LuFactor")));
        return (parts[0], parts[2].ToDType(DType.Int32));
    }

    /// <summary>
    /// The LU factorisation with partial pivoting and a status per matrix, int32: 0, or the 1-based index of the
    /// first pivot that is exactly zero; no error unless <paramref name="checkErrors"/>.
    /// </summary>
    /// <param name="a">Square matrices [..batch, n, n].</param>
    /// <param name="checkErrors">Whether to throw, as <see cref="LuFactor"/> does, for a singular matrix.</param>
    /// <returns>LU, the pivots (as <see cref="LuFactor"/>) and the status [..batch].</returns>
    /// <example><code>
    /// var (lu, pivots, info) = Linalg.LuFactorEx(Tensor.FromArray([1.0, 2.0, 2.0, 4.0], [2, 2]));
    /// info // 2: the second pivot is zero
    /// </code></example>
    [Peers("torch.linalg.lu_factor_ex", "", "")]
    public static (Tensor LU, Tensor Pivots, Tensor Info) LuFactorEx(Tensor a, bool checkErrors = false)
    {
        Guard.NotNull(a);
        int n = Matrices.Square(a, "LuFactorEx");
        var parts = Packed.Unpack(Op.Apply(new LuFactorOp(!checkErrors), a), LuFactorOp.Parts(n));
        return (parts[0], parts[2].ToDType(DType.Int32), parts[3].ToDType(DType.Int32));
    }

    /// <summary>
    /// Solves A·X = B (or X·A = B, or with Aᵀ where <paramref name="adjoint"/>) from A's LU factorisation as
    /// <see cref="LuFactor"/> returns it.
    /// </summary>
    /// <param name="lu">The compact factors [..batch, n, n].</param>
    /// <param name="pivots">The pivots [..batch, n], int32, 1-based.</param>
    /// <param name="b">Right-hand sides [..batch, n, k] (or [..batch, k, n] solving from the right).</param>
    /// <param name="left">Whether to solve A·X = B (else X·A = B).</param>
    /// <param name="adjoint">Whether to solve with Aᵀ instead of A.</param>
    /// <returns>X.</returns>
    /// <remarks>A permutation and two triangular solves (<see cref="SolveTriangular"/>): differentiable with respect
    /// to LU and B, to any order.</remarks>
    /// <example><code>
    /// var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]);
    /// var (lu, pivots) = Linalg.LuFactor(a);
    /// Linalg.LuSolve(lu, pivots, Tensor.FromArray([5.0, 11.0], [2, 1])) // [[1], [2]]
    /// </code></example>
    [Peers("torch.linalg.lu_solve", "jax.scipy.linalg.lu_solve", "", Composed = true)]
    public static Tensor LuSolve(Tensor lu, Tensor pivots, Tensor b, bool left = true, bool adjoint = false)
    {
        Guard.NotNull(lu);
        Guard.NotNull(pivots);
        Guard.NotNull(b);
        Matrices.Square(lu, "luSolve");
        var p = Op.Apply(PermutationOp.Instance, pivots, lu);
        var lt = Matrices.T(lu);
        if (left && !adjoint)
            return SolveTriangular(lu, SolveTriangular(lu, Matrices.T(p).MatMul(b), false, unitriangular: true), true);
        if (left)
            return p.MatMul(SolveTriangular(lt, SolveTriangular(lt, b, false), true, unitriangular: true));
        if (!adjoint)
        {
            var z = SolveTriangular(lu, b, true, left: false);
            return SolveTriangular(lu, z, false, left: false, unitriangular: true).MatMul(Matrices.T(p));
        }
        var w = SolveTriangular(lt, b.MatMul(p), true, left: false, unitriangular: true);
        return SolveTriangular(lt, w, false, left: false);
    }
}

internal abstract partial class Backend
{
    /// <summary>LU with partial pivoting (torch.linalg.lu_factor and lu_unpack): the compact factors, the permutation
    /// matrix P with A = P·L·U, and the int32 pivots; null where the backend has none or refuses the matrix.</summary>
    internal virtual (Tensor LU, Tensor P, Tensor Pivots)? LuFactor(Tensor a) => null;
}
