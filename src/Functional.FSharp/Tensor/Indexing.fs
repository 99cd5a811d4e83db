namespace FuncGrad

open System

/// <summary>
/// Slicing, picking, joining and stacking (F#'s <c>x.[i, a..b]</c> syntax is in <c>TensorSlicing</c>). The functions of
/// the <c>Tensor</c> module that mirror the core's <c>Ops/Indexing.cs</c>; <c>open FuncGrad</c> opens this module, so
/// they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.concat [ Tensor.ones [| 1 |]; Tensor.zeros [| 1 |] ] // tensor([1., 0.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorIndexing =
    /// <summary>Slicing, picking, joining and stacking (F#'s <c>x.[i, a..b]</c> syntax is in
    /// <c>TensorSlicing</c>).</summary>
    /// <example><code>
    /// Tensor.concat [ Tensor.ones [| 1 |]; Tensor.zeros [| 1 |] ] // tensor([1., 0.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>
        /// A box: one (start, stop) pair per leading axis, stop exclusive, clamped to the axis like Python
        /// slices; negative values count from the end. Axes without a pair are kept whole.
        /// </summary>
        /// <example><code>
        /// Tensor.arange 5 |> Tensor.slice [ (1, 3) ] // tensor([1., 2.], dtype=float64)
        /// </code></example>
        let slice (ranges: (int * int) list) (t: Tensor) =
            Args.notNull "Tensor.slice" "ranges" ranges
            Args.notNull "Tensor.slice" "t" t

            let index i =
                if i < 0 then Index(-i, true) else Index i

            t.Slice(ranges |> List.map (fun (a, b) -> Range(index a, index b)) |> Array.ofList)

        /// <summary>
        /// Elements start (inclusive) to stop (exclusive) along one axis, the other axes whole; negative values count
        /// from the end, and the range is clamped to the axis like a Python slice.
        /// </summary>
        /// <example><code>Tensor.arange 5 |> Tensor.sliceAxis 0 1 3 // tensor([1., 2.], dtype=float64)</code></example>
        let sliceAxis (axis: int) (start: int) (stop: int) (t: Tensor) =
            Args.notNull "Tensor.sliceAxis" "t" t
            t.Slice(axis, start, stop)

        /// <summary>Slices picked along an axis, in the order given.</summary>
        /// <example><code>
        /// Tensor.ofList [ 10.0; 20.0 ] |> Tensor.indexSelect 0 [| 1; 1 |] // tensor([20., 20.], dtype=float64)
        /// </code></example>
        let indexSelect (axis: int) (indices: int[]) (t: Tensor) =
            Args.notNull "Tensor.indexSelect" "indices" indices
            Args.notNull "Tensor.indexSelect" "t" t
            t.IndexSelect(axis, indices)

        /// <summary>Joined along axis 0.</summary>
        /// <example><code>
        /// Tensor.concat [ Tensor.ones [| 1 |]; Tensor.zeros [| 1 |] ] // tensor([1., 0.], dtype=float64)
        /// </code></example>
        let concat (ts: Tensor list) =
            Args.notNull "Tensor.concat" "ts" ts
            Tensor.Concat(Array.ofList ts)

        /// <summary>Joined along an axis.</summary>
        /// <example><code>
        /// Tensor.concatAxis 1 [ Tensor.ones [| 2; 1 |]; Tensor.zeros [| 2; 1 |] ] |> Tensor.shape // [| 2; 2 |]
        /// </code></example>
        let concatAxis (axis: int) (ts: Tensor list) =
            Args.notNull "Tensor.concatAxis" "ts" ts
            Tensor.Concat(Array.ofList ts, axis)

        /// <summary>Stacked along a new axis 0.</summary>
        /// <example><code>
        /// Tensor.stack [ Tensor.ones [| 2 |]; Tensor.zeros [| 2 |] ] |> Tensor.shape // [| 2; 2 |]
        /// </code></example>
        let stack (ts: Tensor list) =
            Args.notNull "Tensor.stack" "ts" ts
            Tensor.Stack(Array.ofList ts)

        /// <summary>
        /// Stacked along a new axis at position <c>axis</c> (of the result; negative counts from the end).
        /// </summary>
        /// <example><code>
        /// Tensor.stackAxis 1 [ Tensor.ones [| 3 |]; Tensor.zeros [| 3 |] ] |> Tensor.shape // [| 3; 2 |]
        /// </code></example>
        let stackAxis (axis: int) (ts: Tensor list) =
            Args.notNull "Tensor.stackAxis" "ts" ts
            Tensor.Stack(Array.ofList ts, axis)
