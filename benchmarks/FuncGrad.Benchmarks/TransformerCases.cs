using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S17: one training step of a pre-norm transformer block, float32: x [8, 256, 256] (batch, sequence, width), 4 heads
// of 64; y = x + attn(layer_norm(x)) with a causal mask, out = y + MLP(layer_norm(y)) with GELU (exact) and hidden
// 1,024; loss = mean(out²); forward, backward and an AdamW step (lr 1e-3, β = (0.9, 0.999), ε = 1e-8, weight decay
// 0.1) over the twelve parameters. Weights are [in, out] (x·W + b), normal with standard deviation 1/√in; biases
// zero, layer norms the identity. Both sides start from the same numbers and take the same steps, so their
// parameters stay equal to rounding while the timer runs.

/// <summary>S17's sizes, data and initial parameters, shared by both implementations.</summary>
internal static class TransformerBlock
{
    public const int Batch = 8, Sequence = 256, Width = 256, Heads = 4, Hidden = 1024;
    public const double Lr = 1e-3, Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8, WeightDecay = 0.1;

    /// <summary>The twelve parameters in order: layer norm 1 (weight, bias), Wqkv, bqkv, Wo, bo, layer norm 2,
    /// W1, b1, W2, b2.</summary>
    public static readonly int[][] Shapes =
    [
        [Width], [Width], [Width, 3 * Width], [3 * Width], [Width, Width], [Width],
        [Width], [Width], [Width, Hidden], [Hidden], [Hidden, Width], [Width],
    ];

    /// <summary>Indices of the layer norms' weights, which start at one.</summary>
    private static readonly int[] Ones = [0, 6];

    public static double[][] Parameters() =>
        Shapes.Select((s, i) => s.Length == 2
            ? Data.Normal(s[0] * s[1], 1700 + i, 1.0 / Math.Sqrt(s[0]))
            : Enumerable.Repeat(Ones.Contains(i) ? 1.0 : 0.0, s[0]).ToArray()).ToArray();

    public static double[] Input() => Data.Normal(Batch * Sequence * Width, 1799);
}

/// <summary>S17 with FuncGrad: LayerNorm, the fused ScaledDotProductAttention (causal) and exact Gelu, reverse mode,
/// and AdamW written with tensor ops (PyTorch's update equations; the F# Optim.adamW is the same maths).</summary>
public sealed class FgTransformerStep : FuncGradWorkload
{
    public override string Case => "S17";
    public override string DType => "float32";
    public override int MaxSamples => 50;
    private Tensor[] ps = null!, m = null!, v = null!;
    private Tensor x = null!;
    private int step;

    public override void Setup()
    {
        ps = TransformerBlock.Parameters()
            .Select((p, i) => Tensor.FromArray(Data.ToFloat(p), TransformerBlock.Shapes[i])).ToArray();
        m = ps.Select(Tensor.ZerosLike).ToArray();
        v = ps.Select(Tensor.ZerosLike).ToArray();
        x = Tensor.FromArray(Data.ToFloat(TransformerBlock.Input()),
            [TransformerBlock.Batch, TransformerBlock.Sequence, TransformerBlock.Width]);
    }

    private static Tensor LayerNorm(Tensor h, Tensor weight, Tensor bias) =>
        h.LayerNorm([TransformerBlock.Width], weight, bias);

    private Tensor Attention(Tensor h, Tensor[] p)
    {
        const int b = TransformerBlock.Batch, t = TransformerBlock.Sequence, d = TransformerBlock.Width;
        const int heads = TransformerBlock.Heads, dh = d / heads;
        var qkv = h.MatMul(p[2]) + p[3];
        Tensor Split(int i) => qkv.Slice(2, i * d, (i + 1) * d).Reshape([b, t, heads, dh]).Transpose(1, 2);
        var joined = Split(0).ScaledDotProductAttention(Split(1), Split(2), isCausal: true)
            .Transpose(1, 2).Reshape([b, t, d]);
        return joined.MatMul(p[4]) + p[5];
    }

    private Tensor Loss(Tensor[] p)
    {
        var y = x + Attention(LayerNorm(x, p[0], p[1]), p);
        var mlp = (LayerNorm(y, p[6], p[7]).MatMul(p[8]) + p[9]).Gelu().MatMul(p[10]) + p[11];
        var output = y + mlp;
        return (output * output).Mean();
    }

    public override double Run()
    {
        var vars = ps.Select(p => p.RequiresGrad()).ToArray();
        var loss = Loss(vars);
        var grads = loss.Backward();
        step++;
        double c1 = 1 - Math.Pow(TransformerBlock.Beta1, step), c2 = 1 - Math.Pow(TransformerBlock.Beta2, step);
        const double lr = TransformerBlock.Lr, b1 = TransformerBlock.Beta1, b2 = TransformerBlock.Beta2;
        for (int i = 0; i < ps.Length; i++)
        {
            var g = grads[vars[i]];
            m[i] = m[i] * b1 + g * (1 - b1);
            v[i] = v[i] * b2 + g * g * (1 - b2);
            // PyTorch's AdamW: decay first (p·(1 − lr·λ)), then the Adam step with bias-corrected moments.
            ps[i] = ps[i] * (1 - lr * TransformerBlock.WeightDecay)
                - m[i] * (lr / c1) / ((v[i] * (1 / c2)).Sqrt() + TransformerBlock.Eps);
        }
        return loss.Item();
    }
}

/// <summary>S17 with TorchSharp: torch.nn.functional's layer_norm, scaled_dot_product_attention (causal) and gelu,
/// autograd, and torch.optim.AdamW.</summary>
public sealed class TsTransformerStep : TorchWorkload
{
    public override string Case => "S17";
    public override string DType => "float32";
    public override int MaxSamples => 50;
    private TorchSharp.Modules.Parameter[] ps = null!;
    private TTensor x = null!;
    private optim.Optimizer adamW = null!;

    public override void Setup()
    {
        ps = TransformerBlock.Parameters()
            .Select((p, i) => new TorchSharp.Modules.Parameter(
                Make(p, TransformerBlock.Shapes[i].Select(d => (long)d).ToArray(), ScalarType.Float32)))
            .ToArray();
        x = Make(TransformerBlock.Input(),
            [TransformerBlock.Batch, TransformerBlock.Sequence, TransformerBlock.Width], ScalarType.Float32);
        adamW = optim.AdamW(ps, TransformerBlock.Lr, TransformerBlock.Beta1, TransformerBlock.Beta2,
            TransformerBlock.Eps, TransformerBlock.WeightDecay);
    }

    private TTensor Loss()
    {
        const long b = TransformerBlock.Batch, t = TransformerBlock.Sequence, d = TransformerBlock.Width;
        const long heads = TransformerBlock.Heads, dh = d / heads;
        long[] shape = [d];
        var h = nn.functional.layer_norm(x, shape, ps[0], ps[1]);
        var qkv = h.matmul(ps[2]) + ps[3];
        TTensor Split(int i) => qkv.narrow(2, i * d, d).reshape(b, t, heads, dh).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Split(0), Split(1), Split(2), is_casual: true);
        var y = x + attended.transpose(1, 2).reshape(b, t, d).matmul(ps[4]) + ps[5];
        var hidden = nn.functional.gelu(nn.functional.layer_norm(y, shape, ps[6], ps[7]).matmul(ps[8]) + ps[9]);
        var output = y + hidden.matmul(ps[10]) + ps[11];
        return (output * output).mean();
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        adamW.zero_grad();
        var loss = Loss();
        loss.backward();
        adamW.step();
        return loss.ToDouble();
    }
}
