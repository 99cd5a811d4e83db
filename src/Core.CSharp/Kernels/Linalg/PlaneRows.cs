using System.Numerics;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>
/// Row operations of the eigen and singular value kernels, on float64 rows: dot products, row updates and plane
/// rotations. Dot products sum in one order at every vector width (four running sums, element i into sum i mod 4,
/// then (s0 + s1) + (s2 + s3)), so a kernel's bits depend on its inputs alone.
/// </summary>
internal static class PlaneRows
{
    /// <summary>Σ x[i]·y[i], in the order the class states.</summary>
    internal static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var acc = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
                acc += Vector256.Create(x.Slice(i, 4)) * Vector256.Create(y.Slice(i, 4));
            (s0, s1, s2, s3) = (acc[0], acc[1], acc[2], acc[3]);
        }
        else
        {
            for (; i <= n - 4; i += 4)
            {
                s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1]; s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3];
            }
        }
        if (i < n) s0 += x[i] * y[i];
        if (i + 1 < n) s1 += x[i + 1] * y[i + 1];
        if (i + 2 < n) s2 += x[i + 2] * y[i + 2];
        return s0 + s1 + (s2 + s3);
    }

    /// <summary>y += a·x.</summary>
    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(y[i..]) + va * new Vector<double>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>y -= a·u + b·v, the two products rounded and subtracted in that order.</summary>
    internal static void SubTwo(double a, ReadOnlySpan<double> u, double b, ReadOnlySpan<double> v, Span<double> y)
    {
        int n = y.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(y[i..]) - va * new Vector<double>(u[i..]) - vb * new Vector<double>(v[i..]))
                    .CopyTo(y[i..]);
        }
        for (; i < n; i++) y[i] = y[i] - a * u[i] - b * v[i];
    }

    /// <summary>(x, y) ← (c·x − s·y, s·x + c·y).</summary>
    internal static void Rotate(double c, double s, Span<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var xi = new Vector<double>(x[i..]);
                var yi = new Vector<double>(y[i..]);
                (vc * xi - vs * yi).CopyTo(x[i..]);
                (vs * xi + vc * yi).CopyTo(y[i..]);
            }
        }
        for (; i < n; i++)
        {
            double xi = x[i], yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    /// <summary>The largest |x[i]| (0 for an empty row; NaN when one is NaN).</summary>
    internal static double MaxAbs(ReadOnlySpan<double> x)
    {
        double m = 0;
        foreach (var v in x)
        {
            if (double.IsNaN(v)) return double.NaN;
            m = Math.Max(m, Math.Abs(v));
        }
        return m;
    }

    /// <summary>x multiplied in place by <see cref="Scale"/> of its largest magnitude; that scale, or NaN (x untouched)
    /// where an element is NaN or infinite.</summary>
    internal static double ScaleInPlace(Span<double> x)
    {
        double max = MaxAbs(x);
        if (!double.IsFinite(max)) return double.NaN;
        double scale = Scale(max);
        if (scale != 1)
            for (int i = 0; i < x.Length; i++) x[i] *= scale;
        return scale;
    }

    /// <summary>The power of two that brings <paramref name="max"/> near 1 (1 for 0 or a non-finite value): scaling
    /// by it is exact and keeps squares from overflowing or underflowing.</summary>
    internal static double Scale(double max) =>
        max == 0 || !double.IsFinite(max) ? 1 : Math.ScaleB(1.0, -Math.ILogB(max));

    /// <summary>Index of the element of largest magnitude (the first of equals).</summary>
    internal static int ArgMaxAbs(ReadOnlySpan<double> x)
    {
        int at = 0;
        double m = -1;
        for (int i = 0; i < x.Length; i++)
            if (Math.Abs(x[i]) > m) { m = Math.Abs(x[i]); at = i; }
        return at;
    }
}
