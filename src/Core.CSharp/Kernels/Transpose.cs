using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FuncGrad.Kernels;

/// <summary>
/// Packing by transposition: rows of a matrix become the interleaved sliver a micro-kernel reads. Whole
/// 4×4 (float32) or 2×2 (float64) blocks move through 128-bit registers, shuffled by each platform's
/// unpack or zip instructions; a platform without them, and the ragged edges, copy element by element.
/// A transpose moves values and rounds nothing, so every path gives the same sliver.
/// </summary>
internal static unsafe class Transpose
{
    /// <summary>dst[p·lanes + r] = src[r·ld + p] for r &lt; lanes, p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Pack<T>(T* src, int ld, int lanes, int kc, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Pack(src, ld, lanes, kc, dst, lanes);

    /// <summary>dst[p·ldd + r] = src[r·ld + p] for r &lt; lanes, p &lt; kc: rows of dst wider than the lanes (ldd ≥
    /// lanes) are left as they are past the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    internal static void Pack<T>(T* src, int ld, int lanes, int kc, T* dst, int ldd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r0 = 0, p0 = 0;
        if (typeof(T) == typeof(float) && Blocks)
        {
            int full = kc - kc % 4;
            for (; r0 + 4 <= lanes; r0 += 4)
            {
                var s = (float*)src + (long)r0 * ld;
                var d = (float*)dst + r0;
                for (int p = 0; p < full; p += 4)
                {
                    var (a, b, c, e) = Four(Vector128.Load(s + p), Vector128.Load(s + ld + p),
                        Vector128.Load(s + 2L * ld + p), Vector128.Load(s + 3L * ld + p));
                    a.Store(d + (long)p * ldd); b.Store(d + (long)(p + 1) * ldd);
                    c.Store(d + (long)(p + 2) * ldd); e.Store(d + (long)(p + 3) * ldd);
                }
            }
            p0 = full;
        }
        else if (typeof(T) == typeof(double) && Blocks)
        {
            int full = kc - kc % 2;
            for (; r0 + 2 <= lanes; r0 += 2)
            {
                var s = (double*)src + (long)r0 * ld;
                var d = (double*)dst + r0;
                for (int p = 0; p < full; p += 2)
                {
                    var (a, b) = Two(Vector128.Load(s + p), Vector128.Load(s + ld + p));
                    a.Store(d + (long)p * ldd); b.Store(d + (long)(p + 1) * ldd);
                }
            }
            p0 = full;
        }
        // What the blocks left: the last columns of every row, and whole rows past the last block.
        for (int r = 0; r < lanes; r++)
        {
            T* row = src + (long)r * ld;
            for (int p = r < r0 ? p0 : 0; p < kc; p++) dst[(long)p * ldd + r] = row[p];
        }
    }

    private static bool Blocks => Sse.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>The transpose of the 4×4 block whose rows are a, b, c, d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Four(
        Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            // zip1/zip2 interleave lanes; zipping again as 64-bit pairs finishes the transpose.
            Vector128<double> ab0 = AdvSimd.Arm64.ZipLow(a, b).AsDouble(),
                              ab1 = AdvSimd.Arm64.ZipHigh(a, b).AsDouble();
            Vector128<double> cd0 = AdvSimd.Arm64.ZipLow(c, d).AsDouble(),
                              cd1 = AdvSimd.Arm64.ZipHigh(c, d).AsDouble();
            return (AdvSimd.Arm64.ZipLow(ab0, cd0).AsSingle(), AdvSimd.Arm64.ZipHigh(ab0, cd0).AsSingle(),
                    AdvSimd.Arm64.ZipLow(ab1, cd1).AsSingle(), AdvSimd.Arm64.ZipHigh(ab1, cd1).AsSingle());
        }
        // x86: unpack pairs of rows, then move 64-bit halves (the classic SSE 4×4 transpose).
        Vector128<float> t0 = Sse.UnpackLow(a, b), t1 = Sse.UnpackLow(c, d),
                         t2 = Sse.UnpackHigh(a, b), t3 = Sse.UnpackHigh(c, d);
        return (Sse.MoveLowToHigh(t0, t1), Sse.MoveHighToLow(t1, t0),
                Sse.MoveLowToHigh(t2, t3), Sse.MoveHighToLow(t3, t2));
    }

    /// <summary>The transpose of the 2×2 block whose rows are a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<double>, Vector128<double>) Two(Vector128<double> a, Vector128<double> b)
    {
        if (AdvSimd.Arm64.IsSupported) return (AdvSimd.Arm64.ZipLow(a, b), AdvSimd.Arm64.ZipHigh(a, b));
        return (Sse2.UnpackLow(a, b), Sse2.UnpackHigh(a, b));
    }
}
