using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S21: float32 einsum, forward: the attention scores "bhqd,bhkd->bhqk" of two 4 × 8 × 256 × 64 operands, and the
// three-operand chain "ij,jk,kl->il" of 512 × 64, 64 × 512 and 512 × 64. Both read back one element of the result.

internal static class EinsumCase
{
    internal static readonly (string Variant, string Equation, int[][] Shapes)[] All =
    [
        ("attention", "bhqd,bhkd->bhqk", [[4, 8, 256, 64], [4, 8, 256, 64]]),
        ("chain", "ij,jk,kl->il", [[512, 64], [64, 512], [512, 64]]),
    ];

    internal static (string Equation, int[][] Shapes) Of(string variant) =>
        All.Where(c => c.Variant == variant).Select(c => (c.Equation, c.Shapes)).Single();

    internal static double[] Values(int[] shape, int operand) =>
        Data.Normal(shape.Aggregate(1, (n, d) => n * d), 2101 + operand);
}

/// <summary>S21 with FuncGrad: <c>Tensor.Einsum</c>.</summary>
public sealed class FgEinsum(string variant) : FuncGradWorkload
{
    public override string Case => "S21";
    public override string DType => "float32";
    public override string? Variant => variant;
    private string equation = "";
    private Tensor[] operands = [];

    public override void Setup()
    {
        var (eq, shapes) = EinsumCase.Of(variant);
        equation = eq;
        operands = shapes.Select((s, i) => Tensor.FromArray(Data.ToFloat(EinsumCase.Values(s, i)), s)).ToArray();
    }

    public override double Run()
    {
        var y = Tensor.Einsum(equation, operands);
        return y[new int[y.Rank]].Item();
    }
}

/// <summary>S21 with TorchSharp: <c>torch.einsum</c>.</summary>
public sealed class TsEinsum(string variant) : TorchWorkload
{
    public override string Case => "S21";
    public override string DType => "float32";
    public override string? Variant => variant;
    private string equation = "";
    private TTensor[] operands = [];

    public override void Setup()
    {
        var (eq, shapes) = EinsumCase.Of(variant);
        equation = eq;
        operands = shapes.Select((s, i) =>
            Make(EinsumCase.Values(s, i), s.Select(d => (long)d).ToArray(), ScalarType.Float32)).ToArray();
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.einsum(equation, operands);
        return y[new long[y.dim()]].ToDouble();
    }
}
