namespace FuncGrad

/// <summary>The options of <c>Tensor.layerNormWith</c>, <c>groupNormWith</c> and <c>instanceNormWith</c>: PyTorch's
/// affine weight and bias and ε.</summary>
/// <example><code>{ NormOptions.defaults with Eps = 1e-6 }</code></example>
type NormOptions =
    {
        /// <summary>The weight multiplying the normalised values (normalizedShape for layer norm, [C] for group and
        /// instance norm), or none.</summary>
        /// <example><code>{ NormOptions.defaults with Weight = Some(Tensor.ones [| 4 |]) }</code></example>
        Weight: Tensor option
        /// <summary>The bias added after the weight, of the weight's shape, or none.</summary>
        /// <example><code>{ NormOptions.defaults with Bias = Some(Tensor.zeros [| 4 |]) }</code></example>
        Bias: Tensor option
        /// <summary>Added to the variance (default 1e-5).</summary>
        /// <example><code>{ NormOptions.defaults with Eps = 1e-6 }</code></example>
        Eps: float
    }

    /// <summary>PyTorch's defaults: no weight, no bias, ε = 1e-5.</summary>
    /// <example><code>{ NormOptions.defaults with Weight = Some(Tensor.ones [| 4 |]) }</code></example>
    static member defaults =
        {
            Weight = None
            Bias = None
            Eps = 1e-5
        }

/// <summary>The options of <c>Tensor.rmsNormWith</c>: PyTorch's rms_norm weight and ε.</summary>
/// <example><code>{ RmsNormOptions.defaults with Eps = Some 1e-6 }</code></example>
type RmsNormOptions =
    {
        /// <summary>The weight multiplying the normalised values, of shape normalizedShape, or none.</summary>
        /// <example><code>{ RmsNormOptions.defaults with Weight = Some(Tensor.ones [| 4 |]) }</code></example>
        Weight: Tensor option
        /// <summary>Added to the mean square; none (the default) is the dtype's machine epsilon.</summary>
        /// <example><code>{ RmsNormOptions.defaults with Eps = Some 1e-6 }</code></example>
        Eps: float option
    }

    /// <summary>PyTorch's defaults: no weight, the dtype's machine epsilon.</summary>
    /// <example><code>{ RmsNormOptions.defaults with Eps = Some 1e-6 }</code></example>
    static member defaults = { Weight = None; Eps = None }

/// <summary>The options of <c>Tensor.batchNormWith</c>, <c>batchNormEvalWith</c> and <c>batchNormTrainWith</c>:
/// PyTorch's batch_norm weight, bias, momentum and ε.</summary>
/// <example><code>{ BatchNormOptions.defaults with Momentum = 0.01 }</code></example>
type BatchNormOptions =
    {
        /// <summary>The per-channel weight [C], or none.</summary>
        /// <example><code>{ BatchNormOptions.defaults with Weight = Some(Tensor.ones [| 3 |]) }</code></example>
        Weight: Tensor option
        /// <summary>The per-channel bias [C], or none.</summary>
        /// <example><code>{ BatchNormOptions.defaults with Bias = Some(Tensor.zeros [| 3 |]) }</code></example>
        Bias: Tensor option
        /// <summary>The weight of the batch's statistics in the running update (default 0.1).</summary>
        /// <example><code>{ BatchNormOptions.defaults with Momentum = 0.01 }</code></example>
        Momentum: float
        /// <summary>Added to the variance (default 1e-5).</summary>
        /// <example><code>{ BatchNormOptions.defaults with Eps = 1e-3 }</code></example>
        Eps: float
    }

    /// <summary>PyTorch's defaults: no weight, no bias, momentum 0.1, ε = 1e-5.</summary>
    /// <example><code>{ BatchNormOptions.defaults with Momentum = 0.01 }</code></example>
    static member defaults =
        {
            Weight = None
            Bias = None
            Momentum = 0.1
            Eps = 1e-5
        }

/// <summary>
/// Normalisation layers: the functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Normalization.cs</c> (layer, RMS, group, instance and batch norm).
/// </summary>
/// <example><code>
/// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.layerNorm [| 3 |] // tensor([-1.2247, 0.0000, 1.2247], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorNormalization =
    /// <summary>Normalisation layers.</summary>
    /// <example><code>
    /// Tensor.ofList [ 3.0; 4.0 ] |> Tensor.rmsNorm [| 2 |] // tensor([0.8485, 1.1314], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        let private opt (t: Tensor option) = Option.toObj t

        /// <summary>Layer normalisation over the trailing axes normalizedShape, without weight or bias, ε =
        /// 1e-5.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 2.0; 3.0 ] |> Tensor.layerNorm [| 3 |]
        /// // tensor([-1.2247, 0.0000, 1.2247], dtype=float64)
        /// </code></example>
        let layerNorm (normalizedShape: int[]) (x: Tensor) =
            Args.notNull "Tensor.layerNorm" "normalizedShape" normalizedShape
            Args.notNull "Tensor.layerNorm" "x" x
            x.LayerNorm normalizedShape

        /// <summary>Layer normalisation with a weight, a bias and ε.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ]
        /// |> Tensor.layerNormWith { NormOptions.defaults with Bias = Some(Tensor.ofList [ 1.0; 1.0 ]) } [| 2 |]
        /// // tensor([0.0000, 2.0000], dtype=float64)
        /// </code></example>
        let layerNormWith (options: NormOptions) (normalizedShape: int[]) (x: Tensor) =
            Args.notNull "Tensor.layerNormWith" "options" (box options)
            Args.notNull "Tensor.layerNormWith" "normalizedShape" normalizedShape
            Args.notNull "Tensor.layerNormWith" "x" x
            x.LayerNorm(normalizedShape, opt options.Weight, opt options.Bias, options.Eps)

        /// <summary>RMS normalisation over the trailing axes normalizedShape, without weight, ε the dtype's machine
        /// epsilon.</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0; 4.0 ] |> Tensor.rmsNorm [| 2 |] // tensor([0.8485, 1.1314], dtype=float64)
        /// </code></example>
        let rmsNorm (normalizedShape: int[]) (x: Tensor) =
            Args.notNull "Tensor.rmsNorm" "normalizedShape" normalizedShape
            Args.notNull "Tensor.rmsNorm" "x" x
            x.RmsNorm normalizedShape

        /// <summary>RMS normalisation with a weight and ε.</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0; 4.0 ]
        /// |> Tensor.rmsNormWith { RmsNormOptions.defaults with Eps = Some 0.0 } [| 2 |]
        /// // tensor([0.8485, 1.1314], dtype=float64)
        /// </code></example>
        let rmsNormWith (options: RmsNormOptions) (normalizedShape: int[]) (x: Tensor) =
            Args.notNull "Tensor.rmsNormWith" "options" (box options)
            Args.notNull "Tensor.rmsNormWith" "normalizedShape" normalizedShape
            Args.notNull "Tensor.rmsNormWith" "x" x
            x.RmsNorm(normalizedShape, opt options.Weight, Option.toNullable options.Eps)

        /// <summary>Group normalisation of [N, C, …] in numGroups groups of channels, without weight or
        /// bias.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 3.0 ] ]) |> Tensor.groupNorm 1
        /// // tensor([[-1.0000, 1.0000]], dtype=float64)
        /// </code></example>
        let groupNorm (numGroups: int) (x: Tensor) =
            Args.notNull "Tensor.groupNorm" "x" x
            x.GroupNorm numGroups

        /// <summary>Group normalisation with a per-channel weight and bias and ε.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 3.0 ] ])
        /// |> Tensor.groupNormWith { NormOptions.defaults with Eps = 0.0 } 2 // tensor([[0., 0.]], dtype=float64)
        /// </code></example>
        let groupNormWith (options: NormOptions) (numGroups: int) (x: Tensor) =
            Args.notNull "Tensor.groupNormWith" "options" (box options)
            Args.notNull "Tensor.groupNormWith" "x" x
            x.GroupNorm(numGroups, opt options.Weight, opt options.Bias, options.Eps)

        /// <summary>Instance normalisation of [N, C, …] (rank ≥ 3) with its input statistics, without weight or
        /// bias.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.reshape [| 1; 1; 2 |] |> Tensor.instanceNorm
        /// // tensor([[[-1.0000, 1.0000]]], dtype=float64)
        /// </code></example>
        let instanceNorm (x: Tensor) =
            Args.notNull "Tensor.instanceNorm" "x" x
            x.InstanceNorm()

        /// <summary>Instance normalisation with a per-channel weight and bias and ε.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.reshape [| 1; 1; 2 |]
        /// |> Tensor.instanceNormWith { NormOptions.defaults with Weight = Some(Tensor.ofList [ 2.0 ]) }
        /// // tensor([[[-2.0000, 2.0000]]], dtype=float64)
        /// </code></example>
        let instanceNormWith (options: NormOptions) (x: Tensor) =
            Args.notNull "Tensor.instanceNormWith" "options" (box options)
            Args.notNull "Tensor.instanceNormWith" "x" x
            x.InstanceNorm(opt options.Weight, opt options.Bias, options.Eps)

        /// <summary>Batch normalisation of [N, C, …] by the batch's statistics (training, no running statistics),
        /// without weight or bias.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ]) |> Tensor.batchNorm
        /// // tensor([[-1.0000], [ 1.0000]], dtype=float64)
        /// </code></example>
        let batchNorm (x: Tensor) =
            Args.notNull "Tensor.batchNorm" "x" x
            x.BatchNorm(null, null, training = true)

        /// <summary>Batch normalisation by the batch's statistics with a per-channel weight and bias and ε.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ])
        /// |> Tensor.batchNormWith { BatchNormOptions.defaults with Bias = Some(Tensor.ofList [ 1.0 ]) }
        /// // tensor([[0.0000], [2.0000]], dtype=float64)
        /// </code></example>
        let batchNormWith (options: BatchNormOptions) (x: Tensor) =
            Args.notNull "Tensor.batchNormWith" "options" (box options)
            Args.notNull "Tensor.batchNormWith" "x" x

            x.BatchNorm(
                null,
                null,
                opt options.Weight,
                opt options.Bias,
                training = true,
                momentum = options.Momentum,
                eps = options.Eps
            )

        /// <summary>Batch normalisation in evaluation: by the running mean and variance [C].</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ])
        /// |> Tensor.batchNormEval (Tensor.ofList [ 1.0 ]) (Tensor.ofList [ 4.0 ])
        /// // tensor([[0.0000], [1.0000]], dtype=float64)
        /// </code></example>
        let batchNormEval (runningMean: Tensor) (runningVar: Tensor) (x: Tensor) =
            Args.notNull "Tensor.batchNormEval" "runningMean" runningMean
            Args.notNull "Tensor.batchNormEval" "runningVar" runningVar
            Args.notNull "Tensor.batchNormEval" "x" x
            x.BatchNorm(runningMean, runningVar)

        /// <summary>Batch normalisation in evaluation with a per-channel weight and bias and ε.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ])
        /// |> Tensor.batchNormEvalWith { BatchNormOptions.defaults with Eps = 0.0 } (Tensor.ofList [ 1.0 ])
        ///     (Tensor.ofList [ 4.0 ])
        /// // tensor([[0.], [1.]], dtype=float64)
        /// </code></example>
        let batchNormEvalWith (options: BatchNormOptions) (runningMean: Tensor) (runningVar: Tensor) (x: Tensor) =
            Args.notNull "Tensor.batchNormEvalWith" "options" (box options)
            Args.notNull "Tensor.batchNormEvalWith" "runningMean" runningMean
            Args.notNull "Tensor.batchNormEvalWith" "runningVar" runningVar
            Args.notNull "Tensor.batchNormEvalWith" "x" x
            x.BatchNorm(runningMean, runningVar, opt options.Weight, opt options.Bias, eps = options.Eps)

        /// <summary>Batch normalisation in training: the output and the running mean and variance updated (new
        /// tensors; the variance's update unbiased, as PyTorch's).</summary>
        /// <example><code>
        /// let y, mean, var =
        ///     Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ])
        ///     |> Tensor.batchNormTrain (Tensor.zeros [| 1 |]) (Tensor.ones [| 1 |])
        /// // mean: tensor([0.2000], dtype=float64), var: tensor([1.1000], dtype=float64)
        /// </code></example>
        let batchNormTrain (runningMean: Tensor) (runningVar: Tensor) (x: Tensor) =
            Args.notNull "Tensor.batchNormTrain" "runningMean" runningMean
            Args.notNull "Tensor.batchNormTrain" "runningVar" runningVar
            Args.notNull "Tensor.batchNormTrain" "x" x
            let struct (y, m, v) = x.BatchNormTrain(runningMean, runningVar)
            y, m, v

        /// <summary>Batch normalisation in training with a weight, a bias, the momentum and ε.</summary>
        /// <example><code>
        /// let y, mean, var =
        ///     Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 3.0 ] ])
        ///     |> Tensor.batchNormTrainWith { BatchNormOptions.defaults with Momentum = 0.5 } (Tensor.zeros [| 1 |])
        ///         (Tensor.ones [| 1 |])
        /// // mean: tensor([1.], dtype=float64), var: tensor([1.5000], dtype=float64)
        /// </code></example>
        let batchNormTrainWith (options: BatchNormOptions) (runningMean: Tensor) (runningVar: Tensor) (x: Tensor) =
            Args.notNull "Tensor.batchNormTrainWith" "options" (box options)
            Args.notNull "Tensor.batchNormTrainWith" "runningMean" runningMean
            Args.notNull "Tensor.batchNormTrainWith" "runningVar" runningVar
            Args.notNull "Tensor.batchNormTrainWith" "x" x

            let struct (y, m, v) =
                x.BatchNormTrain(
                    runningMean,
                    runningVar,
                    opt options.Weight,
                    opt options.Bias,
                    options.Momentum,
                    options.Eps
                )

            y, m, v
