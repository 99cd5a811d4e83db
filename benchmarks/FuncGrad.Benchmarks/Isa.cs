using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;

namespace FuncGrad.Benchmarks;

/// <summary>
/// The instruction sets the quick mode can run FuncGrad's workers under (<c>--isa</c>), by .NET's
/// <c>DOTNET_Enable*</c> switches, and what the machine and each worker process see.
/// </summary>
public static class Isa
{
    /// <summary>Every setting, by name, with the switches its worker processes get.</summary>
    /// <remarks>
    /// .NET 10 reads <c>DOTNET_EnableAVX512</c>; <c>DOTNET_EnableAVX512F</c> (the name of earlier
    /// runtimes) alone leaves Vector512 accelerated there, so <c>avx2</c> sets both. On ARM64 the x86
    /// switches are ignored: <c>avx2</c> and <c>vector128</c> run the native (128-bit AdvSimd) path.
    /// </remarks>
    public static readonly IReadOnlyDictionary<string, string[]> Switches = new Dictionary<string, string[]>
    {
        ["native"] = [],
        ["avx2"] = ["DOTNET_EnableAVX512=0", "DOTNET_EnableAVX512F=0"],
        ["vector128"] = ["DOTNET_EnableAVX2=0"],
        ["scalar"] = ["DOTNET_EnableHWIntrinsic=0"],
    };

    /// <summary>
    /// Sets a worker's environment to exactly <paramref name="isa"/>'s switches: any <c>DOTNET_Enable*</c>
    /// ISA switch inherited from this process is removed first (<c>--isa</c> is the one way to choose).
    /// </summary>
    public static void Apply(ProcessStartInfo psi, string isa)
    {
        foreach (var name in Inherited()) psi.Environment.Remove(name);
        foreach (var s in Switches[isa])
        {
            var kv = s.Split('=', 2);
            psi.Environment[kv[0]] = kv[1];
        }
    }

    /// <summary>The ISA switches in this process's environment (<c>DOTNET_</c> or <c>COMPlus_</c> <c>Enable…</c>, W^X
    /// aside).</summary>
    public static IEnumerable<string> Inherited() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase)
                            || k.StartsWith("COMPlus_Enable", StringComparison.OrdinalIgnoreCase))
                        && !k.EndsWith("WriteXorExecute", StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k, StringComparer.Ordinal);

    /// <summary>What this process sees: the vector widths .NET accelerates and the instruction sets behind
    /// them.</summary>
    public static JsonObject Seen() => new()
    {
        ["arch"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["vector_bits"] = Vector512.IsHardwareAccelerated ? 512
            : Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128
            : 0,
        ["Vector512"] = Vector512.IsHardwareAccelerated,
        ["Vector256"] = Vector256.IsHardwareAccelerated,
        ["Vector128"] = Vector128.IsHardwareAccelerated,
        ["Avx512F"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        ["Avx2"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        ["Fma"] = System.Runtime.Intrinsics.X86.Fma.IsSupported,
        ["AdvSimd"] = System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported,
    };

    /// <summary>One line from <see cref="Seen"/>: "Vector512 on, Vector256 on, … AdvSimd off".</summary>
    public static string Describe(JsonObject seen) =>
        string.Join(", ", new[] { "Vector512", "Vector256", "Vector128", "Avx512F", "Avx2", "Fma", "AdvSimd" }
            .Select(k => $"{k} {(seen[k]!.GetValue<bool>() ? "on" : "off")}"));

    /// <summary>The load averages from /proc/loadavg (Linux), or null: a busy machine disturbs every figure.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return OperatingSystem.IsLinux()
                ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
                : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>
    /// The CPU's model: /proc/cpuinfo's "model name" on Linux (ARM64 kernels may give only "Hardware" or
    /// implementer and part numbers), machdep.cpu.brand_string on macOS, PROCESSOR_IDENTIFIER on Windows;
    /// the architecture alone when none of these answers.
    /// </summary>
    public static string CpuModel()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var fields = File.ReadLines("/proc/cpuinfo")
                    .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
                foreach (var key in new[] { "model name", "Hardware", "Model", "cpu model" })
                    if (fields.TryGetValue(key, out var v) && v.Length > 0) return v;
                if (fields.TryGetValue("CPU implementer", out var impl) && fields.TryGetValue("CPU part", out var part))
                    return $"{arch} CPU, implementer {impl}, part {part}";
            }
            else if (OperatingSystem.IsMacOS())
            {
                var psi = new ProcessStartInfo("sysctl", "-n machdep.cpu.brand_string")
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false
                };
                using var p = Process.Start(psi)!;
                var s = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                if (s.Length > 0) return s;
            }
            else if (Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } id)
                return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException
            or System.ComponentModel.Win32Exception)
        { }
        return $"unknown {arch} CPU";
    }
}
