using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// Random draws from keys (not a SUITE.md case; "keys/<variant>"): float32, 2^20 elements. "normal" and "uniform" draw
// from a fresh key each run (FuncGrad: RandomKeys; TorchSharp: torch.randn / torch.rand on its default generator);
// "dropout" is F.dropout with p = 0.1 in training, forward. Each reads back one element.

internal static class RandomCase
{
    internal static readonly string[] Variants = ["normal", "uniform", "dropout"];
    internal const int Count = 1 << 20;
}

/// <summary>Random draws with FuncGrad: <c>RandomKeys</c> and <c>Tensor.Dropout</c>.</summary>
public sealed class FgRandom(string variant) : FuncGradWorkload
{
    public override string Case => "keys";
    public override string DType => "float32";
    public override string? Variant => variant;
    private Tensor x = Tensor.Scalar(0);
    private long step;

    public override void Setup() =>
        x = Tensor.FromArray(Data.ToFloat(Data.Normal(RandomCase.Count, 2401)), [RandomCase.Count]);

    public override double Run()
    {
        var key = RandomKeys.Fold(RandomKeys.Key(0), step++);
        var y = variant switch
        {
            "normal" => RandomKeys.Normal(key, [RandomCase.Count], FuncGrad.DType.Float32),
            "uniform" => RandomKeys.Uniform(key, [RandomCase.Count], dtype: FuncGrad.DType.Float32),
            _ => x.Dropout(key, 0.1),
        };
        return y[[0]].Item();
    }
}

/// <summary>Random draws with TorchSharp: <c>torch.randn</c>, <c>torch.rand</c>, <c>F.dropout</c>.</summary>
public sealed class TsRandom(string variant) : TorchWorkload
{
    public override string Case => "keys";
    public override string DType => "float32";
    public override string? Variant => variant;
    private TTensor x = torch.zeros(1);

    public override void Setup() =>
        x = Make(Data.Normal(RandomCase.Count, 2401), [RandomCase.Count], ScalarType.Float32);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = variant switch
        {
            "normal" => torch.randn(RandomCase.Count, ScalarType.Float32),
            "uniform" => torch.rand(RandomCase.Count, ScalarType.Float32),
            _ => torch.nn.functional.dropout(x, 0.1, true),
        };
        return y[0].ToDouble();
    }
}
