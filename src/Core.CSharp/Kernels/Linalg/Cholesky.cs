using System.Buffers;
using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// The Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix, row-major, in place, right-looking
/// by blocks of <see cref="Block"/> columns so that the O(n³) part is a matrix product.
/// </summary>
/// <remarks>
/// Each step factors a diagonal block (dot products along its rows), solves the rows below it against that block's
/// transpose (independent rows: split over threads when many), and subtracts the panel's product with its own
/// transpose from the lower triangle of the trailing matrix, a block of columns at a time through
/// <see cref="Gemm.MultiplyTransposedB{T}"/> on a contiguous copy of the panel. Every sum runs in an order fixed by n
/// and the block size, so the bits never depend on the number of threads.
/// </remarks>
internal static class Cholesky
{
    internal const int Block = 128;
    private const int Columns = 256;         // trailing-update columns per product
    private const long ParallelPanel = 1L << 18;

    /// <summary>
    /// Factors the [n×n] matrix at <paramref name="off"/> in place: its lower triangle (the only part read) becomes
    /// L, its strict upper triangle zero. Returns 0, or the order (1-based) of the first leading minor that is not
    /// positive definite; the matrix then holds the factor of the minors before it and unfinished values after.
    /// </summary>
    internal static int Lower<T>(T[] a, int off, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int info = 0;
        T[]? panel = null, product = null;
        try
        {
            for (int k0 = 0; k0 < n && info == 0; k0 += Block)
            {
                int kb = Math.Min(Block, n - k0), t0 = k0 + kb, m = n - t0;
                info = Diagonal(a, off, n, k0, kb);
                if (info != 0 || m == 0) break;
                if (m > 0 && (long)m * kb * kb >= ParallelPanel && Environment.ProcessorCount > 1)
                {
                    int parts = Math.Min(m / 16 + 1, Environment.ProcessorCount * 4);
                    Workers.For(parts, p => PanelRows(a, off, n, k0, kb,
                        t0 + (int)((long)m * p / parts), t0 + (int)((long)m * (p + 1) / parts)));
                }
                else PanelRows(a, off, n, k0, kb, t0, n);

                panel ??= ArrayPool<T>.Shared.Rent(n * Block);
                product ??= ArrayPool<T>.Shared.Rent(n * Columns);
                for (int r = 0; r < m; r++)
                    Array.Copy(a, off + (t0 + r) * n + k0, panel, r * kb, kb);
                for (int c0 = 0; c0 < m; c0 += Columns)
                {
                    int cw = Math.Min(Columns, m - c0), rows = m - c0;
                    Gemm.MultiplyTransposedB(panel, c0 * kb, panel, c0 * kb, product, 0, rows, kb, cw);
                    for (int r = 0; r < rows; r++)
                    {
                        int width = Math.Min(cw, r + 1);
                        var row = a.AsSpan(off + (t0 + c0 + r) * n + t0 + c0, width);
                        System.Numerics.Tensors.TensorPrimitives.Subtract(row, product.AsSpan(r * cw, width), row);
                    }
                }
            }
        }
        finally
        {
            if (panel is not null) ArrayPool<T>.Shared.Return(panel);
            if (product is not null) ArrayPool<T>.Shared.Return(product);
        }
        for (int i = 0; i < n; i++)
            a.AsSpan(off + i * n + i + 1, n - i - 1).Clear();
        return info;
    }

    /// <summary>The unblocked factorisation of the diagonal block [k0, k0 + kb), whose earlier columns' share has
    /// been subtracted already; 0 or the failing order.</summary>
    private static int Diagonal<T>(T[] a, int off, int n, int k0, int kb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = k0; j < k0 + kb; j++)
        {
            var rj = a.AsSpan(off + j * n + k0, j - k0);
            T d = a[off + j * n + j] - Dot(rj, rj);
            if (!(d > T.Zero)) return j + 1;
            T l = T.Sqrt(d);
            a[off + j * n + j] = l;
            for (int i = j + 1; i < k0 + kb; i++)
            {
                int at = off + i * n + j;
                a[at] = (a[at] - Dot(a.AsSpan(off + i * n + k0, j - k0), rj)) / l;
            }
        }
        return 0;
    }

    /// <summary>Rows [r0, r1) below the diagonal block, solved against its transpose: x·Lᵀ = a.</summary>
    private static void PanelRows<T>(T[] a, int off, int n, int k0, int kb, int r0, int r1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = r0; i < r1; i++)
            for (int j = k0; j < k0 + kb; j++)
            {
                int at = off + i * n + j;
                a[at] = (a[at] - Dot(a.AsSpan(off + i * n + k0, j - k0), a.AsSpan(off + j * n + k0, j - k0)))
                    / a[off + j * n + j];
            }
    }

    /// <summary>Σ x·y in a fixed order: vector lanes from the first element, the lanes added in order, then the
    /// tail.</summary>
    internal static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count, i = 0;
        T s = T.Zero;
        if (x.Length >= 2 * w)
        {
            Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
            for (; i + 2 * w <= x.Length; i += 2 * w)
            {
                acc0 += new Vector<T>(x[i..]) * new Vector<T>(y[i..]);
                acc1 += new Vector<T>(x[(i + w)..]) * new Vector<T>(y[(i + w)..]);
            }
            var acc = acc0 + acc1;
            for (int l = 0; l < w; l++) s += acc[l];
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
