using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Elementwise maximum and minimum. Convention: at ties the gradient is split evenly (½ to each side).
public sealed partial class Tensor
{
    private readonly struct MaxK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, d);
    }
    private static readonly Op MaximumOp = new BinaryOp<MaxK>("Maximum",
        static (a, b, y) => Share(a.Gt(b), a.Eq(b), a.DType),
        static (a, b, y) => Share(b.Gt(a), a.Eq(b), a.DType));

    private readonly struct MinK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, d);
    }
    private static readonly Op MinimumOp = new BinaryOp<MinK>("Minimum",
        static (a, b, y) => Share(a.Lt(b), a.Eq(b), a.DType),
        static (a, b, y) => Share(b.Lt(a), a.Eq(b), a.DType));

    /// <summary>A side's share of the gradient: 1 where it wins, ½ at a tie, 0 where it loses.</summary>
    private static Tensor Share(Tensor wins, Tensor tie, DType dtype) => wins.ToDType(dtype) + tie.ToDType(dtype) * 0.5;

    /// <summary>The larger of a and b elementwise, with broadcasting; NaN if either is NaN. Ties split the gradient
    /// evenly.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 5.0]).Maximum(Tensor.Scalar(2.0)) // tensor([2., 5.], dtype=float64)
    /// </code></example>
    [Peers("torch.maximum", "jnp.maximum", "dsharp.max", Notes = "ties split the gradient evenly")]
    public Tensor Maximum(Tensor other) => Op.Apply(MaximumOp, this, Guard.NotNull(other));

    /// <summary>The smaller of a and b elementwise, with broadcasting; NaN if either is NaN. Ties split the gradient
    /// evenly.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 5.0]).Minimum(Tensor.Scalar(2.0)) // tensor([1., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.minimum", "jnp.minimum", "dsharp.min", Notes = "ties split the gradient evenly")]
    public Tensor Minimum(Tensor other) => Op.Apply(MinimumOp, this, Guard.NotNull(other));
}
