using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S12: the negative log marginal likelihood of an exact GP and its gradient with respect to the three hyperparameters
// and the inputs. n = 1,000 points in 3-D and targets, standard normal, float64; K = sf²·exp(−‖xᵢ − xⱼ‖² / (2·ls²)) +
// (sn² + 1e-6)·I at ls 0.8, sf 1.2, sn 0.3; NLML = ½·yᵀK⁻¹y + Σ log diag(chol K). Both sides form the squared
// distances as |xᵢ|² + |xⱼ|² − 2·xᵢ·xⱼ (one matrix product), solve with the Cholesky factor, and read back the value
// plus one element of each gradient.

internal static class GpCase
{
    internal const int N = 1000, D = 3;
    internal const double Ls = 0.8, Sf = 1.2, Sn = 0.3, Jitter = 1e-6;
    internal static double[] X() => Data.Normal(N * D, 1201);
    internal static double[] Y() => Data.Normal(N, 1202);
}

/// <summary>S12 with FuncGrad: Linalg.Cholesky and Linalg.CholeskySolve, gradients by reverse mode.</summary>
public sealed class FgGpLikelihood : FuncGradWorkload
{
    public override string Case => "S12";
    public override string DType => "float64";
    public override int MaxSamples => 40;
    private Tensor x = null!, y = null!, hyper = null!;

    public override void Setup()
    {
        x = Tensor.FromArray(GpCase.X(), [GpCase.N, GpCase.D]);
        y = Tensor.FromArray(GpCase.Y(), [GpCase.N, 1]);
        hyper = Tensor.FromArray([GpCase.Ls, GpCase.Sf, GpCase.Sn]);
    }

    private Tensor Nlml(Tensor h, Tensor xs)
    {
        Tensor ls = h[0], sf = h[1], sn = h[2];
        var sq = (xs * xs).Sum([1], keepDims: true);
        var d2 = sq + sq.Transpose() - 2.0 * xs.MatMul(xs.Transpose());
        var k = sf * sf * (-d2 / (2.0 * ls * ls)).Exp() + (sn * sn + GpCase.Jitter) * Tensor.Eye(GpCase.N);
        var l = Linalg.Cholesky(k);
        var alpha = Linalg.CholeskySolve(y, l);
        return 0.5 * (y * alpha).Sum() + Linalg.Diagonal(l).Log().Sum();
    }

    public override double Run()
    {
        Tensor h = hyper.RequiresGrad(), xs = x.RequiresGrad();
        var value = Nlml(h, xs);
        var grads = Autodiff.Grad([value], [h, xs]);
        return value.Item() + grads[0]![0].Item() + grads[1]![0, 0].Item();
    }
}

/// <summary>S12 with TorchSharp: torch.linalg.cholesky and torch.cholesky_solve, gradients by autograd.</summary>
public sealed class TsGpLikelihood : TorchWorkload
{
    public override string Case => "S12";
    public override string DType => "float64";
    public override int MaxSamples => 40;
    private TTensor x = null!, y = null!, hyper = null!, eye = null!;

    public override void Setup()
    {
        x = Make(GpCase.X(), [GpCase.N, GpCase.D], ScalarType.Float64).requires_grad_(true);
        y = Make(GpCase.Y(), [GpCase.N, 1], ScalarType.Float64);
        hyper = Make([GpCase.Ls, GpCase.Sf, GpCase.Sn], [3], ScalarType.Float64).requires_grad_(true);
        eye = torch.eye(GpCase.N, dtype: ScalarType.Float64);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        TTensor ls = hyper[0], sf = hyper[1], sn = hyper[2];
        var sq = (x * x).sum(1, keepdim: true);
        var d2 = sq + sq.t() - 2.0 * x.matmul(x.t());
        var k = sf * sf * (-d2 / (2.0 * ls * ls)).exp() + (sn * sn + GpCase.Jitter) * eye;
        var l = torch.linalg.cholesky(k);
        var alpha = torch.cholesky_solve(y, l);
        var nlml = 0.5 * (y * alpha).sum() + l.diagonal(0, -2, -1).log().sum();
        var g = torch.autograd.grad([nlml], [hyper, x]);
        return nlml.ToDouble() + g[0][0].ToDouble() + g[1][0, 0].ToDouble();
    }
}
