using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

public static partial class Linalg
{
    /// <summary>
    /// The lower Cholesky factor L of symmetric positive-definite matrices (only the lower triangle is read); with
    /// <c>ex</c>, L and a status per matrix packed together (Packed.cs), 0 or the failing minor's order, instead of
    /// an error.
    /// </summary>
    private sealed class CholeskyOp(bool ex) : Op
    {
        public override string Name => ex ? "CholeskyEx" : "Cholesky";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (typeof(CholeskyOp), ex);

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            int n = Matrices.Square(x[0], Name);
            if (backend.CholeskyEx(x[0]) is not var (l, info)) return null;
            if (ex) return Packed.Pack(x[0].Rank - 2, l, info.ToDType(x[0].DType).Unsqueeze(-1));
            var status = info.ToInt32Array();
            for (int i = 0; i < status.Length; i++)
                if (status[i] != 0) throw NotPositiveDefinite(Name, x[0].shape[..^2], i, status[i], n);
            return l;
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = Matrices.Square(a, Name), size = n * n;
            var batch = a.shape[..^2];
            int count = Shapes.Count(batch, Name), width = size + (ex ? 1 : 0);
            var src = a.Buffer<T>();
            var y = Storage.Uninitialized<T>(count * width, out var lease);
            var info = new int[count];
            Matrices.ForBatch(count, (long)n * n * n / 3, (lo, hi) =>
            {
                for (int i = lo; i < hi; i++)
                {
                    Array.Copy(src, i * size, y, i * width, size);
                    info[i] = Kernels.Cholesky.Lower(y, i * width, n);
                    if (ex) y[i * width + size] = T.CreateTruncating(info[i]);
                }
            });
            if (!ex)
                for (int i = 0; i < count; i++)
                    if (info[i] != 0) throw NotPositiveDefinite(Name, batch, i, info[i], n);
            return Tensor.Plain(ex ? [.. batch, width] : a.shape, y, lease);
        }

        /// <summary>L from the op's value, or its cotangent or tangent (packed with the status for the ex form).
        /// </summary>
        private Tensor Factor(Tensor y)
        {
            if (!ex) return y;
            int n = (int)Math.Round(Math.Sqrt(y.shape[^1] - 1));
            return Packed.Unpack(y, [n, n], [])[0];
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [CholeskyVjp(Factor(y), Factor(g))];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var dl = CholeskyJvp(Factor(y), dx[0]!);
            return ex ? Packed.Pack(x[0].Rank - 2, dl, Tensor.ZerosLike(y.Slice(-1, 0, 1))) : dl;
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>
    /// Ā = sym(L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹), Φ keeping the lower triangle and half the diagonal: the cotangent of a symmetric A
    /// (what a change of A's lower triangle and its mirror image does).
    /// </summary>
    private static Tensor CholeskyVjp(Tensor l, Tensor gl)
    {
        int n = l.shape[^1];
        var p = Matrices.T(l).MatMul(gl) * Matrices.Triangle(l, n, false, 0.5);
        var s = SolveTriangular(Matrices.T(l), SolveTriangular(l, p, false, left: false), true);
        return (s + Matrices.T(s)) * 0.5;
    }

    /// <summary>dL = L·Φ(L⁻¹·sym(dA)·L⁻ᵀ), the tangent for the symmetric part of dA (adjoint to the VJP).</summary>
    private static Tensor CholeskyJvp(Tensor l, Tensor da)
    {
        int n = l.shape[^1];
        var sym = (da + Matrices.T(da)) * 0.5;
        var z = SolveTriangular(Matrices.T(l), SolveTriangular(l, sym, false), true, left: false);
        return l.MatMul(z * Matrices.Triangle(l, n, false, 0.5));
    }

    /// <summary>The error for a matrix that is not positive definite: the op, the batch element's index in the
    /// leading axes, the order of the failing leading minor, and what to do.</summary>
    internal static LinalgException NotPositiveDefinite(string op, int[] batch, int element, int order, int n)
    {
        var where = batch.Length == 0 ? "the matrix" : $"batch element [{string.Join(", ", Index(batch, element))}]";
        return new LinalgException(
            $"{op}: {where} ({n}x{n}) is not positive definite: its leading minor of order {order} is not positive. "
            + "Check that it is symmetric positive definite, add a small multiple of the identity (jitter), or use "
            + "CholeskyEx to get a status per matrix instead of this error");
    }

    /// <summary>The multi-index of flat batch element i.</summary>
    internal static int[] Index(int[] batch, int i)
    {
        var idx = new int[batch.Length];
        for (int d = batch.Length - 1; d >= 0; d--)
        {
            idx[d] = i % batch[d];
            i /= batch[d];
        }
        return idx;
    }

    /// <summary>
    /// The Cholesky factor of symmetric positive-definite matrices: lower triangular L with L·Lᵀ = A, or with
    /// <paramref name="upper"/> its transpose U with Uᵀ·U = A.
    /// </summary>
    /// <param name="a">Symmetric positive-definite matrices [..batch, n, n]; only the lower triangle is read.</param>
    /// <param name="upper">Whether to return the upper factor Lᵀ.</param>
    /// <returns>The factor, of A's shape.</returns>
    /// <remarks>A matrix that is not positive definite throws <see cref="LinalgException"/>, naming the batch element
    /// and the order of the failing leading minor. The gradient is symmetric: A is taken as symmetric, its lower
    /// triangle and the mirror image moving together.</remarks>
    /// <example><code>
    /// var a = Tensor.FromArray([4.0, 2.0, 2.0, 3.0], [2, 2]);
    /// Linalg.Cholesky(a) // [[2, 0], [1, 1.4142]]
    /// </code></example>
    [Peers("torch.linalg.cholesky", "jnp.linalg.cholesky", "")]
    public static Tensor Cholesky(Tensor a, bool upper = false)
    {
        Guard.NotNull(a);
        var l = Op.Apply(new CholeskyOp(false), a);
        return upper ? Matrices.T(l) : l;
    }

    /// <summary>
    /// The Cholesky factor and a status per matrix, int32, 0 where A is positive definite, else the order of the
    /// first leading minor that is not; no error unless <paramref name="checkErrors"/>.
    /// </summary>
    /// <param name="a">Symmetric matrices [..batch, n, n]; only the lower triangle is read.</param>
    /// <param name="upper">Whether to return the upper factor Lᵀ.</param>
    /// <param name="checkErrors">Whether to throw, as <see cref="Cholesky"/> does, for a matrix that is not
    /// positive definite.</param>
    /// <returns>The factor (not a factor where the status is not 0) and the status [..batch].</returns>
    /// <example><code>
    /// var (l, info) = Linalg.CholeskyEx(Tensor.FromArray([1.0, 2.0, 2.0, 1.0], [2, 2]));
    /// info // 2: the matrix is indefinite
    /// </code></example>
    [Peers("torch.linalg.cholesky_ex", "", "")]
    public static (Tensor L, Tensor Info) CholeskyEx(Tensor a, bool upper = false, bool checkErrors = false)
    {
        Guard.NotNull(a);
        if (checkErrors)
        {
            var checkedL = Cholesky(a, upper);
            return (checkedL, Tensor.ZerosLike(checkedL.Sum([-2, -1])).ToDType(DType.Int32));
        }
        var packed = Op.Apply(new CholeskyOp(true), a);
        int n = Matrices.Square(a, "CholeskyEx");
        var parts = Packed.Unpack(packed, [n, n], []);
        return (upper ? Matrices.T(parts[0]) : parts[0], parts[1].ToDType(DType.Int32));
    }

    /// <summary>
    /// X with A·X = B, given the Cholesky factor of A: L with A = L·Lᵀ, or with <paramref name="upper"/> U with
    /// A = Uᵀ·U. The arguments come in <c>torch.cholesky_solve</c>'s order, B first.
    /// </summary>
    /// <param name="b">Right-hand sides [..batch, n, k]; batch axes broadcast with the factor's.</param>
    /// <param name="l">The factor [..batch, n, n], as <see cref="Cholesky"/> returns it; only its triangle is read.
    /// </param>
    /// <param name="upper">Whether the factor is upper triangular.</param>
    /// <returns>X, of B's matrix shape and the broadcast batch shape.</returns>
    /// <remarks>Two triangular solves (<see cref="SolveTriangular"/>), so the gradients with respect to both B and
    /// the factor are theirs, to any order.</remarks>
    /// <example><code>
    /// var l = Linalg.Cholesky(Tensor.FromArray([4.0, 2.0, 2.0, 3.0], [2, 2]));
    /// Linalg.CholeskySolve(Tensor.FromArray([6.0, 5.0], [2, 1]), l) // [[1], [1]]
    /// </code></example>
    [Peers("torch.cholesky_solve", "jax.scipy.linalg.cho_solve", "", Composed = true)]
    public static Tensor CholeskySolve(Tensor b, Tensor l, bool upper = false)
    {
        Guard.NotNull(b);
        Guard.NotNull(l);
        Matrices.Square(l, "choleskySolve");
        var lt = Matrices.T(l);
        return upper
            ? SolveTriangular(l, SolveTriangular(lt, b, false), true)
            : SolveTriangular(lt, SolveTriangular(l, b, false), true);
    }
}

/// <summary>
/// A matrix that a linear-algebra op cannot handle: not positive definite for a Cholesky factorisation, singular for
/// a solve or an inverse. The message names the op, the batch element and the failing minor or pivot.
/// </summary>
/// <example><code>
/// try { Linalg.Cholesky(Tensor.FromArray([1.0, 2.0, 2.0, 1.0], [2, 2])); }
/// catch (LinalgException e) { Console.WriteLine(e.Message); } // … leading minor of order 2 …
/// </code></example>
public sealed class LinalgException(string? message) : ArithmeticException(message);

internal abstract partial class Backend
{
    /// <summary>torch.linalg.cholesky_ex(a): the lower factor and the int32 status per matrix; null where the backend
    /// has none.</summary>
    internal virtual (Tensor L, Tensor Info)? CholeskyEx(Tensor a) => null;
}
