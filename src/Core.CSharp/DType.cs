namespace FuncGrad;

/// <summary>The element type of a tensor. FuncGrad never mixes dtypes silently.</summary>
/// <remarks>
/// Float64 and Float32 tensors are differentiated; Int64, Int32 and Bool tensors hold indices, counts and masks and
/// never are: layout and indexing ops take them, conversions go both ways (<see cref="Tensor.ToDType"/>), and an op
/// that computes with floats refuses them with an error that says how to convert.
/// </remarks>
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
    /// <summary>64-bit signed integers: indices and counts.</summary>
    /// <example><code>Tensor.FromArray(new long[] { 3, 1 }) // tensor([3, 1], dtype=int64)</code></example>
    Int64,
    /// <summary>32-bit signed integers.</summary>
    /// <example><code>Tensor.FromArray(new[] { 3, 1 }) // tensor([3, 1], dtype=int32)</code></example>
    Int32,
    /// <summary>Booleans: masks.</summary>
    /// <example><code>Tensor.FromArray(new[] { true, false }) // tensor([ True, False], dtype=bool)</code></example>
    Bool,
}

/// <summary>Helpers for <see cref="DType"/>.</summary>
/// <example><code>DType.Float32.Name() // evaluates to "float32"</code></example>
public static class DTypeExtensions
{
    /// <summary>The PyTorch-style lower-case name: "float64", "float32", "int64", "int32" or "bool".</summary>
    /// <example><code>DType.Float64.Name() // evaluates to "float64"</code></example>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float64 => "float64",
        DType.Float32 => "float32",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a FuncGrad dtype"),
    };

    /// <summary>Whether tensors of this dtype hold floating-point numbers, which can be differentiated.</summary>
    /// <example><code>DType.Int64.IsFloat() // evaluates to false</code></example>
    public static bool IsFloat(this DType dtype) => dtype <= DType.Float32;

    /// <summary>The bytes one element takes.</summary>
    internal static int Bytes(this DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Float32 or DType.Int32 => 4,
        _ => 1,
    };

    /// <summary>The .NET element type of the storage.</summary>
    internal static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float64 => typeof(double),
        DType.Float32 => typeof(float),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        _ => typeof(bool),
    };

    /// <summary>The dtype of storage of element type <typeparamref name="T"/>.</summary>
    internal static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(bool) ? DType.Bool
        : throw new ArgumentException($"{typeof(T).Name} is not the element type of a FuncGrad dtype");
}
