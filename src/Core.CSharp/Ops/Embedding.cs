using FuncGrad.Kernels;

namespace FuncGrad;

// Embeddings (rows of a table picked by integer ids, with a padding row that gets no gradient), bags of them summed or
// averaged, and one-hot codes. An embedding is one row op (IndexTensors.cs) whose transpose adds the cotangent's rows
// back into a table of zeros, skipping the padding row; a bag adds its rows into one row per bag.
public sealed partial class Tensor
{
    /// <summary>int64 [.., classes]: 1 at each element's class, 0 elsewhere; every element in [0, classes).</summary>
    private sealed class OneHotOp(int classes) : MaskOp
    {
        public override string Name => "OneHot";
        internal override object Identity => ("OneHot", classes);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.OneHot(x[0], classes);
        public override Tensor Compute(Tensor[] x)
        {
            var v = AlongAxis.Indices(x[0]);
            var r = new long[(long)v.Length * classes > Array.MaxLength
                ? throw new TensorSizeOverflowException(
                    $"oneHot: {v.Length} elements of {classes} classes are more than one .NET array holds")
                : v.Length * classes];
            for (int i = 0; i < v.Length; i++)
            {
                if ((ulong)v[i] >= (ulong)classes)
                    throw new ArgumentOutOfRangeException("tensor",
                        $"oneHot: element {i} is {v[i]}, not a class of {classes}; classes are in [0, {classes - 1}]"
                        + (v[i] < 0 ? " (class values must be non-negative)" : ": raise numClasses"));
                r[i * classes + v[i]] = 1;
            }
            return Plain([.. x[0].shape, classes], r);
        }
        // The classes go last, after the batch axis wherever it is.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => (Op.Apply(this, x[0]), axes[0]);
    }

    /// <summary>
    /// The bag of each of <paramref name="count"/> entries, from a bag's start offsets [.., bags (+1)]: int64 [..,
    /// count]. Offsets start at 0 and never decrease; entries past the last offset (with
    /// <paramref name="includeLast"/>, the end of the last bag) belong to no bag (−1).
    /// </summary>
    private sealed class BagIdsOp(int count, bool includeLast) : MaskOp
    {
        public override string Name => "BagIds";
        internal override object Identity => ("BagIds", count, includeLast);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.BagIds(x[0], count, includeLast);
        public override Tensor Compute(Tensor[] x)
        {
            var offsets = AlongAxis.Indices(x[0]);
            int k = x[0].shape[^1], lead = offsets.Length / Math.Max(k, 1);
            var r = new long[lead * count];
            for (int l = 0; l < lead; l++)
            {
                var o = offsets.AsSpan(l * k, k);
                int bags = includeLast ? k - 1 : k;
                long end = includeLast ? o[k - 1] : count;
                for (int j = 0; j < k; j++)
                    if ((j == 0 && o[0] != 0) || (j > 0 && o[j] < o[j - 1]) || o[j] > count)
                        throw new ArgumentException(
                            $"embeddingBag: offset {j} is {o[j]}: offsets start at 0, never decrease and stay within "
                            + $"the {count} entries of the input", "offsets");
                var ids = r.AsSpan(l * count, count);
                for (int b = 0; b < bags; b++)
                {
                    long from = o[b], to = b + 1 < k ? o[b + 1] : count;
                    if (b == bags - 1) to = end;
                    ids[(int)from..(int)to].Fill(b);
                }
                ids[(int)Math.Min(end, count)..].Fill(-1);
            }
            return Plain([.. x[0].shape[..^1], count], r);
        }
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(this, Batching.Moved(x[0], axes[0]!.Value, 0)), 0);
    }

    /// <summary>
    /// The rows of the table <paramref name="weight"/> [num, dim] at the integer ids <paramref name="input"/> (int64
    /// or int32, any shape): the result is [.. input's shape, dim].
    /// </summary>
    /// <remarks>The row <paramref name="paddingIdx"/> (negative counts from the end) is read as it is but gets no
    /// gradient. Ids are in [0, num), as in PyTorch. The gradient adds the cotangent's rows into a table of zeros
    /// (dense, as PyTorch's default), in the ids' order.</remarks>
    /// <example><code>
    /// Tensor.Embedding(Tensor.FromArray(new long[] { 1, 1 }), Tensor.Arange(0, 4).Reshape([2, 2]))
    /// // tensor([[2., 3.], [2., 3.]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.embedding", "jnp.take", "", Notes = "the padding row gets no gradient")]
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null)
    {
        Guard.NotNull(input); Guard.NotNull(weight);
        var ids = IndexArg(input, "embedding", "input");
        var pad = Padding(weight, paddingIdx, "embedding");
        var rule = new IndexRule("embedding", 0, Wrap: false, Skip: null);
        var rows = Op.Apply(new SelectRowsOp(0, rule, "Embedding", pad), weight, ids.Reshape([ids.Count]));
        return rows.Reshape([.. ids.shape, weight.shape[1]]);
    }

    /// <summary>The padding row of a [num, dim] table as a row number, checked.</summary>
    private static long? Padding(Tensor weight, int? paddingIdx, string op)
    {
        if (weight.Rank != 2)
            throw new RankException(
                $"{op}: the weight is {Shapes.Show(weight)}; it is a table [num_embeddings, embedding_dim]");
        if (paddingIdx is not int p) return null;
        int n = weight.shape[0];
        if (p < -n || p >= n)
            throw new ArgumentOutOfRangeException(nameof(paddingIdx),
                $"{op}: paddingIdx {p} is not a row of the weight {Shapes.Show(weight)}; use a row in [{-n}, {n - 1}]");
        return p < 0 ? p + n : p;
    }

    /// <summary>
    /// Bags of embeddings summed or averaged (<paramref name="mode"/> "sum" or "mean"): for an input [bags, n], each
    /// row is a bag; for an input [n], bag b holds the ids from <paramref name="offsets"/>[b] to the next offset.
    /// </summary>
    /// <remarks>
    /// Offsets start at 0 and never decrease; with <paramref name="includeLastOffset"/> the last offset ends the last
    /// bag. Ids equal to <paramref name="paddingIdx"/> are left out of their bag (and of its count); an empty bag gives
    /// zeros. The result is [bags, dim].
    /// </remarks>
    /// <example><code>
    /// Tensor.EmbeddingBag(Tensor.FromArray(new long[] { 0, 1, 1 }), Tensor.Arange(0, 4).Reshape([2, 2]),
    ///     Tensor.FromArray(new long[] { 0, 1 }), "sum") // tensor([[0., 1.], [4., 6.]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.embedding_bag", "", "", Notes = "sum or mean; padding ids left out", Composed = true)]
    public static Tensor EmbeddingBag(Tensor input, Tensor weight, Tensor? offsets = null, string mode = "mean",
        bool includeLastOffset = false, int? paddingIdx = null)
    {
        Guard.NotNull(input); Guard.NotNull(weight); Guard.NotNull(mode);
        var ids = IndexArg(input, "embeddingBag", "input");
        if (mode is not ("sum" or "mean"))
            throw new ArgumentException($"embeddingBag: mode is \"{mode}\"; use \"sum\" or \"mean\"", nameof(mode));
        var pad = Padding(weight, paddingIdx, "embeddingBag");
        var rows = Embedding(ids, weight, paddingIdx); // [.., dim]
        var kept = pad is long p ? ids.Ne(Scalar(p, ids.DType)).ToDType(weight.DType) : null;
        if (kept is not null) rows *= kept.Unsqueeze(-1);
        if (ids.Rank == 2)
        {
            if (offsets is not null)
                throw new ArgumentException(
                    $"embeddingBag: offsets were given with a 2-D input {Shapes.Show(ids)}, whose rows are the bags; "
                    + "give a 1-D input with offsets, or no offsets", nameof(offsets));
            var sum = rows.Sum([1]);
            if (mode == "sum" || ids.shape[1] == 0) return sum;
            if (kept is null) return sum / ids.shape[1];
            var count = kept.Sum([1], keepDims: true);
            return sum / Where(count.Eq(weight.Const(0)), weight.Const(1), count);
        }
        if (ids.Rank != 1)
            throw new RankException(
                $"embeddingBag: the input is {Shapes.Show(ids)}; give [n] with offsets, or [bags, n]");
        if (offsets is null)
            throw new ArgumentNullException(nameof(offsets),
                $"embeddingBag: a 1-D input {Shapes.Show(ids)} needs offsets, where each bag starts");
        var starts = IndexArg(offsets, "embeddingBag", "offsets");
        if (starts.Rank != 1 || starts.Count < (includeLastOffset ? 2 : 1))
            throw new ShapeMismatchException(
                $"embeddingBag: the offsets are {Shapes.Show(starts)}; give a vector of "
                + (includeLastOffset ? "at least 2 offsets (the last ends the last bag)" : "at least 1 offset"));
        int bags = starts.Count - (includeLastOffset ? 1 : 0);
        var bag = new BagIdsOp(ids.Count, includeLastOffset).On(starts);
        var rule = new IndexRule("embeddingBag", 0, Wrap: false, Skip: null, Resolved: true);
        var sums = Op.Apply(new AddRowsOp(0, bags, rule), bag, rows);
        if (mode == "sum") return sums;
        var ones = kept?.Unsqueeze(1) ?? Beside(Ones([ids.Count, 1], weight.DType), weight);
        var counts = Op.Apply(new AddRowsOp(0, bags, rule), bag, ones);
        return sums / Where(counts.Eq(weight.Const(0)), weight.Const(1), counts);
    }

    /// <summary>
    /// One-hot codes of integer class values (int64 or int32): int64 [.. shape, numClasses], 1 at each element's class.
    /// </summary>
    /// <remarks>With numClasses −1, the number of classes is the largest value + 1, which reads the values (not under
    /// vmap or compile). Values are in [0, numClasses), as in PyTorch. Convert with ToDType for float codes.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new long[] { 2, 0 }).OneHot(3) // tensor([[0, 0, 1], [1, 0, 0]], dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.one_hot", "jax.nn.one_hot", "dsharp.onehot", Notes = "int64 out, as PyTorch")]
    public Tensor OneHot(int numClasses = -1)
    {
        var x = IndexArg(this, "oneHot", "tensor");
        if (numClasses < -1)
            throw new ArgumentOutOfRangeException(nameof(numClasses),
                $"oneHot: numClasses is {numClasses}; give a number of classes, or -1 for the largest value + 1");
        if (numClasses == -1)
        {
            Eager("oneHot without numClasses", "OneHot(numClasses)", x);
            if (x.Count == 0)
                throw new EmptyTensorException(
                    $"oneHot: {Shapes.Show(x)} has no values to count the classes from; give numClasses");
            numClasses = checked((int)x.ToInt64Array().Max() + 1);
        }
        return new OneHotOp(numClasses).On(x);
    }
}
