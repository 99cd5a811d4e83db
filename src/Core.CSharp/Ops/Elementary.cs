using FuncGrad.Kernels;
using FuncGrad.Kernels.Elementary;
using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Elementary functions beyond Ops/Unary.cs (issue 23): the inverse trigonometric and the hyperbolic functions, base-2
// and base-10 logarithms, 2ˣ, 1/√x, the normalised sinc, logit and entropy. Each states its kernel and dy/dx once.
// TensorPrimitives' routines run on fixed lane groups (Kernels/Lanes.cs) so an element's bits depend on its value
// alone, where they are accurate: measured against mpmath, its vector sinh lost all relative accuracy below 1e-8,
// cosh, log10 and float64 sinc (through SinPi) were 512 to 1,024 ulps off, log2 and exp2 in float32 2 and 13. So sinh
// and cosh call .NET's scalar functions (the C runtime's) element by element; log2, log10, exp2 and logit are vector
// kernels of FuncGrad's own (Kernels/Elementary/ElementaryFormulas.cs, every width, both dtypes), sinc and entropy
// scalar ones (Kernels/Elementary/ElementaryKernels.cs). Backward passes of more than one step are one pass each
// (Kernels/Elementary/ElementaryChains.cs), with the bits of the rule stated here. Accuracy bounds (ulps against
// mpmath) are in each doc comment and in docs/conventions.md.
public sealed partial class Tensor
{
    private readonly struct AsinK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Asin<T>);
    }
    private static readonly Op AsinOp = new UnaryOp("Asin", Elementwise.Map<AsinK>,
        static (x, y) => (1.0 - x.Square()).Rsqrt(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AsinChainF>>(g, x, "Asin"),
        onDevice: static (b, x) => b.Elementary("Asin", x));
    /// <summary>Inverse sine elementwise, in [−π/2, π/2]; NaN outside [−1, 1]. Within 1 ulp in float64 and
    /// float32.</summary>
    /// <remarks>Measured against mpmath (<c>tests/Properties/Reference/asin.csv</c>). Its derivative 1/√(1 − x²) is
    /// +inf at ±1.</remarks>
    /// <example><code>Tensor.Scalar(1.0).Asin() // tensor(1.5708, dtype=float64)</code></example>
    [Peers("torch.asin", "jnp.arcsin", "dsharp.asin")]
    public Tensor Asin() => Op.Apply(AsinOp, this);

    private readonly struct AcosK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Acos<T>);
    }
    private static readonly Op AcosOp = new UnaryOp("Acos", Elementwise.Map<AcosK>,
        static (x, y) => -(1.0 - x.Square()).Rsqrt(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AcosChainF>>(g, x, "Acos"),
        onDevice: static (b, x) => b.Elementary("Acos", x));
    /// <summary>Inverse cosine elementwise, in [0, π]; NaN outside [−1, 1]. Within 1 ulp in float64 and
    /// float32.</summary>
    /// <remarks>Its derivative −1/√(1 − x²) is −inf at ±1.</remarks>
    /// <example><code>Tensor.Scalar(1.0).Acos() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.acos", "jnp.arccos", "dsharp.acos")]
    public Tensor Acos() => Op.Apply(AcosOp, this);

    private readonly struct AtanK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Atan<T>);
    }
    private static readonly Op AtanOp = new UnaryOp("Atan", Elementwise.Map<AtanK>,
        static (x, y) => (x.Square() + 1.0).Reciprocal(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AtanChainF>>(g, x, "Atan"),
        onDevice: static (b, x) => b.Elementary("Atan", x));
    /// <summary>Inverse tangent elementwise, in (−π/2, π/2); ±π/2 at ±inf. Within 1 ulp in float64 and
    /// float32.</summary>
    /// <example><code>Tensor.Scalar(1.0).Atan() // tensor(0.7854, dtype=float64)</code></example>
    [Peers("torch.atan", "jnp.arctan", "dsharp.atan")]
    public Tensor Atan() => Op.Apply(AtanOp, this);

    private readonly struct SinhK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = T.Sinh(x[i]);
        }
    }
    private static readonly Op SinhOp = new UnaryOp("Sinh", Elementwise.Map<SinhK>,
        static (x, y) => x.Cosh(), onDevice: static (b, x) => b.Elementary("Sinh", x));
    /// <summary>Hyperbolic sine elementwise; ±inf beyond about ±710 (float64) or ±89 (float32). Within 1 ulp in
    /// float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Sinh() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.sinh", "jnp.sinh", "dsharp.sinh")]
    public Tensor Sinh() => Op.Apply(SinhOp, this);

    private readonly struct CoshK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = T.Cosh(x[i]);
        }
    }
    private static readonly Op CoshOp = new UnaryOp("Cosh", Elementwise.Map<CoshK>,
        static (x, y) => x.Sinh(), onDevice: static (b, x) => b.Elementary("Cosh", x));
    /// <summary>Hyperbolic cosine elementwise; +inf beyond about ±710 (float64) or ±89 (float32). Within 1 ulp in
    /// float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Cosh() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.cosh", "jnp.cosh", "dsharp.cosh")]
    public Tensor Cosh() => Op.Apply(CoshOp, this);

    private readonly struct AsinhK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asinh(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Asinh<T>);
    }
    private static readonly Op AsinhOp = new UnaryOp("Asinh", Elementwise.Map<AsinhK>,
        static (x, y) => (x.Square() + 1.0).Rsqrt(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AsinhChainF>>(g, x, "Asinh"),
        onDevice: static (b, x) => b.Elementary("Asinh", x));
    /// <summary>Inverse hyperbolic sine elementwise. Within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Asinh() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.asinh", "jnp.arcsinh", "")]
    public Tensor Asinh() => Op.Apply(AsinhOp, this);

    private readonly struct AcoshK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acosh(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Acosh<T>);
    }
    // (x − 1)(x + 1) rather than x² − 1: no cancellation near 1, no overflow before x² would.
    private static readonly Op AcoshOp = new UnaryOp("Acosh", Elementwise.Map<AcoshK>,
        static (x, y) => ((x - 1.0) * (x + 1.0)).Rsqrt(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AcoshChainF>>(g, x, "Acosh"),
        onDevice: static (b, x) => b.Elementary("Acosh", x));
    /// <summary>Inverse hyperbolic cosine elementwise, ≥ 0; NaN below 1. Within 1 ulp in float64 and
    /// float32.</summary>
    /// <remarks>Its derivative 1/√(x² − 1) is +inf at 1.</remarks>
    /// <example><code>Tensor.Scalar(1.0).Acosh() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.acosh", "jnp.arccosh", "")]
    public Tensor Acosh() => Op.Apply(AcoshOp, this);

    private readonly struct AtanhK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atanh(x);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, &TensorPrimitives.Atanh<T>);
    }
    private static readonly Op AtanhOp = new UnaryOp("Atanh", Elementwise.Map<AtanhK>,
        static (x, y) => (1.0 - x.Square()).Reciprocal(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<AtanhChainF>>(g, x, "Atanh"),
        onDevice: static (b, x) => b.Elementary("Atanh", x));
    /// <summary>Inverse hyperbolic tangent elementwise: ±inf at ±1, NaN outside [−1, 1]. Within 1 ulp in float64 and
    /// float32.</summary>
    /// <example><code>Tensor.Scalar(0.0).Atanh() // tensor(0., dtype=float64)</code></example>
    [Peers("torch.atanh", "jnp.arctanh", "")]
    public Tensor Atanh() => Op.Apply(AtanhOp, this);

    private static readonly Op Log2Op = new UnaryOp("Log2", Elementwise.Map<Formula<Log2F>>,
        static (x, y) => (x * Math.Log(2.0)).Reciprocal(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<Log2ChainF>>(g, x, "Log2"),
        onDevice: static (b, x) => b.Elementary("Log2", x));
    /// <summary>Base-2 logarithm elementwise: −inf at ±0, NaN below 0. Within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(8.0).Log2() // tensor(3., dtype=float64)</code></example>
    [Peers("torch.log2", "jnp.log2", "")]
    public Tensor Log2() => Op.Apply(Log2Op, this);

    private static readonly Op Log10Op = new UnaryOp("Log10", Elementwise.Map<Formula<Log10F>>,
        static (x, y) => (x * Math.Log(10.0)).Reciprocal(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<Log10ChainF>>(g, x, "Log10"),
        onDevice: static (b, x) => b.Elementary("Log10", x));
    /// <summary>Base-10 logarithm elementwise: −inf at ±0, NaN below 0. Within 2 ulps in float64 and 1 in
    /// float32.</summary>
    /// <example><code>Tensor.Scalar(100.0).Log10() // tensor(2., dtype=float64)</code></example>
    [Peers("torch.log10", "jnp.log10", "dsharp.log10")]
    public Tensor Log10() => Op.Apply(Log10Op, this);

    private static readonly Op Exp2Op = new UnaryOp("Exp2", Elementwise.Map<Formula<Exp2F>>,
        static (x, y) => y * Math.Log(2.0),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<Exp2ChainF>>(g, y, "Exp2"),
        onDevice: static (b, x) => b.Elementary("Exp2", x));
    /// <summary>2ˣ elementwise. Within 1 ulp in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(3.0).Exp2() // tensor(8., dtype=float64)</code></example>
    [Peers("torch.exp2", "jnp.exp2", "")]
    public Tensor Exp2() => Op.Apply(Exp2Op, this);

    private readonly struct RsqrtK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / T.Sqrt(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // two correctly rounded steps, the same at every width and in Scalar (not an approximate rsqrt)
            TensorPrimitives.Sqrt(x, y);
            TensorPrimitives.Reciprocal(y, y);
        }
    }
    private static readonly Op RsqrtOp = new UnaryOp("Rsqrt", Elementwise.Map<RsqrtK>,
        static (x, y) => y * y.Square() * -0.5,
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<RsqrtChainF>>(g, y, "Rsqrt"),
        onDevice: static (b, x) => b.Elementary("Rsqrt", x));
    /// <summary>1/√x elementwise: +inf at +0, −inf at −0, NaN below 0. 1/√x rounded twice (√, then 1/): within 1 ulp
    /// in float64 and float32.</summary>
    /// <example><code>Tensor.Scalar(4.0).Rsqrt() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.rsqrt", "jax.lax.rsqrt", "")]
    public Tensor Rsqrt() => Op.Apply(RsqrtOp, this);

    private readonly struct SincK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => ElementaryKernels.Sinc(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = ElementaryKernels.Sinc(x[i]);
        }
    }
    // (cos(πx) − sinc x)/x, and 0 at x = 0 where it tends to 0; x is replaced by 1 there inside the quotient so
    // that no 0/0 reaches a higher derivative through the branch Where does not take.
    private static readonly Op SincOp = new UnaryOp("Sinc", Elementwise.Map<SincK>, static (x, y) =>
    {
        var zero = x.Eq(x.Const(0));
        var safe = Where(zero, x.Const(1), x);
        return Where(zero, x.Const(0), ((safe * Math.PI).Cos() - safe.Sinc()) / safe);
    }, onDevice: static (b, x) => b.Elementary("Sinc", x));
    /// <summary>The normalised sinc sin(πx)/(πx), 1 at 0 (PyTorch's <c>torch.sinc</c>): +0 at the other integers,
    /// NaN at ±inf. Within 2 ulps in float64 and 1 in float32.</summary>
    /// <remarks>Convention: its derivative at 0 is 0 (exact); higher derivatives at exactly 0 are 0 too (the second
    /// is −π²/3 there), as PyTorch's.</remarks>
    /// <example><code>Tensor.FromArray([0.0, 0.5]).Sinc() // tensor([1.0000, 0.6366], dtype=float64)</code></example>
    [Peers("torch.sinc", "jnp.sinc", "", Notes = "derivatives of order ≥ 2 are 0 at exactly 0")]
    public Tensor Sinc() => Op.Apply(SincOp, this);

    private static readonly Op LogitOp = new UnaryOp("Logit", Elementwise.Map<Formula<LogitF>>,
        static (x, y) => (x * (1.0 - x)).Reciprocal(),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<LogitChainF>>(g, x, "Logit"),
        onDevice: static (b, x) => b.Elementary("Logit", x));
    /// <summary>log(x/(1 − x)) elementwise, the inverse of Sigmoid: −inf at 0, +inf at 1, NaN outside [0, 1]. Within
    /// 3 ulps in float64 and 3 in float32.</summary>
    /// <remarks>With <paramref name="eps"/>, x is first clamped to [eps, 1 − eps] and the gradient is 0 outside that
    /// interval (at its ends it goes to x), as PyTorch's <c>torch.logit(x, eps)</c>.</remarks>
    /// <param name="eps">Clamp bound, in [0, 0.5]; null (the default) clamps nothing.</param>
    /// <example><code>
    /// Tensor.FromArray([0.5, 0.0]).Logit(1e-6) // tensor([  0.0000, -13.8155], dtype=float64)
    /// </code></example>
    [Peers("torch.logit", "jax.scipy.special.logit", "", Notes = "eps as PyTorch's")]
    public Tensor Logit(double? eps = null)
    {
        if (eps is not double e) return Op.Apply(LogitOp, this);
        if (!(e >= 0 && e <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(eps), e,
                $"logit: eps = {e} for {Shapes.Show(this)}; eps clamps x to [eps, 1 − eps], so give a number in " +
                "[0, 0.5], or null to clamp nothing");
        var lo = Const(e);
        var hi = Const(1.0 - e);
        // Where keeps NaN (both comparisons false) and sends the gradient to x on [eps, 1 − eps], ends included.
        var clamped = Where(Lt(lo), lo, Where(Gt(hi), hi, this));
        return Op.Apply(LogitOp, clamped);
    }

    private readonly struct EntrK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => ElementaryKernels.Entr(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) y[i] = ElementaryKernels.Entr(x[i]);
        }
    }
    private static readonly Op EntrOp = new UnaryOp("Entr", Elementwise.Map<EntrK>,
        static (x, y) => -(x.Log() + 1.0),
        chain: static (g, x, y) => Elementwise.Zip<FormulaKernel<EntrChainF>>(g, x.Log(), "Entr"),
        onDevice: static (b, x) => b.Elementary("Entr", x));
    /// <summary>The entropy term −x·ln x elementwise (<c>torch.special.entr</c>): 0 at 0, −inf below 0 and at +inf.
    /// Within 1 ulp in float64 and float32.</summary>
    /// <remarks>Its derivative −(ln x + 1) is +inf at 0 and NaN below 0, as PyTorch's.</remarks>
    /// <example><code>Tensor.FromArray([0.0, 0.5]).Entr() // tensor([0.0000, 0.3466], dtype=float64)</code></example>
    [Peers("torch.special.entr", "jax.scipy.special.entr", "")]
    public Tensor Entr() => Op.Apply(EntrOp, this);
}

internal abstract partial class Backend
{
    /// <summary>An elementary function of Ops/Elementary.cs (named as its op) on the device, or null where the
    /// backend has none (the op then runs on managed copies).</summary>
    internal virtual Tensor? Elementary(string name, Tensor x) => null;
}
