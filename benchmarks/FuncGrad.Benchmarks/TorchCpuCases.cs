using FuncGrad;

namespace FuncGrad.Benchmarks;

// FuncGrad on Device.TorchCpu (FuncGrad.LibTorch, docs/devices.md): the eager rows' code unchanged, with the data
// moved to torch:cpu, so the graph is FuncGrad's and the kernels are LibTorch's. Against the torchsharp rows, the
// difference is what FuncGrad's graph and its per-op native calls add to the same kernels.

/// <summary>S1 on torch:cpu: per-op overhead of the native calls (a chain of one-element ops).</summary>
public sealed class FtScalarChain : Workload
{
    public override string Case => "S1";
    public override string Impl => "funcgrad-torchcpu";
    public override string DType => "float64";
    private Tensor x = null!;

    public override void Setup() => x = Tensor.Scalar(0.5).To(Device.TorchCpu);

    public override double Run() => Autodiff.Grad(FgScalarChain.Chain, x).Item();
}

/// <summary>S2 on torch:cpu: the eager SGD step of FgMlpStep, its parameters and data on torch:cpu.</summary>
public sealed class FtMlpStep : Workload
{
    private readonly FgMlpStep eager = new("S2", FuncGrad.DType.Float32);
    public override string Case => "S2";
    public override string Impl => "funcgrad-torchcpu";
    public override string DType => "float32";

    public override void Setup()
    {
        using (Device.Use(Device.TorchCpu)) eager.Setup();
    }

    public override double Run() => eager.Run();
}
