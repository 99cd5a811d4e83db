using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S18: float32 scaled dot-product attention of q, k, v of 4 × 8 heads × 1,024 × 64, causal, scale 1/8 (= 1/√64, the
// default on both sides): the forward pass ("forward"), and the forward and backward of sum(output) with respect to
// q, k and v ("backward"). Peak memory is the quick mode's (each side in its own process); the L×S score matrices
// alone would be 4·8·1024·1024·4 B = 128 MiB. "backward-unfused" (FuncGrad only) is the same gradient through the
// composition matmul, causal mask, softmax, matmul, for the memory and time the fused kernels save.
internal static class AttentionCase
{
    internal const int B = 4, H = 8, L = 1024, E = 64;
    internal static readonly int[] Shape = [B, H, L, E];
    internal static readonly string[] Variants = ["forward", "backward"];
    internal static double[] Values(int operand) => Data.Normal(B * H * L * E, 1801 + operand);
}

/// <summary>S18 with FuncGrad: <c>ScaledDotProductAttention</c> (the fused kernels).</summary>
public sealed class FgAttention(string variant) : FuncGradWorkload
{
    public override string Case => "S18";
    public override string DType => "float32";
    public override string? Variant => variant;
    public override int MaxSamples => 30;
    private Tensor[] qkv = [];

    public override void Setup()
    {
        qkv = Enumerable.Range(0, 3)
            .Select(i => Tensor.FromArray(Data.ToFloat(AttentionCase.Values(i)), AttentionCase.Shape)).ToArray();
        const int L = AttentionCase.L;
        var mask = new float[L * L];
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++) mask[i * L + j] = float.NegativeInfinity;
        causal = Tensor.FromArray(mask, [L, L]);
    }

    private Tensor causal = null!;

    private Tensor Attend(IReadOnlyList<Tensor> x)
    {
        if (variant != "backward-unfused")
            return x[0].ScaledDotProductAttention(x[1], x[2], isCausal: true, scale: 0.125);
        var scores = x[0].MatMul(x[1].Transpose(-2, -1)) * 0.125 + causal;
        return scores.Softmax(-1).MatMul(x[2]);
    }

    public override double Run()
    {
        if (variant == "forward") return Attend(qkv)[0, 0, 0, 0].Item();
        var (_, pullback) = Autodiff.Vjp(x => Attend(x).Sum(), qkv);
        return pullback(Tensor.Scalar(1.0, FuncGrad.DType.Float32)).Sum(g => g.Count);
    }
}

/// <summary>S18 with TorchSharp: <c>torch.nn.functional.scaled_dot_product_attention</c>.</summary>
public sealed class TsAttention(string variant) : TorchWorkload
{
    public override string Case => "S18";
    public override string DType => "float32";
    public override string? Variant => variant;
    public override int MaxSamples => 30;
    private TTensor[] qkv = [];

    public override void Setup()
    {
        var shape = AttentionCase.Shape.Select(d => (long)d).ToArray();
        qkv = Enumerable.Range(0, 3).Select(i => Make(AttentionCase.Values(i), shape, ScalarType.Float32)
            .requires_grad_(variant == "backward")).ToArray();
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (variant == "forward")
        {
            using var noGrad = torch.no_grad();
            return nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], null, 0.0, true)[0, 0, 0, 0]
                .ToDouble();
        }
        var y = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], null, 0.0, true);
        var g = torch.autograd.grad([y.sum()], qkv);
        return g.Sum(e => e.numel());
    }
}
