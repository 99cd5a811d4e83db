using FuncGrad.Kernels;

namespace FuncGrad;

// Losses and distances as torch.nn.functional has them, each composed of FuncGrad's own ops, so every order of
// derivative, vmap, compile and the LibTorch device follow from those ops' rules. Where the plain formula overflows
// or meets 0·∞ the composition is rewritten so that neither the value nor any derivative does (softplus and
// log-sigmoid for logits, a double Where around a clamped log); the conventions are in docs/conventions.md, "Losses".
public sealed partial class Tensor
{
    /// <summary>
    /// Negative log-likelihood of log-probabilities against class indices, as PyTorch's nll_loss:
    /// −weight[t]·input[.., t, ..] per element, 0 where the target is <paramref name="ignoreIndex"/>.
    /// </summary>
    /// <remarks>The input is [C] with a scalar target, [N, C] with target [N], or [N, C, d1, ...] with target [N, d1,
    /// ...] (int64 or int32). <paramref name="reduction"/> is "mean" (divided by the sum of the kept elements'
    /// weights, NaN when every element is ignored, as PyTorch), "sum" or "none" (the target's shape). The weight [C]
    /// is not differentiated, as in PyTorch; the target gets no gradient. A class index outside [0, C) is an
    /// error.</remarks>
    /// <example><code>
    /// Tensor.FromArray([[-1.0, -2.0], [-3.0, -4.0]]).NllLoss(Tensor.FromArray(new long[] { 0, 1 }))
    /// // tensor(2.5000, dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.nll_loss", "", "dsharp.nllLoss", Notes = "weight not differentiated",
        Composed = true)]
    public Tensor NllLoss(Tensor target, Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean")
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "nllLoss");
        FloatInput(this, "nllLoss", "input");
        var w = ClassWeight(weight, "nllLoss");
        var (rows, labels, lossShape) = ClassRows(this, target, "nllLoss");
        return NllRows(rows, labels, w, ignoreIndex, 0, reduction, lossShape, "nllLoss");
    }

    /// <summary>
    /// Binary cross-entropy of probabilities in [0, 1] against targets of the same shape, as PyTorch's:
    /// −weight·(t·log x + (1 − t)·log(1 − x)), each log clamped at −100 so that x = 0 or 1 gives a finite loss.
    /// </summary>
    /// <remarks>The weight broadcasts to the input's shape and is not differentiated, as in PyTorch. The gradient is
    /// that of the clamped formula: 0 through a log where it is clamped, so x = 0 or 1 gives no NaN. Prefer
    /// <see cref="BinaryCrossEntropyWithLogits"/>, which takes logits and stays exact at any magnitude.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.5, 1.0]).BinaryCrossEntropy(Tensor.FromArray([1.0, 0.0]))
    /// // tensor(50.3466, dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.binary_cross_entropy", "", "dsharp.bceLoss",
        Notes = "logs clamped at −100; weight not differentiated", Composed = true)]
    public Tensor BinaryCrossEntropy(Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "binaryCrossEntropy");
        SameShapeFloat(this, target, "binaryCrossEntropy", "target");
        var w = ElementWeight(weight, "binaryCrossEntropy", "weight")?.Value;
        var loss = -(target * ClampedLog(this) + (1 - target) * ClampedLog(1 - this));
        return ReduceLoss(w is null ? loss : loss * w, reduction);
    }

    /// <summary>
    /// Binary cross-entropy of logits against targets of the same shape, as PyTorch's: with l = 1 + (posWeight − 1)·t,
    /// (1 − t)·x + l·softplus(−x), softplus(−x) = −logsigmoid(x), exact for logits of any magnitude (±1000 included).
    /// </summary>
    /// <remarks>weight and posWeight broadcast to the input's shape (posWeight [C] weighs the positive term of each
    /// class of the last axis) and are differentiated, as in PyTorch. The gradient is (1 − t) − l·σ(−x): σ(x) − t
    /// without posWeight, exact in both tails.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1000.0, -1000.0]).BinaryCrossEntropyWithLogits(Tensor.FromArray([1.0, 0.0]))
    /// // tensor(0., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.binary_cross_entropy_with_logits", "optax.sigmoid_binary_cross_entropy",
        "dsharp.bceLoss", Notes = "stable at any logit", Composed = true)]
    public Tensor BinaryCrossEntropyWithLogits(Tensor target, Tensor? weight = null, string reduction = "mean",
        Tensor? posWeight = null)
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        const string op = "binaryCrossEntropyWithLogits";
        CheckReduction(reduction, op);
        SameShapeFloat(this, target, op, "target");
        var w = ElementWeight(weight, op, "weight");
        var pw = ElementWeight(posWeight, op, "posWeight");
        var softplusNeg = -LogSigmoid();
        var loss = (1 - target) * this + (pw is null ? softplusNeg : (1 + (pw - 1) * target) * softplusNeg);
        return ReduceLoss(w is null ? loss : loss * w, reduction);
    }

    /// <summary>
    /// Huber loss against a target of the same shape, as PyTorch's: ½d² where |d| &lt; delta, else
    /// delta·(|d| − ½delta), d = input − target.
    /// </summary>
    /// <remarks>delta must be positive. The two pieces meet with equal slopes at |d| = delta, so the gradient
    /// (clamp(d, −delta, delta)) is continuous; it is 0 at d = 0.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.5, 3.0]).HuberLoss(Tensor.Zeros([2]), reduction: "none")
    /// // tensor([0.1250, 2.5000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.huber_loss", "optax.huber_loss", "", Composed = true)]
    public Tensor HuberLoss(Tensor target, string reduction = "mean", double delta = 1.0)
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "huberLoss");
        if (!(delta > 0))
            throw new ArgumentOutOfRangeException(nameof(delta),
                $"huberLoss: delta is {delta}; it must be positive (for delta → 0 use L1Loss)");
        SameShapeFloat(this, target, "huberLoss", "target");
        var d = this - target;
        var a = d.Abs();
        return ReduceLoss(Where(a.Lt(Const(delta)), d.Square() * 0.5, (a - 0.5 * delta) * delta), reduction);
    }

    /// <summary>
    /// Smooth L1 loss against a target of the same shape, as PyTorch's: ½d²/beta where |d| &lt; beta, else
    /// |d| − ½beta, d = input − target; beta = 0 is the L1 loss.
    /// </summary>
    /// <remarks>beta must not be negative. Huber loss divided by beta (for beta &gt; 0); the gradient is
    /// clamp(d/beta, −1, 1), 0 at d = 0.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.5, 3.0]).SmoothL1Loss(Tensor.Zeros([2]), reduction: "none")
    /// // tensor([0.1250, 2.5000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.smooth_l1_loss", "", "", Composed = true)]
    public Tensor SmoothL1Loss(Tensor target, string reduction = "mean", double beta = 1.0)
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "smoothL1Loss");
        if (!(beta >= 0))
            throw new ArgumentOutOfRangeException(nameof(beta),
                $"smoothL1Loss: beta is {beta}; it must be 0 (the L1 loss) or positive");
        SameShapeFloat(this, target, "smoothL1Loss", "target");
        var d = this - target;
        var a = d.Abs();
        if (beta == 0) return ReduceLoss(a, reduction);
        return ReduceLoss(Where(a.Lt(Const(beta)), d.Square() * (0.5 / beta), a - 0.5 * beta), reduction);
    }

    /// <summary>Mean absolute error against a target of the same shape, as PyTorch's l1_loss: |input − target|,
    /// reduced.</summary>
    /// <remarks>The gradient at input = target is 0 (Abs's).</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, -3.0]).L1Loss(Tensor.Zeros([2])) // tensor(2., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.l1_loss", "", "", Composed = true)]
    public Tensor L1Loss(Tensor target, string reduction = "mean")
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "l1Loss");
        SameShapeFloat(this, target, "l1Loss", "target");
        return ReduceLoss((this - target).Abs(), reduction);
    }

    /// <summary>
    /// Kullback–Leibler divergence as PyTorch's kl_div: the input holds log-probabilities, the target probabilities
    /// (or log-probabilities with <paramref name="logTarget"/>); pointwise t·(log t − input), xlogy(t, t) − t·input so
    /// that t = 0 adds 0, or eᵗ·(t − input) for a log target.
    /// </summary>
    /// <remarks><paramref name="reduction"/> is "mean" (over every element, as PyTorch, which warns that it is not
    /// the divergence), "batchmean" (the sum over the first axis's length: the divergence per example), "sum" or
    /// "none". Input and target broadcast, as in PyTorch.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.5, 0.5]).Log().KlDiv(Tensor.FromArray([0.5, 0.5]), reduction: "sum")
    /// // tensor(0., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.kl_div", "optax.kl_divergence", "", Notes = "input is log-probabilities",
        Composed = true)]
    public Tensor KlDiv(Tensor target, string reduction = "mean", bool logTarget = false)
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        if (reduction is not ("mean" or "sum" or "none" or "batchmean"))
            throw new ArgumentException($"klDiv: reduction is \"{reduction}\"; use \"mean\", \"batchmean\", \"sum\" "
                + "or \"none\"", nameof(reduction));
        FloatPair(this, target, "klDiv", "target");
        var loss = logTarget ? target.Exp() * (target - this) : target.Xlogy(target) - target * this;
        if (reduction != "batchmean") return ReduceLoss(loss, reduction);
        return Rank == 0 ? loss.Sum() : loss.Sum() / (double)shape[0];
    }

    /// <summary>
    /// Cosine similarity along <paramref name="dim"/> as PyTorch 2.x computes it: Σ (x₁/max(‖x₁‖, eps))·(x₂/max(‖x₂‖,
    /// eps)), each vector divided by its own clamped norm, so the result stays in [−1, 1] and nothing overflows.
    /// </summary>
    /// <remarks>The two tensors broadcast; <paramref name="dim"/> is an axis of the broadcast shape. As in PyTorch,
    /// the clamp changes the value only: the gradient flows through each norm as if it were not clamped (a norm that
    /// is 0 passes gradient 0, as VectorNorm's).</remarks>
    /// <example><code>
    /// Tensor.FromArray([[1.0, 0.0]]).CosineSimilarity(Tensor.FromArray([[1.0, 1.0]]))
    /// // tensor([0.7071], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.cosine_similarity", "optax.cosine_similarity", "", Notes = "each norm clamped at eps",
        Composed = true)]
    public Tensor CosineSimilarity(Tensor x2, int dim = 1, double eps = 1e-8)
    {
        Guard.NotNull(x2);
        FloatPair(this, x2, "cosineSimilarity", "x2");
        var bshape = Shapes.Broadcast(shape, x2.shape, "cosineSimilarity");
        var a = Shapes.Same(shape, bshape) ? this : BroadcastTo(bshape);
        var b = Shapes.Same(x2.shape, bshape) ? x2 : x2.BroadcastTo(bshape);
        int axis = Shapes.Axis(dim, bshape, "cosineSimilarity");
        Tensor Unit(Tensor v)
        {
            var n = Linalg.VectorNorm(v, 2, [axis], keepDim: true);
            return v / ValueOfGradientOf(n.ClampMin(eps), n);
        }
        return (Unit(a) * Unit(b)).Sum([axis]);
    }

    /// <summary>
    /// The p-norm distance between each row of this [B.., P, M] and each row of <paramref name="x2"/> [B.., R, M], as
    /// torch.cdist: [B.., P, R], the batch axes broadcast. p = 0 counts differing coordinates, p = ∞ takes the
    /// largest difference; any p ≥ 0.
    /// </summary>
    /// <remarks>Computed from the differences (never from ‖x‖² + ‖y‖² − 2x·y, which PyTorch may use for p = 2 with
    /// many rows and which cancels), so equal rows give exactly 0, and the gradient there is 0, as PyTorch's.
    /// Memory: the differences, B·P·R·M elements.</remarks>
    /// <example><code>
    /// Tensor.FromArray([[0.0, 0.0]]).Cdist(Tensor.FromArray([[3.0, 4.0], [0.0, 0.0]]))
    /// // tensor([[5., 0.]], dtype=float64)
    /// </code></example>
    [Peers("torch.cdist", "", "", Notes = "exact differences for every p; gradient 0 at distance 0",
        Composed = true)]
    public Tensor Cdist(Tensor x2, double p = 2.0)
    {
        Guard.NotNull(x2);
        FloatPair(this, x2, "cdist", "x2");
        if (Rank < 2 || x2.Rank < 2)
            throw new RankException($"cdist: x1 {Shapes.Show(this)} and x2 {Shapes.Show(x2)} must be [.., P, M] and "
                + "[.., R, M], each at least a matrix; unsqueeze a single vector to [1, M]");
        if (shape[^1] != x2.shape[^1])
            throw new ShapeMismatchException($"cdist: x1 {Shapes.Show(this)} has rows of {shape[^1]} coordinates and "
                + $"x2 {Shapes.Show(x2)} of {x2.shape[^1]}; both need the same last axis");
        if (!(p >= 0))
            throw new ArgumentOutOfRangeException(nameof(p), $"cdist: p is {p}; it must be 0, positive or infinity");
        return Linalg.VectorNorm(Unsqueeze(-2) - x2.Unsqueeze(-3), p, [-1]);
    }

    /// <summary>
    /// Divides each vector along <paramref name="dim"/> by its p-norm, clamped at <paramref name="eps"/>, as
    /// PyTorch's normalize: x / max(‖x‖ₚ, eps).
    /// </summary>
    /// <remarks>A vector whose norm is below eps is divided by eps (a zero vector stays zero, with finite
    /// gradients); the clamp's gradient is ClampMin's, as in PyTorch.</remarks>
    /// <example><code>
    /// Tensor.FromArray([[3.0, 4.0]]).Normalize() // tensor([[0.6000, 0.8000]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.normalize", "", "", Notes = "dim 1 by default", Composed = true)]
    public Tensor Normalize(double p = 2.0, int dim = 1, double eps = 1e-12)
    {
        FloatInput(this, "normalize", "input");
        int axis = Shapes.Axis(dim, shape, "normalize");
        return this / Linalg.VectorNorm(this, p, [axis], keepDim: true).ClampMin(eps);
    }

    /// <summary>
    /// Gaussian negative log-likelihood as PyTorch's: ½(log v + (input − target)²/v) (+ ½log 2π with
    /// <paramref name="full"/>), v = max(var, eps).
    /// </summary>
    /// <remarks>var has the input's shape, or the input's shape with its last axis 1 or left out (one variance per
    /// vector), as in PyTorch; input and target broadcast. As in PyTorch the clamp changes the value only: var's
    /// gradient is that of the formula at the clamped value. A negative variance is not checked for (that would
    /// read values): it is clamped to eps like any below it.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0]).GaussianNllLoss(Tensor.FromArray([1.0]), Tensor.FromArray([1.0]))
    /// // tensor(0., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.gaussian_nll_loss", "", "", Notes = "the clamp of var passes its gradient",
        Composed = true)]
    public Tensor GaussianNllLoss(Tensor target, Tensor var, bool full = false, double eps = 1e-6,
        string reduction = "mean")
    {
        Guard.NotNull(target); Guard.NotNull(var); Guard.NotNull(reduction);
        const string op = "gaussianNllLoss";
        CheckReduction(reduction, op);
        FloatPair(this, target, op, "target");
        FloatPair(this, var, op, "var");
        if (!Shapes.Same(var.shape, shape))
        {
            if (Rank > 0 && Shapes.Same(var.shape, shape[..^1])) var = var.Unsqueeze(-1);
            else if (!(Rank > 0 && var.Rank == Rank && var.shape[^1] == 1 && Shapes.Same(var.shape[..^1], shape[..^1])))
                throw new ShapeMismatchException($"{op}: var is {Shapes.Show(var)} for an input {Shapes.Show(this)}; "
                    + "give one variance per element (the input's shape), or one per vector (the input's shape with "
                    + "its last axis 1 or left out)");
        }
        var v = ValueOfGradientOf(var.ClampMin(eps), var);
        var loss = (v.Log() + (this - target).Square() / v) * 0.5;
        if (full) loss += 0.5 * Math.Log(2 * Math.PI);
        return ReduceLoss(loss, reduction);
    }

    /// <summary>
    /// Poisson negative log-likelihood as PyTorch's: eˣ − t·x with <paramref name="logInput"/> (the input is the log
    /// of the rate), else x − t·log(x + eps); <paramref name="full"/> adds Stirling's term t·log t − t + ½log(2πt)
    /// where t &gt; 1.
    /// </summary>
    /// <remarks>Input and target broadcast, as in PyTorch. The Stirling term is 0 for targets ≤ 1, with no NaN in
    /// any derivative there.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.0]).PoissonNllLoss(Tensor.FromArray([1.0])) // tensor(1., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.poisson_nll_loss", "", "", Notes = "Stirling's term where target > 1",
        Composed = true)]
    public Tensor PoissonNllLoss(Tensor target, bool logInput = true, bool full = false, double eps = 1e-8,
        string reduction = "mean")
    {
        Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "poissonNllLoss");
        FloatPair(this, target, "poissonNllLoss", "target");
        var loss = logInput ? Exp() - target * this : this - target * (this + eps).Log();
        if (full)
        {
            var big = target.Gt(target.Const(1));
            var t = Where(big, target, target.Const(2));
            var stirling = t * t.Log() - t + (t * (2 * Math.PI)).Log() * 0.5;
            loss += Where(big, stirling, stirling.Const(0));
        }
        return ReduceLoss(loss, reduction);
    }

    /// <summary>
    /// Margin ranking loss as PyTorch's: max(0, −target·(input1 − input2) + margin), target ±1 saying which input
    /// should rank higher.
    /// </summary>
    /// <remarks>The three tensors have the same rank, as PyTorch requires, and broadcast. At the hinge (the
    /// argument exactly 0) the gradient is ClampMin's, passing, as PyTorch's clamp_min.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0]).MarginRankingLoss(Tensor.FromArray([2.0]), Tensor.FromArray([1.0]))
    /// // tensor(1., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.margin_ranking_loss", "", "", Composed = true)]
    public Tensor MarginRankingLoss(Tensor input2, Tensor target, double margin = 0.0, string reduction = "mean")
    {
        Guard.NotNull(input2); Guard.NotNull(target); Guard.NotNull(reduction);
        CheckReduction(reduction, "marginRankingLoss");
        FloatPair(this, input2, "marginRankingLoss", "input2");
        FloatPair(this, target, "marginRankingLoss", "target");
        if (input2.Rank != Rank || target.Rank != Rank)
            throw new RankException($"marginRankingLoss: input1 {Shapes.Show(this)}, input2 {Shapes.Show(input2)} and "
                + $"target {Shapes.Show(target)} must have the same rank; reshape them alike");
        return ReduceLoss((-target * (this - input2) + margin).ClampMin(0), reduction);
    }

    /// <summary>
    /// Triplet margin loss as PyTorch's: max(0, margin + d(anchor, positive) − d(anchor, negative)), d the p-norm of
    /// a − b + eps along the last axis (PyTorch's pairwise_distance); with <paramref name="swap"/>, d(anchor,
    /// negative) is replaced by the smaller of it and d(positive, negative).
    /// </summary>
    /// <remarks>The three tensors have the same rank (1 for one triplet, 2 for a batch [N, D], or more), and
    /// broadcast. The eps keeps a distance off 0, where a norm has a kink. At the hinge the gradient is ClampMin's;
    /// swap's tie goes as Minimum's.</remarks>
    /// <example><code>
    /// Tensor.FromArray([[0.0, 0.0]]).TripletMarginLoss(Tensor.FromArray([[3.0, 4.0]]), Tensor.FromArray([[0.0, 1.0]]),
    ///     eps: 0) // tensor(5., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.triplet_margin_loss", "", "", Composed = true)]
    public Tensor TripletMarginLoss(Tensor positive, Tensor negative, double margin = 1.0, double p = 2.0,
        double eps = 1e-6, bool swap = false, string reduction = "mean")
    {
        Guard.NotNull(positive); Guard.NotNull(negative); Guard.NotNull(reduction);
        const string op = "tripletMarginLoss";
        CheckReduction(reduction, op);
        FloatPair(this, positive, op, "positive");
        FloatPair(this, negative, op, "negative");
        if (Rank == 0 || positive.Rank != Rank || negative.Rank != Rank)
            throw new RankException($"{op}: anchor {Shapes.Show(this)}, positive {Shapes.Show(positive)} and "
                + $"negative {Shapes.Show(negative)} must have one rank, at least 1 (vectors along the last axis)");
        if (!(p >= 0))
            throw new ArgumentOutOfRangeException(nameof(p), $"{op}: p is {p}; it must be 0, positive or infinity");
        Tensor Distance(Tensor a, Tensor b) => Linalg.VectorNorm(a - b + eps, p, [-1]);
        var toNegative = Distance(this, negative);
        if (swap) toNegative = toNegative.Minimum(Distance(positive, negative));
        return ReduceLoss((Distance(this, positive) - toNegative + margin).ClampMin(0), reduction);
    }

    // ---- shared pieces ----

    private static void CheckReduction(string reduction, string op)
    {
        if (reduction is not ("mean" or "sum" or "none"))
            throw new ArgumentException(
                $"{op}: reduction is \"{reduction}\"; use \"mean\", \"sum\" or \"none\"", nameof(reduction));
    }

    private static Tensor ReduceLoss(Tensor loss, string reduction) => reduction switch
    {
        "sum" => loss.Sum(),
        "none" => loss,
        _ => loss.Sum() / (double)loss.Count, // 0/0 = NaN for no elements, as PyTorch
    };

    private static void FloatInput(Tensor x, string op, string what)
    {
        if (!x.DType.IsFloat())
            throw new DTypeMismatchException($"{op}: the {what} is {Shapes.Show(x)}; losses compute with float64 or "
                + "float32 tensors: convert it with ToDType(DType.Float64)");
    }

    private static void FloatPair(Tensor x, Tensor other, string op, string what)
    {
        FloatInput(x, op, "input");
        if (other.DType != x.DType)
            throw new DTypeMismatchException($"{op}: the {what} is {Shapes.Show(other)} for an input "
                + $"{Shapes.Show(x)}; give it the input's dtype with ToDType(DType.{x.DType})");
    }

    private static void SameShapeFloat(Tensor x, Tensor target, string op, string what)
    {
        FloatPair(x, target, op, what);
        if (!Shapes.Same(x.shape, target.shape))
            throw new ShapeMismatchException($"{op}: the input {Shapes.Show(x)} and the {what} {Shapes.Show(target)} "
                + "differ; give the target the input's shape (broadcasting them hides a misplaced axis)");
    }

    /// <summary>A weight that broadcasts to the input's shape without changing it, in the input's dtype.</summary>
    private Tensor? ElementWeight(Tensor? weight, string op, string what)
    {
        if (weight is null) return null;
        if (weight.DType != DType)
            throw new DTypeMismatchException($"{op}: the {what} is {Shapes.Show(weight)} for an input "
                + $"{Shapes.Show(this)}; give it the input's dtype with ToDType(DType.{DType})");
        bool fits = weight.Rank <= Rank;
        for (int i = 1; fits && i <= weight.Rank; i++)
            fits = weight.shape[^i] == 1 || weight.shape[^i] == shape[^i];
        if (!fits)
            throw new ShapeMismatchException($"{op}: the {what} {Shapes.Show(weight)} does not broadcast to the "
                + $"input's shape {Shapes.Show(this)}; give it that shape or one that broadcasts to it");
        return weight;
    }

    /// <summary>A class weight [C] for the input's class axis (1, or 0 for an input [C]), not differentiated.</summary>
    private Tensor? ClassWeight(Tensor? weight, string op)
    {
        if (weight is null) return null;
        int c = Rank == 0 ? 0 : Rank == 1 ? shape[0] : shape[1];
        var w = weight.Value;
        Elementwise.SameDType(this, w, op);
        if (w.Rank != 1 || w.shape[0] != c)
            throw new ShapeMismatchException(
                $"{op}: the weight is {Shapes.Show(w)} for an input {Shapes.Show(this)}; give one weight per class, "
                + $"[{c}]");
        return w;
    }

    /// <summary>
    /// The class scores of an input [C], [N, C] or [N, C, d1, ...] as rows [M, C], with the target as rows alike:
    /// class indices [M] (from a scalar, [N] or [N, d1, ...]), or class probabilities [M, C] (the input's shape);
    /// and the shape of a per-element loss ([], [N] or [N, d1, ...]).
    /// </summary>
    private static (Tensor Rows, Tensor Target, int[] LossShape) ClassRows(Tensor x, Tensor target, string op)
    {
        if (x.Rank == 0)
            throw new RankException($"{op}: the input must be [C], [N, C] or [N, C, d1, ...] (the classes on axis 1, "
                + $"or 0 for one example) but got {Shapes.Show(x)}");
        int c = x.Rank == 1 ? x.shape[0] : x.shape[1];
        int[] lossShape = x.Rank == 1 ? [] : [x.shape[0], .. x.shape[2..]];
        var rows = x.Rank switch
        {
            1 => x.Unsqueeze(0),
            2 => x,
            _ => x.Movedim(1, -1).Reshape([-1, c]),
        };
        if (target.DType.IsFloat())
        {
            if (!Shapes.Same(target.shape, x.shape))
                throw new ShapeMismatchException(
                    $"{op}: a float target is class probabilities of the input's shape {Shapes.Show(x)}, "
                    + $"but it is {Shapes.Show(target)}; give class indices as int64 (ToDType(DType.Int64))");
            Elementwise.SameDType(x, target, op);
            var probs = x.Rank switch
            {
                1 => target.Unsqueeze(0),
                2 => target,
                _ => target.Movedim(1, -1).Reshape([-1, c]),
            };
            return (rows, probs, lossShape);
        }
        var labels = IndexArg(target, op, "target");
        if (!Shapes.Same(labels.shape, lossShape))
            throw new ShapeMismatchException(x.Rank == 2
                ? $"{op}: labels {Shapes.Show(labels)} for logits {Shapes.Show(x)}; give a vector of one class index "
                    + "per row"
                : $"{op}: class indices {Shapes.Show(labels)} for an input {Shapes.Show(x)}; give one index per "
                    + $"example, [{string.Join(", ", lossShape)}] (the input's shape without its class axis)");
        return (rows, x.Rank == 2 ? labels : labels.Reshape([-1]), lossShape);
    }

    /// <summary>
    /// −w[t]·logp[i, t] per row of log-probabilities [M, C] (0 for an ignored row), with label smoothing ε mixing in
    /// −ε/C·Σ w·logp; reduced, "mean" dividing by the kept rows' weights.
    /// </summary>
    private static Tensor NllRows(Tensor logp, Tensor labels, Tensor? w, int ignoreIndex, double eps,
        string reduction, int[] lossShape, string op)
    {
        int c = logp.shape[1];
        var kept = labels.Ne(Scalar(ignoreIndex, labels.DType));
        var safe = Where(kept, labels, Scalar(0, labels.DType));
        var picked = Op.Apply(new GatherOp(1, new AxisNames(op, "the input")), logp, safe.Unsqueeze(1))
            .Reshape([labels.shape[0]]);
        var weights = w is null ? null : Op.Apply(new GatherOp(0, new AxisNames(op, "the weight")), w, safe);
        var zero = logp.Const(0);
        var loss = Where(kept, weights is null ? -picked : -picked * weights, zero);
        if (eps > 0)
        {
            var smooth = -(w is null ? logp : logp * w).Sum([1]);
            loss = loss * (1 - eps) + Where(kept, smooth, zero) * (eps / c);
        }
        if (reduction == "none") return loss.Reshape(lossShape);
        if (reduction == "sum") return loss.Sum();
        var total = weights is null ? kept.ToDType(logp.DType).Sum() : Where(kept, weights, zero).Sum();
        return loss.Sum() / total;
    }

    /// <summary>max(log x, −100) as PyTorch's binary cross-entropy clamps it, with x = 0 kept out of Log itself so that
    /// no derivative meets 0·∞: there the value is −100 and every derivative 0.</summary>
    private static Tensor ClampedLog(Tensor x)
    {
        var positive = x.Ne(x.Const(0));
        return Where(positive, Where(positive, x, x.Const(1)).Log(), x.Const(-100)).ClampMin(-100);
    }

    /// <summary>
    /// The value of <paramref name="value"/> with the derivatives of <paramref name="gradient"/>: PyTorch's clamp
    /// under no_grad (cosine similarity's norms, Gaussian NLL's variance), which changes a value and leaves its graph.
    /// Exact: gradient − gradient.Detach() is 0 wherever the gradient's value is finite.
    /// </summary>
    private static Tensor ValueOfGradientOf(Tensor value, Tensor gradient) =>
        value.Detach() + (gradient - gradient.Detach());
}
