using FuncGrad.Kernels;
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
    [Peers("torch.nn.functional.softmax", "jax.nn.softmax", "dsharp.softmax", Notes = "last axis by default",
        Composed = true)]
    public Tensor Softmax(int axis = -1) => SoftmaxOver(this, [Shapes.Axis(axis, shape, "softmax")]);

    /// <summary>log softmax along <paramref name="axis"/>: x − logsumexp(x), computed without overflow.</summary>
    /// <example><code>
    /// Tensor.FromArray([0.0, 0.0]).LogSoftmax() // tensor([-0.6931, -0.6931], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.log_softmax", "jax.nn.log_softmax", "dsharp.logsoftmax", Notes = "last axis by default",
        Composed = true)]
    public Tensor LogSoftmax(int axis = -1) => this - LogSumExp([axis], keepDims: true);

    /// <summary>
    /// Mean cross-entropy of logits [N, C] against integer class labels (one per row, each in [0, C)),
    /// through log-softmax, so large logits do not overflow.
    /// </summary>
    /// <example><code>Tensor.Zeros([1, 2]).CrossEntropy([0]) // tensor(0.6931, dtype=float64)</code></example>
    [Peers("torch.nn.functional.cross_entropy", "", "dsharp.crossEntropyLoss",
        Notes = "mean over rows of logits; labels are class indices")]
    public Tensor CrossEntropy(int[] labels)
    {
        Guard.NotNull(labels);
        if (Rank != 2)
            throw new RankException($"crossEntropy: logits must be [N, C] but got {Shapes.Show(this)}; "
                + "reshape a single example to [1, C]");
        int n = shape[0], c = shape[1];
        if (labels.Length != n)
            throw new ShapeMismatchException(
                $"crossEntropy: {labels.Length} labels for {n} rows of logits {Shapes.Show(this)}; "
                + "give one label per row");
        if (n == 0)
            throw new EmptyTensorException($"crossEntropy: no rows in {Shapes.Show(this)}; "
                + "the mean needs at least one example");
        var oneHot = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || labels[i] >= c)
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"crossEntropy: label {labels[i]} at row {i} is not a class of {Shapes.Show(this)}; "
                    + $"labels must be in [0, {c - 1}]");
            oneHot[i * c + labels[i]] = 1;
        }
        var hot = Plain([n, c], oneHot).ToDType(DType);
        return Op.Apply(CrossEntropyOp.Mean, this, Device.IsManaged ? hot : hot.To(Device));
    }

    /// <summary>
    /// Mean cross-entropy of logits [N, C] against class labels held in a tensor [N], so that labels can be mapped by
    /// vmap along with their examples: int64 or int32 labels as PyTorch reads them, or floats holding whole numbers.
    /// </summary>
    /// <remarks>Integer labels are <see cref="CrossEntropy(Tensor, int, string, double)"/> with its defaults (a label
    /// of −100 leaves its row out); float labels must each be a class in [0, C), as in
    /// <see cref="CrossEntropy(int[])"/>.</remarks>
    /// <example><code>
    /// Tensor.Zeros([1, 2]).CrossEntropy(Tensor.FromArray([0.0])) // tensor(0.6931, dtype=float64)
    /// </code></example>
    public Tensor CrossEntropy(Tensor labels)
    {
        Guard.NotNull(labels);
        if (labels.DType is DType.Int64 or DType.Int32) return CrossEntropy(labels, ignoreIndex: -100);
        if (Rank != 2)
            throw new RankException($"crossEntropy: logits must be [N, C] but got {Shapes.Show(this)}; "
                + "reshape a single example to [1, C]");
        if (labels.Rank != 1 || labels.shape[0] != shape[0])
            throw new ShapeMismatchException(
                $"crossEntropy: labels {Shapes.Show(labels)} for logits {Shapes.Show(this)}; "
                + "give a vector of one label per row");
        if (shape[0] == 0)
            throw new EmptyTensorException($"crossEntropy: no rows in {Shapes.Show(this)}; "
                + "the mean needs at least one example");
        var oneHot = labels.ToDType(DType).Unsqueeze(1).Eq(Arange(0, shape[1], dtype: DType)).ToDType(DType);
        return Op.Apply(CrossEntropyOp.Mean, this, oneHot);
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against class indices [N] (int64 or int32), rows labelled
    /// <paramref name="ignoreIndex"/> left out, or against class probabilities [N, C] (floats), as PyTorch's.
    /// </summary>
    /// <remarks>
    /// PyTorch's other shapes too: logits [C] with a scalar index (or probabilities [C]), and [N, C, d1, ...] with
    /// indices [N, d1, ...] (or probabilities of the logits' shape), the classes on axis 1.
    /// <paramref name="reduction"/> is "mean" (over the elements kept), "sum" or "none" (per element, the indices'
    /// shape, 0 for an ignored one).
    /// <paramref name="labelSmoothing"/> ε mixes each target with the uniform distribution, (1 − ε)·target + ε/C. Made
    /// of log-softmax and <see cref="Gather"/>, so every order of derivative follows; labels get no gradient,
    /// probabilities do. With every row ignored the mean is NaN (0/0), as in PyTorch.
    /// </remarks>
    /// <example><code>
    /// Tensor.Zeros([2, 2]).CrossEntropy(Tensor.FromArray(new long[] { 1, -100 })) // tensor(0.6931, dtype=float64)
    /// </code></example>
    public Tensor CrossEntropy(Tensor target, int ignoreIndex = -100, string reduction = "mean",
        double labelSmoothing = 0.0)
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        return CrossEntropyOf(target, null, ignoreIndex, reduction, labelSmoothing);
    }

    /// <summary>
    /// Cross-entropy as <see cref="CrossEntropy(Tensor, int, string, double)"/>, each class's terms weighted by
    /// <paramref name="weight"/> [C] (not differentiated, as in PyTorch); the mean divides by the kept rows' weights.
    /// </summary>
    /// <example><code>
    /// Tensor.Zeros([2, 2]).CrossEntropy(Tensor.FromArray(new long[] { 1, 0 }), Tensor.FromArray([1.0, 3.0]),
    ///     reduction: "sum") // tensor(2.7726, dtype=float64)
    /// </code></example>
    public Tensor CrossEntropy(Tensor target, Tensor weight, int ignoreIndex = -100, string reduction = "mean",
        double labelSmoothing = 0.0)
    {
        Guard.NotNull(target); Guard.NotNull(weight); Guard.NotNull(reduction);
        return CrossEntropyOf(target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    private Tensor CrossEntropyOf(Tensor target, Tensor? weight, int ignoreIndex, string reduction,
        double labelSmoothing)
    {
        if (Rank == 0)
            throw new RankException($"crossEntropy: logits must be [C], [N, C] or [N, C, d1, ...] but got "
                + $"{Shapes.Show(this)}; reshape a single example to [C]");
        CheckReduction(reduction, "crossEntropy");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing),
                $"crossEntropy: labelSmoothing is {labelSmoothing}; it is in [0, 1]");
        var w = ClassWeight(weight, "crossEntropy");
        var (rows, t, lossShape) = ClassRows(this, target, "crossEntropy");
        int n = rows.shape[0], c = rows.shape[1];
        var logp = rows.LogSoftmax(1);
        double eps = labelSmoothing;
        if (!t.DType.IsFloat()) return NllRows(logp, t, w, ignoreIndex, eps, reduction, lossShape, "crossEntropy");
        var q = eps > 0 ? t * (1 - eps) + eps / c : t;
        if (w is not null) q *= w;
        var each = -(q * logp).Sum([1]);
        return reduction == "none" ? each.Reshape(lossShape) : reduction == "sum" ? each.Sum() : each.Sum() / n;
    }

    /// <summary>
    /// Mean cross-entropy as one op on (logits, one-hot labels): one pass for the value, and the gradient
    /// (softmax − one-hot)/N directly, instead of the log-softmax chain's dozen small ops each way. The labels get
    /// no cotangent. With <paramref name="groups"/> &gt; 0 (vmap's form) the rows are that many equal groups, one
    /// example's rows each, and the output holds each group's mean.
    /// </summary>
    private sealed class CrossEntropyOp(int groups) : Op
    {
        public static readonly CrossEntropyOp Mean = new(0);
        public override string Name => "CrossEntropy";
        // On a device: composed of ops that run there (on the values: the arguments may be nodes holding them).
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            var (v, hot) = (x[0].Value, x[1].Value);
            int n = v.shape[0] / Math.Max(groups, 1);
            var loss = v.LogSumExp([1]) - (v * hot).Sum([1]);
            return groups == 0 ? loss.Sum() / (double)n : loss.Reshape([groups, n]).Sum([1]) / (double)n;
        }
        public override bool ReadsValuesOnly => true;
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        // mean over rows of logsumexp(row) − row[label], the log-sum-exp shifted by the row's maximum.
        private Tensor Compute<T>(Tensor x, Tensor oneHot) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int rows = x.shape[0], c = x.shape[1], g = Math.Max(groups, 1), n = rows / g;
            var v = x.Span<T>();
            var hot = oneHot.Span<T>();
            var means = new T[g];
            for (int k = 0; k < g; k++)
            {
                T total = T.Zero;
                for (int i = k * n; i < (k + 1) * n; i++)
                {
                    var row = v.Slice(i * c, c);
                    int label = hot.Slice(i * c, c).IndexOf(T.One);
                    if (label < 0)
                        throw new ArgumentOutOfRangeException("labels",
                            $"crossEntropy: the label of row {i % n} is not a class of [{n}x{c}] logits; "
                            + $"labels must be whole numbers in [0, {c - 1}]");
                    T m = TensorPrimitives.Max(row);
                    if (T.IsInfinity(m)) m = T.Zero; // all −inf (or a +inf): no shift, as LogSumExp does
                    T s = T.Zero;
                    foreach (var e in row) s += T.Exp(e - m);
                    total += T.Log(s) + m - row[label];
                }
                means[k] = total / T.CreateTruncating(n);
            }
            GC.KeepAlive(oneHot);
            return groups == 0 ? PlainScalar(Shapes.Scalar, means[0]) : Plain([g], means);
        }

        // (softmax − one-hot), weighted by each group's output cotangent over its row count.
        private Tensor Residual(Tensor[] x) => SoftmaxOver(x[0], [1]) - x[1];
        private Tensor PerRow(Tensor r, Tensor w, int c) =>
            groups == 0 ? r * w : (r.Reshape([groups, -1, c]) * w.Reshape([groups, 1, 1])).Reshape([-1, c]);

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [PerRow(Residual(x), g / (x[0].shape[0] / Math.Max(groups, 1)), x[0].shape[1]), null];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var d = Residual(x) * dx[0]!;
            int c = x[0].shape[1];
            return groups == 0 ? d.Sum() / x[0].shape[0]
                : d.Reshape([groups, -1, c]).Sum([1, 2]) / (x[0].shape[0] / groups);
        }

        // Every example's rows one after another, one group per example (and per group of an inner vmap).
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var logits = axes[0] is int a ? Batching.Moved(x[0], a, 0) : Batching.Repeated(x[0], size);
            int c = logits.shape[^1];
            var hot = axes[1] is int b ? Batching.Moved(x[1], b, 0) : Batching.Repeated(x[1], size);
            var y = Op.Apply(new CrossEntropyOp(size * Math.Max(groups, 1)),
                logits.Reshape([-1, c]), hot.Reshape([-1, c]));
            return (groups == 0 ? y : y.Reshape([size, groups]), 0);
        }
    }

    /// <summary>Mean squared error: mean((this − target)²). The shapes must be equal (no broadcasting).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0]).MseLoss(Tensor.FromArray([1.0, 1.0])) // tensor(2., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.mse_loss", "", "dsharp.mseLoss", Notes = "mean; shapes must be equal", Composed = true)]
    public Tensor MseLoss(Tensor target)
    {
        Guard.NotNull(target);
        if (!Shapes.Same(shape, target.shape))
            throw new ShapeMismatchException(
                $"mseLoss: prediction {Shapes.Show(this)} and target {Shapes.Show(target)} differ; "
                + "reshape one so they match exactly");
        return (this - target).Square().Mean();
    }
}
