using FuncGrad.Kernels;
using FuncGrad.Kernels.Attention;
using System.Numerics;

namespace FuncGrad;

// Scaled dot-product attention (PyTorch's F.scaled_dot_product_attention): the public entry points, their checks,
// the shapes every op of the family works on, and the unfused composition (matmul, mask, softmax, dropout, matmul)
// whose derivatives the fused ops' higher orders use.
public sealed partial class Tensor
{
    /// <summary>
    /// Attention of this query [..., L, E] over <paramref name="key"/> [..., S, E] and <paramref name="value"/>
    /// [..., S, Ev]: softmax(scale·q·kᵀ + mask)·v, [..., L, Ev], as PyTorch's
    /// <c>torch.nn.functional.scaled_dot_product_attention</c>.
    /// </summary>
    /// <remarks>
    /// <para><paramref name="attnMask"/> broadcasts to [..., L, S]: a bool mask keeps the pairs where it is true, a
    /// float mask (the query's dtype) is added to the scores. <paramref name="isCausal"/> keeps key j for query i
    /// where j ≤ i (the upper-left triangle, as PyTorch, also when L ≠ S); it cannot be combined with a mask.
    /// <paramref name="scale"/> defaults to 1/√E. A query whose keys are all masked gets zeros (and zero gradients),
    /// as PyTorch 2.5 and later.</para>
    /// <para>Dropout with probability <paramref name="dropoutP"/> drops each attention weight from
    /// <paramref name="dropoutKey"/> (an int64 key [2], required when dropoutP &gt; 0): weight n (its row-major
    /// index in [..., L, S]) is kept iff word n of the key's Philox stream is at least round(p·2³²), and kept
    /// weights are scaled by 1/(1 − p), the rule of dropout from a key.</para>
    /// <para>The batch axes of the three broadcast; with <paramref name="enableGqa"/> the key and value may have fewer
    /// heads (axis −3) than the query, a divisor of its count, each shared by consecutive query heads.</para>
    /// <para>The value and its first derivative are fused kernels that never hold an L×S matrix (tiles of queries
    /// and keys, an online softmax); higher derivatives and forward mode go through the unfused composition.</para>
    /// </remarks>
    /// <example><code>
    /// var q = Tensor.Ones([2, 3, 4]);
    /// q.ScaledDotProductAttention(q, q, isCausal: true).Shape // evaluates to [2, 3, 4]
    /// </code></example>
    [Peers("torch.nn.functional.scaled_dot_product_attention", "jax.nn.dot_product_attention", "",
        Notes = "bool mask: true takes part; causal: upper-left; fully masked rows give 0")]
    public Tensor ScaledDotProductAttention(Tensor key, Tensor value, Tensor? attnMask = null, double dropoutP = 0.0,
        bool isCausal = false, double? scale = null, bool enableGqa = false, Tensor? dropoutKey = null)
    {
        Guard.NotNull(key); Guard.NotNull(value);
        return Attention.Run(this, key, value, attnMask, dropoutP, isCausal, scale, enableGqa, dropoutKey);
    }

    /// <summary>
    /// Attention of <paramref name="query"/> over <paramref name="key"/> and <paramref name="value"/>: the static
    /// form of <see cref="ScaledDotProductAttention(Tensor, Tensor, Tensor, double, bool, double?, bool, Tensor)"/>,
    /// in PyTorch's argument order.
    /// </summary>
    /// <example><code>
    /// var q = Tensor.Zeros([1, 2]);
    /// var v = Tensor.FromArray(new double[,] { { 1 }, { 2 }, { 3 } });
    /// Tensor.ScaledDotProductAttention(q, Tensor.Zeros([3, 2]), v) // tensor([[2.]], dtype=float64)
    /// </code></example>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null,
        double dropoutP = 0.0, bool isCausal = false, double? scale = null, bool enableGqa = false,
        Tensor? dropoutKey = null)
    {
        Guard.NotNull(query); Guard.NotNull(key); Guard.NotNull(value);
        return Attention.Run(query, key, value, attnMask, dropoutP, isCausal, scale, enableGqa, dropoutKey);
    }

    /// <summary>The attention family's checks, shapes and composition.</summary>
    internal static class Attention
    {
        private const string Who = "scaledDotProductAttention";

        internal static Tensor Run(Tensor q, Tensor k, Tensor v, Tensor? mask, double p, bool causal, double? scale,
            bool gqa, Tensor? dropoutKey)
        {
            if (q.Rank < 2 || k.Rank != q.Rank || v.Rank != q.Rank)
                throw new RankException($"{Who}: query {Shapes.Show(q)}, key {Shapes.Show(k)} and value "
                    + $"{Shapes.Show(v)} must have one rank of at least 2 ([..., L, E], [..., S, E], [..., S, Ev]); "
                    + "unsqueeze the missing batch axes");
            foreach (var (t, name) in new[] { (q, "query"), (k, "key"), (v, "value") })
                if (!t.DType.IsFloat())
                    throw new DTypeMismatchException($"{Who}: the {name} is {Shapes.Show(t)}; attention computes with "
                        + "floats: convert it with ToDType(DType.Float32) or ToDType(DType.Float64)");
            Elementwise.SameDType(q, k, Who);
            Elementwise.SameDType(q, v, Who);
            int l = q.shape[^2], e = q.shape[^1], s = k.shape[^2];
            if (k.shape[^1] != e || v.shape[^2] != s)
                throw new ShapeMismatchException($"{Who}: query {Shapes.Show(q)}, key {Shapes.Show(k)} and value "
                    + $"{Shapes.Show(v)} do not fit [..., L, E], [..., S, E], [..., S, Ev]: the key needs the query's "
                    + "last size E and the value the key's length S");
            if (gqa)
            {
                if (q.Rank < 3)
                    throw new RankException($"{Who}: enableGqa needs heads at axis -3, but the query is "
                        + $"{Shapes.Show(q)}; give [..., H, L, E]");
                int hq = q.shape[^3], hk = k.shape[^3];
                if (v.shape[^3] != hk || hk == 0 || hq % hk != 0)
                    throw new ShapeMismatchException($"{Who}: with enableGqa the key {Shapes.Show(k)} and value "
                        + $"{Shapes.Show(v)} need one number of heads (axis -3) that divides the query's {hq}");
                if (hq != hk)
                {
                    k = k.RepeatInterleave(hq / hk, k.Rank - 3);
                    v = v.RepeatInterleave(hq / hk, v.Rank - 3);
                }
            }
            if (causal && mask is not null)
                throw new ArgumentException($"{Who}: isCausal is set and a mask {Shapes.Show(mask)} is given; "
                    + "pass one or the other (fold the causal triangle into the mask)", "isCausal");
            if (!(p >= 0 && p <= 1))
                throw new ArgumentOutOfRangeException("dropoutP", $"{Who}: dropoutP is {p}; it is in [0, 1]");
            if (p > 0 && dropoutKey is null)
                throw new ArgumentException($"{Who}: dropoutP is {p} but no dropoutKey is given; pass an int64 key [2] "
                    + "(or dropoutP 0 for no dropout)", nameof(dropoutKey));
            if (dropoutKey is not null && (dropoutKey.DType != DType.Int64 || dropoutKey.Rank != 1
                || dropoutKey.shape[0] != 2))
                throw new ArgumentException($"{Who}: the dropout key is {Shapes.Show(dropoutKey)}; a key is an int64 "
                    + "tensor [2]", nameof(dropoutKey));
            double sc = scale ?? 1.0 / Math.Sqrt(e);
            var batch = Shapes.Broadcast(Shapes.Broadcast(q.shape[..^2], k.shape[..^2], Who), v.shape[..^2], Who);
            int n = Shapes.Count(batch, Who), ev = v.shape[^1];
            q = Broadcast(q, [.. batch, l, e]).Reshape([n, l, e]);
            k = Broadcast(k, [.. batch, s, e]).Reshape([n, s, e]);
            v = Broadcast(v, [.. batch, s, ev]).Reshape([n, s, ev]);
            var args = new List<Tensor> { q, k, v };
            if (mask is not null)
            {
                if (mask.DType != DType.Bool && mask.DType != q.DType)
                    throw new DTypeMismatchException($"{Who}: the mask is {Shapes.Show(mask)}; give a bool mask (true "
                        + $"takes part) or a float mask of the query's dtype {q.DType.Name()}, added to the scores");
                int[] full = [.. batch, l, s];
                if (mask.Rank > full.Length || !Shapes.Same(Shapes.Broadcast(mask.shape, full, Who), full))
                    throw new ShapeMismatchException($"{Who}: the mask {Shapes.Show(mask)} does not broadcast to the "
                        + $"scores {Shapes.Show(full)} ([..., L, S])");
                var bias = mask.DType == DType.Bool ? Where(mask, q.Const(0), q.Const(double.NegativeInfinity)) : mask;
                // one [L, S] for every entry where the mask has no batch axes of its own, else one per entry
                bool shared = true;
                for (int i = 0; i < bias.Rank - 2; i++) shared &= bias.shape[i] == 1;
                args.Add(shared
                    ? Broadcast(bias.Reshape([1, .. bias.shape[^2..]]), [1, l, s])
                    : Broadcast(bias, full).Reshape([n, l, s]));
            }
            if (p > 0) args.Add(Beside(dropoutKey!.Reshape([1, 2]), q));
            var op = new AttentionOp(new Options(sc, causal, mask is not null, p));
            var y = FuncGrad.Op.Apply(op, [.. args]);
            return y.Slice(-1, 0, ev).Reshape([.. batch, l, ev]);
        }

        private static Tensor Broadcast(Tensor t, int[] to) => Shapes.Same(t.shape, to) ? t : t.BroadcastTo(to);

        /// <summary>A constant moved to the device of <paramref name="like"/>, where ops on both run.</summary>
        internal static Tensor Beside(Tensor t, Tensor like) => t.Device == like.Device ? t : t.To(like.Device);

        /// <summary>Key j takes part for query i where j ≤ i: a bool [L, S] constant.</summary>
        internal static Tensor Triangle(int l, int s)
        {
            var keep = new bool[l * s];
            for (int i = 0; i < l; i++)
                for (int j = 0; j <= i && j < s; j++) keep[i * s + j] = true;
            return FromArray(keep, [l, s]);
        }

        /// <summary>The weights softmax(scale·q·kᵀ + bias) as scores and their log-sum-exp, unfused, on the ops'
        /// shapes: q [N, L, E], k [N, S, E], bias [1 or N, L, S] or none.</summary>
        internal static Tensor Scores(Options o, Tensor q, Tensor k, Tensor? bias)
        {
            var scores = q.MatMul(k.Transpose(-2, -1)) * o.Scale;
            if (bias is not null) scores += bias;
            if (o.Causal)
                scores += Where(Beside(Triangle(q.shape[1], k.shape[1]), q), q.Const(0),
                    q.Const(double.NegativeInfinity));
            return scores;
        }

        /// <summary>The dropout factors of the weights [N, L, S] under keys [G, 2], as a tensor.</summary>
        internal static Tensor Keep(Options o, Tensor key, Tensor q, Tensor k) => Beside(FuncGrad.Op.Apply(
            new DropoutKeepOp(o.P, q.shape[0], q.shape[1], k.shape[1], q.DType), key), q);

        /// <summary>The fused forward op's value unfused: O [N, L, Ev] and the log-sum-exp [N, L], packed as
        /// [N, L, Ev + 1].</summary>
        internal static Tensor Forward(Options o, Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? key)
        {
            var scores = Scores(o, q, k, bias);
            var weights = scores.Softmax(-1);
            if (key is not null) weights *= Keep(o, key, q, k);
            return Packed.Pack(2, weights.MatMul(v), scores.LogSumExp([-1], keepDims: true));
        }

        /// <summary>
        /// The fused backward op's value unfused: dQ, dK, dV packed as [N, L·E + S·E + S·Ev], from y = (O, lse) and
        /// its cotangent dy = (dO, dlse), each [N, L, Ev + 1], taken as independent arguments: P = e^(s − lse),
        /// dV = (P∘Z)ᵀ·dO, dS = P ∘ ((dO·Vᵀ)∘Z − D) with D = rowsum(dO ∘ O) − dlse, dQ = scale·dS·K,
        /// dK = scale·dSᵀ·Q (Z the dropout factors).
        /// </summary>
        internal static Tensor Backward(Options o, Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? key, Tensor y,
            Tensor dy)
        {
            int ev = v.shape[^1];
            var lse = y.Slice(-1, ev, ev + 1);
            var dO = dy.Slice(-1, 0, ev);
            var safe = Where(lse.Eq(lse.Const(double.NegativeInfinity)), lse.Const(0), lse);
            var p = (Scores(o, q, k, bias) - safe).Exp();
            var z = key is null ? null : Keep(o, key, q, k);
            var dv = (z is null ? p : p * z).Transpose(-2, -1).MatMul(dO);
            var dp = dO.MatMul(v.Transpose(-2, -1));
            if (z is not null) dp *= z;
            var d = (dO * y.Slice(-1, 0, ev)).Sum([-1], keepDims: true) - dy.Slice(-1, ev, ev + 1);
            var ds = p * (dp - d) * o.Scale;
            return Packed.Pack(1, ds.MatMul(k), ds.Transpose(-2, -1).MatMul(q), dv);
        }
    }

    /// <summary>The options of one attention, the same for its forward and backward ops.</summary>
    internal readonly record struct Options(double Scale, bool Causal, bool HasBias, double P)
    {
        internal bool HasKey => P > 0;
        internal int Count => 3 + (HasBias ? 1 : 0) + (HasKey ? 1 : 0);
    }

    /// <summary>Folds a vmap's examples into the entries of an attention op's argument [N, …]: [B·N, …] (an argument
    /// without examples repeated for each).</summary>
    private static Tensor Entries(Tensor x, int? at, int size)
    {
        var t = at is int a ? Batching.Moved(x, a, 0) : Batching.Repeated(x, size);
        return t.Reshape([-1, .. t.shape[2..]]);
    }

    /// <summary>
    /// Attention's forward op: (q [N, L, E], k [N, S, E], v [N, S, Ev], bias [1 or N, L, S]?, keys [G, 2]?) → O and
    /// the log-sum-exp packed as [N, L, Ev + 1], by the fused kernel (<c>Flash.Forward</c>). Its VJP is
    /// <see cref="AttentionBackwardOp"/> (a kernel too), whose own rules are the unfused composition's; its JVP is the
    /// unfused composition's.
    /// </summary>
    private sealed class AttentionOp(Options o) : Op
    {
        public override string Name => "ScaledDotProductAttention";
        public override bool ReadsValuesOnly => true;
        internal override bool AnyDType => true; // the keys are int64; the floats are checked by the entry point
        internal override object Identity => (Name, o);

        // On a device: the backend's attention where it has one (no dropout: its random numbers are not Philox's),
        // else the unfused composition, whose ops run there.
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            var (bias, key) = Extra(o, x);
            var (q, k, v) = (x[0].Value, x[1].Value, x[2].Value);
            var fused = key is null ? b.Attention(q, k, v, bias?.Value, o.Causal, o.Scale) : null;
            return fused ?? Attention.Forward(o, q, k, v, bias?.Value, key?.Value);
        }

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x) : Compute<float>(x);

        private Tensor Compute<T>(Tensor[] x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (bias, key) = Extra(o, x);
            var shape = ShapeOf(o, x[0], x[1], x[2], bias, key);
            int count = checked(shape.N * shape.L * (shape.Ev + 1));
            var y = Storage.Uninitialized<T>(count, out var lease);
            var words = key is null ? null : AttentionDropout.KeyWords(key, "scaledDotProductAttention");
            Flash.Forward(shape, x[0].Buffer<T>(), x[1].Buffer<T>(), x[2].Buffer<T>(), bias?.Buffer<T>(), words, y);
            return Plain([shape.N, shape.L, shape.Ev + 1], y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var back = Op.Apply(new AttentionBackwardOp(o), [.. x, y, g]);
            int l = x[0].shape[1], s = x[1].shape[1], e = x[0].shape[2], ev = x[2].shape[2];
            var parts = Packed.Unpack(back, [l, e], [s, e], [s, ev]);
            var grads = new Tensor?[x.Length];
            for (int i = 0; i < 3; i++) grads[i] = needs[i] ? parts[i] : null;
            if (o.HasBias && needs[3])
            {
                // the bias's cotangent is dS itself, an L×S matrix: through the unfused composition
                var (_, pull) = Autodiff.Vjp(b => Attention.Forward(o, x[0], x[1], x[2], b[0], Extra(o, x).Key),
                    [x[3]]);
                grads[3] = pull(g)[0];
            }
            return grads;
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Tangent(dx, x, xs => Attention.Forward(o, xs[0], xs[1], xs[2], o.HasBias ? xs[3] : null,
                Extra(o, x).Key));

        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            int n = x[0].shape[at[0] == 0 ? 1 : 0];
            var args = Folded(o, x, at, size, n);
            var y = Op.Apply(this, args);
            return (y.Reshape([size, -1, .. y.shape[1..]]), 0);
        }
    }

    /// <summary>
    /// Attention's backward op: (q, k, v, bias?, keys?, y, dy) → dQ, dK, dV packed as [N, L·E + S·E + S·Ev], y being
    /// the forward op's value (O and log-sum-exp) and dy its cotangent, by the fused kernel
    /// (<c>Flash.Backward</c>). Its VJP and JVP are those of the unfused composition
    /// (<see cref="Attention.Backward"/>), in which y and dy are arguments like the others: so every order works.
    /// </summary>
    private sealed class AttentionBackwardOp(Options o) : Op
    {
        public override string Name => "ScaledDotProductAttentionBackward";
        public override bool ReadsValuesOnly => true;
        internal override bool AnyDType => true;
        internal override object Identity => (Name, o);

        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => Unfused(x.Select(t => t.Value).ToArray());

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x) : Compute<float>(x);

        private Tensor Compute<T>(Tensor[] x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (bias, key) = Extra(o, x);
            var shape = ShapeOf(o, x[0], x[1], x[2], bias, key);
            int per = checked(shape.L * shape.E + shape.S * shape.E + shape.S * shape.Ev);
            var g = Storage.Uninitialized<T>(checked(shape.N * per), out var lease);
            var words = key is null ? null : AttentionDropout.KeyWords(key, "scaledDotProductAttention");
            Flash.Backward(shape, x[0].Buffer<T>(), x[1].Buffer<T>(), x[2].Buffer<T>(), bias?.Buffer<T>(), words,
                x[^2].Buffer<T>(), x[^1].Buffer<T>(), g);
            return Plain([shape.N, per], g, lease);
        }

        private Tensor Unfused(IReadOnlyList<Tensor> x)
        {
            var (bias, key) = Extra(o, x);
            return Attention.Backward(o, x[0], x[1], x[2], bias, key, x[^2], x[^1]);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            int[] floats = Floats(o, x.Length);
            var (_, pull) = Autodiff.Vjp(xs => Unfused(With(x, floats, xs)), floats.Select(i => x[i]).ToArray());
            var cot = pull(g);
            var grads = new Tensor?[x.Length];
            for (int i = 0; i < floats.Length; i++) grads[floats[i]] = needs[floats[i]] ? cot[i] : null;
            return grads;
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Tangent(dx, x, Unfused);

        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            int n = x[0].shape[at[0] == 0 ? 1 : 0];
            var args = Folded(o, x, at, size, n);
            var y = Op.Apply(this, args);
            return (y.Reshape([size, -1, .. y.shape[1..]]), 0);
        }
    }

    /// <summary>The bias and keys among an attention op's arguments (after q, k, v; y and dy follow them in the
    /// backward op's).</summary>
    private static (Tensor? Bias, Tensor? Key) Extra(Options o, IReadOnlyList<Tensor> x) =>
        (o.HasBias ? x[3] : null, o.HasKey ? x[o.HasBias ? 4 : 3] : null);

    /// <summary>The positions of an attention op's float arguments (all but the keys).</summary>
    private static int[] Floats(Options o, int count) =>
        Enumerable.Range(0, count).Where(i => !(o.HasKey && i == (o.HasBias ? 4 : 3))).ToArray();

    /// <summary>The arguments with the float ones replaced by <paramref name="xs"/>, in order.</summary>
    private static Tensor[] With(Tensor[] x, int[] floats, IReadOnlyList<Tensor> xs)
    {
        var all = (Tensor[])x.Clone();
        for (int i = 0; i < floats.Length; i++) all[floats[i]] = xs[i];
        return all;
    }

    /// <summary>The tangent of an unfused composition of the arguments, through forward mode on it (a missing
    /// tangent is zero; the keys have none).</summary>
    private static Tensor Tangent(Tensor?[] dx, Tensor[] x, Func<IReadOnlyList<Tensor>, Tensor> f)
    {
        var floats = Enumerable.Range(0, x.Length).Where(i => x[i].DType.IsFloat()).ToArray();
        var (_, t) = Autodiff.Jvp(xs => f(With(x, floats, xs)), floats.Select(i => x[i]).ToArray(),
            floats.Select(i => dx[i] ?? ZerosLike(x[i].Value)).ToArray());
        return t;
    }

    /// <summary>An attention op's arguments with a vmap's examples folded into the entries: q, k, v, y, dy and a
    /// per-entry bias become [B·N, …]; a shared bias [1, L, S] stays; keys [G, 2] become [B·G, 2] (each example its
    /// own groups, as a loop of dropouts over the examples would have).</summary>
    private static Tensor[] Folded(Options o, Tensor[] x, int?[] at, int size, int n)
    {
        var args = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            bool isBias = o.HasBias && i == 3;
            int rows = x[i].shape[at[i] is int a && a == 0 ? 1 : 0];
            if (isBias && at[i] is null && x[i].shape[0] == 1) args[i] = x[i];
            else if (isBias && rows == 1 && n > 1)
            {
                var t = at[i] is int b ? Batching.Moved(x[i], b, 0) : Batching.Repeated(x[i], size);
                args[i] = t.BroadcastTo([size, n, .. t.shape[2..]]).Reshape([-1, .. t.shape[2..]]);
            }
            else args[i] = Entries(x[i], at[i], size);
        }
        return args;
    }

    /// <summary>The shapes of an attention op's arguments, checked where a kernel relies on them.</summary>
    private static AttentionShape ShapeOf(Options o, Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? key)
    {
        int n = q.shape[0];
        int groups = key is null ? 1 : key.shape[0];
        if (groups == 0 || n % groups != 0 || (bias is not null && bias.shape[0] != 1 && bias.shape[0] != n))
            throw new InvalidOperationException($"scaledDotProductAttention: entries {Shapes.Show(q)}, bias "
                + $"{(bias is null ? "none" : Shapes.Show(bias))}, keys {(key is null ? "none" : Shapes.Show(key))} "
                + "do not fit; this is a bug in FuncGrad");
        return new AttentionShape(n, q.shape[1], k.shape[1], q.shape[2], v.shape[2], o.Scale, o.Causal,
            bias is not null && bias.shape[0] != 1, o.P, groups);
    }

    /// <summary>
    /// The dropout factors of attention weights [N, L, S] from keys [G, 2] (int64): weight n of group g (N/G
    /// consecutive batch entries, n its row-major index in the group's [N/G, L, S]) is 1/(1 − p) where the group's key
    /// keeps it (<c>Philox.Kept</c>), else 0. The key gets no gradient. Under vmap a batch of keys gives each
    /// example its own group, as a loop of dropouts would.
    /// </summary>
    private sealed class DropoutKeepOp(double p, int n, int l, int s, DType dtype) : Op
    {
        public override string Name => "AttentionDropout";
        public override bool ReadsValuesOnly => true;
        internal override bool AnyDType => true;
        internal override object Identity => (Name, p, n, l, s, dtype);

        public override Tensor Compute(Tensor[] x) =>
            dtype == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor key) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var words = AttentionDropout.KeyWords(key, "scaledDotProductAttention");
            var y = new T[(long)n * l * s > int.MaxValue
                ? throw new TensorSizeOverflowException("scaledDotProductAttention: the dropout mask is too large")
                : n * l * s];
            AttentionDropout.DropoutFactors(words, n, l * s, p, y);
            return Plain([n, l, s], y);
        }

        // On a device: Philox on the host, then moved, so every device draws the same bits.
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => Compute([x[0].Host()]).To(x[0].Device);

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => ZerosLike(y);

        // A batch of keys [B, G, 2]: B·G groups over B·N entries, in order.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            if (at[0] is not int a) return (Op.Apply(this, x[0]), null);
            var keys = Batching.Moved(x[0], a, 0);
            var y = Op.Apply(new DropoutKeepOp(p, size * n, l, s, dtype), keys.Reshape([-1, 2]));
            return (y.Reshape([size, n, l, s]), 0);
        }
    }
}

internal abstract partial class Backend
{
    /// <summary>The packed value of attention's forward op without dropout: O [N, L, Ev] and each row's log-sum-exp
    /// [N, L] as [N, L, Ev + 1], a row whose keys are all masked giving O = 0 and −inf; q [N, L, E], k [N, S, E],
    /// v [N, S, Ev], an additive bias [1 or N, L, S] or none; or null where this backend has no kernel.</summary>
    internal virtual Tensor? Attention(Tensor q, Tensor k, Tensor v, Tensor? bias, bool causal, double scale) => null;
}
