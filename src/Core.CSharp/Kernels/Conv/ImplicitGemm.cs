using System.Buffers;
using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// Convolutions as matrix products over tiles of patches: the convolution, its transpose and its weight gradient on
/// [N, C, spatial…] arrays, channels split into groups.
/// </summary>
/// <remarks>
/// <para>
/// For one image and one group, a convolution is W (C_grid × C·K) times the patch matrix (C·K × P), whose column p
/// holds the image elements under window p, K taps per channel. That matrix is K times the image, so it never
/// exists whole: a tile of columns (<see cref="TileColumns"/>, about 2¹⁷ elements, L2-sized) is packed at a time
/// into a pooled buffer and multiplied by the <see cref="Gemm"/> micro-kernel, which reads it in place (row-major,
/// at most 256 rows of C). The transpose multiplies Wᵀ by a tile of the grid and adds the columns back into the
/// image; the weight gradient multiplies a tile of the grid's cotangent by the tile's transpose and sums the tiles.
/// </para>
/// <para>
/// Work is split over <see cref="Workers"/> into parts that own disjoint outputs: (image, group, tile) for the
/// convolution, (image, group) for the transpose (its tiles overlap in the image), (group, channel range) for the
/// weight gradient. Every element is summed in one order: taps within a tile in the micro-kernel's k order, tiles
/// and images in increasing order. Tiles are sized from the shapes alone, so the bits do not depend on the number of
/// threads.
/// </para>
/// </remarks>
internal static class ImplicitGemm
{
    private const int TileElements = 1 << 17;
    private const long ParallelWork = 1L << 20;
    private const int PartsPerCore = 3;

    /// <summary>The columns of one tile of the patch matrix with <paramref name="rows"/> rows: about 2¹⁷ elements,
    /// at least 64 columns, at most <paramref name="columns"/>.</summary>
    internal static int TileColumns(int rows, int columns) =>
        Math.Min(columns, Math.Max(64, TileElements / Math.Max(rows, 1)));

    /// <summary>
    /// y [n, cGrid, grid] = the convolution of x [n, cImage, image] with w [cGrid, cImage / groups, kernel].
    /// </summary>
    internal static void Forward<T>(T[] x, T[] w, T[] y, int n, int cImage, int cGrid, int groups, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ci = cImage / groups, co = cGrid / groups, K = g.KernelCount, P = g.GridCount, I = g.ImageCount;
        int rows = ci * K, tile = TileColumns(rows, P), tiles = (P + tile - 1) / tile;
        int jobs = n * groups * tiles;
        int parts = Parts(jobs, (long)n * cGrid * rows * P);
        Workers.For(parts, part =>
        {
            var col = ArrayPool<T>.Shared.Rent(rows * tile);
            var c = ArrayPool<T>.Shared.Rent(co * tile);
            try
            {
                for (int job = Lo(jobs, parts, part); job < Lo(jobs, parts, part + 1); job++)
                {
                    int t = job % tiles, gi = job / tiles % groups, b = job / tiles / groups;
                    int p0 = t * tile, pt = Math.Min(tile, P - p0);
                    Patches(x, (b * cImage + gi * ci) * I, g, ci, p0, pt, col, add: false);
                    Gemm.Strided(Simd.ForGemm, w, gi * co * rows, rows, 1, col, 0, pt, 1, c, 0, co, rows, pt, false);
                    for (int o = 0; o < co; o++)
                        c.AsSpan(o * pt, pt).CopyTo(y.AsSpan((b * cGrid + gi * co + o) * P + p0, pt));
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
                ArrayPool<T>.Shared.Return(c);
            }
        });
    }

    /// <summary>
    /// x [n, cImage, image] = the transposed convolution of z [n, cGrid, grid] with w [cGrid, cImage / groups,
    /// kernel]: the adjoint of <see cref="Forward{T}"/> in its image argument.
    /// </summary>
    internal static void Transposed<T>(T[] z, T[] w, T[] x, int n, int cImage, int cGrid, int groups, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ci = cImage / groups, co = cGrid / groups, K = g.KernelCount, P = g.GridCount, I = g.ImageCount;
        int rows = ci * K, tile = TileColumns(rows, P), jobs = n * groups;
        long work = (long)n * cGrid * rows * P;
        int parts = Parts(jobs, work);
        // One image and group alone: its products take the cores instead.
        bool inner = parts == 1 && work >= ParallelWork;
        Workers.For(parts, part =>
        {
            var col = ArrayPool<T>.Shared.Rent(rows * tile);
            try
            {
                for (int job = Lo(jobs, parts, part); job < Lo(jobs, parts, part + 1); job++)
                {
                    int gi = job % groups, b = job / groups, at = (b * cImage + gi * ci) * I;
                    x.AsSpan(at, ci * I).Clear();
                    for (int p0 = 0; p0 < P; p0 += tile)
                    {
                        int pt = Math.Min(tile, P - p0);
                        Gemm.Strided(Simd.ForGemm, w, gi * co * rows, 1, rows, z, (b * cGrid + gi * co) * P + p0, P, 1,
                            col, 0, rows, co, pt, inner);
                        Patches(x, at, g, ci, p0, pt, col, add: true);
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(col); }
        });
    }

    /// <summary>
    /// gw [cGrid, cImage / groups, kernel] = Σ over images and windows of gy [n, cGrid, grid] times the patches of
    /// x [n, cImage, image]: the derivative of <see cref="Forward{T}"/> in its weight, paired with gy.
    /// </summary>
    internal static void WeightGrad<T>(T[] x, T[] gy, T[] gw, int n, int cImage, int cGrid, int groups,
        ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ci = cImage / groups, co = cGrid / groups, K = g.KernelCount, P = g.GridCount, I = g.ImageCount;
        int rows = ci * K, tile = TileColumns(rows, P);
        long work = (long)n * cGrid * rows * P;
        // Parts own ranges of input channels of a group: columns of the weight's rows.
        int split = work < ParallelWork
            ? 1
            : Math.Min(ci, Math.Max(1, Environment.ProcessorCount * PartsPerCore / groups));
        int jobs = groups * split, parts = Parts(jobs, work);
        Workers.For(parts, part =>
        {
            var col = ArrayPool<T>.Shared.Rent(rows * tile);
            var c = ArrayPool<T>.Shared.Rent(co * rows);
            var sum = ArrayPool<T>.Shared.Rent(co * rows);
            try
            {
                for (int job = Lo(jobs, parts, part); job < Lo(jobs, parts, part + 1); job++)
                {
                    int gi = job / split, s = job % split, c0 = Lo(ci, split, s), c1 = Lo(ci, split, s + 1);
                    int width = (c1 - c0) * K;
                    if (width == 0) continue;
                    var acc = sum.AsSpan(0, co * width);
                    acc.Clear();
                    for (int b = 0; b < n; b++)
                        for (int p0 = 0; p0 < P; p0 += tile)
                        {
                            int pt = Math.Min(tile, P - p0);
                            Patches(x, (b * cImage + gi * ci + c0) * I, g, c1 - c0, p0, pt, col, add: false);
                            Gemm.Strided(Simd.ForGemm, gy, (b * cGrid + gi * co) * P + p0, P, 1, col, 0, 1, pt,
                                c, 0, co, pt, width, false);
                            for (int i = 0; i < acc.Length; i++) acc[i] += c[i];
                        }
                    for (int o = 0; o < co; o++)
                        acc.Slice(o * width, width).CopyTo(gw.AsSpan((gi * co + o) * rows + c0 * K, width));
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
                ArrayPool<T>.Shared.Return(c);
                ArrayPool<T>.Shared.Return(sum);
            }
        });
    }

    /// <summary>
    /// Columns [p0, p0 + count) of the patch matrix of <paramref name="channels"/> channels of one image starting at
    /// <paramref name="image"/>: row (c, tap) holds, for each window, the image element under that tap (zero
    /// outside). Packed into <paramref name="col"/> (rows of <paramref name="count"/>), or, with
    /// <paramref name="add"/>, the other way: col's elements added into the image elements they came from.
    /// </summary>
    internal static void Patches<T>(T[] image, int at, ConvGeometry g, int channels, int p0, int count, T[] col,
        bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (d, h, w) = (g[0], g[1], g[2]);
        int plane = h.Grid * w.Grid, I = d.Image * h.Image * w.Image;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            int src = at + c * I;
            for (int kd = 0; kd < d.Kernel; kd++)
                for (int kh = 0; kh < h.Kernel; kh++)
                    for (int kw = 0; kw < w.Kernel; kw++, row++)
                    {
                        var dst = col.AsSpan(row * count, count);
                        int dOff = kd * d.Dilation - d.Pad, hOff = kh * h.Dilation - h.Pad;
                        int wOff = kw * w.Dilation - w.Pad;
                        for (int p = p0; p < p0 + count;)
                        {
                            int od = p / plane, rem = p - od * plane, oh = rem / w.Grid, ow = rem - oh * w.Grid;
                            int len = Math.Min(w.Grid - ow, p0 + count - p);
                            var seg = dst.Slice(p - p0, len);
                            int id = od * d.Stride + dOff, ih = oh * h.Stride + hOff;
                            if ((uint)id < (uint)d.Image && (uint)ih < (uint)h.Image)
                                Row(image, src + (id * h.Image + ih) * w.Image, w.Image, ow * w.Stride + wOff,
                                    w.Stride, seg, add);
                            else if (!add)
                                seg.Clear();
                            p += len;
                        }
                    }
        }
    }

    // One run of windows along the innermost axis: seg[j] ↔ line[first + j·stride], zero (or nothing added) where
    // that lies outside the line of the given length.
    private static void Row<T>(T[] image, int line, int length, int first, int stride, Span<T> seg, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The windows whose tap lies inside: j in [lo, hi).
        int lo = first >= 0 ? 0 : (-first + stride - 1) / stride;
        int hi = first >= length ? 0 : Math.Min(seg.Length, (length - 1 - first) / stride + 1);
        if (hi < lo) hi = lo;
        if (!add)
        {
            seg[..lo].Clear();
            seg[hi..].Clear();
        }
        if (hi == lo) return;
        int start = line + first + lo * stride;
        if (stride == 1)
        {
            var part = image.AsSpan(start, hi - lo);
            if (add) System.Numerics.Tensors.TensorPrimitives.Add(part, seg[lo..hi], part);
            else part.CopyTo(seg[lo..hi]);
            return;
        }
        if (add)
            for (int j = lo; j < hi; j++) image[start + (j - lo) * stride] += seg[j];
        else
            for (int j = lo; j < hi; j++) seg[j] = image[start + (j - lo) * stride];
    }

    // Parts for a kernel of this many independent jobs and multiply-adds: one below the threshold, else a few per
    // core.
    private static int Parts(int jobs, long work) =>
        work < ParallelWork || Environment.ProcessorCount == 1
            ? 1
            : Math.Max(1, Math.Min(jobs, Environment.ProcessorCount * PartsPerCore));

    // The first of part's share of count things split into parts.
    private static int Lo(int count, int parts, int part) => (int)((long)count * part / parts);
}
