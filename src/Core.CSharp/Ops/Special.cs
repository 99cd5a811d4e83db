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
        onDevice: static (b, x) => b.Special("Erf", x));
    /// <summary>The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt elementwise, within 2 ulps (float64) and 3 ulps
    /// (float32) of the correctly rounded value.</summary>
    /// <remarks>erf(±0) = ±0, erf(±inf) = ±1, erf(NaN) = NaN. Its derivative is (2/√π)·e^(−x²).</remarks>
    /// <example><code>Tensor.Scalar(0.5).Erf() // tensor(0.5205, dtype=float64)</code></example>
    [Peers("torch.special.erf", "jax.scipy.special.erf", "dsharp.erf")]
    public Tensor Erf() => Op.Apply(ErfOp, this);

    private static readonly Op ErfcOp = new UnaryOp("Erfc", Elementwise.Map<Formula<ErfcF>>,
        static (x, y) => x.Square().Neg().Exp() * -TwoOverSqrtPi,
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
        onDevice: static (b, x) => b.Special("LogNdtr", x));
    /// <summary>log Φ(x), the logarithm of the standard normal distribution function, elementwise, accurate far in the
    /// left tail (about −x²/2 there), within 5 ulps (float64) and 6 ulps (float32) of the rounded value.</summary>
    /// <remarks>log_ndtr(−inf) = −inf, log_ndtr(+inf) = 0, NaN at NaN; finite for every finite x until −x²/2
    /// overflows. Its derivative φ(x)/Φ(x) = e^(−x²/2 − log Φ(x))/√(2π) is taken from the output, so it stays finite
    /// (about −x) in the left tail.</remarks>
    /// <example><code>Tensor.Scalar(0.0).LogNdtr() // tensor(-0.6931, dtype=float64)</code></example>
    [Peers("torch.special.log_ndtr", "jax.scipy.special.log_ndtr", "")]
    public Tensor LogNdtr() => Op.Apply(LogNdtrOp, this);

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
