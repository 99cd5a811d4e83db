using FuncGrad.Kernels;
using FuncGrad.Kernels.Elementary;
using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Elementwise functions of one argument. Each states its kernel and its derivative dy/dx once,
// in terms of the argument x and the output y.
public sealed partial class Tensor
{
    private static readonly Op ExpOp = new UnaryOp("Exp", Elementwise.Map<Formula<ExpF>>, static (x, y) => y);
    /// <summary>eˣ elementwise, within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Exp() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.exp", "jnp.exp", "dsharp.exp")]
    public Tensor Exp() => Op.Apply(ExpOp, this);

    private static readonly Op LogOp = new UnaryOp("Log", Elementwise.Map<Formula<LogF>>,
        static (x, y) => x.Reciprocal());
    /// <summary>Natural logarithm elementwise: −inf at 0, NaN below 0. Within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(1.0).Log() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.log", "jnp.log", "dsharp.log")]
    public Tensor Log() => Op.Apply(LogOp, this);

    private static readonly Op Log1pOp = new UnaryOp("Log1p", Elementwise.Map<Formula<Log1pF>>,
        static (x, y) => (x + 1.0).Reciprocal());
    /// <summary>log(1 + x), accurate for small x: within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Log1p() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.log1p", "jnp.log1p", "")]
    public Tensor Log1p() => Op.Apply(Log1pOp, this);

    private static readonly Op Expm1Op = new UnaryOp("Expm1", Elementwise.Map<Formula<Expm1F>>,
        static (x, y) => y + 1.0);
    /// <summary>eˣ − 1, accurate for small x: within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Expm1() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.expm1", "jnp.expm1", "")]
    public Tensor Expm1() => Op.Apply(Expm1Op, this);

    private readonly struct SqrtK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
    }
    private static readonly Op SqrtOp = new UnaryOp("Sqrt", Elementwise.Map<SqrtK>,
        static (x, y) => y.Reciprocal() * 0.5); // +inf at 0
    /// <summary>Square root elementwise. Its derivative at 0 is +inf.</summary>
    /// <example><code>Tensor.Scalar(4.0).Sqrt() // tensor(2., dtype=float64)</code></example>
    [Peers("torch.sqrt", "jnp.sqrt", "dsharp.sqrt", Notes = "derivative +inf at 0")]
    public Tensor Sqrt() => Op.Apply(SqrtOp, this);

    private readonly struct SquareK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x * x;
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, x, y);
    }
    private static readonly Op SquareOp = new UnaryOp("Square", Elementwise.Map<SquareK>, static (x, y) => x * 2.0);
    /// <summary>x² elementwise.</summary>
    /// <example><code>Tensor.Scalar(3.0).Square() // tensor(9., dtype=float64)</code></example>
    [Peers("torch.square", "jnp.square", "")]
    public Tensor Square() => Op.Apply(SquareOp, this);

    private readonly struct ReciprocalK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / x;
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Reciprocal(x, y);
    }
    private static readonly Op ReciprocalOp = new UnaryOp("Reciprocal", Elementwise.Map<ReciprocalK>,
        static (x, y) => -y.Square());
    /// <summary>1/x elementwise.</summary>
    /// <example><code>Tensor.Scalar(4.0).Reciprocal() // tensor(0.2500, dtype=float64)</code></example>
    [Peers("torch.reciprocal", "jnp.reciprocal", "")]
    public Tensor Reciprocal() => Op.Apply(ReciprocalOp, this);

    private readonly struct AbsK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
    }
    private static readonly Op AbsOp = new UnaryOp("Abs", Elementwise.Map<AbsK>,
        static (x, y) => x.Sign()); // abs'(0) = sign(0) = 0
    /// <summary>|x| elementwise. Convention: its derivative at 0 is 0.</summary>
    /// <example><code>Tensor.Scalar(-2.0).Abs() // tensor(2., dtype=float64)</code></example>
    [Peers("torch.abs", "jnp.abs", "dsharp.abs", Notes = "derivative 0 at 0")]
    public Tensor Abs() => Op.Apply(AbsOp, this);

    private readonly struct SignK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x > T.Zero ? T.One : x < T.Zero ? -T.One : x; // keeps ±0 and NaN
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = Scalar(x[i]);
        }
    }
    private static readonly Op SignOp = new UnaryOp("Sign", Elementwise.Map<SignK>, static (x, y) => x.Const(0));
    /// <summary>−1, 0 or 1 by the sign of x (NaN stays NaN). Not differentiable: its gradient is zero
    /// everywhere.</summary>
    /// <example><code>
    /// Tensor.FromArray([-3.0, 0.0, 2.0]).Sign() // tensor([-1., 0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.sign", "jnp.sign", "dsharp.sign", Notes = "gradient 0 everywhere")]
    public Tensor Sign() => Op.Apply(SignOp, this);

    private static readonly Op SinOp = new UnaryOp("Sin", Elementwise.Map<TrigKernel<SinF>>, static (x, y) => x.Cos(),
        chain: static (g, x, y) => x.Count == 1 ? g * x.Cos() : ChainWith<TrigKernel<CosF>>(g, x));
    /// <summary>Sine elementwise (radians), within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Sin() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.sin", "jnp.sin", "dsharp.sin")]
    public Tensor Sin() => Op.Apply(SinOp, this);

    private static readonly Op CosOp = new UnaryOp("Cos", Elementwise.Map<TrigKernel<CosF>>, static (x, y) => -x.Sin(),
        chain: static (g, x, y) => x.Count == 1 ? g * -x.Sin() : ChainWith<NegSinK>(g, x));

    // −sin x as cos's rule computes it: Sin's kernel, then Neg's (a sign flip, NaN's included).
    private readonly struct NegSinK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => -TrigKernel<SinF>.Scalar(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TrigKernel<SinF>.Run(x, y);
            NegK.Run<T>(y, y);
        }
    }

    /// <summary>
    /// g·K(x) in one pass, for a derivative kernel that is not a formula (sin's, cos's and tanhshrink's rules):
    /// each chunk of the result gets the derivative's kernel, then the product with g, so the bits are the composite
    /// rule's (K, then Mul) without its intermediate tensor. Split over the cores as Map splits its work (parts at
    /// multiples of 128 elements). One element goes the composite's way, as Map's one-element path does.
    /// </summary>
    private static Tensor ChainWith<K>(Tensor g, Tensor x) where K : IUnaryKernel
    {
        Elementwise.SameDType(g, x, "backward");
        var d = x.DType == DType.Float64 ? ChainWith<K, double>(g, x) : ChainWith<K, float>(g, x);
        GC.KeepAlive(g);
        GC.KeepAlive(x);
        return d;
    }

    private static Tensor ChainWith<K, T>(Tensor g, Tensor x) where K : IUnaryKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = x.Count;
        var d = Storage.Uninitialized<T>(count, out var lease);
        int parts = Elementwise.PartsOf(count, Elementwise.PartUnit);
        if (parts <= 1) ActivationKernels.Chain<T, K>(g.Span<T>(), x.Span<T>(), d);
        else
        {
            T[] gb = g.Buffer<T>(), xb = x.Buffer<T>();
            Workers.For(parts, p =>
            {
                var (lo, hi) = Elementwise.PartOf(count, Elementwise.PartUnit, parts, p);
                ActivationKernels.Chain<T, K>(gb.AsSpan(lo, hi - lo), xb.AsSpan(lo, hi - lo), d.AsSpan(lo, hi - lo));
            });
        }
        return Plain(x.shape, d, lease);
    }

    /// <summary>Cosine elementwise (radians), within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Cos() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.cos", "jnp.cos", "dsharp.cos")]
    public Tensor Cos() => Op.Apply(CosOp, this);

    private static readonly Op TanOp = new UnaryOp("Tan", Elementwise.Map<TrigKernel<TanF>>,
        static (x, y) => y.Square() + 1.0);
    /// <summary>Tangent elementwise (radians), within 2 ulps in float64 and 1 in float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Tan() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.tan", "jnp.tan", "dsharp.tan")]
    public Tensor Tan() => Op.Apply(TanOp, this);

    private static readonly Op TanhOp = new UnaryOp("Tanh", Elementwise.Map<Formula<TanhF>>,
        static (x, y) => 1.0 - y.Square(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<TanhChainF>>(g, y, "Tanh"));

    // g·(1 − y²) in one pass, rounded step by step as the composite rule is (no fused multiply-add).
    internal readonly struct TanhChainF : IFormula2
    {
        public static V Apply<T, V, W>(V g, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => W.Mul(g, W.Sub(W.Splat(T.One), W.Mul(y, y)));
    }

    /// <summary>Hyperbolic tangent elementwise, within 2 ulps in float64 and 1 in float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Tanh() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.tanh", "jnp.tanh", "dsharp.tanh")]
    public Tensor Tanh() => Op.Apply(TanhOp, this);

    private static readonly Op SigmoidOp = new UnaryOp("Sigmoid", Elementwise.Map<Formula<SigmoidF>>,
        static (x, y) => y * (1.0 - y),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<SigmoidChainF>>(g, y, "Sigmoid"));

    // g·(y·(1 − y)) in one pass, rounded step by step as the composite rule is.
    internal readonly struct SigmoidChainF : IFormula2
    {
        public static V Apply<T, V, W>(V g, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => W.Mul(g, W.Mul(y, W.Sub(W.Splat(T.One), y)));
    }

    /// <summary>The logistic function 1/(1 + e⁻ˣ), finite with a finite derivative for any finite x. Within 1 ulp in
    /// float64 and 2 in float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Sigmoid() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.sigmoid", "jax.nn.sigmoid", "dsharp.sigmoid")]
    public Tensor Sigmoid() => Op.Apply(SigmoidOp, this);

    private static readonly Op SoftplusOp = new UnaryOp("Softplus", Elementwise.Map<Formula<SoftplusF>>,
        static (x, y) => x.Sigmoid());
    /// <summary>log(1 + eˣ), computed without overflow for any finite x. Within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Softplus() // tensor(0.6931, dtype=float64)</code></example>
    [Peers("torch.nn.functional.softplus", "jax.nn.softplus", "dsharp.softplus")]
    public Tensor Softplus() => Op.Apply(SoftplusOp, this);

    private readonly struct ReluK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
    }
    /// <summary>1 where x &gt; 0, else 0 (NaN too), in x's dtype: relu's derivative in one pass, itself with derivative
    /// 0.</summary>
    private readonly struct StepK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.Zero;
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? T.One : T.Zero;
        }
    }
    private static readonly Op StepOp = new UnaryOp("Step", Elementwise.Map<StepK>, static (x, y) => x.Const(0));

    private static readonly Op ReluOp = new UnaryOp("Relu", Elementwise.Map<ReluK>,
        static (x, y) => Op.Apply(StepOp, x)); // relu'(0) = 0
    /// <summary>max(x, 0) elementwise. Convention: its derivative at 0 is 0.</summary>
    /// <example><code>Tensor.FromArray([-1.0, 2.0]).Relu() // tensor([0., 2.], dtype=float64)</code></example>
    [Peers("torch.nn.functional.relu", "jax.nn.relu", "dsharp.relu", Notes = "derivative 0 at 0")]
    public Tensor Relu() => Op.Apply(ReluOp, this);

    // Static forms, so that F#'s own sin, cos, tan, exp, log, sqrt, abs and tanh work on tensors.
    /// <summary>eˣ elementwise.</summary>
    /// <example><code>Tensor.Exp(Tensor.Scalar(0.0)) // tensor(1., dtype=float64)</code></example>
    public static Tensor Exp(Tensor x) => Guard.NotNull(x).Exp();
    /// <summary>Natural logarithm elementwise.</summary>
    /// <example><code>Tensor.Log(Tensor.Scalar(1.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Log(Tensor x) => Guard.NotNull(x).Log();
    /// <summary>Square root elementwise.</summary>
    /// <example><code>Tensor.Sqrt(Tensor.Scalar(4.0)) // tensor(2., dtype=float64)</code></example>
    public static Tensor Sqrt(Tensor x) => Guard.NotNull(x).Sqrt();
    /// <summary>|x| elementwise.</summary>
    /// <example><code>Tensor.Abs(Tensor.Scalar(-1.0)) // tensor(1., dtype=float64)</code></example>
    public static Tensor Abs(Tensor x) => Guard.NotNull(x).Abs();
    /// <summary>Sine elementwise.</summary>
    /// <example><code>Tensor.Sin(Tensor.Scalar(0.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Sin(Tensor x) => Guard.NotNull(x).Sin();
    /// <summary>Cosine elementwise.</summary>
    /// <example><code>Tensor.Cos(Tensor.Scalar(0.0)) // tensor(1., dtype=float64)</code></example>
    public static Tensor Cos(Tensor x) => Guard.NotNull(x).Cos();
    /// <summary>Tangent elementwise.</summary>
    /// <example><code>Tensor.Tan(Tensor.Scalar(0.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Tan(Tensor x) => Guard.NotNull(x).Tan();
    /// <summary>Hyperbolic tangent elementwise, within 2 ulps in float64 and 1 in float32.</summary>
    /// <example><code>Tensor.Tanh(Tensor.Scalar(0.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Tanh(Tensor x) => Guard.NotNull(x).Tanh();
}
