namespace FuncGrad

/// <summary>
/// Clamping into [min, max], by numbers or tensors. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Clamp.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>
/// Tensor.ofList [ -2.0; 0.5 ] |> Tensor.clamp (Some 0.0) (Some 1.0) // tensor([0.0000, 0.5000], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorClamp =
    /// <summary>Clamping into [min, max], by numbers or tensors.</summary>
    /// <example><code>scalar 3.0 |> Tensor.clamp None (Some 1.0) // tensor(1., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>x clamped into [min, max] (None: no bound; at least one is needed); the gradient goes to x where
        /// min ≤ x ≤ max, ends included.</summary>
        /// <example><code>
        /// Tensor.ofList [ -2.0; 0.5 ] |> Tensor.clamp (Some 0.0) (Some 1.0) // tensor([0.0000, 0.5000], dtype=float64)
        /// </code></example>
        let clamp (min: float option) (max: float option) (t: Tensor) =
            Args.notNull "Tensor.clamp" "t" t
            t.Clamp(Option.toNullable min, Option.toNullable max)

        /// <summary>x clamped between tensor bounds, broadcasting (one bound alone: clampMinOf, clampMaxOf).</summary>
        /// <example><code>
        /// scalar 3.0 |> Tensor.clampOf (scalar 0.0) (scalar 1.0) // tensor(1., dtype=float64)
        /// </code></example>
        let clampOf (min: Tensor) (max: Tensor) (t: Tensor) =
            Args.notNull "Tensor.clampOf" "min" min
            Args.notNull "Tensor.clampOf" "max" max
            Args.notNull "Tensor.clampOf" "t" t
            t.Clamp(min, max)

        /// <summary>max(x, min) for a number min.</summary>
        /// <example><code>scalar -1.0 |> Tensor.clampMin 0.0 // tensor(0., dtype=float64)</code></example>
        let clampMin (min: float) (t: Tensor) =
            Args.notNull "Tensor.clampMin" "t" t
            t.ClampMin min

        /// <summary>max(x, min) for a tensor min, broadcasting; the gradient goes to min where x &lt; min.</summary>
        /// <example><code>scalar -1.0 |> Tensor.clampMinOf (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let clampMinOf (min: Tensor) (t: Tensor) =
            Args.notNull "Tensor.clampMinOf" "min" min
            Args.notNull "Tensor.clampMinOf" "t" t
            t.ClampMin min

        /// <summary>min(x, max) for a number max.</summary>
        /// <example><code>scalar 2.0 |> Tensor.clampMax 1.0 // tensor(1., dtype=float64)</code></example>
        let clampMax (max: float) (t: Tensor) =
            Args.notNull "Tensor.clampMax" "t" t
            t.ClampMax max

        /// <summary>min(x, max) for a tensor max, broadcasting; the gradient goes to max where x &gt; max.</summary>
        /// <example><code>scalar 2.0 |> Tensor.clampMaxOf (scalar 1.0) // tensor(1., dtype=float64)</code></example>
        let clampMaxOf (max: Tensor) (t: Tensor) =
            Args.notNull "Tensor.clampMaxOf" "max" max
            Args.notNull "Tensor.clampMaxOf" "t" t
            t.ClampMax max
