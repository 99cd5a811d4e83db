using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FuncGrad.Kernels.Special;

/// <summary>A function of one vector, written once against <see cref="IVec{V, T}"/> for every width.</summary>
internal interface IFormula1
{
    static abstract V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>;
}

/// <summary>An <see cref="IUnaryKernel"/> made from a formula: the whole vectors at the widest width, the rest by
/// the same formula at the scalar width, so an element's bits depend on its value alone.</summary>
internal readonly struct Formula<F> : IUnaryKernel where F : IFormula1
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => F.Apply<T, T, W1<T>>(x);

    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => VectorMath.Map<T, F>(Simd.Widest, x, y);
}

/// <summary>
/// Vector building blocks of the special functions (issue 27 may reuse them): e^(hi + lo) accurate to about one ulp,
/// an exact square, Horner's rule, and the loop that maps a formula over a span.
/// </summary>
internal static unsafe class VectorMath
{
    /// <summary>y[i] = F(x[i]) at the given width (tests run every width on any machine). Compiled fully optimised at
    /// its first call, so the scalar tail is the formula inlined, not tier-0 calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Map<T, F>(Width width, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula1
    {
        if (!Tables<T, F>.Ready) return;
        fixed (T* px = x, py = y)
        {
            int n = y.Length, i = width switch
            {
                Width.V512 => Body<T, F, Vector512<T>, W512<T>>(px, py, n),
                Width.V256 => Body<T, F, Vector256<T>, W256<T>>(px, py, n),
                Width.V128 => Body<T, F, Vector128<T>, W128<T>>(px, py, n),
                _ => 0,
            };
            for (; i < n; i++) py[i] = F.Apply<T, T, W1<T>>(px[i]);
        }
    }

    /// <summary>
    /// Runs F once on a scalar when first read, so that the coefficient tables F reads are initialised before the
    /// vector loop is compiled. A method compiled fully optimised at its first call (as <see cref="Body"/> is) reads a
    /// static table of a class not yet initialised through a lookup and a bounds check at every use; once the class is
    /// initialised, the JIT knows the table's address and length (twice the speed of exp in float64).
    /// </summary>
    private static class Tables<T, F> where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula1
    {
        internal static readonly bool Ready = Touch();

        private static bool Touch()
        {
            F.Apply<T, T, W1<T>>(T.One);
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static int Body<T, F, V, W>(T* x, T* y, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where F : IFormula1 where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        // four vectors an iteration: their formulas' dependency chains (a polynomial's multiply-adds, one after the
        // other) interleave, where one vector at a time leaves the processor waiting on each chain
        for (; i <= n - 4 * w; i += 4 * w)
        {
            V a = F.Apply<T, V, W>(W.Load(x + i)), b = F.Apply<T, V, W>(W.Load(x + i + w));
            V c = F.Apply<T, V, W>(W.Load(x + i + 2 * w)), d = F.Apply<T, V, W>(W.Load(x + i + 3 * w));
            W.Store(a, y + i);
            W.Store(b, y + i + w);
            W.Store(c, y + i + 2 * w);
            W.Store(d, y + i + 3 * w);
        }
        for (; i <= n - w; i += w) W.Store(F.Apply<T, V, W>(W.Load(x + i)), y + i);
        return i;
    }

    /// <summary>A constant of the formula, rounded to T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V K<T, V, W>(double c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Splat(T.CreateTruncating(c));

    /// <summary>x, or c where x &gt; c (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V AtMost<T, V, W>(V x, double c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V cap = K<T, V, W>(c);
        return W.Select(W.LessThan(cap, x), cap, x);
    }

    /// <summary>x, or c where x &lt; c (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V AtLeast<T, V, W>(V x, double c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V floor = K<T, V, W>(c);
        return W.Select(W.LessThan(x, floor), floor, x);
    }

    /// <summary>−x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Neg<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Sub(W.Splat(T.Zero), x);

    /// <summary>The polynomial c[0]·xⁿ + … + c[n] by Horner's rule, as straight-line code for up to 16 coefficients:
    /// a loop here would leave one vector's chain of multiply-adds in flight at a time, where straight-line code lets
    /// the processor overlap the next elements' chains with it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Poly<T, V, W>(V x, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V p = W.Splat(c[0]);
        int n = c.Length;
        switch (n - 1) // the coefficients left after c[0]
        {
            case 15: p = W.MulAdd(p, x, W.Splat(c[n - 15])); goto case 14;
            case 14: p = W.MulAdd(p, x, W.Splat(c[n - 14])); goto case 13;
            case 13: p = W.MulAdd(p, x, W.Splat(c[n - 13])); goto case 12;
            case 12: p = W.MulAdd(p, x, W.Splat(c[n - 12])); goto case 11;
            case 11: p = W.MulAdd(p, x, W.Splat(c[n - 11])); goto case 10;
            case 10: p = W.MulAdd(p, x, W.Splat(c[n - 10])); goto case 9;
            case 9: p = W.MulAdd(p, x, W.Splat(c[n - 9])); goto case 8;
            case 8: p = W.MulAdd(p, x, W.Splat(c[n - 8])); goto case 7;
            case 7: p = W.MulAdd(p, x, W.Splat(c[n - 7])); goto case 6;
            case 6: p = W.MulAdd(p, x, W.Splat(c[n - 6])); goto case 5;
            case 5: p = W.MulAdd(p, x, W.Splat(c[n - 5])); goto case 4;
            case 4: p = W.MulAdd(p, x, W.Splat(c[n - 4])); goto case 3;
            case 3: p = W.MulAdd(p, x, W.Splat(c[n - 3])); goto case 2;
            case 2: p = W.MulAdd(p, x, W.Splat(c[n - 2])); goto case 1;
            case 1: p = W.MulAdd(p, x, W.Splat(c[n - 1])); break;
            case 0: break;
            default:
                for (int i = 1; i < n; i++) p = W.MulAdd(p, x, W.Splat(c[i]));
                break;
        }
        return p;
    }

    /// <summary>x² as hi + lo exactly (Dekker's product with Veltkamp's split, no fused multiply-add needed), for
    /// |x| well inside the range where x² does not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V Hi, V Lo) Square<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V c = W.Mul(x, K<T, V, W>(typeof(T) == typeof(float) ? 4097.0 : 134217729.0)); // 2^⌈p/2⌉ + 1
        V h = W.Sub(c, W.Sub(c, x)), l = W.Sub(x, h);
        V p = W.Mul(x, x);
        V e = W.Add(W.Add(W.Sub(W.Mul(h, h), p), W.Mul(W.Add(h, h), l)), W.Mul(l, l));
        return (p, e);
    }

    /// <summary>
    /// e^(hi + lo) for |lo| ≪ |hi|, within about one ulp: n = round(hi/ln 2), r = hi − n·ln 2 + lo by Cody and Waite's
    /// two-part ln 2, eʳ = 1 + r + r²·P(r), scaled by 2ⁿ in two halves so that results in the subnormal range are
    /// rounded once. Overflows to +inf and underflows to 0; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Exp<T, V, W>(V hi, V lo)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        hi = AtLeast<T, V, W>(AtMost<T, V, W>(hi, single ? 89.0 : 710.0), single ? -104.0 : -746.0);
        V shifter = K<T, V, W>(single ? 12582912.0 : 6755399441055744.0); // 1.5·2^p: adding it rounds to an integer
        V n = W.Sub(W.Add(W.Mul(hi, K<T, V, W>(1.4426950408889634)), shifter), shifter);
        V r = W.Sub(hi, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Hi32 : Coefficients.Ln2Hi64)));
        r = W.Add(W.Sub(r, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Lo32 : Coefficients.Ln2Lo64))), lo);
        V p = W.Add(W.Splat(T.One), W.MulAdd(W.Mul(r, r), Poly<T, V, W>(r, Coefs<T>.ExpRest), r));
        V n1 = W.Sub(W.Add(W.Mul(n, K<T, V, W>(0.5)), shifter), shifter);
        return W.Mul(W.Mul(p, W.Pow2(n1)), W.Pow2(W.Sub(n, n1)));
    }

    /// <summary>
    /// The natural logarithm within about one ulp: x = 2ᵉ·m with m in [√½, √2) (subnormals scaled up first), and
    /// log m = f − f²/2 + s·(f²/2 + s²·Q(s²)) with f = m − 1, s = f/(2 + f). −inf at ±0, NaN below 0 and at NaN, +inf
    /// at +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Log<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        var (e, f, s, hfsq, rest) = LogParts<T, V, W>(x);
        V ln2lo = K<T, V, W>(single ? Coefficients.Ln2Lo32 : Coefficients.Ln2Lo64);
        V lo = W.MulAdd(e, ln2lo, W.Mul(s, W.Add(hfsq, rest)));
        V r = W.MulAdd(e, K<T, V, W>(single ? Coefficients.Ln2Hi32 : Coefficients.Ln2Hi64), W.Sub(f, W.Sub(hfsq, lo)));
        return LogEdges<T, V, W>(x, r);
    }

    /// <summary>The logarithms' reduction: x = 2ᵉ·m with m in [√½, √2) (subnormals scaled up first), f = m − 1,
    /// s = f/(2 + f), f²/2, and s²·Q(s²), so that log m = f − f²/2 + s·(f²/2 + s²·Q(s²)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V E, V F, V S, V Hfsq, V Tail) LogParts<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        V one = W.Splat(T.One), zero = W.Splat(T.Zero);
        V sub = W.LessThan(x, K<T, V, W>(single ? 1.1754943508222875e-38 : 2.2250738585072014e-308));
        V xs = W.Select(sub, W.Mul(x, K<T, V, W>(single ? 16777216.0 : 18014398509481984.0)), x); // 2^24, 2^54
        V e = W.Sub(W.Exponent(xs), W.Select(sub, K<T, V, W>(single ? 24.0 : 54.0), zero));
        V m = W.Mantissa(xs);
        V high = W.LessThan(K<T, V, W>(1.4142135623730951), m);
        m = W.Select(high, W.Mul(m, K<T, V, W>(0.5)), m);
        e = W.Select(high, W.Add(e, one), e);
        V f = W.Sub(m, one), s = W.Div(f, W.Add(f, K<T, V, W>(2.0))), z = W.Mul(s, s);
        V hfsq = W.Mul(K<T, V, W>(0.5), W.Mul(f, f)), rest = W.Mul(z, Poly<T, V, W>(z, Coefs<T>.LogRest));
        return (e, f, s, hfsq, rest);
    }

    /// <summary>The logarithms' values at x ≤ 0, +inf and NaN in place of r: −inf at ±0, NaN below 0 and at NaN,
    /// +inf at +inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V LogEdges<T, V, W>(V x, V r)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero);
        // −1/x² is −inf at ±0 and keeps a NaN argument's sign (|x| would clear it, and a caller adding two NaNs of
        // opposite signs gets whichever operand the JIT put first, which may change between tiers).
        V edge = W.Select(W.LessThan(x, zero), K<T, V, W>(double.NaN), W.Div(K<T, V, W>(-1.0), W.Mul(x, x)));
        return W.Select(W.LessThan(zero, x), W.Select(W.LessThan(x, K<T, V, W>(double.PositiveInfinity)), r, x), edge);
    }

    /// <summary>log(1 + v) for v ≥ −1, accurate for small v: log u + (v − (u − 1))/u with u = 1 + v rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Log1p<T, V, W>(V v)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One), u = W.Add(one, v);
        return W.Add(Log<T, V, W>(u), W.Div(W.Sub(v, W.Sub(u, one)), u));
    }
}

/// <summary>The coefficient tables of <see cref="Coefficients"/> for one element type.</summary>
internal static class Coefs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T[] Pick(double[] f64, double[] f32) =>
        Array.ConvertAll(typeof(T) == typeof(float) ? f32 : f64, T.CreateTruncating);

    internal static readonly T[] ExpRest = Pick(Coefficients.ExpRest64, Coefficients.ExpRest32);
    internal static readonly T[] LogRest = Pick(Coefficients.LogRest64, Coefficients.LogRest32);
    internal static readonly T[] ErfSmall = Pick(Coefficients.ErfSmall64, Coefficients.ErfSmall32);
    internal static readonly T[] ErfcLarge = Pick(Coefficients.ErfcLarge64, Coefficients.ErfcLarge32);
}
