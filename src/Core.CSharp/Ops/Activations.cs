using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// The activation functions of torch.nn.functional. Each states its kernel and its derivative dy/dx once, in FuncGrad
// ops; at a kink the derivative is the one PyTorch's backward kernel returns there (docs/conventions.md,
// "Activations"). Functions of exp and log are written so that no intermediate overflows or cancels: they stay
// finite, and keep their relative accuracy, at any finite input.
public sealed partial class Tensor
{
    private const double SeluAlpha = 1.6732632423543772848170429916717;
    private const double SeluScale = 1.0507009873554804934193349852946;
    // √(2/π) and the cubic coefficient of GELU's tanh approximation.
    private const double GeluK = 0.79788456080286536;
    private const double GeluCubic = 0.044715;

    private static Tensor One(Tensor x) => x.Const(1);
    private static Tensor Zero(Tensor x) => x.Const(0);

    // ---- piecewise-linear functions (vector kernels in Kernels/Activations/Piecewise.cs) ----

    private static Tensor PiecewiseMap<F>(Tensor x, double a, double b) where F : IPiecewise
    {
        var y = x.DType == DType.Float64 ? PiecewiseMap<F, double>(x, a, b) : PiecewiseMap<F, float>(x, a, b);
        GC.KeepAlive(x);
        return y;
    }

    private static Tensor PiecewiseMap<F, T>(Tensor x, double a, double b)
        where F : IPiecewise where T : unmanaged, IFloatingPointIeee754<T>
    {
        T ta = T.CreateTruncating(a), tb = T.CreateTruncating(b);
        if (x.Count == 1) return PlainScalar(x.shape, Piecewise.Scalar<T, F>(x.Span<T>()[0], ta, tb));
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        Piecewise.Map<T, F>(x.Span<T>(), ta, tb, y);
        return Plain(x.shape, y, lease);
    }

    /// <summary>
    /// x where x &gt; 0, else negativeSlope·x. Convention (PyTorch's): its derivative at 0 is negativeSlope.
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([-2.0, 3.0]).LeakyRelu() // tensor([-0.0200, 3.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.leaky_relu", "jax.nn.leaky_relu", "dsharp.leakyRelu",
        Notes = "derivative negativeSlope at 0")]
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Op.Apply(new UnaryOp("LeakyRelu",
        x => PiecewiseMap<LeakyReluF>(x, negativeSlope, 0),
        (x, y) => Where(x.Gt(Zero(x)), One(x), x.Const(negativeSlope)),
        onDevice: (b, x) => b.Activation("LeakyRelu", x, negativeSlope, 0)), this);

    /// <summary>
    /// x clamped to [minVal, maxVal]. Convention (PyTorch's): its derivative is 0 at minVal and at maxVal, 1 strictly
    /// between.
    /// </summary>
    /// <remarks>Throws <see cref="ArgumentException"/> when minVal &gt; maxVal (or either is NaN).</remarks>
    /// <example><code>
    /// Tensor.FromArray([-2.0, 0.5, 3.0]).Hardtanh() // tensor([-1.0000, 0.5000, 1.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.hardtanh", "jax.nn.hard_tanh", "", Notes = "derivative 0 at both bounds")]
    public Tensor Hardtanh(double minVal = -1.0, double maxVal = 1.0)
    {
        if (!(minVal <= maxVal))
            throw new ArgumentException(
                $"Hardtanh: minVal {minVal} and maxVal {maxVal} give an empty range; pass minVal ≤ maxVal",
                nameof(minVal));
        return Op.Apply(new UnaryOp("Hardtanh", x => PiecewiseMap<HardtanhF>(x, minVal, maxVal),
            (x, y) => Where(x.Gt(x.Const(minVal)) & x.Lt(x.Const(maxVal)), One(x), Zero(x)),
            onDevice: (b, x) => b.Activation("Hardtanh", x, minVal, maxVal)), this);
    }

    private readonly struct Relu6K : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Scalar<T, HardtanhF>(x, T.Zero, T.CreateTruncating(6));
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Map<T, HardtanhF>(x, T.Zero, T.CreateTruncating(6), y);
    }
    private static readonly Op Relu6Op = new UnaryOp("Relu6", Elementwise.Map<Relu6K>,
        static (x, y) => Where(x.Gt(Zero(x)) & x.Lt(x.Const(6)), One(x), Zero(x)),
        onDevice: static (b, x) => b.Activation("Relu6", x, 0, 0));
    /// <summary>min(max(x, 0), 6). Convention (PyTorch's, as Hardtanh(0, 6)): its derivative is 0 at 0 and at
    /// 6.</summary>
    /// <example><code>
    /// Tensor.FromArray([-1.0, 2.0, 7.0]).Relu6() // tensor([0., 2., 6.], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.relu6", "jax.nn.relu6", "", Notes = "derivative 0 at 0 and at 6")]
    public Tensor Relu6() => Op.Apply(Relu6Op, this);

    private readonly struct HardsigmoidK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Scalar<T, HardsigmoidF>(x, T.Zero, T.Zero);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Map<T, HardsigmoidF>(x, T.Zero, T.Zero, y);
    }
    private static readonly Op HardsigmoidOp = new UnaryOp("Hardsigmoid", Elementwise.Map<HardsigmoidK>,
        static (x, y) => Where(x.Gt(x.Const(-3)) & x.Lt(x.Const(3)), x.Const(1.0 / 6.0), Zero(x)),
        onDevice: static (b, x) => b.Activation("Hardsigmoid", x, 0, 0));
    /// <summary>min(max(x + 3, 0), 6) / 6: 0 below −3, 1 above 3. Convention (PyTorch's): its derivative is 0 at
    /// ±3.</summary>
    /// <remarks>Within 2 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(0.0).Hardsigmoid() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.nn.functional.hardsigmoid", "jax.nn.hard_sigmoid", "", Notes = "derivative 0 at ±3")]
    public Tensor Hardsigmoid() => Op.Apply(HardsigmoidOp, this);

    private readonly struct HardswishK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Scalar<T, HardswishF>(x, T.Zero, T.Zero);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Map<T, HardswishF>(x, T.Zero, T.Zero, y);
    }
    private static readonly Op HardswishOp = new UnaryOp("Hardswish", Elementwise.Map<HardswishK>,
        // PyTorch's backward: 0 below −3, x/3 + 1/2 on [−3, 3] (so −1/2 at −3 and 3/2 at 3), 1 above
        static (x, y) => Where(x.Lt(x.Const(-3)), Zero(x), Where(x.Le(x.Const(3)), x / 3.0 + 0.5, One(x))),
        onDevice: static (b, x) => b.Activation("Hardswish", x, 0, 0));
    /// <summary>x · min(max(x + 3, 0), 6) / 6. Convention (PyTorch's): its derivative is x/3 + 1/2 on the closed
    /// [−3, 3], so −1/2 at −3 and 3/2 at 3.</summary>
    /// <remarks>Within 2 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against mpmath). 0
    /// below −3, also at −inf.</remarks>
    /// <example><code>
    /// Tensor.FromArray([-4.0, 1.0, 4.0]).Hardswish() // tensor([-0.0000, 0.6667, 4.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.hardswish", "jax.nn.hard_swish", "", Notes = "derivative −1/2 at −3, 3/2 at 3")]
    public Tensor Hardswish() => Op.Apply(HardswishOp, this);

    private readonly struct SoftsignK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Scalar<T, SoftsignF>(x, T.Zero, T.Zero);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Map<T, SoftsignF>(x, T.Zero, T.Zero, y);
    }
    private static readonly Op SoftsignOp = new UnaryOp("Softsign", Elementwise.Map<SoftsignK>,
        static (x, y) => (x.Abs() + 1.0).Square().Reciprocal(),
        onDevice: static (b, x) => b.Activation("Softsign", x, 0, 0));
    /// <summary>x / (1 + |x|), and ±1 at ±inf (PyTorch's quotient gives NaN there).</summary>
    /// <remarks>Within 2 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Softsign() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.nn.functional.softsign", "jax.nn.soft_sign", "", Notes = "±1 at ±inf")]
    public Tensor Softsign() => Op.Apply(SoftsignOp, this);

    // ---- functions of exp, log and tanh: scalar kernels in float64 (Kernels/Activations/ActivationMath.cs), float32
    // rounded once from them; each element's bits depend on its value alone ----

    /// <summary>y[i] = f(x[i]) computed in float64.</summary>
    private static void Each<T>(ReadOnlySpan<T> x, Span<T> y, Func<double, double> f)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(f(double.CreateTruncating(x[i])));
    }

    /// <summary>f(x) computed in float64.</summary>
    private static T In64<T>(T x, Func<double, double> f) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(f(double.CreateTruncating(x)));

    private readonly struct SiluK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => In64(x, ActivationMath.Silu);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, ActivationMath.Silu);
    }
    private static readonly Op SiluOp = new UnaryOp("Silu", Elementwise.Map<SiluK>,
        static (x, y) =>
        {
            var s = x.Sigmoid();
            return s + y * (1.0 - s); // σ + xσ(1 − σ)
        },
        onDevice: static (b, x) => b.Activation("Silu", x, 0, 0));
    /// <summary>x·σ(x) (the swish), finite at every finite x, 0 at −inf.</summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Silu() // tensor(0.7311, dtype=float64)</code></example>
    [Peers("torch.nn.functional.silu", "jax.nn.silu", "dsharp.silu")]
    public Tensor Silu() => Op.Apply(SiluOp, this);

    private readonly struct MishK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => In64(x, ActivationMath.Mish);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, ActivationMath.Mish);
    }
    private static readonly Op MishOp = new UnaryOp("Mish", Elementwise.Map<MishK>,
        static (x, y) =>
        {
            var t = x.Softplus().Tanh();
            return t + x * x.Sigmoid() * (1.0 - t.Square());
        },
        onDevice: static (b, x) => b.Activation("Mish", x, 0, 0));
    /// <summary>x·tanh(softplus(x)), finite at every finite x, 0 at −inf.</summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Mish() // tensor(0.8651, dtype=float64)</code></example>
    [Peers("torch.nn.functional.mish", "jax.nn.mish", "")]
    public Tensor Mish() => Op.Apply(MishOp, this);

    private readonly struct GeluTanhK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            In64(x, ActivationMath.GeluTanh);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, ActivationMath.GeluTanh);
    }
    private static readonly Op GeluTanhOp = new UnaryOp("Gelu", Elementwise.Map<GeluTanhK>,
        static (x, y) =>
        {
            var s = ((x + x * x * x * GeluCubic) * (2 * GeluK)).Sigmoid();
            return s + x * s * (1.0 - s) * (x.Square() * (3 * GeluCubic) + 1.0) * (2 * GeluK);
        },
        onDevice: static (b, x) => b.Activation("GeluTanh", x, 0, 0));

    private static readonly Op GeluOp = new UnaryOp("Gelu", Elementwise.Map<Kernels.Special.Formula<GeluF>>,
        static (x, y) => x.Ndtr() + x * (x.Square() * -0.5).Exp() * 0.39894228040143267794, // Φ + x·φ
        onDevice: static (b, x) => b.Activation("Gelu", x, 0, 0));

    /// <summary>
    /// The Gaussian error linear unit x·Φ(x); <paramref name="approximate"/> "tanh" gives its approximation
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))), computed as x·σ(2√(2/π)(x + 0.044715x³)), accurate in both tails.
    /// </summary>
    /// <remarks>The exact form is x times Ndtr's vector formula, within 4 ulps in float64 and 4 in float32; the tanh
    /// form is within 4 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested
    /// against mpmath). Throws <see cref="ArgumentException"/> for any other <paramref name="approximate"/> than
    /// "none" and "tanh".</remarks>
    /// <example><code>Tensor.Scalar(1.0).Gelu("tanh") // tensor(0.8412, dtype=float64)</code></example>
    [Peers("torch.nn.functional.gelu", "jax.nn.gelu", "dsharp.gelu", Notes = "approximate \"none\" or \"tanh\"")]
    public Tensor Gelu(string approximate = "none") => Guard.NotNull(approximate) switch
    {
        "none" => Op.Apply(GeluOp, this),
        "tanh" => Op.Apply(GeluTanhOp, this),
        _ => throw new ArgumentException(
            $"Gelu: approximate is \"{approximate}\"; pass \"none\" (exact, x·Φ(x)) or \"tanh\"", nameof(approximate)),
    };

    /// <summary>The ELU family: scale·x for x &gt; 0, else scale·alpha·expm1(x·inputScale), as PyTorch's one
    /// kernel for elu, selu and celu (its derivative at 0 is the negative side's, scale·alpha·inputScale).</summary>
    private static UnaryOp EluOp(string name, double alpha, double scale, double inputScale)
    {
        double negative = alpha * scale;
        return new UnaryOp(name, x => x.DType == DType.Float64
                ? Elu<double>(x, negative, scale, inputScale)
                : Elu<float>(x, negative, scale, inputScale),
            (x, y) => Where(x.Gt(Zero(x)), x.Const(scale), (x * inputScale).Exp() * (negative * inputScale)),
            onDevice: (b, x) => b.Activation(name, x, alpha, 0));
    }

    private static Tensor Elu<T>(Tensor x, double negative, double scale, double inputScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        var input = x.Span<T>();
        for (int i = 0; i < y.Length; i++)
        {
            var v = double.CreateTruncating(input[i]);
            y[i] = T.CreateTruncating(v > 0 ? v * scale : negative * Accurate.Expm1(v * inputScale));
        }
        GC.KeepAlive(x);
        return x.Count == 1 ? PlainScalar(x.shape, y[0]) : Plain(x.shape, y, lease);
    }

    /// <summary>
    /// x for x &gt; 0, else alpha·(eˣ − 1) (by expm1, accurate near 0). Convention (PyTorch's): its derivative at 0
    /// is alpha.
    /// </summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(-1.0).Elu() // tensor(-0.6321, dtype=float64)</code></example>
    [Peers("torch.nn.functional.elu", "jax.nn.elu", "dsharp.elu", Notes = "derivative alpha at 0")]
    public Tensor Elu(double alpha = 1.0) => Op.Apply(EluOp("Elu", alpha, 1.0, 1.0), this);

    private readonly struct SeluK : IUnaryKernel
    {
        private static double Selu(double x) => x > 0 ? x * SeluScale : SeluAlpha * SeluScale * Accurate.Expm1(x);
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => In64(x, Selu);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, Selu);
    }
    private static readonly Op SeluOp = new UnaryOp("Selu", Elementwise.Map<SeluK>,
        static (x, y) => Where(x.Gt(Zero(x)), x.Const(SeluScale), x.Exp() * (SeluAlpha * SeluScale)),
        onDevice: static (b, x) => b.Activation("Selu", x, 0, 0));
    /// <summary>
    /// λ·elu(x, α) with PyTorch's constants α ≈ 1.6733, λ ≈ 1.0507. Convention: its derivative at 0 is λα ≈ 1.7581.
    /// </summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Selu() // tensor(1.0507, dtype=float64)</code></example>
    [Peers("torch.nn.functional.selu", "jax.nn.selu", "dsharp.selu", Notes = "derivative λα at 0")]
    public Tensor Selu() => Op.Apply(SeluOp, this);

    /// <summary>
    /// max(0, x) + min(0, alpha·(e^(x/alpha) − 1)). Convention (PyTorch's): its derivative at 0 is 1.
    /// </summary>
    /// <remarks>Within 2 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against mpmath).
    /// Throws <see cref="ArgumentException"/> when alpha is 0.</remarks>
    /// <example><code>Tensor.Scalar(-1.0).Celu(2.0) // tensor(-0.7869, dtype=float64)</code></example>
    [Peers("torch.nn.functional.celu", "jax.nn.celu", "", Notes = "derivative 1 at 0")]
    public Tensor Celu(double alpha = 1.0)
    {
        if (alpha == 0)
            throw new ArgumentException(
                "Celu: alpha is 0, and celu divides by it; pass a non-zero alpha (1 by default)", nameof(alpha));
        return Op.Apply(EluOp("Celu", alpha, 1.0, 1.0 / alpha), this);
    }

    private readonly struct LogSigmoidK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            In64(x, ActivationMath.LogSigmoid);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, ActivationMath.LogSigmoid);
    }
    private static readonly Op LogSigmoidOp = new UnaryOp("LogSigmoid", Elementwise.Map<LogSigmoidK>,
        static (x, y) => (-x).Sigmoid(), onDevice: static (b, x) => b.Activation("LogSigmoid", x, 0, 0));
    /// <summary>log σ(x) = −softplus(−x): finite at every finite x (≈ x far below 0), −inf at −inf.</summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(0.0).LogSigmoid() // tensor(-0.6931, dtype=float64)</code></example>
    [Peers("torch.nn.functional.logsigmoid", "jax.nn.log_sigmoid", "")]
    public Tensor LogSigmoid() => Op.Apply(LogSigmoidOp, this);

    private readonly struct TanhshrinkK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            In64(x, ActivationMath.Tanhshrink);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Each(x, y, ActivationMath.Tanhshrink);
    }
    private static readonly Op TanhshrinkOp = new UnaryOp("Tanhshrink", Elementwise.Map<TanhshrinkK>,
        static (x, y) => x.Tanh().Square(), onDevice: static (b, x) => b.Activation("Tanhshrink", x, 0, 0));
    /// <summary>x − tanh(x).</summary>
    /// <remarks>Computed as the difference, as PyTorch does: near 0, where the result (≈ x³/3) is far smaller than
    /// x, its error is a few ulps of x rather than of the result; for |x| ≥ 1 within 2 ulps in float64 and 1 ulp in
    /// float32 (tested against mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Tanhshrink() // tensor(0.2384, dtype=float64)</code></example>
    [Peers("torch.nn.functional.tanhshrink", "", "")]
    public Tensor Tanhshrink() => Op.Apply(TanhshrinkOp, this);

    /// <summary>
    /// PyTorch's softplus: log(1 + e^(beta·x))/beta, and x itself where beta·x &gt; threshold. Its derivative is
    /// σ(beta·x) below the threshold and 1 above it.
    /// </summary>
    /// <remarks>Unlike <see cref="Softplus()"/>, which is never linear, this follows PyTorch's switch to x above
    /// the threshold (default 20). log(1 + e^z) is computed stably for any threshold, within 2 ulps in float64 and 1
    /// ulp in float32 (tested against mpmath). Throws
    /// <see cref="ArgumentException"/> when beta is 0 or NaN.</remarks>
    /// <example><code>Tensor.Scalar(0.0).Softplus(2.0) // tensor(0.3466, dtype=float64)</code></example>
    public Tensor Softplus(double beta, double threshold = 20.0)
    {
        if (beta == 0 || double.IsNaN(beta))
            throw new ArgumentException($"Softplus: beta is {beta}, and softplus divides by it; pass a non-zero beta",
                nameof(beta));
        return Op.Apply(new UnaryOp("Softplus", x => x.DType == DType.Float64
                ? SoftplusBeta<double>(x, beta, threshold)
                : SoftplusBeta<float>(x, beta, threshold),
            (x, y) => Where((x * beta).Gt(x.Const(threshold)), One(x), (x * beta).Sigmoid()),
            onDevice: (b, x) => b.Activation("SoftplusBeta", x, beta, threshold)), this);
    }

    private static Tensor SoftplusBeta<T>(Tensor x, double beta, double threshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        var input = x.Span<T>();
        for (int i = 0; i < y.Length; i++)
        {
            var v = double.CreateTruncating(input[i]);
            var z = v * beta;
            y[i] = z > threshold ? input[i] : T.CreateTruncating(ActivationMath.Softplus(z) / beta);
        }
        GC.KeepAlive(x);
        return x.Count == 1 ? PlainScalar(x.shape, y[0]) : Plain(x.shape, y, lease);
    }
}

internal abstract partial class Backend
{
    /// <summary>An activation of torch.nn.functional by FuncGrad's op name, with up to two numeric parameters
    /// (Ops/Activations.cs); null where the backend has none.</summary>
    internal virtual Tensor? Activation(string name, Tensor x, double a, double b) => null;
}
