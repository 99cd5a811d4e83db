using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// The same cases written with TorchSharp-cpu 0.107.0 (LibTorch 2.10), on the same data. Every run
// sits in a dispose scope, which frees its native tensors at once, as a TorchSharp training loop should.

public abstract class TorchWorkload : Workload
{
    public override string Impl => "torchsharp";

    /// <summary>LibTorch on two threads, as the issue fixes it; called once per process.</summary>
    public static void Init()
    {
        if (initialised) return;
        initialised = true;
        torch.set_num_threads(2);
        torch.set_num_interop_threads(2); // LibTorch allows this once, before any parallel work
    }
    private static bool initialised;

    protected static TTensor Make(double[] v, long[] shape, ScalarType dtype) =>
        dtype == ScalarType.Float64
            ? torch.tensor(v, shape, ScalarType.Float64)
            : torch.tensor(Data.ToFloat(v), shape, ScalarType.Float32);
}

/// <summary>S1: y = x; 1,000 times y = sin(y)·1.0001 + 0.1; dy/dx by reverse mode.</summary>
public sealed class TsScalarChain : TorchWorkload
{
    public override string Case => "S1";
    public override string DType => "float64";
    private TTensor x = null!;

    public override void Setup() => x = torch.tensor(0.5, ScalarType.Float64).requires_grad_(true);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = x;
        for (int i = 0; i < 1000; i++) y = y.sin() * 1.0001 + 0.1;
        return torch.autograd.grad([y], [x])[0].ToDouble();
    }
}

/// <summary>S2/S3/S8: one SGD step of the MLP, the update by hand under no_grad.</summary>
public sealed class TsMlpStep(string @case, ScalarType dtype, bool forwardOnly = false) : TorchWorkload
{
    public override string Case => @case;
    public override string DType => dtype == ScalarType.Float32 ? "float32" : "float64";
    public override string? Variant => forwardOnly ? "forward" : null;
    public override int Batch => @case == "S8" ? 16 : 1;

    private bool Small => @case == "S8";
    private TTensor[] ps = null!;
    private TTensor x = null!, target = null!;
    private const double Lr = 0.01;

    public override void Setup()
    {
        int[] sizes = Small ? [2, 16, 16, 1] : [784, 256, 256, 10];
        int batch = Small ? 8 : 128;
        var layers = Data.Mlp(sizes, 1);
        ps = new TTensor[6];
        for (int l = 0; l < 3; l++)
        {
            ps[2 * l] = Make(layers[l].W, [layers[l].In, layers[l].Out], dtype).requires_grad_(true);
            ps[2 * l + 1] = Make(layers[l].B, [layers[l].Out], dtype).requires_grad_(true);
        }
        x = Make(Data.Normal(batch * sizes[0], 100), [batch, sizes[0]], dtype);
        target = Small
            ? Make(Data.Normal(batch, 101), [batch, 1], dtype)
            : torch.tensor(Array.ConvertAll(Data.Labels(batch, 10, 102), l => (long)l), [batch], ScalarType.Int64);
    }

    private TTensor Loss()
    {
        var h1 = torch.tanh(x.matmul(ps[0]) + ps[1]);
        var h2 = torch.tanh(h1.matmul(ps[2]) + ps[3]);
        var output = h2.matmul(ps[4]) + ps[5];
        return Small ? nn.functional.mse_loss(output, target) : nn.functional.cross_entropy(output, target);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (forwardOnly)
        {
            using (torch.no_grad()) return Loss().ToDouble();
        }
        var loss = Loss();
        loss.backward();
        using (torch.no_grad())
        {
            foreach (var p in ps)
            {
                p.sub_(p.grad! * Lr);
                p.grad = null; // zero_grad(set_to_none=True), PyTorch's default
            }
        }
        return loss.ToDouble();
    }
}

/// <summary>S4: n×n @ n×n, forward only.</summary>
public sealed class TsGemm(ScalarType dtype, int n) : TorchWorkload
{
    public override string Case => "S4";
    public override string DType => dtype == ScalarType.Float32 ? "float32" : "float64";
    public override string? Variant => n.ToString();
    public override double Flops => 2.0 * n * n * n;
    public override int Batch => n <= 256 ? 8 : 1;
    private TTensor a = null!, b = null!;

    public override void Setup()
    {
        a = Make(Data.Normal(n * n, 1), [n, n], dtype);
        b = Make(Data.Normal(n * n, 2), [n, n], dtype);
    }

    public override double Run()
    {
        using var c = a.matmul(b);
        return c.numel();
    }
}

/// <summary>S5: Hessian-vector product of f(x) = sum(tanh(W x)), reverse-over-reverse (TorchSharp has no forward
/// mode).</summary>
public sealed class TsHvp : TorchWorkload
{
    public override string Case => "S5";
    public override string DType => "float64";
    private TTensor w = null!, x = null!, v = null!;

    public override void Setup()
    {
        w = Make(Data.Normal(1000 * 1000, 1, 1.0 / Math.Sqrt(1000)), [1000, 1000], ScalarType.Float64);
        x = Make(Data.Normal(1000, 2), [1000], ScalarType.Float64).requires_grad_(true);
        v = Make(Data.Normal(1000, 3), [1000], ScalarType.Float64);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.tanh(w.matmul(x)).sum();
        // create_graph needs retain_graph too in TorchSharp, or the second derivative fails.
        var g = torch.autograd.grad([y], [x], retain_graph: true, create_graph: true)[0];
        var hv = torch.autograd.grad([g], [x], grad_outputs: [v])[0];
        return hv[0].ToDouble();
    }
}

/// <summary>S6: the 100×100 Jacobian of g(x) = tanh(A x)·x, by autograd.functional.jacobian or, as a variant, a
/// loop of 100 VJPs.</summary>
public sealed class TsJacobian(bool gradLoop = false) : TorchWorkload
{
    public override string Case => "S6";
    public override string DType => "float64";
    public override string? Variant => gradLoop ? "grad-loop" : null;
    private const int N = 100;
    private TTensor a = null!, x = null!;
    private TTensor[] basis = null!;

    public override void Setup()
    {
        a = Make(Data.Normal(N * N, 1, 1.0 / Math.Sqrt(N)), [N, N], ScalarType.Float64);
        x = Make(Data.Normal(N, 2), [N], ScalarType.Float64);
        basis = new TTensor[N];
        for (int j = 0; j < N; j++)
        {
            var e = new double[N];
            e[j] = 1;
            basis[j] = torch.tensor(e, [N], ScalarType.Float64);
        }
    }

    private TTensor G(TTensor x) => torch.tanh(a.matmul(x)) * x;

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (!gradLoop) return torch.autograd.functional.jacobian(G, x)[0, 1].ToDouble();
        var xv = x.detach().requires_grad_(true);
        var y = G(xv);
        var rows = new TTensor[N];
        for (int i = 0; i < N; i++)
            rows[i] = torch.autograd.grad([y], [xv], grad_outputs: [basis[i]], retain_graph: true)[0];
        return torch.stack(rows)[0, 1].ToDouble();
    }
}

/// <summary>S7: 10⁵ or 10⁶ alternating y·1.000001 and y + 1e-7 on a one-element tensor, then dy/dx.</summary>
public sealed class TsDeepChain(int ops) : TorchWorkload
{
    public override string Case => "S7";
    public override string DType => "float64";
    public override string? Variant => ops == 100_000 ? "1e5" : "1e6";
    public override int MaxSamples => ops >= 1_000_000 ? 1 : 5;
    private TTensor x = null!;

    public override void Setup() => x = torch.tensor(1.0, ScalarType.Float64).requires_grad_(true);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var y = x;
        for (int i = 0; i < ops; i++) y = (i & 1) == 0 ? y * 1.000001 : y + 1e-7;
        return torch.autograd.grad([y], [x])[0].ToDouble();
    }
}
