using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S14's scan row, FuncGrad and TorchSharp on the same data: cumsum of a [1,024 × 1,024] float32 along axis 1, forward
// alone, and forward + backward of the sum of the output times a fixed random cotangent.

/// <summary>S14/cumsum (forward and backward) and S14/cumsum/forward.</summary>
public sealed class FgCumsum(bool forwardOnly) : FuncGradWorkload
{
    private const int N = 1024;
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => forwardOnly ? "cumsum/forward" : "cumsum";
    private Tensor x = null!, cotangent = null!;

    public override void Setup()
    {
        x = Tensor.FromArray(Data.ToFloat(Data.Normal(N * N, 1)), [N, N]);
        cotangent = Tensor.FromArray(Data.ToFloat(Data.Normal(N * N, 2)), [N, N]);
    }

    public override double Run() => forwardOnly
        ? x.Cumsum(1).Count
        : Autodiff.Grad(t => (t.Cumsum(1) * cotangent).Sum(), x).Count;
}

/// <summary>S14/cumsum with TorchSharp's autograd.</summary>
public sealed class TsCumsum(bool forwardOnly) : TorchWorkload
{
    private const int N = 1024;
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => forwardOnly ? "cumsum/forward" : "cumsum";
    private TTensor x = null!, cotangent = null!;

    public override void Setup()
    {
        x = Make(Data.Normal(N * N, 1), [N, N], ScalarType.Float32).requires_grad_(!forwardOnly);
        cotangent = Make(Data.Normal(N * N, 2), [N, N], ScalarType.Float32);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (forwardOnly)
        {
            using var noGrad = torch.no_grad();
            return x.cumsum(1).numel();
        }
        var loss = (x.cumsum(1) * cotangent).sum();
        return torch.autograd.grad([loss], [x])[0].numel();
    }
}
