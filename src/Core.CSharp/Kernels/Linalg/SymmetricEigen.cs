using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// Eigenvalues and eigenvectors of batches of real symmetric matrices: Householder reduction to tridiagonal form, then
/// the implicit QL iteration with Wilkinson-type shifts, the rotations accumulated into the reduction's orthogonal
/// factor. Computes in float64 for both dtypes. Eigenvalues ascending; each eigenvector's largest component (the first
/// of equals) is positive. Every matrix is computed alone by the same code, so results are the same bits on any number
/// of threads.
/// </summary>
internal static class SymmetricEigen
{
    private const double Eps = 1.1102230246251565e-16; // 2⁻⁵³

    /// <summary>
    /// For each of <paramref name="count"/> n×n matrices of <paramref name="a"/> (read from the lower triangle, or
    /// the upper when <paramref name="upper"/>), writes its n eigenvalues and, when <paramref name="vectors"/>, then
    /// its eigenvector matrix (n×n, eigenvectors as columns) to <paramref name="result"/>, one row of
    /// n (+ n²) per matrix. A matrix with a non-finite element gets NaN throughout.
    /// </summary>
    internal static void Run<T>(T[] a, T[] result, int count, int n, bool upper, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == 0 || n == 0) return;
        int stride = vectors ? n + n * n : n;
        int parts = Math.Min(count, Environment.ProcessorCount);
        long work = (long)n * n * n;
        if (work * count < 20_000) parts = 1; // tiny jobs do not pay for a thread wake-up
        Workers.For(parts, part =>
        {
            int lo = (int)((long)count * part / parts), hi = (int)((long)count * (part + 1) / parts);
            var ws = new Workspace(n, vectors);
            for (int b = lo; b < hi; b++)
                One(a.AsSpan(b * n * n, n * n), result.AsSpan(b * stride, stride), n, upper, vectors, ws,
                    count == 1);
        });
    }

    private sealed class Workspace(int n, bool vectors)
    {
        internal readonly double[] W = new double[n * n];
        internal readonly double[] Q = vectors ? new double[n * n] : [];
        internal readonly double[] D = new double[n], E = new double[n], Beta = new double[n], P = new double[n];
        internal readonly int[] Order = new int[n];
        internal readonly double[] RotC = new double[n], RotS = new double[n];
    }

    private static void One<T>(Span<T> a, Span<T> result, int n, bool upper, bool vectors, Workspace ws,
        bool parallel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = ws.W;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double v = double.CreateTruncating(upper ? a[j * n + i] : a[i * n + j]);
                w[i * n + j] = v; w[j * n + i] = v;
            }
        double scale = PlaneRows.ScaleInPlace(w.AsSpan(0, n * n));
        if (double.IsNaN(scale))
        {
            result.Fill(T.NaN);
            return;
        }
        Tridiagonalise(ws, n, parallel);
        if (vectors) FormQ(ws, n);
        Ql(ws, n, vectors, parallel);
        var d = ws.D;
        var order = ws.Order;
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (i, j) => d[i] != d[j] ? d[i].CompareTo(d[j]) : i.CompareTo(j));
        for (int j = 0; j < n; j++) result[j] = T.CreateTruncating(d[order[j]] / scale);
        if (!vectors) return;
        // Row r of Q holds eigenvector r (Q is Vᵀ); the result holds V row-major.
        var q = ws.Q;
        for (int j = 0; j < n; j++)
        {
            var row = q.AsSpan(order[j] * n, n);
            double sign = row[PlaneRows.ArgMaxAbs(row)] < 0 ? -1 : 1;
            for (int r = 0; r < n; r++) result[n + r * n + j] = T.CreateTruncating(sign * row[r]);
        }
    }

    /// <summary>W (full symmetric storage) to tridiagonal form T = Hᵀ·W·H: the diagonal into D, the subdiagonal into
    /// E[0..n−2]; reflector k (I − β·v·vᵀ on indices k+1…) is left in row k of W, past the diagonal.</summary>
    private static void Tridiagonalise(Workspace ws, int n, bool parallel)
    {
        var w = ws.W;
        var d = ws.D;
        var e = ws.E;
        var beta = ws.Beta;
        var p = ws.P;
        for (int k = 0; k < n - 2; k++)
        {
            int len = n - k - 1, off = k * n + k + 1;
            var x = w.AsSpan(off, len);
            d[k] = w[k * n + k];
            double tail = PlaneRows.Dot(x[1..], x[1..]);
            if (tail == 0)
            {
                e[k] = x[0]; beta[k] = 0;
                continue;
            }
            double norm = Math.Sqrt(x[0] * x[0] + tail);
            double alpha = x[0] >= 0 ? -norm : norm;
            x[0] -= alpha;
            double b = 1 / (norm * Math.Abs(x[0])); // 2 / vᵀv, as vᵀv = 2·norm·|x₀ − α|
            e[k] = alpha; beta[k] = b;
            // p = β·A₂₂·v; w = p − (β/2)(pᵀv)·v; A₂₂ −= v·wᵀ + w·vᵀ
            int s = k + 1;
            void MatVec(int lo, int hi)
            {
                var v = w.AsSpan(off, len);
                for (int i = lo; i < hi; i++) p[i] = b * PlaneRows.Dot(w.AsSpan((s + i) * n + s, len), v);
            }
            ForRows(len, parallel, MatVec);
            var pp = p.AsSpan(0, len);
            double kk = 0.5 * b * PlaneRows.Dot(pp, x);
            PlaneRows.Axpy(-kk, x, pp);
            void Update(int lo, int hi)
            {
                var v = w.AsSpan(off, len);
                var q = p.AsSpan(0, len);
                for (int i = lo; i < hi; i++) PlaneRows.SubTwo(v[i], q, q[i], v, w.AsSpan((s + i) * n + s, len));
            }
            ForRows(len, parallel, Update);
        }
        if (n >= 2)
        {
            d[n - 2] = w[(n - 2) * n + n - 2];
            e[n - 2] = w[(n - 1) * n + n - 2];
            beta[Math.Max(0, n - 2)] = 0;
        }
        d[n - 1] = w[(n - 1) * n + n - 1];
    }

    /// <summary>Rows lo…hi of an n-row job, split over the workers for large blocks (each row is computed alone, so
    /// the split never changes a bit).</summary>
    private static void ForRows(int rows, bool parallel, Action<int, int> body)
    {
        int parts = parallel && rows >= 128 ? Math.Min(Environment.ProcessorCount, rows / 64) : 1;
        if (parts <= 1) { body(0, rows); return; }
        Workers.For(parts, i => body((int)((long)rows * i / parts), (int)((long)rows * (i + 1) / parts)));
    }

    /// <summary>Q = H₀·H₁⋯H_{n−3} from the reflectors in W, stored transposed (row r of ws.Q is column r of Q).
    /// </summary>
    private static void FormQ(Workspace ws, int n)
    {
        var q = ws.Q;
        var w = ws.W;
        Array.Clear(q);
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        var acc = ws.P;
        // Qᵀ = H_{n−3}⋯H₀ built backwards: Qᵀ ← Qᵀ·H_k for k descending touches columns k+1… of rows k+1….
        for (int k = n - 3; k >= 0; k--)
        {
            double b = ws.Beta[k];
            if (b == 0) continue;
            int s = k + 1, len = n - s;
            var v = w.AsSpan(k * n + s, len);
            for (int r = s; r < n; r++)
            {
                var row = q.AsSpan(r * n + s, len);
                PlaneRows.Axpy(-b * PlaneRows.Dot(row, v), v, row);
            }
        }
    }

    /// <summary>The implicit QL iteration on the tridiagonal (D, E); the rotations are applied to the rows of ws.Q
    /// (the eigenvectors, transposed) when <paramref name="vectors"/>.</summary>
    private static void Ql(Workspace ws, int n, bool vectors, bool parallel)
    {
        var d = ws.D;
        var e = ws.E;
        if (n > 0) e[n - 1] = 0;
        var rc = ws.RotC;
        var rs = ws.RotS;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            while (true)
            {
                int m = l;
                for (; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= Eps * dd || Math.Abs(e[m]) < double.Epsilon * 4) break;
                }
                if (m == l) break;
                if (++iterations > 60)
                    throw new InvalidOperationException(
                        "eigh: the QL iteration did not converge in 60 iterations for one eigenvalue; the matrix "
                        + "may hold values near overflow");
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1, c = 1, p = 0;
                int i = m - 1;
                bool early = false;
                for (; i >= l; i--)
                {
                    double f = s * e[i], bb = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        d[i + 1] -= p; e[m] = 0; early = true;
                        break;
                    }
                    s = f / r; c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * bb;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - bb;
                    rc[i] = c; rs[i] = s;
                }
                // rotation i mixes eigenvector rows i and i+1, for i from m−1 down to the last one made
                if (vectors) ApplyRotations(ws.Q, n, early ? i + 1 : l, m - 1, rc, rs, parallel);
                if (early) continue;
                d[l] -= p; e[l] = g; e[m] = 0;
            }
        }
    }

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        double big = Math.Max(ax, ay), small = Math.Min(ax, ay);
        if (big == 0 || double.IsInfinity(big)) return big;
        double t = small / big;
        return big * Math.Sqrt(1 + t * t);
    }

    /// <summary>Rotations hi, hi−1, …, lo of one QL sweep on the rows of q, column block by column block (each block
    /// receives the same sequence, so splitting them over threads changes no bit).</summary>
    private static void ApplyRotations(double[] q, int n, int lo, int hi, double[] rc, double[] rs, bool parallel)
    {
        if (hi < lo) return;
        const int Block = 64;
        int blocks = (n + Block - 1) / Block;
        void Body(int blk)
        {
            int c0 = blk * Block, w = Math.Min(Block, n - c0);
            for (int i = hi; i >= lo; i--)
            {
                // (zᵢ₊₁, zᵢ) ← (s·zᵢ + c·zᵢ₊₁, c·zᵢ − s·zᵢ₊₁)
                PlaneRows.Rotate(rc[i], rs[i], q.AsSpan(i * n + c0, w), q.AsSpan((i + 1) * n + c0, w));
            }
        }
        if (parallel && n >= 256 && (hi - lo) >= 16)
            Workers.For(Math.Min(blocks, Environment.ProcessorCount), part =>
            {
                int parts = Math.Min(blocks, Environment.ProcessorCount);
                for (int blk = blocks * part / parts; blk < blocks * (part + 1) / parts; blk++) Body(blk);
            });
        else
            for (int blk = 0; blk < blocks; blk++) Body(blk);
    }
}
