namespace FuncGrad

open System

/// <summary>
/// F# indexing and slicing of tensors, brought in by <c>open FuncGrad</c>: <c>x.[i]</c>, <c>x.[1..2]</c>,
/// <c>x.[*, 0]</c>, <c>x.[0, 1..]</c> and <c>x.[1.., ..2]</c>, for tensors of rank 1 to 4.
/// </summary>
/// <remarks>
/// The indexer <c>x.[i, j, ...]</c> takes any number of integers. As in F#, a range's end is inclusive and a range
/// past the axis is clamped; as in NumPy, a negative index or bound counts from the end (<c>x.[-1]</c> is the last,
/// <c>x.[-2..]</c> the last two, <c>x.[.. -2]</c> all but the last, so <c>x.[0 .. -1]</c> is the whole axis, not
/// an empty one). An integer drops its axis; a range keeps it. Slices are differentiable: they are the C# indexer
/// <c>Tensor.At</c>, a slice and a reshape.
/// </remarks>
/// <example><code>
/// let m = Tensor.ofArray2D (array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ])
/// m.[1, 1..]   // tensor([5., 6.], dtype=float64)
/// m.[*, -1]    // tensor([3., 6.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorSlicing =
    /// An F# range (inclusive end; negative bounds from the end; None for the axis's edge) as a C# range.
    let private span (first: int option) (last: int option) : TensorIndex =
        let s =
            match first with
            | None -> Index.Start
            | Some s when s < 0 -> Index(-s, true)
            | Some s -> Index s

        let e =
            match last with
            | None -> Index.End
            | Some e when e < 0 -> Index(-e - 1, true)
            | Some e when e = Int32.MaxValue -> Index.End
            | Some e -> Index(e + 1)

        TensorIndex.op_Implicit (Range(s, e))

    let private at (i: int) : TensorIndex = TensorIndex.op_Implicit i

    /// The tensor being sliced, checked: an F# slice of a null tensor is an ArgumentNullException like any call.
    let private sliced (x: Tensor) =
        Args.notNullAs "slice" "x" "a tensor" x
        x

    type Tensor with
        /// <summary>F# slicing <c>x.[a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.arange 5).[1..3] // tensor([1., 2., 3.], dtype=float64)</code></example>
        member x.GetSlice(a0: int option, b0: int option) = (sliced x).At(span a0 b0)

        /// <summary>F# slicing <c>x.[a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option) =
            (sliced x).At(span a0 b0, span a1 b1)

        /// <summary>F# slicing <c>x.[a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[..1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int) = (sliced x).At(span a0 b0, at i1)

        /// <summary>F# slicing <c>x.[i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[-1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option) = (sliced x).At(at i0, span a1 b1)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option)
            =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int) =
            (sliced x).At(span a0 b0, span a1 b1, at i2)

        /// <summary>F# slicing <c>x.[a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option) =
            (sliced x).At(span a0 b0, at i1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int) = (sliced x).At(span a0 b0, at i1, at i2)

        /// <summary>F# slicing <c>x.[i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, ..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option) =
            (sliced x).At(at i0, span a1 b1, span a2 b2)

        /// <summary>F# slicing <c>x.[i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, ..1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int) = (sliced x).At(at i0, span a1 b1, at i2)

        /// <summary>F# slicing <c>x.[i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, -1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option) = (sliced x).At(at i0, at i1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, ..1, ..1].Shape // [2; 2; 2; 2]</code></example>
        member x.GetSlice
            (
                a0: int option,
                b0: int option,
                a1: int option,
                b1: int option,
                a2: int option,
                b2: int option,
                a3: int option,
                b3: int option
            ) =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, ..1, -1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option, i3: int)
            =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[a..b, a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, -1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, i2: int, a3: int option, b3: int option)
            =
            (sliced x).At(span a0 b0, span a1 b1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, -1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int, i3: int) =
            (sliced x).At(span a0 b0, span a1 b1, at i2, at i3)

        /// <summary>F# slicing <c>x.[a..b, i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, i1: int, a2: int option, b2: int option, a3: int option, b3: int option)
            =
            (sliced x).At(span a0 b0, at i1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option, i3: int) =
            (sliced x).At(span a0 b0, at i1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[a..b, i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, a3: int option, b3: int option) =
            (sliced x).At(span a0 b0, at i1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, i, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, i3: int) =
            (sliced x).At(span a0 b0, at i1, at i2, at i3)

        /// <summary>F# slicing <c>x.[i, a..b, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (i0: int, a1: int option, b1: int option, a2: int option, b2: int option, a3: int option, b3: int option)
            =
            (sliced x).At(at i0, span a1 b1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option, i3: int) =
            (sliced x).At(at i0, span a1 b1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[i, a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, a3: int option, b3: int option) =
            (sliced x).At(at i0, span a1 b1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, i3: int) =
            (sliced x).At(at i0, span a1 b1, at i2, at i3)

        /// <summary>F# slicing <c>x.[i, i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, ..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, a3: int option, b3: int option) =
            (sliced x).At(at i0, at i1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, ..1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, i3: int) =
            (sliced x).At(at i0, at i1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[i, i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, -1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, i2: int, a3: int option, b3: int option) =
            (sliced x).At(at i0, at i1, at i2, span a3 b3)
