using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad.Kernels;

/// <summary>
/// exp(A) of batches of square row-major matrices by scaling and squaring with a diagonal Padé approximant (Higham,
/// "The scaling and squaring method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005).
/// </summary>
/// <remarks>
/// The 1-norm of A picks the smallest Padé degree m whose backward error bound θ_m (Higham's table 2.3, for the unit
/// roundoff of the dtype) covers it, else degree 13 (7 in float32) on A/2ˢ, squared s times. The approximant is
/// r_m = (V − U)⁻¹(V + U), U holding the odd and V the even terms, solved by <see cref="Lu"/>; the powers and
/// squarings are products through <see cref="Gemm"/>. A matrix's bits depend only on its values (the path follows
/// its norm), so a matrix gives the same bits alone and in any batch, on any number of threads.
/// </remarks>
internal static class MatrixExponential
{
    private static readonly double[] Theta64 =
        [1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068e0, 5.371920351148152e0];
    private static readonly int[] Degrees64 = [3, 5, 7, 9, 13];
    private static readonly double[] Theta32 = [4.258730016922831e-1, 1.880152677804762e0, 3.925724783138660e0];
    private static readonly int[] Degrees32 = [3, 5, 7];

    /// <summary>The Padé coefficients b_0 … b_m of degree m (Higham 2005, section 2), by degree.</summary>
    private static readonly double[] B3 = [120, 60, 12, 1], B5 = [30240, 15120, 3360, 420, 30, 1],
        B7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        B9 = [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
        B13 = [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
            10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1];

    private static double[] Coefficients(int m) => m switch { 3 => B3, 5 => B5, 7 => B7, 9 => B9, _ => B13 };

    // Below this many multiply-adds for the whole batch, one thread does it all.
    private const long ParallelWork = 1L << 16;

    /// <summary>y = exp of each of the <paramref name="count"/> n×n matrices of a.</summary>
    internal static void Exp<T>(T[] a, int count, int n, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == 0 || n == 0) return;
        long perMatrix = 10L * n * n * n;
        int parts = n >= 64 || (long)count * perMatrix < ParallelWork ? 1
            : (int)Math.Min(count, Math.Min(4L * Environment.ProcessorCount, (long)count * perMatrix / ParallelWork));
        Workers.For(parts, p =>
        {
            var ws = new Workspace<T>(n);
            int lo = (int)((long)count * p / parts), hi = (int)((long)count * (p + 1) / parts);
            for (int i = lo; i < hi; i++) One(a.AsSpan(i * n * n, n * n), n, y.AsSpan(i * n * n, n * n), ws);
        });
    }

    private sealed class Workspace<T>(int n) where T : unmanaged
    {
        internal readonly T[] A = new T[n * n], A2 = new T[n * n], A4 = new T[n * n], A6 = new T[n * n],
            U = new T[n * n], V = new T[n * n], W = new T[n * n];
        internal readonly int[] Pivots = new int[n];
    }

    private static void One<T>(ReadOnlySpan<T> a, int n, Span<T> y, Workspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += double.CreateTruncating(T.Abs(a[i * n + j]));
            norm = Math.Max(norm, s);
            if (double.IsNaN(s)) norm = double.NaN;
        }
        if (!double.IsFinite(norm)) { y.Fill(T.NaN); return; }
        bool single = typeof(T) == typeof(float);
        var theta = single ? Theta32 : Theta64;
        var degrees = single ? Degrees32 : Degrees64;
        int pick = -1;
        for (int i = theta.Length - 1; i >= 0; i--)
            if (norm <= theta[i]) pick = i;
        int s2 = 0;
        int m = pick >= 0 ? degrees[pick] : degrees[^1];
        a.CopyTo(ws.A);
        if (pick < 0)
        {
            s2 = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / theta[^1])));
            // exact: a power of two
            TensorPrimitives.Multiply(ws.A, T.CreateTruncating(Math.ScaleB(1.0, -s2)), ws.A);
        }
        Pade(ws, n, m);
        var x = ws.V; // the approximant
        for (int k = 0; k < s2; k++)
        {
            Gemm.Multiply(x, 0, x, 0, ws.W, 0, n, n, n);
            ws.W.AsSpan(0, n * n).CopyTo(x);
        }
        x.AsSpan(0, n * n).CopyTo(y);
    }

    /// <summary>ws.V = r_m(ws.A) = (V − U)⁻¹(V + U).</summary>
    private static void Pade<T>(Workspace<T> ws, int n, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var b = Coefficients(m);
        int nn = n * n;
        var (a, a2, a4, a6, u, v, w) = (ws.A, ws.A2, ws.A4, ws.A6, ws.U, ws.V, ws.W);
        Gemm.Multiply(a, 0, a, 0, a2, 0, n, n, n);
        if (m >= 5) Gemm.Multiply(a2, 0, a2, 0, a4, 0, n, n, n);
        if (m >= 7) Gemm.Multiply(a2, 0, a4, 0, a6, 0, n, n, n);
        var uu = w; // U before its product with A
        if (m == 13)
        {
            // U = A·[A6·(b13·A6 + b11·A4 + b9·A2) + b7·A6 + b5·A4 + b3·A2 + b1·I], V likewise with the even b.
            Combine(uu, n, b[1], (a2, b[3]), (a4, b[5]), (a6, b[7]));
            Combine(v, n, 0, (a2, b[9]), (a4, b[11]), (a6, b[13]));
            Gemm.Multiply(a6, 0, v, 0, u, 0, n, n, n);
            TensorPrimitives.Add(uu.AsSpan(0, nn), u.AsSpan(0, nn), uu.AsSpan(0, nn));
            Combine(u, n, 0, (a2, b[8]), (a4, b[10]), (a6, b[12]));
            Gemm.Multiply(a6, 0, u, 0, v, 0, n, n, n);
            Combine(u, n, b[0], (a2, b[2]), (a4, b[4]), (a6, b[6]));
            TensorPrimitives.Add(v.AsSpan(0, nn), u.AsSpan(0, nn), v.AsSpan(0, nn));
        }
        else
        {
            if (m == 9)
            {
                // A8 lives in U until the sums are formed (W holds the odd one).
                var a8 = u;
                Gemm.Multiply(a4, 0, a4, 0, a8, 0, n, n, n);
                Combine(v, n, b[0], (a2, b[2]), (a4, b[4]), (a6, b[6]), (a8, b[8]));
                Combine(uu, n, b[1], (a2, b[3]), (a4, b[5]), (a6, b[7]), (a8, b[9]));
            }
            else if (m == 7)
            {
                Combine(v, n, b[0], (a2, b[2]), (a4, b[4]), (a6, b[6]));
                Combine(uu, n, b[1], (a2, b[3]), (a4, b[5]), (a6, b[7]));
            }
            else if (m == 5)
            {
                Combine(v, n, b[0], (a2, b[2]), (a4, b[4]));
                Combine(uu, n, b[1], (a2, b[3]), (a4, b[5]));
            }
            else
            {
                Combine(v, n, b[0], (a2, b[2]));
                Combine(uu, n, b[1], (a2, b[3]));
            }
        }
        Gemm.Multiply(a, 0, uu, 0, u, 0, n, n, n);
        // w = V − U (the matrix), v = V + U (the right-hand sides); then v = w⁻¹·v.
        TensorPrimitives.Subtract(v.AsSpan(0, nn), u.AsSpan(0, nn), w.AsSpan(0, nn));
        TensorPrimitives.Add(v.AsSpan(0, nn), u.AsSpan(0, nn), v.AsSpan(0, nn));
        Lu.Factor(w, 0, n, ws.Pivots, 0);
        Lu.Solve(w, 0, n, ws.Pivots, 0, v, 0, n);
    }

    /// <summary>x = c·I + Σ cᵢ·Mᵢ.</summary>
    private static void Combine<T>(T[] x, int n, double c, params ReadOnlySpan<(T[] M, double C)> terms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = x.AsSpan(0, n * n);
        TensorPrimitives.Multiply(terms[0].M.AsSpan(0, n * n), T.CreateTruncating(terms[0].C), d);
        for (int t = 1; t < terms.Length; t++)
            TensorPrimitives.MultiplyAdd(terms[t].M.AsSpan(0, n * n), T.CreateTruncating(terms[t].C), d, d);
        for (int i = 0; i < n; i++) d[i * n + i] += T.CreateTruncating(c);
    }
}
