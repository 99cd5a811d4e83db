namespace FuncGrad

/// <summary>
/// The activation functions of <c>torch.nn.functional</c>, mirroring the core's <c>Ops/Activations.cs</c>: a plain
/// function with PyTorch's defaults, and a <c>…With</c> twin taking the parameters, tensor last.
/// </summary>
/// <example><code>Tensor.silu (Tensor.ofList [ 0.0; 1.0 ]) // tensor([0.0000, 0.7311], dtype=float64)</code></example>
[<AutoOpen>]
module TensorActivations =
    /// <summary>The activation functions of <c>torch.nn.functional</c>.</summary>
    /// <example><code>Tensor.relu6 (Tensor.ofList [ -1.0; 7.0 ]) // tensor([0., 6.], dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The exact GELU x·Φ(x).</summary>
        /// <example><code>Tensor.gelu (scalar 1.0) // tensor(0.8413, dtype=float64)</code></example>
        let gelu (t: Tensor) =
            Args.notNull "Tensor.gelu" "t" t
            t.Gelu()

        /// <summary>GELU with PyTorch's <c>approximate</c>: "none" (exact) or "tanh".</summary>
        /// <example><code>Tensor.geluWith "tanh" (scalar 1.0) // tensor(0.8412, dtype=float64)</code></example>
        let geluWith (approximate: string) (t: Tensor) =
            Args.notNull "Tensor.geluWith" "approximate" approximate
            Args.notNull "Tensor.geluWith" "t" t
            t.Gelu approximate

        /// <summary>x·σ(x), the swish.</summary>
        /// <example><code>Tensor.silu (scalar 1.0) // tensor(0.7311, dtype=float64)</code></example>
        let silu (t: Tensor) =
            Args.notNull "Tensor.silu" "t" t
            t.Silu()

        /// <summary>x·tanh(softplus(x)).</summary>
        /// <example><code>Tensor.mish (scalar 1.0) // tensor(0.8651, dtype=float64)</code></example>
        let mish (t: Tensor) =
            Args.notNull "Tensor.mish" "t" t
            t.Mish()

        /// <summary>ELU with alpha 1: x above 0, eˣ − 1 below; derivative 1 at 0.</summary>
        /// <example><code>Tensor.elu (scalar -1.0) // tensor(-0.6321, dtype=float64)</code></example>
        let elu (t: Tensor) =
            Args.notNull "Tensor.elu" "t" t
            t.Elu()

        /// <summary>ELU: x above 0, alpha·(eˣ − 1) below; derivative alpha at 0.</summary>
        /// <example><code>Tensor.eluWith 2.0 (scalar -1.0) // tensor(-1.2642, dtype=float64)</code></example>
        let eluWith (alpha: float) (t: Tensor) =
            Args.notNull "Tensor.eluWith" "t" t
            t.Elu alpha

        /// <summary>SELU, λ·elu(x, α) with PyTorch's constants.</summary>
        /// <example><code>Tensor.selu (scalar 1.0) // tensor(1.0507, dtype=float64)</code></example>
        let selu (t: Tensor) =
            Args.notNull "Tensor.selu" "t" t
            t.Selu()

        /// <summary>CELU with alpha 1 (equal to ELU with alpha 1).</summary>
        /// <example><code>Tensor.celu (scalar -1.0) // tensor(-0.6321, dtype=float64)</code></example>
        let celu (t: Tensor) =
            Args.notNull "Tensor.celu" "t" t
            t.Celu()

        /// <summary>CELU: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)); alpha must not be 0.</summary>
        /// <example><code>Tensor.celuWith 2.0 (scalar -1.0) // tensor(-0.7869, dtype=float64)</code></example>
        let celuWith (alpha: float) (t: Tensor) =
            Args.notNull "Tensor.celuWith" "t" t
            t.Celu alpha

        /// <summary>Leaky ReLU with slope 0.01 below 0; derivative 0.01 at 0.</summary>
        /// <example><code>Tensor.leakyRelu (scalar -2.0) // tensor(-0.0200, dtype=float64)</code></example>
        let leakyRelu (t: Tensor) =
            Args.notNull "Tensor.leakyRelu" "t" t
            t.LeakyRelu()

        /// <summary>Leaky ReLU with the given slope below 0 (and as the derivative at 0).</summary>
        /// <example><code>Tensor.leakyReluWith 0.1 (scalar -2.0) // tensor(-0.2000, dtype=float64)</code></example>
        let leakyReluWith (negativeSlope: float) (t: Tensor) =
            Args.notNull "Tensor.leakyReluWith" "t" t
            t.LeakyRelu negativeSlope

        /// <summary>min(max(x, 0), 6); derivative 0 at 0 and at 6.</summary>
        /// <example><code>Tensor.relu6 (Tensor.ofList [ -1.0; 7.0 ]) // tensor([0., 6.],
        /// dtype=float64)</code></example>
        let relu6 (t: Tensor) =
            Args.notNull "Tensor.relu6" "t" t
            t.Relu6()

        /// <summary>x clamped to [−1, 1]; derivative 0 at the bounds.</summary>
        /// <example><code>Tensor.hardtanh (scalar 3.0) // tensor(1., dtype=float64)</code></example>
        let hardtanh (t: Tensor) =
            Args.notNull "Tensor.hardtanh" "t" t
            t.Hardtanh()

        /// <summary>x clamped to [minVal, maxVal]; derivative 0 at the bounds.</summary>
        /// <example><code>Tensor.hardtanhWith 0.0 2.0 (scalar 3.0) // tensor(2., dtype=float64)</code></example>
        let hardtanhWith (minVal: float) (maxVal: float) (t: Tensor) =
            Args.notNull "Tensor.hardtanhWith" "t" t
            t.Hardtanh(minVal, maxVal)

        /// <summary>min(max(x + 3, 0), 6) / 6; derivative 0 at ±3.</summary>
        /// <example><code>Tensor.hardsigmoid (scalar 0.0) // tensor(0.5000, dtype=float64)</code></example>
        let hardsigmoid (t: Tensor) =
            Args.notNull "Tensor.hardsigmoid" "t" t
            t.Hardsigmoid()

        /// <summary>x · min(max(x + 3, 0), 6) / 6; derivative −1/2 at −3 and 3/2 at 3.</summary>
        /// <example><code>Tensor.hardswish (scalar 4.0) // tensor(4., dtype=float64)</code></example>
        let hardswish (t: Tensor) =
            Args.notNull "Tensor.hardswish" "t" t
            t.Hardswish()

        /// <summary>x / (1 + |x|), ±1 at ±inf.</summary>
        /// <example><code>Tensor.softsign (scalar 1.0) // tensor(0.5000, dtype=float64)</code></example>
        let softsign (t: Tensor) =
            Args.notNull "Tensor.softsign" "t" t
            t.Softsign()

        /// <summary>x − tanh(x).</summary>
        /// <example><code>Tensor.tanhshrink (scalar 1.0) // tensor(0.2384, dtype=float64)</code></example>
        let tanhshrink (t: Tensor) =
            Args.notNull "Tensor.tanhshrink" "t" t
            t.Tanhshrink()

        /// <summary>log σ(x) = −softplus(−x), finite for every finite x.</summary>
        /// <example><code>Tensor.logSigmoid (scalar 0.0) // tensor(-0.6931, dtype=float64)</code></example>
        let logSigmoid (t: Tensor) =
            Args.notNull "Tensor.logSigmoid" "t" t
            t.LogSigmoid()

        /// <summary>PyTorch's softplus log(1 + e^(beta·x))/beta, x itself where beta·x &gt; threshold.</summary>
        /// <example><code>Tensor.softplusWith 2.0 20.0 (scalar 0.0) // tensor(0.3466, dtype=float64)</code></example>
        let softplusWith (beta: float) (threshold: float) (t: Tensor) =
            Args.notNull "Tensor.softplusWith" "t" t
            t.Softplus(beta, threshold)
