using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S22's layer norm row (issue 24): float32 x of 8·256 rows × 256 (a transformer's activations, batch 8, sequence 256,
// width 256) with a weight and a bias of 256, normalised over the last axis; forward alone, and forward + backward of
// the sum of the output times a fixed random cotangent, to x, the weight and the bias. Both read back one number.

internal static class NormCase
{
    internal const int Rows = 8 * 256, Width = 256;
    internal static double[] X() => Data.Normal(Rows * Width, 2401);
    internal static double[] Weight() => Data.Normal(Width, 2402);
    internal static double[] Bias() => Data.Normal(Width, 2403);
    internal static double[] Cotangent() => Data.Normal(Rows * Width, 2404);
    internal static string Variant(bool backward) => backward ? "layerNorm/backward" : "layerNorm/forward";
}

/// <summary>S22 layer norm with FuncGrad: <c>x.LayerNorm([256], w, b)</c>, and its gradients by reverse mode.</summary>
public sealed class FgLayerNorm(bool backward) : FuncGradWorkload
{
    public override string Case => "S22";
    public override string DType => "float32";
    public override string? Variant => NormCase.Variant(backward);
    private Tensor x = null!, w = null!, b = null!, cotangent = null!;

    public override void Setup()
    {
        x = Tensor.FromArray(Data.ToFloat(NormCase.X()), [NormCase.Rows, NormCase.Width]);
        w = Tensor.FromArray(Data.ToFloat(NormCase.Weight()), [NormCase.Width]);
        b = Tensor.FromArray(Data.ToFloat(NormCase.Bias()), [NormCase.Width]);
        cotangent = Tensor.FromArray(Data.ToFloat(NormCase.Cotangent()), [NormCase.Rows, NormCase.Width]);
    }

    public override double Run()
    {
        if (!backward) return x.LayerNorm([NormCase.Width], w, b)[0, 0].Item();
        var (_, pullback) = Autodiff.Vjp(ps => ps[0].LayerNorm([NormCase.Width], ps[1], ps[2]), [x, w, b]);
        var g = pullback(cotangent);
        return g[0][0, 0].Item() + g[1][0].Item() + g[2][0].Item();
    }
}

/// <summary>S22 layer norm with TorchSharp: <c>nn.functional.layer_norm</c>, and its gradients by autograd.</summary>
public sealed class TsLayerNorm(bool backward) : TorchWorkload
{
    public override string Case => "S22";
    public override string DType => "float32";
    public override string? Variant => NormCase.Variant(backward);
    private TTensor x = null!, w = null!, b = null!, cotangent = null!;

    public override void Setup()
    {
        x = Make(NormCase.X(), [NormCase.Rows, NormCase.Width], ScalarType.Float32).requires_grad_(backward);
        w = Make(NormCase.Weight(), [NormCase.Width], ScalarType.Float32).requires_grad_(backward);
        b = Make(NormCase.Bias(), [NormCase.Width], ScalarType.Float32).requires_grad_(backward);
        cotangent = Make(NormCase.Cotangent(), [NormCase.Rows, NormCase.Width], ScalarType.Float32);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = nn.functional.layer_norm(x, [NormCase.Width], w, b);
        if (!backward) return y[0, 0].ToDouble();
        var g = torch.autograd.grad([y], [x, w, b], [cotangent]);
        return g[0][0, 0].ToDouble() + g[1][0].ToDouble() + g[2][0].ToDouble();
    }
}
