using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// Singular value decompositions A = U·diag(S)·Vᵀ of batches of m×n matrices by one-sided Jacobi (Hestenes):
/// plane rotations make the columns of the taller orientation mutually orthogonal, and their norms are the singular
/// values, accurate relative to each value even when it is tiny. Computes in float64 for both dtypes. S descending;
/// each column of U (of the first min(m, n)) has its largest component (the first of equals) positive, V's matching
/// column carrying the same sign. Columns beyond the rank (zero singular values) and the full-matrices columns
/// complete an orthonormal basis by Householder reflections. Each matrix is computed alone by the same code, so the
/// bits are the same on any number of threads.
/// </summary>
internal static class Svd
{
    private const double Eps = 1.1102230246251565e-16; // 2⁻⁵³

    /// <summary>The layout of one matrix's row of the result: U (m × uCols), then S (k), then Vᵀ (vRows × n); with
    /// no vectors, S alone.</summary>
    internal static (int UCols, int VRows, int Stride) Layout(int m, int n, bool vectors, bool full)
    {
        int k = Math.Min(m, n);
        if (!vectors) return (0, 0, k);
        int uCols = full ? m : k, vRows = full ? n : k;
        return (uCols, vRows, m * uCols + k + vRows * n);
    }

    /// <summary>Decomposes each of <paramref name="count"/> m×n matrices of <paramref name="a"/> into its row of
    /// <paramref name="result"/> (see <see cref="Layout"/>). A matrix with a non-finite element gets NaN
    /// throughout.</summary>
    internal static void Run<T>(T[] a, T[] result, int count, int m, int n, bool vectors, bool full)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (_, _, stride) = Layout(m, n, vectors, full);
        if (count == 0 || stride == 0) return;
        int parts = Math.Min(count, Environment.ProcessorCount);
        if ((long)m * n * Math.Min(m, n) * count < 20_000) parts = 1;
        Workers.For(parts, part =>
        {
            int lo = (int)((long)count * part / parts), hi = (int)((long)count * (part + 1) / parts);
            var ws = new Workspace(m, n);
            for (int b = lo; b < hi; b++)
                One(a.AsSpan(b * m * n, m * n), result.AsSpan(b * stride, stride), m, n, vectors, full, ws,
                    count == 1);
        });
    }

    private sealed class Workspace(int m, int n)
    {
        internal readonly int P = Math.Max(m, n), Q = Math.Min(m, n);
        internal readonly double[] G = new double[m * n];                   // Q rows of length P: the tall columns
        internal readonly double[] V = new double[Math.Min(m, n) * Math.Min(m, n)]; // Q rows of length Q
        internal readonly double[] Norms = new double[Math.Min(m, n)];
        internal readonly int[] Order = new int[Math.Min(m, n)];
        internal readonly int[] Seats = new int[Math.Min(m, n) + 1];
        internal readonly double[] Basis = new double[Math.Max(m, n) * Math.Max(m, n)]; // completed tall vectors
        internal readonly double[] Reflectors = new double[Math.Max(m, n) * Math.Max(m, n)];
        internal readonly double[] Betas = new double[Math.Max(m, n)];
        internal readonly double[] R = new double[Math.Min(m, n) * Math.Min(m, n)];     // columns of R, as rows
        internal readonly double[] RBetas = new double[Math.Min(m, n)], RDiagonal = new double[Math.Min(m, n)];
    }

    private static void One<T>(Span<T> a, Span<T> result, int m, int n, bool vectors, bool full, Workspace ws,
        bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = ws.P, q = ws.Q;
        bool wide = m < n; // then the tall matrix is Aᵀ, whose columns are A's rows
        var g = ws.G;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double v = double.CreateTruncating(a[i * n + j]);
                if (wide) g[i * n + j] = v; else g[j * m + i] = v;
            }
        double scale = PlaneRows.ScaleInPlace(g.AsSpan(0, m * n));
        if (double.IsNaN(scale))
        {
            result.Fill(T.NaN);
            return;
        }
        var v0 = ws.V;
        if (vectors)
        {
            Array.Clear(v0);
            for (int i = 0; i < q; i++) v0[i * q + i] = 1;
        }
        // A tall matrix is first reduced to its triangular factor R (T = Q·R, Householder, columnwise backward
        // stable, so scaled columns keep their relative accuracy), and the rotations work on columns of length q.
        bool reduced = p > q;
        var work = g;
        int len = p;
        if (reduced)
        {
            Householder(g, q, p, ws.RBetas, ws.RDiagonal);
            var r = ws.R;
            for (int j = 0; j < q; j++)
                for (int i = 0; i < q; i++)
                    r[j * q + i] = i < j ? g[j * p + i] : i == j ? ws.RDiagonal[j] : 0;
            work = r;
            len = q;
        }
        Jacobi(work, len, ws, q, vectors, parallel);

        var norms = ws.Norms;
        var order = ws.Order;
        for (int j = 0; j < q; j++)
        {
            var col = work.AsSpan(j * len, len);
            norms[j] = Math.Sqrt(PlaneRows.Dot(col, col));
            order[j] = j;
        }
        Array.Sort(order, (i, j) => norms[i] != norms[j] ? norms[j].CompareTo(norms[i]) : i.CompareTo(j));
        var (uCols, vRows, _) = Layout(m, n, vectors, full);
        int sAt = vectors ? m * uCols : 0;
        for (int j = 0; j < q; j++) result[sAt + j] = T.CreateTruncating(norms[order[j]] / scale);
        if (!vectors) return;

        // The tall vectors: columns of G over their norms, sorted; zero columns and the full basis are completed.
        int tallCount = wide ? vRows : uCols;
        var basis = ws.Basis;
        int rank = 0;
        for (int j = 0; j < q; j++)
        {
            double s = norms[order[j]];
            if (s == 0) break;
            var src = work.AsSpan(order[j] * len, len);
            var dst = basis.AsSpan(j * p, p);
            dst.Clear();
            for (int i = 0; i < len; i++) dst[i] = src[i] / s;
            if (reduced) ApplyQ(g, q, p, ws.RBetas, dst);
            rank++;
        }
        Complete(ws, p, rank, tallCount);
        // Signs: the largest component of each of the first q tall vectors (A's U columns when m ≥ n) or short
        // vectors (when wide, U's columns are the short vectors) positive; the partner vector follows.
        for (int j = 0; j < q; j++)
        {
            var tall = basis.AsSpan(j * p, p);
            var shortRow = v0.AsSpan(order[j] * q, q);
            var lead = wide ? shortRow : tall;
            if (lead[PlaneRows.ArgMaxAbs(lead)] < 0)
            {
                for (int i = 0; i < p; i++) tall[i] = -tall[i];
                for (int i = 0; i < q; i++) shortRow[i] = -shortRow[i];
            }
        }
        for (int j = q; j < tallCount; j++)
        {
            var tall = basis.AsSpan(j * p, p);
            if (tall[PlaneRows.ArgMaxAbs(tall)] < 0)
                for (int i = 0; i < p; i++) tall[i] = -tall[i];
        }
        int vhAt = sAt + q;
        if (!wide)
        {
            // U (m × uCols): column j is tall vector j; Vᵀ (q × q): row j is short vector j.
            for (int i = 0; i < m; i++)
                for (int j = 0; j < uCols; j++) result[i * uCols + j] = T.CreateTruncating(basis[j * p + i]);
            for (int j = 0; j < q; j++)
                for (int i = 0; i < n; i++) result[vhAt + j * n + i] = T.CreateTruncating(v0[order[j] * q + i]);
        }
        else
        {
            // U (m × m): column j is short vector j; Vᵀ (vRows × n): row j is tall vector j.
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) result[i * m + j] = T.CreateTruncating(v0[order[j] * q + i]);
            for (int j = 0; j < vRows; j++)
                for (int i = 0; i < n; i++) result[vhAt + j * n + i] = T.CreateTruncating(basis[j * p + i]);
        }
    }

    /// <summary>
    /// One-sided Jacobi on the q rows of G (length p), the rotations also applied to the rows of V. A sweep is the
    /// rounds of a round-robin tournament of the q columns (an empty seat added to an odd count), each round disjoint
    /// pairs, so a round's pairs are independent: a large matrix alone splits them over the workers, which changes no
    /// bit. A pair is rotated while
    /// |gᵢ·gⱼ| exceeds √p·ε·‖gᵢ‖·‖gⱼ‖; sweeps end when one rotates nothing, or after 40, when what is left is
    /// rounding noise (the rotations are orthogonal, so the backward error stays small either way).
    /// </summary>
    private static void Jacobi(double[] g, int p, Workspace ws, int q, bool vectors, bool parallel)
    {
        var v = ws.V;
        var norms = ws.Norms;
        double tol = Math.Sqrt(p) * Eps;
        int players = q + (q & 1), half = players / 2;
        var seat = ws.Seats;
        int parts = parallel && (long)p * q >= 256 * 256 ? Math.Min(Environment.ProcessorCount, half / 8) : 1;
        for (int sweep = 0; sweep < 40; sweep++)
        {
            for (int j = 0; j < q; j++)
            {
                var col = g.AsSpan(j * p, p);
                norms[j] = PlaneRows.Dot(col, col);
            }
            for (int k = 0; k < players; k++) seat[k] = k;
            int rotated = 0;
            for (int round = 0; round < players - 1; round++)
            {
                void Pairs(int lo, int hi)
                {
                    for (int k = lo; k < hi; k++)
                    {
                        int a = seat[k], b = seat[players - 1 - k];
                        if (a >= q || b >= q) continue; // the empty seat of an odd count
                        if (Pair(g, p, v, q, norms, Math.Min(a, b), Math.Max(a, b), tol, vectors))
                            Volatile.Write(ref rotated, 1);
                    }
                }
                if (parts <= 1) Pairs(0, half);
                else Workers.For(parts, i => Pairs(half * i / parts, half * (i + 1) / parts));
                // the tournament's next round: seat 0 stays, the others move one along
                int last = seat[players - 1];
                for (int k = players - 1; k > 1; k--) seat[k] = seat[k - 1];
                if (players > 1) seat[1] = last;
            }
            if (rotated == 0) return;
        }
    }

    /// <summary>Rotates columns i &lt; j of G (and rows of V) to make them orthogonal, when they are not yet;
    /// whether it rotated.</summary>
    private static bool Pair(double[] g, int p, double[] v, int q, double[] norms, int i, int j, double tol,
        bool vectors)
    {
        double alpha = norms[i], beta = norms[j];
        if (alpha == 0 || beta == 0) return false;
        var gi = g.AsSpan(i * p, p);
        var gj = g.AsSpan(j * p, p);
        double gamma = PlaneRows.Dot(gi, gj);
        if (!(Math.Abs(gamma) > tol * Math.Sqrt(alpha) * Math.Sqrt(beta))) return false;
        double zeta = (beta - alpha) / (2 * gamma);
        double t = (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
        if (t == 0) return false;
        double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
        PlaneRows.Rotate(c, s, gi, gj);
        if (vectors) PlaneRows.Rotate(c, s, v.AsSpan(i * q, q), v.AsSpan(j * q, q));
        // the updated squared norms, recomputed where the update cancels
        double ni = alpha - t * gamma, nj = beta + t * gamma;
        norms[i] = ni > alpha / 16 ? ni : PlaneRows.Dot(gi, gi);
        norms[j] = nj > beta / 16 ? nj : PlaneRows.Dot(gj, gj);
        return true;
    }

    /// <summary>Householder QR of the matrix whose columns are the first <paramref name="rows"/> rows of h (length
    /// <paramref name="len"/>), in place: reflector j (I − β·v·vᵀ on entries j…) is left in row j from entry j, R's
    /// column j above the diagonal in the row's first j entries, and R's diagonal in <paramref name="diagonal"/>.
    /// </summary>
    private static void Householder(double[] h, int rows, int len, double[] betas, double[] diagonal)
    {
        for (int j = 0; j < rows; j++)
        {
            var x = h.AsSpan(j * len + j, len - j);
            double tail = PlaneRows.Dot(x[1..], x[1..]);
            double norm = Math.Sqrt(x[0] * x[0] + tail);
            if (norm == 0 || tail == 0 && x[0] >= 0)
            {
                betas[j] = 0;
                diagonal[j] = x[0];
                continue;
            }
            double alpha = x[0] >= 0 ? -norm : norm;
            x[0] -= alpha;
            double b = 1 / (norm * Math.Abs(x[0]));
            betas[j] = b;
            diagonal[j] = alpha;
            for (int r = j + 1; r < rows; r++)
            {
                var y = h.AsSpan(r * len + j, len - j);
                PlaneRows.Axpy(-b * PlaneRows.Dot(x, y), x, y);
            }
        }
    }

    /// <summary>y ← Q·y for the Q = H₀·H₁⋯ of <see cref="Householder"/>'s reflectors in h.</summary>
    private static void ApplyQ(double[] h, int rows, int len, double[] betas, Span<double> y)
    {
        for (int j = rows - 1; j >= 0; j--)
        {
            if (betas[j] == 0) continue;
            var x = h.AsSpan(j * len + j, len - j);
            var yy = y[j..];
            PlaneRows.Axpy(-betas[j] * PlaneRows.Dot(x, yy), x, yy);
        }
    }

    /// <summary>Rows rank…count−1 of ws.Basis (length p) made an orthonormal completion of rows 0…rank−1: the
    /// trailing columns of the Q of a Householder QR of those rows.</summary>
    private static void Complete(Workspace ws, int p, int rank, int count)
    {
        if (count <= rank) return;
        var basis = ws.Basis;
        var h = ws.Reflectors;
        var betas = ws.Betas;
        Array.Copy(basis, h, rank * p);
        Householder(h, rank, p, betas, ws.RDiagonal); // R is no longer needed: its diagonal's room is free
        for (int t = rank; t < count; t++)
        {
            var y = basis.AsSpan(t * p, p);
            y.Clear();
            y[t] = 1;
            ApplyQ(h, rank, p, betas, y);
        }
    }
}
