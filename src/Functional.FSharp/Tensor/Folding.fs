namespace FuncGrad

/// <summary>
/// Unfold (im2col) and fold (col2im). The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Folding.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>
/// Tensor.zeros [| 1; 1; 3; 3 |] |> Tensor.unfold [| 2 |] |> Tensor.shape // [| 1; 4; 4 |]
/// </code></example>
[<AutoOpen>]
module TensorFolding =
    /// <summary>Unfold (im2col) and fold (col2im).</summary>
    /// <example><code>
    /// Tensor.zeros [| 1; 1; 3; 3 |] |> Tensor.unfold [| 2 |] |> Tensor.shape // [| 1; 4; 4 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The sliding windows of [N, C, H, W] (or [C, H, W]) as columns [N, C·kh·kw, L]: stride 1, no
        /// padding or dilation.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 3; 3 |] |> Tensor.unfold [| 2 |] |> Tensor.shape // [| 1; 4; 4 |]
        /// </code></example>
        let unfold (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.unfold" "kernelSize" kernelSize
            Args.notNull "Tensor.unfold" "t" t
            t.Unfold kernelSize

        /// <summary>Unfold with dilation, padding and stride (each one value for both axes, or one per axis).</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 4; 4 |]
        /// |> Tensor.unfoldWith [| 1 |] [| 1 |] [| 2 |] [| 2 |]
        /// |> Tensor.shape // [| 1; 4; 9 |]
        /// </code></example>
        let unfoldWith (dilation: int[]) (padding: int[]) (stride: int[]) (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.unfoldWith" "dilation" dilation
            Args.notNull "Tensor.unfoldWith" "padding" padding
            Args.notNull "Tensor.unfoldWith" "stride" stride
            Args.notNull "Tensor.unfoldWith" "kernelSize" kernelSize
            Args.notNull "Tensor.unfoldWith" "t" t
            t.Unfold(kernelSize, dilation, padding, stride)

        /// <summary>Adds columns [N, C·kh·kw, L] of sliding windows back into an image [N, C, H, W] of
        /// <paramref name="outputSize"/>: stride 1, no padding or dilation.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 4; 4 |] |> Tensor.fold [| 3; 3 |] [| 2 |] |> Tensor.sum // tensor(16., dtype=float64)
        /// </code></example>
        let fold (outputSize: int[]) (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.fold" "outputSize" outputSize
            Args.notNull "Tensor.fold" "kernelSize" kernelSize
            Args.notNull "Tensor.fold" "t" t
            t.Fold(outputSize, kernelSize)

        /// <summary>Fold with dilation, padding and stride (each one value for both axes, or one per axis).</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 4; 9 |]
        /// |> Tensor.foldWith [| 1 |] [| 1 |] [| 2 |] [| 4; 4 |] [| 2 |]
        /// |> Tensor.shape // [| 1; 1; 4; 4 |]
        /// </code></example>
        let foldWith
            (dilation: int[])
            (padding: int[])
            (stride: int[])
            (outputSize: int[])
            (kernelSize: int[])
            (t: Tensor)
            =
            Args.notNull "Tensor.foldWith" "dilation" dilation
            Args.notNull "Tensor.foldWith" "padding" padding
            Args.notNull "Tensor.foldWith" "stride" stride
            Args.notNull "Tensor.foldWith" "outputSize" outputSize
            Args.notNull "Tensor.foldWith" "kernelSize" kernelSize
            Args.notNull "Tensor.foldWith" "t" t
            t.Fold(outputSize, kernelSize, dilation, padding, stride)
