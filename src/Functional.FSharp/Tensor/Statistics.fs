namespace FuncGrad

/// <summary>
/// Statistics over all elements or over axes with keepDims: product, variance, standard deviation, amax and amin,
/// NaN-ignoring sums and means, norms, quantiles. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Statistics.cs</c>, <c>Ops/Product.cs</c> and <c>Ops/Quantile.cs</c>; <c>open FuncGrad</c> opens this module.
/// </summary>
/// <example><code>Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ] |> Tensor.var // tensor(1.6667, dtype=float64)</code></example>
[<AutoOpen>]
module TensorStatistics =
    /// <summary>Statistics over all elements or over axes: prod, var, std, varMean, stdMean, amax, amin, nansum,
    /// nanmean, norm, quantile, nanquantile.</summary>
    /// <example><code>Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ]
    /// |> Tensor.var // tensor(1.6667, dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Product of all elements; the gradient is exact where elements are zero.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ] |> Tensor.prod // tensor(24., dtype=float64)
        /// </code></example>
        let prod (t: Tensor) =
            Args.notNull "Tensor.prod" "t" t
            t.Prod()

        /// <summary>Product over axes, keeping them as size 1 when keepDims.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.prodAxes [| 1 |] false // tensor([ 2., 12.], dtype=float64)
        /// </code></example>
        let prodAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.prodAxes" "axes" axes
            Args.notNull "Tensor.prodAxes" "t" t
            t.Prod(axes, keepDims)

        /// <summary>Unbiased variance (correction 1) of all elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ] |> Tensor.var // tensor(1.6667, dtype=float64)
        /// </code></example>
        let var (t: Tensor) =
            Args.notNull "Tensor.var" "t" t
            t.Var()

        /// <summary>Variance over axes, Σ(x − mean)² / (n − correction).</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.varAxes [| 1 |] 0.0 false // tensor([0.2500, 0.2500], dtype=float64)
        /// </code></example>
        let varAxes (axes: int[]) (correction: float) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.varAxes" "axes" axes
            Args.notNull "Tensor.varAxes" "t" t
            t.Var(axes, correction, keepDims)

        /// <summary>Unbiased standard deviation (correction 1) of all elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.std // tensor(1.4142, dtype=float64)
        /// </code></example>
        let std (t: Tensor) =
            Args.notNull "Tensor.std" "t" t
            t.Std()

        /// <summary>Standard deviation over axes with a correction.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.stdAxes [| 1 |] 0.0 false // tensor([0.5000, 0.5000], dtype=float64)
        /// </code></example>
        let stdAxes (axes: int[]) (correction: float) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.stdAxes" "axes" axes
            Args.notNull "Tensor.stdAxes" "t" t
            t.Std(axes, correction, keepDims)

        /// <summary>The variance (correction 1) and the mean of all elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.varMean // struct (tensor(2., ...), tensor(2., ...))
        /// </code></example>
        let varMean (t: Tensor) =
            Args.notNull "Tensor.varMean" "t" t
            t.VarMean()

        /// <summary>The variance and the mean over axes.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.varMeanAxes [| 1 |] 1.0 false
        /// // struct (tensor([0.5000, 0.5000], ...), tensor([1.5000, 3.5000], ...))
        /// </code></example>
        let varMeanAxes (axes: int[]) (correction: float) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.varMeanAxes" "axes" axes
            Args.notNull "Tensor.varMeanAxes" "t" t
            t.VarMean(axes, correction, keepDims)

        /// <summary>The standard deviation (correction 1) and the mean of all elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.stdMean // struct (tensor(1.4142, ...), tensor(2., ...))
        /// </code></example>
        let stdMean (t: Tensor) =
            Args.notNull "Tensor.stdMean" "t" t
            t.StdMean()

        /// <summary>The standard deviation and the mean over axes.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.stdMeanAxes [| 1 |] 0.0 false
        /// // struct (tensor([0.5000, 0.5000], ...), tensor([1.5000, 3.5000], ...))
        /// </code></example>
        let stdMeanAxes (axes: int[]) (correction: float) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.stdMeanAxes" "axes" axes
            Args.notNull "Tensor.stdMeanAxes" "t" t
            t.StdMean(axes, correction, keepDims)

        /// <summary>Maximum of all elements (PyTorch's amax); ties share the gradient.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 3.0 ] |> Tensor.amax // tensor(3., dtype=float64)
        /// </code></example>
        let amax (t: Tensor) =
            Args.notNull "Tensor.amax" "t" t
            t.Amax()

        /// <summary>Maximum over axes; ties share the gradient.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.amaxAxes [| 0 |] false // tensor([3., 4.], dtype=float64)
        /// </code></example>
        let amaxAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.amaxAxes" "axes" axes
            Args.notNull "Tensor.amaxAxes" "t" t
            t.Amax(axes, keepDims)

        /// <summary>Minimum of all elements (PyTorch's amin); ties share the gradient.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 1.0 ] |> Tensor.amin // tensor(1., dtype=float64)
        /// </code></example>
        let amin (t: Tensor) =
            Args.notNull "Tensor.amin" "t" t
            t.Amin()

        /// <summary>Minimum over axes; ties share the gradient.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.aminAxes [| 1 |] true // tensor([[1.], [3.]], dtype=float64)
        /// </code></example>
        let aminAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.aminAxes" "axes" axes
            Args.notNull "Tensor.aminAxes" "t" t
            t.Amin(axes, keepDims)

        /// <summary>Sum of all elements, NaN counted as 0.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; nan; 2.0 ] |> Tensor.nansum // tensor(3., dtype=float64)
        /// </code></example>
        let nansum (t: Tensor) =
            Args.notNull "Tensor.nansum" "t" t
            t.Nansum()

        /// <summary>Sum over axes, NaN counted as 0.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; nan ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.nansumAxes [| 1 |] false // tensor([1., 7.], dtype=float64)
        /// </code></example>
        let nansumAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.nansumAxes" "axes" axes
            Args.notNull "Tensor.nansumAxes" "t" t
            t.Nansum(axes, keepDims)

        /// <summary>Mean of the elements that are not NaN; NaN if all are.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; nan; 2.0 ] |> Tensor.nanmean // tensor(1.5000, dtype=float64)
        /// </code></example>
        let nanmean (t: Tensor) =
            Args.notNull "Tensor.nanmean" "t" t
            t.Nanmean()

        /// <summary>Mean over axes of the elements that are not NaN.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; nan ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.nanmeanAxes [| 1 |] false // tensor([1.0000, 3.5000], dtype=float64)
        /// </code></example>
        let nanmeanAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.nanmeanAxes" "axes" axes
            Args.notNull "Tensor.nanmeanAxes" "t" t
            t.Nanmean(axes, keepDims)

        /// <summary>The 2-norm of all elements.</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0; -4.0 ] |> Tensor.norm // tensor(5., dtype=float64)
        /// </code></example>
        let norm (t: Tensor) =
            Args.notNull "Tensor.norm" "t" t
            t.Norm()

        /// <summary>The p-norm over axes (PyTorch's norm with a number p).</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.normAxes 1.0 [| 1 |] false // tensor([3., 7.], dtype=float64)
        /// </code></example>
        let normAxes (p: float) (dim: int[]) (keepDim: bool) (t: Tensor) =
            Args.notNull "Tensor.normAxes" "dim" dim
            Args.notNull "Tensor.normAxes" "t" t
            t.Norm(p, dim, keepDim)

        /// <summary>The norm named p, "fro" or "nuc", over the axes dim.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.normOf "fro" [| 0; 1 |] false // tensor(5.4772, dtype=float64)
        /// </code></example>
        let normOf (p: string) (dim: int[]) (keepDim: bool) (t: Tensor) =
            Args.notNull "Tensor.normOf" "p" p
            Args.notNull "Tensor.normOf" "dim" dim
            Args.notNull "Tensor.normOf" "t" t
            t.Norm(p, dim, keepDim)

        /// <summary>The q-quantile of all elements, linearly interpolated; NaN if any element is NaN.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ] |> Tensor.quantile 0.5 // tensor(2.5000, dtype=float64)
        /// </code></example>
        let quantile (q: float) (t: Tensor) =
            Args.notNull "Tensor.quantile" "t" t
            t.Quantile(q)

        /// <summary>The q-quantile along an axis, by interpolation "linear", "lower", "higher", "midpoint" or
        /// "nearest".</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.quantileAxis 0.5 1 false "lower" // tensor([1., 3.], dtype=float64)
        /// </code></example>
        let quantileAxis (q: float) (dim: int) (keepDim: bool) (interpolation: string) (t: Tensor) =
            Args.notNull "Tensor.quantileAxis" "interpolation" interpolation
            Args.notNull "Tensor.quantileAxis" "t" t
            t.Quantile(q, dim, keepDim, interpolation)

        /// <summary>The quantiles at each of q (0-D or 1-D, its values read) along an axis, stacked on a new first
        /// axis.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.quantileOf (Tensor.ofList [ 0.0; 1.0 ]) 1 false "linear"
        /// // tensor([[1., 3.], [2., 4.]], dtype=float64)
        /// </code></example>
        let quantileOf (q: Tensor) (dim: int) (keepDim: bool) (interpolation: string) (t: Tensor) =
            Args.notNull "Tensor.quantileOf" "q" q
            Args.notNull "Tensor.quantileOf" "interpolation" interpolation
            Args.notNull "Tensor.quantileOf" "t" t
            t.Quantile(q, dim, keepDim, interpolation)

        /// <summary>The q-quantile of the elements that are not NaN; NaN if all are.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; nan; 3.0 ] |> Tensor.nanquantile 0.5 // tensor(2., dtype=float64)
        /// </code></example>
        let nanquantile (q: float) (t: Tensor) =
            Args.notNull "Tensor.nanquantile" "t" t
            t.Nanquantile(q)

        /// <summary>The q-quantile along an axis ignoring NaN, by interpolation.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; nan ]; [ 3.0; 4.0 ] ])
        /// |> Tensor.nanquantileAxis 0.5 1 false "linear" // tensor([1.0000, 3.5000], dtype=float64)
        /// </code></example>
        let nanquantileAxis (q: float) (dim: int) (keepDim: bool) (interpolation: string) (t: Tensor) =
            Args.notNull "Tensor.nanquantileAxis" "interpolation" interpolation
            Args.notNull "Tensor.nanquantileAxis" "t" t
            t.Nanquantile(q, dim, keepDim, interpolation)

        /// <summary>The NaN-ignoring quantiles at each of q (0-D or 1-D, its values read) along an axis.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; nan; 3.0 ]
        /// |> Tensor.nanquantileOf (Tensor.ofList [ 0.0; 1.0 ]) 0 false "linear" // tensor([1., 3.], dtype=float64)
        /// </code></example>
        let nanquantileOf (q: Tensor) (dim: int) (keepDim: bool) (interpolation: string) (t: Tensor) =
            Args.notNull "Tensor.nanquantileOf" "q" q
            Args.notNull "Tensor.nanquantileOf" "interpolation" interpolation
            Args.notNull "Tensor.nanquantileOf" "t" t
            t.Nanquantile(q, dim, keepDim, interpolation)
