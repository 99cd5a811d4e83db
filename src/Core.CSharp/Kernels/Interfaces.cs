using System.Numerics;

namespace FuncGrad.Kernels;

// Kernels are spans in, spans out: they know nothing of tensors' graphs. Each element type is
// one instantiation of the same generic code (float64 and float32 alike).

/// <summary>y[i] = f(x[i]); <c>Scalar</c> is f itself, used for one-element tensors, where a span kernel's dispatch
/// would cost more than the math.</summary>
internal interface IUnaryKernel
{
    static abstract T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>d[i] = f(x[i], y[i]), with a scalar on either side as a fast path.</summary>
internal interface IBinaryKernel
{
    static abstract void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>An associative reduction: a whole run to one value, and a run combined into another elementwise.</summary>
internal interface IReduceKernel
{
    static abstract T Identity<T>() where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void CombineInto<T>(Span<T> acc, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
}
