using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.Json.Nodes;

namespace FuncGrad.Benchmarks;

/// <summary>
/// Cold-start rows (issue 27): S1, S2 and S8 in a fresh process, as a script or a short program meets them. Each row
/// starts the benchmark executable again with <c>--cold-child CASE</c>, which times the first 1,000 calls one by one
/// (step 1, 10, 100, 1,000 and their total), then warms up and times the steady state of the same workload in the same
/// process; the "fsi" row runs the S2 loop as an F# script (benchmarks/ColdS2.fsx) under <c>dotnet fsi</c>. Beside the
/// times, each child reports where the warm-up goes: the JIT's time and method count
/// (<see cref="System.Runtime.JitInfo"/>) and the collections at steps 1, 10, 100 and 1,000, and step 1 split into
/// forward, backward and update. <c>--cold-settings</c> runs every row under runtime settings passed to the child as
/// environment variables (<see cref="Settings"/>), <c>--cold-reps</c> repeats each, and <c>--cold-jit</c> adds one
/// child per case that listens to the runtime's JIT events and sums the JIT's time by namespace and tier.
/// </summary>
public static class ColdCases
{
    /// <summary>Calls timed one by one from the start of the process.</summary>
    public const int Steps = 1000;

    /// <summary>The longest warm-up before the steady state is timed, in seconds (it ends sooner once the times stop
    /// falling).</summary>
    public const double MaxWarmUpSeconds = 20;

    /// <summary>The calls whose times (and the JIT's and collector's counts at them) are reported.</summary>
    public static readonly int[] Checkpoints = [1, 10, 100, 1000];

    /// <summary>The cases with a cold row; "fsi" is S2 as a script.</summary>
    public static readonly string[] Cases = ["S1", "S2", "S8", "fsi"];

    /// <summary>
    /// Runtime settings measured on the cold rows, by name: the environment each child gets. "default" is .NET's own
    /// defaults, even should the benchmark's project file change a tiering knob (<see cref="DotnetDefaults"/>), and
    /// "project" is the benchmark's runtimeconfig as it is.
    /// </summary>
    public static readonly (string Name, string[] Env)[] Settings =
    [
        ("default", []),
        ("project", []),
        ("TieredPGO=0", ["DOTNET_TieredPGO=0"]),
        ("CallCountingDelayMs=0", ["DOTNET_TC_CallCountingDelayMs=0"]),
        ("PGO=0+Delay=0", ["DOTNET_TieredPGO=0", "DOTNET_TC_CallCountingDelayMs=0"]),
        ("CallCountThreshold=5", ["DOTNET_TC_CallCountThreshold=5"]),
        ("AggressiveTiering=1", ["DOTNET_TC_AggressiveTiering=1"]),
        ("QuickJitForLoops=0", ["DOTNET_TC_QuickJitForLoops=0"]),
        ("OSR_InitialCounter=100", ["DOTNET_TC_OnStackReplacement_InitialCounter=100"]),
        ("QuickJit=0", ["DOTNET_TC_QuickJit=0"]),
        ("TieredCompilation=0", ["DOTNET_TieredCompilation=0"]),
        ("ReadyToRun=0", ["DOTNET_ReadyToRun=0"]),
    ];

    /// <summary>.NET's defaults for the knobs a project file is likeliest to change, given to every setting but
    /// "project" unless it names the knob itself (an environment variable outranks the runtimeconfig).</summary>
    public static readonly string[] DotnetDefaults = ["DOTNET_TieredPGO=1", "DOTNET_TC_CallCountingDelayMs=100"];

    // ---------------------------------------------------------------------------------------------
    // Parent: one child per (case, setting, repetition).

    /// <summary>Runs the cold rows named in <paramref name="only"/> (null: all) and prints them with their summary;
    /// returns their JSON rows.</summary>
    public static List<JsonObject> Run(string[] args, string[]? only, Func<string, ProcessStartInfo> start)
    {
        var cases = Cases.Where(c => only is null
            || only.Any(o => o == "Cold" || o == "Cold/" + c)).ToArray();
        var names = (Option(args, "--cold-settings") ?? "default").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Contains("all")) names = Settings.Select(s => s.Name).ToArray();
        var settings = new List<(string Name, string[] Env)>();
        foreach (var n in names)
        {
            var s = Settings.FirstOrDefault(s => s.Name == n);
            if (s.Name is null)
            {
                Console.WriteLine($"--cold-settings: no setting {n}; they are all, "
                    + string.Join(", ", Settings.Select(x => x.Name)));
                return [];
            }
            settings.Add(s);
        }
        int reps = int.TryParse(Option(args, "--cold-reps"), out int r) && r > 0 ? r : 1;
        bool brief = args.Contains("--brief");

        Console.WriteLine();
        Console.WriteLine($"cold start, a fresh process per row (issue 27): {CpuDetail()}, "
            + $"{Environment.ProcessorCount} cores; load average {Isa.LoadAverage() ?? "unknown"} (1, 5, 15 min)");
        Console.WriteLine($"  steps timed one by one from the start; steady = median in the same process after at "
            + $"least {(brief ? 1 : 3)} s more warm-up, until the times stop falling; ratios: first-{Steps} total / "
            + $"({Steps} × steady), step 10 / steady");
        Console.WriteLine($"{"row",-9} {"setting",-22} {"rep",3} {"step1_ms",9} {"step10",8} {"step100",8} "
            + $"{"step1000",8} {"first1000_ms",12} {"steady_ms",9} {"1000/st",7} {"10/st",6}  where the warm-up goes");
        var rows = new List<JsonObject>();
        // Repetitions outermost, so that a change in the machine's load falls on every setting alike.
        var skipped = new HashSet<string>();
        for (int rep = 1; rep <= reps; rep++)
            foreach (var c in cases)
                foreach (var (name, env) in settings)
                {
                    if (skipped.Contains(c)) break;
                    var psi = c == "fsi" ? FsiStart(brief) : start($"--cold-child {c}{(brief ? " --brief" : "")}");
                    if (psi is null)
                    {
                        Console.WriteLine($"Cold/{c,-4} {name,-22} skipped: build src/Functional.FSharp -c Release and "
                            + "run from the repository (benchmarks/ColdS2.fsx not found)");
                        skipped.Add(c);
                        break;
                    }
                    Configure(psi, name, env);
                    var row = RunChild(psi);
                    if (row is null)
                    {
                        Console.WriteLine($"Cold/{c,-4} {name,-22} {rep,3} failed: {lastError}");
                        continue;
                    }
                    row["setting"] = name;
                    row["env"] = new JsonArray(psi.Environment
                        .Where(kv => kv.Key.StartsWith("DOTNET_TC_") || kv.Key.StartsWith("DOTNET_Tiered")
                            || kv.Key == "DOTNET_ReadyToRun")
                        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => (JsonNode)$"{kv.Key}={kv.Value}").ToArray());
                    row["rep"] = rep;
                    rows.Add(row);
                    PrintRow(row);
                }
        Summarise(rows);
        if (args.Contains("--cold-jit"))
            foreach (var c in cases.Where(c => c != "fsi"))
            {
                var psi = start($"--cold-child {c} --jit-events{(brief ? " --brief" : "")}");
                Configure(psi, "default", []);
                var row = RunChild(psi, echo: true);
                if (row is null) Console.WriteLine($"Cold/{c} JIT events: failed: {lastError}");
            }
        return rows;
    }

    private static string? lastError;

    private static void Configure(ProcessStartInfo psi, string name, string[] env)
    {
        // Only the row's setting: tiering knobs from the caller's shell would change every row alike, unseen.
        foreach (var k in psi.Environment.Keys.Where(IsTieringKnob).ToList()) psi.Environment.Remove(k);
        if (name != "project")
            foreach (var kv in DotnetDefaults) Set(psi, kv);
        foreach (var kv in env) Set(psi, kv);
    }

    private static void Set(ProcessStartInfo psi, string kv)
    {
        var p = kv.Split('=', 2);
        psi.Environment[p[0]] = p[1];
    }

    private static bool IsTieringKnob(string k)
    {
        foreach (var prefix in new[] { "DOTNET_", "COMPlus_" })
            if (k.StartsWith(prefix + "Tiered", StringComparison.OrdinalIgnoreCase)
                || k.StartsWith(prefix + "TC_", StringComparison.OrdinalIgnoreCase)
                || k.StartsWith(prefix + "OSR", StringComparison.OrdinalIgnoreCase)
                || k.Equals(prefix + "ReadyToRun", StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    private static JsonObject? RunChild(ProcessStartInfo psi, bool echo = false)
    {
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string? line, result = null;
        while ((line = p.StandardOutput.ReadLine()) is not null)
            if (line.StartsWith("RESULT ")) result = line[7..];
            else if (echo) Console.WriteLine(line);
        p.WaitForExit();
        if (result is null)
        {
            var err = stderr.Result.Trim();
            lastError = err.Length == 0 ? $"exit code {p.ExitCode}, no result" : err.Split('\n')[0];
            return null;
        }
        return JsonNode.Parse(result)!.AsObject();
    }

    /// <summary><c>dotnet fsi benchmarks/ColdS2.fsx</c>, or null where the script or the F# library's build is
    /// missing.</summary>
    private static ProcessStartInfo? FsiStart(bool brief)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "benchmarks", "ColdS2.fsx");
            var lib = Path.Combine(
                dir.FullName, "src", "Functional.FSharp", "bin", "Release", "net10.0", "FuncGrad.dll");
            if (!File.Exists(script)) continue;
            if (!File.Exists(lib)) return null;
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            foreach (var a in new[] { "fsi", "--quiet", script }) psi.ArgumentList.Add(a);
            if (brief) psi.ArgumentList.Add("--brief");
            return psi;
        }
        return null;
    }

    // Parsed rows hold JsonElement numbers, rows built here ints and doubles: read all through their text.
    private static double Get(JsonNode? n) =>
        n is null ? double.NaN : double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static void PrintRow(JsonObject row)
    {
        var step = row["step_ms"]!.AsObject();
        double steady = Get(row["steady_ms"]);
        var at1000 = row["checkpoints"]!.AsArray().Last()!;
        var split = row["step1_split_ms"] is JsonObject s
            ? " (" + string.Join(" ", s.Select(kv => $"{kv.Key} {Get(kv.Value):F0}")) + ")"
            : "";
        Console.WriteLine($"Cold/{(string)row["case"]!,-4} {(string)row["setting"]!,-22} {Get(row["rep"]),3} "
            + $"{Get(step["1"]),9:F1} {Get(step["10"]),8:F2} {Get(step["100"]),8:F3} {Get(step["1000"]),8:F3} "
            + $"{Get(row["first_ms"]),12:F1} {steady,9:F4} "
            + $"{Get(row["first_ratio"]),7:F2} {Get(row["step10_ratio"]),6:F1}  "
            + $"start→main {Get(row["start_to_main_ms"]):F0} ms, setup {Get(row["setup_ms"]):F0} ms{split}; "
            + $"steady after {Get(row["warm_up_s"]):F0} s more; "
            + $"by step {Steps}: JIT {Get(at1000["jit_ms"]):F0} ms, {Get(at1000["jit_methods"]):F0} methods, "
            + $"gen0/1/2 {Get(at1000["gc0"]):F0}/{Get(at1000["gc1"]):F0}/{Get(at1000["gc2"]):F0}; "
            + $"within 1.2 × steady from step {row["steady_from_step"]}");
    }

    /// <summary>Per row and setting: the least and the median over repetitions of the two ratios and the steady step,
    /// and each setting's first-1000 total against the same row's default.</summary>
    private static void Summarise(List<JsonObject> rows)
    {
        if (rows.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine($"cold summary (min / median over repetitions; targets: first-{Steps} ≤ 1.3 × steady, "
            + "step 10 ≤ 2 × steady; 'vs default': first-1000 total / the default's, medians):");
        Console.WriteLine($"{"row",-9} {"setting",-22} {"n",2} {"first1000_ms",17} {"steady_ms",17} "
            + $"{"1000/steady",13} {"10/steady",13} {"vs default",10}");
        foreach (var g in rows.GroupBy(r => ((string)r["case"]!, (string)r["setting"]!)))
        {
            double Med(string f) => Median(g.Select(r => Get(r[f])));
            double Min(string f) => g.Min(r => Get(r[f]));
            var def = rows.Where(r => (string)r["case"]! == g.Key.Item1 && (string)r["setting"]! == "default").ToList();
            string vs = def.Count > 0 ? $"{Med("first_ms") / Median(def.Select(r => Get(r["first_ms"]))),10:F2}"
                : $"{"-",10}";
            Console.WriteLine($"Cold/{g.Key.Item1,-4} {g.Key.Item2,-22} {g.Count(),2} "
                + $"{Min("first_ms"),8:F0} /{Med("first_ms"),7:F0} {Min("steady_ms"),8:F4} /{Med("steady_ms"),7:F4} "
                + $"{Min("first_ratio"),6:F2} /{Med("first_ratio"),5:F2} "
                + $"{Min("step10_ratio"),6:F1} /{Med("step10_ratio"),5:F1} "
                + vs);
        }
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        if (s.Length == 0) return double.NaN;
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The CPU's model name with its family and model numbers (x86 Linux), which tell its generation where the
    /// name does not (a virtual machine's "AMD EPYC").</summary>
    public static string CpuDetail()
    {
        string name = Isa.CpuModel();
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var f = File.ReadLines("/proc/cpuinfo").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
                if (f.TryGetValue("cpu family", out var fam) && f.TryGetValue("model", out var model))
                    name += $" (family {fam} model {model})";
            }
        }
        catch (IOException) { }
        return name;
    }

    // ---------------------------------------------------------------------------------------------
    // Child: the measurement itself, in the fresh process.

    /// <summary>Times the first <see cref="Steps"/> calls of <paramref name="case"/> in this (fresh) process, then its
    /// steady state, and prints them as one RESULT line.</summary>
    public static int Child(string @case, bool brief, bool jitEvents)
    {
        // First thing: how long the runtime took to reach Main (the kernel's start time has 10 ms steps).
        double startToMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        using var listener = jitEvents ? new JitListener() : null;
        var clock = Stopwatch.StartNew();
        Workload w = @case switch
        {
            "S1" => new FgScalarChain(),
            "S2" => new FgMlpStep("S2", DType.Float32),
            "S8" => new FgMlpStep("S8", DType.Float64),
            _ => throw new ArgumentException($"--cold-child: no cold row for case {@case}; they are S1, S2, S8"),
        };
        w.Setup();
        double setupMs = clock.Elapsed.TotalMilliseconds;

        var times = new double[Steps];
        var checkpoints = new JsonArray();
        var split = new JsonObject();
        var phaseEnds = new List<(string Name, DateTime At)> { ("setup", DateTime.UtcNow) };
        double checksum = 0;
        for (int i = 0; i < Steps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (i == 0 && w is FgMlpStep mlp)
            {
                long last = t0;
                checksum = mlp.Run(phase =>
                {
                    long now = Stopwatch.GetTimestamp();
                    split[phase] = Math.Round(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds, 3);
                    last = now;
                });
            }
            else checksum = w.Run();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (Checkpoints.Contains(i + 1))
            {
                checkpoints.Add(Checkpoint(i + 1, clock));
                phaseEnds.Add(($"to step {i + 1}", DateTime.UtcNow));
            }
        }

        // The steady state: the same workload in the same process, once the tiered JIT is done with it. A fixed warm-up
        // is not enough: with .NET's defaults on 2 busy cores S8 still ran its instrumented (PGO) code 4 s in, at 3 to
        // 5 × its final time. So warm up in rounds until two rounds in a row gain less than 3 % on the best.
        var warm = Stopwatch.StartNew();
        var rounds = new JsonArray();
        double best = double.PositiveInfinity, roundS = brief ? 0.5 : 1.0;
        int flat = 0;
        while (warm.Elapsed.TotalSeconds < MaxWarmUpSeconds)
        {
            var round = new List<double>();
            var roundClock = Stopwatch.StartNew();
            while (roundClock.Elapsed.TotalSeconds < roundS)
            {
                long s0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < w.Batch; i++) w.Run();
                round.Add(Stopwatch.GetElapsedTime(s0).TotalMilliseconds / w.Batch);
            }
            double m = Median(round);
            rounds.Add(Math.Round(m, 5));
            if (m < 0.97 * best) { best = m; flat = 0; }
            else flat++;
            if (flat >= 2 && warm.Elapsed.TotalSeconds >= (brief ? 1.0 : 3.0)) break;
        }
        double warmUpS = warm.Elapsed.TotalSeconds;
        var samples = new List<double>();
        var timing = Stopwatch.StartNew();
        while (samples.Count < 5 || timing.Elapsed.TotalSeconds < (brief ? 1.0 : 2.0))
        {
            long s0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < w.Batch; i++) w.Run();
            samples.Add(Stopwatch.GetElapsedTime(s0).TotalMilliseconds / w.Batch);
        }
        double steady = Median(samples);
        var atSteady = Checkpoint(0, clock);
        phaseEnds.Add(("steady state", DateTime.UtcNow));

        // The first call from which ten in a row take at most 1.2 × the steady time, as their median.
        string steadyFrom = $">{Steps - 9}";
        for (int i = 0; i + 10 <= Steps; i++)
            if (Median(times.Skip(i).Take(10)) <= 1.2 * steady)
            {
                steadyFrom = (i + 1).ToString(CultureInfo.InvariantCulture);
                break;
            }

        var stepMs = new JsonObject();
        foreach (int k in Checkpoints) stepMs[k.ToString(CultureInfo.InvariantCulture)] = Math.Round(times[k - 1], 4);
        double first = times.Sum();
        var r = new JsonObject
        {
            ["case"] = @case,
            ["impl"] = "funcgrad-cold",
            ["dtype"] = w.DType,
            ["isa"] = "native",
            ["median_ms"] = Math.Round(steady, 6),
            ["steady_ms"] = Math.Round(steady, 6),
            ["step_ms"] = stepMs,
            ["first_ms"] = Math.Round(first, 3),
            ["first_ratio"] = Math.Round(first / (Steps * steady), 3),
            ["step10_ratio"] = Math.Round(times[9] / steady, 3),
            ["steady_from_step"] = steadyFrom,
            ["start_to_main_ms"] = Math.Round(startToMain, 1),
            ["setup_ms"] = Math.Round(setupMs, 2),
            ["warm_up_s"] = Math.Round(warmUpS, 1),
            ["warm_rounds_ms"] = rounds,
            ["checkpoints"] = checkpoints,
            ["steady_checkpoint"] = atSteady,
            ["checksum"] = checksum,
        };
        if (split.Count > 0) r["step1_split_ms"] = split;
        if (listener is not null)
        {
            Thread.Sleep(1000); // the runtime's events reach a listener on a thread of their own, a little late
            listener.Print(@case, phaseEnds);
        }
        Console.WriteLine("RESULT " + r.ToJsonString());
        return 0;
    }

    private static JsonObject Checkpoint(int step, Stopwatch clock) => new()
    {
        ["step"] = step,
        ["since_main_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
        ["jit_ms"] = Math.Round(System.Runtime.JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds, 1),
        ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false),
        ["gc0"] = GC.CollectionCount(0),
        ["gc1"] = GC.CollectionCount(1),
        ["gc2"] = GC.CollectionCount(2),
        ["alloc_mb"] = Math.Round(GC.GetTotalAllocatedBytes() / 1048576.0, 1),
    };

    /// <summary>
    /// The runtime's JIT events in this process: each method's compilation (from MethodJittingStarted to its
    /// MethodLoadVerbose, on one thread), summed by namespace and optimisation tier per phase of the cold run, and the
    /// ReadyToRun methods the runtime handed out precompiled code for.
    /// </summary>
    private sealed class JitListener : EventListener
    {
        // Field initialisers run before the base constructor, which already announces the runtime's event source.
        private readonly Dictionary<(ulong Method, int Thread), DateTime> started = [];
        private readonly List<(DateTime At, string Group, string Tier, double Ms, string Method)> jitted = [];
        private readonly List<(DateTime At, string Group)> readyToRun = [];
        private readonly object gate = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            // 0x10 JIT, 0x8 loader, 0x2000000000 compilation diagnostics (R2RGetEntryPoint).
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)(0x10L | 0x8L | 0x2000000000L));
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.Payload is null || e.PayloadNames is null) return;
            object? P(string name)
            {
                int i = e.PayloadNames.IndexOf(name);
                return i >= 0 ? e.Payload[i] : null;
            }
            var at = e.TimeStamp.ToUniversalTime();
            lock (gate)
            {
                if (e.EventName?.StartsWith("MethodJittingStarted") == true)
                    started[(Convert.ToUInt64(P("MethodID")), (int)e.OSThreadId)] = at;
                else if (e.EventName?.StartsWith("MethodLoadVerbose") == true)
                {
                    var key = (Convert.ToUInt64(P("MethodID")), (int)e.OSThreadId);
                    if (!started.Remove(key, out var t0)) return;
                    uint flags = Convert.ToUInt32(P("MethodFlags"));
                    string type = (string?)P("MethodNamespace") ?? "";
                    jitted.Add((at, Group(type), Tier((flags >> 7) & 7), (at - t0).TotalMilliseconds,
                        Short(type) + "." + (string?)P("MethodName")));
                }
                else if (e.EventName == "R2RGetEntryPoint")
                    readyToRun.Add((at, Group((string?)P("MethodNamespace"))));
            }
        }

        private static string Group(string? type)
        {
            if (string.IsNullOrEmpty(type)) return "(none)";
            int generic = type.IndexOfAny(['`', '[']);
            var parts = (generic >= 0 ? type[..generic] : type).Split('.');
            if (parts.Length >= 3 && parts[0] == "System" && parts[1] == "Numerics" && parts[2] == "Tensors")
                return "System.Numerics.Tensors";
            return parts.Length >= 2 ? parts[0] + "." + parts[1] : parts[0];
        }

        // A type's name without its namespace and generic arguments, for the slowest methods' list.
        private static string Short(string type)
        {
            int generic = type.IndexOf('[');
            var name = generic >= 0 ? type[..generic] : type;
            return name[(name.LastIndexOf('.') + 1)..];
        }

        // The tier field of MethodLoadVerbose's MethodFlags (bits 7–9).
        private static string Tier(uint t) => t switch
        {
            1 => "minopts",
            2 => "optimised",
            3 => "tier0",
            4 => "tier1",
            5 => "osr",
            6 => "tier0-instr",
            7 => "tier1-instr",
            _ => "unknown",
        };

        public void Print(string @case, List<(string Name, DateTime At)> phases)
        {
            lock (gate)
            {
                Console.WriteLine($"JIT events, {@case}: compilations by namespace and tier per phase "
                    + "(ms of the JIT, methods); ReadyToRun methods entered");
                for (int p = 0; p < phases.Count; p++)
                {
                    DateTime from = p == 0 ? DateTime.MinValue : phases[p - 1].At, to = phases[p].At;
                    var inPhase = jitted.Where(j => j.At > from && j.At <= to).ToList();
                    var r2r = readyToRun.Where(j => j.At > from && j.At <= to).ToList();
                    Console.WriteLine($"  {phases[p].Name}: JIT {inPhase.Sum(j => j.Ms):F0} ms over {inPhase.Count} "
                        + $"methods; {r2r.Count} ReadyToRun methods entered");
                    var groups = inPhase.GroupBy(j => (j.Group, j.Tier)).OrderByDescending(g => g.Sum(j => j.Ms));
                    foreach (var g in groups.Take(8))
                        Console.WriteLine(
                            $"    {g.Key.Group,-34} {g.Key.Tier,-12} {g.Sum(j => j.Ms),8:F1} ms {g.Count(),5}  "
                            + string.Join(", ", g.OrderByDescending(j => j.Ms).Take(3).Select(j => j.Method)));
                    foreach (var g in r2r.GroupBy(j => j.Group).OrderByDescending(g => g.Count()).Take(4))
                        Console.WriteLine($"    {g.Key,-34} {"readytorun",-12} {"",8}    {g.Count(),5}");
                }
            }
        }
    }
}
