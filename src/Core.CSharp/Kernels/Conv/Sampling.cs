using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// The per-axis maps of padding and interpolation, by PyTorch's coordinate rules (ATen's UpSample.h and its CPU
/// kernels). Coordinates are computed in <typeparamref name="T"/> (float32 tensors in float arithmetic, as ATen's
/// opmath type), and source positions are floored through float32 as ATen's <c>floorf</c> does, so indices and
/// weights are the ones PyTorch computes.
/// </summary>
internal static class Sampling<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T Of(double v) => T.CreateTruncating(v);
    private static T Of(long v) => T.CreateTruncating(v);
    private static long FloorF(T v) => (long)MathF.Floor(float.CreateTruncating(v));

    /// <summary>Output-to-input scale: (n − 1)/(m − 1) with aligned corners, else 1/scale where a scale factor is
    /// given and positive, else n/m.</summary>
    private static T Scale(int n, int m, bool alignCorners, double? scale)
    {
        if (alignCorners) return m > 1 ? Of(n - 1L) / Of(m - 1L) : T.Zero;
        return scale is double s && s > 0 ? Of(1.0 / s) : Of((long)n) / Of((long)m);
    }

    /// <summary>The input coordinate of output j: scale·j with aligned corners, else scale·(j + ½) − ½, clamped at 0
    /// except for cubic.</summary>
    private static T Source(T scale, int j, bool alignCorners, bool cubic)
    {
        if (alignCorners) return scale * Of((long)j);
        var src = scale * (Of((long)j) + Of(0.5)) - Of(0.5);
        return !cubic && src < T.Zero ? T.Zero : src;
    }

    /// <summary>The input position at or below <paramref name="real"/> (at most n − 1) and the fraction past it,
    /// clamped to [0, 1].</summary>
    private static (int Index, T Lambda) Guard(T real, int n)
    {
        long i = Math.Min(FloorF(real), n - 1);
        var lambda = T.Min(T.Max(real - Of(i), T.Zero), T.One);
        return ((int)i, lambda);
    }

    /// <summary>Nearest: input min(⌊scale·j⌋, n − 1).</summary>
    internal static AxisMap Nearest(int n, int m, double? scale)
    {
        var s = Scale(n, m, false, scale);
        var source = new int[m];
        for (int j = 0; j < m; j++) source[j] = (int)Math.Min(FloorF(Source(s, j, true, false)), n - 1);
        return AxisMap.Picking(n, source);
    }

    /// <summary>Nearest-exact: input min(⌊scale·(j + ½) − ½ + ½⌋, n − 1), the pixel whose centre is nearest.</summary>
    internal static AxisMap NearestExact(int n, int m, double? scale)
    {
        var s = Scale(n, m, false, scale);
        var source = new int[m];
        for (int j = 0; j < m; j++)
        {
            double real = double.CreateTruncating(Source(s, j, false, false)) + 0.5;
            source[j] = (int)Math.Min((long)MathF.Floor((float)real), n - 1);
        }
        return AxisMap.Picking(n, source);
    }

    /// <summary>Linear: two neighbours weighted 1 − λ and λ; where m = n, output j is input j.</summary>
    internal static AxisMap Linear(int n, int m, bool alignCorners, double? scale)
    {
        var index = new int[2 * m];
        var weight = new double[2 * m];
        var s = Scale(n, m, alignCorners, scale);
        for (int j = 0; j < m; j++)
        {
            int i0, i1;
            T l0, l1;
            if (m == n) (i0, i1, l0, l1) = (j, j, T.One, T.Zero);
            else
            {
                (i0, l1) = Guard(Source(s, j, alignCorners, false), n);
                i1 = i0 + (i0 < n - 1 ? 1 : 0);
                l0 = T.One - l1;
            }
            (index[2 * j], index[2 * j + 1]) = (i0, i1);
            (weight[2 * j], weight[2 * j + 1]) = (double.CreateTruncating(l0), double.CreateTruncating(l1));
        }
        return AxisMap.Dense(n, m, 2, index, weight);
    }

    /// <summary>Cubic convolution (Keys, a = −0.75) over the four neighbours i − 1 … i + 2, clamped at the
    /// edges.</summary>
    internal static AxisMap Cubic(int n, int m, bool alignCorners, double? scale)
    {
        var index = new int[4 * m];
        var weight = new double[4 * m];
        var s = Scale(n, m, alignCorners, scale);
        var a = Of(-0.75);
        for (int j = 0; j < m; j++)
        {
            var (i, t) = Guard(Source(s, j, alignCorners, true), n);
            var x2 = T.One - t;
            Span<T> c = [Far(t + T.One, a), Near(t, a), Near(x2, a), Far(x2 + T.One, a)];
            for (int k = 0; k < 4; k++)
            {
                index[4 * j + k] = Math.Clamp(i - 1 + k, 0, n - 1);
                weight[4 * j + k] = double.CreateTruncating(c[k]);
            }
        }
        return AxisMap.Dense(n, m, 4, index, weight);
    }

    /// <summary>The cubic kernel for |x| ≤ 1: ((a + 2)x − (a + 3))x² + 1.</summary>
    private static T Near(T x, T a) => ((a + Of(2.0)) * x - (a + Of(3.0))) * x * x + T.One;

    /// <summary>The cubic kernel for 1 &lt; |x| &lt; 2: ((ax − 5a)x + 8a)x − 4a.</summary>
    private static T Far(T x, T a) => ((a * x - Of(5.0) * a) * x + Of(8.0) * a) * x - Of(4.0) * a;

    /// <summary>Area (adaptive average): output j averages inputs ⌊jn/m⌋ … ⌈(j + 1)n/m⌉ − 1.</summary>
    internal static AxisMap Area(int n, int m)
    {
        var start = new int[m + 1];
        var index = new List<int>();
        var weight = new List<double>();
        for (int j = 0; j < m; j++)
        {
            long lo = (long)j * n / m, hi = ((long)(j + 1) * n + m - 1) / m;
            var w = double.CreateTruncating(T.One / Of(hi - lo));
            for (long i = lo; i < hi; i++)
            {
                index.Add((int)i);
                weight.Add(w);
            }
            start[j + 1] = index.Count;
        }
        return new AxisMap(n, m, start, [.. index], [.. weight]);
    }
}

/// <summary>The per-axis maps of padding: output j reads input j − before, or, outside the input, a zero (constant)
/// or the input mirrored (reflect), clamped (replicate) or wrapped around (circular).</summary>
internal static class PadMaps
{
    internal static AxisMap Of(string mode, int n, int before, int after)
    {
        int m = n + before + after;
        var source = new int[m];
        for (int j = 0; j < m; j++)
        {
            int p = j - before;
            source[j] = mode switch
            {
                "reflect" => p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p,
                "replicate" => Math.Clamp(p, 0, n - 1),
                "circular" => ((p % n) + n) % n,
                _ => p >= 0 && p < n ? p : -1,
            };
        }
        return AxisMap.Picking(n, source);
    }
}
