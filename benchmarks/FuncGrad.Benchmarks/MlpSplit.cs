using System.Diagnostics;
using TorchSharp;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

/// <summary>
/// S2's forward pass op by op (issue 27, item 4): <c>--mlp-split funcgrad|torchsharp|kernel [float32|float64]</c>
/// times each product, bias add, tanh and the cross-entropy of the 784-256-256-10 MLP at batch 128 on its own, on S2's
/// data, and prints the median and minimum µs of each (and a product's GFLOP/s); "kernel" times FuncGrad's products
/// alone, on one core and on all. The ops run round-robin, one call of each in turn, so that a change in the machine's
/// load shows in all of them alike. One side per process, as in quick mode.
/// </summary>
public static class MlpSplit
{
    // SPLIT_ROUNDS sets the rounds (default 1,000, after a quarter as many of warm-up); SPLIT_ONLY keeps the ops whose
    // name contains it.
    private static readonly int Rounds =
        int.TryParse(Environment.GetEnvironmentVariable("SPLIT_ROUNDS"), out var r) ? r : 1000, Warm = Rounds / 4;

    /// <summary>Runs the split for one side and prints it.</summary>
    public static int Run(string impl, string dtype)
    {
        bool f32 = dtype != "float64";
        var ops = impl == "torchsharp" ? Torch(f32) : impl == "kernel" ? Kernels(f32) : FuncGradOps(f32);
        if (Environment.GetEnvironmentVariable("SPLIT_ONLY") is string only)
            ops = ops.Where(o => o.Name.Contains(only)).ToList();
        var times = ops.Select(_ => new List<double>()).ToArray();
        double tick = 1e6 / Stopwatch.Frequency;
        for (int r = 0; r < Warm + Rounds; r++)
            for (int i = 0; i < ops.Count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                ops[i].Run();
                long t1 = Stopwatch.GetTimestamp();
                if (r >= Warm) times[i].Add((t1 - t0) * tick);
            }
        Console.WriteLine($"{impl} {dtype}, {Environment.ProcessorCount} cores, load {Isa.LoadAverage()}");
        double total = 0;
        for (int i = 0; i < ops.Count; i++)
        {
            times[i].Sort();
            double med = times[i][times[i].Count / 2], min = times[i][0];
            if (ops[i].InForward) total += med;
            string gf = ops[i].Flops > 0 ? $"{ops[i].Flops / med / 1e3,8:F1} GFLOP/s" : "";
            Console.WriteLine($"  {ops[i].Name,-34} median {med,9:F2} µs  min {min,9:F2} µs {gf}");
        }
        Console.WriteLine($"  {"sum of the forward's ops",-34} median {total,9:F2} µs");
        return 0;
    }

    private sealed record Op(string Name, Action Run, double Flops = 0, bool InForward = true);

    private static List<Op> FuncGradOps(bool f32)
    {
        var dt = f32 ? DType.Float32 : DType.Float64;
        var layers = Data.Mlp([784, 256, 256, 10], 1);
        Tensor T(double[] v, int[] shape) => Tensor.FromArray(v, shape).ToDType(dt);
        var w1 = T(layers[0].W, [784, 256]); var b1 = T(layers[0].B, [256]);
        var w2 = T(layers[1].W, [256, 256]); var b2 = T(layers[1].B, [256]);
        var w3 = T(layers[2].W, [256, 10]); var b3 = T(layers[2].B, [10]);
        var x = T(Data.Normal(128 * 784, 100), [128, 784]);
        var labels = Data.Labels(128, 10, 102);
        var h1 = (x.MatMul(w1) + b1).Tanh();
        var h2 = (h1.MatMul(w2) + b2).Tanh();
        var z1 = x.MatMul(w1);
        var o = h2.MatMul(w3) + b3;
        var ops = new List<Op>
        {
            new("x·W1 128×784·784×256", () => x.MatMul(w1), 2.0 * 128 * 784 * 256),
            new("+ b1 [128,256]", () => { _ = z1 + b1; }),
            new("tanh [128,256]", () => z1.Tanh()),
            new("h1·W2 128×256·256×256", () => h1.MatMul(w2), 2.0 * 128 * 256 * 256),
            new("+ b2 [128,256]", () => { _ = z1 + b2; }),
            new("tanh [128,256] (2)", () => z1.Tanh()),
            new("h2·W3 128×256·256×10", () => h2.MatMul(w3), 2.0 * 128 * 256 * 10),
            new("+ b3 [128,10]", () => { _ = o + b3; }),
            new("cross-entropy [128,10]", () => o.CrossEntropy(labels)),
            new("whole forward", () => Forward(x, w1, b1, w2, b2, w3, b3, labels).Item(), InForward: false),
        };
        // The kernel alone, into preallocated buffers (the internal Gemm.Multiply, by reflection).
        var multiply = typeof(Tensor).Assembly.GetType("FuncGrad.Kernels.Gemm")!
            .GetMethod("Multiply", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        foreach (var (m, k, n) in new[] { (128, 784, 256), (128, 256, 256), (128, 256, 10) })
        {
            if (f32)
            {
                var g = multiply.MakeGenericMethod(typeof(float)).CreateDelegate<Gemm<float>>();
                var a = Data.ToFloat(Data.Normal(m * k, 1)); var b = Data.ToFloat(Data.Normal(k * n, 2));
                var c = new float[m * n];
                ops.Add(new($"kernel {m}×{k}·{k}×{n}", () => g(a, 0, b, 0, c, 0, m, k, n), 2.0 * m * k * n, false));
            }
            else
            {
                var g = multiply.MakeGenericMethod(typeof(double)).CreateDelegate<Gemm<double>>();
                var a = Data.Normal(m * k, 1); var b = Data.Normal(k * n, 2);
                var c = new double[m * n];
                ops.Add(new($"kernel {m}×{k}·{k}×{n}", () => g(a, 0, b, 0, c, 0, m, k, n), 2.0 * m * k * n, false));
            }
        }
        return ops;
    }

    private static List<Op> Kernels(bool f32)
    {
        var ops = new List<Op>();
        var gemm = typeof(Tensor).Assembly.GetType("FuncGrad.Kernels.Gemm")!;
        const System.Reflection.BindingFlags Internal =
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        // The kernel on one core (parallel: false) beside the same product on both, into preallocated buffers.
        var strided = gemm.GetMethod("Strided", Internal)!.MakeGenericMethod(f32 ? typeof(float) : typeof(double));
        var width = gemm.Assembly.GetType("FuncGrad.Kernels.Simd")!.GetField("ForGemm", Internal)!.GetValue(null)!;
        foreach (var (m, k, n) in new[] { (128, 784, 256), (128, 256, 256), (128, 256, 10), (256, 256, 256) })
            foreach (bool par in new[] { true, false })
            {
                Array a = f32 ? Data.ToFloat(Data.Normal(m * k, 1)) : Data.Normal(m * k, 1);
                Array b = f32 ? Data.ToFloat(Data.Normal(k * n, 2)) : Data.Normal(k * n, 2);
                Array c = f32 ? new float[m * n] : new double[m * n];
                var args = new object?[] { width, a, 0, k, 1, b, 0, n, 1, c, 0, m, k, n, par, null, 0 };
                ops.Add(new($"kernel {m}×{k}·{k}×{n} {(par ? "2 cores" : "1 core")}",
                    () => strided.Invoke(null, args), 2.0 * m * k * n, false));
            }
        return ops;
    }

    private delegate void Gemm<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n);

    private static Tensor Forward(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
        int[] labels)
    {
        var h1 = (x.MatMul(w1) + b1).Tanh();
        var h2 = (h1.MatMul(w2) + b2).Tanh();
        return (h2.MatMul(w3) + b3).CrossEntropy(labels);
    }

    private static List<Op> Torch(bool f32)
    {
        TorchWorkload.Init();
        var dt = f32 ? torch.ScalarType.Float32 : torch.ScalarType.Float64;
        var layers = Data.Mlp([784, 256, 256, 10], 1);
        TTensor T(double[] v, long[] shape) => torch.tensor(v, shape, torch.ScalarType.Float64).to_type(dt);
        var w1 = T(layers[0].W, [784, 256]); var b1 = T(layers[0].B, [256]);
        var w2 = T(layers[1].W, [256, 256]); var b2 = T(layers[1].B, [256]);
        var w3 = T(layers[2].W, [256, 10]); var b3 = T(layers[2].B, [10]);
        var x = T(Data.Normal(128 * 784, 100), [128, 784]);
        var labels = torch.tensor(Array.ConvertAll(Data.Labels(128, 10, 102), l => (long)l), [128],
            torch.ScalarType.Int64);
        var w1t = w1.t().contiguous(); var w2t = w2.t().contiguous(); var w3t = w3.t().contiguous();
        torch.set_grad_enabled(false);
        var h1 = torch.tanh(x.matmul(w1) + b1);
        var h2 = torch.tanh(h1.matmul(w2) + b2);
        var z1 = x.matmul(w1);
        var o = h2.matmul(w3) + b3;
        void D(Func<TTensor> f) { using var r = f(); }
        return
        [
            new("x·W1 128×784·784×256", () => D(() => x.matmul(w1)), 2.0 * 128 * 784 * 256),
            new("+ b1 [128,256]", () => D(() => z1 + b1)),
            new("tanh [128,256]", () => D(() => torch.tanh(z1))),
            new("h1·W2 128×256·256×256", () => D(() => h1.matmul(w2)), 2.0 * 128 * 256 * 256),
            new("+ b2 [128,256]", () => D(() => z1 + b2)),
            new("tanh [128,256] (2)", () => D(() => torch.tanh(z1))),
            new("h2·W3 128×256·256×10", () => D(() => h2.matmul(w3)), 2.0 * 128 * 256 * 10),
            new("+ b3 [128,10]", () => D(() => o + b3)),
            new("cross-entropy [128,10]", () => D(() => torch.nn.functional.cross_entropy(o, labels))),
            new("whole forward", () =>
            {
                using var scope = torch.NewDisposeScope();
                var a1 = torch.tanh(x.matmul(w1) + b1);
                var a2 = torch.tanh(a1.matmul(w2) + b2);
                torch.nn.functional.cross_entropy(a2.matmul(w3) + b3, labels).ToDouble();
            }, InForward: false),
            new("addmm(b1, x, W1)", () => D(() => torch.addmm(b1, x, w1, 1, 1)), 2.0 * 128 * 784 * 256, false),
            new("addmm(b2, h1, W2)", () => D(() => torch.addmm(b2, h1, w2, 1, 1)), 2.0 * 128 * 256 * 256, false),
            new("addmm(b3, h2, W3)", () => D(() => torch.addmm(b3, h2, w3, 1, 1)), 2.0 * 128 * 256 * 10, false),
            new("linear(x, W1ᵀ, b1)", () => D(() => torch.nn.functional.linear(x, w1t, b1)), 2.0 * 128 * 784 * 256,
                false),
            new("whole forward, addmm", () =>
            {
                using var scope = torch.NewDisposeScope();
                var a1 = torch.tanh(torch.addmm(b1, x, w1, 1, 1));
                var a2 = torch.tanh(torch.addmm(b2, a1, w2, 1, 1));
                torch.nn.functional.cross_entropy(torch.addmm(b3, a2, w3, 1, 1), labels).ToDouble();
            }, InForward: false),
        ];
    }
}
