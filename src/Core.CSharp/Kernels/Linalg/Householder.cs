using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace FuncGrad.Kernels;

/// <summary>
/// Householder QR of batches of row-major matrices: A = Q·R with R's diagonal non-negative, Q formed explicitly
/// (reduced m×k or complete m×m, k = min(m, n)) or not at all.
/// </summary>
/// <remarks>
/// <para>
/// The kernel works on Aᵀ (a copy, n rows of length m), so that a column of A, a reflector and the part of a column
/// a reflector touches are each one contiguous run: the reflector's dot product and update are two vector loops.
/// Reflector j maps x = A[j.., j] to (‖x‖, 0, …): its v is 1 at j, and the choice of v₀ avoids cancellation both
/// ways (alpha − ‖x‖ when alpha ≤ 0, −σ/(alpha + ‖x‖) otherwise), so the diagonal comes out non-negative without the
/// sign flips a LAPACK geqrf (which picks −sign(alpha)·‖x‖) would need afterwards; a column whose only non-zero is a
/// negative alpha gets the reflector diag(−1, 1, …).
/// </para>
/// <para>
/// Matrices with at least <see cref="BlockedFrom"/> rows and columns are factored in panels of
/// <see cref="Panel"/> columns: each panel unblocked, then the rest of the matrix updated by the panel's block
/// reflector I − V·T·Vᵀ (compact WY, T upper triangular) as three products through <see cref="Gemm"/> on contiguous
/// copies; Q is formed backwards panel by panel the same way. Smaller matrices are factored and Q accumulated one
/// reflector at a time. The path depends on the matrix's shape only, and every sum runs in an order fixed by that
/// shape (Gemm's own order is fixed by k), so a matrix gives the same bits alone, in any batch and on any number of
/// threads. A batch of small matrices is split over the kernels' thread team with one workspace per part, so
/// nothing is allocated per matrix; a batch of large ones runs one matrix after another, each product parallel.
/// </para>
/// </remarks>
internal static class Householder
{
    /// <summary>Columns per panel of the blocked factorisation.</summary>
    internal const int Panel = 32;
    /// <summary>The smaller dimension from which the blocked path runs.</summary>
    internal const int BlockedFrom = 96;
    // Below this many multiply-adds for the whole batch, one thread does it all.
    private const long ParallelWork = 1L << 16;

    /// <summary>The columns of Q held per matrix: 0 (R only), k (reduced) or m (complete).</summary>
    internal static int QColumns(int m, int n, QrMode mode) =>
        mode == QrMode.R ? 0 : mode == QrMode.Complete ? m : Math.Min(m, n);

    /// <summary>The rows of R held per matrix: m in complete mode, else k.</summary>
    internal static int RRows(int m, int n, QrMode mode) => mode == QrMode.Complete ? m : Math.Min(m, n);

    /// <summary>
    /// Factors the <paramref name="count"/> matrices of <paramref name="a"/> (each m×n, one after another) into
    /// <paramref name="y"/>: per matrix, Q (m × <see cref="QColumns"/>) then R (<see cref="RRows"/> × n), row-major.
    /// </summary>
    internal static void Factor<T>(T[] a, int count, int m, int n, QrMode mode, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = Math.Min(m, n), qc = QColumns(m, n, mode), rr = RRows(m, n, mode);
        int stride = m * qc + rr * n;
        if (count == 0 || stride == 0) return;
        if (Math.Min(m, n) >= BlockedFrom)
        {
            var work = new Workspace<T>(m, n, qc, blocked: true);
            for (int i = 0; i < count; i++) One(a, i * m * n, m, n, qc, rr, y, i * stride, work);
            return;
        }
        long perMatrix = Math.Max(1L, (long)m * n * Math.Max(k, 1) * (qc > 0 ? 2 : 1));
        int parts = (long)count * perMatrix < ParallelWork ? 1
            : (int)Math.Min(count, Math.Min(4L * Environment.ProcessorCount, (long)count * perMatrix / ParallelWork));
        Workers.For(parts, p =>
        {
            var work = new Workspace<T>(m, n, qc, blocked: false);
            int lo = (int)((long)count * p / parts), hi = (int)((long)count * (p + 1) / parts);
            for (int i = lo; i < hi; i++) One(a, i * m * n, m, n, qc, rr, y, i * stride, work);
        });
    }

    /// <summary>Scratch for one matrix at a time: reused for every matrix of a part.</summary>
    private sealed class Workspace<T> where T : unmanaged
    {
        internal readonly T[] W, Qt, Tau;
        internal readonly T[] V = [], Tm = [], C = [], Y = [], Y2 = [];

        internal Workspace(int m, int n, int qc, bool blocked)
        {
            int k = Math.Min(m, n);
            W = new T[n * m];
            Qt = new T[qc * m];
            Tau = new T[k];
            if (!blocked) return;
            int rest = Math.Max(n, qc);
            V = new T[Panel * m];
            Tm = new T[Panel * Panel];
            C = new T[rest * m];
            Y = new T[rest * Panel];
            Y2 = new T[rest * Panel];
        }
    }

    private static void One<T>(T[] a, int aOff, int m, int n, int qc, int rr, T[] y, int yOff, Workspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = Math.Min(m, n);
        var w = ws.W;
        for (int i = 0; i < m; i++)
            for (int c = 0; c < n; c++) w[c * m + i] = a[aOff + i * n + c];
        bool blocked = k >= BlockedFrom;
        if (blocked)
            for (int j = 0; j < k; j += Panel)
            {
                int b = Math.Min(Panel, k - j);
                Unblocked(w, m, j, j + b, j + b, ws.Tau);
                if (j + b < n)
                {
                    BlockReflector(w, m, j, b, ws);
                    ApplyBlock(w, m, j + b, n, j, b, ws, transposeT: false);
                }
            }
        else Unblocked(w, m, 0, k, n, ws.Tau);

        // R = the upper triangle of Wᵀ, zero below (and on the rows past k in complete mode).
        int rOff = yOff + m * qc;
        for (int i = 0; i < rr; i++)
            for (int c = 0; c < n; c++) y[rOff + i * n + c] = i <= c && i < k ? w[c * m + i] : T.Zero;
        if (qc == 0) return;

        // Qᵀ = (the first qc rows of I)·H_{k−1}···H_0, each reflector applied to the rows it reaches.
        var qt = ws.Qt;
        Array.Clear(qt, 0, qc * m);
        for (int i = 0; i < qc; i++) qt[i * m + i] = T.One;
        if (blocked)
            for (int j = (k - 1) / Panel * Panel; j >= 0; j -= Panel)
            {
                int b = Math.Min(Panel, k - j);
                BlockReflector(w, m, j, b, ws);
                ApplyBlock(qt, m, j, qc, j, b, ws, transposeT: true);
            }
        else
            for (int j = k - 1; j >= 0; j--)
                for (int r = j; r < qc; r++)
                    Reflect(qt.AsSpan(r * m + j, m - j), w.AsSpan(j * m + j + 1, m - j - 1), ws.Tau[j]);
        for (int i = 0; i < m; i++)
            for (int c = 0; c < qc; c++) y[yOff + i * qc + c] = qt[c * m + i];
    }

    /// <summary>
    /// Reflectors j0 … j1 − 1 of W (Aᵀ, rows of length m), each made from its row and applied to the rows after it up
    /// to <paramref name="rowsEnd"/>; the row keeps R's entries to the diagonal and v's below it, tau its factor.
    /// </summary>
    private static void Unblocked<T>(T[] w, int m, int j0, int j1, int rowsEnd, T[] tau)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = j0; j < j1; j++)
        {
            tau[j] = MakeReflector(w.AsSpan(j * m + j, m - j));
            if (tau[j] == T.Zero) continue;
            var v = w.AsSpan(j * m + j + 1, m - j - 1);
            for (int r = j + 1; r < rowsEnd; r++) Reflect(w.AsSpan(r * m + j, m - j), v, tau[j]);
        }
    }

    /// <summary>x ← (I − tau·u·uᵀ)·x with u = (1, v).</summary>
    private static void Reflect<T>(Span<T> x, ReadOnlySpan<T> v, T tau) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (tau == T.Zero) return;
        var s = tau * (x[0] + Dot<T>(v, x[1..]));
        x[0] -= s;
        TensorPrimitives.MultiplyAdd(v, -s, x[1..], x[1..]);
    }

    /// <summary>
    /// Turns x into the reflector that maps it to (‖x‖, 0, …): x[0] becomes ‖x‖, the rest v's entries after its leading
    /// 1; returns tau (0 where x is already (α ≥ 0, 0, …)).
    /// </summary>
    internal static T MakeReflector<T>(Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = x[0];
        var tail = x[1..];
        T sigma = Dot<T>(tail, tail), scale = T.One;
        // Squares that overflow, or that underflow into subnormals, lose the norm: redo it in units of the largest.
        if (!T.IsFinite(sigma) || sigma < Tiny<T>())
        {
            scale = T.Abs(alpha);
            foreach (var e in tail) scale = T.MaxMagnitudeNumber(scale, T.Abs(e));
            if (scale == T.Zero) return T.Zero;
            if (!T.IsFinite(scale)) { x[0] = T.NaN; return T.NaN; } // as LAPACK: infinities give NaN
            alpha /= scale;
            sigma = T.Zero;
            foreach (var e in tail) { var t = e / scale; sigma += t * t; }
        }
        if (sigma == T.Zero)
        {
            if (alpha >= T.Zero || T.IsNaN(alpha)) return T.Zero; // already (α, 0, …)
            x[0] = -x[0];
            return T.CreateTruncating(2); // diag(−1, 1, …)
        }
        T norm = T.Hypot(alpha, T.Sqrt(sigma));
        T v0 = alpha <= T.Zero ? alpha - norm : -sigma / (alpha + norm);
        x[0] = norm * scale;
        TensorPrimitives.Multiply(tail, T.One / (v0 * scale), tail);
        return -v0 / norm;
    }

    /// <summary>Below this, a sum of squares may have lost its smallest terms to underflow.</summary>
    private static T Tiny<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(1e-290) : T.CreateTruncating(1e-30f);

    /// <summary>
    /// Σ x[i]·y[i] in one order fixed by the length and the machine's vector width: two vector accumulators from the
    /// start (never from an aligned address), their lanes added in order, then the tail.
    /// </summary>
    internal static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0, w = Vector<T>.Count;
        T s = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= 2 * w)
        {
            ref T rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                s0 += Vector.LoadUnsafe(ref rx, (nuint)i) * Vector.LoadUnsafe(ref ry, (nuint)i);
                s1 += Vector.LoadUnsafe(ref rx, (nuint)(i + w)) * Vector.LoadUnsafe(ref ry, (nuint)(i + w));
            }
            s = Vector.Sum(s0 + s1);
        }
        for (; i < n; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>
    /// The panel of reflectors j … j + b − 1 as a block: V's columns as the rows of ws.V (b × (m − j): zeros, the
    /// leading 1, v), and the upper triangular T (b × b) with H_j···H_{j+b−1} = I − V·T·Vᵀ.
    /// </summary>
    private static void BlockReflector<T>(T[] w, int m, int j, int b, Workspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mm = m - j;
        var v = ws.V;
        for (int i = 0; i < b; i++)
        {
            var row = v.AsSpan(i * mm, mm);
            row[..i].Clear();
            row[i] = T.One;
            w.AsSpan((j + i) * m + j + i + 1, mm - i - 1).CopyTo(row[(i + 1)..]);
        }
        var t = ws.Tm;
        Array.Clear(t, 0, b * b);
        Span<T> z = stackalloc T[Panel];
        for (int i = 0; i < b; i++)
        {
            T taui = ws.Tau[j + i];
            t[i * b + i] = taui;
            var vi = v.AsSpan(i * mm + i, mm - i);
            // T[0:i, i] = −tau_i · T[0:i, 0:i] · (Vᵀ[0:i] · v_i)
            for (int p = 0; p < i; p++) z[p] = Dot<T>(v.AsSpan(p * mm + i, mm - i), vi);
            for (int p = 0; p < i; p++)
            {
                T s = T.Zero;
                for (int q = p; q < i; q++) s += t[p * b + q] * z[q];
                t[p * b + i] = -taui * s;
            }
        }
    }

    /// <summary>
    /// Rows r0 … r1 − 1 of x (rows of length m), from column j on, times the block reflector of ws: D ← D − D·V·T·Vᵀ
    /// (that is Hᵀ applied to the columns of A the rows stand for), or with Tᵀ for H itself.
    /// </summary>
    private static void ApplyBlock<T>(T[] x, int m, int r0, int r1, int j, int b, Workspace<T> ws, bool transposeT)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = r1 - r0, mm = m - j;
        if (rows <= 0) return;
        var c = ws.C;
        for (int r = 0; r < rows; r++) x.AsSpan((r0 + r) * m + j, mm).CopyTo(c.AsSpan(r * mm, mm));
        Gemm.MultiplyTransposedB(c, 0, ws.V, 0, ws.Y, 0, rows, mm, b);           // Y = D·V
        if (transposeT) Gemm.MultiplyTransposedB(ws.Y, 0, ws.Tm, 0, ws.Y2, 0, rows, b, b); // Y·Tᵀ
        else Gemm.Multiply(ws.Y, 0, ws.Tm, 0, ws.Y2, 0, rows, b, b);                        // Y·T
        Gemm.Multiply(ws.Y2, 0, ws.V, 0, c, 0, rows, b, mm);                      // (Y·T)·Vᵀ
        for (int r = 0; r < rows; r++)
        {
            var d = x.AsSpan((r0 + r) * m + j, mm);
            TensorPrimitives.Subtract(d, c.AsSpan(r * mm, mm), d);
        }
    }
}

/// <summary>Which factors a QR computes: reduced (Q m×k, R k×n), complete (Q m×m, R m×n), or R alone.</summary>
internal enum QrMode { Reduced, Complete, R }
