namespace FuncGrad.Kernels;

// The functions of two numbers behind Ops/BinaryMath.cs, in float64 (float32 is widened: see IPointwise2). Each
// keeps IEEE's and PyTorch's special values; docs/conventions.md ("Binary math") lists them.

/// <summary>atan2(a, b): the angle of the point (b, a), in [−π, π], with the signs of zeros kept.</summary>
internal readonly struct Atan2F : IPointwise2
{
    public static double Of(double a, double b) => Math.Atan2(a, b);
}

/// <summary>C's fmod: a − b·trunc(a/b), exact, with a's sign; NaN where b = 0 or a is infinite.</summary>
internal readonly struct FmodF : IPointwise2
{
    public static double Of(double a, double b) => a % b;
}

/// <summary>a·log b, and 0 where a = 0 unless b is NaN (PyTorch's xlogy).</summary>
internal readonly struct XlogyF : IPointwise2
{
    public static double Of(double a, double b) => a == 0 && !double.IsNaN(b) ? 0.0 : a * Math.Log(b);
}

/// <summary>a·log(1 + b), and 0 where a = 0 unless b is NaN (PyTorch's xlog1py).</summary>
internal readonly struct Xlog1pyF : IPointwise2
{
    public static double Of(double a, double b) => a == 0 && !double.IsNaN(b) ? 0.0 : a * Accurate.Log1p(b);
}
