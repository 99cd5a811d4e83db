using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>
/// p-norms (Σ|xᵢ|ᵖ)^(1/p) of contiguous rows, for every real p: 0 (the count of nonzeros), ±inf (the largest or
/// smallest magnitude), 1, 2, and any other. The 2-norm and the general one scale by a power of two near the largest
/// magnitude (the smallest, for p &lt; 0) wherever squaring or powering could overflow or underflow, so huge and tiny
/// values keep their norm: scaling by 2ᵏ is exact, and the result is scaled back by 2⁻ᵏ.
/// </summary>
internal static class VectorNorms
{
    /// <summary>dst[r] = the p-norm of row r of x (<paramref name="length"/> elements each, rows one after the
    /// other); rows split over the worker team, each computed alone, so the bits do not depend on the split.</summary>
    internal static void Rows<T>(ReadOnlySpan<T> x, int length, double p, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dst.Length == 0) return;
        long work = (long)dst.Length * Math.Max(1, length) * (IsGeneral(p) ? 16 : 1);
        int parts = (int)Math.Clamp(work / 65_536, 1, Math.Min(dst.Length, 64));
        if (parts == 1)
        {
            for (int r = 0; r < dst.Length; r++) dst[r] = Norm(x.Slice(r * length, length), p);
            return;
        }
        unsafe
        {
            fixed (T* xp = x, dp = dst)
            {
                nint xa = (nint)xp, da = (nint)dp;
                int rows = dst.Length, n = x.Length;
                Workers.For(parts, part =>
                {
                    var xs = new ReadOnlySpan<T>((T*)xa, n);
                    var ds = new Span<T>((T*)da, rows);
                    for (int r = (int)((long)rows * part / parts); r < (int)((long)rows * (part + 1) / parts); r++)
                        ds[r] = Norm(xs.Slice(r * length, length), p);
                });
            }
        }
    }

    private static bool IsGeneral(double p) => p != 0 && p != 1 && p != 2 && !double.IsInfinity(p);

    /// <summary>The p-norm of x. NaN anywhere gives NaN; for p &gt; 0 an infinity gives +inf.</summary>
    internal static T Norm<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p == 2) return Two(x);
        if (p == 1) return TensorPrimitives.SumOfMagnitudes(x);
        if (double.IsPositiveInfinity(p)) return T.Abs(TensorPrimitives.MaxMagnitude(x));
        if (double.IsNegativeInfinity(p)) return T.Abs(TensorPrimitives.MinMagnitude(x));
        if (p == 0)
        {
            int count = 0;
            foreach (var v in x) if (v != T.Zero) count++; // NaN is not zero, as in PyTorch
            return T.CreateTruncating(count);
        }
        return General(x, p);
    }

    /// <summary>The exponent range where a sum of squares of up to 2³¹ elements neither overflows nor loses the
    /// largest element's square to underflow: |k| ≤ a quarter of the largest exponent.</summary>
    private static int Safe<T>() => typeof(T) == typeof(double) ? 255 : 31;

    private static T Two<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == 0) return T.Zero;
        T m = T.Abs(TensorPrimitives.MaxMagnitude(x));
        if (T.IsNaN(m) || m == T.Zero || T.IsInfinity(m)) return m;
        int k = T.ILogB(m);
        if (Math.Abs(k) <= Safe<T>()) return T.Sqrt(TensorPrimitives.SumOfSquares(x));
        // Each element times 2⁻ᵏ (exact; the largest lands in [1, 2)), summed in chunks in order.
        Span<T> chunk = stackalloc T[256];
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i += chunk.Length)
        {
            var part = chunk[..Math.Min(chunk.Length, x.Length - i)];
            for (int j = 0; j < part.Length; j++) part[j] = T.ScaleB(x[i + j], -k);
            sum += TensorPrimitives.SumOfSquares<T>(part);
        }
        return T.ScaleB(T.Sqrt(sum), k);
    }

    private static T General<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T tp = T.CreateTruncating(p), inverse = T.One / tp;
        if (x.Length == 0) return T.Pow(T.Zero, inverse); // an empty sum: 0 for p > 0, +inf for p < 0
        // p > 0: the largest magnitude dominates; p < 0: the smallest (a zero makes the norm 0, and infinities
        // contribute nothing). Either way it is scaled to [1, 2), so every term lies in [0, 1] or [1, ∞) → ≤ 1.
        T m = T.Abs(p > 0 ? TensorPrimitives.MaxMagnitude(x) : TensorPrimitives.MinMagnitude(x));
        if (T.IsNaN(m) || m == T.Zero || T.IsInfinity(m)) return m;
        int k = T.ILogB(m);
        T sum = T.Zero;
        foreach (var v in x) sum += T.Pow(T.ScaleB(T.Abs(v), -k), tp);
        return T.ScaleB(T.Pow(sum, inverse), k);
    }
}
