using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>
/// Normalisation of the rows of a matrix [rows, n] (layer norm's x̂ = (x − mean)·r, RMS norm's x̂ = x·r, with
/// r = 1/√(mean of the squares of the centred or raw row + ε)) and its input gradient. Every op of the family
/// (layer, RMS, group, instance and batch norm) reaches these two kernels through a reshape or a permute.
/// </summary>
/// <remarks>
/// The statistics are two passes over a row (the sum, then the sum of squared deviations from the mean), not
/// Welford's update: a row is read again while it is still in cache, two vector passes cost less than one serial
/// Welford recurrence (a division per element), and the centred second pass is as accurate as Welford's (no
/// cancellation of Σx² − n·mean²). Each row is summed in vector lanes from its first element and the lanes added in
/// the width's order, then the scalar tail: a row's bits depend on its values alone, never on where it sits or how
/// many threads share the rows (rows are split among threads whole).
/// </remarks>
internal static unsafe class RowNorm
{
    private const int Grain = 32768;

    /// <summary>The number of parts rows × n elements are split into: one below two grains, else one per
    /// core.</summary>
    private static int Parts(int rows, int n)
    {
        if (Workers.Forced is int f) return Math.Max(1, Math.Min(f, rows));
        long work = (long)rows * n;
        return work < 2 * Grain || rows < 2
            ? 1
            : (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, rows), work / Grain));
    }

    private static void ForRows(int rows, int n, Action<int, int> body)
    {
        int parts = Parts(rows, n);
        if (parts == 1) { body(0, rows); return; }
        Workers.For(parts, p => body((int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts)));
    }

    /// <summary>y = x̂ of each row of x [rows, n]; <paramref name="centre"/> subtracts the mean (layer norm) or not
    /// (RMS norm).</summary>
    internal static void Forward<T>(T[] x, T[] y, int rows, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(Simd.Widest, x, y, rows, n, centre, eps);

    /// <summary><see cref="Forward{T}(T[], T[], int, int, bool, T)"/> at a given width (tests run each).</summary>
    internal static void Forward<T>(Width width, T[] x, T[] y, int rows, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForRows(rows, n, (r0, r1) =>
        {
            fixed (T* px = x, py = y)
                for (int r = r0; r < r1; r++)
                {
                    T* a = px + (long)r * n, b = py + (long)r * n;
                    var (mean, rstd) = Stats(width, a, n, centre, eps);
                    switch (width)
                    {
                        case Width.V512: Scale<T, Vector512<T>, W512<T>>(a, b, n, mean, rstd); break;
                        case Width.V256: Scale<T, Vector256<T>, W256<T>>(a, b, n, mean, rstd); break;
                        case Width.V128: Scale<T, Vector128<T>, W128<T>>(a, b, n, mean, rstd); break;
                        default: Scale<T, T, W1<T>>(a, b, n, mean, rstd); break;
                    }
                }
        });

    /// <summary>
    /// dx = r·(g − mean(g) − x̂·mean(g·x̂)) for each row (without the mean of g where not <paramref name="centre"/>):
    /// the gradient of <see cref="Forward{T}(T[], T[], int, int, bool, T)"/>'s output with cotangent g. The
    /// statistics are recomputed from x (a row in cache costs less than a saved one read back).
    /// </summary>
    internal static void Backward<T>(T[] g, T[] x, T[] dx, int rows, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(Simd.Widest, g, x, dx, rows, n, centre, eps);

    /// <summary><see cref="Backward{T}(T[], T[], T[], int, int, bool, T)"/> at a given width.</summary>
    internal static void Backward<T>(Width width, T[] g, T[] x, T[] dx, int rows, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForRows(rows, n, (r0, r1) =>
        {
            fixed (T* pg = g, px = x, pd = dx)
                for (int r = r0; r < r1; r++)
                {
                    long o = (long)r * n;
                    var (mean, rstd) = Stats(width, px + o, n, centre, eps);
                    T* a = pg + o, b = px + o, d = pd + o;
                    switch (width)
                    {
                        case Width.V512: Grad<T, Vector512<T>, W512<T>>(a, b, d, n, centre, mean, rstd); break;
                        case Width.V256: Grad<T, Vector256<T>, W256<T>>(a, b, d, n, centre, mean, rstd); break;
                        case Width.V128: Grad<T, Vector128<T>, W128<T>>(a, b, d, n, centre, mean, rstd); break;
                        default: Grad<T, T, W1<T>>(a, b, d, n, centre, mean, rstd); break;
                    }
                }
        });

    /// <summary>The row's mean (0 where not centred) and r = 1/√(mean((x − mean)²) + ε).</summary>
    private static (T Mean, T Rstd) Stats<T>(Width width, T* x, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> => width switch
        {
            Width.V512 => Stats<T, Vector512<T>, W512<T>>(x, n, centre, eps),
            Width.V256 => Stats<T, Vector256<T>, W256<T>>(x, n, centre, eps),
            Width.V128 => Stats<T, Vector128<T>, W128<T>>(x, n, centre, eps),
            _ => Stats<T, T, W1<T>>(x, n, centre, eps),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T Mean, T Rstd) Stats<T, V, W>(T* x, int n, bool centre, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        T count = T.CreateTruncating(n);
        T mean = T.Zero;
        if (centre)
        {
            V acc = W.Splat(T.Zero);
            int i = 0;
            for (; i <= n - W.Count; i += W.Count) acc = W.Add(acc, W.Load(x + i));
            T s = W.Sum(acc);
            for (; i < n; i++) s += x[i];
            mean = s / count;
        }
        {
            V m = W.Splat(mean), acc = W.Splat(T.Zero);
            int i = 0;
            for (; i <= n - W.Count; i += W.Count)
            {
                V d = W.Sub(W.Load(x + i), m);
                acc = W.MulAdd(d, d, acc);
            }
            T s = W.Sum(acc);
            for (; i < n; i++)
            {
                T d = x[i] - mean;
                s = Simd.MulAdd(d, d, s);
            }
            return (mean, T.One / T.Sqrt(s / count + eps));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale<T, V, W>(T* x, T* y, int n, T mean, T rstd)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V m = W.Splat(mean), r = W.Splat(rstd);
        int i = 0;
        for (; i <= n - W.Count; i += W.Count) W.Store(W.Mul(W.Sub(W.Load(x + i), m), r), y + i);
        for (; i < n; i++) y[i] = (x[i] - mean) * rstd;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Grad<T, V, W>(T* g, T* x, T* dx, int n, bool centre, T mean, T rstd)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        // One pass for the two row sums Σg and Σg·x̂, one for the output.
        V m = W.Splat(mean), r = W.Splat(rstd), sg = W.Splat(T.Zero), sgx = W.Splat(T.Zero);
        int i = 0;
        for (; i <= n - W.Count; i += W.Count)
        {
            V gi = W.Load(g + i);
            sg = W.Add(sg, gi);
            sgx = W.MulAdd(gi, W.Mul(W.Sub(W.Load(x + i), m), r), sgx);
        }
        T sumG = W.Sum(sg), sumGx = W.Sum(sgx);
        for (; i < n; i++)
        {
            sumG += g[i];
            sumGx = Simd.MulAdd(g[i], (x[i] - mean) * rstd, sumGx);
        }
        T count = T.CreateTruncating(n);
        T meanG = centre ? sumG / count : T.Zero, meanGx = sumGx / count;
        V mg = W.Splat(meanG), mgx = W.Splat(meanGx);
        i = 0;
        for (; i <= n - W.Count; i += W.Count)
        {
            V xh = W.Mul(W.Sub(W.Load(x + i), m), r);
            W.Store(W.Mul(r, W.Sub(W.Sub(W.Load(g + i), mg), W.Mul(xh, mgx))), dx + i);
        }
        for (; i < n; i++)
        {
            T xh = (x[i] - mean) * rstd;
            dx[i] = rstd * (g[i] - meanG - xh * meanGx);
        }
    }
}
