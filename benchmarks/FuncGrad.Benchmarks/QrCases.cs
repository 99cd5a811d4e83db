using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// QR of an n×n float64 standard normal matrix, n = 256 and 1,024, and of 10,000 4×4 ones, reduced mode (Q and R
// both formed): beside S11's factorisations, not one of SUITE.md's rows. Both read back one number, the magnitude of
// R's last element (its sign differs between the libraries).

internal static class QrCase
{
    /// <summary>Batched: 10,000 matrices of 4×4 (n = 4 means the batch, as S13's many small matrices).</summary>
    internal const int Batch = 10_000;
    internal static long[] Shape(int n) => n == 4 ? [Batch, 4, 4] : [n, n];
    internal static double[] A(int n) => Data.Normal(n == 4 ? Batch * 16 : n * n, 2101);
    internal static string Variant(int n) => n == 4 ? "qr/10000x4x4" : $"qr/{n}";
}

/// <summary>QR with FuncGrad: <c>Linalg.Qr(a)</c>.</summary>
public sealed class FgQr(int n) : FuncGradWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => QrCase.Variant(n);
    private Tensor a = null!;

    public override void Setup() => a = Tensor.FromArray(QrCase.A(n), Array.ConvertAll(QrCase.Shape(n), d => (int)d));

    public override double Run()
    {
        var (q, r) = Linalg.Qr(a);
        GC.KeepAlive(q);
        return Math.Abs(r.Reshape([-1])[^1].Item());
    }
}

/// <summary>QR with TorchSharp: <c>torch.linalg.qr(a)</c>.</summary>
public sealed class TsQr(int n) : TorchWorkload
{
    public override string Case => "S11";
    public override string DType => "float64";
    public override string? Variant => QrCase.Variant(n);
    private TTensor a = null!;

    public override void Setup() => a = Make(QrCase.A(n), QrCase.Shape(n), ScalarType.Float64);

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var (_, r) = linalg.qr(a);
        return Math.Abs(r.reshape(-1)[-1].ToDouble());
    }
}
