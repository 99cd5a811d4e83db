namespace FuncGrad;

/// <summary>The element type of a tensor. FuncGrad never mixes dtypes silently.</summary>
/// <example><code>var x = Tensor.Ones([2], DType.Float32); // x.DType is DType.Float32</code></example>
/// <namespacedoc><summary>
/// Immutable tensors and automatic differentiation: the C# core (<c>Tensor</c>, <c>Autodiff</c>, <c>Gradients</c>,
/// in FuncGrad.Core) and the F# layer over it (the <c>Tensor</c> module, the transformations such as <c>grad</c>
/// and <c>vmap</c>, <c>GradCheck</c>, <c>Optim</c> and <c>Graph</c>, in FuncGrad).
/// </summary></namespacedoc>
public enum DType
{
    /// <summary>64-bit IEEE 754 floating point, the default.</summary>
    /// <example><code>Tensor.FromArray([1.0, 2.0]).DType // evaluates to DType.Float64</code></example>
    Float64,
    /// <summary>32-bit IEEE 754 floating point.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).ToDType(DType.Float32) // tensor([1., 2.], dtype=float32)
    /// </code></example>
    Float32,
}

/// <summary>Helpers for <see cref="DType"/>.</summary>
/// <example><code>DType.Float32.Name() // evaluates to "float32"</code></example>
public static class DTypeExtensions
{
    /// <summary>The PyTorch-style lower-case name: "float64" or "float32".</summary>
    /// <example><code>DType.Float64.Name() // evaluates to "float64"</code></example>
    public static string Name(this DType dtype) => dtype == DType.Float64 ? "float64" : "float32";
}
