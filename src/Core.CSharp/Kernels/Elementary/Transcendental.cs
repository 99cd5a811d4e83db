using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Elementary;

// The transcendental kernels of Exp, Log, Log1p, Expm1, Tanh, Sigmoid, Softplus, Sin, Cos and Tan, written once against
// IVec for every width (issue 27). TensorPrimitives' versions ran as slow precompiled code until the runtime tiered
// them up (150 ns an element for a while in a fresh process), and an element's bits depended on its neighbours; these
// run the same formula in the vector body and the scalar tail (the vector loop is compiled fully optimised at its
// first call), so an element's bits are a function of its value alone. Each op states its accuracy in ulps, tested
// against mpmath tables (tests/Properties/Elementwise/ElementaryTests.fs).

/// <summary>eˣ within 1 ulp: <see cref="VectorMath.Exp{T, V, W}"/>, +inf above the overflow threshold, 0 below
/// underflow, NaN kept.</summary>
internal readonly struct ExpF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, Exp<T, V, W>(x, W.Splat(T.Zero)));
}

/// <summary>log x within 1 ulp: <see cref="VectorMath.Log{T, V, W}"/> (−inf at ±0, NaN below 0).</summary>
internal readonly struct LogF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Log<T, V, W>(x);
}

/// <summary>log(1 + x): log u + (x − (u − 1))/u with u = 1 + x rounded (the correction restores what rounding u
/// lost); x itself at ±0, −inf at −1, +inf at +inf, NaN below −1.</summary>
internal readonly struct Log1pF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One), inf = W.Splat(T.PositiveInfinity);
        V u = W.Add(one, x);
        // the correction only where u is finite and above 0: elsewhere log u alone is the answer (or NaN)
        V finite = W.LessThan(W.Abs(u), inf);
        V d = W.Select(finite, W.Sub(x, W.Sub(u, one)), zero);
        V den = W.Select(W.LessThan(zero, u), u, one);
        V v = W.Add(Log<T, V, W>(u), W.Div(d, den));
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessOrEqual(W.Abs(x), zero), x, v));
    }
}

/// <summary>eˣ − 1 within 1 ulp (<see cref="Smooth.Expm1{T, V, W}"/>), NaN kept.</summary>
internal readonly struct Expm1F : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, Smooth.Expm1<T, V, W>(x));
}

/// <summary>tanh x = u/(u + 2) with u = expm1(2|x|), the sign of x restored: no cancellation at small |x|, and |x| is
/// capped where tanh rounds to 1 (20 in float64, 10 in float32) so that u stays finite. x itself at ±0, NaN
/// kept.</summary>
internal readonly struct TanhF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V a = AtMost<T, V, W>(W.Abs(x), typeof(T) == typeof(float) ? 10.0 : 20.0);
        V u = Smooth.Expm1Within<T, V, W>(W.Add(a, a));
        V t = W.Div(u, W.Add(u, K<T, V, W>(2.0)));
        V v = W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Negate(t), t);
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessOrEqual(W.Abs(x), W.Splat(T.Zero)), x, v));
    }
}

/// <summary>σ(x) = 1/(1 + e) above 0 and e/(1 + e) below, e = e^(−|x|) (<see cref="Smooth.Logistic{T, V, W}"/>): never
/// overflows, and below 0 keeps its relative accuracy into the subnormals. NaN kept.</summary>
internal readonly struct SigmoidF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, Smooth.Logistic<T, V, W>(x).S);
}

/// <summary>log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)) (<see cref="SoftplusBetaF"/> with β = 1 and no
/// threshold).</summary>
internal readonly struct SoftplusF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => SoftplusBetaF.Apply<T, V, W>(x, W.Splat(T.One), W.Splat(T.PositiveInfinity));
}

/// <summary>
/// sin, cos and tan for |x| ≤ <see cref="Limit"/>, in float64 (float32 is widened by <see cref="TrigKernel{F}"/>):
/// x = n·π/2 + r with n = round(2x/π) and π/2 in four parts, the first three of 33 bits (their products with n are
/// exact, so r is exact but for the last two subtractions' rounding, with or without fused multiply-adds), then
/// Taylor series of sin r and cos r (|r| ≤ π/4: the first term left out is below 10⁻¹⁹ of the sum) and the quadrant
/// n mod 4. Beyond the limit, where this reduction would lose bits, the C runtime's sin, cos and tan (reduction by
/// Payne and Hanek) take those elements.
/// </summary>
internal static class Trig
{
    /// <summary>|x| up to which the vector reduction is exact: |n| &lt; 2²⁰.</summary>
    internal const double Limit = 1.5e6;

    // π/2 = P1 + P2 + P3 + P4 + (below 10⁻⁴⁷), P1, P2 and P3 with 33 significant bits
    private const double P1 = 1.57079632673412561417e+00, P2 = 6.07710050630396597660e-11,
        P3 = 2.02226624871116645580e-21, P4 = 8.47842766036889956997e-32;

    /// <summary>x = n·π/2 + r, n as an integer of T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V N, V R) Reduce<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V n = W.Round(W.Mul(x, K<T, V, W>(0.63661977236758134308)));
        V r = W.Sub(x, W.Mul(n, K<T, V, W>(P1)));
        r = W.Sub(r, W.Mul(n, K<T, V, W>(P2)));
        r = W.Sub(r, W.Mul(n, K<T, V, W>(P3)));
        return (n, W.Sub(r, W.Mul(n, K<T, V, W>(P4))));
    }

    /// <summary>sin r and cos r for |r| ≤ π/4 (and a little more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V Sin, V Cos) SinCos<T, V, W>(V r)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V z = W.Mul(r, r);
        V s = W.MulAdd(W.Mul(r, z), Poly<T, V, W>(z, TrigSeries<T>.SinTail), r);
        V hz = W.Mul(z, K<T, V, W>(0.5)), one = W.Splat(T.One), w = W.Sub(one, hz);
        // w + (the rounding error of 1 − z/2) + z²·C(z)
        V c = W.Add(w, W.MulAdd(W.Mul(z, z), Poly<T, V, W>(z, TrigSeries<T>.CosTail), W.Sub(W.Sub(one, w), hz)));
        return (s, c);
    }

    /// <summary>Where n mod 4 is odd (sine and cosine swap) and where it is 2 or 3 (the sign flips).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V Odd, V High) Quadrant<T, V, W>(V n)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V q = W.Sub(n, W.Mul(W.Floor(W.Mul(n, K<T, V, W>(0.25))), K<T, V, W>(4.0))); // 0, 1, 2 or 3
        V odd = W.Sub(q, W.Mul(W.Floor(W.Mul(q, K<T, V, W>(0.5))), K<T, V, W>(2.0)));
        return (W.LessThan(K<T, V, W>(0.5), odd), W.LessThan(K<T, V, W>(1.5), q));
    }

    /// <summary>sin(x + q·π/2) for a whole number q: ±sin r or ±cos r by the quadrant n + q (cos is q = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Sin<T, V, W>(V x, double q)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var (n, r) = Reduce<T, V, W>(x);
        var (s, c) = SinCos<T, V, W>(r);
        var (odd, high) = Quadrant<T, V, W>(q == 0.0 ? n : W.Add(n, K<T, V, W>(q)));
        V v = W.Select(odd, c, s);
        return W.Select(high, W.Negate(v), v);
    }

    /// <summary>v, or x itself at ±0 (the series gives +0 for −0) and at NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V OddEdges<T, V, W>(V x, V v)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessOrEqual(W.Abs(x), W.Splat(T.Zero)), x, v));
}

/// <summary>The Taylor coefficients of <see cref="Trig"/>, highest degree first: sin r = r + r·z·S(z) with S(z) =
/// −1/3! + z/5! − … + z⁷/17!, and cos r = 1 − z/2 + z²·C(z) with C(z) = 1/4! − z/6! + … − z⁷/18!, z = r².</summary>
internal static class TrigSeries<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // 1/k!: k! is exact through 18! (below 2⁵³), so each coefficient is rounded once
    private static double InverseFactorial(int k)
    {
        double f = 1;
        for (int i = 2; i <= k; i++) f *= i;
        return 1.0 / f;
    }

    private static T[] Series(int first, Func<int, int> power) =>
        [.. Enumerable.Range(first, 8).Reverse()
            .Select(k => T.CreateTruncating((k % 2 == 0 ? 1 : -1) * InverseFactorial(power(k))))];

    internal static readonly T[] SinTail = Series(1, k => 2 * k + 1);
    internal static readonly T[] CosTail = Series(2, k => 2 * k);
}

/// <summary>A trigonometric formula of <see cref="Trig"/>, with the function it leaves to the C runtime beyond
/// <see cref="Trig.Limit"/>.</summary>
internal interface ITrig : IFormula1
{
    /// <summary>The function where |x| is beyond <see cref="Trig.Limit"/> (or infinite).</summary>
    static abstract double Far(double x);
}

/// <summary>sin x within 1 ulp: ±sin r or ±cos r by the quadrant.</summary>
internal readonly struct SinF : ITrig
{
    public static double Far(double x) => Math.Sin(x);

    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Trig.OddEdges<T, V, W>(x, Trig.Sin<T, V, W>(x, 0.0));
}

/// <summary>cos x within 1 ulp: cos x = sin(x + π/2), the quadrant one further.</summary>
internal readonly struct CosF : ITrig
{
    public static double Far(double x) => Math.Cos(x);

    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, Trig.Sin<T, V, W>(x, 1.0)); // even: ±0 give 1 as they are
}

/// <summary>tan x within 2 ulps: sin r / cos r, or −cos r / sin r in the odd quadrants.</summary>
internal readonly struct TanF : ITrig
{
    public static double Far(double x) => Math.Tan(x);

    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var (n, r) = Trig.Reduce<T, V, W>(x);
        var (s, c) = Trig.SinCos<T, V, W>(r);
        var (odd, _) = Trig.Quadrant<T, V, W>(n);
        return Trig.OddEdges<T, V, W>(x, W.Select(odd, W.Negate(W.Div(c, s)), W.Div(s, c)));
    }
}

/// <summary>
/// A trigonometric op's kernel: the formula in float64 lanes (float32 widened exactly, in chunks, and rounded once),
/// then <see cref="ITrig.Far"/> for the elements beyond <see cref="Trig.Limit"/>. An element's bits depend on its value
/// alone.
/// </summary>
internal readonly struct TrigKernel<F> : IUnaryKernel where F : ITrig
{
    private const int Chunk = 512;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double d = double.CreateTruncating(x);
        return T.CreateTruncating(Math.Abs(d) > Trig.Limit ? F.Far(d) : F.Apply<double, double, W1<double>>(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            var xd = MemoryMarshal.Cast<T, double>(x);
            var yd = MemoryMarshal.Cast<T, double>(y);
            VectorMath.Map<double, F>(Simd.Widest, xd, yd);
            Far(xd, yd);
            return;
        }
        var xf = MemoryMarshal.Cast<T, float>(x);
        var yf = MemoryMarshal.Cast<T, float>(y);
        Span<double> w = stackalloc double[Chunk], v = stackalloc double[Chunk];
        for (int i = 0; i < xf.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, xf.Length - i);
            TensorPrimitives.ConvertTruncating(xf.Slice(i, n), w[..n]); // exact
            VectorMath.Map<double, F>(Simd.Widest, w[..n], v[..n]);
            Far(w[..n], v[..n]);
            TensorPrimitives.ConvertTruncating<double, float>(v[..n], yf.Slice(i, n)); // rounded once
        }
    }

    /// <summary>y[i] = F.Far(x[i]) where |x[i]| is beyond the limit, found a vector at a time (they are
    /// rare).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Far(ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<double>(Trig.Limit);
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            for (int v = 0; v < xs.Length; v++, i += Vector<double>.Count)
                if (Vector.GreaterThanAny(Vector.Abs(xs[v]), limit))
                    Far(x.Slice(i, Vector<double>.Count), y.Slice(i, Vector<double>.Count), 0);
        }
        Far(x, y, i);
    }

    private static void Far(ReadOnlySpan<double> x, Span<double> y, int from)
    {
        for (int i = from; i < x.Length; i++)
            if (Math.Abs(x[i]) > Trig.Limit) y[i] = F.Far(x[i]);
    }
}
