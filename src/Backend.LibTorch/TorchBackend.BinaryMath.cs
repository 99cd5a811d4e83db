using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// The functions of two arguments of src/Core.CSharp/Ops/BinaryMath.cs and Clamp.cs, by torch's own kernels.
internal sealed partial class TorchBackend
{
    internal override Tensor? BinaryMath(string name, Tensor a, Tensor b)
    {
        Func<TT, TT, TT>? f = name switch
        {
            "Atan2" => (x, y) => x.atan2(y),
            "Hypot" => (x, y) => x.hypot(y),
            "Fmod" => (x, y) => x.fmod(y),
            "Copysign" => (x, y) => x.copysign(y),
            "Logaddexp" => (x, y) => x.logaddexp(y),
            "Logaddexp2" => (x, y) => x.logaddexp2(y),
            "Xlogy" => (x, y) => x.xlogy(y),
            "Xlog1py" => (x, y) => torch.special.xlog1py(x, y),
            _ => null,
        };
        return f is null ? null : Zip(a, b, name, f);
    }

    internal override Tensor? Lerp(Tensor start, Tensor end, Tensor weight)
    {
        var d = DeviceOf(start, end, weight);
        var shape = Shapes.Broadcast(Shapes.Broadcast(start.shape, end.shape, "lerp"), weight.shape, "lerp");
        using var s = Read(start, d);
        using var e = Read(end, d);
        using var w = Read(weight, d);
        // torch's lerp broadcasts its weight to the others' shape only; expanding start first gives the full shape
        using var full = s.T.expand(Long(shape));
        return Wrap(full.lerp(e.T, w.T), d, shape, start.DType);
    }

    internal override Tensor? Clamp(Tensor x, double? min, double? max) => Map(x, t =>
    {
        using var lo = min?.ToScalar();
        using var hi = max?.ToScalar();
        return t.clamp(lo, hi);
    });
}
