namespace FuncGrad

/// <summary>
/// Elementary functions beyond <c>Tensor/Unary.fs</c>: inverse trigonometric and hyperbolic functions, base-2 and
/// base-10 logarithms, 2ˣ, 1/√x, sinc, logit and entropy. The functions of the <c>Tensor</c> module that mirror the
/// core's <c>Ops/Elementary.cs</c> (accuracy in ulps against mpmath in each; docs/conventions.md, "Elementary
/// functions").
/// </summary>
/// <example><code>Tensor.asin (scalar 1.0) // tensor(1.5708, dtype=float64)</code></example>
[<AutoOpen>]
module TensorElementary =
    /// <summary>Elementary functions of one tensor.</summary>
    /// <example><code>Tensor.asin (scalar 1.0) // tensor(1.5708, dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The inverse sine, in [−π/2, π/2]; NaN outside [−1, 1]; within 1 ulp.</summary>
        /// <example><code>Tensor.asin (scalar 1.0) // tensor(1.5708, dtype=float64)</code></example>
        let asin (t: Tensor) =
            Args.notNull "Tensor.asin" "t" t
            t.Asin()

        /// <summary>The inverse cosine, in [0, π]; NaN outside [−1, 1]; within 1 ulp.</summary>
        /// <example><code>Tensor.acos (scalar 1.0) // tensor(0., dtype=float64)</code></example>
        let acos (t: Tensor) =
            Args.notNull "Tensor.acos" "t" t
            t.Acos()

        /// <summary>The inverse tangent, in (−π/2, π/2); ±π/2 at ±inf; within 1 ulp.</summary>
        /// <example><code>Tensor.atan (scalar 1.0) // tensor(0.7854, dtype=float64)</code></example>
        let atan (t: Tensor) =
            Args.notNull "Tensor.atan" "t" t
            t.Atan()

        /// <summary>The hyperbolic sine; within 1 ulp.</summary>
        /// <example><code>Tensor.sinh (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let sinh (t: Tensor) =
            Args.notNull "Tensor.sinh" "t" t
            t.Sinh()

        /// <summary>The hyperbolic cosine; within 1 ulp.</summary>
        /// <example><code>Tensor.cosh (scalar 0.0) // tensor(1., dtype=float64)</code></example>
        let cosh (t: Tensor) =
            Args.notNull "Tensor.cosh" "t" t
            t.Cosh()

        /// <summary>The inverse hyperbolic sine; within 1 ulp.</summary>
        /// <example><code>Tensor.asinh (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let asinh (t: Tensor) =
            Args.notNull "Tensor.asinh" "t" t
            t.Asinh()

        /// <summary>The inverse hyperbolic cosine, ≥ 0; NaN below 1; within 1 ulp.</summary>
        /// <example><code>Tensor.acosh (scalar 1.0) // tensor(0., dtype=float64)</code></example>
        let acosh (t: Tensor) =
            Args.notNull "Tensor.acosh" "t" t
            t.Acosh()

        /// <summary>The inverse hyperbolic tangent: ±inf at ±1, NaN outside [−1, 1]; within 1 ulp.</summary>
        /// <example><code>Tensor.atanh (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let atanh (t: Tensor) =
            Args.notNull "Tensor.atanh" "t" t
            t.Atanh()

        /// <summary>The base-2 logarithm: −inf at 0, NaN below 0; within 1 ulp.</summary>
        /// <example><code>Tensor.log2 (scalar 8.0) // tensor(3., dtype=float64)</code></example>
        let log2 (t: Tensor) =
            Args.notNull "Tensor.log2" "t" t
            t.Log2()

        /// <summary>The base-10 logarithm: −inf at 0, NaN below 0; within 1 ulp.</summary>
        /// <example><code>Tensor.log10 (scalar 100.0) // tensor(2., dtype=float64)</code></example>
        let log10 (t: Tensor) =
            Args.notNull "Tensor.log10" "t" t
            t.Log10()

        /// <summary>2ˣ; within 1 ulp.</summary>
        /// <example><code>Tensor.exp2 (scalar 3.0) // tensor(8., dtype=float64)</code></example>
        let exp2 (t: Tensor) =
            Args.notNull "Tensor.exp2" "t" t
            t.Exp2()

        /// <summary>1/√x: +inf at +0, −inf at −0, NaN below 0; within 1 ulp.</summary>
        /// <example><code>Tensor.rsqrt (scalar 4.0) // tensor(0.5000, dtype=float64)</code></example>
        let rsqrt (t: Tensor) =
            Args.notNull "Tensor.rsqrt" "t" t
            t.Rsqrt()

        /// <summary>The normalised sinc sin(πx)/(πx), 1 at 0 (its derivative there 0); within 1 ulp.</summary>
        /// <example><code>Tensor.sinc (scalar 0.0) // tensor(1., dtype=float64)</code></example>
        let sinc (t: Tensor) =
            Args.notNull "Tensor.sinc" "t" t
            t.Sinc()

        /// <summary>The entropy term −x·ln x: 0 at 0, −inf below 0; within 1 ulp.</summary>
        /// <example><code>Tensor.entr (scalar 0.5) // tensor(0.3466, dtype=float64)</code></example>
        let entr (t: Tensor) =
            Args.notNull "Tensor.entr" "t" t
            t.Entr()

        /// <summary>log(x/(1 − x)), the inverse of sigmoid: −inf at 0, +inf at 1, NaN outside [0, 1]; within 1
        /// ulp (2 in float32).</summary>
        /// <example><code>Tensor.logit (scalar 0.5) // tensor(0., dtype=float64)</code></example>
        let logit (t: Tensor) =
            Args.notNull "Tensor.logit" "t" t
            t.Logit()

        /// <summary>logit of x clamped to [eps, 1 − eps] where eps is given (PyTorch's <c>torch.logit(x, eps)</c>):
        /// the gradient is 0 outside that interval.</summary>
        /// <example><code>Tensor.logitWith (Some 1e-6) (scalar 0.0) // tensor(-13.8155, dtype=float64)</code></example>
        let logitWith (eps: float option) (t: Tensor) =
            Args.notNull "Tensor.logitWith" "t" t
            t.Logit(Option.toNullable eps)
