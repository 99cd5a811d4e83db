using FuncGrad;

namespace FuncGrad.Benchmarks;

/// <summary>
/// A FuncGrad case run in anomaly mode: the same operation inside <c>Autodiff.DetectAnomaly(origins)</c>, so every
/// op's value and every rule's tangent or cotangent is checked, and ("funcgrad-anomaly" rows) every reverse-mode node
/// records the user's stack frame, or ("funcgrad-anomaly-noorigin" rows) not. Beside the "funcgrad" row of the case,
/// it shows what the mode costs when it is on; the "funcgrad" row itself, against a build without anomaly mode, what
/// it costs when off.
/// </summary>
public sealed class AnomalyWorkload(Workload inner, bool origins) : Workload
{
    public override string Case => inner.Case;
    public override string Impl => origins ? "funcgrad-anomaly" : "funcgrad-anomaly-noorigin";
    public override string DType => inner.DType;
    public override string? Variant => inner.Variant;
    public override int Batch => inner.Batch;
    public override void Setup() => inner.Setup();

    public override double Run()
    {
        using (Autodiff.DetectAnomaly(origins)) return inner.Run();
    }

    public override void Dispose() => inner.Dispose();
}
