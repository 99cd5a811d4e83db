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
        _ => null,
    };
}
