using TorchSharp;
using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// The activations of src/Core.CSharp/Ops/Activations.cs on torch.nn.functional's kernels, by FuncGrad's op name; a and
// b are the op's parameters (alpha, the slope, the bounds, beta and the threshold).
internal sealed partial class TorchBackend
{
    internal override Tensor? Activation(string name, Tensor x, double a, double b) => name switch
    {
        "LeakyRelu" => Map(x, t => nn.functional.leaky_relu(t, a)),
        // TorchSharp 0.107's nn.functional.hardtanh returns its input unchanged; hardtanh is a clamp, with the
        // numbers held as Scalars for the call (TorchBackend.cs, Pow)
        "Hardtanh" => Map(x, t =>
        {
            using var lo = a.ToScalar();
            using var hi = b.ToScalar();
            return t.clamp(lo, hi);
        }),
        "Relu6" => Map(x, t => nn.functional.relu6(t)),
        "Hardsigmoid" => Map(x, t => nn.functional.hardsigmoid(t)),
        "Hardswish" => Map(x, t => nn.functional.hardswish(t)),
        // torch's x/(1 + |x|) is NaN at ±inf, where FuncGrad's softsign is ±1
        "Softsign" => Map(x, t =>
        {
            using var q = nn.functional.softsign(t);
            using var infinite = t.isinf();
            using var sign = t.sign();
            return TorchSharp.torch.where(infinite, sign, q);
        }),
        "Silu" => Map(x, t => nn.functional.silu(t)),
        "Mish" => Map(x, t => nn.functional.mish(t)),
        "GeluTanh" => Map(x, t => nn.functional.gelu(t, TorchSharp.Modules.GELU.Approximate.tanh)),
        "Gelu" => Map(x, t => nn.functional.gelu(t, TorchSharp.Modules.GELU.Approximate.none)),
        "Elu" => Map(x, t => nn.functional.elu(t, a)),
        "Selu" => Map(x, t => nn.functional.selu(t)),
        "Celu" => Map(x, t => nn.functional.celu(t, a)),
        "LogSigmoid" => Map(x, t => nn.functional.logsigmoid(t)),
        "Tanhshrink" => Map(x, t => nn.functional.tanhshrink(t)),
        "SoftplusBeta" => Map(x, t => nn.functional.softplus(t, a, b)),
        _ => null,
    };
}
