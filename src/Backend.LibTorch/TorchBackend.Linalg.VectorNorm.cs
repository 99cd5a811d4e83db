using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Linalg.VectorNorm on LibTorch. No axes reduces nothing in FuncGrad (as Sum over no axes does) where torch reads an
// empty dim as every axis, so that case is the elementwise norm: |x|, or x ≠ 0 for ord 0.
internal sealed partial class TorchBackend
{
    internal override Tensor? VectorNorm(Tensor x, double p, int[] axes, bool keepDims) => One(x, t =>
    {
        if (axes.Length > 0) return torch.linalg.vector_norm(t, p, Long(axes), keepDims);
        if (p != 0) return t.abs();
        using var nonzero = t.ne(0);
        return nonzero.to_type(t.dtype);
    });
}
