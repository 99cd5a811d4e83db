using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>Matrix products on row-major buffers.</summary>
/// <remarks>
/// A straightforward row-times-matrix formulation: each output row is a sum of rows of B scaled by
/// one element of A, which TensorPrimitives vectorises. Blocking over k keeps the output row and a
/// panel of B in cache. Large products split their rows over the cores.
/// </remarks>
internal static class Gemm
{
    private const int KBlock = 256;
    private const long ParallelWork = 1L << 18; // below ~a quarter million multiply-adds, threads cost more than they save

    /// <summary>c[m×n] = a[m×k] · b[k×n], each buffer starting at its offset; c is overwritten.</summary>
    internal static void Multiply<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        c.AsSpan(cOff, m * n).Clear();
        if ((long)m * n * k < ParallelWork || m < 2)
        {
            Rows<T>(a.AsSpan(aOff, m * k), b.AsSpan(bOff, k * n), c.AsSpan(cOff, m * n), 0, m, k, n);
            return;
        }
        int chunks = Math.Min(m, Environment.ProcessorCount * 4);
        Parallel.For(0, chunks, ch =>
        {
            int lo = (int)((long)m * ch / chunks), hi = (int)((long)m * (ch + 1) / chunks);
            Rows<T>(a.AsSpan(aOff, m * k), b.AsSpan(bOff, k * n), c.AsSpan(cOff, m * n), lo, hi, k, n);
        });
    }

    private static void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int lo, int hi, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p0 = 0; p0 < k; p0 += KBlock)
        {
            int p1 = Math.Min(k, p0 + KBlock);
            for (int i = lo; i < hi; i++)
            {
                var row = c.Slice(i * n, n);
                for (int p = p0; p < p1; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[i * k + p], row, row);
                }
            }
        }
    }
}
