namespace FuncGrad

/// <summary>
/// Indexing with tensors of integer indices: gather and scatter along an axis, slices picked, added or put, masks,
/// embeddings and one-hot codes.
/// </summary>
/// <remarks>F#'s <c>x.[idx]</c> for a tensor idx is the core's indexer. The functions of the <c>Tensor</c> module
/// that mirror the core's <c>Ops/GatherScatter.cs</c>, <c>Ops/IndexTensors.cs</c> and <c>Ops/Embedding.cs</c>;
/// <c>open FuncGrad</c> opens this module. Indices are int64 or int32 tensors and are never differentiated. Negative
/// indices count from the end only where PyTorch counts them (indexPut and the indexer); elsewhere they are an error
/// naming the op, the axis and the valid range.</remarks>
/// <example><code>
/// Tensor.ofList [ 10.0; 20.0 ] |> Tensor.indexSelectOf 0 (Tensor.ofInt64Array [| 1L |])
/// // tensor([20.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorGather =
    /// <summary>Indexing with tensors of integer indices: gather, scatter, slices, masks, embeddings.</summary>
    /// <example><code>
    /// Tensor.ofInt64Array [| 1L |] |> Tensor.oneHot 2 // tensor([[0, 1]], dtype=int64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The values at the index along an axis: <c>out[i][j] = t[index[i][j]][j]</c> for axis 0; the index
        /// has t's rank and gives the result its shape.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.gather 0 (Tensor.ofInt64Array [| 2L; 0L |])
        /// // tensor([3., 1.], dtype=float64)
        /// </code></example>
        let gather (dim: int) (index: Tensor) (t: Tensor) =
            Args.notNull "Tensor.gather" "index" index
            Args.notNull "Tensor.gather" "t" t
            t.Gather(dim, index)

        /// <summary>The values at the indices of t and the indices both flattened.</summary>
        /// <example><code>
        /// Tensor.ones [| 2; 2 |] |> Tensor.takeAlongDim (Tensor.ofInt64Array [| 3L |]) // tensor([1.], dtype=float64)
        /// </code></example>
        let takeAlongDim (indices: Tensor) (t: Tensor) =
            Args.notNull "Tensor.takeAlongDim" "indices" indices
            Args.notNull "Tensor.takeAlongDim" "t" t
            t.TakeAlongDim indices

        /// <summary>The values at the indices along an axis, t and the indices broadcasting along the others.</summary>
        /// <example><code>
        /// Tensor.ones [| 2; 3 |]
        /// |> Tensor.takeAlongDimAxis 1 (Tensor.ofInt64Array [| 0L |] |> Tensor.reshape [| 1; 1 |])
        /// |> Tensor.shape // [| 2; 1 |]
        /// </code></example>
        let takeAlongDimAxis (dim: int) (indices: Tensor) (t: Tensor) =
            Args.notNull "Tensor.takeAlongDimAxis" "indices" indices
            Args.notNull "Tensor.takeAlongDimAxis" "t" t
            t.TakeAlongDim(indices, dim)

        /// <summary>t with src written at the index along an axis; of duplicate targets the last write (row-major)
        /// wins.</summary>
        /// <example><code>
        /// Tensor.zeros [| 3 |] |> Tensor.scatter 0 (Tensor.ofInt64Array [| 2L |]) (Tensor.ofList [ 5.0 ])
        /// // tensor([0., 0., 5.], dtype=float64)
        /// </code></example>
        let scatter (dim: int) (index: Tensor) (src: Tensor) (t: Tensor) =
            Args.notNull "Tensor.scatter" "index" index
            Args.notNull "Tensor.scatter" "src" src
            Args.notNull "Tensor.scatter" "t" t
            t.Scatter(dim, index, src)

        /// <summary>t with a number written at the index along an axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 3 |] |> Tensor.scatterWith 0 (Tensor.ofInt64Array [| 0L |]) 7.0
        /// // tensor([7., 0., 0.], dtype=float64)
        /// </code></example>
        let scatterWith (dim: int) (index: Tensor) (value: float) (t: Tensor) =
            Args.notNull "Tensor.scatterWith" "index" index
            Args.notNull "Tensor.scatterWith" "t" t
            t.Scatter(dim, index, value)

        /// <summary>t plus src added at the index along an axis, duplicates adding up in the index's order.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2 |] |> Tensor.scatterAdd 0 (Tensor.ofInt64Array [| 1L; 1L |]) (Tensor.ofList [ 1.0; 2.0 ])
        /// // tensor([0., 3.], dtype=float64)
        /// </code></example>
        let scatterAdd (dim: int) (index: Tensor) (src: Tensor) (t: Tensor) =
            Args.notNull "Tensor.scatterAdd" "index" index
            Args.notNull "Tensor.scatterAdd" "src" src
            Args.notNull "Tensor.scatterAdd" "t" t
            t.ScatterAdd(dim, index, src)

        /// <summary>t with src reduced into it at the index along an axis ("sum", "prod", "mean", "amax", "amin"),
        /// t's own elements included.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2 |]
        /// |> Tensor.scatterReduce 0 (Tensor.ofInt64Array [| 0L; 0L |]) (Tensor.ofList [ 2.0; 3.0 ]) "amax"
        /// // tensor([3., 0.], dtype=float64)
        /// </code></example>
        let scatterReduce (dim: int) (index: Tensor) (src: Tensor) (reduce: string) (t: Tensor) =
            Args.notNull "Tensor.scatterReduce" "index" index
            Args.notNull "Tensor.scatterReduce" "src" src
            Args.notNull "Tensor.scatterReduce" "reduce" reduce
            Args.notNull "Tensor.scatterReduce" "t" t
            t.ScatterReduce(dim, index, src, reduce)

        /// <summary>scatterReduce with t's own elements included or not.</summary>
        /// <example><code>
        /// Tensor.ones [| 2 |]
        /// |> Tensor.scatterReduceWith 0 (Tensor.ofInt64Array [| 0L |]) (Tensor.ofList [ 5.0 ]) "prod" false
        /// // tensor([5., 1.], dtype=float64)
        /// </code></example>
        let scatterReduceWith
            (dim: int)
            (index: Tensor)
            (src: Tensor)
            (reduce: string)
            (includeSelf: bool)
            (t: Tensor)
            =
            Args.notNull "Tensor.scatterReduceWith" "index" index
            Args.notNull "Tensor.scatterReduceWith" "src" src
            Args.notNull "Tensor.scatterReduceWith" "reduce" reduce
            Args.notNull "Tensor.scatterReduceWith" "t" t
            t.ScatterReduce(dim, index, src, reduce, includeSelf)

        /// <summary>The slices at an index vector (int64 or int32) along an axis, in its order.</summary>
        /// <example><code>
        /// Tensor.ofList [ 10.0; 20.0 ] |> Tensor.indexSelectOf 0 (Tensor.ofInt64Array [| 1L; 0L |])
        /// // tensor([20., 10.], dtype=float64)
        /// </code></example>
        let indexSelectOf (dim: int) (index: Tensor) (t: Tensor) =
            Args.notNull "Tensor.indexSelectOf" "index" index
            Args.notNull "Tensor.indexSelectOf" "t" t
            t.IndexSelect(dim, index)

        /// <summary>t plus the slices of source added at an index vector along an axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2 |] |> Tensor.indexAdd 0 (Tensor.ofInt64Array [| 1L |]) (Tensor.ofList [ 4.0 ])
        /// // tensor([0., 4.], dtype=float64)
        /// </code></example>
        let indexAdd (dim: int) (index: Tensor) (source: Tensor) (t: Tensor) =
            Args.notNull "Tensor.indexAdd" "index" index
            Args.notNull "Tensor.indexAdd" "source" source
            Args.notNull "Tensor.indexAdd" "t" t
            t.IndexAdd(dim, index, source)

        /// <summary>t plus alpha times the slices of source added at an index vector along an axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2 |] |> Tensor.indexAddWith 0 (Tensor.ofInt64Array [| 1L |]) (Tensor.ofList [ 4.0 ]) 0.5
        /// // tensor([0., 2.], dtype=float64)
        /// </code></example>
        let indexAddWith (dim: int) (index: Tensor) (source: Tensor) (alpha: float) (t: Tensor) =
            Args.notNull "Tensor.indexAddWith" "index" index
            Args.notNull "Tensor.indexAddWith" "source" source
            Args.notNull "Tensor.indexAddWith" "t" t
            t.IndexAdd(dim, index, source, alpha)

        /// <summary>t with values put at the elements the index tensors name (one per leading axis, broadcast;
        /// negative from the end).</summary>
        /// <example><code>
        /// Tensor.zeros [| 3 |] |> Tensor.indexPut [ Tensor.ofInt64Array [| -1L |] ] (scalar 7.0)
        /// // tensor([0., 0., 7.], dtype=float64)
        /// </code></example>
        let indexPut (indices: Tensor list) (values: Tensor) (t: Tensor) =
            Args.notNull "Tensor.indexPut" "indices" indices
            Args.notNull "Tensor.indexPut" "values" values
            Args.notNull "Tensor.indexPut" "t" t
            t.IndexPut(Array.ofList indices, values)

        /// <summary>indexPut, adding the values instead of putting them where accumulate is true.</summary>
        /// <example><code>
        /// Tensor.ones [| 2 |] |> Tensor.indexPutWith [ Tensor.ofInt64Array [| 0L; 0L |] ] (scalar 1.0) true
        /// // tensor([3., 1.], dtype=float64)
        /// </code></example>
        let indexPutWith (indices: Tensor list) (values: Tensor) (accumulate: bool) (t: Tensor) =
            Args.notNull "Tensor.indexPutWith" "indices" indices
            Args.notNull "Tensor.indexPutWith" "values" values
            Args.notNull "Tensor.indexPutWith" "t" t
            t.IndexPut(Array.ofList indices, values, accumulate)

        /// <summary>t with a number where the bool mask is true.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.maskedFill (Tensor.ofBoolArray [| true; false |]) 0.0
        /// // tensor([0., 2.], dtype=float64)
        /// </code></example>
        let maskedFill (mask: Tensor) (value: float) (t: Tensor) =
            Args.notNull "Tensor.maskedFill" "mask" mask
            Args.notNull "Tensor.maskedFill" "t" t
            t.MaskedFill(mask, value)

        /// <summary>t with a one-element tensor's value where the bool mask is true (the value gets their
        /// gradient).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.maskedFillOf (Tensor.ofBoolArray [| false; true |]) (scalar 9.0)
        /// // tensor([1., 9.], dtype=float64)
        /// </code></example>
        let maskedFillOf (mask: Tensor) (value: Tensor) (t: Tensor) =
            Args.notNull "Tensor.maskedFillOf" "mask" mask
            Args.notNull "Tensor.maskedFillOf" "value" value
            Args.notNull "Tensor.maskedFillOf" "t" t
            t.MaskedFill(mask, value)

        /// <summary>The positions of the non-zero elements, int64 [count, rank]; eager only (not under vmap or
        /// compile).</summary>
        /// <example><code>Tensor.ofList [ 0.0; 5.0 ] |> Tensor.nonzero // tensor([[1]], dtype=int64)</code></example>
        let nonzero (t: Tensor) =
            Args.notNull "Tensor.nonzero" "t" t
            t.Nonzero()

        /// <summary>The elements where the bool mask is true, as a vector; eager only (not under vmap or
        /// compile).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.maskedSelect (Tensor.ofBoolArray [| false; true |])
        /// // tensor([2.], dtype=float64)
        /// </code></example>
        let maskedSelect (mask: Tensor) (t: Tensor) =
            Args.notNull "Tensor.maskedSelect" "mask" mask
            Args.notNull "Tensor.maskedSelect" "t" t
            t.MaskedSelect mask

        /// <summary>The rows of a table [num, dim] at integer ids of any shape: [.. ids' shape, dim].</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 1L |] |> Tensor.embedding (Tensor.eye 2) // tensor([[0., 1.]], dtype=float64)
        /// </code></example>
        let embedding (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.embedding" "weight" weight
            Args.notNull "Tensor.embedding" "input" input
            Tensor.Embedding(input, weight)

        /// <summary>embedding whose padding row (negative from the end) gets no gradient.</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 0L |] |> Tensor.embeddingWith 0 (Tensor.eye 2) // tensor([[1., 0.]], dtype=float64)
        /// </code></example>
        let embeddingWith (paddingIdx: int) (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.embeddingWith" "weight" weight
            Args.notNull "Tensor.embeddingWith" "input" input
            Tensor.Embedding(input, weight, paddingIdx)

        /// <summary>Bags of embeddings, "sum" or "mean", one bag per row of ids [bags, n].</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 0L; 1L |] |> Tensor.reshape [| 1; 2 |] |> Tensor.embeddingBag "sum" (Tensor.eye 2)
        /// // tensor([[1., 1.]], dtype=float64)
        /// </code></example>
        let embeddingBag (mode: string) (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.embeddingBag" "mode" mode
            Args.notNull "Tensor.embeddingBag" "weight" weight
            Args.notNull "Tensor.embeddingBag" "input" input
            Tensor.EmbeddingBag(input, weight, mode = mode)

        /// <summary>Bags of embeddings, "sum" or "mean", of ids [n], bag b starting at offsets[b].</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 0L; 1L |]
        /// |> Tensor.embeddingBagOf "sum" (Tensor.ofInt64Array [| 0L; 1L |]) (Tensor.eye 2)
        /// // tensor([[1., 0.], [0., 1.]], dtype=float64)
        /// </code></example>
        let embeddingBagOf (mode: string) (offsets: Tensor) (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.embeddingBagOf" "mode" mode
            Args.notNull "Tensor.embeddingBagOf" "offsets" offsets
            Args.notNull "Tensor.embeddingBagOf" "weight" weight
            Args.notNull "Tensor.embeddingBagOf" "input" input
            Tensor.EmbeddingBag(input, weight, offsets, mode)

        /// <summary>embeddingBagOf with the last offset ending the last bag (or not), and padding ids left
        /// out.</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 0L; 1L |]
        /// |> Tensor.embeddingBagWith "sum" true 1 (Tensor.ofInt64Array [| 0L; 2L |]) (Tensor.eye 2)
        /// // tensor([[1., 0.]], dtype=float64)
        /// </code></example>
        let embeddingBagWith
            (mode: string)
            (includeLastOffset: bool)
            (paddingIdx: int)
            (offsets: Tensor)
            (weight: Tensor)
            (input: Tensor)
            =
            Args.notNull "Tensor.embeddingBagWith" "mode" mode
            Args.notNull "Tensor.embeddingBagWith" "offsets" offsets
            Args.notNull "Tensor.embeddingBagWith" "weight" weight
            Args.notNull "Tensor.embeddingBagWith" "input" input
            Tensor.EmbeddingBag(input, weight, offsets, mode, includeLastOffset, paddingIdx)

        /// <summary>One-hot codes of integer classes, int64 [.. shape, numClasses] (−1: the largest value + 1, read
        /// eagerly).</summary>
        /// <example><code>
        /// Tensor.ofInt64Array [| 0L; 2L |] |> Tensor.oneHot 3 // tensor([[1, 0, 0], [0, 0, 1]], dtype=int64)
        /// </code></example>
        let oneHot (numClasses: int) (t: Tensor) =
            Args.notNull "Tensor.oneHot" "t" t
            t.OneHot numClasses
