using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Linalg.Diagonal and Linalg.DiagEmbed on LibTorch. The transpose of Diagonal on a rectangular plane is not a
// diag_embed (whose planes are square), so that case writes into zeros with diagonal_scatter.
internal sealed partial class TorchBackend
{
    internal override Tensor? Diagonal(Tensor x, int offset, int d1, int d2) =>
        One(x, t => t.diagonal(offset, d1, d2).contiguous());

    internal override Tensor? DiagEmbed(Tensor x, int offset, int d1, int d2, int[] to) => One(x, t =>
    {
        int n = (int)t.shape[^1] + Math.Abs(offset);
        if (to[d1] == n && to[d2] == n) return t.diag_embed(offset, d1, d2);
        using var zeros = torch.zeros(Long(to), t.dtype, t.device);
        return torch.diagonal_scatter(zeros, t, offset, d1, d2);
    });
}
