using static TorchSharp.torch;

namespace FuncGrad.LibTorch;

// The elementary functions of Ops/Elementary.cs and the rounding of Ops/Rounding.cs, on torch's own kernels.
internal sealed partial class TorchBackend
{
    internal override Tensor? Elementary(string name, Tensor x) => name switch
    {
        "Asin" => Map(x, t => t.asin()),
        "Acos" => Map(x, t => t.acos()),
        "Atan" => Map(x, t => t.atan()),
        "Sinh" => Map(x, t => t.sinh()),
        "Cosh" => Map(x, t => t.cosh()),
        "Asinh" => Map(x, t => t.asinh()),
        "Acosh" => Map(x, t => t.acosh()),
        "Atanh" => Map(x, t => t.atanh()),
        "Log2" => Map(x, t => t.log2()),
        "Log10" => Map(x, t => t.log10()),
        "Exp2" => Map(x, t => special.exp2(t)),
        "Rsqrt" => Map(x, t => t.rsqrt()),
        "Sinc" => Map(x, t => t.sinc()),
        "Logit" => Map(x, t => t.logit()),
        "Entr" => Map(x, t => special.entr(t)),
        _ => null,
    };

    internal override Tensor? Rounding(string name, Tensor x) => name switch
    {
        "Floor" => Map(x, t => t.floor()),
        "Ceil" => Map(x, t => t.ceil()),
        "Round" => Map(x, t => t.round()),
        "Trunc" => Map(x, t => t.trunc()),
        "Frac" => Map(x, t => t.frac()),
        _ => null,
    };
}
