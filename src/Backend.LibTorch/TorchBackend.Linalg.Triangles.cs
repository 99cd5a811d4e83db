using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Linalg.Tril and Linalg.Triu on LibTorch.
internal sealed partial class TorchBackend
{
    internal override Tensor? Triangle(Tensor x, bool upper, int k) =>
        Map(x, t => upper ? t.triu(k) : t.tril(k));
}
