using FuncGrad;
using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S19 (issue 25): Lotka–Volterra du = (αu − βuv, δuv − γv), p = (α, β, δ, γ) = (1.5, 1, 3, 1) as SUITE.md writes
// it (δ = 3 multiplies uv; SciML's well-known example puts its 3 on the decay term instead), u0 = (1, 1), 1,000 RK4
// steps of dt = 0.01 in float64; loss = Σ ‖u(t) − 1‖² over the 101 states at t = 0, 0.1, …, 10; its gradient with
// respect to p. Rows: the eager loop ("funcgrad"), Autodiff.Scan ("funcgrad-scan", default checkpoint; "S19/every32"
// the same with ScanCheckpoint.Every(32)), Autodiff.Compile of the scan's gradient ("funcgrad-compiled") and
// TorchSharp's autograd through the same loop ("torchsharp"). The scan is the form a user writes first: one scan of
// 1,000 steps whose ys are all the states, of which every 10th is observed, so a checkpoint counts RK4 steps, as
// issue 25's memory target does.
//
// Every row checks its gradient once, outside the timing, against a forward-mode sensitivity computation in plain
// doubles (Reference below): beyond 1e-12 relative (max-norm) the row fails with no timing. FuncGrad's rows must
// also equal the eager loop's gradient bit for bit; a row that does not is timed but flagged.
internal static class OdeCase
{
    internal const int Steps = 1000, Every = 10, Observed = Steps / Every + 1;
    internal const double Dt = 0.01, Tolerance = 1e-12;
    internal static readonly double[] P = [1.5, 1.0, 3.0, 1.0];
    internal static readonly double[] U0 = [1.0, 1.0];
    internal static readonly long[] TorchShape = [2];

    // The vector field and RK4 as a user writes them over tensors; the TorchSharp twin repeats them op for op.
    private static Tensor Field(Tensor u, Tensor[] q)
    {
        var x = u[0];
        var y = u[1];
        return Tensor.Stack([q[0] * x - q[1] * x * y, q[2] * x * y - q[3] * y]);
    }

    private static Tensor Rk4(Tensor u, Tensor[] q)
    {
        var k1 = Field(u, q);
        var k2 = Field(u + k1 * (Dt / 2), q);
        var k3 = Field(u + k2 * (Dt / 2), q);
        var k4 = Field(u + k3 * Dt, q);
        return u + (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (Dt / 6);
    }

    private static Tensor[] Coefficients(Tensor p) => [p[0], p[1], p[2], p[3]];

    private static Tensor SquaredDistance(Tensor observed)
    {
        var d = observed - 1.0;
        return (d * d).Sum();
    }

    /// <summary>The eager loop: a C# for loop over tensors, keeping every 10th state.</summary>
    internal static Tensor LoopLoss(Tensor p)
    {
        var q = Coefficients(p);
        var u = Tensor.FromArray(U0);
        var states = new List<Tensor>(Observed) { u };
        for (int step = 1; step <= Steps; step++)
        {
            u = Rk4(u, q);
            if (step % Every == 0) states.Add(u);
        }
        return SquaredDistance(Tensor.Stack(states));
    }

    /// <summary>One scan of 1,000 steps whose ys are every state; the states after steps 10, 20, …, 1,000 are the
    /// observed ones.</summary>
    internal static Tensor ScanLoss(Tensor p, ScanCheckpoint checkpoint)
    {
        var q = Coefficients(p);
        var u0 = Tensor.FromArray(U0);
        var (_, ys) = Autodiff.Scan((c, _) =>
        {
            var next = Rk4(c[0], q);
            return ([next], [next]);
        }, [u0], [], length: Steps, checkpoint: checkpoint);
        var observed = ys[0].Reshape([Steps / Every, Every, 2])[.., Every - 1];
        return SquaredDistance(Tensor.Concat([u0.Reshape([1, 2]), observed]));
    }

    internal static Tensor Parameters() => Tensor.FromArray(P);

    /// <summary>Throws unless <paramref name="gradient"/> is within <see cref="Tolerance"/> (relative, max-norm) of
    /// the plain-double reference: a row with wrong values gets no timing. Returns the relative distance.</summary>
    internal static double CheckClose(string row, double[] gradient)
    {
        var expected = Reference.Gradient();
        double scale = expected.Max(Math.Abs), error = 0;
        for (int i = 0; i < expected.Length; i++) error = Math.Max(error, Math.Abs(gradient[i] - expected[i]));
        if (gradient.Length != expected.Length || !(error <= Tolerance * scale))
            throw new InvalidOperationException(
                $"FAILED: S19 {row}: gradient [{string.Join(", ", gradient.Select(g => g.ToString("R")))}] is not "
                + $"within {Tolerance} (relative) of the plain-double reference "
                + $"[{string.Join(", ", expected.Select(g => g.ToString("R")))}]");
        return double.Parse((error / scale).ToString("G3"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The largest difference of a and b relative to b's largest magnitude.</summary>
    internal static double Relative(double[] a, double[] b)
    {
        double scale = b.Max(Math.Abs), error = 0;
        for (int i = 0; i < a.Length; i++) error = Math.Max(error, Math.Abs(a[i] - b[i]));
        return double.Parse((error / scale).ToString("G3"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Managed bytes (KiB) that the forward pass leaves alive for the backward pass: live heap after a forced full
    /// collection once <see cref="Autodiff.Vjp(Func{Tensor, Tensor}, Tensor)"/> has returned, less the live heap
    /// before it; the least of three tries (other allocations only add). This is what a checkpoint policy governs;
    /// the backward pass's own transient (for Every(k), one recomputed segment of k steps) comes on top of it.
    /// </summary>
    internal static double HeldKiB(Func<Tensor, Tensor> loss, Tensor p)
    {
        double least = double.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var (value, pullback) = Autodiff.Vjp(loss, p);
            long between = GC.GetTotalMemory(forceFullCollection: true);
            pullback(Tensor.Scalar(1.0));
            GC.KeepAlive(value);
            least = Math.Min(least, (between - before) / 1024.0);
        }
        return least;
    }

    /// <summary>
    /// The same gradient in plain doubles by forward-mode sensitivities: each number carries its derivatives with
    /// respect to α, β, δ, γ, through the very operations (and their order) of <see cref="Rk4"/>. No FuncGrad, no
    /// reverse pass: an independent computation of the derivative of the same discrete solution.
    /// </summary>
    internal static class Reference
    {
        private readonly record struct D(double V, double T0, double T1, double T2, double T3)
        {
            public static D operator +(D a, D b) => new(a.V + b.V, a.T0 + b.T0, a.T1 + b.T1, a.T2 + b.T2, a.T3 + b.T3);
            public static D operator -(D a, D b) => new(a.V - b.V, a.T0 - b.T0, a.T1 - b.T1, a.T2 - b.T2, a.T3 - b.T3);
            public static D operator -(D a, double b) => new(a.V - b, a.T0, a.T1, a.T2, a.T3);
            public static D operator *(D a, double b) => new(a.V * b, a.T0 * b, a.T1 * b, a.T2 * b, a.T3 * b);
            public static D operator *(D a, D b) => new(a.V * b.V, a.V * b.T0 + a.T0 * b.V, a.V * b.T1 + a.T1 * b.V,
                a.V * b.T2 + a.T2 * b.V, a.V * b.T3 + a.T3 * b.V);
        }

        private static (D, D) Field((D X, D Y) u, D[] q) =>
            (q[0] * u.X - q[1] * u.X * u.Y, q[2] * u.X * u.Y - q[3] * u.Y);

        private static (D, D) Axpy((D X, D Y) u, (D X, D Y) k, double h) => (u.X + k.X * h, u.Y + k.Y * h);

        internal static double[] Gradient()
        {
            var q = new D[4];
            for (int i = 0; i < 4; i++)
                q[i] = new D(P[i], i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0, i == 3 ? 1 : 0);
            (D X, D Y) u = (new D(U0[0], 0, 0, 0, 0), new D(U0[1], 0, 0, 0, 0));
            D loss = default;
            void Observe()
            {
                D dx = u.X - 1.0, dy = u.Y - 1.0;
                loss = loss + dx * dx + dy * dy;
            }
            Observe();
            for (int step = 1; step <= Steps; step++)
            {
                var k1 = Field(u, q);
                var k2 = Field(Axpy(u, k1, Dt / 2), q);
                var k3 = Field(Axpy(u, k2, Dt / 2), q);
                var k4 = Field(Axpy(u, k3, Dt), q);
                u = ((k1.Item1 + k2.Item1 * 2.0 + k3.Item1 * 2.0 + k4.Item1) * (Dt / 6) + u.X,
                    (k1.Item2 + k2.Item2 * 2.0 + k3.Item2 * 2.0 + k4.Item2) * (Dt / 6) + u.Y);
                if (step % Every == 0) Observe();
            }
            return [loss.T0, loss.T1, loss.T2, loss.T3];
        }
    }
}

/// <summary>S19's eager FuncGrad rows: the loop ("funcgrad") and the scan ("funcgrad-scan"), each timed per gradient,
/// with the first gradient in the process and the bytes held between the passes as figures.</summary>
public sealed class FgOdeGradient(bool scan, bool every32 = false) : Workload
{
    public override string Case => "S19";
    public override string Impl => scan ? "funcgrad-scan" : "funcgrad";
    public override string DType => "float64";
    public override string? Variant => every32 ? "every32" : null;
    public override int MaxSamples => 100;
    private Tensor p = null!;
    private Func<Tensor, Tensor> loss = null!;
    private readonly List<(string, JsonNode)> figures = [];
    public override IEnumerable<(string Name, JsonNode Value)> Figures => figures;

    public override void Setup()
    {
        p = OdeCase.Parameters();
        var checkpoint = every32 ? ScanCheckpoint.Every(32) : ScanCheckpoint.EveryStep;
        loss = scan ? q => OdeCase.ScanLoss(q, checkpoint) : OdeCase.LoopLoss;
        long t0 = Stopwatch.GetTimestamp();
        var gradient = Autodiff.Grad(loss, p).ToArray();
        figures.Add(("first_call_ms", Math.Round(Stopwatch.GetElapsedTime(t0).TotalMilliseconds, 1)));
        figures.Add(("relative_to_reference", OdeCase.CheckClose(Impl + (every32 ? " every32" : ""), gradient)));
        // The reverse scan sums each step's pieces of a parameter's cotangent before the running total, where the
        // loop's reverse walk adds every piece to it: equal to rounding, not bit for bit.
        if (scan)
            figures.Add(("relative_to_loop",
                OdeCase.Relative(gradient, Autodiff.Grad(OdeCase.LoopLoss, p).ToArray())));
        figures.Add(("held_kib", Math.Round(OdeCase.HeldKiB(loss, p), 1)));
    }

    public override double Run() => Autodiff.Grad(loss, p).AsSpan()[0];
}

/// <summary>S19 compiled: <c>compile (grad of the scan's loss)</c>, beside the eager scan's gradient, which it must
/// equal bit for bit.</summary>
public sealed class FcOdeScan : CompiledWorkload
{
    public override string Case => "S19";
    public override string DType => "float64";
    public override int MaxSamples => 100;
    private Tensor p = null!;
    private Func<Tensor, Tensor> g = null!;
    private Tensor? firstCompiled;
    private readonly List<(string, JsonNode)> figures = [];
    public override IEnumerable<(string Name, JsonNode Value)> Figures => figures;

    protected override void SetupData() => p = OdeCase.Parameters();

    protected override void Build() =>
        g = Autodiff.Compile(q => Autodiff.Grad(r => OdeCase.ScanLoss(r, ScanCheckpoint.EveryStep), q));

    protected override Tensor[] CallOnce()
    {
        var r = g(p);
        firstCompiled ??= r;
        return [r];
    }

    // Setup calls this after timing the first compiled call, so the compiled result's check stays outside the timing.
    protected override Tensor[] EagerOnce()
    {
        figures.Add(("relative_to_reference", OdeCase.CheckClose("funcgrad-compiled", firstCompiled!.ToArray())));
        return [Autodiff.Grad(r => OdeCase.ScanLoss(r, ScanCheckpoint.EveryStep), p)];
    }

    public override double Run() => g(p).AsSpan()[0];
}

/// <summary>S19 with TorchSharp's autograd through the same Python-style loop.</summary>
public sealed class TsOdeLoop : TorchWorkload
{
    public override string Case => "S19";
    public override string DType => "float64";
    public override int MaxSamples => 50;
    private TTensor p = null!, u0 = null!;
    private readonly List<(string, JsonNode)> figures = [];
    public override IEnumerable<(string Name, JsonNode Value)> Figures => figures;

    public override void Setup()
    {
        p = torch.tensor(OdeCase.P, ScalarType.Float64).requires_grad_(true);
        u0 = torch.tensor(OdeCase.U0, OdeCase.TorchShape, ScalarType.Float64);
        long t0 = Stopwatch.GetTimestamp();
        var gradient = Gradient();
        figures.Add(("first_call_ms", Math.Round(Stopwatch.GetElapsedTime(t0).TotalMilliseconds, 1)));
        figures.Add(("relative_to_reference", OdeCase.CheckClose("torchsharp", gradient)));
        var fg = Autodiff.Grad(OdeCase.LoopLoss, OdeCase.Parameters()).ToArray();
        figures.Add(("max_relative_to_funcgrad",
            fg.Zip(gradient).Max(t => Math.Abs(t.First - t.Second)) / fg.Max(Math.Abs)));
    }

    private static TTensor Field(TTensor u, TTensor[] q)
    {
        var x = u[0];
        var y = u[1];
        return torch.stack([q[0] * x - q[1] * x * y, q[2] * x * y - q[3] * y]);
    }

    private static TTensor Rk4(TTensor u, TTensor[] q)
    {
        const double dt = OdeCase.Dt;
        var k1 = Field(u, q);
        var k2 = Field(u + k1 * (dt / 2), q);
        var k3 = Field(u + k2 * (dt / 2), q);
        var k4 = Field(u + k3 * dt, q);
        return u + (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (dt / 6);
    }

    private double[] Gradient()
    {
        using var scope = torch.NewDisposeScope();
        TTensor[] q = [p[0], p[1], p[2], p[3]];
        var u = u0;
        var states = new List<TTensor>(OdeCase.Observed) { u };
        for (int step = 1; step <= OdeCase.Steps; step++)
        {
            u = Rk4(u, q);
            if (step % OdeCase.Every == 0) states.Add(u);
        }
        var d = torch.stack(states) - 1.0;
        var loss = (d * d).sum();
        return torch.autograd.grad([loss], [p])[0].data<double>().ToArray();
    }

    public override double Run() => Gradient()[0];
}

/// <summary>S19's rows against issue 25's targets, printed at the end of a quick run that has them.</summary>
public static class OdeTargets
{
    public static void Print(IReadOnlyList<JsonObject> results, IEnumerable<string> isas)
    {
        var rows = results.Where(r => (string)r["case"]! == "S19").ToList();
        if (rows.Count == 0) return;
        JsonObject? Row(string impl, string? variant, string isa) => rows.FirstOrDefault(r =>
            (string)r["impl"]! == impl && (string?)r["variant"] == variant
            && (impl == "torchsharp" || (string)r["isa"]! == isa));
        static double? Ms(JsonObject? r) => r?["median_ms"]?.GetValue<double>();
        static double? Figure(JsonObject? r, string name) => r?["figures"]?[name]?.GetValue<double>();
        static string Judge(double? value, double target, string shown) => value is double v
            ? $"{shown,12}  target <= {target,-6} {(v <= target ? "met" : "MISSED")}"
            : $"{"-",12}  target <= {target,-6} (a row is missing: it failed or was not run)";

        Console.WriteLine();
        Console.WriteLine("S19 against issue 25's targets (ms per gradient; every row's gradient checked against a "
            + "plain-double reference to 1e-12 before timing):");
        foreach (var isa in isas)
        {
            var loop = Row("funcgrad", null, isa);
            var scan = Row("funcgrad-scan", null, isa);
            var scan32 = Row("funcgrad-scan", "every32", isa);
            var compiled = Row("funcgrad-compiled", null, isa);
            var torch = Row("torchsharp", null, isa);
            double? Ratio(JsonObject? a, JsonObject? b) => Ms(a) / Ms(b);
            Console.WriteLine($"  isa {isa}: loop {Ms(loop):F2}, scan {Ms(scan):F2}, scan Every(32) {Ms(scan32):F2}, "
                + $"compiled {Ms(compiled):F3}, torchsharp {Ms(torch):F2} ms");
            Console.WriteLine($"  {"compiled scan / eager loop",-42} "
                + Judge(Ratio(compiled, loop), 0.1, $"{Ratio(compiled, loop):F4}"));
            double? first = compiled?["first_call_ms"]?.GetValue<double>();
            Console.WriteLine($"  {"compiled first call (fresh function), ms",-42} "
                + Judge(first, 500, $"{first:F1}")
                + $"  (first in the process: {compiled?["first_call_cold_ms"]?.GetValue<double>():F1} ms)");
            Console.WriteLine($"  {"compiled scan / torchsharp",-42} "
                + Judge(Ratio(compiled, torch), 0.05, $"{Ratio(compiled, torch):F4}"));
            Console.WriteLine($"  {"eager scan / eager loop",-42} "
                + Judge(Ratio(scan, loop), 1.0, $"{Ratio(scan, loop):F3}"));
            double? held32 = Figure(scan32, "held_kib"), held1 = Figure(scan, "held_kib");
            Console.WriteLine($"  {"held between passes, Every(32) / EveryStep",-42} "
                + Judge(held32 / held1, 0.2, $"{held32 / held1:F3}")
                + $"  ({held32:F1} / {held1:F1} KiB; the eager loop holds {Figure(loop, "held_kib"):F1} KiB)");
            if (compiled is not null)
                Console.WriteLine((bool)compiled["exact"]!
                    ? "  values: the compiled gradient equals the eager scan's bit for bit"
                    : "  values: THE COMPILED GRADIENT IS NOT BITWISE EQUAL TO THE EAGER SCAN'S");
            Console.WriteLine($"  values: the scan's gradient is within {Figure(scan, "relative_to_loop"):G3} " +
                $"(Every(32): {Figure(scan32, "relative_to_loop"):G3}) of the loop's, relative (summed in another " +
                "order)");
        }
    }
}
