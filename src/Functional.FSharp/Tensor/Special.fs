namespace FuncGrad

/// <summary>
/// Special functions (<c>torch.special</c>): the functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Special.cs</c>, each within a stated number of ulps of the correctly rounded value.
/// </summary>
/// <example><code>Tensor.erf (Tensor.ofList [ 0.0; 0.5 ]) // tensor([0.0000, 0.5205], dtype=float64)</code></example>
[<AutoOpen>]
module TensorSpecial =
    /// <summary>Special functions of one tensor.</summary>
    /// <example><code>Tensor.erf (scalar 0.5) // tensor(0.5205, dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt, within 2 ulps (float64), 3 (float32).</summary>
        /// <example><code>Tensor.erf (scalar 0.5) // tensor(0.5205, dtype=float64)</code></example>
        let erf (t: Tensor) =
            Args.notNull "Tensor.erf" "t" t
            t.Erf()

        /// <summary>The complementary error function 1 − erf(x), accurate where it is tiny, within 4 ulps.</summary>
        /// <example><code>Tensor.erfc (scalar 0.0) // tensor(1., dtype=float64)</code></example>
        let erfc (t: Tensor) =
            Args.notNull "Tensor.erfc" "t" t
            t.Erfc()

        /// <summary>The standard normal distribution function Φ(x), accurate in the left tail, within 4 ulps
        /// (float64), 5 (float32).</summary>
        /// <example><code>Tensor.ndtr (scalar 0.0) // tensor(0.5000, dtype=float64)</code></example>
        let ndtr (t: Tensor) =
            Args.notNull "Tensor.ndtr" "t" t
            t.Ndtr()

        /// <summary>log Φ(x), accurate far in the left tail (about −x²/2 there), within 5 ulps (float64), 6
        /// (float32).</summary>
        /// <example><code>Tensor.logNdtr (scalar 0.0) // tensor(-0.6931, dtype=float64)</code></example>
        let logNdtr (t: Tensor) =
            Args.notNull "Tensor.logNdtr" "t" t
            t.LogNdtr()

        /// <summary>The modified Bessel function of the first kind of order 0, within 3 ulps.</summary>
        /// <example><code>Tensor.i0 (scalar 1.0) // tensor(1.2661, dtype=float64)</code></example>
        let i0 (t: Tensor) =
            Args.notNull "Tensor.i0" "t" t
            t.I0()

        /// <summary>The exponentially scaled e^(−|x|)·I0(x), finite everywhere, within 4 ulps (float64), 3
        /// (float32).</summary>
        /// <example><code>Tensor.i0e (scalar 1.0) // tensor(0.4658, dtype=float64)</code></example>
        let i0e (t: Tensor) =
            Args.notNull "Tensor.i0e" "t" t
            t.I0e()

        /// <summary>The modified Bessel function of the first kind of order 1, within 3 ulps.</summary>
        /// <example><code>Tensor.i1 (scalar 1.0) // tensor(0.5652, dtype=float64)</code></example>
        let i1 (t: Tensor) =
            Args.notNull "Tensor.i1" "t" t
            t.I1()

        /// <summary>The exponentially scaled e^(−|x|)·I1(x), finite everywhere, within 3 ulps.</summary>
        /// <example><code>Tensor.i1e (scalar 1.0) // tensor(0.2079, dtype=float64)</code></example>
        let i1e (t: Tensor) =
            Args.notNull "Tensor.i1e" "t" t
            t.I1e()

        /// <summary>log |Γ(x)|, within 4 ulps (float64), 2 (float32) for x &gt; 0; +inf at the non-positive
        /// integers.</summary>
        /// <example><code>Tensor.lgamma (scalar 0.5) // tensor(0.5724, dtype=float64)</code></example>
        let lgamma (t: Tensor) =
            Args.notNull "Tensor.lgamma" "t" t
            t.Lgamma()

        /// <summary>The digamma function ψ(x) = Γ'(x)/Γ(x), within 3 ulps for x &gt; 0; −inf at +0, NaN at the
        /// negative integers (as PyTorch).</summary>
        /// <example><code>Tensor.digamma (scalar 1.0) // tensor(-0.5772, dtype=float64)</code></example>
        let digamma (t: Tensor) =
            Args.notNull "Tensor.digamma" "t" t
            t.Digamma()

        /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of digamma (n ≥ 0; 0 is digamma), in PyTorch's order: the order
        /// first, the tensor last.</summary>
        /// <example><code>Tensor.polygamma 1 (scalar 1.0) // tensor(1.6449, dtype=float64)</code></example>
        let polygamma (n: int) (t: Tensor) =
            Args.notNull "Tensor.polygamma" "t" t
            t.Polygamma n

        /// <summary>The inverse error function, ±inf at ±1 and NaN outside [−1, 1], within 3 ulps.</summary>
        /// <example><code>Tensor.erfinv (scalar 0.5) // tensor(0.4769, dtype=float64)</code></example>
        let erfinv (t: Tensor) =
            Args.notNull "Tensor.erfinv" "t" t
            t.Erfinv()

        /// <summary>The normal quantile ndtri(p), the inverse of Φ: −inf at 0, +inf at 1, NaN outside [0, 1], accurate
        /// in both tails, within 4 ulps.</summary>
        /// <example><code>Tensor.ndtri (scalar 0.975) // tensor(1.9600, dtype=float64)</code></example>
        let ndtri (t: Tensor) =
            Args.notNull "Tensor.ndtri" "t" t
            t.Ndtri()
