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
        var picked = (LogSoftmax(1) * FromArray(oneHot, [n, c]).ToDType(DType)).Sum([1]);
        return -picked.Mean();
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
