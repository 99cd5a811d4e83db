using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// The special functions of Ops/Special.cs on LibTorch (torch.special).
internal sealed partial class TorchBackend
{
    internal override Tensor? Special(string name, Tensor x) => name switch
    {
        "Erf" => Map(x, t => special.erf(t)),
        "Erfc" => Map(x, t => special.erfc(t)),
        "Ndtr" => Map(x, t => special.ndtr(t)),
        "LogNdtr" => Map(x, LogNdtr),
        "I0" => Map(x, t => special.i0(t)),
        "I0e" => Map(x, t => special.i0e(t)),
        "I1" => Map(x, t => special.i1(t)),
        "I1e" => Map(x, t => special.i1e(t)),
        "Lgamma" => Map(x, t => special.gammaln(t)),
        "Digamma" => Map(x, t => special.digamma(t)),
        "Erfinv" => Map(x, t => special.erfinv(t)),
        "Ndtri" => Map(x, t => special.ndtri(t)),
        _ => null,
    };

    internal override Tensor? Polygamma(int n, Tensor x) => Map(x, t => special.polygamma(n, t));

    // TorchSharp 0.107 has no torch.special.log_ndtr: at and below 0, log Φ(x) = log erfc(−x/√2) − log 2 (−inf once
    // erfc underflows, below x ≈ −38.5 in float64, where the managed kernel stays finite); above 0, log1p(−Φ(−x)).
    // Φ is taken from erfc, which keeps its relative accuracy in the tail in float32 too. Numbers are held as Scalars
    // until the calls return (see Pow in TorchBackend.cs).
    private static torch.Tensor LogNdtr(torch.Tensor t)
    {
        using var zero = 0.0.ToScalar();
        using var c = 0.70710678118654752440.ToScalar();
        using var ln2 = 0.69314718055994530942.ToScalar();
        using var half = (-0.5).ToScalar();
        using var z = t.mul(c);
        using var negZ = z.neg();
        using var below = special.erfc(negZ);
        using var logBelow = below.log();
        using var left = logBelow.sub(ln2);
        using var above = special.erfc(z);
        using var negQ = above.mul(half);
        using var right = negQ.log1p();
        using var isRight = t.gt(zero);
        return torch.where(isRight, right, left);
    }
}
