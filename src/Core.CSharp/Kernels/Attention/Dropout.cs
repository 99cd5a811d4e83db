using FuncGrad.Kernels.Random;
using System.Numerics;

namespace FuncGrad.Kernels.Attention;

/// <summary>Attention's dropout from keys: the words of a key tensor and the kept weights' factors, one rule for the
/// fused kernels and for the unfused composition's factor tensor.</summary>
internal static class AttentionDropout
{
    /// <summary>The (k0, k1) words of keys [G, 2], each element checked to lie in [0, 2³²).</summary>
    internal static (uint K0, uint K1)[] KeyWords(Tensor keys, string op)
    {
        var w = Keys.Words(keys, op);
        var words = new (uint, uint)[w.Length / 2];
        for (int g = 0; g < words.Length; g++) words[g] = (w[2 * g], w[2 * g + 1]);
        return words;
    }

    internal static T Factor<T>(double p) where T : unmanaged, IFloatingPointIeee754<T> =>
        p >= 1 ? T.Zero : T.CreateTruncating(1.0 / (1.0 - p));

    /// <summary>
    /// y[b·rowLength·…] for <paramref name="n"/> batch entries of <paramref name="each"/> weights: the factor of
    /// weight (b, e) under the key of b's group (n / keys.Length consecutive entries), at stream index
    /// (b mod group size)·each + e.
    /// </summary>
    internal static void DropoutFactors<T>((uint K0, uint K1)[] keys, int n, int each, double p, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int per = n / keys.Length;
        ulong threshold = Philox.DropThreshold(p);
        T kept = Factor<T>(p);
        var words = new uint[Math.Min(each, 4096)];
        for (int b = 0; b < n; b++)
        {
            var (k0, k1) = keys[b / per];
            ulong start = (ulong)(b % per) * (ulong)each;
            for (int e = 0; e < each; e += words.Length)
            {
                int m = Math.Min(words.Length, each - e);
                Philox.Fill(k0, k1, start + (ulong)e, words.AsSpan(0, m));
                var row = y.Slice(b * each + e, m);
                for (int i = 0; i < m; i++) row[i] = words[i] >= threshold ? kept : T.Zero;
            }
        }
    }
}
