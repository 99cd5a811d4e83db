namespace FuncGrad

/// <summary>Dropout from random keys, mirroring the core's <c>Ops/Dropout.cs</c>: the key first, the tensor
/// last.</summary>
/// <example><code>Tensor.dropout (Random.key 0) 0.5 (Tensor.ones [| 4 |]) // elements 0 or 2</code></example>
[<AutoOpen>]
module TensorDropout =
    /// <summary>Dropout and alpha dropout, their masks drawn from a key.</summary>
    /// <example><code>
    /// Tensor.dropout (Random.key 0) 0.0 (Tensor.ones [| 2 |]) // tensor([1., 1.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Zeroes each element with probability p and scales the rest by 1/(1 − p), as PyTorch's
        /// <c>F.dropout</c> in training, the mask drawn from the key (<c>Tensor.Dropout</c> has the rule).</summary>
        /// <example><code>Tensor.dropout (Random.key 0) 0.5 (Tensor.ones [| 4 |]) // elements 0 or 2</code></example>
        let dropout (key: Tensor) (p: float) (t: Tensor) =
            Args.notNull "Tensor.dropout" "key" key
            Args.notNull "Tensor.dropout" "t" t
            t.Dropout(key, p)

        /// <summary><c>dropout</c> when training (PyTorch's <c>training</c>), the identity otherwise.</summary>
        /// <example><code>
        /// Tensor.dropoutWith false (Random.key 0) 0.5 (Tensor.ones [| 2 |]) // tensor([1., 1.], dtype=float64)
        /// </code></example>
        let dropoutWith (training: bool) (key: Tensor) (p: float) (t: Tensor) =
            Args.notNull "Tensor.dropoutWith" "key" key
            Args.notNull "Tensor.dropoutWith" "t" t
            t.Dropout(key, p, training)

        /// <summary>Alpha dropout for SELU networks, as PyTorch's <c>F.alpha_dropout</c> in training, with
        /// <c>dropout</c>'s mask.</summary>
        /// <example><code>
        /// Tensor.alphaDropout (Random.key 0) 0.2 (Tensor.zeros [| 3 |]) |> Tensor.shape // [| 3 |]
        /// </code></example>
        let alphaDropout (key: Tensor) (p: float) (t: Tensor) =
            Args.notNull "Tensor.alphaDropout" "key" key
            Args.notNull "Tensor.alphaDropout" "t" t
            t.AlphaDropout(key, p)

        /// <summary><c>alphaDropout</c> when training, the identity otherwise.</summary>
        /// <example><code>
        /// Tensor.alphaDropoutWith false (Random.key 0) 0.2 (Tensor.zeros [| 3 |]) |> Tensor.shape // [| 3 |]
        /// </code></example>
        let alphaDropoutWith (training: bool) (key: Tensor) (p: float) (t: Tensor) =
            Args.notNull "Tensor.alphaDropoutWith" "key" key
            Args.notNull "Tensor.alphaDropoutWith" "t" t
            t.AlphaDropout(key, p, training)
