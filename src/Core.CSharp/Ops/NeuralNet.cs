using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Neural-network building blocks, composed from the core ops, so their derivatives follow.
public sealed partial class Tensor
{
    /// <summary>
    /// softmax along <paramref name="axis"/>: exp(x − max) / Σ exp(x − max), finite for any finite input.
    /// A slice that is entirely −inf gives zeros, not NaN.
    /// </summary>
    /// <example><code>Tensor.FromArray([1000.0, 0.0]).Softmax() // tensor([1., 0.], dtype=float64)</code></example>
    public Tensor Softmax(int axis = -1) => SoftmaxOver(this, [Shapes.Axis(axis, shape, "softmax")]);

    /// <summary>log softmax along <paramref name="axis"/>: x − logsumexp(x), computed without overflow.</summary>
    /// <example><code>Tensor.FromArray([0.0, 0.0]).LogSoftmax() // tensor([-0.6931, -0.6931], dtype=float64)</code></example>
    public Tensor LogSoftmax(int axis = -1) => this - LogSumExp([axis], keepDims: true);

    /// <summary>
    /// Mean cross-entropy of logits [N, C] against integer class labels (one per row, each in [0, C)),
    /// through log-softmax, so large logits do not overflow.
    /// </summary>
    /// <example><code>Tensor.Zeros([1, 2]).CrossEntropy([0]) // tensor(0.6931, dtype=float64)</code></example>
    public Tensor CrossEntropy(int[] labels)
    {
        if (Rank != 2)
            throw new RankException($"crossEntropy: logits must be [N, C] but got {Shapes.Show(this)}; reshape a single example to [1, C]");
        int n = shape[0], c = shape[1];
        if (labels.Length != n)
            throw new ShapeMismatchException($"crossEntropy: {labels.Length} labels for {n} rows of logits {Shapes.Show(this)}; give one label per row");
        if (n == 0) throw new EmptyTensorException($"crossEntropy: no rows in {Shapes.Show(this)}; the mean needs at least one example");
        var oneHot = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || labels[i] >= c)
                throw new ArgumentOutOfRangeException(nameof(labels), $"crossEntropy: label {labels[i]} at row {i} is not a class of {Shapes.Show(this)}; labels must be in [0, {c - 1}]");
            oneHot[i * c + labels[i]] = 1;
        }
        return Op.Apply(new CrossEntropyOp(labels, FromArray(oneHot, [n, c]).ToDType(DType)), this);
    }

    /// <summary>
    /// Mean cross-entropy as one op: one pass for the value, and the gradient (softmax − one-hot)/N
    /// directly, instead of the log-softmax chain's dozen small ops each way.
    /// </summary>
    private sealed class CrossEntropyOp(int[] labels, Tensor oneHot) : Op
    {
        public override string Name => "CrossEntropy";
        public override bool ReadsValuesOnly => true;
        public override Tensor Compute(Tensor[] x) => x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        // mean over rows of logsumexp(row) − row[label], the log-sum-exp shifted by the row's maximum.
        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.shape[0], c = x.shape[1];
            var v = x.Span<T>();
            T total = T.Zero;
            for (int i = 0; i < n; i++)
            {
                var row = v.Slice(i * c, c);
                T m = TensorPrimitives.Max(row);
                if (T.IsInfinity(m)) m = T.Zero; // all −inf (or a +inf): no shift, as LogSumExp does
                T s = T.Zero;
                foreach (var e in row) s += T.Exp(e - m);
                total += T.Log(s) + m - row[labels[i]];
            }
            return PlainScalar(Shapes.Scalar, total / T.CreateTruncating(n));
        }

        private Tensor Residual(Tensor x) => SoftmaxOver(x, [1]) - oneHot;
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Residual(x[0]) * (g / x[0].shape[0])];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => (Residual(x[0]) * dx[0]!).Sum() / x[0].shape[0];
    }

    /// <summary>Mean squared error: mean((this − target)²). The shapes must be equal (no broadcasting).</summary>
    /// <example><code>Tensor.FromArray([1.0, 3.0]).MseLoss(Tensor.FromArray([1.0, 1.0])) // tensor(2., dtype=float64)</code></example>
    public Tensor MseLoss(Tensor target)
    {
        if (!Shapes.Same(shape, target.shape))
            throw new ShapeMismatchException($"mseLoss: prediction {Shapes.Show(this)} and target {Shapes.Show(target)} differ; reshape one so they match exactly");
        return (this - target).Square().Mean();
    }
}
