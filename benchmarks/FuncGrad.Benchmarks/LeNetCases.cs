using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S15, a LeNet-5 training step, FuncGrad and TorchSharp on the same data: batch 64 of 1×28×28 (random, fixed seed),
// conv 5×5 → 6 (padding 2), relu, max-pool 2, conv 5×5 → 16, relu, max-pool 2, flatten 400, linear 120, relu,
// linear 84, relu, linear 10, cross-entropy with random labels; forward, backward and SGD (lr 0.01) by hand.
// Convolutions and linear layers have biases (zero at the start); weights are normal, scaled by 1/√fan-in. The
// linear weights are [in, out] (x·W + b), as in S2.

/// <summary>S15's data and initial parameters, shared by both implementations.</summary>
internal static class LeNet
{
    public const int Batch = 64;
    public const double Lr = 0.01;

    /// <summary>Shapes of the ten parameters in order: conv1 weight and bias, conv2, then the three linear layers.
    /// </summary>
    public static readonly int[][] Shapes =
    [
        [6, 1, 5, 5], [6], [16, 6, 5, 5], [16], [400, 120], [120], [120, 84], [84], [84, 10], [10],
    ];

    /// <summary>Parameter values: weights normal with standard deviation 1/√fan-in, biases zero.</summary>
    public static double[][] Parameters()
    {
        var values = new double[Shapes.Length][];
        for (int i = 0; i < Shapes.Length; i++)
        {
            var s = Shapes[i];
            int count = s.Aggregate(1, (a, b) => a * b);
            // Conv weights [out, in, kh, kw] fan in over in·kh·kw, linear weights [in, out] over in.
            int fanIn = s.Length == 4 ? s[1] * s[2] * s[3] : s[0];
            values[i] = s.Length == 1 ? new double[count] : Data.Normal(count, 10 + i, 1.0 / Math.Sqrt(fanIn));
        }
        return values;
    }

    public static double[] Images() => Data.Normal(Batch * 28 * 28, 100);

    public static int[] Labels() => Data.Labels(Batch, 10, 101);
}

/// <summary>S15/float32 and S15/float64 with FuncGrad.</summary>
public sealed class FgLeNetStep(DType dtype) : FuncGradWorkload
{
    public override string Case => "S15";
    public override string DType => dtype == FuncGrad.DType.Float32 ? "float32" : "float64";
    public override string? Variant => DType;
    private Tensor[] ps = null!;
    private Tensor x = null!;
    private int[] labels = null!;

    public override void Setup()
    {
        var values = LeNet.Parameters();
        ps = new Tensor[values.Length];
        for (int i = 0; i < ps.Length; i++) ps[i] = Make(values[i], LeNet.Shapes[i]);
        x = Make(LeNet.Images(), [LeNet.Batch, 1, 28, 28]);
        labels = LeNet.Labels();
    }

    private Tensor Make(double[] v, int[] shape) =>
        dtype == FuncGrad.DType.Float64 ? Tensor.FromArray(v, shape) : Tensor.FromArray(Data.ToFloat(v), shape);

    private Tensor Loss(Tensor[] p)
    {
        var a1 = x.Conv2d(p[0], p[1], padding: [2]).Relu().MaxPool2d([2]);
        var a2 = a1.Conv2d(p[2], p[3]).Relu().MaxPool2d([2]);
        var flat = a2.Reshape([LeNet.Batch, 400]);
        var h1 = (flat.MatMul(p[4]) + p[5]).Relu();
        var h2 = (h1.MatMul(p[6]) + p[7]).Relu();
        return (h2.MatMul(p[8]) + p[9]).CrossEntropy(labels);
    }

    public override double Run()
    {
        var vars = new Tensor[ps.Length];
        for (int i = 0; i < ps.Length; i++) vars[i] = ps[i].RequiresGrad();
        var loss = Loss(vars);
        var grads = loss.Backward();
        var next = new Tensor[ps.Length];
        for (int i = 0; i < ps.Length; i++) next[i] = ps[i] - grads[vars[i]] * LeNet.Lr;
        ps = next;
        return loss.Item();
    }
}

/// <summary>S15/float32 and S15/float64 with TorchSharp's autograd, the update by hand under no_grad.</summary>
public sealed class TsLeNetStep(ScalarType dtype) : TorchWorkload
{
    public override string Case => "S15";
    public override string DType => dtype == ScalarType.Float32 ? "float32" : "float64";
    public override string? Variant => DType;
    private TTensor[] ps = null!;
    private TTensor x = null!, target = null!;

    public override void Setup()
    {
        var values = LeNet.Parameters();
        ps = new TTensor[values.Length];
        for (int i = 0; i < ps.Length; i++)
            ps[i] = Make(values[i], Array.ConvertAll(LeNet.Shapes[i], d => (long)d), dtype).requires_grad_(true);
        x = Make(LeNet.Images(), [LeNet.Batch, 1, 28, 28], dtype);
        target = torch.tensor(Array.ConvertAll(LeNet.Labels(), l => (long)l), [LeNet.Batch], ScalarType.Int64);
    }

    private TTensor Loss()
    {
        var a1 = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(x, ps[0], ps[1], padding: [2])),
            [2]);
        var a2 = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(a1, ps[2], ps[3])), [2]);
        var flat = a2.reshape(LeNet.Batch, 400);
        var h1 = nn.functional.relu(flat.matmul(ps[4]) + ps[5]);
        var h2 = nn.functional.relu(h1.matmul(ps[6]) + ps[7]);
        return nn.functional.cross_entropy(h2.matmul(ps[8]) + ps[9], target);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        var loss = Loss();
        loss.backward();
        using (torch.no_grad())
        {
            foreach (var p in ps)
            {
                p.sub_(p.grad! * LeNet.Lr);
                p.grad = null; // zero_grad(set_to_none=True), PyTorch's default
            }
        }
        return loss.ToDouble();
    }
}
