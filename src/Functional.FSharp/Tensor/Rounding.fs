namespace FuncGrad

/// <summary>
/// Rounding to integers: the functions of the <c>Tensor</c> module that mirror the core's <c>Ops/Rounding.cs</c>.
/// </summary>
/// <example><code>Tensor.round (Tensor.ofList [ 0.5; 1.5 ]) // tensor([0., 2.], dtype=float64)</code></example>
[<AutoOpen>]
module TensorRounding =
    /// <summary>Rounding to integers.</summary>
    /// <example><code>Tensor.floor (scalar 1.5) // tensor(1., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The largest integer ≤ x; gradient 0 everywhere; the identity on integer tensors.</summary>
        /// <example><code>
        /// Tensor.floor (Tensor.ofList [ -1.5; 1.5 ]) // tensor([-2.,  1.], dtype=float64)
        /// </code></example>
        let floor (t: Tensor) =
            Args.notNull "Tensor.floor" "t" t
            t.Floor()

        /// <summary>The smallest integer ≥ x; gradient 0 everywhere; the identity on integer tensors.</summary>
        /// <example><code>
        /// Tensor.ceil (Tensor.ofList [ -1.5; 1.5 ]) // tensor([-1.,  2.], dtype=float64)
        /// </code></example>
        let ceil (t: Tensor) =
            Args.notNull "Tensor.ceil" "t" t
            t.Ceil()

        /// <summary>The nearest integer, halves to even (2.5 → 2); gradient 0 everywhere; the identity on integer
        /// tensors.</summary>
        /// <example><code>
        /// Tensor.round (Tensor.ofList [ 0.5; 1.5; 2.5 ]) // tensor([0., 2., 2.], dtype=float64)
        /// </code></example>
        let round (t: Tensor) =
            Args.notNull "Tensor.round" "t" t
            t.Round()

        /// <summary>x rounded toward 0; gradient 0 everywhere; the identity on integer tensors.</summary>
        /// <example><code>
        /// Tensor.trunc (Tensor.ofList [ -1.5; 1.5 ]) // tensor([-1.,  1.], dtype=float64)
        /// </code></example>
        let trunc (t: Tensor) =
            Args.notNull "Tensor.trunc" "t" t
            t.Trunc()

        /// <summary>x − trunc x, with x's sign; derivative 1.</summary>
        /// <example><code>
        /// Tensor.frac (Tensor.ofList [ -1.25; 2.5 ]) // tensor([-0.2500,  0.5000], dtype=float64)
        /// </code></example>
        let frac (t: Tensor) =
            Args.notNull "Tensor.frac" "t" t
            t.Frac()

        /// <summary>Rounds to a number of decimal places as PyTorch's <c>torch.round(x, decimals=d)</c> (negative
        /// rounds to tens, hundreds...), halves to even; gradient 0 everywhere.</summary>
        /// <example><code>
        /// Tensor.roundWith 1 (Tensor.ofList [ 1.25; 1.35 ]) // tensor([1.2000, 1.4000], dtype=float64)
        /// </code></example>
        let roundWith (decimals: int) (t: Tensor) =
            Args.notNull "Tensor.roundWith" "t" t
            t.Round(decimals)
