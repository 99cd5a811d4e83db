using FuncGrad.Kernels;

namespace FuncGrad;

// The lower and upper triangles of a matrix (tril, triu): layout ops that zero what lies off the triangle, for every
// dtype. Both are linear and self-adjoint (a mask), so each one's VJP and JVP is itself.
public static partial class Linalg
{
    private sealed class TriangleOp(bool upper, int k) : CopyOp
    {
        public override string Name => upper ? "Triu" : "Tril";
        internal override object Identity => (Name, k);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Triangle(x[0], upper, k);
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var d = Storage.Uninitialized<T>(x.Count, out var lease); // the kernel writes every element
            Triangles.Keep(x.Span<T>(), d, x.shape[^2], x.shape[^1], k, upper);
            return Tensor.Plain(x.shape, d, lease);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Op.Apply(this, g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        // The leading axes are a batch already: a batch axis among them stays; one among the matrix axes goes first.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int a = axes[0]!.Value;
            return a < x[0].Rank - 2 ? (Op.Apply(this, x[0]), a) : (Op.Apply(this, Batching.Front(x[0], a)), 0);
        }
    }

    private static Tensor Triangle(Tensor a, int diagonal, bool upper)
    {
        Guard.NotNull(a);
        string name = upper ? "triu" : "tril";
        if (a.Rank < 2)
            throw new RankException($"{name}: needs a matrix or a batch of matrices (rank 2 or more) but got "
                + $"{Shapes.Show(a)}; make a vector a matrix first (Unsqueeze, or DiagEmbed for a diagonal matrix)");
        return Op.Apply(new TriangleOp(upper, diagonal), a);
    }

    /// <summary>The lower triangle of each matrix (the last two axes): the elements on and below diagonal
    /// <paramref name="diagonal"/> kept, the others zero.</summary>
    /// <remarks>Diagonal 0 is the main one, k &gt; 0 lies k columns right of it, k &lt; 0 below it. Takes every
    /// dtype.</remarks>
    /// <example><code>
    /// var a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
    /// Linalg.Tril(a) // tensor([[1., 0.], [3., 4.]], dtype=float64)
    /// </code></example>
    [Peers("torch.tril", "jnp.tril", "dsharp.tril", Notes = "every dtype")]
    public static Tensor Tril(Tensor a, int diagonal = 0) => Triangle(a, diagonal, upper: false);

    /// <summary>The upper triangle of each matrix (the last two axes): the elements on and above diagonal
    /// <paramref name="diagonal"/> kept, the others zero.</summary>
    /// <remarks>Diagonal 0 is the main one, k &gt; 0 lies k columns right of it, k &lt; 0 below it. Takes every
    /// dtype.</remarks>
    /// <example><code>
    /// var a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
    /// Linalg.Triu(a) // tensor([[1., 2.], [0., 4.]], dtype=float64)
    /// </code></example>
    [Peers("torch.triu", "jnp.triu", "dsharp.triu", Notes = "every dtype")]
    public static Tensor Triu(Tensor a, int diagonal = 0) => Triangle(a, diagonal, upper: true);
}

internal abstract partial class Backend
{
    /// <summary>The lower (tril) or upper (triu) triangle from diagonal k of each matrix of x, the rest zero.</summary>
    internal virtual Tensor? Triangle(Tensor x, bool upper, int k) => null;
}
