namespace FuncGrad.Kernels;

/// <summary>
/// Tanhshrink, one float64 element at a time: float32 elements are computed in float64 and rounded once, so they are
/// within an ulp.
/// </summary>
internal static class ActivationMath
{
    /// <summary>x − tanh x.</summary>
    internal static double Tanhshrink(double x) => double.IsInfinity(x) ? x : x - Math.Tanh(x);
}
