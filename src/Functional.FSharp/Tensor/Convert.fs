namespace FuncGrad

/// <summary>
/// Conversion between float64 and float32 (differentiable). The functions of the <c>Tensor</c> module that mirror the
/// core's <c>Ops/Convert.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c>
/// beside the other families'.
/// </summary>
/// <example><code>Tensor.ofList [ 1.5 ] |> Tensor.toFloat32 // tensor([1.5000], dtype=float32)</code></example>
[<AutoOpen>]
module TensorConvert =
    /// <summary>Conversion between float64 and float32 (differentiable).</summary>
    /// <example><code>Tensor.ofList [ 1.5 ] |> Tensor.toFloat32 // tensor([1.5000], dtype=float32)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The values in a dtype: the tensor itself when it has that dtype already.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.5 ] |> Tensor.toDType DType.Float32 // tensor([1.5000], dtype=float32)
        /// </code></example>
        let toDType (dtype: DType) (t: Tensor) =
            Args.notNull "Tensor.toDType" "t" t
            t.ToDType dtype

        /// <summary>The values in float32.</summary>
        /// <example><code>Tensor.toFloat32 (Tensor.ofList [ 1.5 ]) // tensor([1.5000], dtype=float32)</code></example>
        let toFloat32 (t: Tensor) =
            Args.notNull "Tensor.toFloat32" "t" t
            t.ToDType DType.Float32

        /// <summary>The values in float64.</summary>
        /// <example><code>
        /// Tensor.toFloat64 (Tensor.ofArray32 [| 1.5f |]) // tensor([1.5000], dtype=float64)
        /// </code></example>
        let toFloat64 (t: Tensor) =
            Args.notNull "Tensor.toFloat64" "t" t
            t.ToDType DType.Float64
