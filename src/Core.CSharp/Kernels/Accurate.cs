using System.Numerics;

namespace FuncGrad.Kernels;

/// <summary>
/// Scalar functions whose usual library forms lose accuracy: .NET's LogP1 and ExpM1 (and
/// TensorPrimitives') compute log(1 + x) and eˣ − 1 literally, so they return 0 for tiny x.
/// </summary>
internal static class Accurate
{
    /// <summary>log(1 + x) to within a few ulps for every x, by Goldberg's correction: the rounding
    /// error of u = 1 + x is divided back out.</summary>
    internal static T Log1p<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = T.One + x;
        if (u == T.One) return x;                    // also keeps −0
        if (T.IsPositiveInfinity(u)) return u;
        return T.Log(u) * x / (u - T.One);
    }

    /// <summary>eˣ − 1 to within a few ulps for every x, by Kahan's correction.</summary>
    internal static T Expm1<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = T.Exp(x);
        if (u == T.One) return x;
        if (T.IsPositiveInfinity(u)) return u;
        var um1 = u - T.One;
        if (um1 == -T.One) return um1;
        return um1 * x / T.Log(u);
    }
}
