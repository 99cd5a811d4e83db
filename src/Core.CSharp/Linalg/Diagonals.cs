using FuncGrad.Kernels;

namespace FuncGrad;

// Diagonals: Diagonal reads one out of two axes, DiagEmbed writes one into zeros, and Trace sums it. Diagonal and
// DiagEmbed are layout ops for every dtype, each the other's transpose: a diagonal is a strided view (stride the sum
// of the two axes' strides), gathered or scattered by the strided-copy kernels.
public static partial class Linalg
{
    /// <summary>The diagonal's length in a <paramref name="n1"/>×<paramref name="n2"/> plane: as torch.diagonal counts
    /// it, 0 when the offset leaves the plane.</summary>
    private static int DiagonalLength(int n1, int n2, int offset) =>
        Math.Max(0, offset >= 0 ? Math.Min(n1, n2 - offset) : Math.Min(n1 + offset, n2));

    /// <summary>The diagonal of axes d1, d2 of a tensor of <paramref name="shape"/> as a strided view of it: the other
    /// axes in order, then the diagonal; their strides; the first element's position.</summary>
    private static (int[] Shape, int[] Strides, int Start) DiagonalView(int[] shape, int offset, int d1, int d2)
    {
        var own = Shapes.Strides(shape);
        var viewShape = new int[shape.Length - 1];
        var viewStrides = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
            if (i != d1 && i != d2) { viewShape[j] = shape[i]; viewStrides[j++] = own[i]; }
        int length = DiagonalLength(shape[d1], shape[d2], offset);
        viewShape[^1] = length;
        viewStrides[^1] = own[d1] + own[d2];
        int start = length == 0 ? 0 : offset >= 0 ? offset * own[d2] : -offset * own[d1];
        return (viewShape, viewStrides, start);
    }

    private sealed class DiagonalOp(int offset, int d1, int d2) : CopyOp
    {
        public override string Name => "Diagonal";
        internal override object Identity => (Name, offset, d1, d2);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Diagonal(x[0], offset, d1, d2);
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var (shape, strides, start) = DiagonalView(x.shape, offset, d1, d2);
            var d = Storage.Uninitialized<T>(Shapes.Count(shape, "diagonal"), out var lease); // the gather writes all
            Strided.Gather(x.Span<T>(), start, shape, strides, d);
            return Tensor.Plain(shape, d, lease);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new DiagEmbedOp(offset, d1, d2, x[0].shape), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        // The batch first, then the two axes one further right; the other axes keep their order, so it stays first.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new DiagonalOp(offset, d1 + 1, d2 + 1), Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>Zeros of shape <paramref name="to"/> with the argument written along the diagonal of axes d1, d2: the
    /// transpose of <see cref="DiagonalOp"/>, and DiagEmbed where the plane is square.</summary>
    private sealed class DiagEmbedOp(int offset, int d1, int d2, int[] to) : CopyOp
    {
        public override string Name => "DiagEmbed";
        internal override object Identity => (Name, offset, d1, d2, Shapes.Show(to));
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.DiagEmbed(x[0], offset, d1, d2, to);
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (shape, strides, start) = DiagonalView(to, offset, d1, d2);
            var d = new T[Shapes.Count(to, "diagEmbed")];
            Strided.Scatter(xs[0].Span<T>(), shape, d, start, strides);
            return Tensor.Plain(to, d);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new DiagonalOp(offset, d1, d2), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new DiagEmbedOp(offset, d1 + 1, d2 + 1, [size, .. to]), Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>Two distinct axes of a rank-<paramref name="rank"/> tensor, from the end when negative.</summary>
    private static (int, int) TwoAxes(int dim1, int dim2, int rank, string op, string of)
    {
        int a = Shapes.Axis(dim1, rank, op), b = Shapes.Axis(dim2, rank, op);
        if (a == b)
            throw new AxisOutOfRangeException($"{op}: dim1 {dim1} and dim2 {dim2} are the same axis of {of}; "
                + "name two different axes");
        return (a, b);
    }

    /// <summary>The diagonal of the plane of axes <paramref name="dim1"/> and <paramref name="dim2"/>, offset
    /// <paramref name="offset"/> (above the main one when positive), as a new last axis.</summary>
    /// <remarks>The other axes keep their order; a diagonal that leaves the plane is empty. Takes every
    /// dtype.</remarks>
    /// <example><code>
    /// Linalg.Diagonal(Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } })) // tensor([1., 4.], dtype=float64)
    /// </code></example>
    [Peers("torch.diagonal, torch.linalg.diagonal", "jnp.diagonal", "dsharp.diagonal",
        Notes = "the last two axes by default, as torch.linalg.diagonal")]
    public static Tensor Diagonal(Tensor a, int offset = 0, int dim1 = -2, int dim2 = -1)
    {
        Guard.NotNull(a);
        if (a.Rank < 2)
            throw new RankException($"diagonal: needs rank 2 or more but got {Shapes.Show(a)}; for a diagonal "
                + "matrix made from a vector use DiagEmbed");
        var (d1, d2) = TwoAxes(dim1, dim2, a.Rank, "diagonal", Shapes.Show(a));
        return Op.Apply(new DiagonalOp(offset, d1, d2), a);
    }

    /// <summary>Matrices with the last axis of <paramref name="a"/> on their diagonal <paramref name="offset"/> and
    /// zeros elsewhere; the plane's axes are <paramref name="dim1"/> and <paramref name="dim2"/> of the
    /// result.</summary>
    /// <remarks>A last axis of n gives planes of n + |offset| squared; the other axes of <paramref name="a"/> fill
    /// the result's remaining axes in order. Takes every dtype.</remarks>
    /// <example><code>
    /// Linalg.DiagEmbed(Tensor.FromArray([1.0, 2.0])) // tensor([[1., 0.], [0., 2.]], dtype=float64)
    /// </code></example>
    [Peers("torch.diag_embed", "", "", Notes = "dim1 and dim2 are axes of the result")]
    public static Tensor DiagEmbed(Tensor a, int offset = 0, int dim1 = -2, int dim2 = -1)
    {
        Guard.NotNull(a);
        if (a.Rank < 1)
            throw new RankException($"diagEmbed: needs rank 1 or more (its last axis is the diagonal) but got "
                + $"{Shapes.Show(a)}; Reshape a scalar to [1] first");
        int rank = a.Rank + 1;
        var (d1, d2) = TwoAxes(dim1, dim2, rank, "diagEmbed", $"the rank-{rank} result");
        int n = a.shape[^1] + Math.Abs(offset);
        var to = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) to[i] = i == d1 || i == d2 ? n : a.shape[j++];
        return Op.Apply(new DiagEmbedOp(offset, d1, d2, to), a);
    }

    /// <summary>The sum of the main diagonal of each matrix (the last two axes), for a batch of matrices too.</summary>
    /// <remarks>torch.trace takes one matrix; a batch here gives one trace per matrix, as
    /// <c>torch.diagonal(a, dim1=-2, dim2=-1).sum(-1)</c>. A rectangular matrix sums its min(m, n) diagonal
    /// elements.</remarks>
    /// <example><code>
    /// Linalg.Trace(Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } })) // tensor(5., dtype=float64)
    /// </code></example>
    [Peers("torch.trace", "jnp.trace", "dsharp.trace", Notes = "batched over leading axes", Composed = true)]
    public static Tensor Trace(Tensor a)
    {
        Guard.NotNull(a);
        if (a.Rank < 2)
            throw new RankException($"trace: needs a matrix or a batch of matrices (rank 2 or more) but got "
                + $"{Shapes.Show(a)}; for the sum of a vector use Sum");
        return Diagonal(a).Sum([-1]);
    }
}

internal abstract partial class Backend
{
    /// <summary>The diagonal of axes d1, d2 of x (offset as torch.diagonal), as a last axis.</summary>
    internal virtual Tensor? Diagonal(Tensor x, int offset, int d1, int d2) => null;
    /// <summary>Zeros of shape <paramref name="to"/> with x along the diagonal of axes d1, d2 (offset as
    /// torch.diagonal): torch.diag_embed where the plane is square, diagonal_scatter otherwise.</summary>
    internal virtual Tensor? DiagEmbed(Tensor x, int offset, int d1, int d2, int[] to) => null;
}
