using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S11 factorisations (cholesky, solve with 16 right-hand sides, slogdet; float64 SPD A = B·Bᵀ + n·I, B standard normal,
// n = 256 and 1,024) and S13 batched small (10,000 SPD 4×4 A = B·Bᵀ + 4·I; Σ logdet A through cholesky, 2·Σ log diag L,
// value and gradient with respect to B). A is built once, outside the timing; each run reads back one number.

internal static class LinalgCase
{
    internal const int Rhs = 16, SmallCount = 10_000, Small = 4;

    /// <summary>A = B·Bᵀ + n·I, row-major, in float64, from a fixed seed.</summary>
    internal static double[] Spd(int n)
    {
        var b = Data.Normal(n * n, 1101 + n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p < n; p++) s += b[i * n + p] * b[j * n + p];
                a[i * n + j] = a[j * n + i] = s + (i == j ? n : 0);
            }
        return a;
    }

    internal static double[] Rhs16(int n) => Data.Normal(n * Rhs, 1102 + n);
    internal static double[] SmallB() => Data.Normal(SmallCount * Small * Small, 1301);

    /// <summary>Floating-point operations as the issue counts them: n³/3 for Cholesky, 2n³/3 for LU (plus the
    /// triangular solves of the right-hand sides).</summary>
    internal static double Flops(string op, int n) => op switch
    {
        "cholesky" => n * (double)n * n / 3,
        "solve" => 2 * n * (double)n * n / 3 + 2.0 * n * n * Rhs,
        _ => 2 * n * (double)n * n / 3,
    };
}

/// <summary>S11 with FuncGrad: Linalg.Cholesky, Solve (16 right-hand sides) or Slogdet of A.</summary>
public sealed class FgFactorisation(string op, int n) : FuncGradWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"{op}/{n}";
    public override double Flops => LinalgCase.Flops(op, n);
    public override int MaxSamples => n >= 1024 ? 30 : 100;
    private Tensor a = null!, b = null!;

    public override void Setup()
    {
        a = Tensor.FromArray(LinalgCase.Spd(n), [n, n]);
        b = Tensor.FromArray(LinalgCase.Rhs16(n), [n, LinalgCase.Rhs]);
    }

    public override double Run() => op switch
    {
        "cholesky" => Linalg.Cholesky(a)[n - 1, n - 1].Item(),
        "solve" => Linalg.Solve(a, b)[n - 1, 0].Item(),
        _ => Linalg.Slogdet(a).LogAbsDet.Item(),
    };
}

/// <summary>S11 with TorchSharp: torch.linalg.cholesky, solve and slogdet.</summary>
public sealed class TsFactorisation(string op, int n) : TorchWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"{op}/{n}";
    public override double Flops => LinalgCase.Flops(op, n);
    public override int MaxSamples => n >= 1024 ? 30 : 100;
    private TTensor a = null!, b = null!;

    public override void Setup()
    {
        a = Make(LinalgCase.Spd(n), [n, n], ScalarType.Float64);
        b = Make(LinalgCase.Rhs16(n), [n, LinalgCase.Rhs], ScalarType.Float64);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        return op switch
        {
            "cholesky" => linalg.cholesky(a)[n - 1, n - 1].ToDouble(),
            "solve" => linalg.solve(a, b)[n - 1, 0].ToDouble(),
            _ => linalg.slogdet(a).Item2.ToDouble(),
        };
    }
}

/// <summary>S13 with FuncGrad: Σ logdet(B·Bᵀ + 4·I) over 10,000 4×4 matrices through Cholesky, and its gradient
/// with respect to B.</summary>
public sealed class FgBatchedSmall : FuncGradWorkload
{
    public override string Case => "S13";
    public override string DType => "float64";
    private Tensor b = null!, eye = null!;

    public override void Setup()
    {
        const int n = LinalgCase.Small;
        b = Tensor.FromArray(LinalgCase.SmallB(), [LinalgCase.SmallCount, n, n]);
        eye = Tensor.Eye(n);
    }

    private Tensor Loss(Tensor x)
    {
        var a = x.MatMul(x.Transpose(-2, -1)) + eye * LinalgCase.Small;
        var l = Linalg.Cholesky(a);
        return (l * eye).Sum([-1]).Log().Sum() * 2.0;
    }

    public override double Run() => Autodiff.Grad(Loss, b)[0, 0, 0].Item();
}

/// <summary>S13 with TorchSharp: the same loss through torch.linalg.cholesky, and its gradient by autograd.</summary>
public sealed class TsBatchedSmall : TorchWorkload
{
    public override string Case => "S13";
    public override string DType => "float64";
    private TTensor b = null!, eye = null!;

    public override void Setup()
    {
        const int n = LinalgCase.Small;
        b = Make(LinalgCase.SmallB(), [LinalgCase.SmallCount, n, n], ScalarType.Float64).requires_grad_(true);
        eye = torch.eye(n, dtype: ScalarType.Float64);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var a = b.matmul(b.transpose(-2, -1)) + eye * LinalgCase.Small;
        var l = linalg.cholesky(a);
        var loss = l.diagonal(0, -2, -1).log().sum() * 2.0;
        return torch.autograd.grad([loss], [b])[0][0, 0, 0].ToDouble();
    }
}
