namespace FuncGrad

/// <summary>
/// Scans along one axis: running sums, products, log-sum-exps, maxima and minima, each element combining the elements
/// up to it. The functions of the <c>Tensor</c> module that mirror the core's <c>Ops/Scans.cs</c>; <c>open
/// FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.cumsum 0 // tensor([1., 3., 6.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorScans =
    /// <summary>Scans along one axis: cumsum, cumprod, logcumsumexp, cummax, cummin.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.cumsum 0 // tensor([1., 3., 6.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Running sums along an axis (negative counts from the end); integers and bools sum in
        /// int64.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.cumsum 0 // tensor([1., 3., 6.], dtype=float64)
        /// </code></example>
        let cumsum (axis: int) (t: Tensor) =
            Args.notNull "Tensor.cumsum" "t" t
            t.Cumsum axis

        /// <summary>Running products along an axis; the gradient is exact where elements are zero.</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0; 3.0; 4.0 ] |> Tensor.cumprod 0 // tensor([ 2.,  6., 24.], dtype=float64)
        /// </code></example>
        let cumprod (axis: int) (t: Tensor) =
            Args.notNull "Tensor.cumprod" "t" t
            t.Cumprod axis

        /// <summary>Running log-sum-exp along an axis, without overflow for inputs of any magnitude.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.0; 0.0 ] |> Tensor.logcumsumexp 0 // tensor([0.0000, 0.6931], dtype=float64)
        /// </code></example>
        let logcumsumexp (axis: int) (t: Tensor) =
            Args.notNull "Tensor.logcumsumexp" "t" t
            t.Logcumsumexp axis

        /// <summary>Running maximum along an axis and the int64 positions where each was found (ties: the
        /// last).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0 ] |> Tensor.cummax 0 |> snd // tensor([0, 1, 1], dtype=int64)
        /// </code></example>
        let cummax (axis: int) (t: Tensor) =
            Args.notNull "Tensor.cummax" "t" t
            t.Cummax axis |> StructTuple.toPair

        /// <summary>Running minimum along an axis and the int64 positions where each was found (ties: the
        /// last).</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0; 1.0; 3.0 ] |> Tensor.cummin 0 |> fst // tensor([2., 1., 1.], dtype=float64)
        /// </code></example>
        let cummin (axis: int) (t: Tensor) =
            Args.notNull "Tensor.cummin" "t" t
            t.Cummin axis |> StructTuple.toPair
