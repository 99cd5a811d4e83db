using FuncGrad;

namespace FuncGrad.Benchmarks;

// SUITE.md's cases written with FuncGrad's public API, as a user would write them.

public abstract class FuncGradWorkload : Workload
{
    public override string Impl => "funcgrad";
}

/// <summary>S1: y = x; 1,000 times y = sin(y)·1.0001 + 0.1; dy/dx by reverse mode.</summary>
public sealed class FgScalarChain : FuncGradWorkload
{
    public override string Case => "S1";
    public override string DType => "float64";
    public override int Batch => 4;
    private Tensor x = null!;

    public override void Setup() => x = Tensor.Scalar(0.5);

    public override double Run() => Autodiff.Grad(Chain, x).Item();

    internal static Tensor Chain(Tensor x)
    {
        var y = x;
        for (int i = 0; i < 1000; i++) y = y.Sin() * 1.0001 + 0.1;
        return y;
    }
}

/// <summary>S2/S3 (784-256-256-10, tanh, batch 128, cross-entropy) and S8 (2-16-16-1, tanh, batch 8, MSE): one SGD
/// step.</summary>
public sealed class FgMlpStep(string @case, DType dtype, bool forwardOnly = false) : FuncGradWorkload
{
    public override string Case => @case;
    public override string DType => dtype == FuncGrad.DType.Float32 ? "float32" : "float64";
    public override string? Variant => forwardOnly ? "forward" : null;
    public override int Batch => @case == "S8" ? 64 : 1;

    private bool Small => @case == "S8";
    internal Tensor[] ps = null!;     // W1, b1, W2, b2, W3, b3
    private Tensor x = null!;
    private Tensor target = null!;   // S8
    private int[] labels = null!;    // S2, S3
    internal const double Lr = 0.01;

    public override void Setup()
    {
        int[] sizes = Small ? [2, 16, 16, 1] : [784, 256, 256, 10];
        int batch = Small ? 8 : 128;
        var layers = Data.Mlp(sizes, 1);
        ps = new Tensor[6];
        for (int l = 0; l < 3; l++)
        {
            ps[2 * l] = Make(layers[l].W, [layers[l].In, layers[l].Out]);
            ps[2 * l + 1] = Make(layers[l].B, [layers[l].Out]);
        }
        x = Make(Data.Normal(batch * sizes[0], 100), [batch, sizes[0]]);
        if (Small) target = Make(Data.Normal(batch, 101), [batch, 1]);
        else labels = Data.Labels(batch, 10, 102);
    }

    private Tensor Make(double[] v, int[] shape) =>
        dtype == FuncGrad.DType.Float64 ? Tensor.FromArray(v, shape) : Tensor.FromArray(Data.ToFloat(v), shape);

    internal Tensor Loss(IReadOnlyList<Tensor> p)
    {
        var h1 = (x.MatMul(p[0]) + p[1]).Tanh();
        var h2 = (h1.MatMul(p[2]) + p[3]).Tanh();
        var output = h2.MatMul(p[4]) + p[5];
        return Small ? output.MseLoss(target) : output.CrossEntropy(labels);
    }

    public override double Run() => Run(null);

    /// <summary><see cref="Run()"/>, calling <paramref name="mark"/> after the forward pass, the backward pass and the
    /// update (ColdCases.cs splits a fresh process's first step so).</summary>
    internal double Run(Action<string>? mark)
    {
        if (forwardOnly) return Loss(ps).Item();
        (ps, var loss) = Step(ps, mark);
        return loss.Item();
    }

    /// <summary>One SGD step from <paramref name="p"/>: the new parameters and the loss before the step.</summary>
    internal (Tensor[] Params, Tensor Loss) Step(Tensor[] p, Action<string>? mark = null)
    {
        var vars = new Tensor[p.Length];
        for (int i = 0; i < p.Length; i++) vars[i] = p[i].RequiresGrad();
        var loss = Loss(vars);
        mark?.Invoke("forward");
        var grads = loss.Backward();
        mark?.Invoke("backward");
        var next = new Tensor[p.Length];
        for (int i = 0; i < p.Length; i++) next[i] = p[i] - grads[vars[i]] * Lr;
        mark?.Invoke("update");
        return (next, loss);
    }
}

/// <summary>S4: 1024×1024 @ 1024×1024 (and 256², the second target), forward only.</summary>
public sealed class FgGemm(DType dtype, int n) : FuncGradWorkload
{
    public override string Case => "S4";
    public override string DType => dtype == FuncGrad.DType.Float32 ? "float32" : "float64";
    public override string? Variant => n.ToString();
    public override double Flops => 2.0 * n * n * n;
    public override int Batch => n <= 256 ? 8 : 1;
    private Tensor a = null!, b = null!;

    public override void Setup()
    {
        a = Tensor.FromArray(Data.Normal(n * n, 1), [n, n]).ToDType(dtype);
        b = Tensor.FromArray(Data.Normal(n * n, 2), [n, n]).ToDType(dtype);
    }

    public override double Run() => a.MatMul(b).Count;
}

/// <summary>S5: Hessian-vector product of f(x) = sum(tanh(W x)), forward-over-reverse.</summary>
public sealed class FgHvp : FuncGradWorkload
{
    public override string Case => "S5";
    public override string DType => "float64";
    private Tensor w = null!, x = null!, v = null!;
    private Func<Tensor, Tensor> f = null!;

    public override void Setup()
    {
        w = Tensor.FromArray(Data.Normal(1000 * 1000, 1, 1.0 / Math.Sqrt(1000)), [1000, 1000]);
        x = Tensor.FromArray(Data.Normal(1000, 2));
        v = Tensor.FromArray(Data.Normal(1000, 3));
        f = x => w.MatMul(x).Tanh().Sum();
    }

    public override double Run() => Autodiff.Jvp(x => Autodiff.Grad(f, x), x, v).Tangent.AsSpan()[0];
}

/// <summary>
/// S6: the 100×100 Jacobian of g(x) = tanh(A x)·x. Column by column in forward mode (one JVP per
/// basis vector), or, as the "batched" variant, one forward pass over a batch that holds x in every
/// row with the identity as tangent (the vectorised Jacobian, written by hand; the "jacfwd" variant in
/// VmapCases.cs is the same pass through vmap).
/// </summary>
public sealed class FgJacobian(bool batched = false) : FuncGradWorkload
{
    public override string Case => "S6";
    public override string DType => "float64";
    public override string? Variant => batched ? "batched" : null;
    internal const int N = 100;
    internal Tensor a = null!, x = null!, eye = null!;
    internal Tensor[] basis = null!;

    public override void Setup()
    {
        a = Tensor.FromArray(Data.Normal(N * N, 1, 1.0 / Math.Sqrt(N)), [N, N]);
        x = Tensor.FromArray(Data.Normal(N, 2));
        basis = new Tensor[N];
        for (int j = 0; j < N; j++) { var e = new double[N]; e[j] = 1; basis[j] = Tensor.FromArray(e); }
        eye = Tensor.Eye(N);
    }

    internal Tensor G(Tensor x) => a.MatMul(x).Tanh() * x;

    /// <summary>The batched variant's Jacobian at <paramref name="x"/>.</summary>
    internal Tensor Batched(Tensor x)
    {
        // Row i of the batch is x with tangent e_i, so row i of the output tangent is J e_i: Jᵀ.
        var xs = x.Unsqueeze(0).BroadcastTo([N, N]);
        var jt = Autodiff.Jvp(xb => xb.MatMul(a.Transpose()).Tanh() * xb, xs, eye).Tangent;
        return jt.Transpose();
    }

    public override double Run()
    {
        if (batched) return Batched(x).AsSpan()[1];
        var j = new double[N * N];
        for (int c = 0; c < N; c++)
        {
            var col = Autodiff.Jvp(G, x, basis[c]).Tangent.AsSpan();
            for (int r = 0; r < N; r++) j[r * N + c] = col[r];
        }
        return Tensor.FromArray(j, [N, N]).AsSpan()[1];
    }
}

/// <summary>S7: 10⁵ (or 10⁶) alternating y·1.000001 and y + 1e-7 on a one-element tensor, then dy/dx.</summary>
public sealed class FgDeepChain(int ops) : FuncGradWorkload
{
    public override string Case => "S7";
    public override string DType => "float64";
    public override string? Variant => ops == 100_000 ? "1e5" : "1e6";
    public override int MaxSamples => ops >= 1_000_000 ? 3 : 20;
    private Tensor x = null!;

    public override void Setup() => x = Tensor.Scalar(1.0);

    public override double Run() => Autodiff.Grad(x => Chain(x, ops), x).Item();

    internal static Tensor Chain(Tensor x, int ops)
    {
        var y = x;
        for (int i = 0; i < ops; i++) y = (i & 1) == 0 ? y * 1.000001 : y + 1e-7;
        return y;
    }
}

/// <summary>
/// S4 diagnostic: FuncGrad's GEMM kernel alone (internal FuncGrad.Kernels.Gemm.Multiply, reached by
/// reflection once) into a preallocated output, as the OpenBLAS row runs. The difference to the
/// funcgrad row is what a fresh output tensor per product costs (allocation, zeroing, GC).
/// </summary>
public sealed class FgGemmKernel(bool f32, int n) : Workload
{
    public override string Case => "S4";
    public override string Impl => "funcgrad-kernel";
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => n.ToString();
    public override double Flops => 2.0 * n * n * n;
    public override int Batch => n <= 256 ? 8 : 1;
    private delegate void Gemm<T>(T[] a, int aOff, T[] b, int bOff, T[] c, int cOff, int m, int k, int n);
    private Gemm<float> sgemm = null!;
    private Gemm<double> dgemm = null!;
    private float[] af = null!, bf = null!, cf = null!;
    private double[] ad = null!, bd = null!, cd = null!;

    public override void Setup()
    {
        var multiply = typeof(Tensor).Assembly.GetType("FuncGrad.Kernels.Gemm")!
            .GetMethod("Multiply", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        sgemm = multiply.MakeGenericMethod(typeof(float)).CreateDelegate<Gemm<float>>();
        dgemm = multiply.MakeGenericMethod(typeof(double)).CreateDelegate<Gemm<double>>();
        ad = Data.Normal(n * n, 1); bd = Data.Normal(n * n, 2); cd = new double[n * n];
        af = Data.ToFloat(ad); bf = Data.ToFloat(bd); cf = new float[n * n];
    }

    public override double Run()
    {
        if (f32) { sgemm(af, 0, bf, 0, cf, 0, n, n, n); return cf[0]; }
        dgemm(ad, 0, bd, 0, cd, 0, n, n, n); return cd[0];
    }

    internal void Sgemm(float[] a, float[] b, float[] c, int m, int k, int n) => sgemm(a, 0, b, 0, c, 0, m, k, n);
    internal void Dgemm(double[] a, double[] b, double[] c, int m, int k, int n) => dgemm(a, 0, b, 0, c, 0, m, k, n);
}

/// <summary>
/// S4 diagnostic: the micro-kernel with its data in L1 and L2, on one core: a 96×256·256×64 product
/// (one k-panel, under the size that splits over threads; A packed per call, B read in place), to set
/// against one core's peak at the width in use.
/// </summary>
public sealed class FgMicroKernel(bool f32) : Workload
{
    private const int M = 96, K = 256, N = 64;
    public override string Case => "S4";
    public override string Impl => "funcgrad-kernel";
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => "l1";
    public override double Flops => 2.0 * M * K * N;
    public override int Batch => 64;
    private readonly FgGemmKernel calls = new(f32, 0);
    private float[] af = null!, bf = null!, cf = null!;
    private double[] ad = null!, bd = null!, cd = null!;

    public override void Setup()
    {
        calls.Setup();
        ad = Data.Normal(M * K, 1); bd = Data.Normal(K * N, 2); cd = new double[M * N];
        af = Data.ToFloat(ad); bf = Data.ToFloat(bd); cf = new float[M * N];
    }

    public override double Run()
    {
        if (f32) { calls.Sgemm(af, bf, cf, M, K, N); return cf[0]; }
        calls.Dgemm(ad, bd, cd, M, K, N); return cd[0];
    }
}
