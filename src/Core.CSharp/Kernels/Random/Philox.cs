using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels.Random;

// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a bijection of
// a 128-bit counter under a 64-bit key, so the n-th number of a stream is computed from (key, n) alone. That is what
// makes every draw a pure function of a key and a shape: the same bits on any thread, in any order, at any vector
// width, on any device, under vmap (a batch of keys) and under compile. Integer arithmetic only, so no ISA can change a
// bit.
//
// A key is two 32-bit words. As a tensor it is int64 [2] (or [..., 2] for a batch of keys), each element in
// [0, 2^32): words k0 = key[0], k1 = key[1]. The stream of a key is the sequence of 32-bit words
// word(n) = Block(k0, k1, counter = (n / 4 low, n / 4 high, 0, 0))[n % 4].

/// <summary>The Philox4x32-10 counter-based generator: blocks of four 32-bit words from a key and a counter.</summary>
internal static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four words of the block at counter (c0, c1, c2, c3) under key (k0, k1): ten rounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (uint, uint, uint, uint) Block(uint k0, uint k1, uint c0, uint c1, uint c2, uint c3)
    {
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var (hi0, lo0) = ((uint)(p0 >> 32), (uint)p0);
            var (hi1, lo1) = ((uint)(p1 >> 32), (uint)p1);
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Word <paramref name="n"/> of the stream of key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Word(uint k0, uint k1, ulong n)
    {
        var block = n >> 2;
        var (a, b, c, d) = Block(k0, k1, (uint)block, (uint)(block >> 32), 0, 0);
        return (n & 3) switch { 0 => a, 1 => b, 2 => c, _ => d };
    }

    /// <summary>Fills <paramref name="words"/> with words <paramref name="start"/>, start + 1, ... of the stream of
    /// key (k0, k1): the same words as <see cref="Word"/> gives one at a time, whatever the start.</summary>
    internal static void Fill(uint k0, uint k1, ulong start, Span<uint> words)
    {
        var i = 0;
        while (i < words.Length)
        {
            var n = start + (ulong)i;
            if ((n & 3) != 0 || words.Length - i < 4)
            {
                words[i++] = Word(k0, k1, n);
                continue;
            }
            var block = n >> 2;
            (words[i], words[i + 1], words[i + 2], words[i + 3]) =
                Block(k0, k1, (uint)block, (uint)(block >> 32), 0, 0);
            i += 4;
        }
    }

    /// <summary>A float64 in [0, 1) with 53 random bits, from two words: (hi·2^21 + lo / 2^11) / 2^53.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double UnitDouble(uint hi, uint lo) => (((ulong)hi << 21) | (lo >> 11)) * (1.0 / (1UL << 53));

    /// <summary>A float32 in [0, 1) with 24 random bits, from one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float UnitSingle(uint word) => (word >> 8) * (1.0f / (1 << 24));

    /// <summary>The threshold for dropout with drop probability <paramref name="p"/> in [0, 1]: element n is kept iff
    /// word(n) ≥ the threshold, so it is kept with probability 1 − round(p·2^32)/2^32 whatever the dtype, and a fused
    /// kernel (attention's dropout) can recompute the mask from the key instead of storing it.</summary>
    internal static ulong DropThreshold(double p) => (ulong)Math.Round(p * 4294967296.0);

    /// <summary>Whether element <paramref name="n"/> survives dropout at <paramref name="threshold"/>
    /// (<see cref="DropThreshold"/>) under key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Kept(uint k0, uint k1, ulong n, ulong threshold) => Word(k0, k1, n) >= threshold;
}
