using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>
/// Triangular solves on row-major matrices, blocked so that all but the diagonal blocks' work is a matrix
/// product: op(A)·X = B (left) or X·op(A) = B (right), op being the identity or the transpose.
/// </summary>
/// <remarks>
/// Substitution runs by blocks of <see cref="Block"/> rows: a block of X is its rows of B less the product of
/// op(A)'s block row with the rows of X already solved (one <see cref="Gemm"/> call on a contiguous copy of that
/// block row), then solved against the diagonal block by substitution along B's contiguous rows. Each element is
/// therefore summed in an order fixed by n and the block size alone, so the bits never depend on threads.
/// </remarks>
internal static class Triangular
{
    internal const int Block = 64;

    /// <summary>
    /// Solves op(A)·X = B in place in b ([n×k] from bOff), A being [n×n] from aOff. Only A's lower triangle
    /// (<paramref name="lower"/>) or upper triangle is read, and with <paramref name="unit"/> not its diagonal,
    /// taken as ones. op(A) = Aᵀ where <paramref name="trans"/>.
    /// </summary>
    internal static void Left<T>(T[] a, int aOff, int n, bool lower, bool trans, bool unit, T[] b, int bOff, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0 || k == 0) return;
        bool forward = lower != trans; // op(A) is lower triangular: solve from the first row down
        T[]? panel = null, product = null;
        try
        {
            int blocks = (n + Block - 1) / Block;
            for (int step = 0; step < blocks; step++)
            {
                int bi = forward ? step : blocks - 1 - step;
                int i0 = bi * Block, ib = Math.Min(Block, n - i0);
                // the rows already solved: [0, i0) going forward, [i0 + ib, n) going backward
                int s0 = forward ? 0 : i0 + ib, sn = forward ? i0 : n - i0 - ib;
                if (sn > 0)
                {
                    panel ??= ArrayPool<T>.Shared.Rent(Block * n);
                    product ??= ArrayPool<T>.Shared.Rent(Block * k);
                    for (int r = 0; r < ib; r++)
                        for (int c = 0; c < sn; c++)
                            panel[r * sn + c] = Element(a, aOff, n, trans, i0 + r, s0 + c);
                    Gemm.Multiply(panel, 0, b, bOff + s0 * k, product, 0, ib, sn, k);
                    for (int r = 0; r < ib; r++)
                    {
                        var row = b.AsSpan(bOff + (i0 + r) * k, k);
                        TensorPrimitives.Subtract(row, product.AsSpan(r * k, k), row);
                    }
                }
                Substitute(a, aOff, n, trans, unit, forward, i0, ib, b, bOff, k);
            }
        }
        finally
        {
            if (panel is not null) ArrayPool<T>.Shared.Return(panel);
            if (product is not null) ArrayPool<T>.Shared.Return(product);
        }
    }

    /// <summary>
    /// Solves X·op(A) = B in place in b ([m×n] from bOff), A being [n×n]: as op(A)ᵀ·Xᵀ = Bᵀ, on a transposed copy
    /// of B.
    /// </summary>
    internal static void Right<T>(T[] a, int aOff, int n, bool lower, bool trans, bool unit, T[] b, int bOff, int m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0 || m == 0) return;
        var bt = ArrayPool<T>.Shared.Rent(m * n);
        try
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    bt[j * m + i] = b[bOff + i * n + j];
            Left(a, aOff, n, lower, !trans, unit, bt, 0, m);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    b[bOff + i * n + j] = bt[j * m + i];
        }
        finally
        {
            ArrayPool<T>.Shared.Return(bt);
        }
    }

    private static T Element<T>(T[] a, int aOff, int n, bool trans, int r, int c) =>
        trans ? a[aOff + c * n + r] : a[aOff + r * n + c];

    /// <summary>Substitution against op(A)'s diagonal block [i0, i0 + ib), row by row of B (length k).</summary>
    private static void Substitute<T>(T[] a, int aOff, int n, bool trans, bool unit, bool forward, int i0, int ib,
        T[] b, int bOff, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int t = 0; t < ib; t++)
        {
            int r = forward ? i0 + t : i0 + ib - 1 - t;
            var row = b.AsSpan(bOff + r * k, k);
            int c0 = forward ? i0 : r + 1, c1 = forward ? r : i0 + ib;
            for (int c = c0; c < c1; c++)
            {
                T coef = Element(a, aOff, n, trans, r, c);
                if (coef == T.Zero) continue;
                if (k == 1) row[0] -= coef * b[bOff + c];
                else Lu.Axpy(b.AsSpan(bOff + c * k, k), -coef, row);
            }
            if (!unit)
            {
                T d = Element(a, aOff, n, trans, r, r);
                if (k == 1) row[0] /= d;
                else TensorPrimitives.Divide(row, d, row);
            }
        }
    }
}
