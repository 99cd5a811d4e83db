using FuncGrad.Kernels;
using FuncGrad.Kernels.Elementary;
using FuncGrad.Kernels.Special;
using System.Numerics.Tensors;

namespace FuncGrad.Benchmarks;

/// <summary>
/// Issue 27's vector math against TensorPrimitives (System.Numerics.Tensors 11), kernel against kernel: one span of n
/// values in, one out, on one thread, at the widest width the runtime accelerates (run the benchmark with
/// DOTNET_EnableAVX2=0 for 128-bit vectors, DOTNET_EnableHWIntrinsic=0 for scalar code).
/// Keys VM/&lt;fn&gt;/&lt;dtype&gt;/&lt;n&gt;.
/// </summary>
public static class VectorMathCases
{
    /// <summary>Name, argument range, FuncGrad's kernel, TensorPrimitives' (null where it has none).</summary>
    private static readonly (string Name, double Lo, double Hi, Kernel Ours, Kernel? Theirs)[] Functions =
    [
        ("exp", -10, 10, new(Formula<ExpF>.Run, Formula<ExpF>.Run), new(TensorPrimitives.Exp, TensorPrimitives.Exp)),
        ("log", 1e-3, 100, new(Formula<LogF>.Run, Formula<LogF>.Run), new(TensorPrimitives.Log, TensorPrimitives.Log)),
        ("log1p", -0.9, 10, new(Formula<Log1pF>.Run, Formula<Log1pF>.Run),
            new(TensorPrimitives.LogP1, TensorPrimitives.LogP1)),
        ("expm1", -5, 5, new(Formula<Expm1F>.Run, Formula<Expm1F>.Run),
            new(TensorPrimitives.ExpM1, TensorPrimitives.ExpM1)),
        ("tanh", -5, 5, new(Formula<TanhF>.Run, Formula<TanhF>.Run), new(TensorPrimitives.Tanh, TensorPrimitives.Tanh)),
        ("sigmoid", -10, 10, new(Formula<SigmoidF>.Run, Formula<SigmoidF>.Run),
            new(TensorPrimitives.Sigmoid, TensorPrimitives.Sigmoid)),
        ("softplus", -10, 10, new(Formula<SoftplusF>.Run, Formula<SoftplusF>.Run), null),
        ("sin", -10, 10, new(TrigKernel<SinF>.Run, TrigKernel<SinF>.Run),
            new(TensorPrimitives.Sin, TensorPrimitives.Sin)),
        ("cos", -10, 10, new(TrigKernel<CosF>.Run, TrigKernel<CosF>.Run),
            new(TensorPrimitives.Cos, TensorPrimitives.Cos)),
        ("tan", -1.5, 1.5, new(TrigKernel<TanF>.Run, TrigKernel<TanF>.Run),
            new(TensorPrimitives.Tan, TensorPrimitives.Tan)),
    ];

    /// <summary>Entries for Program.Registry.</summary>
    public static IEnumerable<(string Key, string Impl, Func<Workload> Make)> Registry()
    {
        foreach (var (name, lo, hi, ours, theirs) in Functions)
            foreach (bool f32 in new[] { false, true })
                foreach (int n in new[] { 256, 4096 })
                {
                    string variant = $"{name}/{(f32 ? "float32" : "float64")}/{n}";
                    yield return ($"VM/{variant}", "funcgrad",
                        () => new VectorMathRow(variant, "funcgrad", f32, n, lo, hi, ours));
                    if (theirs is { } t)
                        yield return ($"VM/{variant}", "tensorprimitives",
                            () => new VectorMathRow(variant, "tensorprimitives", f32, n, lo, hi, t));
                }
    }
}

/// <summary>A kernel over spans, in both dtypes.</summary>
public sealed record Kernel(SpanMap<double> F64, SpanMap<float> F32);

/// <summary>y = f(x) over spans.</summary>
public delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>One VM row: the kernel on n values uniform in [lo, hi] (fixed seed).</summary>
public sealed class VectorMathRow(string variant, string impl, bool f32, int n, double lo, double hi, Kernel kernel)
    : Workload
{
    public override string Case => "VM";
    public override string Impl => impl;
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => variant;
    public override int Batch => 1_000_000 / n;
    private double[] x64 = null!, y64 = null!;
    private float[] x32 = null!, y32 = null!;

    public override void Setup()
    {
        var rng = new Random(5);
        x64 = Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
        y64 = new double[n];
        x32 = Data.ToFloat(x64);
        y32 = new float[n];
    }

    public override double Run()
    {
        if (f32)
        {
            kernel.F32(x32, y32);
            return y32[0];
        }
        kernel.F64(x64, y64);
        return y64[0];
    }
}
