using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// S20 (SUITE.md): every elementwise op on 2^20 elements, float32 and float64, values spread uniformly over the op's
// domain; forward alone, and forward + backward of sum(y·c) for a fixed random cotangent c. Each family states its
// ops as rows in its own file, ElementwiseRows.<Family>.cs: a static method of ElementwiseRows returning
// IEnumerable<ElementwiseRow> (one argument) or IEnumerable<ElementwiseRow2> (two). The rows are found by reflection,
// so a family adds rows without touching this file or Program.cs. Keys: S20/<op>/<float32|float64>/<forward|backward>.

/// <summary>An elementwise op of one argument: its name (the key's op), the interval its arguments are drawn from,
/// and the op in FuncGrad and in TorchSharp.</summary>
public sealed record ElementwiseRow(string Name, double Lo, double Hi, Func<Tensor, Tensor> FuncGrad,
    Func<TTensor, TTensor> Torch);

/// <summary>An elementwise op of two arguments of the same shape: an interval per argument, the op on both sides.
/// The backward run differentiates with respect to both arguments.</summary>
public sealed record ElementwiseRow2(string Name, double Lo1, double Hi1, double Lo2, double Hi2,
    Func<Tensor, Tensor, Tensor> FuncGrad, Func<TTensor, TTensor, TTensor> Torch);

/// <summary>The S20 rows, one partial file per family (ElementwiseRows.&lt;Family&gt;.cs).</summary>
public static partial class ElementwiseRows
{
    /// <summary>Every row of every family: the static methods of this class that return rows, in name order (so the
    /// run order does not depend on reflection's order).</summary>
    public static (List<ElementwiseRow> One, List<ElementwiseRow2> Two) All()
    {
        var one = new List<ElementwiseRow>();
        var two = new List<ElementwiseRow2>();
        var methods = typeof(ElementwiseRows)
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.GetParameters().Length == 0)
            .OrderBy(m => m.Name, StringComparer.Ordinal);
        foreach (var m in methods)
        {
            if (m.ReturnType == typeof(IEnumerable<ElementwiseRow>))
                one.AddRange((IEnumerable<ElementwiseRow>)m.Invoke(null, null)!);
            else if (m.ReturnType == typeof(IEnumerable<ElementwiseRow2>))
                two.AddRange((IEnumerable<ElementwiseRow2>)m.Invoke(null, null)!);
        }
        var dup = one.Select(r => r.Name).Concat(two.Select(r => r.Name))
            .GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InvalidOperationException($"S20: two rows are named {dup.Key}");
        return (one, two);
    }
}

/// <summary>S20's registry entries: for each row, dtype and mode, a FuncGrad and a TorchSharp workload.</summary>
public static class ElementwiseCases
{
    /// <summary>2^20 elements per argument.</summary>
    public const int N = 1 << 20;

    /// <summary>Entries for Program.Registry, keyed S20/&lt;op&gt;/&lt;dtype&gt;/&lt;forward|backward&gt;.</summary>
    public static IEnumerable<(string Key, string Impl, Func<Workload> Make)> Registry()
    {
        var (one, two) = ElementwiseRows.All();
        foreach (var name in one.Select(r => r.Name).Concat(two.Select(r => r.Name)).Order(StringComparer.Ordinal))
            foreach (bool f32 in new[] { true, false })
                foreach (bool backward in new[] { false, true })
                {
                    string key = $"S20/{Variant(name, f32, backward)}";
                    var r1 = one.FirstOrDefault(r => r.Name == name);
                    var r2 = two.FirstOrDefault(r => r.Name == name);
                    yield return (key, "funcgrad", () => new FgElementwise(name, f32, backward, r1, r2));
                    yield return (key, "torchsharp", () => new TsElementwise(name, f32, backward, r1, r2));
                }
    }

    internal static string Variant(string name, bool f32, bool backward) =>
        $"{name}/{(f32 ? "float32" : "float64")}/{(backward ? "backward" : "forward")}";

    /// <summary>N values uniform in [lo, hi] (fixed seed, so both sides see the same data).</summary>
    internal static double[] Uniform(double lo, double hi, int seed)
    {
        var rng = new Random(seed);
        var v = new double[N];
        for (int i = 0; i < N; i++) v[i] = lo + (hi - lo) * rng.NextDouble();
        return v;
    }
}

/// <summary>One S20 row in FuncGrad: forward, or the gradient of sum(op(x)·c) (of both arguments for two).</summary>
public sealed class FgElementwise(string name, bool f32, bool backward, ElementwiseRow? one, ElementwiseRow2? two)
    : FuncGradWorkload
{
    public override string Case => "S20";
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => ElementwiseCases.Variant(name, f32, backward);
    private Tensor x = null!, y = null!, c = null!;

    private Tensor Make(double[] v) =>
        f32 ? Tensor.FromArray(Data.ToFloat(v), [ElementwiseCases.N]) : Tensor.FromArray(v, [ElementwiseCases.N]);

    public override void Setup()
    {
        if (one is not null) x = Make(ElementwiseCases.Uniform(one.Lo, one.Hi, 1));
        else
        {
            x = Make(ElementwiseCases.Uniform(two!.Lo1, two.Hi1, 1));
            y = Make(ElementwiseCases.Uniform(two.Lo2, two.Hi2, 3));
        }
        c = Make(Data.Normal(ElementwiseCases.N, 2));
    }

    public override double Run()
    {
        if (one is not null)
            return backward ? Autodiff.Grad(t => (one.FuncGrad(t) * c).Sum(), x).Count : one.FuncGrad(x).Count;
        if (!backward) return two!.FuncGrad(x, y).Count;
        var (v, pullback) = Autodiff.Vjp(ts => (two!.FuncGrad(ts[0], ts[1]) * c).Sum(), [x, y]);
        var g = pullback(Tensor.OnesLike(v));
        return g[0].Count + g[1].Count;
    }
}

/// <summary>One S20 row in TorchSharp, with its autograd for the backward mode.</summary>
public sealed class TsElementwise(string name, bool f32, bool backward, ElementwiseRow? one, ElementwiseRow2? two)
    : TorchWorkload
{
    public override string Case => "S20";
    public override string DType => f32 ? "float32" : "float64";
    public override string? Variant => ElementwiseCases.Variant(name, f32, backward);
    private TTensor x = null!, y = null!, c = null!;
    private ScalarType T => f32 ? ScalarType.Float32 : ScalarType.Float64;

    public override void Setup()
    {
        long[] shape = [ElementwiseCases.N];
        if (one is not null) x = Make(ElementwiseCases.Uniform(one.Lo, one.Hi, 1), shape, T).requires_grad_(backward);
        else
        {
            x = Make(ElementwiseCases.Uniform(two!.Lo1, two.Hi1, 1), shape, T).requires_grad_(backward);
            y = Make(ElementwiseCases.Uniform(two.Lo2, two.Hi2, 3), shape, T).requires_grad_(backward);
        }
        c = Make(Data.Normal(ElementwiseCases.N, 2), shape, T);
    }

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (!backward)
        {
            using var noGrad = torch.no_grad();
            return (one is not null ? one.Torch(x) : two!.Torch(x, y)).numel();
        }
        if (one is not null) return torch.autograd.grad([(one.Torch(x) * c).sum()], [x])[0].numel();
        var g = torch.autograd.grad([(two!.Torch(x, y) * c).sum()], [x, y]);
        return g[0].numel() + g[1].numel();
    }
}
