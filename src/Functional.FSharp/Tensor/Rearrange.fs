namespace FuncGrad

/// <summary>
/// Rearranging values: flip, roll, repeat, repeatInterleave, tile, narrow, movedim, swapaxes, expand. The functions of
/// the <c>Tensor</c> module that mirror the core's <c>Ops/Rearrange.cs</c>; every dtype.
/// </summary>
/// <example><code>
/// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.flip [| 0 |] // tensor([3., 2., 1.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorRearrange =
    /// <summary>Rearranging values: flip, roll, repeat, tile, narrow, movedim, swapaxes, expand.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.flip [| 0 |] // tensor([3., 2., 1.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The values in reverse order along each of the axes.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.flip [| 0 |] // tensor([3., 2., 1.], dtype=float64)
        /// </code></example>
        let flip (dims: int[]) (t: Tensor) =
            Args.notNull "Tensor.flip" "dims" dims
            Args.notNull "Tensor.flip" "t" t
            t.Flip dims

        /// <summary>
        /// The values shifted by <c>shifts[i]</c> places along <c>dims[i]</c>, wrapping around; with no dims, one shift
        /// of the flattened values.
        /// </summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.roll [| 1 |] [||] // tensor([3., 1., 2.], dtype=float64)
        /// </code></example>
        let roll (shifts: int[]) (dims: int[]) (t: Tensor) =
            Args.notNull "Tensor.roll" "shifts" shifts
            Args.notNull "Tensor.roll" "dims" dims
            Args.notNull "Tensor.roll" "t" t
            t.Roll(shifts, dims)

        /// <summary>The values shifted by a number of places along one axis, wrapping around.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.rollAxis -1 0 // tensor([2., 3., 1.], dtype=float64)
        /// </code></example>
        let rollAxis (shift: int) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.rollAxis" "t" t
            t.Roll(shift, axis)

        /// <summary>The whole tensor repeated <c>repeats[i]</c> times along axis i (PyTorch's <c>Tensor.repeat</c>).
        /// </summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.repeat [| 2 |] // tensor([1., 2., 1., 2.], dtype=float64)
        /// </code></example>
        let repeat (repeats: int[]) (t: Tensor) =
            Args.notNull "Tensor.repeat" "repeats" repeats
            Args.notNull "Tensor.repeat" "t" t
            t.Repeat repeats

        /// <summary>Each element repeated a number of times in place along an axis.</summary>
        /// <remarks>For the flattened values, flatten first and use axis 0.</remarks>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.repeatInterleave 2 0 // tensor([1., 1., 2., 2.], dtype=float64)
        /// </code></example>
        let repeatInterleave (repeats: int) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.repeatInterleave" "t" t
            t.RepeatInterleave(repeats, axis)

        /// <summary>Element i repeated <c>repeats[i]</c> times in place along an axis (an int64 or int32 tensor of
        /// counts, read when the function runs).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.repeatInterleaveBy (Tensor.ofInt64Array [| 0L; 3L |]) 0
        /// // tensor([2., 2., 2.], dtype=float64)
        /// </code></example>
        let repeatInterleaveBy (repeats: Tensor) (axis: int) (t: Tensor) =
            Args.notNull "Tensor.repeatInterleaveBy" "repeats" repeats
            Args.notNull "Tensor.repeatInterleaveBy" "t" t
            t.RepeatInterleave(repeats, axis)

        /// <summary>The whole tensor repeated <c>dims[i]</c> times along axis i; missing leading entries are 1.
        /// </summary>
        /// <example><code>Tensor.ones [| 2; 3 |] |> Tensor.tile [| 2 |] |> Tensor.shape // [| 2; 6 |]</code></example>
        let tile (dims: int[]) (t: Tensor) =
            Args.notNull "Tensor.tile" "dims" dims
            Args.notNull "Tensor.tile" "t" t
            t.Tile dims

        /// <summary>The <c>length</c> elements from <c>start</c> along an axis, the range checked, not clamped.
        /// </summary>
        /// <example><code>Tensor.arange 5 |> Tensor.narrow 0 1 2 // tensor([1., 2.], dtype=float64)</code></example>
        let narrow (axis: int) (start: int) (length: int) (t: Tensor) =
            Args.notNull "Tensor.narrow" "t" t
            t.Narrow(axis, start, length)

        /// <summary>One axis moved to another position, the others keeping their order.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.movedim 0 -1 |> Tensor.shape // [| 3; 4; 2 |]
        /// </code></example>
        let movedim (source: int) (destination: int) (t: Tensor) =
            Args.notNull "Tensor.movedim" "t" t
            t.Movedim(source, destination)

        /// <summary>Axes moved to positions (pairwise), the others filling the rest in their order.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.movedimAxes [| 0; 1 |] [| 2; 0 |] |> Tensor.shape // [| 3; 4; 2 |]
        /// </code></example>
        let movedimAxes (source: int[]) (destination: int[]) (t: Tensor) =
            Args.notNull "Tensor.movedimAxes" "source" source
            Args.notNull "Tensor.movedimAxes" "destination" destination
            Args.notNull "Tensor.movedimAxes" "t" t
            t.Movedim(source, destination)

        /// <summary>Two axes swapped (NumPy's name for <c>transposeAxes</c>).</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.swapaxes 0 2 |> Tensor.shape // [| 4; 3; 2 |]
        /// </code></example>
        let swapaxes (axis0: int) (axis1: int) (t: Tensor) =
            Args.notNull "Tensor.swapaxes" "t" t
            t.Swapaxes(axis0, axis1)

        /// <summary>Two axes swapped (PyTorch's other name for <c>transposeAxes</c>).</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.swapdims 1 2 |> Tensor.shape // [| 2; 4; 3 |]
        /// </code></example>
        let swapdims (dim0: int) (dim1: int) (t: Tensor) =
            Args.notNull "Tensor.swapdims" "t" t
            t.Swapdims(dim0, dim1)

        /// <summary>Broadcast to sizes where −1 keeps an axis's size (PyTorch's <c>Tensor.expand</c>).</summary>
        /// <example><code>
        /// Tensor.zeros [| 3; 1 |] |> Tensor.expand [| 2; -1; 4 |] |> Tensor.shape // [| 2; 3; 4 |]
        /// </code></example>
        let expand (sizes: int[]) (t: Tensor) =
            Args.notNull "Tensor.expand" "sizes" sizes
            Args.notNull "Tensor.expand" "t" t
            t.Expand sizes
