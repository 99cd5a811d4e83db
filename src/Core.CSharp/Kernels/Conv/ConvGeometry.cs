namespace FuncGrad.Kernels;

/// <summary>
/// Where a convolution's windows lie, per spatial axis: an image of <see cref="Image"/> elements is read by a grid of
/// <see cref="Grid"/> windows, window o's tap k reading image element o·stride + k·dilation − pad (zero outside the
/// image). The convolution maps image to grid, its transpose grid to image, and its weight gradient pairs the two:
/// three ops over one geometry, each other's adjoints, so their rules never leave the family.
/// </summary>
/// <remarks>Sizes are explicit on both sides, so padding after the last window (PyTorch's "same" with an even kernel,
/// output padding, the rounding of strided sizes) needs no number of its own: taps past the image read zero.</remarks>
internal sealed class ConvGeometry
{
    internal ConvGeometry(int[] image, int[] grid, int[] kernel, int[] stride, int[] pad, int[] dilation)
    {
        (Image, Grid, Kernel, Stride, Pad, Dilation) = (image, grid, kernel, stride, pad, dilation);
        Key = string.Join(";", new[] { image, grid, kernel, stride, pad, dilation }.Select(a => string.Join(",", a)));
    }

    internal int[] Image { get; }
    internal int[] Grid { get; }
    internal int[] Kernel { get; }
    internal int[] Stride { get; }
    internal int[] Pad { get; }
    internal int[] Dilation { get; }

    /// <summary>The geometry as a string that is equal exactly when the geometries are: an op's identity.</summary>
    internal string Key { get; }

    /// <summary>The number of spatial axes (1 to 3).</summary>
    internal int Axes => Image.Length;

    internal int ImageCount => Product(Image);
    internal int GridCount => Product(Grid);
    internal int KernelCount => Product(Kernel);

    private static int Product(int[] a)
    {
        int p = 1;
        foreach (var e in a) p *= e;
        return p;
    }

    /// <summary>Axis <paramref name="i"/> of three, counted from the innermost (W): missing leading axes are one
    /// element, one tap, stride one, no padding.</summary>
    internal Axis3 this[int i]
    {
        get
        {
            int j = i - (3 - Axes);
            return j < 0
                ? new Axis3(1, 1, 1, 1, 0, 1)
                : new Axis3(Image[j], Grid[j], Kernel[j], Stride[j], Pad[j], Dilation[j]);
        }
    }

    internal readonly record struct Axis3(int Image, int Grid, int Kernel, int Stride, int Pad, int Dilation);
}
