using FuncGrad;
using System.Diagnostics;

namespace FuncGrad.Benchmarks;

// SUITE.md's cases through Autodiff.Compile (issue 13's targets): each row compiles what the eager "funcgrad" row of
// the same case and variant computes, on the same data, and checks once per run that the results are bitwise equal.

/// <summary>
/// A compiled row. <see cref="Build"/> makes a fresh compiled function; <see cref="CallOnce"/> calls it on the
/// case's fixed inputs without changing any state; <see cref="EagerOnce"/> computes the same with the eager row's
/// code. Setup compares the two bit for bit; <see cref="FirstCallMs"/> times trace, build and first run.
/// </summary>
public abstract class CompiledWorkload : Workload
{
    public override string Impl => "funcgrad-compiled";

    /// <summary>Whether the compiled results equal the eager ones bit for bit (checked in Setup).</summary>
    public bool Exact { get; private set; }

    /// <summary>The first call of the first compiled function in this process: trace, build and first run, with
    /// .NET's JIT compiling the tracer's code too.</summary>
    public double FirstCallColdMs { get; private set; }

    protected abstract void SetupData();
    protected abstract void Build();
    protected abstract Tensor[] CallOnce();
    protected abstract Tensor[] EagerOnce();

    public sealed override void Setup()
    {
        SetupData();
        long t0 = Stopwatch.GetTimestamp();
        Build();
        var compiled = CallOnce();
        FirstCallColdMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        Exact = Same(compiled, EagerOnce());
    }

    /// <summary>Trace, build and first run of a fresh compiled function (after warm-up, so .NET's JIT has compiled
    /// the tracer already); the fresh function then serves the remaining runs.</summary>
    public double FirstCallMs()
    {
        long t0 = Stopwatch.GetTimestamp();
        Build();
        CallOnce();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static bool Same(Tensor[] a, Tensor[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].DType != b[i].DType || !a[i].Shape.SequenceEqual(b[i].Shape)) return false;
            // float32 values widen to float64 exactly, so comparing the widened bits compares the originals.
            var x = a[i].ToArray();
            var y = b[i].ToArray();
            for (int j = 0; j < x.Length; j++)
                if (BitConverter.DoubleToInt64Bits(x[j]) != BitConverter.DoubleToInt64Bits(y[j])) return false;
        }
        return true;
    }
}

/// <summary>S1 compiled: <c>compile (grad chain)</c>.</summary>
public sealed class FcScalarChain : CompiledWorkload
{
    public override string Case => "S1";
    public override string DType => "float64";
    public override int Batch => 32;
    private Tensor x = null!;
    private Func<Tensor, Tensor> g = null!;

    protected override void SetupData() => x = Tensor.Scalar(0.5);
    protected override void Build() => g = Autodiff.Compile(x => Autodiff.Grad(FgScalarChain.Chain, x));
    protected override Tensor[] CallOnce() => [g(x)];
    protected override Tensor[] EagerOnce() => [Autodiff.Grad(FgScalarChain.Chain, x)];
    public override double Run() => g(x).Item();
}

/// <summary>
/// S7 compiled: the chain's value and gradient for 10⁵ or 10⁶ ops. The gradient alone of this chain (products of
/// its constants) does not depend on x, so a compiled gradient folds to one constant at trace time; the value keeps
/// the forward chain in the program, so the row measures a real replay.
/// </summary>
public sealed class FcDeepChain(int ops) : CompiledWorkload
{
    public override string Case => "S7";
    public override string DType => "float64";
    public override string? Variant => ops == 100_000 ? "1e5" : "1e6";
    public override int MaxSamples => ops >= 1_000_000 ? 3 : 20;
    private Tensor x = null!;
    private Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> g = null!;

    private static Tensor[] ValueAndGrad(Tensor x, int ops)
    {
        var (value, gradient) = Autodiff.ValueAndGrad(y => FgDeepChain.Chain(y, ops), x);
        return [value, gradient];
    }

    protected override void SetupData() => x = Tensor.Scalar(1.0);
    protected override void Build() => g = Autodiff.Compile(xs => ValueAndGrad(xs[0], ops));
    protected override Tensor[] CallOnce() => [.. g([x])];
    protected override Tensor[] EagerOnce() => ValueAndGrad(x, ops);
    public override double Run() => g([x])[1].Item();
}

/// <summary>S2 and S8 compiled: one SGD step, parameters in, new parameters and the loss out. The gradient is taken
/// by <see cref="Autodiff.Vjp(Func{IReadOnlyList{Tensor}, Tensor}, IReadOnlyList{Tensor})"/> (the eager row calls
/// Backward on leaves that require grad, whose dictionary of gradients a trace cannot key on tensors).</summary>
public sealed class FcMlpStep(string @case, DType dtype) : CompiledWorkload
{
    private readonly FgMlpStep eager = new(@case, dtype);
    public override string Case => @case;
    public override string DType => eager.DType;
    public override int Batch => eager.Batch;
    private Tensor[] ps = null!, ps0 = null!;
    private Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step = null!;

    protected override void SetupData()
    {
        eager.Setup();
        ps0 = (Tensor[])eager.ps.Clone();
        ps = ps0;
    }

    protected override void Build() => step = Autodiff.Compile(p =>
    {
        var (loss, back) = Autodiff.Vjp(eager.Loss, p);
        var g = back(Tensor.Scalar(1.0, dtype));
        var r = new Tensor[p.Count + 1];
        for (int i = 0; i < p.Count; i++) r[i] = p[i] - g[i] * FgMlpStep.Lr;
        r[^1] = loss;
        return r;
    });

    protected override Tensor[] CallOnce() => [.. step(ps0)];

    protected override Tensor[] EagerOnce()
    {
        var (next, loss) = eager.Step(ps0);
        return [.. next, loss];
    }

    public override double Run()
    {
        var r = step(ps);
        ps = r.Take(ps.Length).ToArray();
        return r[^1].Item();
    }
}

/// <summary>
/// S6 compiled, one row per eager row: the column loop (100 JVPs, their tangents stacked as columns), the
/// hand-batched JVP ("batched") and <c>compile (jacfwd g)</c> ("jacfwd").
/// </summary>
public sealed class FcJacobian(string? variant) : CompiledWorkload
{
    private readonly FgJacobian eager = new(batched: variant == "batched");
    private readonly FgJacobianVmap eagerVmap = new();
    public override string Case => "S6";
    public override string DType => "float64";
    public override string? Variant => variant;
    private Tensor x = null!;
    private Func<Tensor, Tensor> jac = null!;

    protected override void SetupData()
    {
        eager.Setup();
        eagerVmap.Setup();
        x = eager.x;
    }

    private Tensor Columns(Tensor x) =>
        Tensor.Stack(eager.basis.Select(e => Autodiff.Jvp(eager.G, x, e).Tangent).ToArray(), axis: 1);

    protected override void Build() => jac = variant switch
    {
        "batched" => Autodiff.Compile(eager.Batched),
        "jacfwd" => Autodiff.Compile(eagerVmap.Jacobian),
        _ => Autodiff.Compile(Columns),
    };

    protected override Tensor[] CallOnce() => [jac(x)];

    protected override Tensor[] EagerOnce()
    {
        if (variant == "batched") return [eager.Batched(x)];
        if (variant == "jacfwd") return [eagerVmap.Jacobian(x)];
        // The eager row's own loop: column c of J is the tangent along basis vector c.
        const int n = FgJacobian.N;
        var j = new double[n * n];
        for (int c = 0; c < n; c++)
        {
            var col = Autodiff.Jvp(eager.G, x, eager.basis[c]).Tangent.AsSpan();
            for (int r = 0; r < n; r++) j[r * n + c] = col[r];
        }
        return [Tensor.FromArray(j, [n, n])];
    }

    public override double Run() => jac(x).AsSpan()[1];
}
