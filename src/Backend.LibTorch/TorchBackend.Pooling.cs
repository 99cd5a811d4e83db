using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// Pooling on planes [P, D, H, W] (src/Core.CSharp/Ops/Pooling.cs): torch's 3-d poolings read them as an unbatched
// [C, D, H, W] input, whose indices are flat in each plane as FuncGrad's are. The adaptive average's adjoint is torch's
// own gradient of the adaptive average (its backward function takes an output buffer TorchSharp does not expose well).
internal sealed partial class TorchBackend
{
    internal override Tensor? PoolIndices(Tensor planes, PoolSpec spec)
    {
        if (planes.shape[0] == 0) return null;
        return One(planes, t =>
        {
            long[] size = [spec.D.Output, spec.H.Output, spec.W.Output];
            // TorchSharp 0.107's adaptive_max_pool3d_with_indices calls torch's 1-d function; adaptive max-pooling has
            // at most two axes, so its planes [P, 1, H, W] go to the 2-d one as [P, H, W], with the same indices
            if (spec.AdaptiveKind)
            {
                using var plane = t.reshape(t.shape[0], t.shape[2], t.shape[3]);
                var (v, at) = nn.functional.adaptive_max_pool2d_with_indices(plane, [size[1], size[2]]);
                v.Dispose();
                using (at) return at.reshape(t.shape[0], 1, size[1], size[2]);
            }
            var (values, indices) = nn.functional.max_pool3d_with_indices(t, Long(spec.Kernel), Long(spec.Stride),
                Long(spec.Padding), Long(spec.Dilation), spec.CeilMode);
            values.Dispose();
            return indices;
        });
    }

    internal override Tensor? AveragePool(Tensor planes, PoolSpec spec, bool adjoint)
    {
        if (planes.shape[0] == 0) return null;
        long? divisor = spec.Divisor > 0 ? spec.Divisor : null;
        if (!adjoint)
            return One(planes, t => spec.AdaptiveKind
                ? nn.functional.adaptive_avg_pool3d(t, [spec.D.Output, spec.H.Output, spec.W.Output])
                : nn.functional.avg_pool3d(t, Long(spec.Kernel), Long(spec.Stride), Long(spec.Padding),
                    spec.CeilMode, spec.CountIncludePad, divisor));
        if (spec.AdaptiveKind)
            return One(planes, g =>
            {
                using var grad = enable_grad();
                using var x = zeros([planes.shape[0], spec.D.Input, spec.H.Input, spec.W.Input], g.dtype, g.device)
                    .requires_grad_(true);
                using var y = nn.functional.adaptive_avg_pool3d(x, [spec.D.Output, spec.H.Output, spec.W.Output]);
                return autograd.grad([y], [x], [g])[0];
            });
        return One(planes, g =>
        {
            using var like = empty([planes.shape[0], spec.D.Input, spec.H.Input, spec.W.Input], g.dtype, g.device);
            return nn.functional.avg_pool3d_backward(g, like, Long(spec.Kernel), Long(spec.Stride), Long(spec.Padding),
                spec.CeilMode, spec.CountIncludePad, divisor);
        });
    }
}
