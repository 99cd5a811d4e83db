namespace FuncGrad;

/// <summary>
/// Initial weights drawn from a random key, as PyTorch's <c>torch.nn.init</c> (Kaiming, Xavier, orthogonal, truncated
/// normal), with PyTorch's fan conventions and gains; each a pure function of a key and a shape.
/// </summary>
/// <remarks>
/// For a weight of shape [out, in, k1, k2, ...] (a linear layer's [out, in], a convolution's [out, in/groups,
/// kernel...]), the receptive field is k1·k2·… (1 for a matrix), fan_in = in·receptive field and fan_out =
/// out·receptive field, as PyTorch's <c>_calculate_fan_in_and_fan_out</c>; a shape of rank below 2 has no fans and is
/// an error. The gain of a nonlinearity is <see cref="CalculateGain"/>'s. F# has these as the module <c>Init</c>
/// (kaimingUniform, …).
/// </remarks>
/// <example><code>Init.KaimingUniform(RandomKeys.Key(0), [64, 32]).Shape // evaluates to [64, 32]</code></example>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity, as PyTorch's <c>nn.init.calculate_gain</c>: 1 for linear,
    /// the convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1 + slope²)) for leaky_relu, 3/4 for
    /// selu.</summary>
    /// <param name="nonlinearity">"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    /// "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu" or "selu".</param>
    /// <param name="param">leaky_relu's negative slope (default 0.01).</param>
    /// <example><code>Init.CalculateGain("relu") // evaluates to 1.4142135623730951</code></example>
    public static double CalculateGain(string nonlinearity, double? param = null)
    {
        Guard.NotNull(nonlinearity);
        return nonlinearity switch
        {
            "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d"
                or "conv_transpose3d" or "sigmoid" => 1.0,
            "tanh" => 5.0 / 3,
            "relu" => Math.Sqrt(2.0),
            "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
            "selu" => 3.0 / 4,
            _ => throw new ArgumentException(
                $"calculateGain: unknown nonlinearity \"{nonlinearity}\"; give linear, conv1d, conv2d, conv3d, " +
                "conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu", nameof(nonlinearity)),
        };
    }

    /// <summary>(fan_in, fan_out) of a weight shape, as PyTorch computes them: in·receptive field and
    /// out·receptive field, the receptive field being the product of the sizes after the first two.</summary>
    /// <param name="shape">A weight shape of rank 2 or more: [out, in, kernel...].</param>
    /// <example><code>Init.Fans([16, 3, 5, 5]) // evaluates to (75, 400)</code></example>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        Guard.NotNull(shape);
        if (shape.Length < 2)
            throw new RankException(
                $"init: the shape {Shapes.Show(shape)} has rank {shape.Length}; fans need a weight of rank 2 or more " +
                "([out, in, kernel...]), as PyTorch's");
        long receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (checked((int)(shape[1] * receptive)), checked((int)(shape[0] * receptive)));
    }

    /// <summary>He (Kaiming) uniform weights, as PyTorch's <c>kaiming_uniform_</c>: uniform in [−bound, bound) with
    /// bound = gain·√(3/fan).</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The weight's shape, rank 2 or more.</param>
    /// <param name="a">The negative slope of the leaky_relu that follows (PyTorch's default 0; used only with
    /// leaky_relu).</param>
    /// <param name="mode">"fan_in" (keeps the forward pass's variance, the default) or "fan_out" (the backward
    /// pass's).</param>
    /// <param name="nonlinearity">The nonlinearity that follows, as <see cref="CalculateGain"/> takes it (default
    /// "leaky_relu", PyTorch's).</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>
    /// Init.KaimingUniform(RandomKeys.Key(0), [8, 4], nonlinearity: "relu").Shape // evaluates to [8, 4]
    /// </code></example>
    public static Tensor KaimingUniform(Tensor key, int[] shape, double a = 0, string mode = "fan_in",
        string nonlinearity = "leaky_relu", DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Guard.NotNull(mode);
        Guard.NotNull(nonlinearity);
        var std = KaimingStd(shape, a, mode, nonlinearity);
        var bound = Math.Sqrt(3.0) * std;
        return RandomKeys.Uniform(key, shape, -bound, bound, dtype);
    }

    /// <summary>He (Kaiming) normal weights, as PyTorch's <c>kaiming_normal_</c>: normal of mean 0 and standard
    /// deviation gain/√fan.</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The weight's shape, rank 2 or more.</param>
    /// <param name="a">The negative slope of the leaky_relu that follows (used only with leaky_relu).</param>
    /// <param name="mode">"fan_in" (default) or "fan_out".</param>
    /// <param name="nonlinearity">The nonlinearity that follows (default "leaky_relu").</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>Init.KaimingNormal(RandomKeys.Key(0), [8, 4]).Shape // evaluates to [8, 4]</code></example>
    public static Tensor KaimingNormal(Tensor key, int[] shape, double a = 0, string mode = "fan_in",
        string nonlinearity = "leaky_relu", DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        Guard.NotNull(mode);
        Guard.NotNull(nonlinearity);
        var std = KaimingStd(shape, a, mode, nonlinearity);
        return RandomKeys.Normal(key, shape, dtype) * std;
    }

    /// <summary>Glorot (Xavier) uniform weights, as PyTorch's <c>xavier_uniform_</c>: uniform in [−a, a) with
    /// a = gain·√(6/(fan_in + fan_out)).</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The weight's shape, rank 2 or more.</param>
    /// <param name="gain">A scale (<see cref="CalculateGain"/>), default 1.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>Init.XavierUniform(RandomKeys.Key(0), [8, 4]).Shape // evaluates to [8, 4]</code></example>
    public static Tensor XavierUniform(Tensor key, int[] shape, double gain = 1, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        var bound = Math.Sqrt(3.0) * XavierStd(shape, gain);
        return RandomKeys.Uniform(key, shape, -bound, bound, dtype);
    }

    /// <summary>Glorot (Xavier) normal weights, as PyTorch's <c>xavier_normal_</c>: normal of mean 0 and standard
    /// deviation gain·√(2/(fan_in + fan_out)).</summary>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The weight's shape, rank 2 or more.</param>
    /// <param name="gain">A scale, default 1.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>Init.XavierNormal(RandomKeys.Key(0), [8, 4]).Shape // evaluates to [8, 4]</code></example>
    public static Tensor XavierNormal(Tensor key, int[] shape, double gain = 1, DType dtype = DType.Float64) =>
        RandomKeys.Normal(Guard.NotNull(key), shape, dtype) * XavierStd(shape, gain);

    /// <summary>A (semi-)orthogonal matrix, as PyTorch's <c>orthogonal_</c>: Q of the QR factorisation of a normal
    /// matrix [rows, numel/rows] (transposed when wider than tall), times gain.</summary>
    /// <remarks><see cref="Linalg.Qr"/> makes R's diagonal non-negative, which is PyTorch's sign fix (Q's columns
    /// times the signs of R's diagonal), so Q is uniform (Haar) over the orthogonal matrices. Trailing axes are
    /// flattened into the columns, as PyTorch's.</remarks>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The weight's shape, rank 2 or more.</param>
    /// <param name="gain">A scale, default 1.</param>
    /// <param name="dtype">Float64 or Float32 (computed in float64, then rounded).</param>
    /// <example><code>Init.Orthogonal(RandomKeys.Key(0), [3, 5]).Shape // evaluates to [3, 5]</code></example>
    public static Tensor Orthogonal(Tensor key, int[] shape, double gain = 1, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        if (shape.Length < 2)
            throw new RankException(
                $"orthogonal: the shape {Shapes.Show(shape)} has rank {shape.Length}; give rank 2 or more");
        int rows = shape[0], cols = rows == 0 ? 0 : Shapes.Count(shape, "orthogonal") / rows;
        var flat = RandomKeys.Normal(key, [rows, cols]);
        var tall = rows < cols ? flat.Transpose() : flat;
        var q = Linalg.Qr(tall).Q;
        return ((rows < cols ? q.Transpose() : q) * gain).Reshape(shape).ToDType(dtype);
    }

    /// <summary>Normal weights of mean <paramref name="mean"/> and standard deviation <paramref name="std"/> restricted
    /// to [<paramref name="a"/>, <paramref name="b"/>], as PyTorch's <c>trunc_normal_</c> (the bounds in the values'
    /// units, not in standard deviations).</summary>
    /// <remarks>mean + std·z for z from <see cref="RandomKeys.TruncatedNormal"/> on [(a − mean)/std, (b −
    /// mean)/std], exact by the inverse CDF where PyTorch's rejection-free method approximates.</remarks>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="shape">The shape (any rank).</param>
    /// <param name="mean">The normal's mean, default 0.</param>
    /// <param name="std">Its standard deviation, above 0, default 1.</param>
    /// <param name="a">The lower bound, default −2.</param>
    /// <param name="b">The upper bound, default 2.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>Init.TruncNormal(RandomKeys.Key(0), [4], std: 0.02).Shape // evaluates to [4]</code></example>
    public static Tensor TruncNormal(Tensor key, int[] shape, double mean = 0, double std = 1, double a = -2,
        double b = 2, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        if (!(std > 0) || !double.IsFinite(std))
            throw new ArgumentOutOfRangeException(nameof(std), $"truncNormal: std is {std}; give a finite std > 0");
        var z = RandomKeys.TruncatedNormal(key, (a - mean) / std, (b - mean) / std, shape);
        // clamped again: mean + std·z may round just outside [a, b]
        return (z * std + mean).Clamp(a, b).ToDType(dtype);
    }

    private static double KaimingStd(int[] shape, double a, string mode, string nonlinearity)
    {
        var (fanIn, fanOut) = Fans(shape);
        int fan = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException(
                $"kaiming: mode \"{mode}\"; give \"fan_in\" or \"fan_out\"", nameof(mode)),
        };
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    private static double XavierStd(int[] shape, double gain)
    {
        var (fanIn, fanOut) = Fans(shape);
        return gain * Math.Sqrt(2.0 / (fanIn + fanOut));
    }
}
