/// The lecture's multilayer perceptron: s = W x + b, x = σ(s) per layer, softmax cross-entropy at the end.
module Digits.Model

open FuncGrad

/// <summary>
/// The parameters of a two-layer perceptron, 64 → hidden → 10, stored the lecture's way: each W maps a
/// column x⁽ˡ⁻¹⁾ to s⁽ˡ⁾ = W x⁽ˡ⁻¹⁾ + b, so W1 is [hidden, 64] and W2 is [10, hidden].
/// </summary>
/// <example><code>let p = Model.init 64 42 in Tensor.shape p.W1 // [| 64; 64 |]</code></example>
type Parameters =
    {
        W1: Tensor
        B1: Tensor
        W2: Tensor
        B2: Tensor
    }

/// <summary>
/// Random weights of variance 1/fan-in (LeCun's initialization, which keeps tanh units out of saturation)
/// and zero biases, from a seeded generator.
/// </summary>
/// <example><code>Model.init 64 42 = Model.init 64 42 // true, field by field</code></example>
let init (hidden: int) (seed: int) : Parameters =
    {
        W1 = Tensor.randn seed [| hidden; 64 |] * (1.0 / sqrt 64.0)
        B1 = Tensor.zeros [| hidden |]
        W2 = Tensor.randn (seed + 1) [| 10; hidden |] * (1.0 / sqrt (float hidden))
        B2 = Tensor.zeros [| 10 |]
    }

/// <summary>
/// The logits [n, 10] for a batch of rows [n, 64]: s⁽¹⁾ = W1 x + b1, x⁽¹⁾ = tanh s⁽¹⁾,
/// s⁽²⁾ = W2 x⁽¹⁾ + b2, written for rows (x Wᵀ) so the whole batch goes through at once.
/// </summary>
/// <example><code>Model.logits p x |> Tensor.shape // [| n; 10 |]</code></example>
let logits (p: Parameters) (x: Tensor) : Tensor =
    let h = tanh (Tensor.matmul x (Tensor.transpose p.W1) + p.B1)
    Tensor.matmul h (Tensor.transpose p.W2) + p.B2

/// <summary>How many rows have their largest logit (argmax) at their label's class.</summary>
/// <example><code>
/// Model.correct (Tensor.ofArray2D (array2D [ [ 0.1; 2.0 ]; [ 3.0; 1.0 ] ])) [| 1; 1 |] // 1
/// </code></example>
let correct (logits: Tensor) (labels: int[]) : int =
    let predicted = Tensor.argmaxAxis 1 false logits
    let expected = Tensor.ofInt64Array (Array.map int64 labels)
    Tensor.eq predicted expected |> Tensor.countNonzero |> Tensor.item |> int

/// <summary>The fraction of rows whose largest logit is at their label's class.</summary>
/// <example><code>
/// Model.accuracy (Tensor.ofArray2D (array2D [ [ 0.1; 2.0 ]; [ 3.0; 1.0 ] ])) [| 1; 1 |] // 0.5
/// </code></example>
let accuracy (logits: Tensor) (labels: int[]) : float =
    float (correct logits labels) / float labels.Length

/// <summary>The mean cross-entropy of a batch, and the logits as an auxiliary result (for accuracy).</summary>
/// <example><code>
/// let (loss, logits), grads = valueAndGradWithAux (fun p -> Model.lossAndLogits p x y) p
/// </code></example>
let lossAndLogits (p: Parameters) (x: Tensor) (labels: int[]) : Tensor * Tensor =
    let s = logits p x
    Tensor.crossEntropy labels s, s
