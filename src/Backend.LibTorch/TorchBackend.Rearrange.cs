namespace FuncGrad.LibTorch;

// The rearranging ops with a kernel of their own (src/Core.CSharp/Ops/Rearrange.cs); the others are compositions.
internal sealed partial class TorchBackend
{
    internal override Tensor? Rearrange(string name, Tensor x, int[] axes) => name switch
    {
        "Flip" => One(x, t => t.flip(Long(axes))),
        _ => null,
    };
}
