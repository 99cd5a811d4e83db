using FuncGrad.Kernels;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Unfold and fold (im2col and col2im) on LibTorch: torch.nn.functional.unfold and fold, which take the window's
// kernel, dilation, padding and stride per axis as FuncGrad's Window2d holds them.
internal sealed partial class TorchBackend
{
    internal override Tensor? Unfold(Tensor x, Window2d g) => One(x, t =>
        nn.functional.unfold(t, (g.KH, g.KW), (g.DH, g.DW), (g.PH, g.PW), (g.SH, g.SW)));

    internal override Tensor? Fold(Tensor x, Window2d g) => One(x, t =>
        nn.functional.fold(t, (g.H, g.W), (g.KH, g.KW), (g.DH, g.DW), (g.PH, g.PW), (g.SH, g.SW)));
}
