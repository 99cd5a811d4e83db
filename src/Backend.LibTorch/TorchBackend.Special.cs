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
        _ => null,
    };

    // TorchSharp 0.107 has no torch.special.log_ndtr: below −1, log Φ(x) = log erfcx(z) − z² − log 2 with z = −x/√2
    // (erfcx keeps the far tail); between −1 and 0, log Φ(x); above 0, log1p(−Φ(−x)). Numbers are held as Scalars
    // until the calls return (see Pow in TorchBackend.cs).
    private static torch.Tensor LogNdtr(torch.Tensor t)
    {
        using var c = (-0.70710678118654752440).ToScalar();
        using var ln2 = 0.69314718055994530942.ToScalar();
        using var minusOne = (-1.0).ToScalar();
        using var zero = 0.0.ToScalar();
        using var z = t.mul(c);
        using var erfcx = special.erfcx(z);
        using var logErfcx = erfcx.log();
        using var z2 = z.square();
        using var left0 = logErfcx.sub(z2);
        using var left = left0.sub(ln2);
        using var nd = special.ndtr(t);
        using var mid = nd.log();
        using var negT = t.neg();
        using var q = special.ndtr(negT);
        using var negQ = q.neg();
        using var right = negQ.log1p();
        using var isLeft = t.lt(minusOne);
        using var isRight = t.gt(zero);
        using var notLeft = torch.where(isRight, right, mid);
        return torch.where(isLeft, left, notLeft);
    }
}
