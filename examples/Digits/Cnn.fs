/// A LeNet-style convolutional network for the 8×8 digits: two convolution → relu → max-pool stages, then two
/// linear layers, softmax cross-entropy at the end.
module Digits.Cnn

open FuncGrad

/// <summary>
/// The parameters: C1 [16, 1, 3, 3] and C2 [32, 16, 3, 3] are convolution kernels (output channels, input
/// channels, height, width) with biases, F1 [64, 128] and F2 [10, 64] map columns as the MLP's weights do.
/// </summary>
/// <example><code>let p = Cnn.init 42 in Tensor.shape p.C1 // [| 16; 1; 3; 3 |]</code></example>
type Parameters =
    {
        C1: Tensor
        B1: Tensor
        C2: Tensor
        B2: Tensor
        F1: Tensor
        G1: Tensor
        F2: Tensor
        G2: Tensor
    }

/// The sizes of the network; the flattened second stage is 32 channels × 2 × 2 = 128 values.
let private channels1, channels2, hidden = 16, 32, 64

/// <summary>
/// He initialization (variance 2/fan-in, which keeps relu units' variance from shrinking layer by layer) and zero
/// biases, from a seeded generator.
/// </summary>
/// <example><code>Cnn.init 42 = Cnn.init 42 // true, field by field</code></example>
let init (seed: int) : Parameters =
    let he (offset: int) (shape: int[]) =
        let fanIn = Array.reduce (*) shape[1..]
        Tensor.randn (seed + offset) shape * sqrt (2.0 / float fanIn)

    {
        C1 = he 0 [| channels1; 1; 3; 3 |]
        B1 = Tensor.zeros [| channels1 |]
        C2 = he 1 [| channels2; channels1; 3; 3 |]
        B2 = Tensor.zeros [| channels2 |]
        F1 = he 2 [| hidden; channels2 * 4 |]
        G1 = Tensor.zeros [| hidden |]
        F2 = Tensor.randn (seed + 3) [| 10; hidden |] * (1.0 / sqrt (float hidden))
        G2 = Tensor.zeros [| 10 |]
    }

/// <summary>
/// The logits [n, 10] for a batch of rows [n, 64]: each row becomes a 1 × 8 × 8 image; 3×3 convolutions (padding
/// 1) to 16 then 32 channels, each followed by relu and 2×2 max-pooling (8×8 → 4×4 → 2×2), flatten to 128, a
/// hidden layer of 64 relu units, and the output layer.
/// </summary>
/// <example><code>Cnn.logits p x |> Tensor.shape // [| n; 10 |]</code></example>
let logits (p: Parameters) (x: Tensor) : Tensor =
    let n = (Tensor.shape x)[0]
    let images = Tensor.reshape [| n; 1; 8; 8 |] x

    let stage (kernel: Tensor) (bias: Tensor) (x: Tensor) =
        let options =
            { ConvOptions.defaults with
                Bias = Some bias
                Padding = ConvPadding.Pad [| 1 |]
            }

        x |> Tensor.conv2dWith options kernel |> Tensor.relu |> Tensor.maxPool2d [| 2 |]

    let a2 = images |> stage p.C1 p.B1 |> stage p.C2 p.B2
    let flat = Tensor.reshape [| n; channels2 * 4 |] a2
    let h = Tensor.relu (Tensor.matmul flat (Tensor.transpose p.F1) + p.G1)
    Tensor.matmul h (Tensor.transpose p.F2) + p.G2

/// <summary>The mean cross-entropy of a batch, and the logits as an auxiliary result (for accuracy).</summary>
/// <example><code>
/// let (loss, logits), grads = valueAndGradWithAux (fun p -> Cnn.lossAndLogits p x y) p
/// </code></example>
let lossAndLogits (p: Parameters) (x: Tensor) (labels: int[]) : Tensor * Tensor =
    let s = logits p x
    Tensor.crossEntropy labels s, s
