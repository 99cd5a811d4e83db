using FuncGrad.Kernels.Special;
using System.Numerics;

namespace FuncGrad.Kernels.Random;

// The draws of one key: spans out, from the key's Philox stream (Philox.cs) alone. Element n of a draw reads words of
// the stream at fixed places (words n, or 2n and 2n + 1), so its value depends on (key, n) and nothing else: not on the
// thread, the order of the work, the vector width or the device. The words a draw reads:
//   bits, bernoulli, dropout masks   word n (Philox.Kept's rule)
//   uniform, normal, truncated normal, Gumbel, permutation, randint   words 2n (high) and 2n + 1 (low)
// so a float32 uniform is the float64 one of the same key cut to 24 bits, and a float32 normal the float64 one rounded.
// Keys made from a key (split, fold) and randint's rare retries use other counters (c2 = 1, 2, 3) than draws (c2 = 0),
// so they never reuse a word of the parent's stream.

/// <summary>The span kernels behind the random draws of <c>RandomKeys</c>, one key at a time: elements
/// <c>first</c>, first + 1, … of a draw into y, so a draw can be split into parts that give the same bits.</summary>
internal static class Draws
{
    /// <summary>Counter word c2 of the blocks that make split keys, folded keys and randint's retries.</summary>
    internal const uint SplitDomain = 1, FoldDomain = 2, RetryDomain = 3;

    /// <summary>Key i of <see cref="SplitDomain"/>: the block at counter (i, 0, 1, 0), its first two words.</summary>
    internal static (uint, uint) Split(uint k0, uint k1, int i)
    {
        var (a, b, _, _) = Philox.Block(k0, k1, (uint)i, 0, SplitDomain, 0);
        return (a, b);
    }

    /// <summary>The key with <paramref name="data"/> folded in: the block at counter (data low, data high, 2,
    /// 0).</summary>
    internal static (uint, uint) Fold(uint k0, uint k1, long data)
    {
        var (a, b, _, _) = Philox.Block(k0, k1, (uint)data, (uint)((ulong)data >> 32), FoldDomain, 0);
        return (a, b);
    }

    /// <summary>Words 0 … length − 1 of the stream, as int64 values in [0, 2^32).</summary>
    internal static void Bits(uint k0, uint k1, ulong first, Span<long> y)
    {
        var w = Words(k0, k1, first, y.Length);
        for (int n = 0; n < y.Length; n++) y[n] = w[n];
    }

    /// <summary>y[n] = word(n) &lt; threshold: true with probability threshold / 2^32 (p of
    /// <see cref="Philox.DropThreshold"/>), the complement of <see cref="Philox.Kept"/>.</summary>
    internal static void Bernoulli(uint k0, uint k1, ulong first, ulong threshold, Span<bool> y)
    {
        var w = Words(k0, k1, first, y.Length);
        for (int n = 0; n < y.Length; n++) y[n] = w[n] < threshold;
    }

    /// <summary>y[n] = <paramref name="kept"/> where element n survives dropout at <paramref name="threshold"/>
    /// (<see cref="Philox.Kept"/>), <paramref name="dropped"/> elsewhere.</summary>
    internal static void Mask<T>(uint k0, uint k1, ulong first, ulong threshold, T kept, T dropped, Span<T> y)
    {
        var w = Words(k0, k1, first, y.Length);
        for (int n = 0; n < y.Length; n++) y[n] = w[n] >= threshold ? kept : dropped;
    }

    /// <summary>Uniform in [0, 1): 53 random bits for float64 (words 2n, 2n + 1), the high 24 of them for float32.
    /// Then low + (high − low)·u in T, kept below high where rounding would reach it.</summary>
    internal static void Uniform<T>(uint k0, uint k1, ulong first, T low, T high, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Words(k0, k1, 2 * first, 2 * y.Length);
        T width = high - low, top = T.BitDecrement(high);
        for (int n = 0; n < y.Length; n++)
        {
            uint hi = w[2 * n], lo = w[2 * n + 1];
            var u = typeof(T) == typeof(double) ? T.CreateTruncating(Philox.UnitDouble(hi, lo))
                : T.CreateTruncating(Philox.UnitSingle(hi));
            var r = low + width * u;
            y[n] = r >= high && high > low ? top : r;
        }
    }

    /// <summary>Uniform in the open interval (0, 1), symmetric about ½: (2j + 1)/2^53 for j the 52 high bits of words
    /// 2n, 2n + 1, so that neither 0 nor 1 comes up and ndtri or a logarithm of it is finite.</summary>
    internal static void OpenUnit(uint k0, uint k1, ulong first, Span<double> y)
    {
        var w = Words(k0, k1, 2 * first, 2 * y.Length);
        for (int n = 0; n < y.Length; n++)
        {
            ulong j = ((ulong)w[2 * n] << 20) | (w[2 * n + 1] >> 12);
            y[n] = (2 * j + 1) * (1.0 / (1UL << 53));
        }
    }

    /// <summary>Standard normal by the inverse CDF: ndtri of <see cref="OpenUnit"/> (finite, |z| &lt; 8.3), in
    /// float64.</summary>
    internal static void Normal(uint k0, uint k1, ulong first, Span<double> y)
    {
        OpenUnit(k0, k1, first, y);
        Formula<NdtriF>.Run<double>(y, y);
    }

    /// <summary>
    /// Standard normal restricted to [a, b], exactly by the inverse CDF: z = ndtri(Φ(a) + u·(Φ(b) − Φ(a))), on the
    /// side of the mirror (−b, −a) where Φ is small (a > 0: the upper tail), so the probabilities keep their digits; z
    /// clamped into [a, b] against rounding.
    /// </summary>
    internal static void TruncatedNormal(uint k0, uint k1, ulong first, double a, double b, Span<double> y)
    {
        bool flip = a > 0;
        double lo = flip ? -b : a, hi = flip ? -a : b;
        double pa = Formula<NdtrF>.Scalar(lo), pb = Formula<NdtrF>.Scalar(hi);
        OpenUnit(k0, k1, first, y);
        for (int n = 0; n < y.Length; n++) y[n] = pa + y[n] * (pb - pa);
        Formula<NdtriF>.Run<double>(y, y);
        for (int n = 0; n < y.Length; n++)
        {
            var z = Math.Clamp(y[n], lo, hi);
            y[n] = flip ? -z : z;
        }
    }

    /// <summary>The 64-bit words (2n high, 2n + 1 low) of elements 0 … length − 1: the sort keys of a
    /// permutation.</summary>
    internal static void Words64(uint k0, uint k1, ulong first, Span<ulong> y)
    {
        var w = Words(k0, k1, 2 * first, 2 * y.Length);
        for (int n = 0; n < y.Length; n++) y[n] = ((ulong)w[2 * n] << 32) | w[2 * n + 1];
    }

    /// <summary>
    /// Integers uniform in [low, low + range) without bias, by Lemire's multiply-and-reject on the 64-bit word of
    /// element n: the high half of word·range, unless the low half falls below (2^64 − range) mod range (probability
    /// under range/2^64), when element n retries with the words of blocks (n, 0, 3, attempt), its own.
    /// </summary>
    internal static void Randint(uint k0, uint k1, ulong first, long low, ulong range, Span<long> y)
    {
        var w = Words(k0, k1, 2 * first, 2 * y.Length);
        ulong reject = (0 - range) % range;
        for (int n = 0; n < y.Length; n++)
        {
            ulong word = ((ulong)w[2 * n] << 32) | w[2 * n + 1];
            ulong high = Math.BigMul(word, range, out var lowHalf);
            for (uint attempt = 0; lowHalf < reject; attempt++)
            {
                var at = first + (ulong)n;
                var (a, b, _, _) = Philox.Block(k0, k1, (uint)at, (uint)(at >> 32), RetryDomain, attempt);
                high = Math.BigMul(((ulong)a << 32) | b, range, out lowHalf);
            }
            y[n] = unchecked(low + (long)high);
        }
    }

    /// <summary>Words start … start + count − 1 of the stream of key (k0, k1).</summary>
    private static uint[] Words(uint k0, uint k1, ulong start, int count)
    {
        var w = new uint[count];
        Philox.Fill(k0, k1, start, w);
        return w;
    }
}
