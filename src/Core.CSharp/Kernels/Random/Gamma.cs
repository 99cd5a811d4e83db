using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels.Random;

// Gamma variates on Philox, and the implicit reparameterisation gradient dz/dα of a gamma variate z with shape α and
// unit rate (Figurnov, Mohamed and Mnih, "Implicit reparameterization gradients", NeurIPS 2018).
//
// Sampling: Marsaglia and Tsang's squeeze-and-reject method ("A simple method for generating gamma variables", ACM TOMS
// 2000) for α ≥ 1; for α < 1 a Gamma(α + 1) variate times U^(1/α). A rejection loop consumes a data-dependent number of
// random words, so element n does not read the key's stream: attempt i of element n reads the four words of the block
// at counter (n low, n high, i, Tag) and the boost U^(1/α) those of counter (n low, n high, 2^32 − 1, Tag). An element's
// value is then a function of (key, n, α) alone, whatever the other elements, threads or order; the tag keeps these
// blocks apart from the key's own stream (counters (m, m high, 0, 0)).
//
// The normal deviate of an attempt is ndtri of a 53-bit uniform, the logarithms and powers are the special-function
// family's own (Kernels/Special/VectorMath.cs), so the draws come from FuncGrad's code on every platform; where those
// round a multiply-add differently (machines without FMA) the last bits can differ, as theirs do.
//
// The gradient: z = F⁻¹(u; α) for the regularised lower incomplete gamma F = P(α, ·), so dz/dα = −(∂P/∂α)/f(z; α) with
// f the density. Two formulas, each a sum of terms of one sign, so nothing cancels:
//  - for log z < ψ(α + 1) (z below about α + ½), the series P = Σₖ z^(α+k)e^(−z)/Γ(α + k + 1) differentiated term by
//    term: dz/dα = Σₖ rₖ·δₖ with rₖ = z^(k+1)/(α(α + 1)⋯(α + k)) and δₖ = ψ(α + k + 1) − log z > 0, both by recurrence;
//  - above, ∂P/∂α = −∂Q/∂α with Q the upper tail: dz/dα = ∫₀^∞ (1 + u/z)^(α−1)·e^(−u)·(log(z + u) − ψ(α)) du, whose
//    integrand is positive (log t ≥ log z ≥ ψ(α + 1) > ψ(α)), by double-exponential quadrature (u = σ·e^(t − e^(−t)),
//    Ooura and Mori's transformation for integrands that fall exponentially, σ the width of the weight), halving the
//    step until two estimates agree to 1e-13.

/// <summary>Gamma variates from Philox keys and their implicit reparameterisation gradient, in float64.</summary>
internal static class GammaKernel
{
    /// <summary>The fourth counter word of every block a gamma draw reads ("gamm").</summary>
    internal const uint Tag = 0x67616D6D;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Ln(double x) => VectorMath.Log<double, double, W1<double>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Exp(double x) => VectorMath.Exp<double, double, W1<double>>(x, 0.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Ln1p(double x) => VectorMath.Log1p<double, double, W1<double>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Digamma(double x) => Formula<DigammaF>.Scalar(x);

    /// <summary>A float64 in (0, 1), never 0 or 1: (53 random bits + ½)/2^53.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Open(uint hi, uint lo) => ((((ulong)hi << 21) | (lo >> 11)) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>The gamma variate with shape <paramref name="alpha"/> and unit rate of element <paramref name="n"/>
    /// under key (k0, k1). NaN for α ≤ 0 or NaN; +inf for α = +inf.</summary>
    internal static double Sample(uint k0, uint k1, ulong n, double alpha)
    {
        if (!(alpha > 0)) return double.NaN;
        if (double.IsPositiveInfinity(alpha)) return alpha;
        uint c0 = (uint)n, c1 = (uint)(n >> 32);
        var boosted = alpha < 1;
        var d = (boosted ? alpha + 1 : alpha) - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        double z;
        for (uint attempt = 0; ; attempt++)
        {
            var (w0, w1, w2, w3) = Philox.Block(k0, k1, c0, c1, attempt, Tag);
            var x = Formula<NdtriF>.Scalar(Open(w0, w1));
            var v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            var u = Open(w2, w3);
            var x2 = x * x;
            if (u < 1 - 0.0331 * (x2 * x2) || Ln(u) < 0.5 * x2 + d * (1 - v + Ln(v)))
            {
                z = d * v;
                break;
            }
            // The acceptance probability is at least 0.95 for every α, so 2^32 attempts never run out in practice;
            // the counter wrapping would only repeat attempts, not break determinism.
        }
        if (!boosted) return z;
        var (b0, b1, _, _) = Philox.Block(k0, k1, c0, c1, uint.MaxValue, Tag);
        return z * Exp(Ln(Open(b0, b1)) / alpha);
    }

    /// <summary>dz/dα for a gamma variate z with shape α and unit rate, to about 1e-12 relative (float64). 0 at
    /// z = 0 (a draw that underflowed: dz/dα → 0 as z → 0), NaN for α ≤ 0, z &lt; 0 or NaN.</summary>
    internal static double SampleGrad(double alpha, double z)
    {
        if (!(alpha > 0) || !(z >= 0) || double.IsPositiveInfinity(alpha)) return double.NaN;
        if (z == 0) return 0;
        if (double.IsPositiveInfinity(z)) return double.PositiveInfinity;
        var logZ = Ln(z);
        var delta = Digamma(alpha + 1) - logZ;
        return delta > 0 ? Series(alpha, z, delta) : Upper(alpha, z, logZ);
    }

    /// <summary>Σₖ rₖ·δₖ, rₖ = z^(k+1)/(α)ₖ₊₁, δₖ = ψ(α + k + 1) − log z (δ₀ &gt; 0 given), until a term no longer
    /// changes the sum.</summary>
    private static double Series(double alpha, double z, double delta)
    {
        var r = z / alpha;
        var sum = r * delta;
        for (var k = 1; k < 10_000_000; k++)
        {
            var ak = alpha + k;
            delta += 1 / ak; // ψ(x + 1) = ψ(x) + 1/x
            r *= z / ak;
            var term = r * delta;
            var next = sum + term;
            // Terms fall once α + k > z (from the start, here); r·δ stops changing the sum long before r reaches 0.
            if (next == sum && ak > z) break;
            sum = next;
        }
        return sum;
    }

    /// <summary>The agreement of two successive estimates of the quadrature at which it stops. The trapezoid rule's
    /// error after a double-exponential change of variable falls like e^(−c/h), so halving the step squares the
    /// relative error: two estimates that agree to 1e-9 put the second one near 1e-18, well under rounding.</summary>
    private const double Agreement = 1e-9;

    /// <summary>∫₀^∞ (1 + u/z)^(α−1)·e^(−u)·(log(z + u) − ψ(α)) du by the double-exponential rule.</summary>
    private static double Upper(double alpha, double z, double logZ)
    {
        var psi = Digamma(alpha);
        var am1 = alpha - 1;
        // The weight e^(h(u)), h = (α − 1)·log(1 + u/z) − u, falls at rate −h'(0) = 1 − (α − 1)/z and has curvature
        // (α − 1)/z²: its width is about the smaller of the two scales.
        var rate = 1 - am1 / z;
        var curvature = Math.Sqrt(Math.Abs(am1)) / z;
        var sigma = 1 / (rate + curvature);

        double F(double t)
        {
            var e = Exp(t - Exp(-t));
            var u = sigma * e;
            var jac = u * (1 + Exp(-t));
            var l1p = Ln1p(u / z);
            var w = Exp(am1 * l1p - u);
            return w == 0 || jac == 0 ? 0 : w * (logZ + l1p - psi) * jac;
        }

        var h = 0.5;
        var sum = Trapezoid(F, h, 0);
        var estimate = sum * h;
        for (var level = 0; level < 8; level++)
        {
            // Halving the step: the new nodes are the odd multiples of h/2.
            sum += Trapezoid(F, h, h / 2);
            h /= 2;
            var next = sum * h;
            var done = Math.Abs(next - estimate) <= Agreement * Math.Abs(next);
            estimate = next;
            if (done) break;
        }
        return estimate;
    }

    /// <summary>Σ F(offset + j·h) over every integer j, walking out from the middle until the terms are negligible;
    /// the transformed integrand falls double-exponentially in both directions.</summary>
    private static double Trapezoid(Func<double, double> f, double h, double offset)
    {
        var sum = f(offset);
        for (var dir = -1; dir <= 1; dir += 2)
        {
            var small = 0;
            for (var j = 1; j < 4000; j++)
            {
                var t = offset + dir * j * h;
                var v = f(t);
                sum += v;
                small = Math.Abs(v) <= 1e-18 * Math.Abs(sum) ? small + 1 : 0;
                if (small >= 3 || Math.Abs(t) > 12) break;
            }
        }
        return sum;
    }

    /// <summary>Elements [from, to) of the draws of a batch of keys: element i lies in block b = i / inner (blocks of
    /// <paramref name="inner"/> elements), which uses key b (keys[2b], keys[2b + 1]), at index i − b·inner.</summary>
    internal static void SampleInto<T>(ReadOnlySpan<long> keys, ReadOnlySpan<T> alpha, Span<T> z, int inner, int from,
        int to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = from; i < to; i++)
        {
            var b = inner == 0 ? 0 : i / inner;
            var j = i - b * inner;
            z[i] = T.CreateTruncating(Sample((uint)keys[2 * b], (uint)keys[2 * b + 1], (ulong)j,
                double.CreateTruncating(alpha[i])));
        }
    }

    /// <summary>dz/dα elementwise.</summary>
    internal static void SampleGradInto<T>(ReadOnlySpan<T> alpha, ReadOnlySpan<T> z, Span<T> grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < grad.Length; i++)
            grad[i] = T.CreateTruncating(SampleGrad(double.CreateTruncating(alpha[i]), double.CreateTruncating(z[i])));
    }
}
