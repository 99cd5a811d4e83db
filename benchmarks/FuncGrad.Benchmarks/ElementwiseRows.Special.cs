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
}
