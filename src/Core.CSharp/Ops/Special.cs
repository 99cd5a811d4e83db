using FuncGrad.Kernels.Special;

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
