namespace FuncGrad.Benchmarks;

// S20 rows for the one-argument ops that predate issue 23 (Ops/Unary.cs): the baseline the new families compare with.
public static partial class ElementwiseRows
{
    /// <summary>Exp, Log, Sqrt, Sin, Tanh, Sigmoid; Log1p, Expm1, Cos, Tan, Softplus (issue 27's vector
    /// math).</summary>
    public static IEnumerable<ElementwiseRow> Unary() =>
    [
        new("exp", -10, 10, x => x.Exp(), x => x.exp()),
        new("log", 1e-3, 100, x => x.Log(), x => x.log()),
        new("sqrt", 0, 100, x => x.Sqrt(), x => x.sqrt()),
        new("sin", -10, 10, x => x.Sin(), x => x.sin()),
        new("tanh", -5, 5, x => x.Tanh(), x => x.tanh()),
        new("sigmoid", -10, 10, x => x.Sigmoid(), x => x.sigmoid()),
        new("log1p", -0.9, 10, x => x.Log1p(), x => x.log1p()),
        new("expm1", -5, 5, x => x.Expm1(), x => x.expm1()),
        new("cos", -10, 10, x => x.Cos(), x => x.cos()),
        new("tan", -1.5, 1.5, x => x.Tan(), x => x.tan()),
        new("softplus", -10, 10, x => x.Softplus(), x => TorchSharp.torch.nn.functional.softplus(x)),
    ];
}
