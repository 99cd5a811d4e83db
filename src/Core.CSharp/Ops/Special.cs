using FuncGrad.Kernels;
using FuncGrad.Kernels.Elementary;
using FuncGrad.Kernels.Special;
using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// Special functions (torch.special): FuncGrad's own vector approximations (Kernels/Special), each within a stated
// number of ulps of the correctly rounded value, the same bits at every width and on every thread. Derivatives go
// through the family's own ops, so every order works.
public sealed partial class Tensor
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    private static readonly Op ErfOp = new UnaryOp("Erf", Elementwise.Map<Formula<ErfF>>,
        static (x, y) => x.Square().Neg().Exp() * TwoOverSqrtPi,
        chain: static (g, x, y) => Gaussian<ErfScale>(g, Elementwise.Map<Formula<NegSquareF>>(x), "Erf"),
        onDevice: static (b, x) => b.Special("Erf", x));
    /// <summary>The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt elementwise, within 2 ulps (float64) and 3 ulps
    /// (float32) of the correctly rounded value.</summary>
    /// <remarks>erf(±0) = ±0, erf(±inf) = ±1, erf(NaN) = NaN. Its derivative is (2/√π)·e^(−x²).</remarks>
    /// <example><code>Tensor.Scalar(0.5).Erf() // tensor(0.5205, dtype=float64)</code></example>
    [Peers("torch.special.erf", "jax.scipy.special.erf", "dsharp.erf")]
    public Tensor Erf() => Op.Apply(ErfOp, this);

    private static readonly Op ErfcOp = new UnaryOp("Erfc", Elementwise.Map<Formula<ErfcF>>,
        static (x, y) => x.Square().Neg().Exp() * -TwoOverSqrtPi,
        chain: static (g, x, y) => Gaussian<ErfcScale>(g, Elementwise.Map<Formula<NegSquareF>>(x), "Erfc"),
        onDevice: static (b, x) => b.Special("Erfc", x));
    /// <summary>The complementary error function erfc(x) = 1 − erf(x) elementwise, accurate in the right tail where
    /// it is tiny, within 4 ulps (float64) and 4 ulps (float32) of the correctly rounded value.</summary>
    /// <remarks>erfc(+inf) = 0, erfc(−inf) = 2, erfc(NaN) = NaN; it underflows to 0 past x ≈ 27.3 (float64) and
    /// 10.1 (float32). Its derivative is −(2/√π)·e^(−x²).</remarks>
    /// <example><code>Tensor.Scalar(0.0).Erfc() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.special.erfc", "jax.scipy.special.erfc", "dsharp.erfc")]
    public Tensor Erfc() => Op.Apply(ErfcOp, this);

    private static readonly Op NdtrOp = new UnaryOp("Ndtr", Elementwise.Map<Formula<NdtrF>>,
        static (x, y) => (x.Square() * -0.5).Exp() * InvSqrt2Pi,
        chain: static (g, x, y) => Gaussian<NdtrScale>(g, Elementwise.Map<Formula<HalfNegSquareF>>(x), "Ndtr"),
        onDevice: static (b, x) => b.Special("Ndtr", x));
    /// <summary>The standard normal distribution function Φ(x) = erfc(−x/√2)/2 elementwise, accurate in the left
    /// tail, within 5 ulps (float64) and 5 ulps (float32) of the correctly rounded value (4 in float64 where the
    /// machine fuses multiply-adds).</summary>
    /// <remarks>ndtr(−inf) = 0, ndtr(+inf) = 1, ndtr(NaN) = NaN; it underflows to 0 below x ≈ −38.5 (float64) and
    /// −14.3 (float32). Its derivative is the normal density e^(−x²/2)/√(2π).</remarks>
    /// <example><code>Tensor.Scalar(0.0).Ndtr() // tensor(0.5000, dtype=float64)</code></example>
    [Peers("torch.special.ndtr", "jax.scipy.special.ndtr", "")]
    public Tensor Ndtr() => Op.Apply(NdtrOp, this);

    private static readonly Op LogNdtrOp = new UnaryOp("LogNdtr", Elementwise.Map<Formula<LogNdtrF>>,
        static (x, y) => (x.Square() * -0.5 - y).Exp() * InvSqrt2Pi,
        chain: static (g, x, y) =>
            Gaussian<NdtrScale>(g, Elementwise.Zip<FormulaKernel<HalfNegSquareMinusF>>(x, y, "LogNdtr"), "LogNdtr"),
        onDevice: static (b, x) => b.Special("LogNdtr", x));
    /// <summary>log Φ(x), the logarithm of the standard normal distribution function, elementwise, accurate far in the
    /// left tail (about −x²/2 there), within 5 ulps (float64) and 6 ulps (float32) of the rounded value.</summary>
    /// <remarks>log_ndtr(−inf) = −inf, log_ndtr(+inf) = 0, NaN at NaN; finite for every finite x until −x²/2
    /// overflows. Its derivative φ(x)/Φ(x) = e^(−x²/2 − log Φ(x))/√(2π) is taken from the output, so it stays finite
    /// (about −x) in the left tail.</remarks>
    /// <example><code>Tensor.Scalar(0.0).LogNdtr() // tensor(-0.6931, dtype=float64)</code></example>
    [Peers("torch.special.log_ndtr", "jax.scipy.special.log_ndtr", "")]
    public Tensor LogNdtr() => Op.Apply(LogNdtrOp, this);

    // ---- bessel: the modified Bessel functions of the first kind (Kernels/Special/Bessel.cs) ----

    /// <summary>I1(x)/x (scaled: I1e(x)/x) from y = I1(x) (I1e(x)), finite at 0 where it tends to ½: below |x| = 1/64
    /// the series ½ + x²/16 + x⁴/384 + x⁶/18432 (times e^(−|x|) when scaled), exact to rounding there and right at
    /// every order up to the third at 0; elsewhere y/x, with x replaced by 1 in the lanes of the series (no 0/0 reaches
    /// a higher derivative through the branch Where does not take) and an overflowed I1 by 0 (I0 is +inf there, and
    /// inf − inf would be NaN).</summary>
    private static Tensor BesselOverX(Tensor x, Tensor y, bool scaled)
    {
        var small = x.Abs().Lt(x.Const(1.0 / 64));
        var s = x.Square();
        var series = ((s * x.Const(1.0 / 18432) + x.Const(1.0 / 384)) * s + x.Const(1.0 / 16)) * s + x.Const(0.5);
        if (scaled) series = series * x.Abs().Neg().Exp();
        var safeX = Where(small, x.Const(1), x);
        var safeY = scaled ? y : Where(y.Abs().Lt(x.Const(double.PositiveInfinity)), y, x.Const(0));
        return Where(small, series, safeY / safeX);
    }

    private static readonly Op I0Op = new UnaryOp("I0", Elementwise.Map<Formula<I0F>>,
        static (x, y) => x.I1(),
        onDevice: static (b, x) => b.Special("I0", x));
    /// <summary>The modified Bessel function of the first kind of order 0, I0(x) = Σ (x²/4)ᵏ/(k!)², elementwise,
    /// within 3 ulps (float64) and 3 ulps (float32) of the correctly rounded value.</summary>
    /// <remarks>Even, I0(0) = 1, I0(±inf) = +inf, NaN at NaN; it overflows to +inf past |x| ≈ 713.99 (float64) and
    /// 91.9 (float32), where e^|x| has long overflowed. Its derivative is I1(x).</remarks>
    /// <example><code>Tensor.Scalar(1.0).I0() // tensor(1.2661, dtype=float64)</code></example>
    [Peers("torch.special.i0", "jax.scipy.special.i0", "")]
    public Tensor I0() => Op.Apply(I0Op, this);

    private static readonly Op I0eOp = new UnaryOp("I0e", Elementwise.Map<Formula<I0eF>>,
        static (x, y) => x.I1e() - x.Sign() * y,
        onDevice: static (b, x) => b.Special("I0e", x));
    /// <summary>The exponentially scaled modified Bessel function of order 0, e^(−|x|)·I0(x), elementwise, finite for
    /// every x, within 4 ulps (float64) and 3 ulps (float32) of the correctly rounded value.</summary>
    /// <remarks>Even, 1 at 0, +0 at ±inf (it falls like 1/√(2π|x|)), NaN at NaN. Its derivative is
    /// I1e(x) − sign(x)·I0e(x); at 0, where I0e has a corner (slopes +1 and −1), it is 0, as PyTorch's.</remarks>
    /// <example><code>Tensor.Scalar(1.0).I0e() // tensor(0.4658, dtype=float64)</code></example>
    [Peers("torch.special.i0e", "jax.scipy.special.i0e", "", Notes = "derivative 0 at the corner x = 0")]
    public Tensor I0e() => Op.Apply(I0eOp, this);

    private static readonly Op I1Op = new UnaryOp("I1", Elementwise.Map<Formula<I1F>>,
        static (x, y) => x.I0() - BesselOverX(x, y, scaled: false),
        onDevice: static (b, x) => b.Special("I1", x));
    /// <summary>The modified Bessel function of the first kind of order 1, I1(x) = Σ (x/2)²ᵏ⁺¹/(k!(k + 1)!),
    /// elementwise, within 3 ulps (float64) and 3 ulps (float32) of the correctly rounded value.</summary>
    /// <remarks>Odd: I1(±0) = ±0, I1(±inf) = ±inf, NaN at NaN; it overflows to ±inf past |x| ≈ 713.99 (float64) and
    /// 91.9 (float32). Its derivative is I0(x) − I1(x)/x, ½ at 0 (I1(x)/x is taken from its series near 0), +inf where
    /// I0 has overflowed.</remarks>
    /// <example><code>Tensor.Scalar(1.0).I1() // tensor(0.5652, dtype=float64)</code></example>
    [Peers("torch.special.i1", "jax.scipy.special.i1", "")]
    public Tensor I1() => Op.Apply(I1Op, this);

    private static readonly Op I1eOp = new UnaryOp("I1e", Elementwise.Map<Formula<I1eF>>,
        static (x, y) => x.I0e() - x.Sign() * y - BesselOverX(x, y, scaled: true),
        onDevice: static (b, x) => b.Special("I1e", x));
    /// <summary>The exponentially scaled modified Bessel function of order 1, e^(−|x|)·I1(x), elementwise, finite for
    /// every x, within 3 ulps (float64) and 3 ulps (float32) of the correctly rounded value.</summary>
    /// <remarks>Odd: ±0 at ±0 and at ±inf, NaN at NaN. Its derivative is I0e(x) − I1e(x)·(sign(x) + 1/x), ½ at 0
    /// (I1e(x)/x is taken from its series near 0); its second derivative jumps at 0, as e^(−|x|) does.</remarks>
    /// <example><code>Tensor.Scalar(1.0).I1e() // tensor(0.2079, dtype=float64)</code></example>
    [Peers("torch.special.i1e", "jax.scipy.special.i1e", "")]
    public Tensor I1e() => Op.Apply(I1eOp, this);

    // The error functions' chain g·(e^a·c) from the exponent a: the exponential as Exp computes it, then one pass.
    private static Tensor Gaussian<C>(Tensor g, Tensor exponent, string name) where C : IChainConstant =>
        Elementwise.Zip<FormulaKernel<ScaledChainF<C>>>(g, Elementwise.Map<Formula<Kernels.Elementary.ExpF>>(exponent),
            name);

    private static readonly Op LgammaOp = new UnaryOp("Lgamma", Elementwise.Map<Formula<LgammaF>>,
        static (x, y) => x.Digamma(),
        onDevice: static (b, x) => b.Special("Lgamma", x));
    /// <summary>log |Γ(x)| elementwise: for x &gt; 0 within 4 ulps (float64) and 2 ulps (float32) of the correctly
    /// rounded value, also at its zeros 1 and 2; for x &lt; 0 within 3 ulps of max(|lgamma(x)|, 1).</summary>
    /// <remarks>lgamma is +inf at the non-positive integers (±0 included) and at ±inf, NaN at NaN; it overflows to
    /// +inf past x ≈ 2.55e305 (float64), 4.08e36 (float32). For x &lt; 0 it is log(π/|sin πx|) − lgamma(1 − x), which
    /// cancels near its negative zeros (two between −2 and −3, then one beside each negative integer on either
    /// side): the error there is absolute. Its derivative is <see cref="Digamma"/>.</remarks>
    /// <example><code>Tensor.Scalar(0.5).Lgamma() // tensor(0.5724, dtype=float64)</code></example>
    [Peers("torch.special.gammaln", "jax.scipy.special.gammaln", "dsharp.lgamma")]
    public Tensor Lgamma() => Op.Apply(LgammaOp, this);

    private static readonly Op DigammaOp = new UnaryOp("Digamma", Elementwise.Map<Formula<DigammaF>>,
        static (x, y) => x.Polygamma(1),
        onDevice: static (b, x) => b.Special("Digamma", x));
    /// <summary>ψ(x) = Γ'(x)/Γ(x) elementwise: for x &gt; 0 within 3 ulps (float64, float32) of the correctly rounded
    /// value, also at its zero x₀ ≈ 1.4616; for x &lt; 0 within 5 (float64) and 3 (float32) ulps of
    /// max(|ψ(x)|, 1).</summary>
    /// <remarks>As PyTorch: ψ(+0) = −inf, ψ(−0) = +inf, NaN at the negative integers and at −inf, +inf at +inf, NaN at
    /// NaN. For x &lt; 0 it is ψ(1 − x) − π·cot(πx), which cancels near its negative zeros (one between each pair of
    /// non-positive integers): the error there is absolute. Its derivative is
    /// <see cref="Polygamma(int)"/>(1).</remarks>
    /// <example><code>Tensor.Scalar(1.0).Digamma() // tensor(-0.5772, dtype=float64)</code></example>
    [Peers("torch.special.digamma", "jax.scipy.special.digamma", "")]
    public Tensor Digamma() => Op.Apply(DigammaOp, this);

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function, elementwise, for any n ≥ 0 (0 is
    /// <see cref="Digamma"/>): for x &gt; 0 within 4 ulps (float64, float32) of the correctly rounded value (n = 1, 2,
    /// 3, 6 measured).</summary>
    /// <remarks>It is (−1)ⁿ⁺¹n!·ζ(n + 1, x), the Hurwitz zeta function summed and completed by Euler–Maclaurin's
    /// series. For x &lt; 0 by reflection, ψ⁽ⁿ⁾(x) = (−1)ⁿψ⁽ⁿ⁾(1 − x) − πⁿ⁺¹Pₙ(cot πx) (Pₙ's terms all have one sign;
    /// for even n the two parts cancel near the function's negative zeros), within 4 (n = 1), 6 (n = 2, 3) and 9
    /// (n = 6) ulps in float64, 5, 7 and 8 in float32: the error grows slowly with n, as the powers (x + k)ⁿ⁺¹ and
    /// the polynomial of degree n + 1 round more. At the non-positive integers (±0 included) it is (−1)ⁿ⁺¹·inf, as
    /// PyTorch's zeta gives; NaN at −inf and NaN, ±0 at +inf. n! overflows past n = 170, and the values with it (±inf
    /// or NaN). Its derivative is Polygamma(n + 1). Throws <see cref="ArgumentOutOfRangeException"/> for
    /// n &lt; 0.</remarks>
    /// <example><code>Tensor.Scalar(1.0).Polygamma(1) // tensor(1.6449, dtype=float64)</code></example>
    [Peers("torch.special.polygamma", "jax.scipy.special.polygamma", "", Notes = "PyTorch's order: polygamma(n, x)")]
    public Tensor Polygamma(int n) => n switch
    {
        0 => Op.Apply(DigammaOp, this),
        > 0 => Op.Apply(PolygammaOp.For(n), this),
        _ => throw new ArgumentOutOfRangeException(nameof(n), n,
            $"Polygamma: the order n = {n} of the derivative of digamma is negative; pass n ≥ 0 (0 is Digamma)"),
    };

    /// <summary>ψ⁽ⁿ⁾(x) in PyTorch's argument order, <c>torch.special.polygamma(n, x)</c>: the same as
    /// <c>x.Polygamma(n)</c>.</summary>
    /// <example><code>Tensor.Polygamma(1, Tensor.Scalar(1.0)) // tensor(1.6449, dtype=float64)</code></example>
    public static Tensor Polygamma(int n, Tensor x) => Guard.NotNull(x).Polygamma(n);

    /// <summary>ψ⁽ⁿ⁾ for one n ≥ 1, made once per n: its kernel depends on n (the number of terms, the series'
    /// coefficients, the reflection's polynomial).</summary>
    private sealed class PolygammaOp : Op
    {
        private static readonly ConcurrentDictionary<int, PolygammaOp> Made = new();
        internal static PolygammaOp For(int n) => Made.GetOrAdd(n, static n => new PolygammaOp(n));

        private readonly int n;
        private readonly PolygammaKernel kernel;

        private PolygammaOp(int n)
        {
            this.n = n;
            kernel = PolygammaKernel.For(n);
        }

        public override string Name => "Polygamma";
        public override string ToString() => $"Polygamma[{n}]";
        internal override object Identity => ("Polygamma", n);
        public override bool ReadsValuesOnly => true;
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Polygamma(n, x[0]);

        public override Tensor Compute(Tensor[] x)
        {
            var t = x[0];
            var y = t.DType == DType.Float64 ? Compute<double>(t) : Compute<float>(t);
            GC.KeepAlive(t);
            return y;
        }

        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x.Count == 1) return PlainScalar(x.shape, One(x.Span<T>()[0], T.CreateTruncating(n)));
            var y = Storage.Uninitialized<T>(x.Count, out var lease);
            kernel.Run(x.Span<T>(), y);
            return Plain(x.shape, y, lease);
        }

        // One element, here and in compiled scalar code (n passed as a number of the element type): never inlined,
        // as Elementwise.Scalar is (and for its reason).
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static T One<T>(T x, T n) where T : unmanaged, IFloatingPointIeee754<T>
            => PolygammaKernel.For(int.CreateTruncating(n)).One(x);

        internal override ScalarForm? Scalar(Type t) =>
            new(typeof(PolygammaOp).GetMethod(nameof(One), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t), Number: n);

        internal override StepKernel? Kernel(StepTypes s) => !s.OneDType ? null
            : s.DType == DType.Float64 ? new Step<double>(s, kernel) : new Step<float>(s, kernel);

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g * x[0].Polygamma(n + 1)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]! * x[0].Polygamma(n + 1);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);

        /// <summary>The op as a compiled program's step: the calls Compute makes, on any range of the
        /// elements.</summary>
        private sealed class Step<T>(StepTypes s, PolygammaKernel kernel) : StepKernel
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            private readonly int x = s.Args[0], y = s.Result, count = s.Count;
            private readonly T n = T.CreateTruncating(kernel.N);
            internal override int Row => count == 1 ? 0 : 1;

            internal override void Run(Frame f, int lo, int hi)
            {
                if (count == 1) f.Array<T>(y)[0] = One(f.Array<T>(x)[0], n);
                else kernel.Run(f.In<T>(x, lo, hi), f.Out<T>(y, lo, hi));
            }
        }
    }

    private const double SqrtPiOverTwo = 0.88622692545275801365;
    private const double Sqrt2Pi = 2.5066282746310005024;

    private static readonly Op ErfinvOp = new UnaryOp("Erfinv", Elementwise.Map<Formula<ErfinvF>>,
        static (x, y) => y.Square().Exp() * SqrtPiOverTwo,
        onDevice: static (b, x) => b.Special("Erfinv", x));
    /// <summary>The inverse error function elementwise: erfinv(erf(y)) = y on (−1, 1), within 3 ulps (float64) and 3
    /// ulps (float32) of the correctly rounded value at every argument, accurate near ±1 too.</summary>
    /// <remarks>erfinv(±1) = ±inf, erfinv(±0) = ±0, NaN outside [−1, 1] and at NaN. Near ±1 the argument itself is the
    /// limit: the largest float64 below 1 is 1 − 2⁻⁵³, where erfinv ≈ 5.8636 (float32: 1 − 2⁻²⁴, ≈ 3.8716); for
    /// quantiles further out use <see cref="Ndtri"/> of the small tail probability (erfinv(1 − q) = −ndtri(q/2)/√2).
    /// Its derivative (√π/2)·e^(erfinv(x)²) is taken from the output, +inf at ±1.</remarks>
    /// <example><code>Tensor.Scalar(0.5).Erfinv() // tensor(0.4769, dtype=float64)</code></example>
    [Peers("torch.special.erfinv", "jax.scipy.special.erfinv", "")]
    public Tensor Erfinv() => Op.Apply(ErfinvOp, this);

    private static readonly Op NdtriOp = new UnaryOp("Ndtri", Elementwise.Map<Formula<NdtriF>>,
        static (x, y) => (y.Square() * 0.5).Exp() * Sqrt2Pi,
        onDevice: static (b, x) => b.Special("Ndtri", x));
    /// <summary>The inverse of the standard normal distribution function (the normal quantile) elementwise, within 4
    /// ulps (float64) and 4 ulps (float32) of the correctly rounded value, in both tails too.</summary>
    /// <remarks>ndtr(ndtri(p)) = p on (0, 1). The tails keep their accuracy: p down to the smallest subnormal, 5e-324,
    /// where ndtri ≈ −38.47, and 1 − p down to 2⁻⁵³. ndtri(0) = −inf, ndtri(1) = +inf, ndtri(½) = 0, NaN outside
    /// [0, 1] and at NaN. Its derivative √(2π)·e^(ndtri(p)²/2), one over the normal density at the quantile, is taken
    /// from the output, +inf at 0 and 1.</remarks>
    /// <example><code>Tensor.Scalar(0.975).Ndtri() // tensor(1.9600, dtype=float64)</code></example>
    [Peers("torch.special.ndtri", "jax.scipy.special.ndtri", "")]
    public Tensor Ndtri() => Op.Apply(NdtriOp, this);
}

internal abstract partial class Backend
{
    /// <summary>A special function of Ops/Special.cs by its op's name on the device, or null where the backend has
    /// none.</summary>
    internal virtual Tensor? Special(string name, Tensor x) => null;
}

internal abstract partial class Backend
{
    /// <summary>ψ⁽ⁿ⁾(x) for n ≥ 1 on the device (Ops/Special.cs's Polygamma), or null where the backend has
    /// none.</summary>
    internal virtual Tensor? Polygamma(int n, Tensor x) => null;
}
