using TorchSharp;

namespace FuncGrad.Benchmarks;

// S20 rows for Ops/Elementary.cs and Ops/Rounding.cs, arguments spread over each function's domain.
public static partial class ElementwiseRows
{
    /// <summary>Asin … Entr.</summary>
    public static IEnumerable<ElementwiseRow> Elementary() =>
    [
        new("asin", -1, 1, x => x.Asin(), x => x.asin()),
        new("acos", -1, 1, x => x.Acos(), x => x.acos()),
        new("atan", -10, 10, x => x.Atan(), x => x.atan()),
        new("sinh", -10, 10, x => x.Sinh(), x => x.sinh()),
        new("cosh", -10, 10, x => x.Cosh(), x => x.cosh()),
        new("asinh", -10, 10, x => x.Asinh(), x => x.asinh()),
        new("acosh", 1, 10, x => x.Acosh(), x => x.acosh()),
        new("atanh", -1, 1, x => x.Atanh(), x => x.atanh()),
        new("log2", 0, 100, x => x.Log2(), x => x.log2()),
        new("log10", 0, 100, x => x.Log10(), x => x.log10()),
        new("exp2", -10, 10, x => x.Exp2(), x => torch.special.exp2(x)),
        new("rsqrt", 0, 100, x => x.Rsqrt(), x => x.rsqrt()),
        new("sinc", -10, 10, x => x.Sinc(), x => x.sinc()),
        new("logit", 0, 1, x => x.Logit(), x => x.logit()),
        new("entr", 0, 5, x => x.Entr(), x => torch.special.entr(x)),
    ];

    /// <summary>Floor, Ceil, Round, Round(2), Trunc, Frac.</summary>
    public static IEnumerable<ElementwiseRow> Rounding() =>
    [
        new("floor", -100, 100, x => x.Floor(), x => x.floor()),
        new("ceil", -100, 100, x => x.Ceil(), x => x.ceil()),
        new("round", -100, 100, x => x.Round(), x => x.round()),
        new("round-decimals", -100, 100, x => x.Round(2), x => x.round(2)),
        new("trunc", -100, 100, x => x.Trunc(), x => x.trunc()),
        new("frac", -100, 100, x => x.Frac(), x => x.frac()),
    ];
}
