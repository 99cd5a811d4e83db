using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>
/// A depthwise convolution (one input channel per group): each output plane is a sum of the kernel's taps, each a
/// shifted input plane times one weight. As a matrix product it would be a product with one row per image and group,
/// all packing and no arithmetic; here every tap is one multiply-add pass over a line of the output.
/// </summary>
/// <remarks>Output planes are split over <see cref="Workers"/>; each element sums its taps in order (depth, height,
/// width) from zero, a multiply then an add (never fused, so every instruction set gives the same bits), so the bits
/// do not depend on the number of threads either.</remarks>
internal static class Depthwise
{
    private const long ParallelWork = 1L << 18;

    /// <summary>
    /// y [n, cGrid, grid] = the convolution of x [n, cImage, image] with w [cGrid, 1, kernel] in cImage groups.
    /// </summary>
    internal static void Forward<T>(T[] x, T[] w, T[] y, int n, int cImage, int cGrid, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = n * cGrid, P = g.GridCount;
        long work = (long)planes * P * g.KernelCount;
        int parts = work < ParallelWork || Environment.ProcessorCount == 1
            ? 1
            : Math.Min(planes, Environment.ProcessorCount * 3);
        Workers.For(parts, part =>
        {
            int first = (int)((long)planes * part / parts), last = (int)((long)planes * (part + 1) / parts);
            for (int plane = first; plane < last; plane++)
            {
                int b = plane / cGrid, o = plane % cGrid, c = o / (cGrid / cImage);
                Plane(x, (b * cImage + c) * g.ImageCount, w, o * g.KernelCount, y.AsSpan(plane * P, P), g);
            }
        });
    }

    // One output plane: every tap in order, added into each output line it reaches.
    private static void Plane<T>(T[] x, int at, T[] w, int wAt, Span<T> y, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (d, h, wd) = (g[0], g[1], g[2]);
        y.Clear();
        int tap = wAt;
        for (int kd = 0; kd < d.Kernel; kd++)
            for (int kh = 0; kh < h.Kernel; kh++)
                for (int kw = 0; kw < wd.Kernel; kw++, tap++)
                {
                    T weight = w[tap];
                    int first = kw * wd.Dilation - wd.Pad;
                    // The windows whose tap lies inside the line: j in [lo, hi).
                    int lo = first >= 0 ? 0 : (-first + wd.Stride - 1) / wd.Stride;
                    int hi = first >= wd.Image ? 0 : Math.Min(wd.Grid, (wd.Image - 1 - first) / wd.Stride + 1);
                    if (hi <= lo) continue;
                    for (int od = 0; od < d.Grid; od++)
                    {
                        int id = od * d.Stride + kd * d.Dilation - d.Pad;
                        if ((uint)id >= (uint)d.Image) continue;
                        for (int oh = 0; oh < h.Grid; oh++)
                        {
                            int ih = oh * h.Stride + kh * h.Dilation - h.Pad;
                            if ((uint)ih >= (uint)h.Image) continue;
                            var line = y.Slice((od * h.Grid + oh) * wd.Grid + lo, hi - lo);
                            int src = at + (id * h.Image + ih) * wd.Image + first + lo * wd.Stride;
                            if (wd.Stride == 1)
                                TensorPrimitives.MultiplyAdd(x.AsSpan(src, hi - lo), weight, line, line);
                            else
                                for (int j = 0; j < line.Length; j++)
                                    line[j] = x[src + j * wd.Stride] * weight + line[j];
                        }
                    }
                }
    }
}
