using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Normalisation layers (torch.nn.functional's layer_norm, rms_norm, group_norm, instance_norm, batch_norm). Each
// normalises rows of n contiguous elements, reached by a reshape (layer, RMS, group and instance norm) or by moving
// the channel axis first (batch norm): one op, NormalizeOp, with a fused kernel (Kernels/Norm/RowNorm.cs), whose VJP
// and JVP are one op of the kernel's input gradient, NormalizeBackwardOp, whose own rules are written in FuncGrad ops,
// so every order of derivative works. The affine weight and bias are ordinary broadcast products and sums.
public sealed partial class Tensor
{
    /// <summary>
    /// The rows x̂ of n trailing elements: (x − mean)·r with <paramref name="centre"/> (layer norm), x·r without (RMS
    /// norm), r = 1/√(mean((x − mean)²) + ε) (the mean of the raw squares without centring). Named as the public op
    /// that applies it.
    /// </summary>
    private sealed class NormalizeOp(string name, int n, bool centre, double eps) : Op
    {
        public override string Name => name;
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (name, n, centre, eps);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Normalization(x[0], n, centre, eps);
        internal NormalizeBackwardOp Backward => new(name, n, centre, eps);
        internal override StepKernel? Kernel(StepTypes s) => RowStep(s, n, centre, eps);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var y = Storage.Uninitialized<T>(x.Count, out var lease);
            if (x.Count > 0)
                RowNorm.Forward(x.Buffer<T>(), y, x.Count / n, n, centre, T.CreateTruncating(eps));
            return Plain(x.shape, y, lease);
        }

        // x̂'s Jacobian r·(I − 11ᵀ/n − x̂x̂ᵀ/n) (without 11ᵀ/n for RMS) is symmetric: the VJP and the JVP are one op.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Op.Apply(Backward, g, x[0])];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(Backward, dx[0]!, x[0]);

        // Rows are the trailing n elements: the batch in front is more rows.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Moved(x[0], axes[0]!.Value, 0)), 0);
    }

    /// <summary>
    /// (g, x) ↦ r·(g − mean(g) − x̂·mean(g·x̂)) per row (no mean(g) for RMS): the VJP of <see cref="NormalizeOp"/>,
    /// with its own kernel. Linear in g, with the same symmetric operator, so its VJP in g is itself; its VJP in x
    /// and its JVP are the closed forms below, in FuncGrad ops.
    /// </summary>
    private sealed class NormalizeBackwardOp(string name, int n, bool centre, double eps) : Op
    {
        public override string Name => name + "Backward";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (Name, n, centre, eps);
        private NormalizeOp Forward => new(name, n, centre, eps);
        internal override StepKernel? Kernel(StepTypes s) => RowStep(s, n, centre, eps);

        // On another device: the formula in ops, which run there.
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            var (g, v) = (Rows(x[0]), Rows(x[1]));
            var xh = Op.Apply(Forward, v);
            var pg = (centre ? g - RowMean(g) : g) - xh * RowMean(g * xh);
            return (Rstd(v) * pg).Reshape(x[1].shape);
        }

        public override Tensor Compute(Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], Name);
            return x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);
        }

        private Tensor Compute<T>(Tensor g, Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var dx = Storage.Uninitialized<T>(x.Count, out var lease);
            if (x.Count > 0)
                RowNorm.Backward(g.Buffer<T>(), x.Buffer<T>(), dx, x.Count / n, n, centre, T.CreateTruncating(eps));
            return Plain(x.shape, dx, lease);
        }

        private Tensor Rows(Tensor t) => t.Reshape([-1, n]);
        private static Tensor RowMean(Tensor t) => t.Mean([1], keepDims: true);
        private Tensor Rstd(Tensor x)
        {
            var d = centre ? x - RowMean(x) : x;
            return (RowMean(d * d) + eps).Rsqrt();
        }

        // With B = r·P(g), P = I − 11ᵀ/n − x̂x̂ᵀ/n, m = mean(g·x̂), and dx̂ = B(dx), dr = −r²·mean(x̂·dx):
        // ∂⟨h, B⟩/∂x = −r²·(mean(h·g_c) − m·mean(h·x̂))·x̂ − r·mean(h·x̂)·B(g) − r·m·B(h),
        // g_c = g − mean(g) (g for RMS).
        public override Tensor?[] Vjp(Tensor h, Tensor[] x, Tensor y, Needs needs)
        {
            var (g, v, hh, yy) = (Rows(x[0]), Rows(x[1]), Rows(h), Rows(y));
            var bh = Op.Apply(this, hh, v);
            Tensor? dx = null;
            if (needs[1])
            {
                var xh = Op.Apply(Forward, v);
                var r = Rstd(v);
                var gc = centre ? g - RowMean(g) : g;
                var (a, s, m) = (RowMean(hh * gc), RowMean(hh * xh), RowMean(g * xh));
                dx = (-(r * r) * (a - m * s) * xh - r * s * yy - r * m * bh).Reshape(x[1].shape);
            }
            return [needs[0] ? bh.Reshape(x[0].shape) : null, dx];
        }

        // dB = B(dg) + (dr/r)·B − r·(dx̂·m + x̂·dm), dm = mean(g·dx̂).
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var v = Rows(x[1]);
            Tensor? t = dx[0] is { } dg ? Op.Apply(this, Rows(dg), v) : null;
            if (dx[1] is { } dv0)
            {
                var (g, dv, yy) = (Rows(x[0]), Rows(dv0), Rows(y));
                var xh = Op.Apply(Forward, v);
                var r = Rstd(v);
                var dxh = Op.Apply(this, dv, v);
                var (m, dm, q) = (RowMean(g * xh), RowMean(g * dxh), RowMean(xh * dv));
                var d = -(r * q) * yy - r * (dxh * m + xh * dm);
                t = t is null ? d : t + d;
            }
            return t!.Reshape(x[1].shape);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var g = axes[0] is int a ? Batching.Moved(x[0], a, 0) : Batching.Repeated(x[0], size);
            var v = axes[1] is int b ? Batching.Moved(x[1], b, 0) : Batching.Repeated(x[1], size);
            return (Op.Apply(this, g, v), 0);
        }
    }

    /// <summary>The forward (one argument) or backward (g, x) kernel as a compiled program's step: the call Compute
    /// makes, into the result's buffer.</summary>
    private static StepKernel? RowStep(StepTypes s, int n, bool centre, double eps) => !s.OneDType ? null
        : s.DType == DType.Float64 ? new RowNormStep<double>(s, n, centre, eps)
            : new RowNormStep<float>(s, n, centre, eps);

    private sealed class RowNormStep<T>(StepTypes s, int n, bool centre, double eps) : StepKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly int[] args = s.Args;
        private readonly int result = s.Result, count = s.Count;

        internal override void Run(Frame f, int lo, int hi)
        {
            if (count == 0) return;
            var e = T.CreateTruncating(eps);
            if (args.Length == 1)
                RowNorm.Forward(f.Array<T>(args[0]), f.Array<T>(result), count / n, n, centre, e);
            else
                RowNorm.Backward(f.Array<T>(args[0]), f.Array<T>(args[1]), f.Array<T>(result), count / n, n, centre, e);
        }
    }

    /// <summary>The rows of n elements normalised, under the public op's name.</summary>
    private Tensor NormalizeRows(string name, int n, bool centre, double eps) =>
        Op.Apply(new NormalizeOp(name, n, centre, eps), this);

    /// <summary>ε checked: a number ≥ 0.</summary>
    private static void CheckEps(string op, double eps)
    {
        if (!(eps >= 0) || double.IsInfinity(eps))
            throw new ArgumentOutOfRangeException(nameof(eps),
                $"{op}: eps is {eps}; it is a finite number ≥ 0 added to the variance");
    }

    /// <summary>An affine parameter checked: of the input's dtype and the given shape.</summary>
    private void CheckAffine(string op, string what, Tensor? p, int[] expected, string rule)
    {
        if (p is null) return;
        if (p.DType != DType)
            throw new DTypeMismatchException(
                $"{op}: the {what} is {Shapes.Show(p)} but the input is {Shapes.Show(this)}; convert it with "
                + $"ToDType(DType.{DType})");
        if (!Shapes.Same(p.shape, expected))
            throw new ShapeMismatchException(
                $"{op}: the {what} is {Shapes.Show(p)} for an input {Shapes.Show(this)}; {rule}");
    }

    /// <summary>The trailing shape checked against normalizedShape; returns the number of elements in it.</summary>
    private int TrailingCount(string op, int[] normalizedShape)
    {
        int k = normalizedShape.Length;
        if (k == 0)
            throw new ArgumentException(
                $"{op}: normalizedShape is empty; give the trailing axes to normalise over, e.g. "
                + $"[{(Rank > 0 ? shape[^1] : 1)}]",
                nameof(normalizedShape));
        if (k > Rank || !Shapes.Same(shape[^k..], normalizedShape))
            throw new ShapeMismatchException(
                $"{op}: normalizedShape [{string.Join(", ", normalizedShape)}] is not the trailing shape of the input "
                + $"{Shapes.Show(this)}; pass its last axes' sizes");
        long c = 1;
        foreach (var s in normalizedShape) c *= s;
        return (int)c;
    }

    /// <summary>
    /// Layer normalisation over the trailing axes <paramref name="normalizedShape"/>: (x − mean)/√(var + ε), the
    /// mean and the biased variance taken over those axes, then times <paramref name="weight"/> and plus
    /// <paramref name="bias"/> (each of shape normalizedShape) where given, as PyTorch's layer_norm.
    /// </summary>
    /// <remarks>
    /// One fused kernel per row: two passes for the statistics (sum, then the sum of squared deviations; the row stays
    /// in cache) and one for the output; the gradient is one kernel of the closed form
    /// r·(g − mean(g) − x̂·mean(g·x̂)), itself an op with rules in FuncGrad ops, so every order works. Throws
    /// <see cref="ShapeMismatchException"/> when normalizedShape is not the input's trailing shape or the weight or
    /// bias has another shape.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0]).LayerNorm([3]) // tensor([-1.2247, 0.0000, 1.2247], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.layer_norm", "", "", Notes = "biased variance; weight and bias optional")]
    public Tensor LayerNorm(int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        Guard.NotNull(normalizedShape);
        const string op = "LayerNorm";
        int n = TrailingCount(op, normalizedShape);
        CheckEps(op, eps);
        const string rule = "it has the shape normalizedShape";
        CheckAffine(op, "weight", weight, normalizedShape, rule);
        CheckAffine(op, "bias", bias, normalizedShape, rule);
        var y = NormalizeRows(op, Count == 0 ? 1 : n, true, eps);
        if (weight is not null) y *= weight;
        return bias is null ? y : y + bias;
    }

    /// <summary>
    /// RMS normalisation over the trailing axes <paramref name="normalizedShape"/>: x/√(mean(x²) + ε), times
    /// <paramref name="weight"/> where given, as PyTorch's rms_norm; ε defaults (null) to the machine epsilon of the
    /// dtype (2⁻⁵² for float64, 2⁻²³ for float32), as torch.finfo(dtype).eps.
    /// </summary>
    /// <remarks>The kernels of <see cref="LayerNorm"/> without the centring.</remarks>
    /// <example><code>
    /// Tensor.FromArray([3.0, 4.0]).RmsNorm([2]) // tensor([0.8485, 1.1314], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.rms_norm", "", "", Notes = "eps defaults to the dtype's machine epsilon")]
    public Tensor RmsNorm(int[] normalizedShape, Tensor? weight = null, double? eps = null)
    {
        Guard.NotNull(normalizedShape);
        const string op = "RmsNorm";
        int n = TrailingCount(op, normalizedShape);
        double e = eps ?? (DType == DType.Float32 ? float.BitIncrement(1f) - 1f : double.BitIncrement(1.0) - 1.0);
        CheckEps(op, e);
        CheckAffine(op, "weight", weight, normalizedShape, "it has the shape normalizedShape");
        var y = NormalizeRows(op, Count == 0 ? 1 : n, false, e);
        return weight is null ? y : y * weight;
    }

    /// <summary>[N, C, …] checked for the channel ops: rank ≥ 2, and a per-channel weight and bias [C].</summary>
    private int Channels(string op, Tensor? weight, Tensor? bias, int minRank)
    {
        if (Rank < minRank)
            throw new RankException(
                $"{op}: the input is {Shapes.Show(this)}; it is [N, C{(minRank > 2 ? ", L, …" : ", …")}] (rank ≥ "
                + $"{minRank}); add the batch axis with Unsqueeze(0)");
        int c = shape[1];
        CheckAffine(op, "weight", weight, [c], $"it has one element per channel, [{c}]");
        CheckAffine(op, "bias", bias, [c], $"it has one element per channel, [{c}]");
        return c;
    }

    /// <summary>y·weight + bias with per-channel [C] parameters on [N, C, …].</summary>
    private static Tensor ChannelAffine(Tensor y, Tensor? weight, Tensor? bias)
    {
        if (weight is null && bias is null) return y;
        var at = new int[y.Rank - 1];
        Array.Fill(at, 1);
        at[0] = y.shape[1];
        if (weight is not null) y *= weight.Reshape(at);
        return bias is null ? y : y + bias.Reshape(at);
    }

    /// <summary>
    /// Group normalisation of [N, C, …]: the C channels split into <paramref name="numGroups"/> groups, each
    /// example's group normalised over its channels and spatial positions ((x − mean)/√(var + ε), biased variance),
    /// then times <paramref name="weight"/> [C] and plus <paramref name="bias"/> [C] where given, as PyTorch's
    /// group_norm.
    /// </summary>
    /// <remarks>The kernels of <see cref="LayerNorm"/> on the rows [N·G, C/G·…]. Throws
    /// <see cref="ArgumentException"/> when numGroups does not divide C.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new[,] { { 1.0, 3.0 } }).GroupNorm(1) // tensor([[-1.0000, 1.0000]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.group_norm", "", "", Notes = "biased variance per (example, group)")]
    public Tensor GroupNorm(int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        const string op = "GroupNorm";
        int c = Channels(op, weight, bias, 2);
        CheckEps(op, eps);
        if (numGroups <= 0 || c % numGroups != 0)
            throw new ArgumentException(
                $"{op}: {numGroups} groups for {c} channels of {Shapes.Show(this)}; the number of groups is ≥ 1 and "
                + "divides the channels", nameof(numGroups));
        long per = (long)Count / Math.Max(1, shape[0] * numGroups);
        var y = shape[0] == 0 || Count == 0
            ? NormalizeRows(op, 1, true, eps)
            : Reshape([shape[0] * numGroups, (int)per]).NormalizeRows(op, (int)per, true, eps).Reshape(shape);
        return ChannelAffine(y, weight, bias);
    }

    /// <summary>
    /// Instance normalisation of [N, C, …] (rank ≥ 3): each example's channel normalised over its spatial positions
    /// ((x − mean)/√(var + ε), biased variance), then times <paramref name="weight"/> [C] and plus
    /// <paramref name="bias"/> [C] where given, as PyTorch's instance_norm with its input statistics.
    /// </summary>
    /// <remarks>
    /// PyTorch's running statistics (running_mean, running_var, use_input_stats = False) are not taken: for
    /// statistics carried between calls use <see cref="BatchNorm"/>. Throws <see cref="ArgumentException"/> when a
    /// channel has a single spatial position, as PyTorch does in training (the variance would be 0).
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray(new[,,] { { { 1.0, 3.0 } } }).InstanceNorm() // tensor([[[-1.0000, 1.0000]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.instance_norm", "", "", Notes = "input statistics only")]
    public Tensor InstanceNorm(Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        const string op = "InstanceNorm";
        Channels(op, weight, bias, 3);
        CheckEps(op, eps);
        long spatial = 1;
        for (int i = 2; i < Rank; i++) spatial *= shape[i];
        if (spatial == 1)
            throw new ArgumentException(
                $"{op}: the input {Shapes.Show(this)} has one spatial element per channel, whose variance is 0; "
                + "instance norm needs more than one");
        var y = Count == 0
            ? NormalizeRows(op, 1, true, eps)
            : Reshape([-1, (int)spatial]).NormalizeRows(op, (int)spatial, true, eps).Reshape(shape);
        return ChannelAffine(y, weight, bias);
    }

    /// <summary>
    /// Batch normalisation of [N, C] or [N, C, …], as PyTorch's batch_norm: each channel normalised by the batch's
    /// statistics in training, by <paramref name="runningMean"/> and <paramref name="runningVar"/> [C] in evaluation.
    /// </summary>
    /// <remarks>
    /// The batch's statistics are the mean and the biased variance over N and the spatial positions, also used in
    /// evaluation without running statistics; the result is then times <paramref name="weight"/> and plus
    /// <paramref name="bias"/> [C] where given.
    /// Nothing is mutated: in training the updated running statistics are what <see cref="BatchNormTrain"/> returns
    /// beside the output; this method returns the output only. Under vmap the batch statistics are each mapped
    /// example's own (its N and spatial positions), as torch.func's. Throws <see cref="ArgumentException"/> when a
    /// channel has a single value in training (its variance is 0), as PyTorch does.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray(new[,] { { 1.0 }, { 3.0 } }).BatchNorm(null, null, training: true)
    /// // tensor([[-1.0000], [ 1.0000]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.batch_norm", "", "", Notes = "running statistics returned by BatchNormTrain")]
    public Tensor BatchNorm(Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        const string op = "BatchNorm";
        int c = Channels(op, weight, bias, 2);
        CheckEps(op, eps);
        CheckRunning(op, runningMean, runningVar, c, training);
        if (!training && runningMean is not null && runningVar is not null)
        {
            var at = new int[Rank - 1];
            Array.Fill(at, 1);
            at[0] = c;
            var y = (this - runningMean.Reshape(at)) * (runningVar.Reshape(at) + eps).Rsqrt();
            return ChannelAffine(y, weight, bias);
        }
        return ChannelAffine(BatchNormalized(op, c, eps), weight, bias);
    }

    /// <summary>
    /// Batch normalisation in training, as PyTorch's batch_norm with training = True: the output of
    /// <see cref="BatchNorm"/>, and the running statistics updated, as new tensors.
    /// </summary>
    /// <remarks>The update is (1 − momentum)·running + momentum·batch statistic, the variance's unbiased
    /// (divided by the count − 1), as PyTorch's. The new running statistics are ordinary tensors of the input, so they
    /// carry its derivatives (PyTorch's buffers carry none); <c>Detach</c> them where that matters.</remarks>
    /// <example><code>
    /// var (y, mean, variance) = Tensor.FromArray(new[,] { { 1.0 }, { 3.0 } })
    ///     .BatchNormTrain(Tensor.Zeros([1]), Tensor.Ones([1]));
    /// // mean: tensor([0.2000], dtype=float64), variance: tensor([1.1000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.batch_norm", "", "", Notes = "training = True; returns the new running statistics",
        Composed = true)]
    public (Tensor Output, Tensor RunningMean, Tensor RunningVar) BatchNormTrain(Tensor runningMean, Tensor runningVar,
        Tensor? weight = null, Tensor? bias = null, double momentum = 0.1, double eps = 1e-5)
    {
        Guard.NotNull(runningMean); Guard.NotNull(runningVar);
        const string op = "BatchNorm";
        int c = Channels(op, weight, bias, 2);
        CheckEps(op, eps);
        CheckRunning(op, runningMean, runningVar, c, true);
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum),
                $"{op}: momentum is {momentum}; it is in [0, 1], the weight of the batch's statistics");
        var y = ChannelAffine(BatchNormalized(op, c, eps), weight, bias);
        var axes = Enumerable.Range(0, Rank).Where(a => a != 1).ToArray();
        var mean = Mean(axes);
        var unbiased = Var(axes, correction: 1);
        return (y, runningMean * (1 - momentum) + mean * momentum, runningVar * (1 - momentum) + unbiased * momentum);
    }

    private void CheckRunning(string op, Tensor? runningMean, Tensor? runningVar, int c, bool training)
    {
        const string rule = "it has one element per channel";
        CheckAffine(op, "running mean", runningMean, [c], $"{rule}, [{c}]");
        CheckAffine(op, "running variance", runningVar, [c], $"{rule}, [{c}]");
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException(
                $"{op}: only one of the running mean and variance is given; give both or neither");
        if (!training && runningMean is null)
            return; // evaluation without running statistics uses the batch's, as PyTorch
        if (training && Count / Math.Max(1, shape[1]) <= 1 && Count > 0)
            throw new ArgumentException(
                $"{op}: the input {Shapes.Show(this)} has one value per channel, whose variance is 0; training needs "
                + "more than one (a batch of N ≥ 2, or spatial positions)");
    }

    /// <summary>Each channel of [N, C, …] normalised over N and the spatial positions: the channel axis moved first,
    /// the rest flattened into its row.</summary>
    private Tensor BatchNormalized(string op, int c, double eps)
    {
        if (Count == 0) return NormalizeRows(op, 1, true, eps);
        var perm = new int[Rank];
        perm[0] = 1; perm[1] = 0;
        for (int i = 2; i < Rank; i++) perm[i] = i;
        var first = Permute(perm);
        int per = Count / c;
        return first.Reshape([c, per]).NormalizeRows(op, per, true, eps).Reshape(first.shape).Permute(perm);
    }
}

internal abstract partial class Backend
{
    /// <summary>The rows of n trailing elements of x normalised, centred (layer norm) or not (RMS), without weight or
    /// bias; null where the backend has no kernel.</summary>
    internal virtual Tensor? Normalization(Tensor x, int n, bool centre, double eps) => null;
}
