using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

/// <summary>
/// Torch calls that take a number, with its Scalar held until the call returns. TorchSharp turns a number (and the
/// default alpha of <c>add</c> and <c>sub</c>, and arange's start and step) into a temporary Scalar that it reads only
/// for its handle: the collector may then finalize it, freeing the native scalar while the native call still reads it
/// (a scan on torch:cpu failed one run in a few hundred in Scalar::toFloat). Every such call in this backend goes
/// through here; <c>sub</c> of two tensors takes no Scalar.
/// </summary>
internal static class Held
{
    internal static TT Plus(TT a, TT b)
    {
        using var one = 1.ToScalar();
        return a.add(b, one);
    }

    internal static TT Plus(TT a, Scalar s)
    {
        using var one = 1.ToScalar();
        return a.add(s, one);
    }

    internal static TT Plus(TT a, long v)
    {
        using var s = v.ToScalar();
        return Plus(a, s);
    }

    internal static TT Times(TT a, long v) => With(v, a.mul);

    internal static TT Eq(TT a, long v) => With(v, a.eq);

    internal static TT Lt(TT a, long v) => With(v, a.lt);

    internal static TT Gt(TT a, long v) => With(v, a.gt);

    private static TT With(long v, Func<Scalar, TT> f)
    {
        using var s = v.ToScalar();
        return f(s);
    }

    /// <summary>0, 1, …, n − 1 as int64 on the device.</summary>
    internal static TT Arange(long n, torch.Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = n.ToScalar();
        using var step = 1L.ToScalar();
        return torch.arange(start, stop, step, ScalarType.Int64, device);
    }
}
