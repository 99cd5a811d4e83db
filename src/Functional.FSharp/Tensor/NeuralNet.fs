namespace FuncGrad

/// <summary>
/// Softmax, log-softmax and losses. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/NeuralNet.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>
/// Tensor.softmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([0.5000, 0.5000], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorNeuralNet =
    /// <summary>Softmax, log-softmax and losses.</summary>
    /// <example><code>
    /// Tensor.softmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([0.5000, 0.5000], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>softmax along the last axis.</summary>
        /// <example><code>
        /// Tensor.softmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([0.5000, 0.5000], dtype=float64)
        /// </code></example>
        let softmax (t: Tensor) =
            Args.notNull "Tensor.softmax" "t" t
            t.Softmax()

        /// <summary>softmax along an axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 2 |]
        /// |> Tensor.softmaxAxis 0 // tensor([[0.5000, 0.5000], [0.5000, 0.5000]], dtype=float64)
        /// </code></example>
        let softmaxAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.softmaxAxis" "t" t
            t.Softmax axis

        /// <summary>log softmax along the last axis.</summary>
        /// <example><code>
        /// Tensor.logSoftmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([-0.6931, -0.6931], dtype=float64)
        /// </code></example>
        let logSoftmax (t: Tensor) =
            Args.notNull "Tensor.logSoftmax" "t" t
            t.LogSoftmax()

        /// <summary>log softmax along an axis.</summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 2 |] |> Tensor.logSoftmaxAxis 0 |> Tensor.shape // [| 2; 2 |]
        /// </code></example>
        let logSoftmaxAxis (axis: int) (t: Tensor) =
            Args.notNull "Tensor.logSoftmaxAxis" "t" t
            t.LogSoftmax axis

        /// <summary>Mean cross-entropy of logits [N, C] against integer labels.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |] |> Tensor.crossEntropy [| 0 |] // tensor(0.6931, dtype=float64)
        /// </code></example>
        let crossEntropy (labels: int[]) (logits: Tensor) =
            Args.notNull "Tensor.crossEntropy" "labels" labels
            Args.notNull "Tensor.crossEntropy" "logits" logits
            logits.CrossEntropy labels

        /// <summary>
        /// Mean cross-entropy of logits [N, C] against labels held in a tensor [N] of whole numbers in [0, C): the form
        /// vmap can map along with the examples.
        /// </summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |] |> Tensor.crossEntropyOf (Tensor.ofList [ 0.0 ]) // tensor(0.6931, dtype=float64)
        /// </code></example>
        let crossEntropyOf (labels: Tensor) (logits: Tensor) =
            Args.notNull "Tensor.crossEntropyOf" "labels" labels
            Args.notNull "Tensor.crossEntropyOf" "logits" logits
            logits.CrossEntropy labels

        /// <summary>
        /// Cross-entropy as PyTorch's against int64/int32 class indices [N] (rows labelled ignoreIndex left out) or
        /// float class probabilities [N, C]: reduction "mean", "sum" or "none", and label smoothing in [0, 1].
        /// </summary>
        /// <example><code>
        /// Tensor.zeros [| 2; 2 |] |> Tensor.crossEntropyWith -100 "sum" 0.0 (Tensor.ofInt64Array [| 1L; -100L |])
        /// // tensor(0.6931, dtype=float64)
        /// </code></example>
        let crossEntropyWith
            (ignoreIndex: int)
            (reduction: string)
            (labelSmoothing: float)
            (labels: Tensor)
            (logits: Tensor)
            =
            Args.notNull "Tensor.crossEntropyWith" "reduction" reduction
            Args.notNull "Tensor.crossEntropyWith" "labels" labels
            Args.notNull "Tensor.crossEntropyWith" "logits" logits
            logits.CrossEntropy(labels, ignoreIndex, reduction, labelSmoothing)

        /// <summary>crossEntropyWith, each class's terms weighted by weight [C] (not differentiated); the mean divides
        /// by the kept rows' weights.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 2 |]
        /// |> Tensor.crossEntropyFrom (Tensor.ofList [ 1.0; 3.0 ]) -100 "sum" 0.0 (Tensor.ofInt64Array [| 1L |])
        /// // tensor(2.0794, dtype=float64)
        /// </code></example>
        let crossEntropyFrom
            (weight: Tensor)
            (ignoreIndex: int)
            (reduction: string)
            (labelSmoothing: float)
            (labels: Tensor)
            (logits: Tensor)
            =
            Args.notNull "Tensor.crossEntropyFrom" "weight" weight
            Args.notNull "Tensor.crossEntropyFrom" "reduction" reduction
            Args.notNull "Tensor.crossEntropyFrom" "labels" labels
            Args.notNull "Tensor.crossEntropyFrom" "logits" logits
            logits.CrossEntropy(labels, weight, ignoreIndex, reduction, labelSmoothing)

        /// <summary>Mean squared error against a target of the same shape.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.mseLoss (Tensor.ofList [ 1.0; 1.0 ]) // tensor(2., dtype=float64)
        /// </code></example>
        let mseLoss (target: Tensor) (prediction: Tensor) =
            Args.notNull "Tensor.mseLoss" "target" target
            Args.notNull "Tensor.mseLoss" "prediction" prediction
            prediction.MseLoss target
