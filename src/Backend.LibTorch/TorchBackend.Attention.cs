using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Attention on LibTorch: torch.nn.functional.scaled_dot_product_attention for O (its default scale 1/√E, so the query
// is rescaled by scale·√E for another), and the log-sum-exp the backward needs from the scores themselves, which
// LibTorch's public API does not return; rows whose keys are all masked are set to FuncGrad's convention, O = 0.
internal sealed partial class TorchBackend
{
    internal override Tensor? Attention(Tensor q, Tensor k, Tensor v, Tensor? bias, bool causal, double scale)
    {
        var d = bias is null ? DeviceOf(q, k, v) : DeviceOf(q, k, v, bias);
        int l = q.shape[1], e = q.shape[2], s = k.shape[1], ev = v.shape[2];
        using var tq = Read(q, d);
        using var tk = Read(k, d);
        using var tv = Read(v, d);
        using var tb = Read(bias ?? q.Const(0), d);
        using var triangle = causal ? ones([l, s], ScalarType.Bool, tq.T.device).tril() : null;
        using var causalMask = triangle is null ? null
            : zeros([l, s], tq.T.dtype, tq.T.device).masked_fill_(triangle.logical_not(), double.NegativeInfinity);
        var mask = bias is null ? causalMask : tb.T;
        using var qs = tq.T * (scale * Math.Sqrt(e));
        using var o = nn.functional.scaled_dot_product_attention(qs, tk.T, tv.T, mask, 0.0, false);
        using var kt = tk.T.transpose(-2, -1);
        using var product = tq.T.matmul(kt);
        using var scores = mask is null ? product.mul(scale) : product.mul(scale).add_(mask);
        using var lse = scores.logsumexp(-1, keepdim: true);
        using var empty = lse.isneginf();
        using var zeroed = o.masked_fill(empty, 0.0);
        return Wrap(cat([zeroed, lse], -1), d, [q.shape[0], l, ev + 1], q.DType);
    }
}
