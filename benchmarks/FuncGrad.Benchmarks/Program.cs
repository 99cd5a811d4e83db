using BenchmarkDotNet.Running;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;

namespace FuncGrad.Benchmarks;

/// <summary>
/// Entry point. <c>--quick</c> runs every SUITE.md case for FuncGrad, TorchSharp (and OpenBLAS for
/// S4), each in its own process, and prints medians and ratios (<c>--json PATH</c> writes them).
/// <c>--isa native,avx2,vector128,scalar</c> (any of them, comma-separated; default native) runs
/// FuncGrad's rows once per setting (<see cref="Isa.Switches"/>) and the references once.
/// "funcgrad-compiled" rows (CompiledCases.cs) run the eager row's computation through Autodiff.Compile and are
/// printed beside it with their ratio and first-call time; "funcgrad-anomaly" rows (AnomalyCases.cs) run it in
/// anomaly mode. A row may add named figures (<see cref="Workload.Figures"/>), printed after its time; S19's rows
/// end the run with their lines against issue 25's targets (<see cref="OdeTargets"/>).
/// <c>--cases Cold</c> (or Cold/S1, Cold/S2, Cold/S8, Cold/fsi; all of them run with every case) runs the cold-start
/// rows of ColdCases.cs, each in a fresh process, with <c>--cold-settings</c>, <c>--cold-reps</c> and
/// <c>--cold-jit</c>.
/// <c>--brief</c> gives each worker 1 s of warm-up and 1 s of timing instead of 3 s and 2 s, for long lists of short
/// cases such as S20's ~900 (it suits cases of a few milliseconds, which still take hundreds of samples).
/// Without <c>--quick</c>, the arguments go to BenchmarkDotNet (e.g. <c>--filter *S2*</c>).
/// </summary>
public static class Program
{
    /// <summary>Every (case, implementation) the quick mode runs, in order, by key.</summary>
    public static IEnumerable<(string Key, string Impl, Func<Workload> Make)> Registry(bool full)
    {
        yield return ("S1", "funcgrad", () => new FgScalarChain());
        yield return ("S1", "funcgrad-compiled", () => new FcScalarChain());
        yield return ("S1", "torchsharp", () => new TsScalarChain());
        yield return ("S1", "funcgrad-torchcpu", () => new FtScalarChain());
        yield return ("S1", "funcgrad-anomaly", () => new AnomalyWorkload(new FgScalarChain(), origins: true));
        yield return ("S1", "funcgrad-anomaly-noorigin",
            () => new AnomalyWorkload(new FgScalarChain(), origins: false));
        yield return ("S2", "funcgrad", () => new FgMlpStep("S2", DType.Float32));
        yield return ("S2", "funcgrad-compiled", () => new FcMlpStep("S2", DType.Float32));
        yield return ("S2", "torchsharp", () => new TsMlpStep("S2", torch.ScalarType.Float32));
        yield return ("S2", "funcgrad-torchcpu", () => new FtMlpStep());
        yield return ("S2", "funcgrad-anomaly",
            () => new AnomalyWorkload(new FgMlpStep("S2", DType.Float32), origins: true));
        yield return ("S2", "funcgrad-anomaly-noorigin",
            () => new AnomalyWorkload(new FgMlpStep("S2", DType.Float32), origins: false));
        yield return ("S2/forward", "funcgrad", () => new FgMlpStep("S2", DType.Float32, forwardOnly: true));
        yield return ("S2/forward", "torchsharp",
            () => new TsMlpStep("S2", torch.ScalarType.Float32, forwardOnly: true));
        yield return ("S3", "funcgrad", () => new FgMlpStep("S3", DType.Float64));
        yield return ("S3", "torchsharp", () => new TsMlpStep("S3", torch.ScalarType.Float64));
        foreach (int n in new[] { 1024, 256 })
            foreach (bool f32 in new[] { true, false })
            {
                string key = $"S4/{n}/{(f32 ? "float32" : "float64")}";
                yield return (key, "funcgrad", () => new FgGemm(f32 ? DType.Float32 : DType.Float64, n));
                yield return (key, "torchsharp",
                    () => new TsGemm(f32 ? torch.ScalarType.Float32 : torch.ScalarType.Float64, n));
                yield return (key, "openblas", () => new BlasGemm(f32, n));
                yield return (key, "funcgrad-kernel", () => new FgGemmKernel(f32, n));
            }
        foreach (bool f32 in new[] { true, false })
            yield return ($"S4/l1/{(f32 ? "float32" : "float64")}", "funcgrad-kernel", () => new FgMicroKernel(f32));
        yield return ("S5", "funcgrad", () => new FgHvp());
        yield return ("S5", "torchsharp", () => new TsHvp());
        yield return ("S6", "funcgrad", () => new FgJacobian());
        yield return ("S6", "funcgrad-compiled", () => new FcJacobian(null));
        yield return ("S6", "torchsharp", () => new TsJacobian());
        yield return ("S6/batched", "funcgrad", () => new FgJacobian(batched: true));
        yield return ("S6/batched", "funcgrad-compiled", () => new FcJacobian("batched"));
        yield return ("S6/grad-loop", "torchsharp", () => new TsJacobian(gradLoop: true));
        yield return ("S6/jacfwd", "funcgrad", () => new FgJacobianVmap());
        yield return ("S6/jacfwd", "funcgrad-compiled", () => new FcJacobian("jacfwd"));
        yield return ("S7/1e5", "funcgrad", () => new FgDeepChain(100_000));
        yield return ("S7/1e5", "funcgrad-compiled", () => new FcDeepChain(100_000));
        yield return ("S7/1e5", "torchsharp", () => new TsDeepChain(100_000));
        yield return ("S7/1e6", "funcgrad", () => new FgDeepChain(1_000_000));
        yield return ("S7/1e6", "funcgrad-compiled", () => new FcDeepChain(1_000_000));
        if (full) yield return ("S7/1e6", "torchsharp", () => new TsDeepChain(1_000_000));
        yield return ("S8", "funcgrad", () => new FgMlpStep("S8", DType.Float64));
        yield return ("S8", "funcgrad-compiled", () => new FcMlpStep("S8", DType.Float64));
        yield return ("S8", "torchsharp", () => new TsMlpStep("S8", torch.ScalarType.Float64));
        yield return ("S9", "funcgrad", () => new FgPerExampleGrads(loop: false));
        yield return ("S9", "funcgrad-loop", () => new FgPerExampleGrads(loop: true));
        yield return ("S10", "funcgrad", () => new FgManyPoints(loop: false));
        yield return ("S10/100-points", "funcgrad-loop", () => new FgManyPoints(loop: true));
        yield return ("S10/hand-batched", "funcgrad", () => new FgManyPoints(loop: false, handBatched: true));
        // S12 GP likelihood (GpCases.cs)
        yield return ("S12", "funcgrad", () => new FgGpLikelihood());
        yield return ("S12", "torchsharp", () => new TsGpLikelihood());
        yield return ("S14/cumsum", "funcgrad", () => new FgCumsum(forwardOnly: false));
        yield return ("S14/cumsum", "torchsharp", () => new TsCumsum(forwardOnly: false));
        yield return ("S14/cumsum/forward", "funcgrad", () => new FgCumsum(forwardOnly: true));
        yield return ("S14/cumsum/forward", "torchsharp", () => new TsCumsum(forwardOnly: true));
        // S15 LeNet-5 step (LeNetCases.cs)
        yield return ("S15/float32", "funcgrad", () => new FgLeNetStep(DType.Float32));
        yield return ("S15/float32", "torchsharp", () => new TsLeNetStep(torch.ScalarType.Float32));
        yield return ("S15/float64", "funcgrad", () => new FgLeNetStep(DType.Float64));
        yield return ("S15/float64", "torchsharp", () => new TsLeNetStep(torch.ScalarType.Float64));
        // S19 ODE gradient: eager loop, scan, compiled scan, TorchSharp; scan with Every(32) for memory (OdeCases.cs)
        yield return ("S19", "funcgrad", () => new FgOdeGradient(scan: false));
        yield return ("S19", "funcgrad-scan", () => new FgOdeGradient(scan: true));
        yield return ("S19", "funcgrad-compiled", () => new FcOdeScan());
        yield return ("S19", "torchsharp", () => new TsOdeLoop());
        yield return ("S19/every32", "funcgrad-scan", () => new FgOdeGradient(scan: true, every32: true));

        // QR beside S11 (QrCases.cs; not a SUITE.md row)
        foreach (int n in new[] { 4, 256, 1024 })
        {
            yield return ("S11/" + QrCase.Variant(n), "funcgrad", () => new FgQr(n));
            yield return ("S11/" + QrCase.Variant(n), "torchsharp", () => new TsQr(n));
        }
        // S14 sorting (SortingCases.cs)
        foreach (bool backward in new[] { false, true })
        {
            string key = "S14/" + TopkCase.Variant(backward);
            yield return (key, "funcgrad", () => new FgTopk(backward));
            yield return (key, "torchsharp", () => new TsTopk(backward));
        }

        // S11 eigen and singular values (LinalgSpectralCases.cs)
        foreach (int n in new[] { 256, 512 })
        {
            yield return ($"S11/eigh/{n}", "funcgrad", () => new FgEigh(n));
            yield return ($"S11/eigh/{n}", "torchsharp", () => new TsEigh(n));
        }
        foreach (var (m, n) in new[] { (256, 256), (512, 256) })
        {
            yield return ($"S11/svd/{m}x{n}", "funcgrad", () => new FgSvd(m, n));
            yield return ($"S11/svd/{m}x{n}", "torchsharp", () => new TsSvd(m, n));
        }

        // S11 factorisations and S13 batched small (LinalgCases.cs)
        foreach (var op in new[] { "cholesky", "solve", "slogdet" })
            foreach (int n in new[] { 256, 1024 })
            {
                yield return ($"S11/{op}/{n}", "funcgrad", () => new FgFactorisation(op, n));
                yield return ($"S11/{op}/{n}", "torchsharp", () => new TsFactorisation(op, n));
            }
        yield return ("S13", "funcgrad", () => new FgBatchedSmall());
        yield return ("S13", "torchsharp", () => new TsBatchedSmall());

        // S16 ResNet basic block, its convolution and the GEMM of the same size (ConvCases.cs)
        foreach (bool f64 in new[] { false, true })
            foreach (var part in new[] { "block", "conv", "gemm" })
            {
                string key = "S16/" + ConvCase.Variant(part, f64);
                yield return (key, "funcgrad", () => new FgResnetBlock(part, f64));
                yield return (key, "torchsharp", () => new TsResnetBlock(part, f64));
            }

        foreach (var op in new[] { "gather", "scatter_add", "embedding" })
            foreach (bool backward in new[] { false, true })
            {
                string key = $"S14/{op}/{(backward ? "backward" : "forward")}";
                yield return (key, "funcgrad", () => new FgIndexing(op, backward));
                yield return (key, "torchsharp", () => new TsIndexing(op, backward));
            }

        // S20 elementwise ops, one row per op from every family's ElementwiseRows file (ElementwiseCases.cs)
        foreach (var entry in ElementwiseCases.Registry()) yield return entry;

        // VM: the vector math kernels against TensorPrimitives, kernel against kernel (VectorMathCases.cs)
        foreach (var entry in VectorMathCases.Registry()) yield return entry;

        // S21 einsum (EinsumCases.cs)
        foreach (var (variant, _, _) in EinsumCase.All)
        {
            yield return ($"S21/{variant}", "funcgrad", () => new FgEinsum(variant));
            yield return ($"S21/{variant}", "torchsharp", () => new TsEinsum(variant));
        }

        // S17 transformer block training step (TransformerCases.cs)
        yield return ("S17", "funcgrad", () => new FgTransformerStep());
        yield return ("S17", "torchsharp", () => new TsTransformerStep());

        // S22 layer norm, forward and backward (NormCases.cs)
        foreach (bool backward in new[] { false, true })
        {
            string key = $"S22/{NormCase.Variant(backward)}";
            yield return (key, "funcgrad", () => new FgLayerNorm(backward));
            yield return (key, "torchsharp", () => new TsLayerNorm(backward));
        }
        // S18 attention (AttentionCases.cs)
        foreach (var variant in AttentionCase.Variants)
        {
            yield return ($"S18/{variant}", "funcgrad", () => new FgAttention(variant));
            yield return ($"S18/{variant}", "torchsharp", () => new TsAttention(variant));
        }
        yield return ("S18/backward-unfused", "funcgrad", () => new FgAttention("backward-unfused"));
        // random draws from keys and dropout (RandomCases.cs)
        foreach (var variant in RandomCase.Variants)
        {
            yield return ($"keys/{variant}", "funcgrad", () => new FgRandom(variant));
            yield return ($"keys/{variant}", "torchsharp", () => new TsRandom(variant));
        }
    }

    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length >= 3 && args[0] == "--worker")
            return Worker(args[1], args[2], args.Contains("--full"), args.Contains("--brief"));
        if (args.Length >= 2 && args[0] == "--cold-child")
            return ColdCases.Child(args[1], args.Contains("--brief"), args.Contains("--jit-events"));
        if (args.Length >= 1 && args[0] == "--worker-isa")
        {
            Console.WriteLine("SEEN " + Isa.Seen().ToJsonString());
            return 0;
        }
        if (args.Length >= 2 && args[0] == "--mlp-split")
            return MlpSplit.Run(args[1], args.Length > 2 ? args[2] : "float32");
        if (args.Contains("--quick")) return Quick(args);
        TorchWorkload.Init();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Bdn.Config());
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Quick mode: one child process per (case, implementation), so that neither LibTorch's threads
    // nor either side's heap disturbs the other, and peak memory is each side's own.

    /// <summary>
    /// OpenBLAS is a fair reference in a run only if it reaches this fraction of TorchSharp's GFLOP/s on
    /// every S4 row that has both. Debian 12's OpenBLAS 0.3.21 does not know every newer CPU and then runs
    /// an older kernel (39 GFLOP/s against TorchSharp's 307 on a Xeon with AVX-512); where both run at the
    /// CPU's speed, they were within 25 % of each other in every run of docs/performance.md.
    /// </summary>
    public const double OpenBlasFairFraction = 0.6;

    private static int Quick(string[] args)
    {
        bool full = args.Contains("--full");
        string brief = args.Contains("--brief") ? " --brief" : "";
        var only = Option(args, "--cases")?.Split(',');
        string? json = Option(args, "--json");
        var isas = (Option(args, "--isa") ?? "native")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        if (isas.Length == 0 || isas.Any(i => !Isa.Switches.ContainsKey(i)))
        {
            Console.Error.WriteLine($"--isa takes a comma-separated list of {string.Join(", ", Isa.Switches.Keys)}");
            return 2;
        }
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? $"\"{typeof(Program).Assembly.Location}\" "
            : "";
        ProcessStartInfo Start(string arguments, string isa)
        {
            var psi = new ProcessStartInfo(self, prefix + arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Isa.Apply(psi, isa);
            return psi;
        }
        var results = new List<JsonObject>();
        var clock = Stopwatch.StartNew();
        Console.WriteLine(
            $"FuncGrad quick benchmark: {Isa.CpuModel()}, {Environment.ProcessorCount} cores, "
            + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (Isa.LoadAverage() is string load) Console.WriteLine($"load average {load} (1, 5, 15 min) at the start");
        var inherited = Isa.Inherited().ToList();
        if (inherited.Count > 0)
            Console.WriteLine(
                $"ignoring {string.Join(", ", inherited.Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}"))} "
                + "from the environment: each worker gets only its --isa's switches");
        // The widths as each setting's worker processes see them (a probe process per setting).
        foreach (var isa in isas)
        {
            using var p = Process.Start(Start("--worker-isa", isa))!;
            var seenLine = p.StandardOutput.ReadToEnd().Split('\n').FirstOrDefault(l => l.StartsWith("SEEN "));
            p.WaitForExit();
            string switches = Isa.Switches[isa].Length == 0 ? "no switch" : string.Join(" ", Isa.Switches[isa]);
            if (seenLine is null)
            {
                Console.WriteLine($"isa {isa,-9} ({switches}): the probe process failed");
                continue;
            }
            var seen = JsonNode.Parse(seenLine[5..])!.AsObject();
            Console.WriteLine(
                $"isa {isa,-9} ({switches}): {seen["arch"]}, {seen["vector_bits"]}-bit vectors; {Isa.Describe(seen)}");
            bool ignored = isa switch
            {
                "avx2" => seen["Vector512"]!.GetValue<bool>(),
                "vector128" => seen["Vector256"]!.GetValue<bool>(),
                "scalar" => seen["Vector128"]!.GetValue<bool>(),
                _ => false,
            };
            if (ignored)
                Console.WriteLine($"  the runtime did not apply {switches}: the {isa} rows measure a wider path");
        }
        Console.WriteLine(
            "torchsharp and openblas rows run once per case, without switches: "
            + "LibTorch and OpenBLAS choose their own kernels");
        Console.WriteLine($"{"case",-18} {"impl",-17} {"isa",-9} {"median_ms",12}  extra");
        foreach (var (key, impl, _) in Registry(full))
        {
            if (only is not null && !only.Any(o => key == o || key.StartsWith(o + "/"))) continue;
            // TensorPrimitives is .NET code, so the switches apply to it as to FuncGrad (the VM rows compare them per
            // width)
            bool managed = (impl.StartsWith("funcgrad") && !OnLibTorch(impl)) || impl == "tensorprimitives";
            foreach (var isa in managed ? isas : ["native"])
            {
                using var p = Process.Start(Start($"--worker {key} {impl}{(full ? " --full" : "")}{brief}", isa))!;
                var stderr = p.StandardError.ReadToEndAsync();
                string? line, result = null;
                while ((line = p.StandardOutput.ReadLine()) is not null)
                    if (line.StartsWith("RESULT ")) result = line[7..];
                p.WaitForExit();
                if (result is null)
                {
                    var err = stderr.Result.Trim();
                    Console.WriteLine($"{key,-18} {impl,-17} {isa,-9} {"skipped",12}  {err.Split('\n')[0]}");
                    continue;
                }
                var r = JsonNode.Parse(result)!.AsObject();
                r["isa"] = isa;
                results.Add(r);
                string extra = "";
                if (r["gflops"] is JsonNode g) extra += $"{g.GetValue<double>(),7:F1} GFLOP/s";
                extra += $"  peak {r["peak_mb"]!.GetValue<double>():F0} MB"
                    + $"  alloc {r["alloc_bytes"]!.GetValue<double>() / 1024:F1} KB/op";
                if (r["figures"] is JsonObject figures)
                    extra += string.Concat(figures.Select(f => $"  {f.Key} {f.Value?.ToJsonString()}"));
                if (r["first_call_ms"] is JsonNode first)
                    extra += $"  first call {first.GetValue<double>():F1} ms"
                        + $"  {((bool)r["exact"]! ? "bitwise equal to eager" : "NOT EQUAL TO EAGER")}";
                Console.WriteLine($"{key,-18} {impl,-17} {isa,-9} {r["median_ms"]!.GetValue<double>(),12:F4}  {extra}");
            }
        }

        // The cold rows (ColdCases.cs): with every case, or when --cases names Cold or one of them (Cold/S2).
        if (only is null || only.Any(o => o == "Cold" || o.StartsWith("Cold/")))
            results.AddRange(ColdCases.Run(args, only, a => Start(a, "native")));

        JsonObject? Row(string key, string impl, string? isa = null) =>
            results.FirstOrDefault(r =>
                Key(r) == key && (string)r["impl"]! == impl && (isa is null || (string)r["isa"]! == isa));
        double? Ms(string key, string impl, string? isa = null) =>
            Row(key, impl, isa)?["median_ms"]?.GetValue<double>();

        Console.WriteLine();
        Console.WriteLine(
            "ratios, FuncGrad / TorchSharp (time; lower is better) and "
            + "FuncGrad / OpenBLAS (GFLOP/s; higher is better):");
        // OpenBLAS is a reference in this run only if it runs near TorchSharp's speed on every S4 row that
        // has both: a slow row means it is not running at this CPU's speed (an old kernel for a CPU it
        // does not know, or a disturbed run), and its ratios would flatter FuncGrad.
        var obRows = results.Where(r => (string)r["impl"]! == "openblas").ToList();
        bool obFair = true;
        var fractions = new List<string>();
        foreach (var obRow in obRows)
        {
            if (Ms(Key(obRow), "torchsharp") is not double tsMs)
            {
                fractions.Add($"{Key(obRow)} unchecked (no TorchSharp row)");
                continue;
            }
            double fraction = tsMs / obRow["median_ms"]!.GetValue<double>(); // OpenBLAS GFLOP/s / TorchSharp GFLOP/s
            obRow["torchsharp_fraction"] = Math.Round(fraction, 3);
            obFair &= fraction >= OpenBlasFairFraction;
            fractions.Add($"{Key(obRow)} {obRow["gflops"]} GFLOP/s, {fraction:F2} of TorchSharp's");
        }
        foreach (var obRow in obRows) obRow["fair_reference"] = obFair;
        if (obRows.Count > 0)
        {
            string core = OpenBlasCore(obRows);
            Console.WriteLine(obFair
                ? $"openblas (core \"{core}\") is a fair reference in this run: {string.Join("; ", fractions)}"
                : $"openblas (core \"{core}\") is NOT A FAIR REFERENCE in this run, so no ratio against it: "
                  + $"below {OpenBlasFairFraction} of TorchSharp's GFLOP/s on a row ({string.Join("; ", fractions)}). "
                  + "Debian's OpenBLAS 0.3.21 may not know this CPU, or its run was disturbed");
            // The same test the other way round: LibTorch far below OpenBLAS means its own run was disturbed
            // (its spinning OpenMP threads suffer most on a busy machine), and so are the ratios against it.
            foreach (var obRow in obRows)
                if (obRow["torchsharp_fraction"]?.GetValue<double>() is double f && f * OpenBlasFairFraction > 1)
                    Console.WriteLine(
                        $"{Key(obRow),-18} torchsharp ran at {1 / f:F2} of OpenBLAS's GFLOP/s: a disturbed run? "
                        + "Ratios against TorchSharp on this row are unreliable");
        }
        foreach (var key in results.Select(Key).Distinct())
        {
            var ts = Ms(key, "torchsharp"); var ob = obFair ? Ms(key, "openblas") : null;
            foreach (var isa in isas)
            {
                var fg = Ms(key, "funcgrad", isa);
                var parts = new List<string>();
                if (fg is not null && ts is not null) parts.Add($"funcgrad/torchsharp {fg / ts:F4}");
                if (fg is not null && ob is not null) parts.Add($"funcgrad GFLOP/s / openblas GFLOP/s {ob / fg:F3}");
                if (Ms(key, "funcgrad-kernel", isa) is double fk)
                {
                    if (ts is not null) parts.Add($"kernel alone GFLOP/s / torchsharp GFLOP/s {ts / fk:F3}");
                    if (ob is not null) parts.Add($"kernel alone / openblas {ob / fk:F3}");
                }
                if (parts.Count > 0) Console.WriteLine($"{key,-18} {isa,-9} {string.Join("   ", parts)}");
            }
        }
        foreach (var key in new[] { "S1", "S2" })
            if (Ms(key, "funcgrad-torchcpu") is double ft && Ms(key, "torchsharp") is double tsMs)
                Console.WriteLine($"{key,-18} torch:cpu funcgrad-torchcpu/torchsharp {ft / tsMs:F4}");
        foreach (var (impl, isa) in isas.Select(i => ("funcgrad", i)).Append(("torchsharp", "native")))
            if (Ms("S2", impl, impl == "torchsharp" ? null : isa) is double step
                && Ms("S2/forward", impl, impl == "torchsharp" ? null : isa) is double fwd)
            {
                Console.WriteLine(
                    $"S2 step/forward    {impl,-11} {(impl == "torchsharp" ? "" : isa),-9} {step / fwd:F2}");
            }
        var compiledRows = results.Where(r => (string)r["impl"]! == "funcgrad-compiled").ToList();
        if (compiledRows.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("compiled beside eager (median ms; compiled/eager, lower is better; first call = trace + "
                + "build + first run of a fresh compiled function, after warm-up):");
            Console.WriteLine($"{"case",-18} {"isa",-9} {"eager_ms",12} {"compiled_ms",12} {"ratio",8} "
                + $"{"first_call_ms",14}  results");
            foreach (var c in compiledRows)
            {
                string key = Key(c), isa = (string)c["isa"]!;
                double cms = c["median_ms"]!.GetValue<double>();
                string eagerMs = Ms(key, "funcgrad", isa) is double e ? $"{e,12:F4}" : $"{"-",12}";
                string ratio = Ms(key, "funcgrad", isa) is double e2 ? $"{cms / e2,8:F3}" : $"{"-",8}";
                Console.WriteLine($"{key,-18} {isa,-9} {eagerMs} {cms,12:F4} {ratio} "
                    + $"{c["first_call_ms"]!.GetValue<double>(),14:F1}  "
                    + ((bool)c["exact"]! ? "bitwise equal to eager" : "NOT EQUAL TO EAGER"));
            }
        }
        OdeTargets.Print(results, isas);
        Console.WriteLine($"total {clock.Elapsed.TotalSeconds:F0} s");

        if (json is not null)
        {
            File.WriteAllText(json, new JsonArray(results.Select(r => (JsonNode)r.DeepClone()).ToArray())
                .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {json}");
        }
        return 0;
    }

    private static string OpenBlasCore(List<JsonObject> rows) =>
        rows.Select(r => (string?)r["openblas_core"]).FirstOrDefault(c => c is not null) ?? "unknown";

    // S4 has rows per size and dtype; the other cases one dtype each.
    private static string Key(JsonObject r) =>
        (string)r["case"]! + (r["variant"] is JsonNode v ? $"/{v}" : "")
            + ((string)r["case"]! == "S4" ? $"/{r["dtype"]}" : "");

    /// <summary>FuncGrad's graph over LibTorch's kernels (TorchCpuCases.cs): threads as the torchsharp rows',
    /// no instruction-set switches (LibTorch chooses its own kernels).</summary>
    private static bool OnLibTorch(string impl) => impl == "funcgrad-torchcpu";

    private static int Worker(string key, string impl, bool full, bool brief)
    {
        var entry = Registry(true).FirstOrDefault(e => e.Key == key && e.Impl == impl);
        if (entry.Make is null) { Console.Error.WriteLine($"unknown case {key} {impl}"); return 2; }
        if (impl == "torchsharp" || OnLibTorch(impl)) TorchWorkload.Init();
        using var w = entry.Make();
        try { w.Setup(); }
        catch (Exception e) { Console.Error.WriteLine(e.Message); return 1; }

        // Warm-up: tiered JIT, pools, LibTorch's threads. At least two runs and 3 s, one run if it is long.
        // The tiered JIT recompiles a hot method only after 100 ms without new tier-0 compilations, so
        // TensorPrimitives' kernels reach their optimised code only after a few hundred steps of a case like
        // S2 (about 1.7 s here: 4.7 ms a step at first, 1.9 ms from the 500th on).
        var clock = Stopwatch.StartNew();
        int warm = 0;
        double warmUp = brief ? 1.0 : 3.0;
        while (warm < 2 || clock.Elapsed.TotalSeconds < warmUp)
        {
            var t0 = clock.Elapsed.TotalSeconds;
            for (int i = 0; i < w.Batch; i++) w.Run();
            warm++;
            if (clock.Elapsed.TotalSeconds - t0 > 1.0) break;
        }

        Memory.ResetPeak();
        long alloc0 = GC.GetTotalAllocatedBytes(true);
        var samples = new List<double>();
        int runs = 0;
        double checksum = 0;
        clock.Restart();
        double budget = brief ? 1.0 : 2.0;
        while (samples.Count < w.MaxSamples
            && (samples.Count < Math.Min(5, w.MaxSamples) || clock.Elapsed.TotalSeconds < budget))
        {
            long s0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < w.Batch; i++) checksum = w.Run();
            samples.Add(Stopwatch.GetElapsedTime(s0).TotalMilliseconds / w.Batch);
            runs += w.Batch;
        }
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        samples.Sort();
        double median = samples.Count % 2 == 1
            ? samples[samples.Count / 2]
            : (samples[samples.Count / 2 - 1] + samples[samples.Count / 2]) / 2;

        var r = new JsonObject
        {
            ["case"] = w.Case,
            ["impl"] = w.Impl,
            ["dtype"] = w.DType,
        };
        if (w.Variant is not null) r["variant"] = w.Variant;
        r["median_ms"] = Math.Round(median, 6);
        if (w.Flops > 0) r["gflops"] = Math.Round(w.Flops / (median * 1e-3) / 1e9, 2);
        r["peak_mb"] = Math.Round(Memory.PeakMB(), 1);
        r["alloc_bytes"] = Math.Round((double)alloc / runs, 0);
        r["min_ms"] = Math.Round(samples[0], 6);
        r["samples"] = samples.Count;
        r["runs_per_sample"] = w.Batch;
        r["checksum"] = checksum;
        if (impl.StartsWith("funcgrad") && !OnLibTorch(impl))
            r["vector_bits"] = Isa.Seen()["vector_bits"]!.GetValue<int>();
        if (impl == "openblas") r["openblas_core"] = OpenBlas.CoreName;
        var extras = w.Figures.ToList();
        if (extras.Count > 0)
            r["figures"] = new JsonObject(extras.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Value)));
        if (w is CompiledWorkload c)
        {
            r["first_call_ms"] = Math.Round(c.FirstCallMs(), 3);
            r["first_call_cold_ms"] = Math.Round(c.FirstCallColdMs, 3);
            r["exact"] = c.Exact;
        }
        Console.WriteLine("RESULT " + r.ToJsonString());
        return 0;
    }
}

/// <summary>Peak resident memory of this process (Linux VmHWM), with a reset after warm-up.</summary>
public static class Memory
{
    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception) { /* not Linux, or not allowed: peak since start */ }
    }

    public static double PeakMB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:"))
                    return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
