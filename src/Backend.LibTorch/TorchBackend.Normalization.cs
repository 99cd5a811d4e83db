using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// The normalisation kernel of src/Core.CSharp/Ops/Normalization.cs (rows of n trailing elements normalised, without
// weight or bias): layer_norm over the rows where centred; the RMS form as x·rsqrt(mean(x²) + ε), TorchSharp 0.107
// having no rms_norm. The backward op is composed of ops in the core, so it needs nothing here.
internal sealed partial class TorchBackend
{
    internal override Tensor? Normalization(Tensor x, int n, bool centre, double eps) => Map(x, t =>
    {
        using var rows = t.reshape(-1, n);
        if (centre)
        {
            using var y = nn.functional.layer_norm(rows, [n], eps: eps);
            return y.reshape(t.shape);
        }
        using var square = rows.square();
        using var mean = square.mean([1L], keepdim: true);
        using var shifted = mean.add(eps);
        using var r = shifted.rsqrt();
        using var z = rows.mul(r);
        return z.reshape(t.shape);
    });
}
