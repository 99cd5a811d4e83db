using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Functions of square matrices: the exponential (scaling and squaring, Kernels/Linalg/MatrixExponential.cs) and
// integer powers (repeated squaring of products).
public static partial class Linalg
{
    /// <summary>exp(A) of each matrix; its rules are the Fréchet derivative, a block of an exponential.</summary>
    private sealed class MatrixExpOp : Op
    {
        internal static readonly MatrixExpOp Instance = new();
        public override string Name => "MatrixExp";
        public override bool ReadsValuesOnly => true;

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private static Tensor Compute<T>(Tensor a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = a.shape[^1];
            var y = Storage.Uninitialized<T>(a.Count, out var lease);
            MatrixExponential.Exp(a.Buffer<T>(), Shapes.Count(a.shape[..^2], "matrix_exp"), n, y);
            return Tensor.Plain(a.shape, y, lease);
        }

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => backend.MatrixExp(x[0]);

        // The Fréchet derivative L(A, E) is the upper right block of exp([[A, E], [0, A]]) (Higham, Functions of
        // Matrices, theorem 3.6), and its adjoint is L(Aᵀ, ·); both are this op again, so every order follows.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Frechet(Matrices.T(x[0]), g)];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Frechet(x[0], dx[0]!);

        private static Tensor Frechet(Tensor a, Tensor e)
        {
            int n = a.shape[^1];
            var top = Tensor.Concat([a, e], -1);
            var bottom = Tensor.Concat([Tensor.ZerosLike(a), a], -1);
            var big = Op.Apply(Instance, Tensor.Concat([top, bottom], -2));
            return big.Slice(-2, 0, n).Slice(-1, n, 2 * n);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>The matrix exponential exp(A) = Σ Aᵏ/k! of each square matrix of <paramref name="a"/>.</summary>
    /// <remarks>
    /// Scaling and squaring with a diagonal Padé approximant of degree 3 to 13 (3 to 7 in float32) chosen by A's
    /// 1-norm (Higham 2005), accurate to a few units in the last place for matrices that are not badly
    /// non-normal. A matrix with a NaN or infinite element gives NaN everywhere. The derivatives are the Fréchet
    /// derivative, computed as a block of the exponential of a matrix twice the size, so they cost about eight times
    /// the value.
    /// </remarks>
    /// <example><code>
    /// Linalg.MatrixExp(Tensor.FromArray([0.0, 1.0, 0.0, 0.0], [2, 2])) // tensor([[1., 1.], [0., 1.]], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.matrix_exp", "jax.scipy.linalg.expm", "")]
    public static Tensor MatrixExp(Tensor a)
    {
        Guard.NotNull(a);
        Matrices.Square(a, "matrix_exp");
        return Op.Apply(MatrixExpOp.Instance, a);
    }

    /// <summary>The integer power Aⁿ of each square matrix of <paramref name="a"/>: the identity for n = 0, and
    /// powers of A's inverse for n &lt; 0.</summary>
    /// <remarks>
    /// By repeated squaring: about 2·log₂|n| matrix products, in an order fixed by n; a negative n inverts A first
    /// (<see cref="Inv"/>, whose errors a singular matrix gives). Composed of matrix products, so its derivatives
    /// are theirs. n = 0 gives the identity for any A, NaN and infinite elements included, as PyTorch does.
    /// </remarks>
    /// <example><code>
    /// var a = Tensor.FromArray([1.0, 1.0, 0.0, 1.0], [2, 2]);
    /// Linalg.MatrixPower(a, 3) // tensor([[1., 3.], [0., 1.]], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.matrix_power", "jnp.linalg.matrix_power", "", Composed = true)]
    public static Tensor MatrixPower(Tensor a, int n)
    {
        Guard.NotNull(a);
        Matrices.Square(a, "matrix_power");
        if (n == 0)
            return Tensor.Beside(Tensor.Eye(a.shape[^1], a.DType), a).BroadcastTo(a.shape);
        long e = Math.Abs((long)n);
        var b = n < 0 ? Inv(a) : a;
        Tensor? result = null;
        while (true)
        {
            if ((e & 1) != 0) result = result is null ? b : result.MatMul(b);
            e >>= 1;
            if (e == 0) return result!;
            b = b.MatMul(b);
        }
    }
}

internal abstract partial class Backend
{
    /// <summary>torch.linalg.matrix_exp.</summary>
    internal virtual Tensor? MatrixExp(Tensor a) => null;
}
