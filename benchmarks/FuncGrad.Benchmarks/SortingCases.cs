using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S14's sorting row: top-k, k = 10 of a [1,024 × 1,024] float32 along axis 1; forward alone, and forward + backward
// of the sum of the values times a fixed random cotangent. Both read back one number: the values' sum, or one element
// of the gradient.

internal static class TopkCase
{
    internal const int Rows = 1024, Cols = 1024, K = 10;
    internal static double[] X() => Data.Normal(Rows * Cols, 1401);
    internal static double[] Cotangent() => Data.Normal(Rows * K, 1402);
    internal static string Variant(bool backward) => backward ? "topk/backward" : "topk/forward";
}

/// <summary>S14 top-k with FuncGrad: <c>x.Topk(10, 1)</c>, and its gradient by reverse mode.</summary>
public sealed class FgTopk(bool backward) : FuncGradWorkload
{
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => TopkCase.Variant(backward);
    private Tensor x = null!, cotangent = null!;

    public override void Setup()
    {
        x = Tensor.FromArray(Data.ToFloat(TopkCase.X()), [TopkCase.Rows, TopkCase.Cols]);
        cotangent = Tensor.FromArray(Data.ToFloat(TopkCase.Cotangent()), [TopkCase.Rows, TopkCase.K]);
    }

    private Tensor Loss(Tensor t) => (t.Topk(TopkCase.K, 1).Values * cotangent).Sum();

    public override double Run() => backward
        ? Autodiff.Grad(Loss, x)[0, 0].Item()
        : x.Topk(TopkCase.K, 1).Values.Sum().Item();
}

/// <summary>S14 top-k with TorchSharp: <c>x.topk(10, 1)</c>, and its gradient by autograd.</summary>
public sealed class TsTopk(bool backward) : TorchWorkload
{
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => TopkCase.Variant(backward);
    private TTensor x = null!, cotangent = null!;

    public override void Setup()
    {
        x = Make(TopkCase.X(), [TopkCase.Rows, TopkCase.Cols], ScalarType.Float32).requires_grad_(backward);
        cotangent = Make(TopkCase.Cotangent(), [TopkCase.Rows, TopkCase.K], ScalarType.Float32);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var (values, _) = x.topk(TopkCase.K, 1, true, true);
        if (!backward) return values.sum().ToDouble();
        var loss = (values * cotangent).sum();
        return torch.autograd.grad([loss], [x])[0][0, 0].ToDouble();
    }
}
