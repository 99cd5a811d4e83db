using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S11's eigen and singular value rows, float64: eigh of A = B·Bᵀ + n·I (B standard normal, fixed seed) at n = 256 and
// 512; svd of B at 256 × 256 and of a 512 × 256 matrix, reduced. Each reads back one number: the first eigenvalue
// (or singular value) plus the magnitude of the first vector's first element, so the vectors are computed.

internal static class SpectralCase
{
    internal static double[] B(int m, int n) => Data.Normal(m * n, 1100 + m + n);

    /// <summary>B·Bᵀ + n·I, formed in plain loops.</summary>
    internal static double[] Spd(int n)
    {
        var b = B(n, n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
                a[i * n + j] = s;
            }
        return a;
    }
}

/// <summary>S11 eigh with FuncGrad: <c>Linalg.Eigh(a)</c>.</summary>
public sealed class FgEigh(int n) : FuncGradWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"eigh/{n}";
    private Tensor a = null!;

    public override void Setup() => a = Tensor.FromArray(SpectralCase.Spd(n), [n, n]);

    public override double Run()
    {
        var (w, v) = Linalg.Eigh(a);
        return w[0].Item() + Math.Abs(v[0, 0].Item());
    }
}

/// <summary>S11 eigh with TorchSharp: <c>torch.linalg.eigh(a)</c>.</summary>
public sealed class TsEigh(int n) : TorchWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"eigh/{n}";
    private TTensor a = null!;

    public override void Setup() => a = Make(SpectralCase.Spd(n), [n, n], ScalarType.Float64);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var (w, v) = torch.linalg.eigh(a);
        return w[0].ToDouble() + Math.Abs(v[0, 0].ToDouble());
    }
}

/// <summary>S11 svd with FuncGrad: <c>Linalg.Svd(b, fullMatrices: false)</c>.</summary>
public sealed class FgSvd(int m, int n) : FuncGradWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"svd/{m}x{n}";
    private Tensor b = null!;

    public override void Setup() => b = Tensor.FromArray(SpectralCase.B(m, n), [m, n]);

    public override double Run()
    {
        var (u, s, _) = Linalg.Svd(b, fullMatrices: false);
        return s[0].Item() + Math.Abs(u[0, 0].Item());
    }
}

/// <summary>S11 svd with TorchSharp: <c>torch.linalg.svd(b, fullMatrices: false)</c>.</summary>
public sealed class TsSvd(int m, int n) : TorchWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => $"svd/{m}x{n}";
    private TTensor b = null!;

    public override void Setup() => b = Make(SpectralCase.B(m, n), [m, n], ScalarType.Float64);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var (u, s, _) = torch.linalg.svd(b, false);
        return s[0].ToDouble() + Math.Abs(u[0, 0].ToDouble());
    }
}
