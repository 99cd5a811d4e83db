using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// add, sub, mul, div and neg, with their operators. A double on either side of an operator takes
// the tensor's dtype, as a literal does in PyTorch (x·c and x ± c have their own ops: ScalarArithmetic.cs).
public sealed partial class Tensor
{
    // d(a+b)/da = 1, d(a+b)/db = 1
    private readonly struct AddK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, d);
    }
    private static readonly Op AddOp = new BinaryOp<AddK>("Add", static (a, b, y) => null, static (a, b, y) => null);

    // d(a−b)/da = 1, d(a−b)/db = −1
    private readonly struct SubK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
    }
    private static readonly Op SubOp = new BinaryOp<SubK>("Sub", static (a, b, y) => null,
        static (a, b, y) => Scalar(-1, b.DType));

    // d(a·b)/da = b, d(a·b)/db = a
    private readonly struct MulK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, d);
    }
    private static readonly Op MulOp = new BinaryOp<MulK>("Mul", static (a, b, y) => b, static (a, b, y) => a);

    // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −y/b
    private readonly struct DivK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
    }
    private static readonly Op DivOp = new BinaryOp<DivK>("Div", static (a, b, y) => b.Reciprocal(),
        static (a, b, y) => -(y / b));

    // d(−x)/dx = −1
    private readonly struct NegK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => -x;
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
    }
    private static readonly Op NegOp = new UnaryOp("Neg", Elementwise.Map<NegK>, static (x, y) => Scalar(-1, x.DType));

    /// <summary>Elementwise sum with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Add(Tensor.Scalar(1.0)) // tensor([2., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.add", "jnp.add", "dsharp.add", Notes = "a number on either side takes the tensor's dtype")]
    public Tensor Add(Tensor other) =>
        DType.IsFloat() && Guard.NotNull(other).DType.IsFloat()
            ? Op.Apply(AddOp, this, other)
            : Integers("Add", this, Guard.NotNull(other));
    /// <summary>Elementwise difference with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Sub(Tensor.Scalar(1.0)) // tensor([0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.sub", "jnp.subtract", "dsharp.sub")]
    public Tensor Sub(Tensor other) =>
        DType.IsFloat() && Guard.NotNull(other).DType.IsFloat()
            ? Op.Apply(SubOp, this, other)
            : Integers("Sub", this, Guard.NotNull(other));
    /// <summary>Elementwise product with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Mul(Tensor.Scalar(3.0)) // tensor([3., 6.], dtype=float64)
    /// </code></example>
    [Peers("torch.mul", "jnp.multiply", "dsharp.mul")]
    public Tensor Mul(Tensor other) =>
        DType.IsFloat() && Guard.NotNull(other).DType.IsFloat()
            ? Op.Apply(MulOp, this, other)
            : Integers("Mul", this, Guard.NotNull(other));
    /// <summary>Elementwise quotient with broadcasting (IEEE: x/0 is ±inf or NaN).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Div(Tensor.Scalar(2.0)) // tensor([0.5000, 1.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.div", "jnp.divide", "dsharp.div", Notes = "x/0 is ±inf or NaN")]
    public Tensor Div(Tensor other) => Op.Apply(DivOp, this, Guard.NotNull(other));
    /// <summary>Elementwise negation.</summary>
    /// <example><code>Tensor.FromArray([1.0, -2.0]).Neg() // tensor([-1., 2.], dtype=float64)</code></example>
    [Peers("torch.neg", "jnp.negative", "dsharp.neg")]
    public Tensor Neg() => DType switch
    {
        DType.Float64 or DType.Float32 => Op.Apply(NegOp, this),
        DType.Bool => Op.Apply(NegOp, this), // refused, naming Neg and the bool argument
        _ => new IntOp("Neg").On(this),
    };

    /// <summary>A scalar of this tensor's dtype.</summary>
    internal Tensor Const(double v) => Scalar(v, DType);

    /// <summary>Elementwise sum with broadcasting.</summary>
    /// <example><code>Tensor.Scalar(1.0) + Tensor.Scalar(2.0) // tensor(3., dtype=float64)</code></example>
    public static Tensor operator +(Tensor a, Tensor b) => Guard.NotNull(a).Add(Guard.NotNull(b));
    /// <summary>Elementwise difference with broadcasting.</summary>
    /// <example><code>Tensor.Scalar(3.0) - Tensor.Scalar(1.0) // tensor(2., dtype=float64)</code></example>
    public static Tensor operator -(Tensor a, Tensor b) => Guard.NotNull(a).Sub(Guard.NotNull(b));
    /// <summary>Subtracts from a number, in the tensor's dtype.</summary>
    /// <example><code>1.0 - Tensor.Scalar(3.0) // tensor(-2., dtype=float64)</code></example>
    public static Tensor operator -(double a, Tensor b) =>
        Guard.NotNull(b).DType.IsFloat() ? b.Const(a).Sub(b) : IntegerNumber(b, a, "sub").Sub(b);
    /// <summary>Elementwise product with broadcasting.</summary>
    /// <example><code>Tensor.Scalar(3.0) * Tensor.Scalar(2.0) // tensor(6., dtype=float64)</code></example>
    public static Tensor operator *(Tensor a, Tensor b) => Guard.NotNull(a).Mul(Guard.NotNull(b));
    /// <summary>Elementwise quotient with broadcasting.</summary>
    /// <example><code>Tensor.Scalar(3.0) / Tensor.Scalar(2.0) // tensor(1.5000, dtype=float64)</code></example>
    public static Tensor operator /(Tensor a, Tensor b) => Guard.NotNull(a).Div(Guard.NotNull(b));
    /// <summary>Divides by a number, in the tensor's dtype.</summary>
    /// <example><code>Tensor.Scalar(3.0) / 2.0 // tensor(1.5000, dtype=float64)</code></example>
    public static Tensor operator /(Tensor a, double b) => Guard.NotNull(a).Div(a.Const(b));
    /// <summary>Divides a number by the tensor, in the tensor's dtype.</summary>
    /// <example><code>1.0 / Tensor.Scalar(4.0) // tensor(0.2500, dtype=float64)</code></example>
    public static Tensor operator /(double a, Tensor b) => Guard.NotNull(b).Const(a).Div(b);
    /// <summary>Elementwise negation.</summary>
    /// <example><code>-Tensor.Scalar(3.0) // tensor(-3., dtype=float64)</code></example>
    public static Tensor operator -(Tensor a) => Guard.NotNull(a).Neg();
}
