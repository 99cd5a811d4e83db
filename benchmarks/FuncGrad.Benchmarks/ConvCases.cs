using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S16, a ResNet basic block without batch norm, FuncGrad and TorchSharp on the same data: x of 8 × 64 × 56 × 56,
// y = relu(conv3×3(relu(conv3×3(x, W1, padding 1)), W2, padding 1) + x), forward and backward of sum(y) ("block");
// the 3×3 convolution's forward alone ("conv", with its GFLOP/s), and the matrix product of the same size as that
// convolution, [64 × 576]·[576 × 25,088] ("gemm"), so the convolution's speed reads against the GEMM it is built on.
// float32 as SUITE.md gives it, float64 too.
internal static class ConvCase
{
    internal const int N = 8, C = 64, H = 56, W = 56, K = 3;
    internal static double ConvFlops => 2.0 * N * C * H * W * C * K * K;
    internal static string Variant(string part, bool f64) => f64 ? $"{part}/float64" : part;
}

/// <summary>S16/block, S16/conv and S16/gemm with FuncGrad.</summary>
public sealed class FgResnetBlock(string part, bool f64) : FuncGradWorkload
{
    public override string Case => "S16";
    public override string DType => f64 ? "float64" : "float32";
    public override string? Variant => ConvCase.Variant(part, f64);
    public override double Flops => part == "block" ? 0 : ConvCase.ConvFlops;
    public override int MaxSamples => 30;
    private Tensor x = null!, w1 = null!, w2 = null!, a = null!, b = null!;

    private Tensor Make(double[] v, int[] shape)
    {
        var t = Tensor.FromArray(v, shape);
        return f64 ? t : t.ToDType(FuncGrad.DType.Float32);
    }

    public override void Setup()
    {
        const int N = ConvCase.N, C = ConvCase.C, H = ConvCase.H, W = ConvCase.W, K = ConvCase.K;
        double scale = Math.Sqrt(2.0 / (C * K * K));
        x = Make(Data.Normal(N * C * H * W, 1), [N, C, H, W]);
        w1 = Make(Data.Normal(C * C * K * K, 2, scale), [C, C, K, K]);
        w2 = Make(Data.Normal(C * C * K * K, 3, scale), [C, C, K, K]);
        if (part == "gemm")
        {
            a = Make(Data.Normal(C * C * K * K, 4), [C, C * K * K]);
            b = Make(Data.Normal(C * K * K * N * H * W, 5), [C * K * K, N * H * W]);
        }
    }

    private Tensor Block(Tensor x, Tensor w1, Tensor w2) =>
        (x.Conv2d(w1, padding: [1]).Relu().Conv2d(w2, padding: [1]) + x).Relu();

    public override double Run() => part switch
    {
        "conv" => x.Conv2d(w1, padding: [1]).Count,
        "gemm" => a.MatMul(b).Count,
        _ => Gradients(),
    };

    private double Gradients()
    {
        var (_, pullback) = Autodiff.Vjp(ps => Block(ps[0], ps[1], ps[2]).Sum(), [x, w1, w2]);
        return pullback(Tensor.Scalar(1.0, x.DType)).Sum(g => g.Count);
    }
}

/// <summary>S16/block, S16/conv and S16/gemm with TorchSharp's autograd (LibTorch with oneDNN).</summary>
public sealed class TsResnetBlock(string part, bool f64) : TorchWorkload
{
    public override string Case => "S16";
    public override string DType => f64 ? "float64" : "float32";
    public override string? Variant => ConvCase.Variant(part, f64);
    public override double Flops => part == "block" ? 0 : ConvCase.ConvFlops;
    public override int MaxSamples => 30;
    private TTensor x = null!, w1 = null!, w2 = null!, a = null!, b = null!;

    public override void Setup()
    {
        const int N = ConvCase.N, C = ConvCase.C, H = ConvCase.H, W = ConvCase.W, K = ConvCase.K;
        var t = f64 ? ScalarType.Float64 : ScalarType.Float32;
        double scale = Math.Sqrt(2.0 / (C * K * K));
        bool grad = part == "block";
        x = Make(Data.Normal(N * C * H * W, 1), [N, C, H, W], t).requires_grad_(grad);
        w1 = Make(Data.Normal(C * C * K * K, 2, scale), [C, C, K, K], t).requires_grad_(grad);
        w2 = Make(Data.Normal(C * C * K * K, 3, scale), [C, C, K, K], t).requires_grad_(grad);
        if (part == "gemm")
        {
            a = Make(Data.Normal(C * C * K * K, 4), [C, C * K * K], t);
            b = Make(Data.Normal(C * K * K * N * H * W, 5), [C * K * K, N * H * W], t);
        }
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (part != "block")
        {
            using var noGrad = torch.no_grad();
            return part == "conv"
                ? nn.functional.conv2d(x, w1, padding: [1, 1]).numel()
                : a.matmul(b).numel();
        }
        var h = nn.functional.relu(nn.functional.conv2d(x, w1, padding: [1, 1]));
        var y = nn.functional.relu(nn.functional.conv2d(h, w2, padding: [1, 1]) + x);
        var g = torch.autograd.grad([y.sum()], [x, w1, w2]);
        return g.Sum(e => e.numel());
    }
}
