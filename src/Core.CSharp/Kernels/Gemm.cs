using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FuncGrad.Kernels;

/// <summary>Matrix products on row-major buffers: c = op(a)·op(b), op being the identity or the transpose.</summary>
/// <remarks>
/// <para>
/// The general case follows the BLIS design. B is copied, a k-panel at a time, into slivers of NR
/// columns, A into slivers of MR rows, so that the micro-kernel reads both with unit stride. The
/// micro-kernel keeps an MR×NR block of C in twelve Vector256 registers (6×16 float32, 6×8 float64)
/// and updates it with one broadcast of A and two loads of B per k step, all fused multiply-adds.
/// A B sliver (KC×NR) stays in L1 while the A block (MC×KC) stays in L2. Transposed operands are
/// only a different gather while packing, so Aᵀ·B and A·Bᵀ cost the same as A·B.
/// </para>
/// <para>
/// Matrix-vector shapes (one row or one column) and outer products (k = 1) bypass packing, which
/// would multiply their work by the padding.
/// </para>
/// <para>
/// Determinism: every element of C is summed in one fixed order that depends only on k (KC-sized
/// panels, each an FMA chain in k order, added to C panel after panel). Edge tiles run the same
/// micro-kernel on zero-padded slivers. Threads own disjoint blocks of C, so neither the split nor the
/// timing of the threads can change a single bit of the result.
/// </para>
/// </remarks>
internal static unsafe class Gemm
{
    // Below this many multiply-adds, waking a second thread (~10 µs) costs more than it saves.
    private const long ParallelWork = 1L << 21;
    // Matrix-vector products are memory-bound; split them once the matrix is this many elements.
    private const long ParallelGemv = 1L << 17;
    private const int PartsPerCore = 4;

    private static bool Simd => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>c[m×n] = a[m×k] · b[k×n], each buffer starting at its offset; c is overwritten.</summary>
    internal static void Multiply<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, aOff, false, b, bOff, false, c, cOff, m, k, n);

    /// <summary>c[m×n] = aᵀ · b where a is stored as k×m and b as k×n; c is overwritten. No transpose is materialised.</summary>
    internal static void MultiplyTransposedA<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, aOff, true, b, bOff, false, c, cOff, m, k, n);

    /// <summary>c[m×n] = a · bᵀ where a is stored as m×k and b as n×k; c is overwritten. No transpose is materialised.</summary>
    internal static void MultiplyTransposedB<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, aOff, false, b, bOff, true, c, cOff, m, k, n);

    // op(A)(i, p) = A[i·ars + p·acs]; op(B)(p, j) = B[p·brs + j·bcs]; C is row-major with row stride n.
    private static void Run<T>(T[] a, int aOff, bool ta, T[] b, int bOff, bool tb, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m < 0 || k < 0 || n < 0) throw new ArgumentException($"gemm: negative dimensions {m}×{k}·{k}×{n}");
        Fits(a, aOff, (long)m * k, "a");
        Fits(b, bOff, (long)k * n, "b");
        Fits(c, cOff, (long)m * n, "c");
        if (m == 0 || n == 0) return;
        if (k == 0) { c.AsSpan(cOff, m * n).Clear(); return; }
        var job = new Job<T>(a, aOff, ta ? 1 : k, ta ? m : 1, b, bOff, tb ? 1 : n, tb ? k : 1, c, cOff, m, k, n);
        job.Start();
    }

    private static void Fits<T>(T[] x, int off, long count, string name)
    {
        if (off < 0 || off + count > x.Length)
            throw new ArgumentException($"gemm: {name} needs {count} elements from offset {off} but has {x.Length}");
    }

    /// <summary>One product, split into parts that run on separate threads and own disjoint blocks of C.</summary>
    private sealed class Job<T>(T[] a, int aOff, int ars, int acs, T[] b, int bOff, int brs, int bcs, T[] c, int cOff, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private int parts = 1;
        private bool splitRows;   // parts own row ranges of C (else column ranges)
        private int grain;        // ranges are multiples of this (a tile or a vector width)
        private Kind kind;

        private enum Kind { Outer, Gemv, Gemm }

        public void Start()
        {
            long work = (long)m * k * n;
            int cores = Environment.ProcessorCount;
            if (k == 1) { kind = Kind.Outer; splitRows = true; grain = 1; }
            else if (m == 1 || n == 1)
            {
                kind = Kind.Gemv;
                splitRows = n == 1;  // split the output vector, whichever way it lies
                grain = 32;
                if (work >= ParallelGemv) parts = cores;
            }
            else
            {
                kind = Kind.Gemm;
                int mr = 6, nr = typeof(T) == typeof(float) ? 16 : 8;
                if (!Simd) mr = nr = 4;
                // Split the dimension with more tiles; each part packs its own panels. Several parts
                // per core let a core that started late (a sleeping pool thread) take fewer of them.
                splitRows = (m + mr - 1) / mr >= (n + nr - 1) / nr;
                grain = splitRows ? mr : nr;
                if (work >= ParallelWork) parts = cores * PartsPerCore;
                int minExtent = splitRows ? 48 : 64; // parts narrower than this repack their panels too often
                parts = Math.Min(parts, Math.Max(1, (splitRows ? m : n) / minExtent));
            }
            int extent = splitRows ? m : n;
            parts = Math.Max(1, Math.Min(parts, (extent + grain - 1) / grain));
            if (parts == 1) RunPart(0);
            else Parallel.For(0, parts, RunPart);
        }

        private void RunPart(int part)
        {
            int extent = splitRows ? m : n;
            int tiles = (extent + grain - 1) / grain;
            int lo = Math.Min(extent, (int)((long)tiles * part / parts) * grain);
            int hi = Math.Min(extent, (int)((long)tiles * (part + 1) / parts) * grain);
            if (lo >= hi) return;
            fixed (T* pa0 = a, pb0 = b, pc0 = c)
            {
                T* pa = pa0 + aOff, pb = pb0 + bOff, pc = pc0 + cOff;
                int mm = m, nn = n;
                if (splitRows) { pa += (long)lo * ars; pc += (long)lo * n; mm = hi - lo; }
                else { pb += (long)lo * bcs; pc += lo; nn = hi - lo; }
                switch (kind)
                {
                    case Kind.Outer: Outer(pa, ars, pb, bcs, pc, n, mm, nn); break;
                    case Kind.Gemv: Gemv(pa, ars, acs, pb, brs, bcs, pc, mm, k, nn); break;
                    default: Blocked(pa, ars, acs, pb, brs, bcs, pc, n, mm, k, nn); break;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // General case: packed panels and a register-blocked micro-kernel.

    private static void Blocked<T>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int ldc, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd && typeof(T) == typeof(float))
            Blocked<float, F32Kernel>((float*)a, ars, acs, (float*)b, brs, bcs, (float*)c, ldc, m, k, n);
        else if (Simd && typeof(T) == typeof(double))
            Blocked<double, F64Kernel>((double*)a, ars, acs, (double*)b, brs, bcs, (double*)c, ldc, m, k, n);
        else
            Blocked<T, ScalarKernel<T>>(a, ars, acs, b, brs, bcs, c, ldc, m, k, n);
    }

    /// <summary>A register-blocked kernel: c[MR×NR] = (first ? 0 : c) + Σ_p a[p·MR + i]·b[p·NR + j] over packed slivers.</summary>
    private interface IMicroKernel<T> where T : unmanaged
    {
        static abstract int MR { get; }
        static abstract int NR { get; }
        static abstract int KC { get; }  // k-panel: a KC×NR sliver of B stays in L1
        static abstract int MC { get; }  // rows of A packed at once: MC×KC stays in L2
        static abstract int NC { get; }  // columns of B packed at once
        static abstract void Tile(T* a, T* b, int kc, T* c, int ldc, bool first);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void Blocked<T, K>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int ldc, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where K : struct, IMicroKernel<T>
    {
        int MR = K.MR, NR = K.NR, KC = K.KC, MC = K.MC, NC = K.NC;
        int kcMax = Math.Min(KC, k);
        T* ap = Buffers<T>.A(RoundUp(Math.Min(MC, m), MR) * kcMax);
        T* bp = Buffers<T>.B(RoundUp(Math.Min(NC, n), NR) * kcMax);
        T* edge = stackalloc T[MR * NR];
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool first = pc == 0;
                PackB(b + (long)pc * brs + (long)jc * bcs, brs, bcs, kc, nc, NR, bp);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    PackA(a + (long)ic * ars + (long)pc * acs, ars, acs, mc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR)
                    {
                        int nr = Math.Min(NR, nc - jr);
                        T* bs = bp + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            int mr = Math.Min(MR, mc - ir);
                            T* cs = c + (long)(ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) K.Tile(ap + (long)ir * kc, bs, kc, cs, ldc, first);
                            else
                            {
                                K.Tile(ap + (long)ir * kc, bs, kc, edge, NR, true);
                                for (int i = 0; i < mr; i++)
                                    for (int j = 0; j < nr; j++)
                                        cs[(long)i * ldc + j] = first ? edge[i * NR + j] : cs[(long)i * ldc + j] + edge[i * NR + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;

    /// <summary>Packs op(A)[mc×kc] into slivers of MR rows: sliver s holds a[s·MR + r, p] at p·MR + r, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void PackA<T>(T* a, int rs, int cs, int mc, int kc, int MR, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int mr = Math.Min(MR, mc - i0);
            T* src = a + (long)i0 * rs;
            if (cs == 1)
            {
                // Rows are contiguous: walk each row and scatter it down the sliver.
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

    /// <summary>Packs op(B)[kc×nc] into slivers of NR columns: sliver s holds b[p, s·NR + j] at p·NR + j, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void PackB<T>(T* b, int rs, int cs, int kc, int nc, int NR, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
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
                for (int s = 0; s < full; s++, row += NR, d += sliver)
                    new ReadOnlySpan<T>(row, NR).CopyTo(new Span<T>(d, NR));
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

    /// <summary>6×16 float32 tile: twelve accumulators, two B vectors and one broadcast of A in sixteen ymm registers.</summary>
    private readonly struct F32Kernel : IMicroKernel<float>
    {
        public static int MR => 6;
        public static int NR => 16;
        public static int KC => 256;
        public static int MC => 96;
        public static int NC => 4080;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile(float* a, float* b, int kc, float* c, int ldc, bool first)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                             c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Avx.LoadAlignedVector256(b);
                var b1 = Avx.LoadAlignedVector256(b + 8);
                var x = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
                x = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
                x = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
                x = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
                x = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
                x = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
                a += 6; b += 16;
            }
            Put(c, c00, c01, first); c += ldc;
            Put(c, c10, c11, first); c += ldc;
            Put(c, c20, c21, first); c += ldc;
            Put(c, c30, c31, first); c += ldc;
            Put(c, c40, c41, first); c += ldc;
            Put(c, c50, c51, first);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(float* c, Vector256<float> x0, Vector256<float> x1, bool first)
        {
            if (!first) { x0 = Vector256.Load(c) + x0; x1 = Vector256.Load(c + 8) + x1; }
            x0.Store(c); x1.Store(c + 8);
        }
    }

    /// <summary>6×8 float64 tile, the same register layout as <see cref="F32Kernel"/>.</summary>
    private readonly struct F64Kernel : IMicroKernel<double>
    {
        public static int MR => 6;
        public static int NR => 8;
        public static int KC => 256;
        public static int MC => 96;
        public static int NC => 4080;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile(double* a, double* b, int kc, double* c, int ldc, bool first)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                              c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Avx.LoadAlignedVector256(b);
                var b1 = Avx.LoadAlignedVector256(b + 4);
                var x = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
                x = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
                x = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
                x = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
                x = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
                x = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
                a += 6; b += 8;
            }
            Put(c, c00, c01, first); c += ldc;
            Put(c, c10, c11, first); c += ldc;
            Put(c, c20, c21, first); c += ldc;
            Put(c, c30, c31, first); c += ldc;
            Put(c, c40, c41, first); c += ldc;
            Put(c, c50, c51, first);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(double* c, Vector256<double> x0, Vector256<double> x1, bool first)
        {
            if (!first) { x0 = Vector256.Load(c) + x0; x1 = Vector256.Load(c + 4) + x1; }
            x0.Store(c); x1.Store(c + 4);
        }
    }

    /// <summary>The portable fallback: a 4×4 tile in scalar arithmetic, for machines without AVX2 and FMA.</summary>
    private readonly struct ScalarKernel<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int MR => 4;
        public static int NR => 4;
        public static int KC => 256;
        public static int MC => 64;
        public static int NC => 4096;

        public static void Tile(T* a, T* b, int kc, T* c, int ldc, bool first)
        {
            T* acc = stackalloc T[16];
            for (int i = 0; i < 16; i++) acc[i] = T.Zero;
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < 4; i++)
                {
                    T x = a[i];
                    acc[i * 4 + 0] += x * b[0];
                    acc[i * 4 + 1] += x * b[1];
                    acc[i * 4 + 2] += x * b[2];
                    acc[i * 4 + 3] += x * b[3];
                }
                a += 4; b += 4;
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    c[(long)i * ldc + j] = first ? acc[i * 4 + j] : c[(long)i * ldc + j] + acc[i * 4 + j];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Thin shapes: one row or one column of C, and outer products.

    /// <summary>
    /// m = 1 or n = 1. The vector operand is contiguous whichever way it is stored. The matrix operand is
    /// read along its storage rows: as dot products when those rows are the rows of the product's
    /// reduction, as scaled row sums (axpy) when they run along the output.
    /// </summary>
    private static void Gemv<T>(T* a, int ars, int acs, T* b, int brs, int bcs, T* c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 1)
        {
            // c[i] = Σ_p op(A)(i, p)·b[p]
            if (acs == 1 || m == 1) DotRows(a, ars, m, k, b, c);
            else AxpyRows(a, acs, k, m, b, c);
        }
        else
        {
            // c[j] = Σ_p a[p]·op(B)(p, j)
            if (bcs == 1) AxpyRows(b, brs, k, n, a, c);
            else DotRows(b, bcs, n, k, a, c);
        }
    }

    /// <summary>y[r] = Σ_p m[r·ld + p]·x[p] for r &lt; rows, p &lt; len.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void DotRows<T>(T* mat, int ld, int rows, int len, T* x, T* y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Simd)
        {
            for (int r = 0; r < rows; r++)
            {
                T s = T.Zero;
                T* row = mat + (long)r * ld;
                for (int p = 0; p < len; p++) s += row[p] * x[p];
                y[r] = s;
            }
            return;
        }
        int w = Vector256<T>.Count;
        int vec = len - len % w;
        int r0 = 0;
        for (; r0 + 4 <= rows; r0 += 4)
        {
            T* m0 = mat + (long)r0 * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
            Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < vec; p += w)
            {
                var xv = Vector256.Load(x + p);
                s0 = MulAdd(Vector256.Load(m0 + p), xv, s0);
                s1 = MulAdd(Vector256.Load(m1 + p), xv, s1);
                s2 = MulAdd(Vector256.Load(m2 + p), xv, s2);
                s3 = MulAdd(Vector256.Load(m3 + p), xv, s3);
            }
            T t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
            for (int p = vec; p < len; p++)
            {
                T xp = x[p];
                t0 = T.FusedMultiplyAdd(m0[p], xp, t0); t1 = T.FusedMultiplyAdd(m1[p], xp, t1);
                t2 = T.FusedMultiplyAdd(m2[p], xp, t2); t3 = T.FusedMultiplyAdd(m3[p], xp, t3);
            }
            y[r0] = t0; y[r0 + 1] = t1; y[r0 + 2] = t2; y[r0 + 3] = t3;
        }
        for (; r0 < rows; r0++)
        {
            T* m0 = mat + (long)r0 * ld;
            Vector256<T> s0 = default, s1 = default;
            int p = 0;
            for (; p + 2 * w <= vec; p += 2 * w)
            {
                s0 = MulAdd(Vector256.Load(m0 + p), Vector256.Load(x + p), s0);
                s1 = MulAdd(Vector256.Load(m0 + p + w), Vector256.Load(x + p + w), s1);
            }
            for (; p < vec; p += w) s0 = MulAdd(Vector256.Load(m0 + p), Vector256.Load(x + p), s0);
            T t0 = Vector256.Sum(s0 + s1);
            for (p = vec; p < len; p++) t0 = T.FusedMultiplyAdd(m0[p], x[p], t0);
            y[r0] = t0;
        }
    }

    /// <summary>y[j] = Σ_p x[p]·m[p·ld + j] for j &lt; width, p &lt; len: rows of m scaled and summed in order of p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // kernels: full optimisation from the first call
    private static void AxpyRows<T>(T* mat, int ld, int len, int width, T* x, T* y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Simd)
        {
            for (int j = 0; j < width; j++) y[j] = T.Zero;
            for (int p = 0; p < len; p++)
            {
                T xp = x[p];
                T* row = mat + (long)p * ld;
                for (int j = 0; j < width; j++) y[j] += xp * row[j];
            }
            return;
        }
        int w = Vector256<T>.Count;
        int j0 = 0;
        // Four vectors of y stay in registers while the rows stream past.
        for (; j0 + 4 * w <= width; j0 += 4 * w)
        {
            Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
            T* col = mat + j0;
            for (int p = 0; p < len; p++)
            {
                var xv = Vector256.Create(x[p]);
                T* row = col + (long)p * ld;
                s0 = MulAdd(xv, Vector256.Load(row), s0);
                s1 = MulAdd(xv, Vector256.Load(row + w), s1);
                s2 = MulAdd(xv, Vector256.Load(row + 2 * w), s2);
                s3 = MulAdd(xv, Vector256.Load(row + 3 * w), s3);
            }
            s0.Store(y + j0); s1.Store(y + j0 + w); s2.Store(y + j0 + 2 * w); s3.Store(y + j0 + 3 * w);
        }
        for (; j0 + w <= width; j0 += w)
        {
            Vector256<T> s0 = default;
            T* col = mat + j0;
            for (int p = 0; p < len; p++) s0 = MulAdd(Vector256.Create(x[p]), Vector256.Load(col + (long)p * ld), s0);
            s0.Store(y + j0);
        }
        for (; j0 < width; j0++)
        {
            T s = T.Zero;
            T* col = mat + j0;
            for (int p = 0; p < len; p++) s = T.FusedMultiplyAdd(x[p], col[(long)p * ld], s);
            y[j0] = s;
        }
    }

    /// <summary>k = 1: c[i, j] = a[i]·b[j], both vectors contiguous.</summary>
    private static void Outer<T>(T* a, int ars, T* b, int bcs, T* c, int ldc, int m, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bRow = new ReadOnlySpan<T>(b, n);
        for (int i = 0; i < m; i++)
            System.Numerics.Tensors.TensorPrimitives.Multiply(bRow, a[(long)i * ars], new Span<T>(c + (long)i * ldc, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MulAdd<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
