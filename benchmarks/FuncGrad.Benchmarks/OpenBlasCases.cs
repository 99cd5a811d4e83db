using System.Runtime.InteropServices;

namespace FuncGrad.Benchmarks;

/// <summary>
/// OpenBLAS's cblas_sgemm / cblas_dgemm, the reference for S4, from Debian's libopenblas0-pthread
/// (installed by ../setup.sh). Loaded at run time, so a machine without it just skips these rows.
/// </summary>
public static unsafe class OpenBlas
{
    private static readonly nint Lib;
    private static readonly delegate* unmanaged<int, int, int, int, int, int,
        float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, int, int, int, int, int,
        double, double*, int, double*, int, double, double*, int, void> Dgemm;

    static OpenBlas()
    {
        var candidates = new[]
            { "libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.so" };
        foreach (var name in candidates)
            if (NativeLibrary.TryLoad(name, out Lib)) break;
        if (Lib == 0) return;
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int,
            float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(Lib, "cblas_sgemm");
        Dgemm = (delegate* unmanaged<int, int, int, int, int, int,
            double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(Lib, "cblas_dgemm");
        if (NativeLibrary.TryGetExport(Lib, "openblas_set_num_threads", out var setThreads))
            ((delegate* unmanaged<int, void>)setThreads)(2);
        if (NativeLibrary.TryGetExport(Lib, "openblas_get_corename", out var coreName))
            CoreName = Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)coreName)()) ?? "unknown";
    }

    /// <summary>The kernel family OpenBLAS chose for this CPU (openblas_get_corename, e.g. "Haswell", "SkylakeX",
    /// "Zen").</summary>
    public static string CoreName { get; } = "unknown";

    public static bool Available => Lib != 0;

    public const string Missing =
        "OpenBLAS not found (libopenblas.so.0): run benchmarks/FuncGrad.Benchmarks/setup.sh "
        + "(apt-get install libopenblas0-pthread) for the S4 reference";

    // Row-major (101), no transposes (111): c = a·b.
    public static void Gemm(float[] a, float[] b, float[] c, int n)
    {
        fixed (float* pa = a, pb = b, pc = c) Sgemm(101, 111, 111, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
    }

    public static void Gemm(double[] a, double[] b, double[] c, int n)
    {
        fixed (double* pa = a, pb = b, pc = c) Dgemm(101, 111, 111, n, n, n, 1.0, pa, n, pb, n, 0.0, pc, n);
    }
}

/// <summary>S4 through OpenBLAS, into a preallocated output.</summary>
public sealed class BlasGemm(bool f32, int n) : Workload
{
    public override string Case => "S4";
    public override string Impl => "openblas";
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => n.ToString();
    public override double Flops => 2.0 * n * n * n;
    public override int Batch => n <= 256 ? 8 : 1;
    private float[] af = null!, bf = null!, cf = null!;
    private double[] ad = null!, bd = null!, cd = null!;

    public override void Setup()
    {
        if (!OpenBlas.Available) throw new InvalidOperationException(OpenBlas.Missing);
        ad = Data.Normal(n * n, 1); bd = Data.Normal(n * n, 2); cd = new double[n * n];
        af = Data.ToFloat(ad); bf = Data.ToFloat(bd); cf = new float[n * n];
    }

    public override double Run()
    {
        if (f32) { OpenBlas.Gemm(af, bf, cf, n); return cf[0]; }
        OpenBlas.Gemm(ad, bd, cd, n); return cd[0];
    }
}
