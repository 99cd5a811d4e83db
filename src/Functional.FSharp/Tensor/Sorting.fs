namespace FuncGrad

/// <summary>
/// Sorting and selection along an axis: argmax, argmin, max and min with indices, sort, argsort, top-k, k-th value,
/// median, searchsorted, unique. Indices are int64 tensors without gradients; values carry gradients back.
/// </summary>
/// <remarks>NaN ranks above every number and equal elements keep their order. The functions of the <c>Tensor</c>
/// module that mirror the core's <c>Ops/Sorting.cs</c>; <c>open FuncGrad</c> opens this module. Functions with values
/// and indices return them as a pair.</remarks>
/// <example><code>Tensor.argmax (Tensor.ofList [ 1.0; 3.0; 2.0 ]) // tensor(1, dtype=int64)</code></example>
[<AutoOpen>]
module TensorSorting =
    /// <summary>Sorting and selection along an axis, with int64 indices.</summary>
    /// <example><code>
    /// let values, indices = Tensor.sort (Tensor.ofList [ 3.0; 1.0 ]) // [1.; 3.] and [1; 0]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The int64 position of the largest element of the flattened tensor (the first of equal ones; a NaN
        /// counts as the largest).</summary>
        /// <example><code>Tensor.argmax (Tensor.ofList [ 1.0; 3.0; 3.0 ]) // tensor(1, dtype=int64)</code></example>
        let argmax (t: Tensor) =
            Args.notNull "Tensor.argmax" "t" t
            t.Argmax()

        /// <summary>The int64 position of the largest element along an axis, keeping it as size 1 when
        /// keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 7.0; 2.0 ] ])
        /// |> Tensor.argmaxAxis 1 false // tensor([1, 0], dtype=int64)
        /// </code></example>
        let argmaxAxis (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.argmaxAxis" "t" t
            t.Argmax(axis, keepDims)

        /// <summary>The int64 position of the smallest element of the flattened tensor (the first of equal ones; a NaN
        /// counts as the smallest).</summary>
        /// <example><code>Tensor.argmin (Tensor.ofList [ 4.0; 1.0; 1.0 ]) // tensor(1, dtype=int64)</code></example>
        let argmin (t: Tensor) =
            Args.notNull "Tensor.argmin" "t" t
            t.Argmin()

        /// <summary>The int64 position of the smallest element along an axis, keeping it as size 1 when
        /// keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 7.0; 2.0 ] ])
        /// |> Tensor.argminAxis 0 false // tensor([0, 1], dtype=int64)
        /// </code></example>
        let argminAxis (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.argminAxis" "t" t
            t.Argmin(axis, keepDims)

        /// <summary>The largest element along an axis and its int64 position (PyTorch's max with a dim); the gradient
        /// goes to that position alone.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 7.0; 2.0 ] ])
        /// |> Tensor.maxWithIndices 1 false // tensor([5., 7.]), tensor([1, 0], dtype=int64)
        /// </code></example>
        let maxWithIndices (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.maxWithIndices" "t" t
            t.MaxWithIndices(axis, keepDims) |> StructTuple.toPair

        /// <summary>The smallest element along an axis and its int64 position (PyTorch's min with a dim); the gradient
        /// goes to that position alone.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 7.0; 2.0 ] ])
        /// |> Tensor.minWithIndices 1 false // tensor([1., 2.]), tensor([0, 1], dtype=int64)
        /// </code></example>
        let minWithIndices (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.minWithIndices" "t" t
            t.MinWithIndices(axis, keepDims) |> StructTuple.toPair

        /// <summary>The elements sorted ascending along the last axis and the int64 position each came from: stable,
        /// NaN last.</summary>
        /// <example><code>
        /// Tensor.sort (Tensor.ofList [ 3.0; 1.0; 2.0 ]) // tensor([1., 2., 3.]), tensor([1, 2, 0], dtype=int64)
        /// </code></example>
        let sort (t: Tensor) =
            Args.notNull "Tensor.sort" "t" t
            t.Sort() |> StructTuple.toPair

        /// <summary>The elements sorted along an axis, descending when asked (NaN first then), and their int64
        /// positions; stable.</summary>
        /// <example><code>
        /// Tensor.sortAxis 0 true (Tensor.ofList [ 3.0; 1.0; 2.0 ]) // tensor([3., 2., 1.]), tensor([0, 2, 1])
        /// </code></example>
        let sortAxis (axis: int) (descending: bool) (t: Tensor) =
            Args.notNull "Tensor.sortAxis" "t" t
            t.Sort(axis, descending) |> StructTuple.toPair

        /// <summary>The int64 positions that sort the last axis ascending (stable, NaN last).</summary>
        /// <example><code>
        /// Tensor.argsort (Tensor.ofList [ 3.0; 1.0; 2.0 ]) // tensor([1, 2, 0], dtype=int64)
        /// </code></example>
        let argsort (t: Tensor) =
            Args.notNull "Tensor.argsort" "t" t
            t.Argsort()

        /// <summary>The int64 positions that sort an axis, descending when asked; stable.</summary>
        /// <example><code>
        /// Tensor.argsortAxis 0 true (Tensor.ofList [ 3.0; 1.0; 2.0 ]) // tensor([0, 2, 1], dtype=int64)
        /// </code></example>
        let argsortAxis (axis: int) (descending: bool) (t: Tensor) =
            Args.notNull "Tensor.argsortAxis" "t" t
            t.Argsort(axis, descending)

        /// <summary>The k largest elements along the last axis, largest first, and their int64 positions.</summary>
        /// <example><code>
        /// Tensor.topk 2 (Tensor.ofList [ 1.0; 4.0; 2.0; 3.0 ]) // tensor([4., 3.]), tensor([1, 3], dtype=int64)
        /// </code></example>
        let topk (k: int) (t: Tensor) =
            Args.notNull "Tensor.topk" "t" t
            t.Topk k |> StructTuple.toPair

        /// <summary>The k largest (or, with largest false, smallest) elements along an axis, best first, and their
        /// int64 positions; results are sorted whatever <c>sorted</c> says.</summary>
        /// <example><code>
        /// Tensor.topkWith 2 0 false true (Tensor.ofList [ 1.0; 4.0; 2.0 ]) // tensor([1., 2.]), tensor([0, 2])
        /// </code></example>
        let topkWith (k: int) (axis: int) (largest: bool) (sorted: bool) (t: Tensor) =
            Args.notNull "Tensor.topkWith" "t" t
            t.Topk(k, axis, largest, sorted) |> StructTuple.toPair

        /// <summary>The k-th smallest element (k from 1) along the last axis and its int64 position.</summary>
        /// <example><code>
        /// Tensor.kthvalue 2 (Tensor.ofList [ 3.0; 1.0; 2.0 ]) // tensor(2.), tensor(2, dtype=int64)
        /// </code></example>
        let kthvalue (k: int) (t: Tensor) =
            Args.notNull "Tensor.kthvalue" "t" t
            t.Kthvalue k |> StructTuple.toPair

        /// <summary>The k-th smallest element (k from 1) along an axis and its int64 position, keeping the axis as size
        /// 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 0.0; 2.0 ] ])
        /// |> Tensor.kthvalueAxis 1 0 false // tensor([0., 1.]), tensor([1, 0], dtype=int64)
        /// </code></example>
        let kthvalueAxis (k: int) (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.kthvalueAxis" "t" t
            t.Kthvalue(k, axis, keepDims) |> StructTuple.toPair

        /// <summary>The median of all elements: the lower middle one for an even count, NaN if any is NaN.</summary>
        /// <example><code>
        /// Tensor.median (Tensor.ofList [ 4.0; 1.0; 3.0; 2.0 ]) // tensor(2., dtype=float64)
        /// </code></example>
        let median (t: Tensor) =
            Args.notNull "Tensor.median" "t" t
            t.Median()

        /// <summary>The median along an axis (the lower middle one for an even count, NaN where there is one) and its
        /// int64 position.</summary>
        /// <example><code>
        /// Tensor.medianAxis 0 false (Tensor.ofList [ 4.0; 1.0; 3.0; 2.0 ]) // tensor(2.), tensor(3, dtype=int64)
        /// </code></example>
        let medianAxis (axis: int) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.medianAxis" "t" t
            t.Median(axis, keepDims) |> StructTuple.toPair

        /// <summary>For each value, the int64 position at which inserting it keeps the sorted sequence sorted, before
        /// equal elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0; 0.5 ] |> Tensor.searchsorted (Tensor.ofList [ 1.0; 2.0; 3.0 ]) // tensor([1, 0])
        /// </code></example>
        let searchsorted (sortedSequence: Tensor) (values: Tensor) =
            Args.notNull "Tensor.searchsorted" "sortedSequence" sortedSequence
            Args.notNull "Tensor.searchsorted" "values" values
            Tensor.Searchsorted(sortedSequence, values)

        /// <summary>As <c>searchsorted</c>, after equal elements when <c>right</c>.</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0 ] |> Tensor.searchsortedWith true (Tensor.ofList [ 1.0; 2.0; 3.0 ]) // tensor([2])
        /// </code></example>
        let searchsortedWith (right: bool) (sortedSequence: Tensor) (values: Tensor) =
            Args.notNull "Tensor.searchsortedWith" "sortedSequence" sortedSequence
            Args.notNull "Tensor.searchsortedWith" "values" values
            Tensor.Searchsorted(sortedSequence, values, right)

        /// <summary>The distinct elements ascending, each element's int64 position among them (inverse), and each
        /// one's int64 count; eager only.</summary>
        /// <example><code>
        /// let values, inverse, counts = Tensor.unique (Tensor.ofList [ 2.0; 1.0; 2.0 ])
        /// // tensor([1., 2.]), tensor([1, 0, 1]), tensor([1, 2])
        /// </code></example>
        let unique (t: Tensor) =
            Args.notNull "Tensor.unique" "t" t
            let struct (values, inverse, counts) = t.Unique()
            values, inverse, counts
