using FuncGrad;

namespace FuncGrad.Benchmarks;

// The cases vmap is judged on (SUITE.md S6, S9, S10). TorchSharp has no vmap: S9 and S10 compare FuncGrad's
// batched form with its own loop of single gradients.

/// <summary>S6 through <see cref="Autodiff.JacFwd"/>, which pushes all 100 basis vectors in one vmapped pass.</summary>
public sealed class FgJacobianVmap : FuncGradWorkload
{
    public override string Case => "S6";
    public override string DType => "float64";
    public override string? Variant => "jacfwd";
    private const int N = 100;
    private Tensor a = null!;
    internal Tensor x = null!;

    public override void Setup()
    {
        a = Tensor.FromArray(Data.Normal(N * N, 1, 1.0 / Math.Sqrt(N)), [N, N]);
        x = Tensor.FromArray(Data.Normal(N, 2));
    }

    public override double Run() => Jacobian(x).AsSpan()[1];

    internal Tensor Jacobian(Tensor x) => Autodiff.JacFwd(x => a.MatMul(x).Tanh() * x, x);
}

/// <summary>
/// S9: per-example gradients of S2's float32 MLP (784-256-256-10, tanh, cross-entropy) over its 128 examples, with
/// respect to all six parameters: 128 gradients, not their mean. "funcgrad" is one vmapped pass
/// (<see cref="Autodiff.VmapMany"/>, C#'s form of <c>vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) ps) (xs,
/// ys)</c>);
/// "funcgrad-loop" is 128 separate gradients of the same per-example loss.
/// </summary>
public sealed class FgPerExampleGrads(bool loop) : FuncGradWorkload
{
    public override string Case => "S9";
    public override string Impl => loop ? "funcgrad-loop" : "funcgrad";
    public override string DType => "float32";
    private const int Examples = 128;
    private Tensor[] ps = null!;     // W1, b1, W2, b2, W3, b3
    private Tensor xs = null!, ys = null!;
    private Tensor[] x = null!, y = null!;
    private readonly Tensor one = Tensor.Scalar(1.0, FuncGrad.DType.Float32);

    public override void Setup()
    {
        var layers = Data.Mlp([784, 256, 256, 10], 1);
        ps = new Tensor[6];
        for (int l = 0; l < 3; l++)
        {
            ps[2 * l] = Tensor.FromArray(Data.ToFloat(layers[l].W), [layers[l].In, layers[l].Out]);
            ps[2 * l + 1] = Tensor.FromArray(Data.ToFloat(layers[l].B), [layers[l].Out]);
        }
        xs = Tensor.FromArray(Data.ToFloat(Data.Normal(Examples * 784, 100)), [Examples, 784]);
        ys = Tensor.FromArray(Array.ConvertAll(Data.Labels(Examples, 10, 102), l => (float)l));
        x = new Tensor[Examples];
        y = new Tensor[Examples];
        for (int i = 0; i < Examples; i++) { x[i] = xs.Slice(0, i, i + 1).Squeeze(0); y[i] = ys.Slice(0, i, i + 1); }
    }

    /// <summary>The loss of one example: x [784], label y [1].</summary>
    private static Tensor Loss(IReadOnlyList<Tensor> p, Tensor x, Tensor y)
    {
        var h1 = (x.MatMul(p[0]) + p[1]).Tanh();
        var h2 = (h1.MatMul(p[2]) + p[3]).Tanh();
        var output = h2.MatMul(p[4]) + p[5];
        return output.Unsqueeze(0).CrossEntropy(y.Reshape([1]));
    }

    private Tensor[] Gradients(Tensor x, Tensor y) => Autodiff.Vjp(p => Loss(p, x, y), ps).Pullback(one);

    public override double Run()
    {
        if (!loop)
        {
            var g = Autodiff.VmapMany(a => Gradients(a[0], a[1]), [xs, ys], [0, 0]);
            return g[0].Count + g[5].AsFloatSpan()[^1];
        }
        double check = 0;
        for (int i = 0; i < Examples; i++) check += Gradients(x[i], y[i])[5].AsFloatSpan()[^1];
        return check;
    }
}

/// <summary>
/// S10: the derivative of S1's scalar chain (1,000 times y = sin(y)·1.0001 + 0.1) at 10,000 points spread over
/// [-2, 2], float64. "funcgrad" is <c>vmap (grad chain)</c> over all 10,000; "funcgrad-loop" times separate
/// <c>grad</c> calls at the first 100 points only (variant "100-points"): its time ×100 is the loop's figure for
/// 10,000, an extrapolation. The "hand-batched" variant is the same derivative written by hand for a vector of
/// 10,000 points (the gradient of the sum of the chain, elementwise), the floor vmap is measured against.
/// </summary>
public sealed class FgManyPoints(bool loop, bool handBatched = false) : FuncGradWorkload
{
    public override string Case => "S10";
    public override string Impl => loop ? "funcgrad-loop" : "funcgrad";
    public override string DType => "float64";
    public override string? Variant => loop ? "100-points" : handBatched ? "hand-batched" : null;
    private const int Points = 10_000, LoopPoints = 100;
    private Tensor xs = null!;
    private Tensor[] points = null!;

    public override void Setup()
    {
        xs = Tensor.Linspace(-2, 2, Points);
        points = new Tensor[LoopPoints];
        for (int i = 0; i < LoopPoints; i++) points[i] = xs.Slice(0, i, i + 1).Squeeze(0);
    }

    private static Tensor Chain(Tensor x)
    {
        var y = x;
        for (int i = 0; i < 1000; i++) y = y.Sin() * 1.0001 + 0.1;
        return y;
    }

    public override double Run()
    {
        if (handBatched) return Autodiff.Grad(x => Chain(x).Sum(), xs).AsSpan()[^1];
        if (!loop) return Autodiff.Vmap(x => Autodiff.Grad(Chain, x), xs).AsSpan()[^1];
        double check = 0;
        foreach (var p in points) check += Autodiff.Grad(Chain, p).Item();
        return check;
    }
}
