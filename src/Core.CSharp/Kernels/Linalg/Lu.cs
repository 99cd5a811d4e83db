using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>
/// LU factorisation with partial pivoting, A = P·L·U, row-major, in place, right-looking by panels of
/// <see cref="Block"/> columns so that the O(n³) part is a matrix product; and what the solves and determinants do
/// with the factors.
/// </summary>
/// <remarks>
/// Each step factors a panel (pivot search down its column, whole-row swaps, which are contiguous in row-major
/// storage, and rank-one updates within the panel), solves the panel's rows to its right against its unit lower
/// triangle, and subtracts the product of the panel below the diagonal and those rows from the trailing matrix, a
/// block of columns at a time, through <see cref="Gemm.Multiply{T}"/> on contiguous copies. The pivot is the first
/// row of largest magnitude, and every sum runs in an order fixed by n, so the bits never depend on threads.
/// </remarks>
internal static class Lu
{
    internal const int Block = 64;
    private const int Columns = 256;          // trailing-update columns per product

    /// <summary>
    /// Factors the [n×n] matrix at <paramref name="off"/> in place: its strict lower triangle becomes L (unit
    /// diagonal implied), the rest U; pivots[pivOff + j] (0-based) is the row swapped with row j at step j. Returns
    /// 0, or the 1-based index of the first pivot that is exactly zero (the factorisation still completes).
    /// </summary>
    internal static int Factor<T>(T[] a, int off, int n, int[] pivots, int pivOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int info = 0;
        T[]? left = null, right = null, product = null;
        try
        {
            for (int k0 = 0; k0 < n; k0 += Block)
            {
                int kb = Math.Min(Block, n - k0), e = k0 + kb, m = n - e;
                Panel(a, off, n, k0, kb, pivots, pivOff, ref info);
                if (m == 0) break;
                // U12 = L11⁻¹·A12, row by row
                for (int r = k0 + 1; r < e; r++)
                {
                    var row = a.AsSpan(off + r * n + e, m);
                    for (int c = k0; c < r; c++)
                    {
                        T l = a[off + r * n + c];
                        if (l != T.Zero) TensorPrimitives.MultiplyAdd(a.AsSpan(off + c * n + e, m), -l, row, row);
                    }
                }
                // A22 −= L21·U12
                left ??= ArrayPool<T>.Shared.Rent(n * Block);
                right ??= ArrayPool<T>.Shared.Rent(Block * Columns);
                product ??= ArrayPool<T>.Shared.Rent(n * Columns);
                for (int r = 0; r < m; r++)
                    Array.Copy(a, off + (e + r) * n + k0, left, r * kb, kb);
                for (int c0 = 0; c0 < m; c0 += Columns)
                {
                    int cw = Math.Min(Columns, m - c0);
                    for (int r = 0; r < kb; r++)
                        Array.Copy(a, off + (k0 + r) * n + e + c0, right, r * cw, cw);
                    Gemm.Multiply(left, 0, right, 0, product, 0, m, kb, cw);
                    for (int r = 0; r < m; r++)
                    {
                        var row = a.AsSpan(off + (e + r) * n + e + c0, cw);
                        TensorPrimitives.Subtract(row, product.AsSpan(r * cw, cw), row);
                    }
                }
            }
        }
        finally
        {
            if (left is not null) ArrayPool<T>.Shared.Return(left);
            if (right is not null) ArrayPool<T>.Shared.Return(right);
            if (product is not null) ArrayPool<T>.Shared.Return(product);
        }
        return info;
    }

    /// <summary>The unblocked factorisation of columns [k0, k0 + kb) from row k0 down, swapping whole rows.</summary>
    private static void Panel<T>(T[] a, int off, int n, int k0, int kb, int[] pivots, int pivOff, ref int info)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int e = k0 + kb;
        for (int j = k0; j < e; j++)
        {
            int p = j;
            T best = T.Abs(a[off + j * n + j]);
            for (int i = j + 1; i < n; i++)
            {
                T v = T.Abs(a[off + i * n + j]);
                if (v > best || T.IsNaN(v) && !T.IsNaN(best)) { best = v; p = i; }
            }
            pivots[pivOff + j] = p;
            if (p != j) Swap(a.AsSpan(off + j * n, n), a.AsSpan(off + p * n, n));
            T pivot = a[off + j * n + j];
            if (pivot == T.Zero)
            {
                if (info == 0) info = j + 1;
                continue;
            }
            int w = e - j - 1;
            var pivotRow = a.AsSpan(off + j * n + j + 1, w);
            for (int i = j + 1; i < n; i++)
            {
                int at = off + i * n + j;
                T l = a[at] / pivot;
                a[at] = l;
                if (w > 0 && l != T.Zero)
                {
                    var row = a.AsSpan(at + 1, w);
                    TensorPrimitives.MultiplyAdd(pivotRow, -l, row, row);
                }
            }
        }
    }

    /// <summary>
    /// Solves A·X = B (B [n×k] at bOff, in place) from A's factors: the row swaps, then L and U by blocked
    /// substitution.
    /// </summary>
    internal static void Solve<T>(T[] lu, int off, int n, int[] pivots, int pivOff, T[] b, int bOff, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Permute(pivots, pivOff, n, b, bOff, k, false);
        Triangular.Left(lu, off, n, true, false, true, b, bOff, k);
        Triangular.Left(lu, off, n, false, false, false, b, bOff, k);
    }

    /// <summary>Applies the swaps to B's rows ([n×k] at bOff): Pᵀ·B in order, or P·B in reverse order.</summary>
    internal static void Permute<T>(int[] pivots, int pivOff, int n, T[] b, int bOff, int k, bool inverse)
    {
        for (int t = 0; t < n; t++)
        {
            int j = inverse ? n - 1 - t : t, p = pivots[pivOff + j];
            if (p != j) Swap(b.AsSpan(bOff + j * k, k), b.AsSpan(bOff + p * k, k));
        }
    }

    /// <summary>The sign (±1, or 0 at a zero pivot) and log|det| of the factored matrix, the log-sum in order.
    /// </summary>
    internal static (T Sign, T LogAbs) Slogdet<T>(T[] lu, int off, int n, int[] pivots, int pivOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sign = T.One, log = T.Zero;
        for (int j = 0; j < n; j++)
        {
            T u = lu[off + j * n + j];
            if (pivots[pivOff + j] != j) sign = -sign;
            if (u < T.Zero) sign = -sign;
            else if (u == T.Zero) return (T.Zero, T.NegativeInfinity);
            log += T.Log(T.Abs(u));
        }
        return (sign, log);
    }

    /// <summary>det = ±Π u_jj, the product in order (it over- or underflows where the determinant does).</summary>
    internal static T Det<T>(T[] lu, int off, int n, int[] pivots, int pivOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T d = T.One;
        for (int j = 0; j < n; j++)
        {
            d *= lu[off + j * n + j];
            if (pivots[pivOff + j] != j) d = -d;
        }
        return d;
    }

    private static void Swap<T>(Span<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++) (x[i], y[i]) = (y[i], x[i]);
    }
}
