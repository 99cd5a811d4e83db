namespace FuncGrad

/// <summary>
/// Reductions over all elements, one axis, or axes with keepDims: sum, mean, max, min, logsumexp. The functions of the
/// <c>Tensor</c> module that mirror the core's <c>Ops/Reductions.cs</c>; <c>open FuncGrad</c> opens this module, so
/// they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.ones [| 2; 3 |] |> Tensor.sumAxes [| 1 |] true |> Tensor.shape // [| 2; 1 |]</code></example>
[<AutoOpen>]
module TensorReductions =
    /// <summary>Reductions over all elements, one axis, or axes with keepDims: sum, mean, max, min,
    /// logsumexp.</summary>
    /// <example><code>
    /// Tensor.ones [| 2; 3 |] |> Tensor.sumAxes [| 1 |] true |> Tensor.shape // [| 2; 1 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Sum of all elements.</summary>
        /// <example><code>Tensor.sum (Tensor.ofList [ 1.0; 2.0 ]) // tensor(3., dtype=float64)</code></example>
        let sum (t: Tensor) =
            Args.notNull "Tensor.sum" "t" t
            t.Sum()

        /// <summary>Sum along one axis (removed from the shape).</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.sumAxis 0 // tensor([4., 6.], dtype=float64)
        /// </code></example>
        let sumAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.sumAxis" "t" t
            t.Sum([| axis |])

        /// <summary>Sum along axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ones [| 2; 3 |] |> Tensor.sumAxes [| 1 |] true |> Tensor.shape // [| 2; 1 |]
        /// </code></example>
        let sumAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.sumAxes" "axes" axes
            Args.notNull "Tensor.sumAxes" "t" t
            t.Sum(axes, keepDims)

        /// <summary>Mean of all elements.</summary>
        /// <example><code>Tensor.mean (Tensor.ofList [ 1.0; 3.0 ]) // tensor(2., dtype=float64)</code></example>
        let mean (t: Tensor) =
            Args.notNull "Tensor.mean" "t" t
            t.Mean()

        /// <summary>Mean along one axis.</summary>
        /// <example><code>
        /// Tensor.ones [| 2; 3 |] |> Tensor.meanAxis 1 // tensor([1., 1.], dtype=float64)
        /// </code></example>
        let meanAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.meanAxis" "t" t
            t.Mean([| axis |])

        /// <summary>Mean along axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.meanAxes [| 1 |] true // tensor([[1.5000], [3.5000]], dtype=float64)
        /// </code></example>
        let meanAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.meanAxes" "axes" axes
            Args.notNull "Tensor.meanAxes" "t" t
            t.Mean(axes, keepDims)

        /// <summary>Maximum of all elements; ties share the gradient.</summary>
        /// <example><code>Tensor.max (Tensor.ofList [ 1.0; 3.0 ]) // tensor(3., dtype=float64)</code></example>
        let max (t: Tensor) =
            Args.notNull "Tensor.max" "t" t
            t.Max()

        /// <summary>Maximum along one axis.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.maxAxis 1 // tensor([5., 4.], dtype=float64)
        /// </code></example>
        let maxAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.maxAxis" "t" t
            t.Max([| axis |])

        /// <summary>Maximum along axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.maxAxes [| 1 |] true // tensor([[5.], [4.]], dtype=float64)
        /// </code></example>
        let maxAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.maxAxes" "axes" axes
            Args.notNull "Tensor.maxAxes" "t" t
            t.Max(axes, keepDims)

        /// <summary>Minimum of all elements; ties share the gradient.</summary>
        /// <example><code>Tensor.min (Tensor.ofList [ 1.0; 3.0 ]) // tensor(1., dtype=float64)</code></example>
        let min (t: Tensor) =
            Args.notNull "Tensor.min" "t" t
            t.Min()

        /// <summary>Minimum along one axis.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.minAxis 1 // tensor([1., 3.], dtype=float64)
        /// </code></example>
        let minAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.minAxis" "t" t
            t.Min([| axis |])

        /// <summary>Minimum along axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.minAxes [| 0; 1 |] false // tensor(1., dtype=float64)
        /// </code></example>
        let minAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.minAxes" "axes" axes
            Args.notNull "Tensor.minAxes" "t" t
            t.Min(axes, keepDims)

        /// <summary>log Σ exp over all elements, without overflow.</summary>
        /// <example><code>
        /// Tensor.logsumexp (Tensor.ofList [ 0.0; 0.0 ]) // tensor(0.6931, dtype=float64)
        /// </code></example>
        let logsumexp (t: Tensor) =
            Args.notNull "Tensor.logsumexp" "t" t
            t.LogSumExp()

        /// <summary>log Σ exp along one axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 2 |] |> Tensor.logsumexpAxis 1 // tensor([0.6931, 0.6931], dtype=float64)
        /// </code></example>
        let logsumexpAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.logsumexpAxis" "t" t
            t.LogSumExp([| axis |])

        /// <summary>log Σ exp along axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 2 |] |> Tensor.logsumexpAxes [| 1 |] true // tensor([[0.6931], [0.6931]], dtype=float64)
        /// </code></example>
        let logsumexpAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.logsumexpAxes" "axes" axes
            Args.notNull "Tensor.logsumexpAxes" "t" t
            t.LogSumExp(axes, keepDims)
