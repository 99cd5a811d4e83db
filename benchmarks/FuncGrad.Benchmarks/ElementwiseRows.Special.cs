using static TorchSharp.torch;

namespace FuncGrad.Benchmarks;

// S20 rows for the special functions (Ops/Special.cs) against torch.special.
public static partial class ElementwiseRows
{
    /// <summary>Erf, Erfc, Ndtr, LogNdtr, Erfinv, Ndtri.</summary>
    public static IEnumerable<ElementwiseRow> Special() =>
    [
        new("erf", -4, 4, x => x.Erf(), x => special.erf(x)),
        new("erfc", -4, 10, x => x.Erfc(), x => special.erfc(x)),
        new("ndtr", -10, 10, x => x.Ndtr(), x => special.ndtr(x)),
        // TorchSharp 0.107 has no special.log_ndtr: the twin is log(ndtr(x)), one op more on its side
        new("logNdtr", -10, 10, x => x.LogNdtr(), x => special.ndtr(x).log()),
        new("erfinv", -0.999, 0.999, x => x.Erfinv(), x => special.erfinv(x)),
        new("ndtri", 0.001, 0.999, x => x.Ndtri(), x => special.ndtri(x)),
    ];

    /// <summary>I0, I0e, I1, I1e over both branches of each kernel (the series below 12, the asymptotic form
    /// above).</summary>
    public static IEnumerable<ElementwiseRow> Bessel() =>
    [
        new("i0", -20, 20, x => x.I0(), x => special.i0(x)),
        new("i0e", -20, 20, x => x.I0e(), x => special.i0e(x)),
        new("i1", -20, 20, x => x.I1(), x => special.i1(x)),
        new("i1e", -20, 20, x => x.I1e(), x => special.i1e(x)),
    ];

    /// <summary>Lgamma, Digamma, Polygamma(1) and (3), on positive arguments (the reflection is a second evaluation
    /// and a sine on top).</summary>
    public static IEnumerable<ElementwiseRow> Gamma() =>
    [
        new("lgamma", 0.1, 20, x => x.Lgamma(), x => special.gammaln(x)),
        new("digamma", 0.1, 20, x => x.Digamma(), x => special.digamma(x)),
        new("polygamma1", 0.1, 20, x => x.Polygamma(1), x => special.polygamma(1, x)),
        new("polygamma3", 0.1, 20, x => x.Polygamma(3), x => special.polygamma(3, x)),
    ];
}
