namespace FuncGrad

/// <summary>The options of <c>Tensor.nllLossWith</c>: PyTorch's nll_loss arguments after the target.</summary>
/// <example><code>{ NllLossOptions.defaults with Reduction = "sum" }</code></example>
type NllLossOptions =
    {
        /// <summary>A weight [C] per class (not differentiated), or none.</summary>
        /// <example><code>{ NllLossOptions.defaults with Weight = Some(Tensor.ofList [ 1.0; 2.0 ]) }</code></example>
        Weight: Tensor option
        /// <summary>The class index whose elements add nothing (default −100).</summary>
        /// <example><code>{ NllLossOptions.defaults with IgnoreIndex = 0 }</code></example>
        IgnoreIndex: int
        /// <summary>"mean" (default: divided by the kept elements' weights), "sum" or "none".</summary>
        /// <example><code>{ NllLossOptions.defaults with Reduction = "none" }</code></example>
        Reduction: string
    }

    /// <summary>PyTorch's defaults: no weight, ignore index −100, mean.</summary>
    /// <example><code>{ NllLossOptions.defaults with Reduction = "sum" }</code></example>
    static member defaults =
        {
            Weight = None
            IgnoreIndex = -100
            Reduction = "mean"
        }

/// <summary>The options of <c>Tensor.binaryCrossEntropyWith</c>: PyTorch's binary_cross_entropy arguments after the
/// target.</summary>
/// <example><code>{ BinaryCrossEntropyOptions.defaults with Reduction = "sum" }</code></example>
type BinaryCrossEntropyOptions =
    {
        /// <summary>A weight that broadcasts to the input (not differentiated), or none.</summary>
        /// <example><code>
        /// { BinaryCrossEntropyOptions.defaults with Weight = Some(Tensor.ofList [ 2.0 ]) }
        /// </code></example>
        Weight: Tensor option
        /// <summary>"mean" (default), "sum" or "none".</summary>
        /// <example><code>{ BinaryCrossEntropyOptions.defaults with Reduction = "none" }</code></example>
        Reduction: string
    }

    /// <summary>PyTorch's defaults: no weight, mean.</summary>
    /// <example><code>{ BinaryCrossEntropyOptions.defaults with Reduction = "sum" }</code></example>
    static member defaults = { Weight = None; Reduction = "mean" }

/// <summary>The options of <c>Tensor.binaryCrossEntropyWithLogitsWith</c>: PyTorch's
/// binary_cross_entropy_with_logits arguments after the target.</summary>
/// <example><code>{ BceWithLogitsOptions.defaults with PosWeight = Some(Tensor.ofList [ 3.0 ]) }</code></example>
type BceWithLogitsOptions =
    {
        /// <summary>A weight that broadcasts to the input (differentiated), or none.</summary>
        /// <example><code>{ BceWithLogitsOptions.defaults with Weight = Some(Tensor.ofList [ 2.0 ]) }</code></example>
        Weight: Tensor option
        /// <summary>"mean" (default), "sum" or "none".</summary>
        /// <example><code>{ BceWithLogitsOptions.defaults with Reduction = "none" }</code></example>
        Reduction: string
        /// <summary>A weight of the positive term, broadcast to the input (a class's along the last axis), or
        /// none.</summary>
        /// <example><code>
        /// { BceWithLogitsOptions.defaults with PosWeight = Some(Tensor.ofList [ 3.0 ]) }
        /// </code></example>
        PosWeight: Tensor option
    }

    /// <summary>PyTorch's defaults: no weights, mean.</summary>
    /// <example><code>{ BceWithLogitsOptions.defaults with Reduction = "sum" }</code></example>
    static member defaults =
        {
            Weight = None
            Reduction = "mean"
            PosWeight = None
        }

/// <summary>
/// Losses and distances as torch.nn.functional has them: the functions of the <c>Tensor</c> module that mirror the
/// core's <c>Ops/Losses.cs</c>, the prediction last so that they pipe.
/// </summary>
/// <remarks>The <c>…With</c> twin of a loss takes PyTorch's keyword options: in PyTorch's order before the tensors,
/// or as a record (<c>NllLossOptions</c>, <c>BinaryCrossEntropyOptions</c>, <c>BceWithLogitsOptions</c>) where an
/// option is an optional tensor. A reduction is "mean", "sum" or "none".</remarks>
/// <example><code>
/// Tensor.ofList [ 1.0; -3.0 ] |> Tensor.l1Loss (Tensor.zeros [| 2 |]) // tensor(2., dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorLosses =
    /// <summary>Losses and distances.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; -3.0 ] |> Tensor.l1Loss (Tensor.zeros [| 2 |]) // tensor(2., dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        let private weightOf (w: Tensor option) = Option.toObj w

        /// <summary>Mean negative log-likelihood of log-probabilities [C], [N, C] or [N, C, d1, ...] against int64 or
        /// int32 class indices (a scalar, [N] or [N, d1, ...]), as PyTorch's nll_loss with its defaults.</summary>
        /// <example><code>
        /// Tensor.ofList [ -1.0; -2.0 ] |> Tensor.nllLoss (Tensor.ofInt64Array [| 1L |] |> Tensor.reshape [||])
        /// // tensor(2., dtype=float64)
        /// </code></example>
        let nllLoss (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.nllLoss" "target" target
            Args.notNull "Tensor.nllLoss" "input" input
            input.NllLoss target

        /// <summary>nllLoss with PyTorch's options: a class weight, the ignored index and the reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ -1.0; -2.0; -3.0; -4.0 ] |> Tensor.reshape [| 2; 2 |]
        /// |> Tensor.nllLossWith
        ///     { NllLossOptions.defaults with Reduction = "sum" }
        ///     (Tensor.ofInt64Array [| 1L; -100L |])
        /// // tensor(2., dtype=float64)
        /// </code></example>
        let nllLossWith (options: NllLossOptions) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.nllLossWith" "options" options
            Args.notNull "Tensor.nllLossWith" "reduction" options.Reduction
            Args.notNull "Tensor.nllLossWith" "target" target
            Args.notNull "Tensor.nllLossWith" "input" input
            input.NllLoss(target, weightOf options.Weight, options.IgnoreIndex, options.Reduction)

        /// <summary>Mean binary cross-entropy of probabilities against targets of the same shape, the logs clamped at
        /// −100 as PyTorch's.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.5 ] |> Tensor.binaryCrossEntropy (Tensor.ofList [ 1.0 ]) // tensor(0.6931, dtype=float64)
        /// </code></example>
        let binaryCrossEntropy (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.binaryCrossEntropy" "target" target
            Args.notNull "Tensor.binaryCrossEntropy" "input" input
            input.BinaryCrossEntropy target

        /// <summary>binaryCrossEntropy with PyTorch's options: a weight and the reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.5; 0.5 ]
        /// |> Tensor.binaryCrossEntropyWith
        ///     { Weight = Some(Tensor.ofList [ 1.0; 0.0 ]); Reduction = "sum" }
        ///     (Tensor.ofList [ 1.0; 1.0 ]) // tensor(0.6931, dtype=float64)
        /// </code></example>
        let binaryCrossEntropyWith (options: BinaryCrossEntropyOptions) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.binaryCrossEntropyWith" "options" options
            Args.notNull "Tensor.binaryCrossEntropyWith" "reduction" options.Reduction
            Args.notNull "Tensor.binaryCrossEntropyWith" "target" target
            Args.notNull "Tensor.binaryCrossEntropyWith" "input" input
            input.BinaryCrossEntropy(target, weightOf options.Weight, options.Reduction)

        /// <summary>Mean binary cross-entropy of logits against targets of the same shape, exact at any
        /// logit.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1000.0 ] |> Tensor.binaryCrossEntropyWithLogits (Tensor.ofList [ 1.0 ])
        /// // tensor(0., dtype=float64)
        /// </code></example>
        let binaryCrossEntropyWithLogits (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.binaryCrossEntropyWithLogits" "target" target
            Args.notNull "Tensor.binaryCrossEntropyWithLogits" "input" input
            input.BinaryCrossEntropyWithLogits target

        /// <summary>binaryCrossEntropyWithLogits with PyTorch's options: a weight, the reduction and a positive-class
        /// weight.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.0 ]
        /// |> Tensor.binaryCrossEntropyWithLogitsWith
        ///     { BceWithLogitsOptions.defaults with PosWeight = Some(Tensor.ofList [ 2.0 ]) }
        ///     (Tensor.ofList [ 1.0 ]) // tensor(1.3863, dtype=float64)
        /// </code></example>
        let binaryCrossEntropyWithLogitsWith (options: BceWithLogitsOptions) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.binaryCrossEntropyWithLogitsWith" "options" options
            Args.notNull "Tensor.binaryCrossEntropyWithLogitsWith" "reduction" options.Reduction
            Args.notNull "Tensor.binaryCrossEntropyWithLogitsWith" "target" target
            Args.notNull "Tensor.binaryCrossEntropyWithLogitsWith" "input" input

            input.BinaryCrossEntropyWithLogits(
                target,
                weightOf options.Weight,
                options.Reduction,
                Option.toObj options.PosWeight
            )

        /// <summary>Mean Huber loss (delta 1) against a target of the same shape.</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0 ] |> Tensor.huberLoss (Tensor.ofList [ 0.0 ]) // tensor(2.5000, dtype=float64)
        /// </code></example>
        let huberLoss (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.huberLoss" "target" target
            Args.notNull "Tensor.huberLoss" "input" input
            input.HuberLoss target

        /// <summary>Huber loss with a reduction and delta (positive).</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0 ] |> Tensor.huberLossWith "sum" 2.0 (Tensor.ofList [ 0.0 ]) // tensor(4., dtype=float64)
        /// </code></example>
        let huberLossWith (reduction: string) (delta: float) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.huberLossWith" "reduction" reduction
            Args.notNull "Tensor.huberLossWith" "target" target
            Args.notNull "Tensor.huberLossWith" "input" input
            input.HuberLoss(target, reduction, delta)

        /// <summary>Mean smooth L1 loss (beta 1) against a target of the same shape.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.5 ] |> Tensor.smoothL1Loss (Tensor.ofList [ 0.0 ]) // tensor(0.1250, dtype=float64)
        /// </code></example>
        let smoothL1Loss (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.smoothL1Loss" "target" target
            Args.notNull "Tensor.smoothL1Loss" "input" input
            input.SmoothL1Loss target

        /// <summary>Smooth L1 loss with a reduction and beta (0 is the L1 loss).</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.5 ] |> Tensor.smoothL1LossWith "sum" 0.0 (Tensor.ofList [ 0.0 ])
        /// // tensor(0.5000, dtype=float64)
        /// </code></example>
        let smoothL1LossWith (reduction: string) (beta: float) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.smoothL1LossWith" "reduction" reduction
            Args.notNull "Tensor.smoothL1LossWith" "target" target
            Args.notNull "Tensor.smoothL1LossWith" "input" input
            input.SmoothL1Loss(target, reduction, beta)

        /// <summary>Mean absolute error against a target of the same shape.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; -3.0 ] |> Tensor.l1Loss (Tensor.zeros [| 2 |]) // tensor(2., dtype=float64)
        /// </code></example>
        let l1Loss (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.l1Loss" "target" target
            Args.notNull "Tensor.l1Loss" "input" input
            input.L1Loss target

        /// <summary>The L1 loss with a reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; -3.0 ] |> Tensor.l1LossWith "sum" (Tensor.zeros [| 2 |]) // tensor(4., dtype=float64)
        /// </code></example>
        let l1LossWith (reduction: string) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.l1LossWith" "reduction" reduction
            Args.notNull "Tensor.l1LossWith" "target" target
            Args.notNull "Tensor.l1LossWith" "input" input
            input.L1Loss(target, reduction)

        /// <summary>Kullback–Leibler divergence of log-probabilities (the input) from probabilities (the target),
        /// the mean over every element, as PyTorch's default.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.5; 0.5 ] |> Tensor.log |> Tensor.klDiv (Tensor.ofList [ 0.5; 0.5 ])
        /// // tensor(0., dtype=float64)
        /// </code></example>
        let klDiv (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.klDiv" "target" target
            Args.notNull "Tensor.klDiv" "input" input
            input.KlDiv target

        /// <summary>klDiv with a reduction ("mean", "batchmean", "sum", "none") and whether the target is
        /// log-probabilities.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.0 ] |> Tensor.klDivWith "batchmean" true (Tensor.ofList [ 0.0 ])
        /// // tensor(0., dtype=float64)
        /// </code></example>
        let klDivWith (reduction: string) (logTarget: bool) (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.klDivWith" "reduction" reduction
            Args.notNull "Tensor.klDivWith" "target" target
            Args.notNull "Tensor.klDivWith" "input" input
            input.KlDiv(target, reduction, logTarget)

        /// <summary>Cosine similarity along axis 1 (eps 1e-8), as PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 0.0 ] |> Tensor.reshape [| 1; 2 |]
        /// |> Tensor.cosineSimilarity (Tensor.ones [| 1; 2 |]) // tensor([0.7071], dtype=float64)
        /// </code></example>
        let cosineSimilarity (x2: Tensor) (x1: Tensor) =
            Args.notNull "Tensor.cosineSimilarity" "x2" x2
            Args.notNull "Tensor.cosineSimilarity" "x1" x1
            x1.CosineSimilarity x2

        /// <summary>Cosine similarity along an axis, each norm clamped at eps.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 0.0 ] |> Tensor.cosineSimilarityWith 0 1e-8 (Tensor.ofList [ 1.0; 1.0 ])
        /// // tensor(0.7071, dtype=float64)
        /// </code></example>
        let cosineSimilarityWith (dim: int) (eps: float) (x2: Tensor) (x1: Tensor) =
            Args.notNull "Tensor.cosineSimilarityWith" "x2" x2
            Args.notNull "Tensor.cosineSimilarityWith" "x1" x1
            x1.CosineSimilarity(x2, dim, eps)

        /// <summary>Euclidean distances between the rows of x1 [.., P, M] and x2 [.., R, M]: [.., P, R].</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |] |> Tensor.cdist (Tensor.ofList [ 3.0; 4.0 ] |> Tensor.reshape [| 1; 2 |])
        /// // tensor([[5.]], dtype=float64)
        /// </code></example>
        let cdist (x2: Tensor) (x1: Tensor) =
            Args.notNull "Tensor.cdist" "x2" x2
            Args.notNull "Tensor.cdist" "x1" x1
            x1.Cdist x2

        /// <summary>p-norm distances (any p ≥ 0, infinity included) between the rows of x1 and x2.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |] |> Tensor.cdistWith 1.0 (Tensor.ofList [ 3.0; 4.0 ] |> Tensor.reshape [| 1; 2 |])
        /// // tensor([[7.]], dtype=float64)
        /// </code></example>
        let cdistWith (p: float) (x2: Tensor) (x1: Tensor) =
            Args.notNull "Tensor.cdistWith" "x2" x2
            Args.notNull "Tensor.cdistWith" "x1" x1
            x1.Cdist(x2, p)

        /// <summary>Each vector along axis 1 divided by its Euclidean norm (clamped at 1e-12).</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0; 4.0 ] |> Tensor.reshape [| 1; 2 |] |> Tensor.normalize
        /// // tensor([[0.6000, 0.8000]], dtype=float64)
        /// </code></example>
        let normalize (input: Tensor) =
            Args.notNull "Tensor.normalize" "input" input
            input.Normalize()

        /// <summary>Each vector along an axis divided by its p-norm, clamped at eps.</summary>
        /// <example><code>
        /// Tensor.ofList [ 3.0; 4.0 ] |> Tensor.normalizeWith 1.0 0 1e-12 // tensor([0.4286, 0.5714], dtype=float64)
        /// </code></example>
        let normalizeWith (p: float) (dim: int) (eps: float) (input: Tensor) =
            Args.notNull "Tensor.normalizeWith" "input" input
            input.Normalize(p, dim, eps)

        /// <summary>Mean Gaussian negative log-likelihood of the input (means) with variances var against the
        /// target, as PyTorch's defaults (eps 1e-6, no constant term).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0 ] |> Tensor.gaussianNllLoss (Tensor.ofList [ 1.0 ]) (Tensor.ofList [ 1.0 ])
        /// // tensor(0., dtype=float64)
        /// </code></example>
        let gaussianNllLoss (target: Tensor) (var: Tensor) (input: Tensor) =
            Args.notNull "Tensor.gaussianNllLoss" "target" target
            Args.notNull "Tensor.gaussianNllLoss" "var" var
            Args.notNull "Tensor.gaussianNllLoss" "input" input
            input.GaussianNllLoss(target, var)

        /// <summary>gaussianNllLoss with PyTorch's options: full (add ½log 2π), eps (the variance's floor) and the
        /// reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0 ]
        /// |> Tensor.gaussianNllLossWith true 1e-6 "sum" (Tensor.ofList [ 1.0 ]) (Tensor.ofList [ 1.0 ])
        /// // tensor(0.9189, dtype=float64)
        /// </code></example>
        let gaussianNllLossWith
            (full: bool)
            (eps: float)
            (reduction: string)
            (target: Tensor)
            (var: Tensor)
            (input: Tensor)
            =
            Args.notNull "Tensor.gaussianNllLossWith" "reduction" reduction
            Args.notNull "Tensor.gaussianNllLossWith" "target" target
            Args.notNull "Tensor.gaussianNllLossWith" "var" var
            Args.notNull "Tensor.gaussianNllLossWith" "input" input
            input.GaussianNllLoss(target, var, full, eps, reduction)

        /// <summary>Mean Poisson negative log-likelihood of log-rates (the input) against counts.</summary>
        /// <example><code>
        /// Tensor.ofList [ 0.0 ] |> Tensor.poissonNllLoss (Tensor.ofList [ 1.0 ]) // tensor(1., dtype=float64)
        /// </code></example>
        let poissonNllLoss (target: Tensor) (input: Tensor) =
            Args.notNull "Tensor.poissonNllLoss" "target" target
            Args.notNull "Tensor.poissonNllLoss" "input" input
            input.PoissonNllLoss target

        /// <summary>poissonNllLoss with PyTorch's options: logInput (false: the input is the rate itself), full
        /// (Stirling's term where the target exceeds 1), eps and the reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0 ] |> Tensor.poissonNllLossWith false false 1e-8 "sum" (Tensor.ofList [ 0.0 ])
        /// // tensor(1., dtype=float64)
        /// </code></example>
        let poissonNllLossWith
            (logInput: bool)
            (full: bool)
            (eps: float)
            (reduction: string)
            (target: Tensor)
            (input: Tensor)
            =
            Args.notNull "Tensor.poissonNllLossWith" "reduction" reduction
            Args.notNull "Tensor.poissonNllLossWith" "target" target
            Args.notNull "Tensor.poissonNllLossWith" "input" input
            input.PoissonNllLoss(target, logInput, full, eps, reduction)

        /// <summary>Mean margin ranking loss max(0, −target·(input1 − input2)) of input1 (last) against input2, target
        /// ±1.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0 ] |> Tensor.marginRankingLoss (Tensor.ofList [ 2.0 ]) (Tensor.ofList [ 1.0 ])
        /// // tensor(1., dtype=float64)
        /// </code></example>
        let marginRankingLoss (input2: Tensor) (target: Tensor) (input1: Tensor) =
            Args.notNull "Tensor.marginRankingLoss" "input2" input2
            Args.notNull "Tensor.marginRankingLoss" "target" target
            Args.notNull "Tensor.marginRankingLoss" "input1" input1
            input1.MarginRankingLoss(input2, target)

        /// <summary>marginRankingLoss with a margin and a reduction.</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0 ]
        /// |> Tensor.marginRankingLossWith 0.5 "sum" (Tensor.ofList [ 2.0 ]) (Tensor.ofList [ 1.0 ])
        /// // tensor(0.5000, dtype=float64)
        /// </code></example>
        let marginRankingLossWith
            (margin: float)
            (reduction: string)
            (input2: Tensor)
            (target: Tensor)
            (input1: Tensor)
            =
            Args.notNull "Tensor.marginRankingLossWith" "reduction" reduction
            Args.notNull "Tensor.marginRankingLossWith" "input2" input2
            Args.notNull "Tensor.marginRankingLossWith" "target" target
            Args.notNull "Tensor.marginRankingLossWith" "input1" input1
            input1.MarginRankingLoss(input2, target, margin, reduction)

        /// <summary>Mean triplet margin loss of an anchor (last) with a positive and a negative example, PyTorch's
        /// defaults (margin 1, p 2, eps 1e-6, no swap).</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |]
        /// |> Tensor.tripletMarginLoss (Tensor.zeros [| 1; 2 |]) (Tensor.zeros [| 1; 2 |]) // tensor(1., dtype=float64)
        /// </code></example>
        let tripletMarginLoss (positive: Tensor) (negative: Tensor) (anchor: Tensor) =
            Args.notNull "Tensor.tripletMarginLoss" "positive" positive
            Args.notNull "Tensor.tripletMarginLoss" "negative" negative
            Args.notNull "Tensor.tripletMarginLoss" "anchor" anchor
            anchor.TripletMarginLoss(positive, negative)

        /// <summary>tripletMarginLoss with PyTorch's options: margin, p, eps, swap and the reduction.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |]
        /// |> Tensor.tripletMarginLossWith 2.0 2.0 0.0 true "sum" (Tensor.zeros [| 1; 2 |]) (Tensor.ones [| 1; 2 |])
        /// // tensor(0.5858, dtype=float64)
        /// </code></example>
        let tripletMarginLossWith
            (margin: float)
            (p: float)
            (eps: float)
            (swap: bool)
            (reduction: string)
            (positive: Tensor)
            (negative: Tensor)
            (anchor: Tensor)
            =
            Args.notNull "Tensor.tripletMarginLossWith" "reduction" reduction
            Args.notNull "Tensor.tripletMarginLossWith" "positive" positive
            Args.notNull "Tensor.tripletMarginLossWith" "negative" negative
            Args.notNull "Tensor.tripletMarginLossWith" "anchor" anchor
            anchor.TripletMarginLoss(positive, negative, margin, p, eps, swap, reduction)
