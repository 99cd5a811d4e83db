namespace FuncGrad;

/// <summary>
/// An op that moves elements without computing with them (a slice, a permutation, a concatenation): it takes tensors
/// of every dtype, and its kernel is written once, generic over the element type, for this class to call with the
/// arguments' element type.
/// </summary>
internal abstract class CopyOp : Op
{
    internal sealed override bool AnyDType => true;

    public sealed override Tensor Compute(Tensor[] x) => x[0].DType switch
    {
        DType.Float64 => Copy<double>(x),
        DType.Float32 => Copy<float>(x),
        DType.Int64 => Copy<long>(x),
        DType.Int32 => Copy<int>(x),
        _ => Copy<bool>(x),
    };

    /// <summary>The value, on plain tensors whose elements are <typeparamref name="T"/>.</summary>
    protected abstract Tensor Copy<T>(Tensor[] x) where T : unmanaged;
}
