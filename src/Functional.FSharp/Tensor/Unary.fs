namespace FuncGrad

/// <summary>
/// Elementwise functions of one tensor. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Unary.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>Tensor.abs (Tensor.ofList [ -1.0; 2.0 ]) // tensor([1., 2.], dtype=float64)</code></example>
[<AutoOpen>]
module TensorUnary =
    /// <summary>Elementwise functions of one tensor.</summary>
    /// <example><code>Tensor.abs (Tensor.ofList [ -1.0; 2.0 ]) // tensor([1., 2.], dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>eˣ (also F#'s own <c>exp x</c>).</summary>
        /// <example><code>Tensor.exp (scalar 0.0) // tensor(1., dtype=float64)</code></example>
        let exp (t: Tensor) =
            Args.notNull "Tensor.exp" "t" t
            t.Exp()

        /// <summary>The natural logarithm (also F#'s own <c>log x</c>).</summary>
        /// <example><code>Tensor.log (scalar 1.0) // tensor(0., dtype=float64)</code></example>
        let log (t: Tensor) =
            Args.notNull "Tensor.log" "t" t
            t.Log()

        /// <summary>log(1 + x), accurate for small x.</summary>
        /// <example><code>Tensor.log1p (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let log1p (t: Tensor) =
            Args.notNull "Tensor.log1p" "t" t
            t.Log1p()

        /// <summary>eˣ − 1, accurate for small x.</summary>
        /// <example><code>Tensor.expm1 (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let expm1 (t: Tensor) =
            Args.notNull "Tensor.expm1" "t" t
            t.Expm1()

        /// <summary>√x (also F#'s own <c>sqrt x</c>).</summary>
        /// <example><code>Tensor.sqrt (scalar 9.0) // tensor(3., dtype=float64)</code></example>
        let sqrt (t: Tensor) =
            Args.notNull "Tensor.sqrt" "t" t
            t.Sqrt()

        /// <summary>x².</summary>
        /// <example><code>Tensor.square (scalar 3.0) // tensor(9., dtype=float64)</code></example>
        let square (t: Tensor) =
            Args.notNull "Tensor.square" "t" t
            t.Square()

        /// <summary>1/x.</summary>
        /// <example><code>Tensor.reciprocal (scalar 4.0) // tensor(0.2500, dtype=float64)</code></example>
        let reciprocal (t: Tensor) =
            Args.notNull "Tensor.reciprocal" "t" t
            t.Reciprocal()

        /// <summary>|x| (also F#'s own <c>abs x</c>); its derivative at 0 is 0.</summary>
        /// <example><code>
        /// Tensor.abs (Tensor.ofList [ -1.5; 2.0 ]) // tensor([1.5000, 2.0000], dtype=float64)
        /// </code></example>
        let abs (t: Tensor) =
            Args.notNull "Tensor.abs" "t" t
            t.Abs()

        /// <summary>−1, 0 or 1 by sign; zero gradient.</summary>
        /// <example><code>
        /// Tensor.sign (Tensor.ofList [ -2.0; 3.0 ]) // tensor([-1., 1.], dtype=float64)
        /// </code></example>
        let sign (t: Tensor) =
            Args.notNull "Tensor.sign" "t" t
            t.Sign()

        /// <summary>The sine (also F#'s own <c>sin x</c>).</summary>
        /// <example><code>Tensor.sin (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let sin (t: Tensor) =
            Args.notNull "Tensor.sin" "t" t
            t.Sin()

        /// <summary>The cosine (also F#'s own <c>cos x</c>).</summary>
        /// <example><code>Tensor.cos (scalar 0.0) // tensor(1., dtype=float64)</code></example>
        let cos (t: Tensor) =
            Args.notNull "Tensor.cos" "t" t
            t.Cos()

        /// <summary>The tangent (also F#'s own <c>tan x</c>).</summary>
        /// <example><code>Tensor.tan (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let tan (t: Tensor) =
            Args.notNull "Tensor.tan" "t" t
            t.Tan()

        /// <summary>The hyperbolic tangent (also F#'s own <c>tanh x</c>).</summary>
        /// <example><code>Tensor.tanh (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let tanh (t: Tensor) =
            Args.notNull "Tensor.tanh" "t" t
            t.Tanh()

        /// <summary>The logistic function.</summary>
        /// <example><code>Tensor.sigmoid (scalar 0.0) // tensor(0.5000, dtype=float64)</code></example>
        let sigmoid (t: Tensor) =
            Args.notNull "Tensor.sigmoid" "t" t
            t.Sigmoid()

        /// <summary>log(1 + eˣ) without overflow.</summary>
        /// <example><code>Tensor.softplus (scalar 0.0) // tensor(0.6931, dtype=float64)</code></example>
        let softplus (t: Tensor) =
            Args.notNull "Tensor.softplus" "t" t
            t.Softplus()

        /// <summary>max(x, 0); its derivative at 0 is 0.</summary>
        /// <example><code>Tensor.relu (Tensor.ofList [ -1.0; 2.0 ]) // tensor([0., 2.], dtype=float64)</code></example>
        let relu (t: Tensor) =
            Args.notNull "Tensor.relu" "t" t
            t.Relu()
