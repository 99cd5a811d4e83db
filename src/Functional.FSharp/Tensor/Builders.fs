namespace FuncGrad

/// <summary>Top-level helpers brought in by <c>open FuncGrad</c>.</summary>
/// <example><code>scalar 2.0 * scalar 3.0 // tensor(6., dtype=float64)</code></example>
[<AutoOpen>]
module TensorBuilders =
    /// <summary>A rank-0 float64 tensor.</summary>
    /// <example><code>scalar 2.0 // tensor(2., dtype=float64)</code></example>
    let scalar (value: float) = Tensor.Scalar value

    /// <summary>A rank-0 float32 tensor.</summary>
    /// <example><code>scalar32 2.0f // tensor(2., dtype=float32)</code></example>
    let scalar32 (value: float32) =
        Tensor.Scalar(float value, DType.Float32)
