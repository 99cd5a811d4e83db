using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels;

/// <summary>Matrix products on row-major buffers: c = op(a)·op(b), op being the identity or the transpose.</summary>
/// <remarks>
/// <para>
/// The general case follows the BLIS design. op(B) is copied once per block of columns into slivers
/// of NR columns, KC rows (one k-panel) at a time; each part of the work copies its rows of op(A)
/// into slivers of MR rows, MC rows at a time. The micro-kernel then reads both with unit stride and
/// keeps an MR×NR block of C in registers, updating it with one broadcast of A per row and two vector
/// loads of B per k step, all multiply-adds. A B sliver (KC×NR) stays in L1 while the A block (MC×KC)
/// stays in L2. Transposed operands are only a different gather while packing, so Aᵀ·B and A·Bᵀ cost
/// about what A·B costs. When C has at most 256 rows (a batch of 128 through a dense layer), op(A) is
/// small enough to stay in L2 as it lies, so the micro-kernel reads it in place (same arithmetic, same
/// order), and each part packs only the slivers of op(B) for its own columns: nothing is copied twice and
/// one fork-join suffices. (Reading B's rows in place instead, as an earlier version did, puts a sliver's
/// rows into a handful of L1 sets when a row is a multiple of 1 KB long, so each tile re-fetched the
/// sliver from L2: 10–40 % slower on one Zen 3 core for S2's products.)
/// </para>
/// <para>
/// Every kernel is written once against <see cref="IVec{V, T}"/> and compiled per vector width
/// (<see cref="Simd.ForGemm"/> picks one at start-up). The register tile is sized for the register file:
/// 6 rows × 2 vectors (12 accumulators, 2 B vectors and a broadcast in 16 registers) on AVX2 and SSE;
/// 12 rows × 2 vectors (24 + 3 of 32) on AVX-512 and ARM64. That is 6×16/6×8 (float32/float64) on
/// AVX2, 12×32/12×16 on AVX-512, 12×8/12×4 on ARM64. KC = 256 at every width: a KC×NR sliver of B is
/// 16–32 KB, and one KC keeps the bits of a product the same at every width (below). MC = 144 rows,
/// a multiple of both tile heights: 144×256 of A is 144 KB float32 (288 KB float64), inside L2.
/// </para>
/// <para>
/// Above a size threshold the rows of C (or, for few rows, usually its columns) are cut into a few parts per
/// core that the kernels' thread team (<see cref="Workers"/>) takes as they come; below it everything
/// runs on the calling thread, since even a hand-over to a spinning thread costs a few µs. Packing buffers are pinned,
/// per thread and reused, so a product
/// allocates nothing large; a thread keeps at most one packed B block (2²⁰ elements) and one A block
/// (MC×KC) per element type.
/// </para>
/// <para>
/// Matrix-vector shapes (one row or one column) and outer products (k = 1) bypass packing, which
/// would multiply their work by the padding. So do small products (at most 2¹³ multiply-adds, k ≤ KC),
/// whose copy of A would cost about what their arithmetic does: they keep a block of C of four rows × two
/// vectors (or eight rows × one) in registers and read A and B where they lie, copying only the columns
/// of op(B) that are not whole vectors of a row of B. Products of this size run on the calling thread
/// without a job object: at a few hundred nanoseconds, an allocation shows.
/// </para>
/// <para>
/// Determinism: every element of C is summed in one fixed order that depends only on k: KC-sized
/// panels, each a multiply-add chain in k order from zero, added to C panel after panel. Products
/// small enough to skip packing compute each element by the same chain. Edge tiles run the same
/// micro-kernel on zero-padded slivers. Threads own disjoint blocks of C. So neither the split over
/// threads, nor the path (small, A in place, A packed), nor the vector width changes a bit: the
/// register lanes are independent and KC is the same at every width. The one thing that does is the
/// instruction set's multiply-add (<see cref="Simd.HasFma"/>): fused (one rounding) with FMA3 and on
/// ARM64, a multiply then an add on x86 without FMA. Matrix-vector products with a reduction along
/// contiguous memory sum across vector lanes, in an order fixed for each width but not the same
/// between widths; every run at one width gives the same bits.
/// </para>
/// </remarks>
internal static unsafe class Gemm
{
    // Below this many multiply-adds, waking a second thread (~10 µs) costs more than it saves.
    private const long ParallelWork = 1L << 21;
    // Matrix-vector products are memory-bound; split them once the matrix is this many elements.
    private const long ParallelGemv = 1L << 17;
    private const int PartsPerCore = 3;
    // Up to this many rows of C, op(A) is read in place and each part packs its own columns of op(B).
    private const int FewRows = 256;
    // Up to this many multiply-adds (and k within one micro-kernel panel), a product skips packing.
    private const long SmallWork = 1L << 13;
    private const int KC = 256;

    /// <summary>c[m×n] = a[m×k] · b[k×n], each buffer starting at its offset; c is overwritten.</summary>
    internal static void Multiply<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product(Simd.ForGemm, a, aOff, false, b, bOff, false, c, cOff, m, k, n);

    /// <summary>c[m×n] = aᵀ · b where a is stored as k×m and b as k×n; c is overwritten. No transpose is
    /// materialised.</summary>
    internal static void MultiplyTransposedA<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product(Simd.ForGemm, a, aOff, true, b, bOff, false, c, cOff, m, k, n);

    /// <summary>c[m×n] = a · bᵀ where a is stored as m×k and b as n×k; c is overwritten. No transpose is
    /// materialised.</summary>
    internal static void MultiplyTransposedB<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product(Simd.ForGemm, a, aOff, false, b, bOff, true, c, cOff, m, k, n);

    /// <summary>
    /// c[m×n] = op(a)·op(b) with the kernels of the given width, whatever the machine runs best (a width
    /// the hardware lacks runs emulated by .NET: slow, with the same bits). Tests and benchmarks use it to
    /// reach every path on one machine.
    /// </summary>
    // op(A)(i, p) = A[i·ars + p·acs]; op(B)(p, j) = B[p·brs + j·bcs]; C is row-major with row stride n.
    internal static void Product<T>(Width width, T[] a, int aOff, bool ta, T[] b, int bOff, bool tb,
        T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ProductAddRow(width, a, aOff, ta, b, bOff, tb, null, 0, c, cOff, m, k, n);

    /// <summary>
    /// c[m×n] = op(a)·op(b) + bias, the row bias[biasOff ..][0..n) added to every row of the product (none where
    /// bias is null), at the given width. The bias is added to each tile of C as the micro-kernel writes it on the
    /// last k-panel (an epilogue), so the product is not read back; the bits are those of the product followed by
    /// c[i, j] + bias[j].
    /// </summary>
    internal static void ProductAddRow<T>(Width width, T[] a, int aOff, bool ta, T[] b, int bOff, bool tb,
        T[]? bias, int biasOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m < 0 || k < 0 || n < 0) throw new ArgumentException($"gemm: negative dimensions {m}×{k}·{k}×{n}");
        Fits(a, aOff, (long)m * k, "a");
        Fits(b, bOff, (long)k * n, "b");
        Fits(c, cOff, (long)m * n, "c");
        Strided(width, a, aOff, ta ? 1 : k, ta ? m : 1, b, bOff, tb ? 1 : n, tb ? k : 1, c, cOff, m, k, n, true,
            bias, biasOff);
    }

    /// <summary>c[m×n] = op(a)·op(b) + bias[biasOff ..][0..n) on every row, with the kernels this machine runs best
    /// (<see cref="ProductAddRow{T}"/>).</summary>
    internal static void MultiplyAddRow<T>(T[] a, int aOff, bool ta, T[] b, int bOff, bool tb, T[] bias, int biasOff,
        T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ProductAddRow(Simd.ForGemm, a, aOff, ta, b, bOff, tb, bias, biasOff, c, cOff, m, k, n);

    /// <summary>
    /// c[m×n] (row-major, overwritten) = A·B with op(A)(i, p) = a[aOff + i·ars + p·acs] and op(B)(p, j) =
    /// b[bOff + p·brs + j·bcs]: operands that are blocks of larger arrays (a convolution's channel rows). With
    /// <paramref name="parallel"/> false it runs on the calling thread alone, for callers that split their own work
    /// over the cores. A <paramref name="bias"/> row, if given, is added as in <see cref="ProductAddRow{T}"/>. The
    /// bits are those of <see cref="Product{T}"/>.
    /// </summary>
    internal static void Strided<T>(Width width, T[] a, int aOff, int ars, int acs, T[] b, int bOff, int brs, int bcs,
        T[] c, int cOff, int m, int k, int n, bool parallel, T[]? bias = null, int biasOff = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        if (bias is not null) Fits(bias, biasOff, n, "bias");
        if (k == 0)
        {
            c.AsSpan(cOff, m * n).Clear();
            AddRow(bias, biasOff, c, cOff, m, n);
            return;
        }
        // The pointer kernels check nothing: the last element each operand reads must lie in its array.
        Fits(a, aOff, (long)(m - 1) * ars + (long)(k - 1) * acs + 1, "a");
        Fits(b, bOff, (long)(k - 1) * brs + (long)(n - 1) * bcs + 1, "b");
        Fits(c, cOff, (long)m * n, "c");
        // A product of a few µs or less: straight to its kernel on this thread, with no job object.
        bool thin = k == 1 || m == 1 || n == 1;
        if (thin ? k == 1 || (long)m * k * n < ParallelGemv : (long)m * k * n <= SmallWork && k <= KC)
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                T* xa = pa + aOff, xb = pb + bOff, xc = pc + cOff;
                switch (width)
                {
                    case Width.V512: Direct<T, Vector512<T>, W512<T>>(xa, ars, acs, xb, brs, bcs, xc, m, k, n); break;
                    case Width.V256: Direct<T, Vector256<T>, W256<T>>(xa, ars, acs, xb, brs, bcs, xc, m, k, n); break;
                    case Width.V128: Direct<T, Vector128<T>, W128<T>>(xa, ars, acs, xb, brs, bcs, xc, m, k, n); break;
                    default: Direct<T, T, W1<T>>(xa, ars, acs, xb, brs, bcs, xc, m, k, n); break;
                }
            }
            AddRow(bias, biasOff, c, cOff, m, n);
            return;
        }
        var job = new Job<T>(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, k, n, parallel, bias, biasOff);
        switch (width)
        {
            case Width.V512: job.Start<Vector512<T>, W512<T>>(); break;
            case Width.V256: job.Start<Vector256<T>, W256<T>>(); break;
            case Width.V128: job.Start<Vector128<T>, W128<T>>(); break;
            default: job.Start<T, W1<T>>(); break;
        }
    }

    /// <summary>
    /// y1 = op(a)·x1 and y2 = op(a)·x2 for two vectors of length k, op(a) being a (stored m×k) or its
    /// transpose (a stored k×m), reading a once: a dual matrix-vector product's value and tangent. Each
    /// result has exactly the bits of the product with that vector alone.
    /// </summary>
    internal static void MultiplyVectorPair<T>(T[] a, bool ta, T[] x1, T[] x2, T[] y1, T[] y2, int m, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Fits(a, 0, (long)m * k, "a");
        Fits(x1, 0, k, "x1"); Fits(x2, 0, k, "x2");
        Fits(y1, 0, m, "y1"); Fits(y2, 0, m, "y2");
        if (m == 0) return;
        if (k == 0) { y1.AsSpan(0, m).Clear(); y2.AsSpan(0, m).Clear(); return; }
        var pair = new VectorPair<T>(a, ta, x1, x2, y1, y2, m, k);
        switch (Simd.ForGemm)
        {
            case Width.V512: pair.Run<Vector512<T>, W512<T>>(); break;
            case Width.V256: pair.Run<Vector256<T>, W256<T>>(); break;
            case Width.V128: pair.Run<Vector128<T>, W128<T>>(); break;
            default: pair.Run<T, W1<T>>(); break;
        }
    }

    /// <summary>c[i, j] += bias[j] after a product computed without its epilogue (the thin and small ones, a few µs
    /// at most, where a second pass over C costs less than a copy of each kernel with one).</summary>
    private static void AddRow<T>(T[]? bias, int biasOff, T[] c, int cOff, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias is null) return;
        var row = bias.AsSpan(biasOff, n);
        for (int i = 0; i < m; i++)
        {
            var ci = c.AsSpan(cOff + i * n, n);
            System.Numerics.Tensors.TensorPrimitives.Add(ci, row, ci);
        }
    }

    private static void Fits<T>(T[] x, int off, long count, string name)
    {
        if (off < 0 || off + count > x.Length)
            throw new ArgumentException($"gemm: {name} needs {count} elements from offset {off} but has {x.Length}");
    }

    /// <summary>One product: the general case hands over to a blocked job; a thin one (k = 1, m = 1 or n = 1) is split
    /// here into parts that own disjoint ranges of C.</summary>
    private sealed class Job<T>(T[] a, int aOff, int ars, int acs, T[] b, int bOff, int brs, int bcs,
        T[] c, int cOff, int m, int k, int n, bool maySplit, T[]? bias, int biasOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private int parts = 1;
        private bool splitRows;   // parts own row ranges of C (else column ranges)
        private const int Grain = 32;

        public void Start<V, W>() where V : struct where W : IVec<V, T>
        {
            if (k > 1 && m > 1 && n > 1)
            {
                bool parallel = maySplit && (long)m * k * n >= ParallelWork && Environment.ProcessorCount > 1;
                if (W.Width == Width.V512 || (W.Width == Width.V128 && Simd.ThirtyTwoRegisters))
                    new BlockedJob<T, V, W, Tile12x2<T, V, W>>(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, k, n,
                        bias, biasOff).Run(parallel);
                else
                    new BlockedJob<T, V, W, Tile6x2<T, V, W>>(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, k, n,
                        bias, biasOff).Run(parallel);
                return;
            }
            // An outer product splits its rows; a matrix-vector product its output vector.
            splitRows = k == 1 || n == 1;
            if (maySplit && k > 1 && (long)m * k * n >= ParallelGemv) parts = Environment.ProcessorCount;
            int extent = splitRows ? m : n;
            parts = Math.Max(1, Math.Min(parts, (extent + Grain - 1) / Grain));
            if (parts == 1) RunPart<V, W>(0);
            else Workers.For(parts, RunPart<V, W>);
            AddRow(bias, biasOff, c, cOff, m, n);
        }

        private void RunPart<V, W>(int part) where V : struct where W : IVec<V, T>
        {
            int extent = splitRows ? m : n;
            int tiles = (extent + Grain - 1) / Grain;
            int lo = Math.Min(extent, (int)((long)tiles * part / parts) * Grain);
            int hi = Math.Min(extent, (int)((long)tiles * (part + 1) / parts) * Grain);
            if (lo >= hi) return;
            fixed (T* pa0 = a, pb0 = b, pc0 = c)
            {
                T* pa = pa0 + aOff, pb = pb0 + bOff, pc = pc0 + cOff;
                int mm = m, nn = n;
                if (splitRows) { pa += (long)lo * ars; pc += (long)lo * n; mm = hi - lo; }
                else { pb += (long)lo * bcs; pc += lo; nn = hi - lo; }
                if (k == 1) Outer<T, V, W>(pa, ars, pb, pc, n, mm, nn);
                else Gemv<T, V, W>(pa, ars, acs, pb, brs, bcs, pc, mm, k, nn);
            }
        }
    }

    /// <summary>A product that runs on the calling thread without a job: a thin one to its kernel (as a single
    /// part of <see cref="Job{T}"/> would run it), any other to <see cref="Small{T, V, W}"/>.</summary>
    private static void Direct<T, V, W>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        if (k == 1) Outer<T, V, W>(a, ars, b, c, n, m, n);
        else if (m == 1 || n == 1) Gemv<T, V, W>(a, ars, acs, b, brs, bcs, c, m, k, n);
        else Small<T, V, W>(a, ars, acs, b, brs, bcs, c, n, m, k, n);
    }

    // ---------------------------------------------------------------------------------------------
    // Small products: too few multiply-adds to repay packing A.

    /// <summary>
    /// A small product (k ≤ KC) into c with row stride ldc, by blocks of C of four rows × two vectors or eight
    /// rows × one vector: each lane is one multiply-add chain in k order from zero, exactly as the micro-kernel
    /// computes it, so a product's bits do not depend on which path it took. op(B) is read in place where its
    /// rows run along C's rows, a whole number of vectors wide. The columns left over run at half the width
    /// while they fit in half a vector (same chains, fewer idle lanes; below 128 bits, one element at a time);
    /// the rest (all of op(B) when B is stored transposed) are first copied into a buffer whose rows are
    /// zero-padded to whole vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void Small<T, V, W>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int ldc,
        int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        int inPlace = bcs == 1 ? n - n % w : 0, rest = n - inPlace;
        SmallColumns<T, V, W>(a, ars, acs, b, brs, inPlace, c, ldc, m, k, inPlace);
        if (rest == 0) return;
        b += (long)inPlace * bcs;
        c += inPlace;
        if (2 * rest <= w && W.Width == Width.V512)
        {
            Small<T, Vector256<T>, W256<T>>(a, ars, acs, b, brs, bcs, c, ldc, m, k, rest);
            return;
        }
        if (2 * rest <= w && W.Width == Width.V256)
        {
            Small<T, Vector128<T>, W128<T>>(a, ars, acs, b, brs, bcs, c, ldc, m, k, rest);
            return;
        }
        if (2 * rest <= w && W.Width == Width.V128)
        {
            Small<T, T, W1<T>>(a, ars, acs, b, brs, bcs, c, ldc, m, k, rest);
            return;
        }
        int ld = RoundUp(rest, w);
        T* packed = Buffers<T>.B(ld * k);
        if (ld > rest) new Span<T>(packed, ld * k).Clear();
        if (bcs == 1)
        {
            for (int p = 0; p < k; p++)
                for (int j = 0; j < rest; j++) packed[p * ld + j] = b[(long)p * brs + j];
        }
        else
        {
            // B stored transposed (brs = 1): its rows are the columns of op(B).
            Transpose.Pack(b, bcs, rest, k, packed, ld);
        }
        SmallColumns<T, V, W>(a, ars, acs, packed, ld, ld, c, ldc, m, k, rest);
    }

    /// <summary>c[i, j] = Σ_p op(A)(i, p)·b[p·ldb + j] for i &lt; m, j &lt; cols, b's rows being width ≥ cols
    /// elements that are a whole number of vectors.</summary>
    private static void SmallColumns<T, V, W>(T* a, int ars, int acs, T* b, int ldb, int width, T* c, int ldc,
        int m, int k, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        int j = 0;
        for (; j + 2 * w <= width; j += 2 * w)
            for (int i = 0; i < m; i += 4)
                Small4x2<T, V, W>(a + (long)i * ars, ars, acs, Math.Min(4, m - i), b + j, ldb, k,
                    c + (long)i * ldc + j, ldc, Math.Min(2 * w, cols - j));
        if (j < width)
            for (int i = 0; i < m; i += 8)
                Small8x1<T, V, W>(a + (long)i * ars, ars, acs, Math.Min(8, m - i), b + j, ldb, k,
                    c + (long)i * ldc + j, ldc, Math.Min(w, cols - j));
    }

    /// <summary>c[r, j] = Σ_p a[r·ars + p·acs]·b[p·ldb + j] for r &lt; rows ≤ 4, j &lt; cols ≤ 2 vectors:
    /// eight accumulators, so that the multiply-adds' latency is hidden.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void Small4x2<T, V, W>(T* a, int ars, int acs, int rows, T* b, int ldb, int k,
        T* c, int ldc, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        // Past the last row, a block repeats it (no branch in the k loop) and stores nothing.
        T* a0 = a, a1 = a + Math.Min(1, rows - 1) * (long)ars, a2 = a + Math.Min(2, rows - 1) * (long)ars,
           a3 = a + Math.Min(3, rows - 1) * (long)ars;
        V c00 = default, c01 = default, c10 = default, c11 = default,
          c20 = default, c21 = default, c30 = default, c31 = default;
        for (long p = 0, q = 0; p < k; p++, q += acs, b += ldb)
        {
            V b0 = W.Load(b), b1 = W.Load(b + w);
            Row<T, V, W>(ref c00, ref c01, a0[q], b0, b1);
            Row<T, V, W>(ref c10, ref c11, a1[q], b0, b1);
            Row<T, V, W>(ref c20, ref c21, a2[q], b0, b1);
            Row<T, V, W>(ref c30, ref c31, a3[q], b0, b1);
        }
        long l = ldc;
        if (cols == 2 * w)
        {
            Put<T, V, W>(c, c00, c01, true);
            if (rows > 1) Put<T, V, W>(c + l, c10, c11, true);
            if (rows > 2) Put<T, V, W>(c + 2 * l, c20, c21, true);
            if (rows > 3) Put<T, V, W>(c + 3 * l, c30, c31, true);
            return;
        }
        // A last, partial block goes through a buffer, so that nothing is written past a row's end.
        T* edge = stackalloc T[2 * w];
        PutPart<T, V, W>(c, c00, c01, edge, cols);
        if (rows > 1) PutPart<T, V, W>(c + l, c10, c11, edge, cols);
        if (rows > 2) PutPart<T, V, W>(c + 2 * l, c20, c21, edge, cols);
        if (rows > 3) PutPart<T, V, W>(c + 3 * l, c30, c31, edge, cols);
    }

    /// <summary>c[r, j] = Σ_p a[r·ars + p·acs]·b[p·ldb + j] for r &lt; rows ≤ 8, j &lt; cols ≤ 1 vector: as
    /// <see cref="Small4x2{T, V, W}"/> for C one vector wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void Small8x1<T, V, W>(T* a, int ars, int acs, int rows, T* b, int ldb, int k,
        T* c, int ldc, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        long r = ars;
        int last = rows - 1;
        T* a0 = a, a1 = a + Math.Min(1, last) * r, a2 = a + Math.Min(2, last) * r, a3 = a + Math.Min(3, last) * r,
           a4 = a + Math.Min(4, last) * r, a5 = a + Math.Min(5, last) * r, a6 = a + Math.Min(6, last) * r,
           a7 = a + Math.Min(7, last) * r;
        V c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default,
          c7 = default;
        for (long p = 0, q = 0; p < k; p++, q += acs, b += ldb)
        {
            V b0 = W.Load(b);
            c0 = W.MulAdd(W.Splat(a0[q]), b0, c0);
            c1 = W.MulAdd(W.Splat(a1[q]), b0, c1);
            c2 = W.MulAdd(W.Splat(a2[q]), b0, c2);
            c3 = W.MulAdd(W.Splat(a3[q]), b0, c3);
            c4 = W.MulAdd(W.Splat(a4[q]), b0, c4);
            c5 = W.MulAdd(W.Splat(a5[q]), b0, c5);
            c6 = W.MulAdd(W.Splat(a6[q]), b0, c6);
            c7 = W.MulAdd(W.Splat(a7[q]), b0, c7);
        }
        long l = ldc;
        if (cols == W.Count)
        {
            W.Store(c0, c);
            if (rows > 1) W.Store(c1, c + l);
            if (rows > 2) W.Store(c2, c + 2 * l);
            if (rows > 3) W.Store(c3, c + 3 * l);
            if (rows > 4) W.Store(c4, c + 4 * l);
            if (rows > 5) W.Store(c5, c + 5 * l);
            if (rows > 6) W.Store(c6, c + 6 * l);
            if (rows > 7) W.Store(c7, c + 7 * l);
            return;
        }
        T* edge = stackalloc T[W.Count];
        PutPart<T, V, W>(c, c0, c0, edge, cols);
        if (rows > 1) PutPart<T, V, W>(c + l, c1, c1, edge, cols);
        if (rows > 2) PutPart<T, V, W>(c + 2 * l, c2, c2, edge, cols);
        if (rows > 3) PutPart<T, V, W>(c + 3 * l, c3, c3, edge, cols);
        if (rows > 4) PutPart<T, V, W>(c + 4 * l, c4, c4, edge, cols);
        if (rows > 5) PutPart<T, V, W>(c + 5 * l, c5, c5, edge, cols);
        if (rows > 6) PutPart<T, V, W>(c + 6 * l, c6, c6, edge, cols);
        if (rows > 7) PutPart<T, V, W>(c + 7 * l, c7, c7, edge, cols);
    }

    /// <summary>Stores the first cols lanes of x0 then x1 (x1 only when cols exceeds one vector) at c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPart<T, V, W>(T* c, V x0, V x1, T* edge, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        W.Store(x0, edge);
        if (cols > W.Count) W.Store(x1, edge + W.Count);
        for (int j = 0; j < cols; j++) c[j] = edge[j];
    }

    // ---------------------------------------------------------------------------------------------
    // General case: packed panels and a register-blocked micro-kernel.

    /// <summary>A register-blocked kernel: c[MR×NR] = (first ? 0 : c) + Σ_p a[p·MR + i]·b[p·ldb + j] over packed
    /// slivers.</summary>
    private interface IMicroKernel<T> where T : unmanaged
    {
        static abstract int MR { get; }
        static abstract int NR { get; }
        static abstract int MC { get; }  // rows of A packed at once: MC×KC stays in L2
        /// <summary>c[MR×NR] (row stride ldc) = (first ? 0 : c) + Σ_p a[p·MR + i]·b[p·NR + j], then + bias[j]
        /// where bias is not null (the caller passes it on the last k-panel).</summary>
        static abstract void Tile(T* a, T* b, int kc, T* c, int ldc, bool first, T* bias);
        /// <summary>As <see cref="Tile"/> with op(A) read where it lies, row r at a + r·ars and its k steps acs apart,
        /// and B a packed sliver; rows past <paramref name="rows"/> repeat the last one (their results are for the
        /// caller to drop).</summary>
        static abstract void TileRows(T* a, long ars, long acs, int rows, T* b, int kc, T* c, int ldc, bool first,
            T* bias);
    }

    /// <summary>
    /// One general product. Above <see cref="FewRows"/> rows, op(B) is packed once, for a block of columns at a time,
    /// into a buffer that every part reads; the parts then own disjoint row ranges of C and pack their own rows of
    /// op(A). With fewer rows, op(A) is read in place and each part packs the columns of op(B) it needs
    /// (<see cref="RunFew"/>). Either way each element of A and B is packed at most once (bar the few-rows row split,
    /// for products with too few columns to split), and a part that a late thread picks up changes nothing but the
    /// timing.
    /// </summary>
    private sealed class BlockedJob<T, V, W, K>(T[] a, int aOff, int ars, int acs, T[] b, int bOff, int brs, int bcs,
        T[] c, int cOff, int m, int k, int n, T[]? bias, int biasOff)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        where K : struct, IMicroKernel<T>
    {
        private const int PackLimit = 1 << 20;     // elements of packed B per column block (4 MB float32, 8 MB float64)
        private const int MinPartRows = 32, MinPartSlivers = 4;
        // Packed B per block of a part's columns in the few-rows mode: with the A panel, inside L2.
        private const int ChunkBytes = 128 << 10;
        private int jc, nc, ncPad, parts = 1;
        private bool splitRows;                      // few rows: parts own row ranges (else column ranges)
        private T* bp;                               // packed B of the current column block: panel after panel

        public void Run(bool parallel)
        {
            int NR = K.NR;
            int slivers = (n + NR - 1) / NR;
            if (m <= FewRows)
            {
                RunFew(parallel, slivers);
                return;
            }
            // More than FewRows rows: enough for a row split.
            if (parallel) parts = Math.Min(Environment.ProcessorCount * PartsPerCore, m / MinPartRows);
            int block = Math.Max(NR, Math.Min(slivers * NR, PackLimit / k / NR * NR));
            for (jc = 0; jc < n; jc += block)
            {
                nc = Math.Min(block, n - jc);
                ncPad = RoundUp(nc, NR);
                bp = Buffers<T>.B(ncPad * k);
                int panels = (k + KC - 1) / KC;
                if (parts > 1 && panels > 1) Workers.For(panels, PackPanel);
                else for (int panel = 0; panel < panels; panel++) PackPanel(panel);
                if (parts == 1) Part(0);
                else Workers.For(parts, Part);
            }
        }

        // ---- Few rows (m ≤ FewRows): A read in place, each part packing its own columns of B.

        /// <summary>
        /// C has few rows: op(A) is small enough to stay in L2 and is read where it lies, while each part packs the
        /// slivers of op(B) for its own columns (a block of <see cref="ChunkBytes"/> at a time, one k-panel deep), so a
        /// product packs nothing twice and needs one fork-join. The parts own column ranges of C while there are
        /// enough slivers for every core, else row ranges (each then packing every sliver it needs).
        /// </summary>
        private void RunFew(bool parallel, int slivers)
        {
            splitRows = false;
            if (parallel)
            {
                int cores = Environment.ProcessorCount, want = cores * PartsPerCore;
                int byColumns = slivers / MinPartSlivers;
                if (byColumns >= cores || m < 2 * MinPartRows) parts = Math.Max(1, Math.Min(want, byColumns));
                else { splitRows = true; parts = Math.Min(want, m / MinPartRows); }
            }
            if (parts == 1) FewPart(0);
            else Workers.For(parts, FewPart);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
        private void FewPart(int part)
        {
            int MR = K.MR, NR = K.NR, MC = K.MC;
            int i0 = 0, i1 = m, s0 = 0, s1 = (n + NR - 1) / NR;
            if (splitRows)
            {
                int tiles = (m + MR - 1) / MR;
                i0 = Math.Min(m, (int)((long)tiles * part / parts) * MR);
                i1 = Math.Min(m, (int)((long)tiles * (part + 1) / parts) * MR);
            }
            else
            {
                int all = s1;
                s0 = (int)((long)all * part / parts);
                s1 = (int)((long)all * (part + 1) / parts);
            }
            if (i0 >= i1 || s0 >= s1) return;
            int kcMax = Math.Min(KC, k);
            int chunk = Math.Max(1, ChunkBytes / (NR * kcMax * sizeof(T)));
            T* bp = Buffers<T>.B(Math.Min(chunk, s1 - s0) * NR * kcMax);
            T* edge = stackalloc T[MR * NR];
            fixed (T* pa0 = a, pb0 = b, pc0 = c, pbias0 = bias)
            {
                T* pa = pa0 + aOff, pb = pb0 + bOff, pcBase = pc0 + cOff;
                T* pbias = pbias0 == null ? null : pbias0 + biasOff;
                for (int c0 = s0; c0 < s1; c0 += chunk)
                {
                    int c1 = Math.Min(s1, c0 + chunk), j0 = c0 * NR, j1 = Math.Min(n, c1 * NR);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        bool first = pc == 0, last = pc + kc == k && pbias != null;
                        PackB<T, V, W>(pb + (long)pc * brs + (long)j0 * bcs, brs, bcs, kc, j1 - j0, NR, bp);
                        for (int ic = i0; ic < i1; ic += MC)
                        {
                            int mc = Math.Min(MC, i1 - ic);
                            for (int s = c0; s < c1; s++)
                            {
                                int jr = s * NR, nr = Math.Min(NR, n - jr);
                                T* bs = bp + (long)(s - c0) * NR * kc;
                                T* tb = last ? pbias + jr : null;
                                for (int ir = ic; ir < ic + mc; ir += MR)
                                {
                                    int mr = Math.Min(MR, ic + mc - ir);
                                    T* at = pa + (long)ir * ars + (long)pc * acs;
                                    T* cs = pcBase + (long)ir * n + jr;
                                    if (mr == MR && nr == NR) K.TileRows(at, ars, acs, MR, bs, kc, cs, n, first, tb);
                                    else
                                    {
                                        K.TileRows(at, ars, acs, mr, bs, kc, edge, NR, true, null);
                                        PutEdge(edge, NR, cs, n, mr, nr, first, tb);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        private void PackPanel(int panel)
        {
            int pc = panel * KC, kc = Math.Min(KC, k - pc);
            fixed (T* pb = b)
                PackB<T, V, W>(pb + bOff + (long)pc * brs + (long)jc * bcs, brs, bcs, kc, nc, K.NR,
                    bp + (long)pc * ncPad);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
        private void Part(int part)
        {
            int MR = K.MR, NR = K.NR, MC = K.MC;
            int tiles = (m + MR - 1) / MR, s1 = ncPad / NR;
            int i0 = Math.Min(m, (int)((long)tiles * part / parts) * MR);
            int i1 = Math.Min(m, (int)((long)tiles * (part + 1) / parts) * MR);
            if (i0 >= i1) return;
            T* ap = Buffers<T>.A(RoundUp(Math.Min(MC, i1 - i0), MR) * Math.Min(KC, k));
            T* edge = stackalloc T[MR * NR];
            fixed (T* pa0 = a, pc0 = c, pbias0 = bias)
            {
                T* pa = pa0 + aOff, pcBase = pc0 + cOff;
                T* pbias = pbias0 == null ? null : pbias0 + biasOff;
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        bool first = pc == 0, last = pc + kc == k && pbias != null;
                        PackA(pa + (long)ic * ars + (long)pc * acs, ars, acs, mc, kc, MR, ap);
                        T* panel = bp + (long)pc * ncPad;
                        for (int s = 0; s < s1; s++)
                        {
                            int jr = s * NR, nr = Math.Min(NR, nc - jr);
                            T* bs = panel + (long)jr * kc;
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                T* cs = pcBase + (long)(ic + ir) * n + jc + jr;
                                T* tb = last ? pbias + jc + jr : null;
                                if (mr == MR && nr == NR) K.Tile(ap + (long)ir * kc, bs, kc, cs, n, first, tb);
                                else
                                {
                                    K.Tile(ap + (long)ir * kc, bs, kc, edge, NR, true, null);
                                    PutEdge(edge, NR, cs, n, mr, nr, first, tb);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The last step of a tile that went through a buffer (a partial tile at C's edge): rows &lt; mr, columns &lt; nr
    /// of the buffer (row stride ldt) into c, as the micro-kernel stores a whole tile: c = x on the first k-panel,
    /// c + x after, and then + bias[j] where a bias row is given (on the last panel).
    /// </summary>
    private static void PutEdge<T>(T* tile, int ldt, T* c, int ldc, int mr, int nr, bool first, T* bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < mr; i++)
        {
            T* ci = c + (long)i * ldc, ti = tile + i * ldt;
            for (int j = 0; j < nr; j++)
            {
                T x = first ? ti[j] : ci[j] + ti[j];
                ci[j] = bias == null ? x : x + bias[j];
            }
        }
    }

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;

    /// <summary>Packs op(A)[mc×kc] into slivers of MR rows: sliver s holds a[s·MR + r, p] at p·MR + r,
    /// zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void PackA<T>(T* a, int rs, int cs, int mc, int kc, int MR, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int mr = Math.Min(MR, mc - i0);
            T* src = a + (long)i0 * rs;
            if (cs == 1 && mr == MR)
            {
                // Rows are contiguous: a transpose of MR rows into the sliver, written front to back.
                Transpose.Pack(src, rs, MR, kc, dst);
            }
            else if (cs == 1)
            {
                for (int r = 0; r < mr; r++)
                {
                    T* row = src + (long)r * rs;
                    for (int p = 0; p < kc; p++) dst[p * MR + r] = row[p];
                }
                for (int r = mr; r < MR; r++)
                    for (int p = 0; p < kc; p++) dst[p * MR + r] = T.Zero;
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* col = src + (long)p * cs;
                    int r = 0;
                    for (; r < mr; r++) dst[p * MR + r] = col[(long)r * rs];
                    for (; r < MR; r++) dst[p * MR + r] = T.Zero;
                }
            }
            dst += MR * kc;
        }
    }

    /// <summary>Packs op(B)[kc×nc] into slivers of NR columns: sliver s holds b[p, s·NR + j] at p·NR + j,
    /// zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void PackB<T, V, W>(T* b, int rs, int cs, int kc, int nc, int NR, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int full = nc / NR, rest = nc - full * NR;
        long sliver = (long)NR * kc;
        if (cs == 1)
        {
            // Rows are contiguous: read each row once, front to back, and deal it out to the slivers.
            for (int p = 0; p < kc; p++)
            {
                T* row = b + (long)p * rs;
                T* d = dst + p * NR;
                // NR is a whole number of vectors at every width.
                for (int s = 0; s < full; s++, row += NR, d += sliver)
                    for (int j = 0; j < NR; j += W.Count) W.Store(W.Load(row + j), d + j);
                if (rest > 0)
                {
                    int j = 0;
                    for (; j < rest; j++) d[j] = row[j];
                    for (; j < NR; j++) d[j] = T.Zero;
                }
            }
            return;
        }
        // Columns of op(B) are contiguous (B transposed): walk each and scatter it down its sliver.
        for (int j0 = 0; j0 < nc; j0 += NR)
        {
            int nr = Math.Min(NR, nc - j0);
            T* src = b + (long)j0 * cs;
            if (nr == NR && rs == 1)
            {
                // Columns of op(B) are rows of B: a transpose of NR of them into the sliver.
                Transpose.Pack(src, cs, NR, kc, dst);
                dst += sliver;
                continue;
            }
            for (int j = 0; j < nr; j++)
            {
                T* col = src + (long)j * cs;
                for (int p = 0; p < kc; p++) dst[p * NR + j] = col[(long)p * rs];
            }
            for (int j = nr; j < NR; j++)
                for (int p = 0; p < kc; p++) dst[p * NR + j] = T.Zero;
            dst += sliver;
        }
    }

    /// <summary>Per-thread packing buffers, pinned and 64-byte aligned, grown on demand and reused.</summary>
    private static class Buffers<T> where T : unmanaged
    {
        [ThreadStatic] private static T[]? a;
        [ThreadStatic] private static T[]? b;

        public static T* A(int count) => Get(ref a, count);
        public static T* B(int count) => Get(ref b, count);

        private static T* Get(ref T[]? buffer, int count)
        {
            int pad = 64 / sizeof(T);
            if (buffer is null || buffer.Length < count + pad)
                buffer = GC.AllocateUninitializedArray<T>(count + pad, pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref buffer[0]);
            return (T*)((p + 63) & ~(nint)63);
        }
    }

    /// <summary>
    /// 6 rows × 2 vectors: twelve accumulators, two B vectors and one broadcast of A fill sixteen registers
    /// (AVX2's ymm, SSE's xmm): 6×16 float32 and 6×8 float64 on AVX2.
    /// </summary>
    private readonly struct Tile6x2<T, V, W> : IMicroKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        public static int MR => 6;
        public static int NR => 2 * W.Count;
        public static int MC => 144;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile(T* a, T* b, int kc, T* c, int ldc, bool first, T* bias)
        {
            int w = W.Count;
            // The C tile was last touched a whole k-panel ago: start fetching it now, not at the end.
            for (int i = 0; i < 6; i++)
            {
                Simd.Prefetch(c + (long)i * ldc);
                Simd.Prefetch(c + (long)i * ldc + 2 * w - 1);
            }
            V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
              c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            int p = 0;
            // Unrolled by two: the loop's own instructions would otherwise slow the multiply-add stream.
            for (; p + 2 <= kc; p += 2, a += 12, b += 4 * w)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a[0], b0, b1); Row<T, V, W>(ref c10, ref c11, a[1], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a[2], b0, b1); Row<T, V, W>(ref c30, ref c31, a[3], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a[4], b0, b1); Row<T, V, W>(ref c50, ref c51, a[5], b0, b1);
                b0 = W.Load(b + 2 * w); b1 = W.Load(b + 3 * w);
                Row<T, V, W>(ref c00, ref c01, a[6], b0, b1); Row<T, V, W>(ref c10, ref c11, a[7], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a[8], b0, b1); Row<T, V, W>(ref c30, ref c31, a[9], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a[10], b0, b1); Row<T, V, W>(ref c50, ref c51, a[11], b0, b1);
            }
            if (p < kc)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a[0], b0, b1); Row<T, V, W>(ref c10, ref c11, a[1], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a[2], b0, b1); Row<T, V, W>(ref c30, ref c31, a[3], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a[4], b0, b1); Row<T, V, W>(ref c50, ref c51, a[5], b0, b1);
            }
            Store6x2<T, V, W>(c, ldc, first, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void TileRows(T* a, long ars, long acs, int rows, T* b, int kc, T* c, int ldc, bool first,
            T* bias)
        {
            int w = W.Count, nr = 2 * w;
            for (int i = 0; i < 6; i++)
            {
                Simd.Prefetch(c + (long)i * ldc);
                Simd.Prefetch(c + (long)i * ldc + nr - 1);
            }
            int last = rows - 1;
            T* a0 = a, a1 = a + Math.Min(1, last) * ars, a2 = a + Math.Min(2, last) * ars,
               a3 = a + Math.Min(3, last) * ars, a4 = a + Math.Min(4, last) * ars, a5 = a + Math.Min(5, last) * ars;
            V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
              c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            long q = 0;
            int p = 0;
            for (; p + 2 <= kc; p += 2, q += 2 * acs, b += 2 * nr)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a0[q], b0, b1); Row<T, V, W>(ref c10, ref c11, a1[q], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a2[q], b0, b1); Row<T, V, W>(ref c30, ref c31, a3[q], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a4[q], b0, b1); Row<T, V, W>(ref c50, ref c51, a5[q], b0, b1);
                long q1 = q + acs;
                b0 = W.Load(b + nr); b1 = W.Load(b + nr + w);
                Row<T, V, W>(ref c00, ref c01, a0[q1], b0, b1); Row<T, V, W>(ref c10, ref c11, a1[q1], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a2[q1], b0, b1); Row<T, V, W>(ref c30, ref c31, a3[q1], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a4[q1], b0, b1); Row<T, V, W>(ref c50, ref c51, a5[q1], b0, b1);
            }
            if (p < kc)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a0[q], b0, b1); Row<T, V, W>(ref c10, ref c11, a1[q], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a2[q], b0, b1); Row<T, V, W>(ref c30, ref c31, a3[q], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a4[q], b0, b1); Row<T, V, W>(ref c50, ref c51, a5[q], b0, b1);
            }
            Store6x2<T, V, W>(c, ldc, first, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
        }
    }

    /// <summary>
    /// 12 rows × 2 vectors: twenty-four accumulators, two B vectors and one broadcast of A in thirty-two
    /// registers (AVX-512's zmm, ARM64's q): 12×32 float32 and 12×16 float64 on AVX-512. Per k step it
    /// loads two B vectors for 24 multiply-adds, half the loads per multiply-add of the 6×2 tile.
    /// </summary>
    private readonly struct Tile12x2<T, V, W> : IMicroKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        public static int MR => 12;
        public static int NR => 2 * W.Count;
        public static int MC => 144;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile(T* a, T* b, int kc, T* c, int ldc, bool first, T* bias)
        {
            int w = W.Count;
            for (int i = 0; i < 12; i++)
            {
                Simd.Prefetch(c + (long)i * ldc);
                Simd.Prefetch(c + (long)i * ldc + 2 * w - 1);
            }
            V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
              c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
              c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
              c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
            for (int p = 0; p < kc; p++, a += 12, b += 2 * w)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a[0], b0, b1); Row<T, V, W>(ref c10, ref c11, a[1], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a[2], b0, b1); Row<T, V, W>(ref c30, ref c31, a[3], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a[4], b0, b1); Row<T, V, W>(ref c50, ref c51, a[5], b0, b1);
                Row<T, V, W>(ref c60, ref c61, a[6], b0, b1); Row<T, V, W>(ref c70, ref c71, a[7], b0, b1);
                Row<T, V, W>(ref c80, ref c81, a[8], b0, b1); Row<T, V, W>(ref c90, ref c91, a[9], b0, b1);
                Row<T, V, W>(ref ca0, ref ca1, a[10], b0, b1); Row<T, V, W>(ref cb0, ref cb1, a[11], b0, b1);
            }
            Store6x2<T, V, W>(c, ldc, first, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
            Store6x2<T, V, W>(c + 6L * ldc, ldc, first, bias, c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1,
                cb0, cb1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void TileRows(T* a, long ars, long acs, int rows, T* b, int kc, T* c, int ldc, bool first,
            T* bias)
        {
            int w = W.Count, nr = 2 * w;
            for (int i = 0; i < 12; i++)
            {
                Simd.Prefetch(c + (long)i * ldc);
                Simd.Prefetch(c + (long)i * ldc + nr - 1);
            }
            // Twelve row pointers would not all stay in registers: rows are reached from two bases, six apart.
            int last = rows - 1, six = Math.Min(6, last);
            long r1 = Math.Min(1, last) * ars, r2 = Math.Min(2, last) * ars, r3 = Math.Min(3, last) * ars,
                 r4 = Math.Min(4, last) * ars, r5 = Math.Min(5, last) * ars;
            T* g = a + six * ars;
            long s1 = (Math.Min(7, last) - six) * ars, s2 = (Math.Min(8, last) - six) * ars,
                 s3 = (Math.Min(9, last) - six) * ars, s4 = (Math.Min(10, last) - six) * ars,
                 s5 = (Math.Min(11, last) - six) * ars;
            V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
              c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
              c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
              c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
            for (int p = 0; p < kc; p++, a += acs, g += acs, b += nr)
            {
                V b0 = W.Load(b), b1 = W.Load(b + w);
                Row<T, V, W>(ref c00, ref c01, a[0], b0, b1); Row<T, V, W>(ref c10, ref c11, a[r1], b0, b1);
                Row<T, V, W>(ref c20, ref c21, a[r2], b0, b1); Row<T, V, W>(ref c30, ref c31, a[r3], b0, b1);
                Row<T, V, W>(ref c40, ref c41, a[r4], b0, b1); Row<T, V, W>(ref c50, ref c51, a[r5], b0, b1);
                Row<T, V, W>(ref c60, ref c61, g[0], b0, b1); Row<T, V, W>(ref c70, ref c71, g[s1], b0, b1);
                Row<T, V, W>(ref c80, ref c81, g[s2], b0, b1); Row<T, V, W>(ref c90, ref c91, g[s3], b0, b1);
                Row<T, V, W>(ref ca0, ref ca1, g[s4], b0, b1); Row<T, V, W>(ref cb0, ref cb1, g[s5], b0, b1);
            }
            Store6x2<T, V, W>(c, ldc, first, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
            Store6x2<T, V, W>(c + 6L * ldc, ldc, first, bias, c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1,
                cb0, cb1);
        }
    }

    /// <summary>Stores six rows of two vectors each, row stride ldc: c = x on the first k-panel, c + x after, then
    /// + the bias row where one is given (on the last panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store6x2<T, V, W>(T* c, int ldc, bool first, T* bias, V c00, V c01, V c10, V c11, V c20,
        V c21, V c30, V c31, V c40, V c41, V c50, V c51)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        if (bias == null)
        {
            Put<T, V, W>(c, c00, c01, first); c += ldc;
            Put<T, V, W>(c, c10, c11, first); c += ldc;
            Put<T, V, W>(c, c20, c21, first); c += ldc;
            Put<T, V, W>(c, c30, c31, first); c += ldc;
            Put<T, V, W>(c, c40, c41, first); c += ldc;
            Put<T, V, W>(c, c50, c51, first);
            return;
        }
        V e0 = W.Load(bias), e1 = W.Load(bias + W.Count);
        PutBias<T, V, W>(c, c00, c01, first, e0, e1); c += ldc;
        PutBias<T, V, W>(c, c10, c11, first, e0, e1); c += ldc;
        PutBias<T, V, W>(c, c20, c21, first, e0, e1); c += ldc;
        PutBias<T, V, W>(c, c30, c31, first, e0, e1); c += ldc;
        PutBias<T, V, W>(c, c40, c41, first, e0, e1); c += ldc;
        PutBias<T, V, W>(c, c50, c51, first, e0, e1);
    }

    /// <summary>One row of a tile for one k step: both accumulators gain a·b, one broadcast of a for two B
    /// vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<T, V, W>(ref V c0, ref V c1, T a, V b0, V b1)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var x = W.Splat(a);
        c0 = W.MulAdd(x, b0, c0);
        c1 = W.MulAdd(x, b1, c1);
    }

    /// <summary>Stores one row of a tile: c = x on the first k-panel, c + x after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T, V, W>(T* c, V x0, V x1, bool first)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        if (!first) { x0 = W.Add(W.Load(c), x0); x1 = W.Add(W.Load(c + W.Count), x1); }
        W.Store(x0, c);
        W.Store(x1, c + W.Count);
    }

    /// <summary>Stores one row of a tile on the last k-panel with the bias row e: (c = x on the first panel, c + x
    /// after) + e, the order of a product followed by an addition of the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutBias<T, V, W>(T* c, V x0, V x1, bool first, V e0, V e1)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        if (!first) { x0 = W.Add(W.Load(c), x0); x1 = W.Add(W.Load(c + W.Count), x1); }
        W.Store(W.Add(x0, e0), c);
        W.Store(W.Add(x1, e1), c + W.Count);
    }

    // ---------------------------------------------------------------------------------------------
    // Thin shapes: one row or one column of C, and outer products.

    /// <summary>
    /// m = 1 or n = 1. The vector operand is contiguous whichever way it is stored. The matrix operand is
    /// read along its storage rows: as dot products when those rows are the rows of the product's
    /// reduction, as scaled row sums (axpy) when they run along the output.
    /// </summary>
    private static void Gemv<T, V, W>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        if (n == 1)
        {
            // c[i] = Σ_p op(A)(i, p)·b[p]
            if (acs == 1 || m == 1) DotRows<T, V, W>(a, ars, m, k, b, c);
            else AxpyRows<T, V, W>(a, acs, k, m, b, c);
        }
        else
        {
            // c[j] = Σ_p a[p]·op(B)(p, j)
            if (bcs == 1) AxpyRows<T, V, W>(b, brs, k, n, a, c);
            else DotRows<T, V, W>(b, bcs, n, k, a, c);
        }
    }

    /// <summary>y[r] = Σ_p m[r·ld + p]·x[p] for r &lt; rows, p &lt; len: lane l of a row's accumulator sums
    /// the p ≡ l (mod width), then the lanes are added and the tail follows in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void DotRows<T, V, W>(T* mat, int ld, int rows, int len, T* x, T* y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        int vec = len - len % w;
        int r0 = 0;
        for (; r0 + 4 <= rows; r0 += 4)
        {
            T* m0 = mat + (long)r0 * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
            V s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < vec; p += w)
            {
                var xv = W.Load(x + p);
                s0 = W.MulAdd(W.Load(m0 + p), xv, s0);
                s1 = W.MulAdd(W.Load(m1 + p), xv, s1);
                s2 = W.MulAdd(W.Load(m2 + p), xv, s2);
                s3 = W.MulAdd(W.Load(m3 + p), xv, s3);
            }
            T t0 = W.Sum(s0), t1 = W.Sum(s1), t2 = W.Sum(s2), t3 = W.Sum(s3);
            for (int p = vec; p < len; p++)
            {
                T xp = x[p];
                t0 = Simd.MulAdd(m0[p], xp, t0); t1 = Simd.MulAdd(m1[p], xp, t1);
                t2 = Simd.MulAdd(m2[p], xp, t2); t3 = Simd.MulAdd(m3[p], xp, t3);
            }
            y[r0] = t0; y[r0 + 1] = t1; y[r0 + 2] = t2; y[r0 + 3] = t3;
        }
        for (; r0 < rows; r0++)
        {
            // A lone row splits its lanes over two accumulators: two multiply-add chains in flight, not one.
            T* m0 = mat + (long)r0 * ld;
            V s0 = default, s1 = default;
            int p = 0;
            for (; p + 2 * w <= vec; p += 2 * w)
            {
                s0 = W.MulAdd(W.Load(m0 + p), W.Load(x + p), s0);
                s1 = W.MulAdd(W.Load(m0 + p + w), W.Load(x + p + w), s1);
            }
            for (; p < vec; p += w) s0 = W.MulAdd(W.Load(m0 + p), W.Load(x + p), s0);
            T t0 = W.Sum(W.Add(s0, s1));
            for (p = vec; p < len; p++) t0 = Simd.MulAdd(m0[p], x[p], t0);
            y[r0] = t0;
        }
    }

    /// <summary>y[j] = Σ_p x[p]·m[p·ld + j] for j &lt; width, p &lt; len: rows of m scaled and summed in order of
    /// p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void AxpyRows<T, V, W>(T* mat, int ld, int len, int width, T* x, T* y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        // Rows stream through front to back, eight at a time, into y (which stays in L1). Each y[j]
        // is one multiply-add chain in order of p, in a vector lane or in the tail alike, so neither
        // the width nor the column split between threads changes a bit.
        int w = W.Count;
        int vec = width - width % w;
        new Span<T>(y, width).Clear();
        int p0 = 0;
        for (; p0 + 8 <= len; p0 += 8)
        {
            T* r0 = mat + (long)p0 * ld;
            long l = ld;
            V v0 = W.Splat(x[p0]), v1 = W.Splat(x[p0 + 1]), v2 = W.Splat(x[p0 + 2]), v3 = W.Splat(x[p0 + 3]),
              v4 = W.Splat(x[p0 + 4]), v5 = W.Splat(x[p0 + 5]), v6 = W.Splat(x[p0 + 6]), v7 = W.Splat(x[p0 + 7]);
            for (int j = 0; j < vec; j += w)
            {
                T* q = r0 + j;
                var acc = W.Load(y + j);
                acc = W.MulAdd(v0, W.Load(q), acc);
                acc = W.MulAdd(v1, W.Load(q + l), acc);
                acc = W.MulAdd(v2, W.Load(q + 2 * l), acc);
                acc = W.MulAdd(v3, W.Load(q + 3 * l), acc);
                acc = W.MulAdd(v4, W.Load(q + 4 * l), acc);
                acc = W.MulAdd(v5, W.Load(q + 5 * l), acc);
                acc = W.MulAdd(v6, W.Load(q + 6 * l), acc);
                acc = W.MulAdd(v7, W.Load(q + 7 * l), acc);
                W.Store(acc, y + j);
            }
            for (int j = vec; j < width; j++)
            {
                T acc = y[j];
                for (int i = 0; i < 8; i++) acc = Simd.MulAdd(x[p0 + i], r0[i * l + j], acc);
                y[j] = acc;
            }
        }
        for (; p0 < len; p0++)
        {
            T* r0 = mat + (long)p0 * ld;
            T x0 = x[p0];
            var v0 = W.Splat(x0);
            for (int j = 0; j < vec; j += w) W.Store(W.MulAdd(v0, W.Load(r0 + j), W.Load(y + j)), y + j);
            for (int j = vec; j < width; j++) y[j] = Simd.MulAdd(x0, r0[j], y[j]);
        }
    }

    /// <summary>
    /// Two matrix-vector products over one matrix, split into parts exactly as a single product with
    /// n = 1 is (<see cref="Job{T}"/>), and each part computed by the pair twin of the kernel that product
    /// would run, so both results keep the single product's bits.
    /// </summary>
    private sealed class VectorPair<T>(T[] a, bool ta, T[] x1, T[] x2, T[] y1, T[] y2, int m, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Grain = 32;
        private int parts = 1;

        public void Run<V, W>() where V : struct where W : IVec<V, T>
        {
            if ((long)m * k >= ParallelGemv)
                parts = Math.Max(1, Math.Min(Environment.ProcessorCount, (m + Grain - 1) / Grain));
            if (parts == 1) Part<V, W>(0);
            else Workers.For(parts, Part<V, W>);
        }

        private void Part<V, W>(int part) where V : struct where W : IVec<V, T>
        {
            int tiles = (m + Grain - 1) / Grain;
            int lo = Math.Min(m, (int)((long)tiles * part / parts) * Grain);
            int hi = Math.Min(m, (int)((long)tiles * (part + 1) / parts) * Grain);
            if (lo >= hi) return;
            fixed (T* pa = a, p1 = x1, p2 = x2, q1 = y1, q2 = y2)
            {
                // As Gemv with n = 1: rows of a are the reduction (dot products) unless a is stored transposed.
                if (!ta || m == 1) DotRowsPair<T, V, W>(pa + (long)lo * k, k, hi - lo, k, p1, p2, q1 + lo, q2 + lo);
                else AxpyRowsPair<T, V, W>(pa + lo, m, k, hi - lo, p1, p2, q1 + lo, q2 + lo);
            }
        }
    }

    /// <summary><see cref="DotRows{T, V, W}"/> for two vectors at once: each matrix row is loaded once for
    /// both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void DotRowsPair<T, V, W>(T* mat, int ld, int rows, int len, T* x, T* z, T* y, T* u)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        int vec = len - len % w;
        int r0 = 0;
        for (; r0 + 4 <= rows; r0 += 4)
        {
            T* m0 = mat + (long)r0 * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
            V s0 = default, s1 = default, s2 = default, s3 = default,
              t0 = default, t1 = default, t2 = default, t3 = default;
            for (int p = 0; p < vec; p += w)
            {
                V xv = W.Load(x + p), zv = W.Load(z + p),
                  a0 = W.Load(m0 + p), a1 = W.Load(m1 + p), a2 = W.Load(m2 + p), a3 = W.Load(m3 + p);
                s0 = W.MulAdd(a0, xv, s0); t0 = W.MulAdd(a0, zv, t0);
                s1 = W.MulAdd(a1, xv, s1); t1 = W.MulAdd(a1, zv, t1);
                s2 = W.MulAdd(a2, xv, s2); t2 = W.MulAdd(a2, zv, t2);
                s3 = W.MulAdd(a3, xv, s3); t3 = W.MulAdd(a3, zv, t3);
            }
            T e0 = W.Sum(s0), e1 = W.Sum(s1), e2 = W.Sum(s2), e3 = W.Sum(s3);
            T f0 = W.Sum(t0), f1 = W.Sum(t1), f2 = W.Sum(t2), f3 = W.Sum(t3);
            for (int p = vec; p < len; p++)
            {
                T xp = x[p], zp = z[p];
                e0 = Simd.MulAdd(m0[p], xp, e0); e1 = Simd.MulAdd(m1[p], xp, e1);
                e2 = Simd.MulAdd(m2[p], xp, e2); e3 = Simd.MulAdd(m3[p], xp, e3);
                f0 = Simd.MulAdd(m0[p], zp, f0); f1 = Simd.MulAdd(m1[p], zp, f1);
                f2 = Simd.MulAdd(m2[p], zp, f2); f3 = Simd.MulAdd(m3[p], zp, f3);
            }
            y[r0] = e0; y[r0 + 1] = e1; y[r0 + 2] = e2; y[r0 + 3] = e3;
            u[r0] = f0; u[r0 + 1] = f1; u[r0 + 2] = f2; u[r0 + 3] = f3;
        }
        for (; r0 < rows; r0++)
        {
            T* m0 = mat + (long)r0 * ld;
            V s0 = default, s1 = default, t0 = default, t1 = default;
            int p = 0;
            for (; p + 2 * w <= vec; p += 2 * w)
            {
                V a0 = W.Load(m0 + p), a1 = W.Load(m0 + p + w);
                s0 = W.MulAdd(a0, W.Load(x + p), s0); s1 = W.MulAdd(a1, W.Load(x + p + w), s1);
                t0 = W.MulAdd(a0, W.Load(z + p), t0); t1 = W.MulAdd(a1, W.Load(z + p + w), t1);
            }
            for (; p < vec; p += w)
            {
                V a0 = W.Load(m0 + p);
                s0 = W.MulAdd(a0, W.Load(x + p), s0); t0 = W.MulAdd(a0, W.Load(z + p), t0);
            }
            T e0 = W.Sum(W.Add(s0, s1)), f0 = W.Sum(W.Add(t0, t1));
            for (p = vec; p < len; p++) { e0 = Simd.MulAdd(m0[p], x[p], e0); f0 = Simd.MulAdd(m0[p], z[p], f0); }
            y[r0] = e0; u[r0] = f0;
        }
    }

    /// <summary><see cref="AxpyRows{T, V, W}"/> for two vectors at once: y = Σ_p x[p]·row p and u = Σ_p z[p]·row p,
    /// each row read once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void AxpyRowsPair<T, V, W>(T* mat, int ld, int len, int width, T* x, T* z, T* y, T* u)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count;
        int vec = width - width % w;
        new Span<T>(y, width).Clear();
        new Span<T>(u, width).Clear();
        int p0 = 0;
        // Four rows at a time (eight broadcasts live); each output is still one chain in order of p.
        for (; p0 + 4 <= len; p0 += 4)
        {
            T* r0 = mat + (long)p0 * ld;
            long l = ld;
            V v0 = W.Splat(x[p0]), v1 = W.Splat(x[p0 + 1]), v2 = W.Splat(x[p0 + 2]), v3 = W.Splat(x[p0 + 3]);
            V g0 = W.Splat(z[p0]), g1 = W.Splat(z[p0 + 1]), g2 = W.Splat(z[p0 + 2]), g3 = W.Splat(z[p0 + 3]);
            for (int j = 0; j < vec; j += w)
            {
                T* q = r0 + j;
                V a0 = W.Load(q), a1 = W.Load(q + l), a2 = W.Load(q + 2 * l), a3 = W.Load(q + 3 * l);
                var acc = W.Load(y + j);
                acc = W.MulAdd(v0, a0, acc); acc = W.MulAdd(v1, a1, acc);
                acc = W.MulAdd(v2, a2, acc); acc = W.MulAdd(v3, a3, acc);
                W.Store(acc, y + j);
                var bcc = W.Load(u + j);
                bcc = W.MulAdd(g0, a0, bcc); bcc = W.MulAdd(g1, a1, bcc);
                bcc = W.MulAdd(g2, a2, bcc); bcc = W.MulAdd(g3, a3, bcc);
                W.Store(bcc, u + j);
            }
            for (int j = vec; j < width; j++)
            {
                T acc = y[j], bcc = u[j];
                for (int i = 0; i < 4; i++)
                {
                    acc = Simd.MulAdd(x[p0 + i], r0[i * l + j], acc);
                    bcc = Simd.MulAdd(z[p0 + i], r0[i * l + j], bcc);
                }
                y[j] = acc; u[j] = bcc;
            }
        }
        for (; p0 < len; p0++)
        {
            T* r0 = mat + (long)p0 * ld;
            T x0 = x[p0], z0 = z[p0];
            V v0 = W.Splat(x0), g0 = W.Splat(z0);
            for (int j = 0; j < vec; j += w)
            {
                var a0 = W.Load(r0 + j);
                W.Store(W.MulAdd(v0, a0, W.Load(y + j)), y + j);
                W.Store(W.MulAdd(g0, a0, W.Load(u + j)), u + j);
            }
            for (int j = vec; j < width; j++)
            {
                y[j] = Simd.MulAdd(x0, r0[j], y[j]);
                u[j] = Simd.MulAdd(z0, r0[j], u[j]);
            }
        }
    }

    /// <summary>k = 1: c[i, j] = b[j]·a[i], both vectors contiguous. Each row is one scaling of b, written here
    /// rather than called per row (a call costs more than a short row); b's element is the first operand, as in
    /// TensorPrimitives.Multiply, so even a NaN keeps its payload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void Outer<T, V, W>(T* a, int ars, T* b, T* c, int ldc, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int w = W.Count, vec = n - n % w;
        for (int i = 0; i < m; i++)
        {
            T ai = a[(long)i * ars];
            V s = W.Splat(ai);
            T* ci = c + (long)i * ldc;
            int j = 0;
            for (; j < vec; j += w) W.Store(W.Mul(W.Load(b + j), s), ci + j);
            for (; j < n; j++) ci[j] = b[j] * ai;
        }
    }
}
