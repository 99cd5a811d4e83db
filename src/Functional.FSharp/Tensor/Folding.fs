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
    /// <summary>The options of <c>Tensor.unfoldWith</c> and <c>Tensor.foldWith</c>, PyTorch's arguments after the
    /// kernel size, each one value for both spatial axes or one per axis.</summary>
    /// <example><code>{ FoldingOptions.defaults with Stride = [| 2 |] }</code></example>
    type FoldingOptions =
        {
            /// <summary>The step between a window's taps (default 1).</summary>
            /// <example><code>{ FoldingOptions.defaults with Dilation = [| 2 |] }</code></example>
            Dilation: int[]
            /// <summary>Zeros around the image (default none).</summary>
            /// <example><code>{ FoldingOptions.defaults with Padding = [| 1 |] }</code></example>
            Padding: int[]
            /// <summary>The step between windows (default 1).</summary>
            /// <example><code>{ FoldingOptions.defaults with Stride = [| 2; 1 |] }</code></example>
            Stride: int[]
        }

        /// <summary>PyTorch's defaults: dilation 1, no padding, stride 1.</summary>
        /// <example><code>{ FoldingOptions.defaults with Padding = [| 1 |] }</code></example>
        static member defaults =
            {
                Dilation = [| 1 |]
                Padding = [| 0 |]
                Stride = [| 1 |]
            }

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

        /// <summary>Unfold with the dilation, padding and stride of <paramref name="options"/>.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 4; 4 |]
        /// |> Tensor.unfoldWith { FoldingOptions.defaults with Padding = [| 1 |]; Stride = [| 2 |] } [| 2 |]
        /// |> Tensor.shape // [| 1; 4; 9 |]
        /// </code></example>
        let unfoldWith (options: FoldingOptions) (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.unfoldWith" "options" options
            Args.notNull "Tensor.unfoldWith" "kernelSize" kernelSize
            Args.notNull "Tensor.unfoldWith" "t" t
            t.Unfold(kernelSize, options.Dilation, options.Padding, options.Stride)

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

        /// <summary>Fold with the dilation, padding and stride of <paramref name="options"/>.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 4; 9 |]
        /// |> Tensor.foldWith { FoldingOptions.defaults with Padding = [| 1 |]; Stride = [| 2 |] } [| 4; 4 |] [| 2 |]
        /// |> Tensor.shape // [| 1; 1; 4; 4 |]
        /// </code></example>
        let foldWith (options: FoldingOptions) (outputSize: int[]) (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.foldWith" "options" options
            Args.notNull "Tensor.foldWith" "outputSize" outputSize
            Args.notNull "Tensor.foldWith" "kernelSize" kernelSize
            Args.notNull "Tensor.foldWith" "t" t
            t.Fold(outputSize, kernelSize, options.Dilation, options.Padding, options.Stride)
