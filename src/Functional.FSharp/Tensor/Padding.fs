namespace FuncGrad

/// <summary>
/// Padding. The functions of the <c>Tensor</c> module that mirror the core's <c>Ops/Padding.cs</c>; <c>open
/// FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.pad [| 1; 1 |] // tensor([0., 1., 2., 0.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorPadding =
    /// <summary>Padding with a constant, a mirror, the edge or a wrap-around.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.pad [| 1; 1 |] // tensor([0., 1., 2., 0.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Pads the last axes with zeros: <paramref name="pad"/> holds (before, after) pairs, the last axis's
        /// first, as torch.nn.functional.pad takes them; negative amounts crop.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.pad [| 1; 1 |] // tensor([0., 1., 2., 0.], dtype=float64)
        /// </code></example>
        let pad (pad: int[]) (t: Tensor) =
            Args.notNull "Tensor.pad" "pad" pad
            Args.notNull "Tensor.pad" "t" t
            t.Pad pad

        /// <summary>Pads the last axes by <paramref name="mode"/>: "constant" (with <paramref name="value"/>),
        /// "reflect", "replicate" or "circular"; <paramref name="pad"/> as for <c>Tensor.pad</c>.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ]
        /// |> Tensor.padWith "reflect" 0.0 [| 2; 1 |] // tensor([3., 2., 1., 2., 3., 2.], dtype=float64)
        /// </code></example>
        let padWith (mode: string) (value: float) (pad: int[]) (t: Tensor) =
            Args.notNull "Tensor.padWith" "mode" mode
            Args.notNull "Tensor.padWith" "pad" pad
            Args.notNull "Tensor.padWith" "t" t
            t.Pad(pad, mode, value)
