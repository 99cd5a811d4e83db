using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Runtime.CompilerServices;
using static FuncGrad.Kernels.Special.VectorMath;

namespace FuncGrad.Kernels.Elementary;

// One-pass backward kernels g·dy/dx of Ops/Elementary.cs and of the error functions in Ops/Special.cs. Each is the
// op's composite rule g * derivative(x, y) written step by step in the same order, every step rounded on its own (no
// fused multiply-add, a square root and a division correctly rounded at every width), so it gives the composite's
// bits exactly, NaN's sign included (negation flips the sign bit, as Neg does); the rule itself stays in the op, with
// FuncGrad ops, for higher orders.

/// <summary>g·(1/√(1 − x²)): asin.</summary>
internal readonly struct AsinChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, ChainParts.Rsqrt<T, V, W>(W.Sub(W.Splat(T.One), W.Mul(x, x))));
}

/// <summary>g·(−1/√(1 − x²)): acos.</summary>
internal readonly struct AcosChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Negate(ChainParts.Rsqrt<T, V, W>(W.Sub(W.Splat(T.One), W.Mul(x, x)))));
}

/// <summary>g·(1/(x² + 1)): atan.</summary>
internal readonly struct AtanChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Div(W.Splat(T.One), W.Add(W.Mul(x, x), W.Splat(T.One))));
}

/// <summary>g·(1/√(x² + 1)): asinh.</summary>
internal readonly struct AsinhChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, ChainParts.Rsqrt<T, V, W>(W.Add(W.Mul(x, x), W.Splat(T.One))));
}

/// <summary>g·(1/√((x − 1)(x + 1))): acosh.</summary>
internal readonly struct AcoshChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
    {
        V one = W.Splat(T.One);
        return W.Mul(g, ChainParts.Rsqrt<T, V, W>(W.Mul(W.Sub(x, one), W.Add(x, one))));
    }
}

/// <summary>g·(1/(1 − x²)): atanh.</summary>
internal readonly struct AtanhChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Div(W.Splat(T.One), W.Sub(W.Splat(T.One), W.Mul(x, x))));
}

/// <summary>g·(1/(x·ln 2)): log2.</summary>
internal readonly struct Log2ChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Div(W.Splat(T.One), W.Mul(x, K<T, V, W>(0.69314718055994530942))));
}

/// <summary>g·(1/(x·ln 10)): log10.</summary>
internal readonly struct Log10ChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Div(W.Splat(T.One), W.Mul(x, K<T, V, W>(2.30258509299404568402))));
}

/// <summary>g·(y·ln 2), from the output y = 2ˣ: exp2.</summary>
internal readonly struct Exp2ChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Mul(y, K<T, V, W>(0.69314718055994530942)));
}

/// <summary>g·((y·y²)·(−1/2)), from the output y = 1/√x: rsqrt.</summary>
internal readonly struct RsqrtChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Mul(W.Mul(y, W.Mul(y, y)), K<T, V, W>(-0.5)));
}

/// <summary>g·(1/(x·(1 − x))): logit.</summary>
internal readonly struct LogitChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Div(W.Splat(T.One), W.Mul(x, W.Sub(W.Splat(T.One), x))));
}

/// <summary>g·(−(l + 1)), from l = ln x: entr.</summary>
internal readonly struct EntrChainF : IFormula2
{
    public static V Apply<T, V, W>(V g, V l)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Negate(W.Add(l, W.Splat(T.One))));
}

/// <summary>g·(e·c) for the constant c of <typeparamref name="C"/>, from e = exp(…): the error functions, whose
/// derivatives are a Gaussian times a constant.</summary>
internal readonly struct ScaledChainF<C> : IFormula2 where C : IChainConstant
{
    public static V Apply<T, V, W>(V g, V e)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(g, W.Mul(e, K<T, V, W>(C.Value)));
}

/// <summary>A constant of a chain formula.</summary>
internal interface IChainConstant
{
    static abstract double Value { get; }
}

/// <summary>2/√π.</summary>
internal readonly struct ErfScale : IChainConstant
{
    public static double Value => 1.1283791670955125739;
}

/// <summary>−2/√π.</summary>
internal readonly struct ErfcScale : IChainConstant
{
    public static double Value => -1.1283791670955125739;
}

/// <summary>1/√(2π).</summary>
internal readonly struct NdtrScale : IChainConstant
{
    public static double Value => 0.39894228040143267794;
}

/// <summary>−x², the exponent of erf's and erfc's derivatives.</summary>
internal readonly struct NegSquareF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Negate(W.Mul(x, x));
}

/// <summary>x²·(−1/2), the exponent of ndtr's derivative.</summary>
internal readonly struct HalfNegSquareF : IFormula1
{
    public static V Apply<T, V, W>(V x)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Mul(W.Mul(x, x), K<T, V, W>(-0.5));
}

/// <summary>x²·(−1/2) − y, the exponent of log_ndtr's derivative (y = log ndtr x).</summary>
internal readonly struct HalfNegSquareMinusF : IFormula2
{
    public static V Apply<T, V, W>(V x, V y)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Sub(W.Mul(W.Mul(x, x), K<T, V, W>(-0.5)), y);
}

/// <summary>Steps the chain formulas share.</summary>
internal static class ChainParts
{
    /// <summary>1/√a as Tensor.Rsqrt rounds it: the square root, then the reciprocal, each correctly
    /// rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Rsqrt<T, V, W>(V a)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        => W.Div(W.Splat(T.One), W.Sqrt(a));
}
