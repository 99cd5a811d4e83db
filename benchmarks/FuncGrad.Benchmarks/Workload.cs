using System.Text.Json.Nodes;

namespace FuncGrad.Benchmarks;

/// <summary>One SUITE.md case for one implementation: set up once, then run one operation at a time.</summary>
public abstract class Workload : IDisposable
{
    /// <summary>S1 … S8.</summary>
    public abstract string Case { get; }
    /// <summary>funcgrad, torchsharp or openblas.</summary>
    public abstract string Impl { get; }
    /// <summary>float32 or float64.</summary>
    public abstract string DType { get; }
    /// <summary>Distinguishes several rows of one case (e.g. "1024" and "256" for S4, "forward" for S2).</summary>
    public virtual string? Variant => null;
    /// <summary>Floating-point operations of one run, for GFLOP/s (S4 only).</summary>
    public virtual double Flops => 0;
    /// <summary>Runs per timed sample in quick mode, for operations too short to time one by one.</summary>
    public virtual int Batch => 1;
    /// <summary>Fewer samples for very long operations (seconds each).</summary>
    public virtual int MaxSamples => 200;
    /// <summary>Figures measured beside the time (a first call's milliseconds, bytes held, a check's outcome), by
    /// name; quick mode writes them under "figures" in the row's JSON and prints them after it.</summary>
    public virtual IEnumerable<(string Name, JsonNode Value)> Figures => [];

    /// <summary>Builds the data (fixed seeds); not timed.</summary>
    public abstract void Setup();

    /// <summary>One operation, as SUITE.md describes it. Returns a number from its result (a checksum).</summary>
    public abstract double Run();

    public virtual void Dispose() { }

    public string Key => Variant is null ? Case : $"{Case}/{Variant}";
}

/// <summary>The same data for both implementations: drawn once with System.Random and a fixed seed.</summary>
public static class Data
{
    public static double[] Normal(int count, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        var v = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            v[i] = scale * r * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < count) v[i + 1] = scale * r * Math.Sin(2 * Math.PI * u2);
        }
        return v;
    }

    public static int[] Labels(int count, int classes, int seed)
    {
        var rng = new Random(seed);
        var l = new int[count];
        for (int i = 0; i < count; i++) l[i] = rng.Next(classes);
        return l;
    }

    public static float[] ToFloat(double[] d) => Array.ConvertAll(d, x => (float)x);

    /// <summary>An MLP's layers: weights [in, out] scaled by 1/√in, biases zero.</summary>
    public static (double[] W, double[] B, int In, int Out)[] Mlp(int[] sizes, int seed)
    {
        var layers = new (double[], double[], int, int)[sizes.Length - 1];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = (Normal(sizes[l] * sizes[l + 1], seed + l, 1.0 / Math.Sqrt(sizes[l])), new double[sizes[l + 1]],
                sizes[l], sizes[l + 1]);
        return layers;
    }
}
