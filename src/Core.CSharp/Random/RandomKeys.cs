namespace FuncGrad;

/// <summary>
/// Random numbers from keys, as JAX's <c>jax.random</c>: a key is an int64 tensor [2], every draw is a pure function
/// of a key and a shape, and new keys come from <see cref="Split"/> and <see cref="Fold"/>, never from hidden state.
/// </summary>
/// <remarks>
/// <para>The generator is Philox4x32-10 (counter-based): element n of a draw is computed from (key, n) alone, so the
/// numbers are the same on every thread, at every vector width and ISA, under <c>vmap</c> (a batch of keys [B, 2]
/// gives B independent draws), under <c>compile</c>, and on every device (a draw computes on the host and moves).
/// A batch of keys [..., 2] draws [..., shape]. Use a key once: draw from it, or split it, not both. A draw made
/// with tensors (a mean, probabilities, logits, a tensor to shuffle) lands on their device.</para>
/// <para>Named <c>RandomKeys</c> so as not to clash with <see cref="System.Random"/>; F# has the module
/// <c>Random</c>. The seeded <see cref="Tensor.RandomNormal(int[], int, DType)"/> and
/// <see cref="Tensor.RandomUniform(int[], int, double, double, DType)"/> stay: they draw sequentially from
/// <see cref="System.Random"/>, cannot be split, and are not these numbers. docs/random.md has the details.</para>
/// </remarks>
/// <example><code>
/// var keys = RandomKeys.Split(RandomKeys.Key(0), 2); // [2, 2]: two new keys
/// RandomKeys.Normal(keys[0], [3]).Shape // evaluates to [3]
/// </code></example>
public static partial class RandomKeys
{
    /// <summary>The key of a seed: int64 [2] holding the seed's high and low 32-bit words, as JAX's
    /// <c>jax.random.key</c> (so <c>Key(1)</c> is [0, 1]).</summary>
    /// <param name="seed">Any 64-bit integer.</param>
    /// <example><code>RandomKeys.Key(1) // tensor([0, 1], dtype=int64)</code></example>
    public static Tensor Key(long seed) =>
        Tensor.FromArray([(long)((ulong)seed >> 32), seed & 0xFFFFFFFF], [2]);

    /// <summary><paramref name="n"/> new keys from <paramref name="key"/>: [n, 2] (a batch of keys [..., 2] gives
    /// [..., n, 2]), independent of each other and of the draws from <paramref name="key"/> itself.</summary>
    /// <remarks>Key i is the first two words of the Philox block of <paramref name="key"/> at counter (i, 0, 1, 0);
    /// draws use counters (·, ·, 0, 0), so no new key shares a word with them.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="n">How many keys, 1 or more.</param>
    /// <example><code>RandomKeys.Split(RandomKeys.Key(0), 3).Shape // evaluates to [3, 2]</code></example>
    public static Tensor Split(Tensor key, int n = 2)
    {
        Guard.NotNull(key);
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), $"split: n is {n}; ask for 1 or more keys");
        return DrawOp.On(key, Draw.Split, [n, 2], DType.Int64, "split");
    }

    /// <summary>A new key from <paramref name="key"/> and an integer, as JAX's <c>fold_in</c>: the same data gives
    /// the same key, different data independent keys (a step number, an example's index, a layer's).</summary>
    /// <remarks>The first two words of the Philox block of <paramref name="key"/> at counter (data's low word, its
    /// high word, 2, 0).</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="data">Any 64-bit integer.</param>
    /// <example><code>RandomKeys.Fold(RandomKeys.Key(0), 7).Shape // evaluates to [2]</code></example>
    public static Tensor Fold(Tensor key, long data) =>
        DrawOp.On(Guard.NotNull(key), Draw.Fold, [2], DType.Int64, "fold", i: data);

    /// <summary>The raw 32-bit words of the key's stream as int64 values in [0, 2^32): element n is word n, as
    /// JAX's <c>random.bits</c>.</summary>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <example><code>RandomKeys.Bits(RandomKeys.Key(0), [4]).DType // evaluates to DType.Int64</code></example>
    public static Tensor Bits(Tensor key, int[] shape) =>
        DrawOp.On(Guard.NotNull(key), Draw.Bits, Checked(shape, "bits"), DType.Int64, "bits");

    /// <summary>Uniform numbers in [<paramref name="low"/>, <paramref name="high"/>), as JAX's
    /// <c>random.uniform</c>.</summary>
    /// <remarks>u has 53 random bits in float64 (stream words 2n and 2n + 1) and the top 24 of them in float32, so a
    /// float32 draw is the float64 draw of the same key cut to 24 bits; the result is low + (high − low)·u in the
    /// dtype, lowered to the largest number below high where rounding reaches high.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="low">The least value, finite.</param>
    /// <param name="high">The bound, finite, at least <paramref name="low"/>.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>
    /// RandomKeys.Uniform(RandomKeys.Key(0), [2, 3], -1, 1).Shape // evaluates to [2, 3]
    /// </code></example>
    public static Tensor Uniform(Tensor key, int[] shape, double low = 0, double high = 1,
        DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Floats(dtype, "uniform");
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
            throw new ArgumentOutOfRangeException(nameof(high),
                $"uniform: the range is [{low}, {high}); give finite bounds with low ≤ high");
        return DrawOp.On(key, Draw.Uniform, Checked(shape, "uniform"), dtype, "uniform", low, high);
    }

    /// <summary>Standard normal numbers, as JAX's <c>random.normal</c>, by the inverse CDF: ndtri of a uniform in the
    /// open interval (0, 1), so |z| &lt; 8.3 and the draw is finite.</summary>
    /// <remarks>u = (2j + 1)/2^53 for j the 52 high bits of stream words 2n, 2n + 1; z = <see cref="Tensor.Ndtri"/>(u)
    /// in float64, rounded for float32. For a mean and standard deviation, use the overload with tensors: the draw
    /// is then differentiable in them (reparameterised).</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>RandomKeys.Normal(RandomKeys.Key(0), [1000]).Mean().Item() // close to 0</code></example>
    public static Tensor Normal(Tensor key, int[] shape, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Floats(dtype, "normal");
        return DrawOp.On(key, Draw.Normal, Checked(shape, "normal"), dtype, "normal");
    }

    /// <summary>Normal numbers of mean <paramref name="mean"/> and standard deviation <paramref name="std"/>:
    /// mean + std·z, differentiable in both (the reparameterisation trick).</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="mean">The means, float, broadcast to the shape.</param>
    /// <param name="std">The standard deviations, of the mean's dtype, broadcast to the shape.</param>
    /// <param name="shape">The draw's shape; by default the broadcast shape of mean and std.</param>
    /// <example><code>
    /// RandomKeys.Normal(RandomKeys.Key(0), Tensor.Zeros([3]), Tensor.Ones([3])).Shape // evaluates to [3]
    /// </code></example>
    public static Tensor Normal(Tensor key, Tensor mean, Tensor std, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(mean);
        Guard.NotNull(std);
        var s = shape is null ? Shapes.Broadcast(mean.shape, std.shape, "normal") : Checked(shape, "normal");
        return mean + std * Normal(key, s, mean.DType).To(mean.Device);
    }

    /// <summary>True with probability <paramref name="p"/>, as JAX's <c>random.bernoulli</c>: a bool tensor.</summary>
    /// <remarks>Element n is true iff stream word n &lt; round(p·2^32): the complement of dropout's kept mask at drop
    /// probability p, so <c>x.Dropout(key, p)</c> zeroes exactly where <c>Bernoulli(key, p, x.Shape)</c> is
    /// true.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="p">The probability of true, in [0, 1].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <example><code>
    /// RandomKeys.Bernoulli(RandomKeys.Key(0), 0.5, [4]).DType // evaluates to DType.Bool
    /// </code></example>
    public static Tensor Bernoulli(Tensor key, double p, int[] shape)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Probability(p, "bernoulli");
        return DrawOp.On(key, Draw.Bernoulli, Checked(shape, "bernoulli"), DType.Bool, "bernoulli",
            i: (long)Kernels.Random.Philox.DropThreshold(p));
    }

    /// <summary>True with probability p[i] at element i: a bool tensor, by the rule of the overload with a number,
    /// with p broadcast to the shape.</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="p">The probabilities, float (values outside [0, 1] act as the nearest end).</param>
    /// <param name="shape">The draw's shape; by default p's.</param>
    /// <example><code>
    /// RandomKeys.Bernoulli(RandomKeys.Key(0), Tensor.FromArray([0.0, 1.0])) // tensor([False, True])
    /// </code></example>
    public static Tensor Bernoulli(Tensor key, Tensor p, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(p);
        if (!p.DType.IsFloat())
            throw new DTypeMismatchException(
                $"bernoulli: the probabilities are {Shapes.Show(p)}; give them as floats");
        var s = shape is null ? p.shape : Checked(shape, "bernoulli");
        // round(p·2^32) exactly: scaling by a power of two is exact, and Round rounds half to even as DropThreshold
        var threshold = (p.ToDType(DType.Float64).Clamp(0.0, 1.0) * 4294967296.0).Round().ToDType(DType.Int64);
        return Bits(key, s).To(p.Device).Lt(threshold);
    }

    /// <summary>Standard normal numbers restricted to [<paramref name="lower"/>, <paramref name="upper"/>], as JAX's
    /// <c>random.truncated_normal</c>, exactly by the inverse CDF.</summary>
    /// <remarks>z = ndtri(Φ(a) + u·(Φ(b) − Φ(a))) for u uniform in (0, 1) (as <see cref="Normal(Tensor, int[],
    /// DType)"/>), computed on the mirror side (−b, −a) when a > 0 so the tail keeps its digits, and clamped into
    /// [a, b]; the bounds may be infinite. Accurate while Φ of the nearer bound is a normal float64 (|bound| &lt;
    /// 37).</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="lower">The lower bound (may be −∞).</param>
    /// <param name="upper">The upper bound (may be +∞), above lower.</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>
    /// RandomKeys.TruncatedNormal(RandomKeys.Key(0), -2, 2, [3]).Shape // evaluates to [3]
    /// </code></example>
    public static Tensor TruncatedNormal(Tensor key, double lower, double upper, int[] shape,
        DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Floats(dtype, "truncatedNormal");
        if (!(lower < upper))
            throw new ArgumentOutOfRangeException(nameof(upper),
                $"truncatedNormal: the bounds are [{lower}, {upper}]; give lower < upper");
        return DrawOp.On(key, Draw.TruncatedNormal, Checked(shape, "truncatedNormal"), dtype, "truncatedNormal",
            lower, upper);
    }

    /// <summary>Standard Gumbel numbers, −log(−log u) for u uniform in (0, 1), as JAX's
    /// <c>random.gumbel</c>.</summary>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>RandomKeys.Gumbel(RandomKeys.Key(0), [3]).Shape // evaluates to [3]</code></example>
    public static Tensor Gumbel(Tensor key, int[] shape, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Floats(dtype, "gumbel");
        return DrawOp.On(key, Draw.Gumbel, Checked(shape, "gumbel"), dtype, "gumbel");
    }

    /// <summary>Category indices drawn with probabilities softmax(logits) along <paramref name="axis"/>, as JAX's
    /// <c>random.categorical</c>: int64, by the Gumbel-max trick (argmax of logits + Gumbel noise).</summary>
    /// <remarks>The result's shape is <paramref name="shape"/>, by default the logits' shape without the axis; a
    /// longer shape draws several samples per distribution (its trailing axes match the logits' others). A category
    /// of logit −∞ is never drawn.</remarks>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="logits">Unnormalised log-probabilities, float.</param>
    /// <param name="axis">The categories' axis.</param>
    /// <param name="shape">The result's shape.</param>
    /// <example><code>
    /// RandomKeys.Categorical(RandomKeys.Key(0), Tensor.FromArray([0.0, 1.0, 2.0])).Shape // evaluates to []
    /// </code></example>
    public static Tensor Categorical(Tensor key, Tensor logits, int axis = -1, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(logits);
        if (!logits.DType.IsFloat() || logits.Rank == 0)
            throw new DTypeMismatchException(
                $"categorical: the logits are {Shapes.Show(logits)}; give float logits with a categories axis");
        int ax = Shapes.Axis(axis, logits.shape, "categorical");
        int after = logits.Rank - 1 - ax;
        int[] rest = [.. logits.shape[..ax], .. logits.shape[(ax + 1)..]];
        var s = shape is null ? rest : Checked(shape, "categorical");
        if (s.Length < rest.Length)
            throw new ShapeMismatchException(
                $"categorical: the shape {Shapes.Show(s)} is shorter than the logits' without axis {ax} " +
                $"({Shapes.Show(rest)}); give a shape that ends with theirs, or none");
        int at = s.Length - after;
        int[] noiseShape = [.. s[..at], logits.shape[ax], .. s[at..]];
        var noise = Gumbel(key, noiseShape, logits.DType).To(logits.Device);
        return (logits + noise).Argmax(at);
    }

    /// <summary>A random permutation of 0 … n − 1 (int64), as JAX's <c>random.permutation</c>: the order that sorts
    /// n random 64-bit words, ties (probability below n²/2^65) broken by position.</summary>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="n">The number of elements, 0 or more.</param>
    /// <example><code>
    /// RandomKeys.Permutation(RandomKeys.Key(0), 5).Sort().Values // tensor([0, 1, 2, 3, 4], dtype=int64)
    /// </code></example>
    public static Tensor Permutation(Tensor key, int n)
    {
        Guard.NotNull(key);
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"permutation: n is {n}; give 0 or more");
        return DrawOp.On(key, Draw.Words64, [n], DType.Int64, "permutation").Argsort();
    }

    /// <summary><paramref name="x"/> with its elements along <paramref name="axis"/> in a random order (one
    /// permutation for every slice), differentiable in x.</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="x">The tensor to shuffle.</param>
    /// <param name="axis">The axis to shuffle along.</param>
    /// <example><code>
    /// RandomKeys.Permutation(RandomKeys.Key(0), Tensor.Arange(0, 4)).Sum().Item() // evaluates to 6
    /// </code></example>
    public static Tensor Permutation(Tensor key, Tensor x, int axis = 0)
    {
        Guard.NotNull(key);
        Guard.NotNull(x);
        int ax = Shapes.Axis(axis, x.Rank == 0 ? 1 : x.Rank, "permutation");
        if (x.Rank == 0)
            throw new RankException("permutation: x is a scalar; give a tensor with the axis to shuffle");
        return x.IndexSelect(ax, Permutation(key, x.shape[ax]).To(x.Device));
    }

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>), without bias, as JAX's
    /// <c>random.randint</c> (PyTorch's <c>torch.randint</c>).</summary>
    /// <remarks>Lemire's method on 64-bit words (stream words 2n, 2n + 1): the high half of word·(high − low), with
    /// the rare rejected word (probability below (high − low)/2^64) replaced from a block of element n's own, so
    /// element n still depends on (key, n) alone.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="low">The least value.</param>
    /// <param name="high">The bound, above low.</param>
    /// <param name="dtype">Int64 or Int32 (then both bounds in int32's range).</param>
    /// <example><code>
    /// RandomKeys.Randint(RandomKeys.Key(0), [3], 0, 10).DType // evaluates to DType.Int64
    /// </code></example>
    public static Tensor Randint(Tensor key, int[] shape, long low, long high, DType dtype = DType.Int64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        if (dtype is not (DType.Int64 or DType.Int32))
            throw new DTypeMismatchException($"randint: dtype {dtype.Name()}; draw Int64 or Int32 integers");
        if (high <= low || dtype == DType.Int32 && (low < int.MinValue || high - 1 > int.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(high),
                $"randint: the range is [{low}, {high}); give low < high" +
                (dtype == DType.Int32 ? ", within int32's range" : ""));
        return DrawOp.On(key, Draw.Randint, Checked(shape, "randint"), dtype, "randint",
            i: low, j: unchecked((long)((ulong)high - (ulong)low)));
    }

    private static int[] Checked(int[] shape, string op)
    {
        Guard.NotNull(shape, member: op);
        foreach (var d in shape)
            if (d < 0)
                throw new ShapeMismatchException($"{op}: the shape {Shapes.Show(shape)} has a negative size");
        return (int[])shape.Clone();
    }

    private static void Floats(DType dtype, string op)
    {
        if (!dtype.IsFloat())
            throw new DTypeMismatchException($"{op}: dtype {dtype.Name()}; draw Float64 or Float32 numbers");
    }

    private static void Probability(double p, string op)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"{op}: p is {p}; give a probability in [0, 1]");
    }
}
