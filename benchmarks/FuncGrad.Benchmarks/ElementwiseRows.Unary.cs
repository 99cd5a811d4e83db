namespace FuncGrad.Benchmarks;

// S20 rows for the one-argument ops that predate issue 23 (Ops/Unary.cs): the baseline the new families compare with.
public static partial class ElementwiseRows
{
    /// <summary>Exp, Log, Sqrt, Sin, Tanh, Sigmoid.</summary>
    public static IEnumerable<ElementwiseRow> Unary() =>
    [
        new("exp", -10, 10, x => x.Exp(), x => x.exp()),
        new("log", 1e-3, 100, x => x.Log(), x => x.log()),
        new("sqrt", 0, 100, x => x.Sqrt(), x => x.sqrt()),
        new("sin", -10, 10, x => x.Sin(), x => x.sin()),
        new("tanh", -5, 5, x => x.Tanh(), x => x.tanh()),
        new("sigmoid", -10, 10, x => x.Sigmoid(), x => x.sigmoid()),
    ];
}
