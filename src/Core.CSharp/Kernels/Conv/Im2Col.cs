using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// The geometry of sliding 2-D windows: kernel, dilation, padding and stride per axis (height, width), over an input
/// of <see cref="H"/> × <see cref="W"/>, giving <see cref="OH"/> × <see cref="OW"/> window positions.
/// </summary>
internal readonly record struct Window2d(int H, int W, int KH, int KW, int DH, int DW, int PH, int PW, int SH, int SW,
    int OH, int OW);

/// <summary>
/// im2col and its transpose col2im on [N, C, H, W] ⇄ [N, C·KH·KW, OH·OW]: column (c·KH + i)·KW + j, position
/// oy·OW + ox holds input (c, oy·SH − PH + i·DH, ox·SW − PW + j·DW), or 0 outside it. Both split over (n, c) planes,
/// which own disjoint outputs, and col2im sums each input element's windows in the order i, j, oy, ox: the same bits
/// on any number of threads.
/// </summary>
internal static class Im2Col
{
    private const long ParallelElements = 1 << 15;

    internal static void Unfold<T>(ReadOnlySpan<T> x, Span<T> cols, int planes, Window2d g)
        where T : unmanaged, INumber<T>
    {
        long work = (long)planes * g.KH * g.KW * g.OH * g.OW;
        Planes(x, cols, planes, work, (xs, ys, p) => UnfoldPlane(xs, ys, p, g));
    }

    internal static void Fold<T>(ReadOnlySpan<T> cols, Span<T> x, int planes, Window2d g)
        where T : unmanaged, INumber<T>
    {
        long work = (long)planes * g.KH * g.KW * g.OH * g.OW;
        Planes(cols, x, planes, work, (cs, xs, p) => FoldPlane(cs, xs, p, g));
    }

    private delegate void PlaneBody<T>(ReadOnlySpan<T> from, Span<T> to, int plane);

    private static unsafe void Planes<T>(ReadOnlySpan<T> from, Span<T> to, int planes, long work, PlaneBody<T> body)
        where T : unmanaged
    {
        int parts = work < ParallelElements || Environment.ProcessorCount == 1 ? 1
            : Math.Min(Environment.ProcessorCount, planes);
        if (parts <= 1)
        {
            for (int p = 0; p < planes; p++) body(from, to, p);
            return;
        }
        fixed (T* pf = from, pt = to)
        {
            nint af = (nint)pf, at = (nint)pt;
            int lf = from.Length, lt = to.Length;
            Workers.For(parts, part =>
            {
                var f = new ReadOnlySpan<T>((T*)af, lf);
                var t = new Span<T>((T*)at, lt);
                int lo = (int)((long)planes * part / parts), hi = (int)((long)planes * (part + 1) / parts);
                for (int p = lo; p < hi; p++) body(f, t, p);
            });
        }
    }

    private static void UnfoldPlane<T>(ReadOnlySpan<T> x, Span<T> cols, int plane, Window2d g)
        where T : unmanaged, INumber<T>
    {
        var src = x.Slice(plane * g.H * g.W, g.H * g.W);
        int l = g.OH * g.OW;
        var dst = cols.Slice(plane * g.KH * g.KW * l, g.KH * g.KW * l);
        for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                var row = dst.Slice((i * g.KW + j) * l, l);
                for (int oy = 0; oy < g.OH; oy++)
                {
                    int y = oy * g.SH - g.PH + i * g.DH;
                    var line = row.Slice(oy * g.OW, g.OW);
                    if ((uint)y >= (uint)g.H)
                    {
                        line.Clear();
                        continue;
                    }
                    var srcRow = src.Slice(y * g.W, g.W);
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        int xx = ox * g.SW - g.PW + j * g.DW;
                        line[ox] = (uint)xx < (uint)g.W ? srcRow[xx] : T.Zero;
                    }
                }
            }
    }

    private static void FoldPlane<T>(ReadOnlySpan<T> cols, Span<T> x, int plane, Window2d g)
        where T : unmanaged, INumber<T>
    {
        var dst = x.Slice(plane * g.H * g.W, g.H * g.W);
        dst.Clear();
        int l = g.OH * g.OW;
        var src = cols.Slice(plane * g.KH * g.KW * l, g.KH * g.KW * l);
        for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                var row = src.Slice((i * g.KW + j) * l, l);
                for (int oy = 0; oy < g.OH; oy++)
                {
                    int y = oy * g.SH - g.PH + i * g.DH;
                    if ((uint)y >= (uint)g.H) continue;
                    var dstRow = dst.Slice(y * g.W, g.W);
                    var line = row.Slice(oy * g.OW, g.OW);
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        int xx = ox * g.SW - g.PW + j * g.DW;
                        if ((uint)xx < (uint)g.W) dstRow[xx] += line[ox];
                    }
                }
            }
    }
}
