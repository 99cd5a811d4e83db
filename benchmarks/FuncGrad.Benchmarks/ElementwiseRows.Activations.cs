using static TorchSharp.torch;

namespace FuncGrad.Benchmarks;

// S20 rows for the activations (Ops/Activations.cs) beside torch.nn.functional's, over [-6, 6] where every branch and
// kink is visited.
public static partial class ElementwiseRows
{
    /// <summary>Gelu (exact and tanh), Silu, Mish, Elu, Selu, Celu, LeakyRelu, Relu6, Hardtanh, Hardsigmoid, Hardswish,
    /// Softsign, Tanhshrink, LogSigmoid, Softplus(beta, threshold).</summary>
    public static IEnumerable<ElementwiseRow> Activations() =>
    [
        new("gelu", -6, 6, x => x.Gelu(), x => nn.functional.gelu(x)),
        new("gelu-tanh", -6, 6, x => x.Gelu("tanh"),
            x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh)),
        new("silu", -6, 6, x => x.Silu(), x => nn.functional.silu(x)),
        new("mish", -6, 6, x => x.Mish(), x => nn.functional.mish(x)),
        new("elu", -6, 6, x => x.Elu(), x => nn.functional.elu(x, 1.0)),
        new("selu", -6, 6, x => x.Selu(), x => nn.functional.selu(x)),
        new("celu", -6, 6, x => x.Celu(0.5), x => nn.functional.celu(x, 0.5)),
        new("leaky-relu", -6, 6, x => x.LeakyRelu(), x => nn.functional.leaky_relu(x)),
        new("relu6", -6, 8, x => x.Relu6(), x => nn.functional.relu6(x)),
        new("hardtanh", -6, 6, x => x.Hardtanh(), x => nn.functional.hardtanh(x)),
        new("hardsigmoid", -6, 6, x => x.Hardsigmoid(), x => nn.functional.hardsigmoid(x)),
        new("hardswish", -6, 6, x => x.Hardswish(), x => nn.functional.hardswish(x)),
        new("softsign", -6, 6, x => x.Softsign(), x => nn.functional.softsign(x)),
        new("tanhshrink", -6, 6, x => x.Tanhshrink(), x => nn.functional.tanhshrink(x)),
        new("log-sigmoid", -6, 6, x => x.LogSigmoid(), x => nn.functional.logsigmoid(x)),
        new("softplus-beta", -6, 6, x => x.Softplus(2.0, 20.0), x => nn.functional.softplus(x, 2.0, 20.0)),
    ];
}
