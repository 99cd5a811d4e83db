using TorchSharp;

namespace FuncGrad.Benchmarks;

// S20 rows for Ops/BinaryMath.cs, Ops/Clamp.cs and the whole powers of Ops/Power.cs, arguments spread over each
// function's domain.
public static partial class ElementwiseRows
{
    /// <summary>Atan2 … Lerp, of two tensors.</summary>
    public static IEnumerable<ElementwiseRow2> BinaryMath() =>
    [
        new("atan2", -10, 10, -10, 10, (a, b) => a.Atan2(b), (a, b) => a.atan2(b)),
        new("hypot", -10, 10, -10, 10, (a, b) => a.Hypot(b), (a, b) => a.hypot(b)),
        new("fmod", -100, 100, 1, 10, (a, b) => a.Fmod(b), (a, b) => a.fmod(b)),
        new("remainder", -100, 100, 1, 10, (a, b) => a.Remainder(b), (a, b) => a.remainder(b)),
        new("copysign", -10, 10, -10, 10, (a, b) => a.Copysign(b), (a, b) => a.copysign(b)),
        new("logaddexp", -10, 10, -10, 10, (a, b) => a.Logaddexp(b), (a, b) => a.logaddexp(b)),
        new("logaddexp2", -10, 10, -10, 10, (a, b) => a.Logaddexp2(b), (a, b) => a.logaddexp2(b)),
        new("xlogy", -10, 10, 0, 10, (a, b) => a.Xlogy(b), (a, b) => a.xlogy(b)),
        new("xlog1py", -10, 10, -0.9, 10, (a, b) => a.Xlog1py(b), (a, b) => torch.special.xlog1py(a, b)),
        new("lerp", -10, 10, -10, 10, (a, b) => a.Lerp(b, 0.3), (a, b) => a.lerp(b, 0.3)),
        new("clamp-tensors", -10, 10, -5, 5, (x, lo) => x.Clamp(lo, lo + 2.0), (x, lo) => x.clamp(lo, lo + 2.0)),
    ];

    /// <summary>Clamp by numbers and the whole powers (x ** 3.0 beside x * x * x).</summary>
    public static IEnumerable<ElementwiseRow> ClampAndPowers() =>
    [
        new("clamp", -10, 10, x => x.Clamp(-1.0, 1.0), x => x.clamp(-1.0, 1.0)),
        new("pow2", -10, 10, x => x.Pow(2.0), x => x.pow(2.0)),
        new("pow3", -10, 10, x => x.Pow(3.0), x => x.pow(3.0)),
        new("cube-products", -10, 10, x => x * x * x, x => x * x * x),
        new("pow-1", 0.1, 10, x => x.Pow(-1.0), x => x.pow(-1.0)),
    ];
}
