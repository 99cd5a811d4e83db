using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels;

// The activations built on exp and log as vector formulas (the special functions' vector exp and log,
// Kernels/Special/VectorMath.cs), and their derivatives. The ops run them in float64 lanes for both dtypes (Wide<F>):
// float32 results are rounded once from float64 ones. Nothing overflows: every exponential is of −|x|.

/// <summary>Pieces shared by the smooth activations.</summary>
internal static class Smooth
{
    /// <summary>σ(x) and σ(−x) = 1 − σ(x), each to about an ulp at any x: 1/(1 + e) and e/(1 + e) with e =
    /// e^(−|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (V S, V C) Logistic<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), e = Exp<T, V, W>(Neg<T, V, W>(W.Abs(x)), zero);
        V d = W.Add(W.Splat(T.One), e), big = W.Div(W.Splat(T.One), d), small = W.Div(e, d);
        V below = W.LessThan(x, zero);
        return (W.Select(below, small, big), W.Select(below, big, small));
    }

    /// <summary>
    /// eᶻ − 1 within about an ulp: z = n·ln 2 + r, e^r − 1 = r + r²·P(r) (the vector exp's polynomial), then
    /// 2ⁿ(e^r − 1) + (2ⁿ − 1); for |z| &lt; ln2/2 (n = 0) r is z itself and nothing cancels. z itself where it is below
    /// 2⁻⁶⁰ in size (−0 kept), −1 below −60, eᶻ above 700.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Expm1<T, V, W>(V z)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        V zc = AtLeast<T, V, W>(AtMost<T, V, W>(z, single ? 80.0 : 700.0), single ? -30.0 : -60.0);
        V v = Expm1Within<T, V, W>(zc);
        V above = W.LessThan(zc, z);
        if (!W.None(above)) // rare: the exponential only where an element is above the cap (eᶻ, or +inf)
            v = W.Select(above, Exp<T, V, W>(z, W.Splat(T.Zero)), v);
        return W.Select(W.LessThan(W.Abs(z), K<T, V, W>(8.673617379884035e-19)), z, v);
    }

    /// <summary><see cref="Expm1{T, V, W}"/> for z within its caps (−60 to 700 in float64, −30 to 80 in float32),
    /// ±0 and NaN aside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Expm1Within<T, V, W>(V zc)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        bool single = typeof(T) == typeof(float);
        V one = W.Splat(T.One);
        V shifter = K<T, V, W>(single ? 12582912.0 : 6755399441055744.0);
        V n = W.Sub(W.Add(W.Mul(zc, K<T, V, W>(1.4426950408889634)), shifter), shifter);
        V r = W.Sub(zc, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Hi32 : Coefficients.Ln2Hi64)));
        r = W.Sub(r, W.Mul(n, K<T, V, W>(single ? Coefficients.Ln2Lo32 : Coefficients.Ln2Lo64)));
        V em = W.MulAdd(W.Mul(r, r), Poly<T, V, W>(r, Coefs<T>.ExpRest), r);
        V p2 = W.Pow2(n);
        V scaled = W.Add(W.Mul(p2, em), W.Sub(p2, one));
        return W.Select(W.LessThan(W.Abs(n), K<T, V, W>(0.5)), em, scaled);
    }

    /// <summary>x·e^t for t = −|x| ≤ 0 already exponentiated as e (e = e^(t + 64) where x &lt; −700, then scaled
    /// back), so that a result in the subnormal range is rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V ExpOfMinusAbs<T, V, W>(V x, out V far)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V t = Neg<T, V, W>(W.Abs(x));
        far = W.LessThan(t, K<T, V, W>(-700.0));
        return Exp<T, V, W>(W.Select(far, W.Add(t, K<T, V, W>(64.0)), t), W.Splat(T.Zero));
    }

    /// <summary>The lanes of v, or c where x is +inf (hi) or −inf (lo): the limits where a product inf·0 would give
    /// NaN; and x itself where it is NaN (<see cref="KeepNaN"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V AtInfinities<T, V, W>(V x, V v, double lo, double hi)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V max = K<T, V, W>(typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue);
        v = W.Select(W.LessThan(max, x), K<T, V, W>(hi), v);
        return KeepNaN<T, V, W>(x, W.Select(W.LessThan(x, Neg<T, V, W>(max)), K<T, V, W>(lo), v));
    }

    /// <summary>v, or x itself where x is NaN. A NaN made inside a formula (inf·0, or a vector exp of NaN) has the
    /// sign the hardware's default NaN has in vector code and the scalar code's sign otherwise; returning the
    /// argument's NaN keeps every element's bits independent of where it sits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V KeepNaN<T, V, W>(V x, V v)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V ax = W.Abs(x);
        V max = K<T, V, W>(typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue);
        return W.Select(W.LessThan(ax, W.Splat(T.PositiveInfinity)), v, W.Select(W.LessThan(max, ax), v, x));
    }
}

/// <summary>silu(x) = x·σ(x): x/(1 + e⁻ˣ) at and above 0, x·eˣ/(1 + eˣ) below; −0 at −inf.</summary>
internal readonly struct SiluF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), e = Smooth.ExpOfMinusAbs<T, V, W>(x, out V far);
        V d = W.Add(W.Splat(T.One), e);
        V neg = W.Div(W.Mul(x, e), d);
        neg = W.Select(far, W.Mul(neg, K<T, V, W>(1.6038108905486378e-28)), neg); // e⁻⁶⁴ (1 + e is 1 there)
        V v = W.Select(W.LessThan(x, zero), neg, W.Div(x, d));
        return Smooth.AtInfinities<T, V, W>(x, v, -0.0, double.PositiveInfinity);
    }
}

/// <summary>silu'(x) = σ(x)·(1 + x·σ(−x)); 0 at −inf, 1 at +inf.</summary>
internal readonly struct SiluDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        var (s, c) = Smooth.Logistic<T, V, W>(x);
        return Smooth.AtInfinities<T, V, W>(x, W.Mul(s, W.Add(W.Splat(T.One), W.Mul(x, c))), 0.0, 1.0);
    }
}

/// <summary>
/// mish(x) = x·tanh(log(1 + eˣ)). With f = eˣ, tanh(log(1 + f)) = n/(n + 2) for n = f(f + 2); above 0 the same in e =
/// e⁻ˣ: (1 + 2e)/(1 + 2e + 2e²). One exp, no cancellation; x·eˣ below −40, where n/(n + 2) rounds to eˣ.
/// </summary>
internal readonly struct MishF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One), two = K<T, V, W>(2.0);
        V e = Smooth.ExpOfMinusAbs<T, V, W>(x, out V far);
        V d = W.Add(e, e);
        V pos = W.Div(W.Mul(x, W.Add(one, d)), W.Add(W.Add(one, d), W.Mul(d, e)));
        V n = W.Mul(e, W.Add(e, two));
        V neg = W.Div(W.Mul(x, n), W.Add(n, two));
        V xe = W.Mul(x, e);
        xe = W.Select(far, W.Mul(xe, K<T, V, W>(1.6038108905486378e-28)), xe);
        neg = W.Select(W.LessThan(x, K<T, V, W>(-40.0)), xe, neg);
        V v = W.Select(W.LessThan(zero, x), pos, neg);
        return Smooth.AtInfinities<T, V, W>(x, v, -0.0, double.PositiveInfinity);
    }
}

/// <summary>
/// mish'(x) = t + x·σ(x)·(1 − t²), t = tanh(softplus(x)): with f = eˣ and q = f(f + 2) + 2, t = f(f + 2)/q and
/// x·σ·(1 − t²) = 4x·f(1 + f)/q²; above 0 in e = e⁻ˣ, q = 1 + 2e + 2e², t = (1 + 2e)/q and 4x(1 + e)e²/q². 0 at −inf,
/// 1 at +inf.
/// </summary>
internal readonly struct MishDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One), two = K<T, V, W>(2.0), four = K<T, V, W>(4.0);
        V e = Exp<T, V, W>(Neg<T, V, W>(W.Abs(x)), zero);
        V fx = W.Mul(four, x);
        // above 0
        V d = W.Add(e, e), qp = W.Add(W.Add(one, d), W.Mul(d, e));
        V pos = W.Add(W.Div(W.Add(one, d), qp),
            W.Div(W.Mul(W.Mul(fx, W.Add(one, e)), W.Mul(e, e)), W.Mul(qp, qp)));
        // at and below 0
        V n = W.Mul(e, W.Add(e, two)), qn = W.Add(n, two);
        V neg = W.Add(W.Div(n, qn), W.Div(W.Mul(W.Mul(fx, e), W.Add(one, e)), W.Mul(qn, qn)));
        V v = W.Select(W.LessThan(zero, x), pos, neg);
        return Smooth.AtInfinities<T, V, W>(x, v, 0.0, 1.0);
    }
}

/// <summary>log σ(x) = min(x, 0) − log1p(e^(−|x|)).</summary>
internal readonly struct LogSigmoidF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), e = Exp<T, V, W>(Neg<T, V, W>(W.Abs(x)), zero);
        V min = W.Select(W.LessThan(x, zero), x, zero);
        return Smooth.KeepNaN<T, V, W>(x, W.Sub(min, Log1p<T, V, W>(e)));
    }
}

/// <summary>(log σ)'(x) = σ(−x).</summary>
internal readonly struct LogSigmoidDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, Smooth.Logistic<T, V, W>(x).C);
}

/// <summary>PyTorch's softplus with beta a and threshold b: x where a·x &gt; b, else log(1 + e^(ax))/a, the log
/// computed as max(z, 0) + log1p(e^(−|z|)), z = a·x.</summary>
internal readonly struct SoftplusBetaF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), z = W.Mul(x, a);
        V e = Exp<T, V, W>(Neg<T, V, W>(W.Abs(z)), zero);
        V sp = W.Add(W.Select(W.LessThan(zero, z), z, zero), Log1p<T, V, W>(e));
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(b, z), x, W.Div(sp, a)));
    }
}

/// <summary>The derivative of <see cref="SoftplusBetaF"/>: 1 where a·x &gt; b, else σ(a·x).</summary>
internal readonly struct SoftplusBetaDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V z = W.Mul(x, a);
        V v = W.Select(W.LessThan(b, z), W.Splat(T.One), Smooth.Logistic<T, V, W>(z).S);
        return Smooth.KeepNaN<T, V, W>(x, v);
    }
}

/// <summary>The ELU family's kernel with scale 1 (elu, celu): x above 0, else a·expm1(x·b) (a = alpha, b = the
/// input's scale).</summary>
internal readonly struct EluF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x,
            W.Select(W.LessThan(W.Splat(T.Zero), x), x, W.Mul(a, Smooth.Expm1<T, V, W>(W.Mul(x, b)))));
}

/// <summary>The derivative of <see cref="EluF"/> given a = alpha·(input scale), b = input scale: 1 above 0, else
/// e^(x·b)·a.</summary>
internal readonly struct EluDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(W.Splat(T.Zero), x), W.Splat(T.One),
            W.Mul(Exp<T, V, W>(W.Mul(x, b), W.Splat(T.Zero)), a)));
}

/// <summary>SELU's constants, PyTorch's.</summary>
internal static class SeluConstants
{
    internal const double Alpha = 1.6732632423543772848170429916717;
    internal const double Scale = 1.0507009873554804934193349852946;
}

/// <summary>selu(x) = λx above 0, else λα·expm1(x).</summary>
internal readonly struct SeluF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(W.Splat(T.Zero), x),
            W.Mul(x, K<T, V, W>(SeluConstants.Scale)),
            W.Mul(K<T, V, W>(SeluConstants.Alpha * SeluConstants.Scale), Smooth.Expm1<T, V, W>(x))));
}

/// <summary>selu'(x) = λ above 0, else λα·eˣ.</summary>
internal readonly struct SeluDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(W.Splat(T.Zero), x), K<T, V, W>(SeluConstants.Scale),
            W.Mul(Exp<T, V, W>(x, W.Splat(T.Zero)), K<T, V, W>(SeluConstants.Alpha * SeluConstants.Scale))));
}

/// <summary>
/// GELU's tanh form ½x(1 + tanh u) = x·σ(2u), 2u = x(A + Bx²) (A = 2√(2/π), B = 0.044715·A): in the left tail the
/// result is x·e^(2u), and a rounding of 2u (up to ~745 in size) would cost hundreds of ulps, so 2u is summed in
/// double-float64 arithmetic (A and B as pairs, products split exactly by Dekker's method, no fused multiply-add)
/// and its low part goes into the vector exp. x itself beyond 1e100 (where x³ would overflow), −0 below −1e100.
/// </summary>
internal readonly struct GeluTanhF : IPiecewise
{
    private const double ALo = -9.96930880911092e-17, BLo = -6.175149918155315e-19;

    /// <summary>a·b as hi + lo exactly (Dekker's product with Veltkamp's splits), for |a|, |b| well below
    /// overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (V Hi, V Lo) Product<T, V, W>(V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V split = K<T, V, W>(typeof(T) == typeof(float) ? 4097.0 : 134217729.0);
        V ca = W.Mul(a, split), ah = W.Sub(ca, W.Sub(ca, a)), al = W.Sub(a, ah);
        V cb = W.Mul(b, split), bh = W.Sub(cb, W.Sub(cb, b)), bl = W.Sub(b, bh);
        V p = W.Mul(a, b);
        V e = W.Add(W.Add(W.Add(W.Sub(W.Mul(ah, bh), p), W.Mul(ah, bl)), W.Mul(al, bh)), W.Mul(al, bl));
        return (p, e);
    }

    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero), one = W.Splat(T.One), ax = W.Abs(x), cap = K<T, V, W>(1e100);
        V xc = W.Select(W.LessThan(cap, ax), zero, x); // huge lanes are replaced below; keep the splits finite
        V ahi = K<T, V, W>(GeluTanhDF.A), bhi = K<T, V, W>(GeluTanhDF.B);
        var (x2, x2e) = Square<T, V, W>(xc);
        var (bx, bxe) = Product<T, V, W>(bhi, x2);
        bxe = W.Add(bxe, W.Add(W.Mul(bhi, x2e), W.Mul(K<T, V, W>(BLo), x2)));
        V s = W.Add(bx, ahi), sb = W.Sub(s, bx); // TwoSum(bx, A), then the low parts
        V se = W.Add(W.Add(W.Sub(bx, W.Sub(s, sb)), W.Sub(ahi, sb)), W.Add(bxe, K<T, V, W>(ALo)));
        var (t, te) = Product<T, V, W>(s, xc);
        te = W.Add(te, W.Mul(se, xc));
        V th = W.Add(t, te), tl = W.Sub(te, W.Sub(th, t));
        // e^(−|2u|) with its low part, scaled by e⁶⁴ where it would be subnormal
        V negative = W.LessThan(th, zero);
        V z = Neg<T, V, W>(W.Abs(th)), zl = W.Select(negative, tl, Neg<T, V, W>(tl));
        zl = W.Select(W.LessThan(z, K<T, V, W>(-800.0)), zero, zl); // e^z underflows whatever zl is: keep it finite
        V far = W.LessThan(z, K<T, V, W>(-700.0));
        V e = Exp<T, V, W>(W.Select(far, W.Add(z, K<T, V, W>(64.0)), z), zl);
        V d = W.Add(one, e);
        V neg = W.Div(W.Mul(xc, e), d);
        neg = W.Select(far, W.Mul(neg, K<T, V, W>(1.6038108905486378e-28)), neg);
        V v = W.Select(negative, neg, W.Div(xc, d));
        V huge = W.Select(W.LessThan(x, zero), K<T, V, W>(-0.0), x);
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(cap, ax), huge, v));
    }
}

/// <summary>The derivative of GELU's tanh form x·σ(z), z = x(A + Bx²) (A = 2√(2/π), B = 0.044715·A): σ(z) +
/// x·σ(z)σ(−z)·(A + 3Bx²); its limits 0 and 1 beyond |x| = 50, where σ(z) is 0 or 1 to float64's precision.</summary>
internal readonly struct GeluTanhDF : IPiecewise
{
    internal const double A = 1.5957691216057308, B = 0.07135481627260025;

    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V va = K<T, V, W>(A), vb = K<T, V, W>(B), x2 = W.Mul(x, x);
        var (s, c) = Smooth.Logistic<T, V, W>(W.Mul(x, W.Add(va, W.Mul(vb, x2))));
        V dz = W.Add(va, W.Mul(K<T, V, W>(3 * B), x2));
        V v = W.Add(s, W.Mul(W.Mul(x, W.Mul(s, c)), dz));
        V limit = W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Splat(T.Zero), W.Splat(T.One));
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(K<T, V, W>(50.0), W.Abs(x)), limit, v));
    }
}

/// <summary>gelu'(x) = Φ(x) + x·φ(x), Φ by the special functions' vector formula, φ with −x²/2 taken exactly; its
/// limits 0 and 1 beyond |x| = 40 (float32: 15), where φ underflows.</summary>
internal readonly struct GeluDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        double cap = typeof(T) == typeof(float) ? 15.0 : 40.0;
        V ax = W.Abs(x), mhalf = K<T, V, W>(-0.5);
        var (hi, lo) = Square<T, V, W>(AtMost<T, V, W>(ax, cap));
        V phi = W.Mul(Exp<T, V, W>(W.Mul(hi, mhalf), W.Mul(lo, mhalf)), K<T, V, W>(0.39894228040143267794));
        V v = W.Add(NdtrF.Apply<T, V, W>(x), W.Mul(x, phi));
        V limit = W.Select(W.LessThan(x, W.Splat(T.Zero)), W.Splat(T.Zero), W.Splat(T.One));
        return Smooth.KeepNaN<T, V, W>(x, W.Select(W.LessThan(K<T, V, W>(cap), ax), limit, v));
    }
}

/// <summary>softsign'(x) = 1/(1 + |x|)².</summary>
internal readonly struct SoftsignDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V q = W.Add(W.Abs(x), W.Splat(T.One));
        return W.Div(W.Splat(T.One), W.Mul(q, q));
    }
}

/// <summary>hardswish'(x): 0 below −3, x/3 + 1/2 on [−3, 3] (PyTorch's backward), 1 above.</summary>
internal readonly struct HardswishDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V three = K<T, V, W>(3.0);
        V mid = W.Add(W.Div(x, three), K<T, V, W>(0.5));
        return W.Select(W.LessThan(x, Neg<T, V, W>(three)), W.Splat(T.Zero),
            W.Select(W.LessThan(three, x), W.Splat(T.One), mid));
    }
}

/// <summary>hardsigmoid'(x): 1/6 strictly between −3 and 3, else 0.</summary>
internal readonly struct HardsigmoidDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => HardtanhDF.Inside<T, V, W>(x, K<T, V, W>(-3.0), K<T, V, W>(3.0), K<T, V, W>(1.0 / 6.0));
}

/// <summary>The derivative of x clamped to [a, b]: 1 strictly between, else 0 (NaN too).</summary>
internal readonly struct HardtanhDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => Inside<T, V, W>(x, a, b, W.Splat(T.One));

    /// <summary>c where lo &lt; x &lt; hi, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Inside<T, V, W>(V x, V lo, V hi, V c)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V zero = W.Splat(T.Zero);
        return W.Select(W.LessThan(lo, x), W.Select(W.LessThan(x, hi), c, zero), zero);
    }
}

/// <summary>relu6'(x): 1 strictly between 0 and 6, else 0.</summary>
internal readonly struct Relu6DF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => HardtanhDF.Inside<T, V, W>(x, W.Splat(T.Zero), K<T, V, W>(6.0), W.Splat(T.One));
}

/// <summary>The derivative of leaky relu with slope a: 1 above 0, else a (NaN too).</summary>
internal readonly struct LeakyReluDF : IPiecewise
{
    public static V Apply<T, V, W>(V x, V a, V b)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Select(W.LessThan(W.Splat(T.Zero), x), W.Splat(T.One), a);
}

/// <summary>tanh(x)², tanhshrink's derivative: the Tanh op's formula, squared in place.</summary>
internal readonly struct TanhSquareK : IUnaryKernel
{
    public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = Formula<Elementary.TanhF>.Scalar(x);
        return t * t;
    }

    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Formula<Elementary.TanhF>.Run(x, y);
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, y, y);
    }
}
