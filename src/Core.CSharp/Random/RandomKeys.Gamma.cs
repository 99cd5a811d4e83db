namespace FuncGrad;

// Gamma, beta and Dirichlet draws (Ops/GammaDraws.cs, Kernels/Random/Gamma.cs): reparameterised, so differentiable in
// their parameters, to first order, through the implicit gradient of the gamma draws they are made of.
/// <summary>TEMPORARY until the keys milestone is merged.</summary>
public static partial class RandomKeys
{
    /// <summary>Gamma draws of shape α and unit rate, as JAX's <c>random.gamma</c> (PyTorch's
    /// <c>torch._standard_gamma</c>): differentiable in α through the implicit reparameterisation gradient.</summary>
    /// <remarks>
    /// <para>Element n (row-major in the draw) is Marsaglia and Tsang's method run on the Philox blocks at counters
    /// (n, attempt, "gamm") of the key, in float64 (for α &lt; 1 a Gamma(α + 1) draw times U^(1/α)): a function of (key,
    /// n, α) alone, so the same on every thread, under vmap and compile, and on every device (it computes on the host
    /// and moves). A float32 draw is the float64 draw of the same α rounded. For a rate β, divide by β; for a scale θ,
    /// multiply by θ.</para>
    /// <para>The gradient is dz/dα = −(∂P(α, z)/∂α)/f(z; α) (Figurnov et al., 2018), P the regularised lower incomplete
    /// gamma function and f the density: the derivative of the draw's quantile at fixed probability, within 1e-12
    /// relative of mpmath for α in [1e-3, 1e4] (float64). Its mean over draws is d E[z]/dα = 1. First order only: a
    /// second derivative in α throws <see cref="NotSupportedException"/>.</para>
    /// <para>α ≤ 0 or NaN gives NaN. Small α gives tiny draws: below α ≈ 0.01 (float64; 0.1 in float32) a noticeable
    /// share underflow to 0, whose gradient is 0 (its limit).</para>
    /// </remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2] (then the result is [..., shape]).</param>
    /// <param name="alpha">The shapes α &gt; 0, float64 or float32 (the result's dtype), broadcast to the shape.</param>
    /// <param name="shape">The draw's shape; by default α's.</param>
    /// <example><code>RandomKeys.Gamma(RandomKeys.Key(0), Tensor.FromArray([0.5, 2.0])).Shape // evaluates to [2]</code></example>
    public static Tensor Gamma(Tensor key, Tensor alpha, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(alpha);
        return Tensor.GammaDraw(key, alpha, shape ?? alpha.shape, "gamma");
    }

    /// <summary>Gamma draws of one shape <paramref name="alpha"/> and unit rate: <see cref="Gamma(Tensor, Tensor,
    /// int[])"/> with α a number (no gradient).</summary>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="alpha">The shape α &gt; 0.</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>RandomKeys.Gamma(RandomKeys.Key(0), 2.0, [1000]).Mean().Item() // close to 2</code></example>
    public static Tensor Gamma(Tensor key, double alpha, int[] shape, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        return Tensor.GammaDraw(key, Tensor.Scalar(alpha, GammaFloats(dtype, "gamma")), shape, "gamma");
    }

    /// <summary>Beta(a, b) draws, as JAX's <c>random.beta</c>: X/(X + Y) for X ~ Gamma(a), Y ~ Gamma(b), differentiable
    /// in a and b through the gammas' implicit gradient.</summary>
    /// <remarks>X and Y are the Dirichlet draw of [a, b] (<see cref="Dirichlet(Tensor, Tensor, int[])"/>): element n
    /// of the draw takes gamma elements 2n and 2n + 1 of the key. Computed in float64 whatever the dtype, then rounded,
    /// so a float32 draw underflows no sooner than a float64 one. Where both gammas underflow to 0 (a and b both below
    /// about 0.01) the draw is NaN. First order only, as <see cref="Gamma(Tensor, Tensor, int[])"/>.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="a">The first parameters, &gt; 0, float (the result's dtype), broadcast to the shape.</param>
    /// <param name="b">The second parameters, &gt; 0, of a's dtype, broadcast to the shape.</param>
    /// <param name="shape">The draw's shape; by default the broadcast shape of a and b.</param>
    /// <example><code>
    /// RandomKeys.Beta(RandomKeys.Key(0), Tensor.Scalar(2.0), Tensor.Scalar(3.0), [1000]).Mean().Item() // close to 0.4
    /// </code></example>
    public static Tensor Beta(Tensor key, Tensor a, Tensor b, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(a);
        Guard.NotNull(b);
        if (a.DType != b.DType)
            throw new DTypeMismatchException(
                $"beta: a is {Shapes.Show(a)} and b is {Shapes.Show(b)}; give both parameters one float dtype");
        var s = shape ?? Shapes.Broadcast(a.shape, b.shape, "beta");
        var ab = Tensor.Stack([Fit(a, s, "beta"), Fit(b, s, "beta")], -1);
        return Dirichlet(key, ab, s).Narrow(-1, 0, 1).Squeeze(-1);
    }

    /// <summary>Beta(a, b) draws of numbers a and b: <see cref="Beta(Tensor, Tensor, Tensor, int[])"/> without
    /// gradient.</summary>
    /// <param name="key">A key, int64 [2], or a batch [..., 2].</param>
    /// <param name="a">The first parameter, &gt; 0.</param>
    /// <param name="b">The second parameter, &gt; 0.</param>
    /// <param name="shape">The draw's shape.</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <example><code>RandomKeys.Beta(RandomKeys.Key(0), 2.0, 3.0, [4]).Shape // evaluates to [4]</code></example>
    public static Tensor Beta(Tensor key, double a, double b, int[] shape, DType dtype = DType.Float64)
    {
        Guard.NotNull(key);
        Guard.NotNull(shape);
        var d = GammaFloats(dtype, "beta");
        return Beta(key, Tensor.Scalar(a, d), Tensor.Scalar(b, d), shape);
    }

    /// <summary>Dirichlet(α) draws, as JAX's <c>random.dirichlet</c>: gammas Gᵢ ~ Gamma(αᵢ) normalised, Gᵢ/Σⱼ Gⱼ,
    /// over α's last axis; differentiable in α through the gammas' implicit gradient.</summary>
    /// <remarks>The gammas are one <see cref="Gamma(Tensor, Tensor, int[])"/> draw of shape [..shape, K] from the
    /// key (element n·K + i is Gᵢ of draw n), computed in float64 whatever the dtype and rounded after normalising.
    /// Each marginal is Beta(αᵢ, Σ α − αᵢ). Where every gamma of a draw underflows to 0 (every α below about 0.01) the
    /// draw is NaN. First order only.</remarks>
    /// <param name="key">A key, int64 [2], or a batch [..., 2] (then the result is [..., shape, K]).</param>
    /// <param name="alpha">The concentrations [..., K], &gt; 0, float (the result's dtype); K ≥ 1.</param>
    /// <param name="shape">The batch shape of the draws, to which α's leading axes broadcast; by default those
    /// axes. The result is [..shape, K].</param>
    /// <example><code>
    /// RandomKeys.Dirichlet(RandomKeys.Key(0), Tensor.FromArray([1.0, 2.0, 3.0]), [5]).Shape // evaluates to [5, 3]
    /// </code></example>
    public static Tensor Dirichlet(Tensor key, Tensor alpha, int[]? shape = null)
    {
        Guard.NotNull(key);
        Guard.NotNull(alpha);
        if (alpha.Rank == 0)
            throw new RankException(
                $"dirichlet: the concentrations are {Shapes.Show(alpha)}; give them as a tensor [..., K] with the " +
                "categories on the last axis");
        int k = alpha.shape[^1];
        int[] full = [.. shape ?? alpha.shape[..^1], k];
        var g = Tensor.GammaDraw(key, Fit(alpha, full, "dirichlet").ToDType(DType.Float64), full, "dirichlet");
        return (g / g.Sum([-1], keepDims: true)).ToDType(alpha.DType);
    }

    /// <summary>A parameter broadcast to a draw's shape, with the draws' error where it does not fit.</summary>
    private static Tensor Fit(Tensor p, int[] shape, string op)
    {
        if (p.DType > DType.Float32)
            throw new DTypeMismatchException(
                $"{op}: the parameter is {Shapes.Show(p)}; give it as float64 or float32");
        if (p.Rank > shape.Length || !Shapes.Same(Shapes.Broadcast(p.shape, shape, op), shape))
            throw new ShapeMismatchException(
                $"{op}: the parameter {Shapes.Show(p)} does not broadcast to the draws' shape " +
                $"[{string.Join(", ", shape)}]; give a parameter that broadcasts to it");
        return p.BroadcastTo(shape);
    }

    private static DType GammaFloats(DType dtype, string op) => dtype is DType.Float64 or DType.Float32
        ? dtype
        : throw new DTypeMismatchException($"{op}: the dtype is {dtype}; draws are Float64 or Float32");
}
