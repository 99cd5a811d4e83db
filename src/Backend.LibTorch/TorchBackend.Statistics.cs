using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// Products and variances on LibTorch. torch's prod takes one dim, so several are reduced one at a time from the last;
// its var takes a dim list and the correction as unbiased (1) or not (0), so other corrections rescale the
// population variance by n / (n − correction). No axes reduces nothing, as in the managed kernels.
internal sealed partial class TorchBackend
{
    internal override Tensor? Product(string name, Tensor x, int[] axes, bool keepDims) => One(x, t =>
    {
        var r = t.alias();
        for (int i = axes.Length - 1; i >= 0; i--)
        {
            var next = r.prod(axes[i], keepdim: keepDims);
            r.Dispose();
            r = next;
        }
        return r;
    });

    internal override Tensor? Statistics(string name, Tensor x, int[] axes, double correction, bool keepDims)
    {
        if (name != "Var") return null;
        long n = 1;
        foreach (var a in axes) n *= x.shape[a];
        return One(x, t =>
        {
            if (axes.Length == 0) return (t - t).div(Math.Max(0, 1 - correction)); // a line of one: 0/(1 − c)
            if (correction is 0 or 1) return t.var(Long(axes), correction == 1, keepDims);
            using var population = t.var(Long(axes), false, keepDims);
            return population.mul(n / Math.Max(0, n - correction));
        });
    }
}
