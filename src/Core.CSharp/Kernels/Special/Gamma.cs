using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Special;

// The gamma family. lgamma and digamma on x ≥ 10 by their asymptotic series in 1/x²; below, by a polynomial on one
// interval that holds the function's positive zero(s) as exact factors (lgamma(2 + u) = u·P(u) for |u| ≤ ½; digamma(t)
// = (t − x₀)·R(t − 1.5) on [1, 2]) and the recurrences Γ(x + 1) = xΓ(x), ψ(x + 1) = ψ(x) + 1/x, whose shifts x − k
// are exact; below 0 by the reflection formulas, with sin(πr), cos(πr) of the exact r = |x| − round(|x|). Every lane
// runs every branch and selects, so the bits depend on the element alone. polygamma(n ≥ 1) is the Hurwitz zeta
// (−1)ⁿ⁺¹n!·ζ(n + 1, x): N terms summed, then Euler–Maclaurin's series, with N chosen per n.

/// <summary>The coefficient tables of <see cref="GammaCoefficients"/> for one element type.</summary>
internal static class GammaCoefs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T[] Pick(double[] f64, double[] f32) =>
        Array.ConvertAll(typeof(T) == typeof(float) ? f32 : f64, T.CreateTruncating);

    internal static readonly T[] LgammaMid = Pick(GammaCoefficients.LgammaMid64, GammaCoefficients.LgammaMid32);
    internal static readonly T[] DigammaMid = Pick(GammaCoefficients.DigammaMid64, GammaCoefficients.DigammaMid32);
    internal static readonly T[] SinPi = Pick(GammaCoefficients.SinPi64, GammaCoefficients.SinPi32);
    internal static readonly T[] CosPi = Pick(GammaCoefficients.CosPi64, GammaCoefficients.CosPi32);
    internal static readonly T[] LgammaAsymptotic = Pick(GammaCoefficients.LgammaAsymptotic,
        GammaCoefficients.LgammaAsymptotic[^4..]);
    internal static readonly T[] DigammaAsymptotic = Pick(GammaCoefficients.DigammaAsymptotic,
        GammaCoefficients.DigammaAsymptotic[^5..]);
}

/// <summary>The pieces the gamma family shares.</summary>
internal static class GammaCore
{
    /// <summary>The nearest integer to x ≥ 0 (ties to even), for x below 2^(p−1) (p the mantissa's width): adding
    /// 2^(p−1) leaves no fraction bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Round<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V c = K<T, V, W>(typeof(T) == typeof(float) ? 8388608.0 : 4503599627370496.0);
        return W.Sub(W.Add(x, c), c);
    }

    /// <summary>r = a − round(a) in [−½, ½], exactly, for a ≥ 0 (every float from 2^(p−1) up is an integer: r = 0
    /// there, and at +inf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Frac<T, V, W>(V a)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        a = AtMost<T, V, W>(a, typeof(T) == typeof(float) ? 8388608.0 : 4503599627370496.0);
        return W.Sub(a, Round<T, V, W>(a));
    }

    /// <summary>sin(πr)/π = r·S(r²) for |r| ≤ ½.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V SinPiOverPi<T, V, W>(V r)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(r, Poly<T, V, W>(W.Mul(r, r), GammaCoefs<T>.SinPi));

    /// <summary>π·cot(πr) for |r| ≤ ½ (±inf at r = ±0); near |r| = ½, cos πr is sin π(½ − |r|), with ½ − |r| exact,
    /// so that the cotangent keeps its relative accuracy where it vanishes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V PiCotPi<T, V, W>(V r)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V ar = W.Abs(r), h = W.Sub(K<T, V, W>(0.5), ar);
        V cos = W.Select(W.LessThan(ar, K<T, V, W>(0.25)), Poly<T, V, W>(W.Mul(r, r), GammaCoefs<T>.CosPi),
            W.Mul(K<T, V, W>(Math.PI), SinPiOverPi<T, V, W>(h)));
        return W.Div(cos, SinPiOverPi<T, V, W>(r));
    }

    /// <summary>lgamma(z) for z ≥ +0 or NaN: +inf at +0, the asymptotic series from 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V LgammaPositive<T, V, W>(V z)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One), ten = K<T, V, W>(10.0);
        V small = W.LessThan(z, ten);
        V zs = AtMost<T, V, W>(z, 10.0);
        V m = Round<T, V, W>(zs), u = W.Sub(zs, m); // u in [−½, ½], exact
        V g = W.Mul(u, Poly<T, V, W>(u, GammaCoefs<T>.LgammaMid)); // lgamma(2 + u)
        // m ≥ 3: lgamma(zs) = lgamma(2 + u) + log((u + 2)···(u + m − 1)), every factor an exact zs − j
        V f = one;
        for (int j = 2; j <= 9; j++)
        {
            V jv = K<T, V, W>(j);
            f = W.Select(W.LessThan(jv, m), W.Mul(f, W.Add(u, jv)), f);
        }
        // m ≤ 1: lgamma(zs) = lgamma(2 + u) − log(zs) (m = 1) or − log(zs·(zs + 1)) (m = 0)
        V up = W.LessThan(m, K<T, V, W>(1.5));
        V d = W.Mul(zs, W.Select(W.LessThan(m, K<T, V, W>(0.5)), W.Add(zs, one), one));
        V l = Log<T, V, W>(W.Select(small, W.Select(up, d, f), z));
        V mid = W.Add(g, W.Select(up, Neg<T, V, W>(l), l));
        // (z − ½)(log z − 1) + (log 2π − 1)/2 + w·S(w²), w = 1/z
        V w = W.Div(one, z);
        V series = W.Mul(w, Poly<T, V, W>(W.Mul(w, w), GammaCoefs<T>.LgammaAsymptotic));
        V big = W.Add(W.Mul(W.Sub(z, K<T, V, W>(0.5)), W.Sub(l, one)),
            W.Add(K<T, V, W>(GammaCoefficients.HalfLog2PiMinusHalf), series));
        return W.Select(small, mid, big);
    }

    /// <summary>digamma(z) for z ≥ 0 or NaN (−inf at +0, +inf at −0): the asymptotic series from 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V DigammaPositive<T, V, W>(V z)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        V one = W.Splat(T.One), zero = W.Splat(T.Zero);
        V small = W.LessThan(z, K<T, V, W>(10.0));
        V zs = AtMost<T, V, W>(z, 10.0);
        V m = Round<T, V, W>(zs);
        V fl = W.Sub(m, W.Select(W.LessThan(zs, m), one, zero)); // floor(zs)
        V below = W.LessThan(zs, one);
        // zs ≥ 1: k = floor(zs) − 1 steps down to t = zs − k in [1, 2), each an exact zs − j:
        // ψ(zs) = ψ(t) + Σ 1/(zs − j)
        V k = W.Sub(fl, one), acc = zero;
        for (int j = 1; j <= 9; j++)
        {
            V jv = K<T, V, W>(j);
            acc = W.Select(W.LessThan(k, jv), acc, W.Add(acc, W.Div(one, W.Sub(zs, jv))));
        }
        // zs < 1: ψ(zs) = ψ(zs + 1) − 1/zs
        V t = W.Select(below, W.Add(zs, one), W.Sub(zs, k));
        acc = W.Select(below, Neg<T, V, W>(W.Div(one, zs)), acc);
        V dt = W.Sub(W.Sub(t, K<T, V, W>(single ? GammaCoefficients.DigammaZeroHi32 : GammaCoefficients.DigammaZeroHi)),
            K<T, V, W>(single ? GammaCoefficients.DigammaZeroLo32 : GammaCoefficients.DigammaZeroLo));
        V mid = W.Add(W.Mul(dt, Poly<T, V, W>(W.Sub(t, K<T, V, W>(1.5)), GammaCoefs<T>.DigammaMid)), acc);
        // log z − w/2 − w²·D(w²), w = 1/z
        V w = W.Div(one, z), w2 = W.Mul(w, w);
        V big = W.Sub(W.Sub(Log<T, V, W>(z), W.Mul(w, K<T, V, W>(0.5))),
            W.Mul(w2, Poly<T, V, W>(w2, GammaCoefs<T>.DigammaAsymptotic)));
        return W.Select(small, mid, big);
    }
}

/// <summary>lgamma(x) = log |Γ(x)|: +inf at the non-positive integers and at ±inf; below 0 by reflection,
/// lgamma(x) = log(π/|sin πx|) − lgamma(1 − x).</summary>
internal readonly struct LgammaF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One);
        V neg = W.LessThan(x, zero);
        V pos = GammaCore.LgammaPositive<T, V, W>(W.Select(neg, W.Sub(one, x), x));
        V s = W.Abs(GammaCore.SinPiOverPi<T, V, W>(GammaCore.Frac<T, V, W>(W.Abs(x)))); // |sin πx|/π
        V reflected = W.Select(W.LessThan(zero, s), W.Sub(Neg<T, V, W>(Log<T, V, W>(s)), pos),
            K<T, V, W>(double.PositiveInfinity));
        return W.Select(neg, reflected, pos);
    }
}

/// <summary>digamma(x) = Γ'(x)/Γ(x): −inf at +0, +inf at −0, NaN at the negative integers and at −inf (as PyTorch);
/// below 0 by reflection, ψ(x) = ψ(1 − x) − π·cot(πx).</summary>
internal readonly struct DigammaF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One);
        V neg = W.LessThan(x, zero);
        V pos = GammaCore.DigammaPositive<T, V, W>(W.Select(neg, W.Sub(one, x), x));
        // x = −a: −π·cot(πx) = π·cot(πa) = π·cot(πr)
        V r = GammaCore.Frac<T, V, W>(W.Abs(x));
        V pole = W.Select(W.LessThan(zero, W.Abs(r)), zero, W.LessThan(zero, one)); // r = 0
        V reflected = W.Select(pole, K<T, V, W>(double.NaN), W.Add(pos, GammaCore.PiCotPi<T, V, W>(r)));
        return W.Select(neg, reflected, pos);
    }
}

/// <summary>
/// polygamma(n, x) = ψ⁽ⁿ⁾(x) for one n ≥ 1, as (−1)ⁿ⁺¹n!·ζ(n + 1, x): for x ≥ 0 the terms (x + k)^−s (s = n + 1) for
/// k &lt; N, each x + k as an exact sum hi + lo (the power of hi corrected by (1 − s·lo/hi)), then Euler–Maclaurin's
/// series at a = x + N with ten Bernoulli terms, N chosen so that the first term left out is below 2⁻⁶⁰ of the sum. For
/// x &lt; 0, the reflection ψ⁽ⁿ⁾(x) = (−1)ⁿψ⁽ⁿ⁾(1 − x) − πⁿ⁺¹Pₙ(cot πx), where Pₙ(c) = dⁿcot θ/dθⁿ as a polynomial in
/// c = cot θ (P₀ = c, Pₖ₊₁ = −(1 + c²)Pₖ'), whose terms all have one sign. Made once per n (<see cref="For"/>).
/// </summary>
internal sealed unsafe class PolygammaKernel
{
    private const int EulerMaclaurinTerms = 10;
    private const double TwoTo60 = 1152921504606846976.0;
    private const int MaxFiniteFactorial = 170;
    private static readonly ConcurrentDictionary<int, PolygammaKernel> Made = new();

    /// <summary>The kernel for n ≥ 1, made on first use and shared.</summary>
    internal static PolygammaKernel For(int n) => Made.GetOrAdd(n, static n => new PolygammaKernel(n));

    internal readonly int N;
    private readonly int terms;
    private readonly Tables<double> f64;
    private readonly Tables<float> f32;

    private sealed class Tables<T>(double[] em, double[] cot, double factor, double piPow, double sign)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        internal readonly T[] Em = Array.ConvertAll(em, T.CreateTruncating);
        internal readonly T[] Cot = Array.ConvertAll(cot, T.CreateTruncating);
        internal readonly T Factor = T.CreateTruncating(factor), PiPow = T.CreateTruncating(piPow);
        internal readonly T Sign = T.CreateTruncating(sign), Pole = T.CreateTruncating(factor > 0 ? 1.0 : -1.0);
    }

    private PolygammaKernel(int n)
    {
        N = n;
        double s = n + 1;
        // Euler–Maclaurin: ζ(s, a) = a^(1−s)·(1/(s − 1) + w/2 + Σⱼ cⱼw²ʲ), w = 1/a,
        // cⱼ = B₂ⱼ/(2j)!·s(s + 1)···(s + 2j − 2)
        double[] bernoulli = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6,
            -3617.0 / 510, 43867.0 / 798, -174611.0 / 330, 854513.0 / 138];
        var em = new double[EulerMaclaurinTerms];
        double rising = s, factorial = 2; // s(s + 1)···(s + 2j − 2) and (2j)!
        for (int j = 1; j <= EulerMaclaurinTerms + 1; j++)
        {
            if (j > 1)
            {
                rising *= (s + 2 * j - 3) * (s + 2 * j - 2);
                factorial *= (2 * j - 1) * (2 * j);
            }
            double c = bernoulli[j - 1] / factorial * rising;
            if (j <= EulerMaclaurinTerms) em[EulerMaclaurinTerms - j] = c;
            // the first term left out, relative to the leading 1/(s − 1): below 2⁻⁶⁰ from a = N on
            else terms = Math.Max(8, (int)Math.Ceiling(Math.Pow(Math.Abs(c) * (s - 1) * TwoTo60, 1.0 / (2 * j))));
        }
        // Pₙ(c) as coefficients of c⁰, c¹, …: P₀ = c, Pₖ₊₁ = −(1 + c²)·Pₖ'. Past n = 170, n! overflows and every value
        // is ±inf or NaN (as PyTorch's n!·ζ): the polynomial and the terms are not worth their cost (n² and n)
        bool overflows = n > MaxFiniteFactorial;
        if (overflows) terms = 8;
        var p = new double[] { 0, 1 };
        for (int k = 0; k < (overflows ? 0 : n); k++)
        {
            var next = new double[p.Length + 1];
            for (int i = 1; i < p.Length; i++)
            {
                next[i - 1] -= i * p[i];
                next[i + 1] -= i * p[i];
            }
            p = next;
        }
        // Pₙ has the parity of n + 1: keep its nonzero coefficients, highest first, as a polynomial in c²
        var cot = new List<double>();
        if (overflows) cot.Add(double.NaN);
        for (int i = p.Length - 1; i >= 0; i--)
            if (!overflows && (i - n - 1) % 2 == 0) cot.Add(p[i]);
        double factor = overflows ? double.PositiveInfinity
            : (double)Enumerable.Range(1, n).Aggregate(BigInteger.One, (a, b) => a * b);
        if (n % 2 == 0) factor = -factor;
        double piPow = Math.Pow(Math.PI, n + 1), sign = n % 2 == 0 ? 1 : -1;
        f64 = new([.. em], [.. cot], factor, piPow, sign);
        f32 = new([.. em], [.. cot], factor, piPow, sign);
    }

    private Tables<T> Of<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? (Tables<T>)(object)f64 : (Tables<T>)(object)f32;

    /// <summary>y[i] = ψ⁽ⁿ⁾(x[i]) at the given width (tests run every width on any machine).</summary>
    internal void Run<T>(Width width, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y)
        {
            int n = y.Length, i = width switch
            {
                Width.V512 => Body<T, Vector512<T>, W512<T>>(px, py, n),
                Width.V256 => Body<T, Vector256<T>, W256<T>>(px, py, n),
                Width.V128 => Body<T, Vector128<T>, W128<T>>(px, py, n),
                _ => 0,
            };
            for (; i < n; i++) py[i] = Apply<T, T, W1<T>>(px[i]);
        }
    }

    /// <summary>y[i] = ψ⁽ⁿ⁾(x[i]) at the widest width.</summary>
    internal void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Run(Simd.Widest, x, y);

    /// <summary>ψ⁽ⁿ⁾ of one element, by the same formula.</summary>
    internal T One<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Apply<T, T, W1<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private int Body<T, V, W>(T* x, T* y, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int i = 0, w = W.Count;
        for (; i <= n - w; i += w) W.Store(Apply<T, V, W>(W.Load(x + i)), y + i);
        return i;
    }

    private V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var t = Of<T>();
        V zero = W.Splat(T.Zero), one = W.Splat(T.One);
        V neg = W.LessThan(x, zero);
        // + 0 makes −0 a +0, whose pole has the sign of +0's
        V pos = W.Mul(W.Splat(t.Factor), Zeta<T, V, W>(W.Add(W.Select(neg, W.Sub(one, x), x), zero), t));
        // x = −a: cot πx = −cot πr
        V r = GammaCore.Frac<T, V, W>(W.Abs(x));
        V c = Neg<T, V, W>(W.Div(GammaCore.PiCotPi<T, V, W>(r), K<T, V, W>(Math.PI)));
        V pn = Poly<T, V, W>(W.Mul(c, c), t.Cot);
        if (N % 2 == 0) pn = W.Mul(c, pn);
        V reflected = W.Sub(W.Mul(W.Splat(t.Sign), pos), W.Mul(W.Splat(t.PiPow), pn));
        V pole = W.Select(W.LessThan(zero, W.Abs(r)), zero, W.LessThan(zero, one)); // r = 0
        reflected = W.Select(pole, W.Mul(W.Splat(t.Pole), K<T, V, W>(double.PositiveInfinity)), reflected);
        V minusInf = W.LessThan(x, K<T, V, W>(typeof(T) == typeof(float) ? -float.MaxValue : -double.MaxValue));
        reflected = W.Select(minusInf, K<T, V, W>(double.NaN), reflected);
        return W.Select(neg, reflected, pos);
    }

    /// <summary>ζ(n + 1, z) for z ≥ +0 or NaN.</summary>
    private V Zeta<T, V, W>(V z, Tables<T> t)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        int s = N + 1;
        V one = W.Splat(T.One), inf = K<T, V, W>(double.PositiveInfinity);
        var (a, aLo) = Sum<T, V, W>(z, K<T, V, W>(terms), inf);
        V w = W.Div(one, a);
        V bracket = W.Add(K<T, V, W>(1.0 / N), W.Mul(w, W.Add(K<T, V, W>(0.5),
            W.Mul(w, Poly<T, V, W>(W.Mul(w, w), t.Em)))));
        V fix = W.Sub(one, W.Mul(K<T, V, W>(N), W.Div(aLo, a)));
        // a^−N, from (1/a)^N where a^N overflows but a^−N is still above the subnormals' floor
        V aN = Power<T, V, W>(a, N);
        V scale = W.Select(W.LessThan(aN, inf), W.Div(one, aN), Power<T, V, W>(w, N));
        // the terms smallest first, then the series (the largest part for large z: added once, not term by term)
        V sum = W.Splat(T.Zero);
        for (int k = terms - 1; k >= 1; k--)
        {
            var (hi, lo) = Sum<T, V, W>(z, K<T, V, W>(k), inf);
            V term = W.Div(W.Sub(one, W.Mul(K<T, V, W>(s), W.Div(lo, hi))), Power<T, V, W>(hi, s));
            sum = W.Add(sum, term);
        }
        sum = W.Add(sum, W.Mul(W.Mul(bracket, scale), fix));
        return W.Add(sum, W.Div(one, Power<T, V, W>(z, s))); // k = 0: z itself, exact (+inf at +0)
    }

    /// <summary>z + k as hi + lo exactly (Knuth's two-sum); lo = 0 where hi is not finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (V Hi, V Lo) Sum<T, V, W>(V z, V k, V inf)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V hi = W.Add(z, k), kk = W.Sub(hi, z);
        V lo = W.Add(W.Sub(z, W.Sub(hi, kk)), W.Sub(k, kk));
        return (hi, W.Select(W.LessThan(hi, inf), lo, W.Splat(T.Zero)));
    }

    /// <summary>bᵉ by squaring, e ≥ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Power<T, V, W>(V b, int e)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V r = b;
        bool first = true;
        while (true)
        {
            if ((e & 1) != 0)
            {
                r = first ? b : W.Mul(r, b);
                first = false;
            }
            e >>= 1;
            if (e == 0) return r;
            b = W.Mul(b, b);
        }
    }
}
