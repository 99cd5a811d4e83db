using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// A scalar function whose usual library form loses accuracy: .NET's LogP1 (and TensorPrimitives')
/// computes log(1 + x) literally, so it returns 0 for tiny x.
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
}
