namespace FuncGrad;

public sealed partial class Tensor
{
    /// <summary>A rank-0 tensor holding <paramref name="value"/>, a managed value whatever <see cref="Device.Default"/>
    /// is: a number combines with tensors of any device.</summary>
    /// <example><code>Tensor.Scalar(2.0) // tensor(2., dtype=float64)</code></example>
    [Peers("torch.tensor", "jnp.asarray", "dsharp.scalar", Notes = "rank 0", Composed = true)]
    public static Tensor Scalar(double value, DType dtype = DType.Float64) => dtype switch
    {
        DType.Float64 => Plain(Shapes.Scalar, new[] { value }),
        DType.Float32 => Plain(Shapes.Scalar, new[] { (float)value }),
        _ => Plain(Shapes.Scalar, new[] { value }).ToDType(dtype),
    };

    /// <summary>A float64 tensor with a copy of <paramref name="values"/>, 1-D unless <paramref name="shape"/> is
    /// given.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]) // tensor([[1., 2.], [3., 4.]], dtype=float64)
    /// </code></example>
    [Peers("torch.tensor", "jnp.array", "dsharp.tensor",
        FSharp = "ofArray, ofRows, ofList, ofShape, ofInt64Array, ofInt32Array, ofBoolArray",
        Notes = "copies the values", Composed = true)]
    public static Tensor FromArray(double[] values, int[]? shape = null) =>
        OnDefault(Plain(CheckShape(Guard.NotNull(values).Length, shape, "fromArray"), (double[])values.Clone()));

    /// <summary>A float32 tensor with a copy of <paramref name="values"/>, 1-D unless <paramref name="shape"/> is
    /// given.</summary>
    /// <example><code>Tensor.FromArray(new[] { 1f, 2f }) // tensor([1., 2.], dtype=float32)</code></example>
    public static Tensor FromArray(float[] values, int[]? shape = null) =>
        OnDefault(Plain(CheckShape(Guard.NotNull(values).Length, shape, "fromArray"), (float[])values.Clone()));

    /// <summary>An int64 tensor with a copy of <paramref name="values"/>, 1-D unless <paramref name="shape"/> is
    /// given.</summary>
    /// <example><code>Tensor.FromArray(new long[] { 3, 0, 2 }) // tensor([3, 0, 2], dtype=int64)</code></example>
    public static Tensor FromArray(long[] values, int[]? shape = null) =>
        OnDefault(Plain(CheckShape(Guard.NotNull(values).Length, shape, "fromArray"), (long[])values.Clone()));

    /// <summary>An int32 tensor with a copy of <paramref name="values"/>, 1-D unless <paramref name="shape"/> is
    /// given.</summary>
    /// <example><code>Tensor.FromArray(new[] { 3, 0, 2 }) // tensor([3, 0, 2], dtype=int32)</code></example>
    public static Tensor FromArray(int[] values, int[]? shape = null) =>
        OnDefault(Plain(CheckShape(Guard.NotNull(values).Length, shape, "fromArray"), (int[])values.Clone()));

    /// <summary>A bool tensor with a copy of <paramref name="values"/>, 1-D unless <paramref name="shape"/> is
    /// given.</summary>
    /// <example><code>Tensor.FromArray(new[] { true, false }) // tensor([ True, False], dtype=bool)</code></example>
    public static Tensor FromArray(bool[] values, int[]? shape = null) =>
        OnDefault(Plain(CheckShape(Guard.NotNull(values).Length, shape, "fromArray"), (bool[])values.Clone()));

    /// <summary>A tensor from a rectangular array of any rank (<c>double[,]</c>, <c>float[,,]</c>, <c>long[,]</c>,
    /// <c>int[,]</c>, <c>bool[,]</c>, ...).</summary>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).Shape // evaluates to [2, 2]
    /// </code></example>
    public static Tensor FromArray(Array values)
    {
        Guard.NotNull(values);
        var shape = new int[values.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = values.GetLength(i);
        Shapes.Count(shape, "fromArray");
        var et = values.GetType().GetElementType();
        return et == typeof(double) ? OnDefault(Plain(shape, Flat<double>(values)))
            : et == typeof(float) ? OnDefault(Plain(shape, Flat<float>(values)))
            : et == typeof(long) ? OnDefault(Plain(shape, Flat<long>(values)))
            : et == typeof(int) ? OnDefault(Plain(shape, Flat<int>(values)))
            : et == typeof(bool) ? OnDefault(Plain(shape, Flat<bool>(values)))
            : throw new ArgumentException(
                $"fromArray: elements of type {et?.Name} are not supported; pass double, float, long, int or bool " +
                "values");
    }

    /// <summary>The elements of a rectangular array of any rank, row-major, in a new array.</summary>
    private static T[] Flat<T>(Array values) where T : unmanaged
    {
        var r = new T[values.Length];
        int i = 0;
        foreach (T v in values) r[i++] = v;
        return r;
    }

    /// <summary>A float64 matrix from a jagged array whose rows all have the same length.</summary>
    /// <example><code>
    /// Tensor.FromArray(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } }).Shape // evaluates to [2, 2]
    /// </code></example>
    public static Tensor FromArray(double[][] rows)
    {
        Guard.NotNull(rows, "an array of rows, each a double[] of one length");
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        var r = new double[Shapes.Count([rows.Length, cols], "fromArray")];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != cols)
                throw new ShapeMismatchException(
                    $"fromArray: row {i} has {rows[i].Length} elements but row 0 has {cols}; " +
                    "a tensor needs rows of equal length");
            rows[i].CopyTo(r, i * cols);
        }
        return OnDefault(Plain([rows.Length, cols], r));
    }

    private static int[] CheckShape(int length, int[]? shape, string op)
    {
        if (shape is null) return [length];
        int n = Shapes.Count(shape, op);
        if (n != length)
            throw new ShapeMismatchException(
                $"{op}: {length} values cannot fill shape {Shapes.Show(shape)}, which holds {n}; " +
                $"give a shape whose dimensions multiply to {length}");
        return (int[])shape.Clone();
    }

    /// <summary>A tensor of <paramref name="shape"/> with every element equal to <paramref name="value"/>.</summary>
    /// <example><code>Tensor.Full([2], 7.0) // tensor([7., 7.], dtype=float64)</code></example>
    [Peers("torch.full", "jnp.full", "dsharp.full", Composed = true)]
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float64) =>
        OnDefault(Full(Guard.NotNull(shape), value, dtype, "full"));

    private static Tensor Full(int[] shape, double value, DType dtype, string op)
    {
        int n = Shapes.Count(shape, op);
        shape = (int[])shape.Clone();
        // the value in the dtype, converted once as ToDType converts (an integer dtype truncates toward zero)
        var one = Kernels.Cast.Convert(Plain(Shapes.Scalar, new[] { value }), dtype, op);
        return dtype switch
        {
            DType.Float64 => Plain(shape, Filled<double>(n, one)),
            DType.Float32 => Plain(shape, Filled<float>(n, one)),
            DType.Int64 => Plain(shape, Filled<long>(n, one)),
            DType.Int32 => Plain(shape, Filled<int>(n, one)),
            _ => Plain(shape, Filled<bool>(n, one)),
        };
    }

    private static T[] Filled<T>(int n, Array one) where T : unmanaged
    {
        var a = new T[n];
        a.AsSpan().Fill(((T[])one)[0]);
        return a;
    }

    /// <summary>Zeros of <paramref name="shape"/>.</summary>
    /// <example><code>Tensor.Zeros([2, 2]).Sum().Item() // evaluates to 0.0</code></example>
    [Peers("torch.zeros", "jnp.zeros", "dsharp.zeros", Composed = true)]
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float64) =>
        OnDefault(Full(Guard.NotNull(shape), 0.0, dtype, "zeros"));

    /// <summary>Ones of <paramref name="shape"/>.</summary>
    /// <example><code>Tensor.Ones([3]).Sum().Item() // evaluates to 3.0</code></example>
    [Peers("torch.ones", "jnp.ones", "dsharp.ones", Composed = true)]
    public static Tensor Ones(int[] shape, DType dtype = DType.Float64) =>
        OnDefault(Full(Guard.NotNull(shape), 1.0, dtype, "ones"));

    /// <summary>Plain zeros with the shape, dtype and device of <paramref name="like"/>.</summary>
    /// <example><code>Tensor.ZerosLike(Tensor.Ones([2])) // tensor([0., 0.], dtype=float64)</code></example>
    [Peers("torch.zeros_like", "jnp.zeros_like", "dsharp.zerosLike",
        Notes = "shape, dtype and device of the argument", Composed = true)]
    public static Tensor ZerosLike(Tensor like) => FullLike(Guard.NotNull(like), 0.0, "zerosLike");

    /// <summary>Plain ones with the shape, dtype and device of <paramref name="like"/>.</summary>
    /// <example><code>Tensor.OnesLike(Tensor.Zeros([2])) // tensor([1., 1.], dtype=float64)</code></example>
    [Peers("torch.ones_like", "jnp.ones_like", "dsharp.onesLike", Notes = "shape, dtype and device of the argument",
        Composed = true)]
    public static Tensor OnesLike(Tensor like) => FullLike(Guard.NotNull(like), 1.0, "onesLike");

    private static Tensor FullLike(Tensor like, double value, string op)
    {
        return Beside(Full(like.shape, value, like.DType, op), like);
    }

    /// <summary>A constant made for a rule or a creation function, moved to the device of <paramref name="like"/>
    /// (wherever it was made: rules run outside the caller's <see cref="Device.Use"/> scope).</summary>
    internal static Tensor Beside(Tensor constant, Tensor like)
    {
        var d = like.Device;
        return d == constant.Device ? constant : constant.To(d);
    }

    /// <summary>Values from <paramref name="start"/> up to, not including, <paramref name="stop"/>, <paramref
    /// name="step"/> apart.</summary>
    /// <example><code>Tensor.Arange(0, 3) // tensor([0., 1., 2.], dtype=float64)</code></example>
    [Peers("torch.arange", "jnp.arange", "dsharp.arange", Notes = "stop excluded; F#: `Tensor.arange n` is 0 … n − 1",
        Composed = true)]
    public static Tensor Arange(double start, double stop, double step = 1.0, DType dtype = DType.Float64)
    {
        if (step == 0 || double.IsNaN(step) || !double.IsFinite(start) || !double.IsFinite(stop))
            throw new ArgumentException(
                $"arange: start {start}, stop {stop} and step {step} must be finite and step non-zero");
        double count = Math.Ceiling((stop - start) / step);
        if (count > Array.MaxLength)
            throw new TensorSizeOverflowException(
                $"arange: from {start} to {stop} by {step} is {count} values, more than one .NET array holds; " +
                "use a larger step or a smaller range");
        int n = count <= 0 ? 0 : (int)count;
        // The quotient can round up past an exact multiple (1 to 1.3 by 0.1): never include stop.
        while (n > 0 && (step > 0 ? start + (n - 1) * step >= stop : start + (n - 1) * step <= stop)) n--;
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return FromArray(v).ToDType(dtype);
    }

    /// <summary><paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/>,
    /// both included.</summary>
    /// <example><code>Tensor.Linspace(0, 1, 3) // tensor([0.0000, 0.5000, 1.0000], dtype=float64)</code></example>
    [Peers("torch.linspace", "jnp.linspace", "dsharp.linspace", Notes = "both ends included", Composed = true)]
    public static Tensor Linspace(double start, double stop, int count, DType dtype = DType.Float64)
    {
        if (count < 0) throw new ArgumentException($"linspace: count {count} is negative; ask for 0 or more points");
        var v = new double[count];
        double step = count > 1 ? (stop - start) / (count - 1) : 0;
        for (int i = 0; i < count; i++) v[i] = start + i * step;
        if (count > 1) v[count - 1] = stop; // exact endpoint, whatever rounding did to the steps
        return FromArray(v).ToDType(dtype);
    }

    /// <summary>The n×n identity matrix.</summary>
    /// <example><code>Tensor.Eye(2) // tensor([[1., 0.], [0., 1.]], dtype=float64)</code></example>
    [Peers("torch.eye", "jnp.eye", "dsharp.eye", Composed = true)]
    public static Tensor Eye(int n, DType dtype = DType.Float64)
    {
        var v = new double[Shapes.Count([n, n], "eye")];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        return FromArray(v, [n, n]).ToDType(dtype);
    }

    /// <summary>
    /// Standard normal samples (Box–Muller) drawn from <paramref name="rng"/>; the same generator state gives the
    /// same tensor.
    /// </summary>
    /// <remarks>
    /// Inside vmap a draw is one tensor shared by every example; for per-example samples draw [n, ...] outside and
    /// map it. The same holds for every random factory. These factories draw sequentially from a
    /// <see cref="Random"/> (Box–Muller here), so they cannot be split, batched over keys or drawn in parallel, and
    /// their numbers are not those of <see cref="RandomKeys"/>, whose draws are pure functions of a key (JAX's
    /// design): use keys for a model's randomness (docs/random.md).
    /// </remarks>
    /// <example><code>Tensor.RandomNormal([2, 3], new Random(42)).Shape // evaluates to [2, 3]</code></example>
    [Peers("torch.randn", "jax.random.normal", "dsharp.randn", FSharp = "randn", Notes = "from a seed or a `Random`",
        Composed = true)]
    public static Tensor RandomNormal(int[] shape, Random rng, DType dtype = DType.Float64)
    {
        Guard.NotNull(shape); Guard.NotNull(rng); FloatsOnly(dtype, "randomNormal");
        var v = new double[Shapes.Count(shape, "randomNormal")];
        for (int i = 0; i < v.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble(); // u1 in (0, 1]: log is finite
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            v[i] = r * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < v.Length) v[i + 1] = r * Math.Sin(2 * Math.PI * u2);
        }
        return FromArray(v, shape).ToDType(dtype);
    }

    /// <summary>Standard normal samples from a generator seeded with <paramref name="seed"/>.</summary>
    /// <example><code>
    /// Tensor.RandomNormal([3], 7).Equals(Tensor.RandomNormal([3], 7)) // evaluates to true
    /// </code></example>
    public static Tensor RandomNormal(int[] shape, int seed, DType dtype = DType.Float64) =>
        RandomNormal(Guard.NotNull(shape), new Random(seed), dtype);

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>) drawn from <paramref
    /// name="rng"/>.</summary>
    /// <remarks>Drawn sequentially from a <see cref="Random"/>, not from a key: <see cref="RandomKeys.Uniform"/> is
    /// the splittable, vmap-able counterpart (docs/random.md).</remarks>
    /// <example><code>Tensor.RandomUniform([4], new Random(1), -1, 1).Shape // evaluates to [4]</code></example>
    [Peers("torch.rand", "jax.random.uniform", "dsharp.rand", FSharp = "rand, uniform",
        Notes = "in [low, high), from a seed or a `Random`", Composed = true)]
    public static Tensor RandomUniform(int[] shape, Random rng, double low = 0, double high = 1,
        DType dtype = DType.Float64)
    {
        Guard.NotNull(shape); Guard.NotNull(rng); FloatsOnly(dtype, "randomUniform");
        var v = new double[Shapes.Count(shape, "randomUniform")];
        // low + (high − low)·u can round up to high itself; the interval stays half-open.
        for (int i = 0; i < v.Length; i++)
            v[i] = Math.Min(low + (high - low) * rng.NextDouble(), Math.BitDecrement(high));
        if (dtype == DType.Float64) return FromArray(v, shape);
        // Rounding to float32 can also step outside [low, high): clamp to the float32 values inside it.
        float lo = (float)low < low ? MathF.BitIncrement((float)low) : (float)low;
        float hi = (float)high < high ? (float)high : MathF.BitDecrement((float)high);
        var f = new float[v.Length];
        for (int i = 0; i < f.Length; i++) f[i] = Math.Clamp((float)v[i], lo, hi);
        return FromArray(f, shape);
    }

    /// <summary>Uniform samples from a generator seeded with <paramref name="seed"/>.</summary>
    /// <example><code>
    /// Tensor.RandomUniform([2], 3).Equals(Tensor.RandomUniform([2], 3)) // evaluates to true
    /// </code></example>
    public static Tensor RandomUniform(int[] shape, int seed, double low = 0, double high = 1,
        DType dtype = DType.Float64) =>
        RandomUniform(Guard.NotNull(shape), new Random(seed), low, high, dtype);

    /// <summary>A random factory draws floats: an integer or bool dtype is refused rather than truncated.</summary>
    private static void FloatsOnly(DType dtype, string op)
    {
        if (!dtype.IsFloat())
            throw new DTypeMismatchException(
                $"{op}: draws floating-point samples, not {dtype.Name()}; ask for Float64 or Float32, and convert " +
                "with ToDType if you need integers (uniform samples scaled and truncated, say)");
    }
}
