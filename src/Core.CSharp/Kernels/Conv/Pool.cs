using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuncGrad.Kernels;

/// <summary>
/// The windows of a pooling along one axis: output o reads the input positions First[o] + j·Step for j &lt; Count[o],
/// all inside the input (padding already cut away), and an average divides by Divisor[o] along this axis.
/// </summary>
internal sealed class AxisWindows
{
    internal readonly int Input, Step;
    internal readonly int[] First, Count, Divisor;

    private AxisWindows(int input, int step, int[] first, int[] count, int[] divisor) =>
        (Input, Step, First, Count, Divisor) = (input, step, first, count, divisor);

    internal int Output => First.Length;

    /// <summary>An axis that is not pooled (the depth of a 2-d pooling): one window of its one position.</summary>
    internal static AxisWindows Single { get; } = new(1, 1, [0], [1], [1]);

    /// <summary>
    /// Windows of <paramref name="kernel"/> positions <paramref name="dilation"/> apart, starting every
    /// <paramref name="stride"/> from −<paramref name="pad"/>, <paramref name="output"/> of them. An average's
    /// divisor counts the padding inside the padded extent where <paramref name="countPad"/>, else only the input's
    /// positions. A window with no position in the input has Count 0 (the caller refuses it).
    /// </summary>
    internal static AxisWindows Sliding(int input, int output, int kernel, int stride, int pad, int dilation,
        bool countPad)
    {
        var (first, count, divisor) = (new int[output], new int[output], new int[output]);
        for (int o = 0; o < output; o++)
        {
            int start = o * stride - pad;
            int j0 = start >= 0 ? 0 : (-start + dilation - 1) / dilation; // the first tap inside the input
            int j1 = Math.Min(kernel, input - start <= 0 ? 0 : (input - start + dilation - 1) / dilation);
            first[o] = start + j0 * dilation;
            count[o] = Math.Max(0, j1 - j0);
            // PyTorch's average: the window clipped to the padded input counts the padding, then to the input
            int end = Math.Min(start + kernel, input + pad);
            divisor[o] = countPad ? end - start : Math.Min(end, input) - Math.Max(start, 0);
        }
        return new(input, dilation, first, count, divisor);
    }

    /// <summary>Adaptive windows: output o covers [⌊o·n/m⌋, ⌈(o+1)·n/m⌉) of an input of n positions, m
    /// outputs.</summary>
    internal static AxisWindows Adaptive(int input, int output)
    {
        var (first, count) = (new int[output], new int[output]);
        for (int o = 0; o < output; o++)
        {
            int start = (int)((long)o * input / output);
            int end = (int)(((long)(o + 1) * input + output - 1) / output);
            (first[o], count[o]) = (start, end - start);
        }
        return new(input, 1, first, count, count);
    }

    /// <summary>
    /// The outputs whose windows read each input position, as (Start, Outputs): position i is read by Outputs[k] for
    /// Start[i] ≤ k &lt; Start[i + 1], in increasing order. The adjoint of an average gathers through it, so each
    /// input element is summed by one thread in one order.
    /// </summary>
    internal (int[] Start, int[] Outputs) Readers()
    {
        var start = new int[Input + 1];
        for (int o = 0; o < Output; o++)
            for (int j = 0; j < Count[o]; j++) start[First[o] + j * Step + 1]++;
        for (int i = 0; i < Input; i++) start[i + 1] += start[i];
        var outputs = new int[start[Input]];
        var next = (int[])start.Clone();
        for (int o = 0; o < Output; o++)
            for (int j = 0; j < Count[o]; j++) outputs[next[First[o] + j * Step]++] = o;
        return (start, outputs);
    }
}

/// <summary>
/// Pooling over the last three axes of planes [P, D, H, W] (a 1-d or 2-d pooling has D = 1 and H = 1, one window
/// each): maxima's positions, averages and the average's adjoint. Each kernel splits its output rows over the workers,
/// and each element is computed by one thread in the order of its window (depth, then height, then width), so the
/// bits never depend on the number of threads.
/// </summary>
internal static class Pool
{
    /// <summary>Work (window taps) below which a kernel runs on the calling thread alone.</summary>
    private const long Serial = 1 << 15;

    /// <summary>Runs rows [from, to) of <paramref name="rows"/> in parts, when <paramref name="work"/> pays for
    /// threads.</summary>
    private static void Rows(int rows, long work, Action<int, int> body)
    {
        int parts = work < Serial || rows < 2 ? 1 : Math.Min(rows, 4 * Environment.ProcessorCount);
        if (parts == 1) body(0, rows);
        else Workers.For(parts, p => body((int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts)));
    }

    private static long Taps(AxisWindows w)
    {
        long t = 0;
        foreach (var c in w.Count) t += c;
        return t;
    }

    /// <summary>
    /// The position in its plane (d·H + h)·W + w of each window's maximum: the first maximum in window order, unless
    /// a NaN comes, which takes over (the last NaN), as PyTorch's kernel does. A window of −inf alone reports its first
    /// position.
    /// </summary>
    internal static void MaxPositions<T>(T[] x, int planes, AxisWindows d, AxisWindows h, AxisWindows w, long[] at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int iH = h.Input, iW = w.Input;
        int plane = d.Input * iH * iW, oW = w.Output, rowsPerPlane = d.Output * h.Output;
        Rows(planes * rowsPerPlane, (long)planes * Taps(d) * Taps(h) * Taps(w), (from, to) =>
        {
            int[] wFirst = w.First, wCount = w.Count;
            int ws = w.Step;
            for (int r = from; r < to; r++)
            {
                int p = r / rowsPerPlane, od = r % rowsPerPlane / h.Output, oh = r % h.Output;
                ref T src = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)p * plane);
                ref long dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(at), (nint)r * oW);
                int fd = d.First[od], cd = d.Count[od], fh = h.First[oh], ch = h.Count[oh];
                for (int ow = 0; ow < oW; ow++)
                {
                    int fw = wFirst[ow], cw = wCount[ow];
                    int best = (fd * iH + fh) * iW + fw;
                    T m = T.NegativeInfinity;
                    for (int jd = 0; jd < cd; jd++)
                        for (int jh = 0; jh < ch; jh++)
                        {
                            int row = ((fd + jd * d.Step) * iH + fh + jh * h.Step) * iW;
                            for (int jw = 0, i = row + fw; jw < cw; jw++, i += ws)
                            {
                                // the first maximum, unless a NaN comes, which always takes over. Which element wins
                                // is data, so a branch would be mispredicted half the time: the position is chosen by a
                                // mask and the maximum by Max (NaN wins it, as it wins the comparison)
                                var v = Unsafe.Add(ref src, i);
                                bool take = (v > m) | T.IsNaN(v);
                                int mask = -Unsafe.As<bool, byte>(ref take);
                                best = (i & mask) | (best & ~mask);
                                m = T.Max(m, v);
                            }
                        }
                    Unsafe.Add(ref dst, ow) = best;
                }
            }
        });
    }

    /// <summary>
    /// Each window's sum divided by its divisor: <paramref name="divisor"/> where positive (PyTorch's
    /// divisor_override), else the product of the axes' divisors. Summed in window order, then divided once.
    /// </summary>
    internal static void Average<T>(T[] x, int planes, AxisWindows d, AxisWindows h, AxisWindows w, int divisor,
        T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int iH = h.Input, iW = w.Input;
        int plane = d.Input * iH * iW, oW = w.Output, rowsPerPlane = d.Output * h.Output;
        Rows(planes * rowsPerPlane, (long)planes * Taps(d) * Taps(h) * Taps(w), (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                int p = r / rowsPerPlane, od = r % rowsPerPlane / h.Output, oh = r % h.Output;
                int offset = p * plane;
                long o = (long)r * oW;
                long dh = (long)d.Divisor[od] * h.Divisor[oh];
                for (int ow = 0; ow < oW; ow++)
                {
                    int fw = w.First[ow], cw = w.Count[ow];
                    T s = T.Zero;
                    for (int jd = 0; jd < d.Count[od]; jd++)
                    {
                        int id = d.First[od] + jd;
                        for (int jh = 0; jh < h.Count[oh]; jh++)
                        {
                            int row = offset + (id * iH + h.First[oh] + jh) * iW + fw;
                            for (int jw = 0; jw < cw; jw++) s += x[row + jw];
                        }
                    }
                    y[o + ow] = s / T.CreateTruncating(divisor > 0 ? divisor : dh * w.Divisor[ow]);
                }
            }
        });
    }

    /// <summary>
    /// The transpose of <see cref="Average"/>: each input element gathers g / divisor from the outputs whose windows
    /// read it, in increasing output order along depth, height, width (zero where none does). Each quotient is formed
    /// once, into a pooled buffer, then added where it is read.
    /// </summary>
    internal static void AverageAdjoint<T>(T[] g, int planes, AxisWindows d, AxisWindows h, AxisWindows w,
        int divisor, T[] dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rd, rh, rw) = (d.Readers(), h.Readers(), w.Readers());
        int oH = h.Output, oW = w.Output, outPlane = d.Output * oH * oW;
        var scaled = ArrayPool<T>.Shared.Rent(planes * outPlane);
        try
        {
            Rows(planes * d.Output * oH, (long)planes * outPlane, (from, to) =>
            {
                for (int r = from; r < to; r++)
                {
                    int od = r % (d.Output * oH) / oH, oh = r % oH;
                    long dh = (long)d.Divisor[od] * h.Divisor[oh];
                    for (int ow = 0, at = r * oW; ow < oW; ow++, at++)
                        scaled[at] = g[at] / T.CreateTruncating(divisor > 0 ? divisor : dh * w.Divisor[ow]);
                }
            });
            int iW = w.Input, rowsPerPlane = d.Input * h.Input;
            long work = (long)planes * rd.Outputs.Length * rh.Outputs.Length * rw.Outputs.Length;
            Rows(planes * rowsPerPlane, work, (from, to) =>
            {
                int[] start = rw.Start, outputs = rw.Outputs;
                for (int r = from; r < to; r++)
                {
                    int p = r / rowsPerPlane, id = r % rowsPerPlane / h.Input, ih = r % h.Input;
                    var row = dx.AsSpan(r * iW, iW);
                    row.Clear();
                    // per element the same order as a sum over (od, oh, ow) ascending, from zero
                    for (int kd = rd.Start[id]; kd < rd.Start[id + 1]; kd++)
                        for (int kh = rh.Start[ih]; kh < rh.Start[ih + 1]; kh++)
                        {
                            var src = scaled.AsSpan(p * outPlane + (rd.Outputs[kd] * oH + rh.Outputs[kh]) * oW, oW);
                            for (int iw = 0; iw < row.Length; iw++)
                            {
                                T s = row[iw];
                                for (int kw = start[iw]; kw < start[iw + 1]; kw++) s += src[outputs[kw]];
                                row[iw] = s;
                            }
                        }
                }
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scaled);
        }
    }
}
