using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// The activation functions of torch.nn.functional. Each states its kernel and its derivative dy/dx once, in FuncGrad
// ops; at a kink the derivative is the one PyTorch's backward kernel returns there (docs/conventions.md,
// "Activations"). Functions of exp and log are written so that no intermediate overflows or cancels: they stay
// finite, and keep their relative accuracy, at any finite input.
public sealed partial class Tensor
{
    private const double SeluAlpha = SeluConstants.Alpha;
    private const double SeluScale = SeluConstants.Scale;
    // √(2/π) and the cubic coefficient of GELU's tanh approximation.
    private const double GeluK = 0.79788456080286536;
    private const double GeluCubic = 0.044715;

    private static Tensor One(Tensor x) => x.Const(1);
    private static Tensor Zero(Tensor x) => x.Const(0);

    // ---- kernels and one-pass backward (Kernels/Activations/*.cs) ----
    // Each activation's derivative dy/dx is an op of its own, whose kernel is a vector formula; the activation's
    // rule is that op, and its chain computes g·dy/dx in one pass by the same formula, so the two round alike. The
    // derivative op's own rule (the second derivative) is written with FuncGrad ops, for higher orders; on another
    // device it is the composite of FuncGrad ops it stands for.

    /// <summary>x ↦ F(x, a, b), float32 in float64 lanes where <paramref name="wide"/>: the kernel of an op made per
    /// call for its parameters.</summary>
    private static Tensor MapBy<F>(Tensor x, bool wide, double a, double b) where F : IPiecewise
    {
        var y = x.DType == DType.Float64 ? MapBy<F, double>(x, wide, a, b) : MapBy<F, float>(x, wide, a, b);
        GC.KeepAlive(x);
        return y;
    }

    private static Tensor MapBy<F, T>(Tensor x, bool wide, double a, double b)
        where F : IPiecewise where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Count == 1)
            return PlainScalar(x.shape, ActivationKernels.Scalar<T, F>(wide, x.Span<T>()[0], a, b));
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        ActivationKernels.Map<T, F>(wide, x.Span<T>(), a, b, y);
        return Plain(x.shape, y, lease);
    }

    /// <summary>g·F(x, a, b) in one pass: the bits of g times the derivative op whose kernel is F.</summary>
    private static Tensor ChainBy<F>(Tensor g, Tensor x, bool wide, double a, double b) where F : IPiecewise
    {
        Elementwise.SameDType(g, x, "backward");
        var d = x.DType == DType.Float64 ? ChainBy<F, double>(g, x, wide, a, b) : ChainBy<F, float>(g, x, wide, a, b);
        GC.KeepAlive(g);
        GC.KeepAlive(x);
        return d;
    }

    private static Tensor ChainBy<F, T>(Tensor g, Tensor x, bool wide, double a, double b)
        where F : IPiecewise where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = Storage.Uninitialized<T>(x.Count, out var lease);
        ActivationKernels.Chain<T, F>(wide, g.Span<T>(), x.Span<T>(), a, b, d);
        return Plain(x.shape, d, lease);
    }

    /// <summary>A derivative op of a parameterless kernel K, with its own derivative <paramref name="next"/> and,
    /// on another device, the composite it stands for.</summary>
    private static UnaryOp DerivativeOp<K>(string name, Func<Tensor, Tensor> next, Func<Tensor, Tensor> composite)
        where K : IUnaryKernel
        => new(name, Elementwise.Map<K>, (x, y) => next(x), onDevice: (b, x) => composite(x));

    /// <summary>A derivative op of the formula F with parameters a and b (made per call).</summary>
    private static UnaryOp DerivativeOp<F>(string name, bool wide, double a, double b, Func<Tensor, Tensor> next,
        Func<Tensor, Tensor> composite) where F : IPiecewise
        => new(name, x => MapBy<F>(x, wide, a, b), (x, y) => next(x), onDevice: (bk, x) => composite(x));

    /// <summary>An activation whose derivative is the op <paramref name="d"/> with kernel F(x, a, b): its rule is d,
    /// and its chain g·d(x) in one pass.</summary>
    private static UnaryOp Activation<F>(string name, Func<Tensor, Tensor> compute, Op d, bool wide, double a,
        double b, Func<Backend, Tensor, Tensor?> onDevice) where F : IPiecewise
        => new(name, compute, (x, y) => Op.Apply(d, x), chain: (g, x, y) => ChainBy<F>(g, x, wide, a, b),
            onDevice: onDevice);

    // ---- piecewise-linear functions (vector kernels in Kernels/Activations/Piecewise.cs) ----

    /// <summary>
    /// x where x &gt; 0, else negativeSlope·x. Convention (PyTorch's): its derivative at 0 is negativeSlope.
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([-2.0, 3.0]).LeakyRelu() // tensor([-0.0200, 3.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.leaky_relu", "jax.nn.leaky_relu", "dsharp.leakyRelu",
        Notes = "derivative negativeSlope at 0")]
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        var d = DerivativeOp<LeakyReluDF>("LeakyReluBackward", false, negativeSlope, 0, Zero,
            x => Where(x.Gt(Zero(x)), One(x), x.Const(negativeSlope)));
        return Op.Apply(Activation<LeakyReluDF>("LeakyRelu", x => MapBy<LeakyReluF>(x, false, negativeSlope, 0), d,
            false, negativeSlope, 0, (b, x) => b.Activation("LeakyRelu", x, negativeSlope, 0)), this);
    }

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
        var d = DerivativeOp<HardtanhDF>("HardtanhBackward", false, minVal, maxVal, Zero,
            x => Where(x.Gt(x.Const(minVal)) & x.Lt(x.Const(maxVal)), One(x), Zero(x)));
        return Op.Apply(Activation<HardtanhDF>("Hardtanh", x => MapBy<HardtanhF>(x, false, minVal, maxVal), d, false,
            minVal, maxVal, (b, x) => b.Activation("Hardtanh", x, minVal, maxVal)), this);
    }

    private readonly struct Relu6K : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Scalar<T, HardtanhF>(x, T.Zero, T.CreateTruncating(6));
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Piecewise.Map<T, HardtanhF>(x, T.Zero, T.CreateTruncating(6), y);
    }
    private static readonly Op Relu6DOp = DerivativeOp<Narrow<Relu6DF>>("Relu6Backward", Zero,
        static x => Where(x.Gt(Zero(x)) & x.Lt(x.Const(6)), One(x), Zero(x)));
    private static readonly Op Relu6Op = Activation<Relu6DF>("Relu6", Elementwise.Map<Relu6K>, Relu6DOp, false, 0, 0,
        static (b, x) => b.Activation("Relu6", x, 0, 0));
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
    private static readonly Op HardsigmoidDOp = DerivativeOp<Narrow<HardsigmoidDF>>("HardsigmoidBackward", Zero,
        static x => Where(x.Gt(x.Const(-3)) & x.Lt(x.Const(3)), x.Const(1.0 / 6.0), Zero(x)));
    private static readonly Op HardsigmoidOp = Activation<HardsigmoidDF>("Hardsigmoid", Elementwise.Map<HardsigmoidK>,
        HardsigmoidDOp, false, 0, 0, static (b, x) => b.Activation("Hardsigmoid", x, 0, 0));
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
    // PyTorch's backward: 0 below −3, x/3 + 1/2 on [−3, 3] (so −1/2 at −3 and 3/2 at 3), 1 above
    private static readonly Op HardswishDOp = DerivativeOp<Narrow<HardswishDF>>("HardswishBackward",
        static x => Where(x.Gt(x.Const(-3)) & x.Lt(x.Const(3)), x.Const(1.0 / 3.0), Zero(x)),
        static x => Where(x.Lt(x.Const(-3)), Zero(x), Where(x.Le(x.Const(3)), x / 3.0 + 0.5, One(x))));
    private static readonly Op HardswishOp = Activation<HardswishDF>("Hardswish", Elementwise.Map<HardswishK>,
        HardswishDOp, false, 0, 0, static (b, x) => b.Activation("Hardswish", x, 0, 0));
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
    private static readonly Op SoftsignDOp = DerivativeOp<Narrow<SoftsignDF>>("SoftsignBackward",
        static x =>
        {
            var q = x.Abs() + 1.0;
            return x.Sign() * -2.0 / (q * q.Square()); // −2 sign(x)/(1 + |x|)³
        },
        static x => (x.Abs() + 1.0).Square().Reciprocal());
    private static readonly Op SoftsignOp = Activation<SoftsignDF>("Softsign", Elementwise.Map<SoftsignK>, SoftsignDOp,
        false, 0, 0, static (b, x) => b.Activation("Softsign", x, 0, 0));
    /// <summary>x / (1 + |x|), and ±1 at ±inf (PyTorch's quotient gives NaN there).</summary>
    /// <remarks>Within 2 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Softsign() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.nn.functional.softsign", "jax.nn.soft_sign", "", Notes = "±1 at ±inf")]
    public Tensor Softsign() => Op.Apply(SoftsignOp, this);

    // ---- functions of exp, log and tanh: vector formulas in float64 lanes for both dtypes (Kernels/Activations/
    // Smooth.cs), float32 rounded once from them; tanhshrink one float64 element at a time (ActivationMath.cs).
    // Each element's bits depend on its value alone ----

    /// <summary>y[i] = f(x[i]) computed in float64.</summary>
    private static void Each<T>(ReadOnlySpan<T> x, Span<T> y, Func<double, double> f)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(f(double.CreateTruncating(x[i])));
    }

    /// <summary>f(x) computed in float64.</summary>
    private static T In64<T>(T x, Func<double, double> f) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(f(double.CreateTruncating(x)));

    private static readonly Op SiluDOp = DerivativeOp<Wide<SiluDF>>("SiluBackward",
        static x =>
        {
            var s = x.Sigmoid();
            return s * (1.0 - s) * (x * (1.0 - 2.0 * s) + 2.0); // σ(1 − σ)(2 + x(1 − 2σ))
        },
        static x =>
        {
            var s = x.Sigmoid();
            return s * (x * (1.0 - s) + 1.0);
        });
    private static readonly Op SiluOp = Activation<SiluDF>("Silu", Elementwise.Map<Wide<SiluF>>, SiluDOp, true, 0, 0,
        static (b, x) => b.Activation("Silu", x, 0, 0));
    /// <summary>x·σ(x) (the swish), finite at every finite x, 0 at −inf.</summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Silu() // tensor(0.7311, dtype=float64)</code></example>
    [Peers("torch.nn.functional.silu", "jax.nn.silu", "dsharp.silu")]
    public Tensor Silu() => Op.Apply(SiluOp, this);

    private static readonly Op MishDOp = DerivativeOp<Wide<MishDF>>("MishBackward",
        static x =>
        {
            // t = tanh(softplus x), t' = (1 − t²)σ: mish'' = t'·(2 + x(1 − σ − 2tσ))
            var s = x.Sigmoid();
            var t = x.Softplus().Tanh();
            return (1.0 - t.Square()) * s * (x * (1.0 - s - 2.0 * t * s) + 2.0);
        },
        static x =>
        {
            var t = x.Softplus().Tanh();
            return t + x * x.Sigmoid() * (1.0 - t.Square());
        });
    private static readonly Op MishOp = Activation<MishDF>("Mish", Elementwise.Map<Wide<MishF>>, MishDOp, true, 0, 0,
        static (b, x) => b.Activation("Mish", x, 0, 0));
    /// <summary>x·tanh(softplus(x)), finite at every finite x, 0 at −inf.</summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Mish() // tensor(0.8651, dtype=float64)</code></example>
    [Peers("torch.nn.functional.mish", "jax.nn.mish", "")]
    public Tensor Mish() => Op.Apply(MishOp, this);

    private static readonly Op GeluTanhDOp = DerivativeOp<Wide<GeluTanhDF>>("GeluBackward",
        static x =>
        {
            // s = σ(z), z = x(A + Bx²), p = z' = A + 3Bx²: (s + x·s(1 − s)·p)' = s(1 − s)(2p + xp²(1 − 2s) + 6Bx²)
            var x2 = x.Square();
            var s = (x * (x2 * GeluTanhDF.B + GeluTanhDF.A)).Sigmoid();
            var p = x2 * (3 * GeluTanhDF.B) + GeluTanhDF.A;
            return s * (1.0 - s) * (p * 2.0 + x * p.Square() * (1.0 - 2.0 * s) + x2 * (6 * GeluTanhDF.B));
        },
        static x =>
        {
            var s = ((x + x * x * x * GeluCubic) * (2 * GeluK)).Sigmoid();
            return s + x * s * (1.0 - s) * (x.Square() * (3 * GeluCubic) + 1.0) * (2 * GeluK);
        });
    private static readonly Op GeluTanhOp = Activation<GeluTanhDF>("Gelu", Elementwise.Map<Wide<GeluTanhF>>,
        GeluTanhDOp, true, 0, 0, static (b, x) => b.Activation("GeluTanh", x, 0, 0));

    private static Tensor Phi(Tensor x) => (x.Square() * -0.5).Exp() * 0.39894228040143267794;
    private static readonly Op GeluDOp = DerivativeOp<Narrow<GeluDF>>("GeluBackward",
        static x => Phi(x) * (2.0 - x.Square()), // (Φ + xφ)' = 2φ + xφ' = φ(2 − x²)
        static x => x.Ndtr() + x * Phi(x));
    private static readonly Op GeluOp = Activation<GeluDF>("Gelu", Elementwise.Map<Kernels.Special.Formula<GeluF>>,
        GeluDOp, false, 0, 0, static (b, x) => b.Activation("Gelu", x, 0, 0));

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
    private static UnaryOp EluOp(string name, double alpha, double inputScale)
    {
        double slope = alpha * inputScale;
        var d = DerivativeOp<EluDF>(name + "Backward", true, slope, inputScale,
            x => Where(x.Gt(Zero(x)), Zero(x), (x * inputScale).Exp() * (slope * inputScale)),
            x => Where(x.Gt(Zero(x)), One(x), (x * inputScale).Exp() * slope));
        return Activation<EluDF>(name, x => MapBy<EluF>(x, true, alpha, inputScale), d, true, slope, inputScale,
            (b, x) => b.Activation(name, x, alpha, 0));
    }

    /// <summary>
    /// x for x &gt; 0, else alpha·(eˣ − 1) (by expm1, accurate near 0). Convention (PyTorch's): its derivative at 0
    /// is alpha.
    /// </summary>
    /// <remarks>Within 3 ulps of the correctly rounded value in float64 and 1 ulp in float32 (tested against
    /// mpmath).</remarks>
    /// <example><code>Tensor.Scalar(-1.0).Elu() // tensor(-0.6321, dtype=float64)</code></example>
    [Peers("torch.nn.functional.elu", "jax.nn.elu", "dsharp.elu", Notes = "derivative alpha at 0")]
    public Tensor Elu(double alpha = 1.0) => Op.Apply(EluOp("Elu", alpha, 1.0), this);

    private static readonly Op SeluDOp = DerivativeOp<Wide<SeluDF>>("SeluBackward",
        static x => Where(x.Gt(Zero(x)), Zero(x), x.Exp() * (SeluAlpha * SeluScale)),
        static x => Where(x.Gt(Zero(x)), x.Const(SeluScale), x.Exp() * (SeluAlpha * SeluScale)));
    private static readonly Op SeluOp = Activation<SeluDF>("Selu", Elementwise.Map<Wide<SeluF>>, SeluDOp, true, 0, 0,
        static (b, x) => b.Activation("Selu", x, 0, 0));
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
        return Op.Apply(EluOp("Celu", alpha, 1.0 / alpha), this);
    }

    private static readonly Op LogSigmoidDOp = DerivativeOp<Wide<LogSigmoidDF>>("LogSigmoidBackward",
        static x =>
        {
            var s = x.Sigmoid();
            return -(s * (1.0 - s)); // σ(−x)' = −σ(x)σ(−x)
        },
        static x => (-x).Sigmoid());
    private static readonly Op LogSigmoidOp = Activation<LogSigmoidDF>("LogSigmoid",
        Elementwise.Map<Wide<LogSigmoidF>>, LogSigmoidDOp, true, 0, 0,
        static (b, x) => b.Activation("LogSigmoid", x, 0, 0));
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
    private static readonly Op TanhshrinkDOp = DerivativeOp<TanhSquareK>("TanhshrinkBackward",
        static x =>
        {
            var t = x.Tanh();
            return t * (1.0 - t.Square()) * 2.0;
        },
        static x => x.Tanh().Square());
    private static readonly Op TanhshrinkOp = new UnaryOp("Tanhshrink", Elementwise.Map<TanhshrinkK>,
        static (x, y) => Op.Apply(TanhshrinkDOp, x),
        // one element: the derivative op's own path, as Map's one-element path does
        chain: static (g, x, y) => x.Count == 1 ? g * Op.Apply(TanhshrinkDOp, x) : ChainWith<TanhSquareK>(g, x),
        onDevice: static (b, x) => b.Activation("Tanhshrink", x, 0, 0));

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
        var d = DerivativeOp<SoftplusBetaDF>("SoftplusBackward", true, beta, threshold,
            x =>
            {
                var s = (x * beta).Sigmoid();
                return Where((x * beta).Gt(x.Const(threshold)), Zero(x), s * (1.0 - s) * beta);
            },
            x => Where((x * beta).Gt(x.Const(threshold)), One(x), (x * beta).Sigmoid()));
        return Op.Apply(Activation<SoftplusBetaDF>("Softplus", x => MapBy<SoftplusBetaF>(x, true, beta, threshold), d,
            true, beta, threshold, (b, x) => b.Activation("SoftplusBeta", x, beta, threshold)), this);
    }
}

internal abstract partial class Backend
{
    /// <summary>An activation of torch.nn.functional by FuncGrad's op name, with up to two numeric parameters
    /// (Ops/Activations.cs); null where the backend has none.</summary>
    internal virtual Tensor? Activation(string name, Tensor x, double a, double b) => null;
}
