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
        Notes = "bool mask: true takes part; causal: upper-left; fully masked rows give 0", Composed = true)]
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
            q = Broadcast(q, [.. batch, l, e]);
            k = Broadcast(k, [.. batch, s, e]);
            v = Broadcast(v, [.. batch, s, v.shape[^1]]);
            Tensor? bias = null;
            if (mask is not null)
            {
                if (mask.DType != DType.Bool && mask.DType != q.DType)
                    throw new DTypeMismatchException($"{Who}: the mask is {Shapes.Show(mask)}; give a bool mask (true "
                        + $"takes part) or a float mask of the query's dtype {q.DType.Name()}, added to the scores");
                int[] full = [.. batch, l, s];
                if (mask.Rank > full.Length || !Shapes.Same(Shapes.Broadcast(mask.shape, full, Who), full))
                    throw new ShapeMismatchException($"{Who}: the mask {Shapes.Show(mask)} does not broadcast to the "
                        + $"scores {Shapes.Show(full)} ([..., L, S])");
                bias = mask.DType == DType.Bool ? Where(mask, q.Const(0), q.Const(double.NegativeInfinity)) : mask;
            }
            else if (causal)
                bias = Where(Triangle(l, s), q.Const(0), q.Const(double.NegativeInfinity));
            Tensor? keep = null;
            if (p > 0)
            {
                int n = Shapes.Count(batch, Who);
                keep = FuncGrad.Op.Apply(new DropoutKeepOp(p, n, l, s, q.DType), dropoutKey!.Reshape([1, 2]))
                    .Reshape([.. batch, l, s]);
            }
            return Composed(q, k, v, bias, sc, keep);
        }

        private static Tensor Broadcast(Tensor t, int[] to) => Shapes.Same(t.shape, to) ? t : t.BroadcastTo(to);

        /// <summary>Key j takes part for query i where j ≤ i: a bool [L, S] constant.</summary>
        internal static Tensor Triangle(int l, int s)
        {
            var keep = new bool[l * s];
            for (int i = 0; i < l; i++)
                for (int j = 0; j <= i && j < s; j++) keep[i * s + j] = true;
            return FromArray(keep, [l, s]);
        }

        /// <summary>The unfused composition: softmax(scale·q·kᵀ + bias) (times the dropout's kept scale)·v.</summary>
        internal static Tensor Composed(Tensor q, Tensor k, Tensor v, Tensor? bias, double scale, Tensor? keep)
        {
            var scores = q.MatMul(k.Transpose(-2, -1)) * scale;
            if (bias is not null) scores += bias;
            var weights = scores.Softmax(-1);
            if (keep is not null) weights *= keep;
            return weights.MatMul(v);
        }
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
            var words = AttentionDropout.KeyWords(key.Span<long>(), "scaledDotProductAttention");
            var y = new T[(long)n * l * s > int.MaxValue
                ? throw new TensorSizeOverflowException("scaledDotProductAttention: the dropout mask is too large")
                : n * l * s];
            AttentionDropout.DropoutFactors(words, n, l * s, p, y);
            return Plain([n, l, s], y);
        }

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
