using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchSharp;

namespace FuncGrad.Benchmarks;

// The same workloads under BenchmarkDotNet, with the memory diagnoser (allocated bytes per
// operation; for TorchSharp that counts managed allocations only). In-process, because a
// separately built benchmark process would get an unpatched copy of libLibTorchSharp.so.

public static class Bdn
{
    public static IConfig Config() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

/// <summary>A case with one benchmark per implementation; FuncGrad is the baseline of the ratio column.</summary>
public abstract class Pair
{
    private Workload fg = null!, ts = null!;
    protected abstract Workload MakeFuncGrad();
    protected abstract Workload MakeTorchSharp();

    [GlobalSetup]
    public void Setup()
    {
        TorchWorkload.Init();
        fg = MakeFuncGrad(); fg.Setup();
        ts = MakeTorchSharp(); ts.Setup();
    }

    [GlobalCleanup]
    public void Cleanup() { fg.Dispose(); ts.Dispose(); }

    [Benchmark(Baseline = true)] public double FuncGrad() => fg.Run();
    [Benchmark] public double TorchSharp() => ts.Run();
}

public class S1ScalarChain : Pair
{
    protected override Workload MakeFuncGrad() => new FgScalarChain();
    protected override Workload MakeTorchSharp() => new TsScalarChain();
}

public class S2MlpStepF32 : Pair
{
    [Params(false, true)] public bool ForwardOnly { get; set; }
    protected override Workload MakeFuncGrad() => new FgMlpStep("S2", DType.Float32, ForwardOnly);
    protected override Workload MakeTorchSharp() => new TsMlpStep("S2", torch.ScalarType.Float32, ForwardOnly);
}

public class S3MlpStepF64 : Pair
{
    protected override Workload MakeFuncGrad() => new FgMlpStep("S3", DType.Float64);
    protected override Workload MakeTorchSharp() => new TsMlpStep("S3", torch.ScalarType.Float64);
}

public class S4Gemm : Pair
{
    [Params(1024, 256)] public int N { get; set; }
    [Params(true, false)] public bool Float32 { get; set; }
    private Workload blas = null!;
    protected override Workload MakeFuncGrad() => new FgGemm(Float32 ? DType.Float32 : DType.Float64, N);
    protected override Workload MakeTorchSharp() =>
        new TsGemm(Float32 ? torch.ScalarType.Float32 : torch.ScalarType.Float64, N);

    [GlobalSetup(Target = nameof(OpenBlas))]
    public void SetupBlas()
    {
        blas = new BlasGemm(Float32, N);
        if (global::FuncGrad.Benchmarks.OpenBlas.Available) blas.Setup();
    }

    [Benchmark] public double OpenBlas() => global::FuncGrad.Benchmarks.OpenBlas.Available ? blas.Run() : 0;

    private Workload kernel = null!;

    [GlobalSetup(Target = nameof(FuncGradKernel))]
    public void SetupKernel() { kernel = new FgGemmKernel(Float32, N); kernel.Setup(); }

    /// <summary>The GEMM kernel alone, into a preallocated output, as OpenBLAS runs.</summary>
    [Benchmark] public double FuncGradKernel() => kernel.Run();
}

public class S5Hvp : Pair
{
    protected override Workload MakeFuncGrad() => new FgHvp();
    protected override Workload MakeTorchSharp() => new TsHvp();
}

public class S6Jacobian : Pair
{
    protected override Workload MakeFuncGrad() => new FgJacobian();
    protected override Workload MakeTorchSharp() => new TsJacobian();
}

public class S7DeepChain : Pair
{
    protected override Workload MakeFuncGrad() => new FgDeepChain(100_000);
    protected override Workload MakeTorchSharp() => new TsDeepChain(100_000);
}

public class S8SmallMlpStep : Pair
{
    protected override Workload MakeFuncGrad() => new FgMlpStep("S8", DType.Float64);
    protected override Workload MakeTorchSharp() => new TsMlpStep("S8", torch.ScalarType.Float64);
}
