namespace FuncGrad

/// <summary>
/// Cutting a tensor into parts: split, chunk, unbind; and meshgrid. The functions of the <c>Tensor</c> module that
/// mirror the core's <c>Ops/Splitting.cs</c>; every dtype.
/// </summary>
/// <example><code>Tensor.arange 5 |> Tensor.split 2 0 |> Array.length // 3</code></example>
[<AutoOpen>]
module TensorSplitting =
    /// <summary>Cutting a tensor into parts: split, chunk, unbind; and meshgrid.</summary>
    /// <example><code>Tensor.arange 5 |> Tensor.split 2 0 |> Array.length // 3</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Parts of a given size along an axis, the last one smaller when the size does not divide it.
        /// </summary>
        /// <example><code>Tensor.arange 5 |> Tensor.split 2 0 |> Array.length // 3</code></example>
        let split (size: int) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.split" "t" t
            t.Split(size, axis)

        /// <summary>Parts of the given sizes along an axis, which must add up to its size.</summary>
        /// <example><code>
        /// Tensor.arange 5 |> Tensor.splitSizes [| 1; 4 |] 0 |> Array.map Tensor.shape // [| [| 1 |]; [| 4 |] |]
        /// </code></example>
        let splitSizes (sizes: int[]) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.splitSizes" "sizes" sizes
            Args.notNull "Tensor.splitSizes" "t" t
            t.Split(sizes, axis)

        /// <summary>At most <c>chunks</c> parts along an axis, each of ⌈size / chunks⌉ elements but the last.
        /// </summary>
        /// <example><code>Tensor.arange 5 |> Tensor.chunk 3 0 |> Array.length // 3</code></example>
        let chunk (chunks: int) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.chunk" "t" t
            t.Chunk(chunks, axis)

        /// <summary>The slices along an axis, each without that axis (the inverse of stack).</summary>
        /// <example><code>Tensor.zeros [| 2; 3 |] |> Tensor.unbind 1 |> Array.length // 3</code></example>
        let unbind (axis: int) (t: Tensor) =
            Args.notNull "Tensor.unbind" "t" t
            t.Unbind axis

        /// <summary>Coordinate grids from vectors, with indexing <c>"ij"</c> (matrix) or <c>"xy"</c> (Cartesian: the
        /// first two axes swapped).</summary>
        /// <example><code>
        /// Tensor.meshgrid "ij" [ Tensor.arange 2; Tensor.arange 3 ] |> Array.map Tensor.shape
        /// // [| [| 2; 3 |]; [| 2; 3 |] |]
        /// </code></example>
        let meshgrid (indexing: string) (tensors: Tensor list) =
            Args.notNull "Tensor.meshgrid" "indexing" indexing
            Args.notNull "Tensor.meshgrid" "tensors" tensors
            Tensor.Meshgrid(tensors, indexing)
