using FuncGrad.Kernels;
using FuncGrad.Kernels.Elementary;
using FuncGrad.Kernels.Special;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Rounding to integers (issue 23): floor, ceiling, round half to even (and to a number of decimals), truncation, and
// the fractional part. The first four are piecewise constant: their derivative is 0 everywhere (at the jumps too, as
// PyTorch's), stated as such, and on int64 and int32 tensors they are the identity, as PyTorch's. Frac's derivative
// is 1. Every result is exact: no rounding error beyond the rounding asked for.
public sealed partial class Tensor
{
    private readonly struct FloorK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Floor(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, y);
    }
    private static readonly Op FloorOp = new UnaryOp("Floor", Elementwise.Map<FloorK>, static (x, y) => x.Const(0),
        onDevice: static (b, x) => b.Rounding("Floor", x));
    /// <summary>The largest integer ≤ x, elementwise (±0, ±inf and NaN stay); on an int64 or int32 tensor, the tensor
    /// itself.</summary>
    /// <remarks>Not differentiable: its gradient is 0 everywhere.</remarks>
    /// <example><code>Tensor.FromArray([-1.5, 1.5]).Floor() // tensor([-2.,  1.], dtype=float64)</code></example>
    [Peers("torch.floor", "jnp.floor", "dsharp.floor", Notes = "gradient 0 everywhere")]
    public Tensor Floor() => IsInteger ? this : Op.Apply(FloorOp, this);

    private readonly struct CeilK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Ceiling(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, y);
    }
    private static readonly Op CeilOp = new UnaryOp("Ceil", Elementwise.Map<CeilK>, static (x, y) => x.Const(0),
        onDevice: static (b, x) => b.Rounding("Ceil", x));
    /// <summary>The smallest integer ≥ x, elementwise (−0.5 gives −0); on an int64 or int32 tensor, the tensor
    /// itself.</summary>
    /// <remarks>Not differentiable: its gradient is 0 everywhere.</remarks>
    /// <example><code>Tensor.FromArray([-1.5, 1.5]).Ceil() // tensor([-1.,  2.], dtype=float64)</code></example>
    [Peers("torch.ceil", "jnp.ceil", "dsharp.ceil", Notes = "gradient 0 everywhere")]
    public Tensor Ceil() => IsInteger ? this : Op.Apply(CeilOp, this);

    private readonly struct RoundK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Round(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Round(x, y);
    }
    private static readonly Op RoundOp = new UnaryOp("Round", Elementwise.Map<RoundK>, static (x, y) => x.Const(0),
        onDevice: static (b, x) => b.Rounding("Round", x));
    /// <summary>The nearest integer, elementwise, halves to the even one (0.5 → 0, 1.5 → 2, 2.5 → 2), as PyTorch and
    /// IEEE 754's default.</summary>
    /// <remarks>Not differentiable: its gradient is 0 everywhere. On an int64 or int32 tensor, the tensor
    /// itself.</remarks>
    /// <example><code>Tensor.FromArray([0.5, 1.5, 2.5]).Round() // tensor([0., 2., 2.], dtype=float64)</code></example>
    [Peers("torch.round", "jnp.round", "dsharp.round", Notes = "half to even; gradient 0 everywhere")]
    public Tensor Round() => IsInteger ? this : Op.Apply(RoundOp, this);

    /// <summary>Rounds to <paramref name="decimals"/> decimal places (negative: tens, hundreds...), halves to even, as
    /// PyTorch's <c>torch.round(x, decimals=d)</c>.</summary>
    /// <remarks>round(x·10ᵈ)/10ᵈ for d &gt; 0, round(x/10⁻ᵈ)·10⁻ᵈ for d &lt; 0, each step rounded in x's dtype, as
    /// PyTorch: 0.125 to 2 places is 0.12, and a value like 2.675 (stored as 2.67499...) may round either way. Its
    /// gradient is 0 everywhere.</remarks>
    /// <param name="decimals">Decimal places; negative rounds to tens, hundreds...</param>
    /// <example><code>
    /// Tensor.FromArray([1.2345, 1250.0]).Round(-2) // tensor([   0., 1200.], dtype=float64)
    /// </code></example>
    public Tensor Round(int decimals)
    {
        if (decimals == 0) return Round();
        if (IsInteger)
            throw new DTypeMismatchException(
                $"round: decimals = {decimals} on {Shapes.Show(this)}; rounding to decimal places works on floats " +
                "(as PyTorch's). Convert with ToDType(DType.Float64) first, or pass decimals = 0");
        double scale = Math.Pow(10, Math.Abs(decimals));
        return decimals > 0 ? (this * scale).Round() / scale : (this / scale).Round() * scale;
    }

    private readonly struct TruncK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Truncate(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Truncate(x, y);
    }
    private static readonly Op TruncOp = new UnaryOp("Trunc", Elementwise.Map<TruncK>, static (x, y) => x.Const(0),
        onDevice: static (b, x) => b.Rounding("Trunc", x));
    /// <summary>x rounded toward 0, elementwise (−1.5 gives −1); on an int64 or int32 tensor, the tensor
    /// itself.</summary>
    /// <remarks>Not differentiable: its gradient is 0 everywhere.</remarks>
    /// <example><code>Tensor.FromArray([-1.5, 1.5]).Trunc() // tensor([-1.,  1.], dtype=float64)</code></example>
    [Peers("torch.trunc", "jnp.trunc", "", Notes = "gradient 0 everywhere")]
    public Tensor Trunc() => IsInteger ? this : Op.Apply(TruncOp, this);

    private static readonly Op FracOp = new UnaryOp("Frac", Elementwise.Map<Formula<FracF>>,
        static (x, y) => x.Const(1), onDevice: static (b, x) => b.Rounding("Frac", x));
    /// <summary>x − Trunc(x), elementwise: the fractional part with x's sign (−1.25 gives −0.25), exact; NaN at
    /// ±inf.</summary>
    /// <remarks>Its derivative is 1 (the jumps at the integers are not seen). Floats only, as PyTorch's.</remarks>
    /// <example><code>
    /// Tensor.FromArray([-1.25, 2.5]).Frac() // tensor([-0.2500,  0.5000], dtype=float64)
    /// </code></example>
    [Peers("torch.frac", "", "", Notes = "derivative 1")]
    public Tensor Frac() => Op.Apply(FracOp, this);

    private bool IsInteger => DType is DType.Int64 or DType.Int32;
}

internal abstract partial class Backend
{
    /// <summary>A rounding op of Ops/Rounding.cs (named as its op) on the device, or null where the backend has none
    /// (the op then runs on managed copies).</summary>
    internal virtual Tensor? Rounding(string name, Tensor x) => null;
}
