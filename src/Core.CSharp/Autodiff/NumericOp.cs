using System.Numerics;

namespace FuncGrad;

/// <summary>
/// An op whose value is written once, generic over the element type, for every numeric dtype (float64, float32,
/// int64, int32): <see cref="NumericDType.Compute"/> calls it with the element type of the tensor that decides. The
/// type is picked once per call, so each kernel is compiled for its type and nothing is decided per element.
/// </summary>
internal interface INumericOp
{
    /// <summary>The value, on plain tensors whose deciding elements are <typeparamref name="T"/>.</summary>
    Tensor Compute<T>(Tensor[] x) where T : unmanaged, INumber<T>;
}

/// <summary>The one switch from a numeric dtype to its element type, for <see cref="INumericOp"/>.</summary>
internal static class NumericDType
{
    /// <summary><paramref name="op"/>'s value with the element type of <paramref name="dtype"/>; int32's for every
    /// dtype but the other three.</summary>
    internal static Tensor Compute(INumericOp op, DType dtype, Tensor[] x) => dtype switch
    {
        DType.Float64 => op.Compute<double>(x),
        DType.Float32 => op.Compute<float>(x),
        DType.Int64 => op.Compute<long>(x),
        _ => op.Compute<int>(x),
    };
}
