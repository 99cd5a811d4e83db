namespace FuncGrad

/// <summary>
/// Shape changes: reshape, flatten, transpose, permute, broadcast, squeeze. The functions of the <c>Tensor</c> module
/// that mirror the core's <c>Ops/Layout.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.arange 6 |> Tensor.reshape [| 2; 3 |] |> Tensor.transpose |> Tensor.shape // [| 3; 2 |]
/// </code></example>
[<AutoOpen>]
module TensorLayout =
    /// <summary>Shape changes: reshape, flatten, transpose, permute, broadcast, squeeze.</summary>
    /// <example><code>
    /// Tensor.arange 6 |> Tensor.reshape [| 2; 3 |] |> Tensor.transpose |> Tensor.shape // [| 3; 2 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The same values in a new shape (one dimension may be −1).</summary>
        /// <example><code>Tensor.arange 6 |> Tensor.reshape [| 2; -1 |] |> Tensor.shape // [| 2; 3 |]</code></example>
        let reshape (shape: int[]) (t: Tensor) =
            Args.notNull "Tensor.reshape" "shape" shape
            Args.notNull "Tensor.reshape" "t" t
            t.Reshape shape

        /// <summary>Flattened to one dimension.</summary>
        /// <example><code>Tensor.zeros [| 2; 3 |] |> Tensor.flatten |> Tensor.shape // [| 6 |]</code></example>
        let flatten (t: Tensor) =
            Args.notNull "Tensor.flatten" "t" t
            t.Flatten()

        /// <summary>The matrix transpose (last two axes swapped).</summary>
        /// <example><code>Tensor.zeros [| 2; 3 |] |> Tensor.transpose |> Tensor.shape // [| 3; 2 |]</code></example>
        let transpose (t: Tensor) =
            Args.notNull "Tensor.transpose" "t" t
            t.Transpose()

        /// <summary>
        /// Two axes swapped (PyTorch's <c>transpose(input, dim0, dim1)</c>); negative axes count from the end.
        /// </summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.transposeAxes 0 2 |> Tensor.shape // [| 4; 3; 2 |]
        /// </code></example>
        let transposeAxes (axis0: int) (axis1: int) (t: Tensor) =
            Args.notNull "Tensor.transposeAxes" "t" t
            t.Transpose(axis0, axis1)

        /// <summary>The axes reordered.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.permute [| 2; 0; 1 |] |> Tensor.shape // [| 4; 2; 3 |]
        /// </code></example>
        let permute (axes: int[]) (t: Tensor) =
            Args.notNull "Tensor.permute" "axes" axes
            Args.notNull "Tensor.permute" "t" t
            t.Permute axes

        /// <summary>Repeated to a shape by broadcasting.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.broadcastTo [| 3; 2 |] |> Tensor.shape // [| 3; 2 |]
        /// </code></example>
        let broadcastTo (shape: int[]) (t: Tensor) =
            Args.notNull "Tensor.broadcastTo" "shape" shape
            Args.notNull "Tensor.broadcastTo" "t" t
            t.BroadcastTo shape

        /// <summary>
        /// Summed down to a shape that broadcasts to the tensor's, undoing a broadcast: leading axes are summed away
        /// and axes of size 1 in the target are summed keeping their place (every broadcasting op's VJP uses it).
        /// </summary>
        /// <example><code>
        /// Tensor.ones [| 3; 2 |] |> Tensor.sumTo [| 1; 2 |] // tensor([[3., 3.]], dtype=float64)
        /// </code></example>
        let sumTo (shape: int[]) (t: Tensor) =
            Args.notNull "Tensor.sumTo" "shape" shape
            Args.notNull "Tensor.sumTo" "t" t
            t.SumTo shape

        /// <summary>Size-1 axes removed.</summary>
        /// <example><code>Tensor.zeros [| 1; 3 |] |> Tensor.squeeze |> Tensor.shape // [| 3 |]</code></example>
        let squeeze (t: Tensor) =
            Args.notNull "Tensor.squeeze" "t" t
            t.Squeeze()

        /// <summary>One size-1 axis removed; an axis of another size is an error.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 3; 1 |] |> Tensor.squeezeAxis 0 |> Tensor.shape // [| 3; 1 |]
        /// </code></example>
        let squeezeAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.squeezeAxis" "t" t
            t.Squeeze axis

        /// <summary>A size-1 axis inserted.</summary>
        /// <example><code>Tensor.zeros [| 3 |] |> Tensor.unsqueeze 0 |> Tensor.shape // [| 1; 3 |]</code></example>
        let unsqueeze (axis: int) (t: Tensor) =
            Args.notNull "Tensor.unsqueeze" "t" t
            t.Unsqueeze axis
