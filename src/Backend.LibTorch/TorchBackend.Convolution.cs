using FuncGrad.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// Convolutions (src/Core.CSharp/Ops/Convolution.cs) on LibTorch: conv2d and conv3d with no padding of their own, the
// input padded (or cropped: negative padding) first, since FuncGrad's geometry may pad one side more than the other.
// A 1-D convolution runs as a 2-D one over a height of one.
internal sealed partial class TorchBackend
{
    internal override Tensor? Convolution(Tensor.ConvRole role, Tensor a, Tensor b, ConvGeometry g, int groups)
    {
        var d = DeviceOf(a, b);
        using var x = Read(a, d);
        using var y = Read(b, d);
        bool lift = g.Axes == 1;
        long[] Axes(int[] v, int fill) => lift ? [fill, v[0]] : Array.ConvertAll(v, e => (long)e);
        var (image, grid, kernel) = (Axes(g.Image, 1), Axes(g.Grid, 1), Axes(g.Kernel, 1));
        var (stride, pad, dilation) = (Axes(g.Stride, 1), Axes(g.Pad, 0), Axes(g.Dilation, 1));
        using var p = lift ? x.T.unsqueeze(2) : x.T.alias();
        using var q = lift ? y.T.unsqueeze(2) : y.T.alias();
        var r = role switch
        {
            Tensor.ConvRole.Forward => Forward(p, q, image, grid, kernel, stride, pad, dilation, groups),
            Tensor.ConvRole.Transposed => Transposed(p, q, image, grid, kernel, stride, pad, dilation, groups),
            _ => WeightGrad(p, q, image, grid, kernel, stride, pad, dilation, groups),
        };
        if (!lift) return Wrap(r, d);
        using (r) return Wrap(r.squeeze(2), d);
    }

    // The padding before and after each axis that makes `taps` windows, `step` apart, of `span` elements each fit
    // exactly, last axis first as torch's pad reads it (after may be negative: a crop).
    private static long[] Padding(long[] size, long[] windows, long[] step, long[] span, long[] before)
    {
        int n = size.Length;
        var r = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            r[2 * (n - 1 - i)] = before[i];
            r[2 * (n - 1 - i) + 1] = (windows[i] - 1) * step[i] + span[i] - size[i] - before[i];
        }
        return r;
    }

    private static TT Convolve(TT x, TT w, long[] stride, long[] dilation, int groups) =>
        x.dim() == 4
            ? nn.functional.conv2d(x, w, null, stride, [0, 0], dilation, groups)
            : nn.functional.conv3d(x, w, null, stride, [0, 0, 0], dilation, groups);

    private static TT Forward(TT x, TT w, long[] image, long[] grid, long[] kernel, long[] stride, long[] pad,
        long[] dilation, int groups)
    {
        var span = kernel.Select((k, i) => dilation[i] * (k - 1) + 1).ToArray();
        using var padded = nn.functional.pad(x, Padding(image, grid, stride, span, pad));
        return Convolve(padded, w, stride, dilation, groups);
    }

    // The full transposed convolution, then the image's elements of it: element i of the image is element i + pad.
    private static TT Transposed(TT z, TT w, long[] image, long[] grid, long[] kernel, long[] stride, long[] pad,
        long[] dilation, int groups)
    {
        int n = image.Length;
        var zeros = new long[n];
        using var full = n == 2
            ? nn.functional.conv_transpose2d(z, w, null, stride, zeros, zeros, dilation, groups)
            : nn.functional.conv_transpose3d(z, w, null, stride, zeros, zeros, dilation, groups);
        var crop = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            long size = (grid[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1;
            crop[2 * (n - 1 - i)] = -pad[i];
            crop[2 * (n - 1 - i) + 1] = image[i] + pad[i] - size;
        }
        return nn.functional.pad(full, crop);
    }

    // gw[co, ci, k] = Σ_(n, o) x[n, ci, k·d + o·s − pad] · gy[n, co, o]: a convolution of the input, its images made
    // channels (per group), with the cotangent as the weight, the roles of stride and dilation exchanged.
    private static TT WeightGrad(TT x, TT gy, long[] image, long[] grid, long[] kernel, long[] stride, long[] pad,
        long[] dilation, int groups)
    {
        long n = x.shape[0], c = x.shape[1];
        var spatial = x.shape[2..];
        using var split = x.reshape([n, groups, c / groups, .. spatial]);
        using var swapped = split.permute([2, 1, 0, .. Enumerable.Range(3, spatial.Length).Select(i => (long)i)]);
        using var images = swapped.reshape([c / groups, groups * n, .. spatial]);
        using var weight = gy.transpose(0, 1);
        var span = grid.Select((o, i) => stride[i] * (o - 1) + 1).ToArray();
        using var padded = nn.functional.pad(images, Padding(image, kernel, dilation, span, pad));
        using var r = Convolve(padded, weight, dilation, stride, groups);
        return r.transpose(0, 1).contiguous();
    }
}
