using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Clamping into [min, max]: min(max(x, min), max) elementwise, NaN kept. The gradient goes to x where
// min ≤ x ≤ max (both ends included, as PyTorch), to a tensor bound where x is beyond it.
public sealed partial class Tensor
{
    /// <summary>
    /// x clamped into [min, max] elementwise: max(x, min), then min(…, max); either bound may be null (no bound).
    /// Where min &gt; max every element is max, as PyTorch; NaN stays NaN.
    /// </summary>
    /// <remarks>The derivative is 1 where min ≤ x ≤ max, both ends included (as PyTorch), and 0 elsewhere, so 0
    /// everywhere where min &gt; max.</remarks>
    /// <example><code>
    /// Tensor.FromArray([-2.0, 0.5, 3.0]).Clamp(0.0, 1.0) // tensor([0.0000, 0.5000, 1.0000], dtype=float64)
    /// </code></example>
    [Peers("torch.clamp, torch.clip", "jnp.clip", "dsharp.clamp",
        Notes = "gradient to x where min ≤ x ≤ max, ends included")]
    public Tensor Clamp(double? min, double? max)
    {
        if (min is null && max is null)
            throw new ArgumentException(
                $"clamp: {Shapes.Show(this)} with neither a min nor a max; give at least one bound (the other null)");
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        return Op.Apply(new UnaryOp("Clamp", x => ClampCompute(x, min, max),
            (x, y) => (x.Ge(x.Const(lo)) & x.Le(x.Const(hi))).ToDType(x.DType),
            chain: (g, x, y) => ClampChain.Run(g, x, lo, hi), onDevice: (b, x) => b.Clamp(x, min, max)), this);
    }

    private static Tensor ClampCompute(Tensor x, double? min, double? max)
    {
        var y = x.DType == DType.Float64 ? ClampCompute<double>(x, min, max) : ClampCompute<float>(x, min, max);
        GC.KeepAlive(x);
        return y;
    }

    private static Tensor ClampCompute<T>(Tensor x, double? min, double? max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> from = x.Span<T>();
        if (x.Count == 1)
        {
            T v = from[0];
            if (min is { } lo1) v = T.Max(v, T.CreateTruncating(lo1));
            if (max is { } hi1) v = T.Min(v, T.CreateTruncating(hi1));
            return PlainScalar(x.shape, v);
        }
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        // IEEE 754's maximum and minimum, which keep NaN, each in one vectorised pass
        if (min is { } lo) TensorPrimitives.Max(from, T.CreateTruncating(lo), y);
        else from.CopyTo(y);
        if (max is { } hi) TensorPrimitives.Min(y, T.CreateTruncating(hi), y);
        return Plain(x.shape, y, lease);
    }

    private static readonly Op ClampMinOp = new BinaryOp<MaxK>("ClampMin",
        static (x, lo, y) => x.Ge(lo).ToDType(x.DType), static (x, lo, y) => x.Lt(lo).ToDType(x.DType),
        static (b, x, lo) => b.Binary("Maximum", x, lo),
        static (g, x, lo, y) => Chain2.Run<ClampMinChainF>(g, x, lo, y));

    private static readonly Op ClampMaxOp = new BinaryOp<MinK>("ClampMax",
        static (x, hi, y) => x.Le(hi).ToDType(x.DType), static (x, hi, y) => x.Gt(hi).ToDType(x.DType),
        static (b, x, hi) => b.Binary("Minimum", x, hi),
        static (g, x, hi, y) => Chain2.Run<ClampMaxChainF>(g, x, hi, y));

    // g·(x ≥ lo) and g·(x < lo), g·(x ≤ hi) and g·(x > hi): each in one pass, with the bits of g times the
    // comparisons' 1 or 0.
    internal readonly struct ClampMinChainF : IChain2
    {
        public static (V Da, V Db) Apply<T, V, W>(V g, V x, V lo, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => (W.Mul(g, Chain2.OneWhere<T, V, W>(W.LessOrEqual(lo, x))),
                W.Mul(g, Chain2.OneWhere<T, V, W>(W.LessThan(x, lo))));
    }

    internal readonly struct ClampMaxChainF : IChain2
    {
        public static (V Da, V Db) Apply<T, V, W>(V g, V x, V hi, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => (W.Mul(g, Chain2.OneWhere<T, V, W>(W.LessOrEqual(x, hi))),
                W.Mul(g, Chain2.OneWhere<T, V, W>(W.LessThan(hi, x))));
    }

    /// <summary>max(x, min) elementwise with broadcasting, NaN kept: the gradient goes to x where x ≥ min and to min
    /// where x &lt; min.</summary>
    /// <example><code>
    /// Tensor.FromArray([-1.0, 2.0]).ClampMin(Tensor.Scalar(0.0)) // tensor([0., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.clamp_min", "", "", Notes = "gradient to x where x ≥ min")]
    public Tensor ClampMin(Tensor min) => Op.Apply(ClampMinOp, this, Guard.NotNull(min));

    /// <summary>max(x, min) for a number min: <see cref="Clamp(double?, double?)"/> with no upper bound.</summary>
    /// <example><code>Tensor.FromArray([-1.0, 2.0]).ClampMin(0.0) // tensor([0., 2.], dtype=float64)</code></example>
    public Tensor ClampMin(double min) => ClampMin(Const(min));

    /// <summary>min(x, max) elementwise with broadcasting, NaN kept: the gradient goes to x where x ≤ max and to max
    /// where x &gt; max.</summary>
    /// <example><code>
    /// Tensor.FromArray([-1.0, 2.0]).ClampMax(Tensor.Scalar(0.0)) // tensor([-1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.clamp_max", "", "", Notes = "gradient to x where x ≤ max")]
    public Tensor ClampMax(Tensor max) => Op.Apply(ClampMaxOp, this, Guard.NotNull(max));

    /// <summary>min(x, max) for a number max: <see cref="Clamp(double?, double?)"/> with no lower bound.</summary>
    /// <example><code>Tensor.FromArray([-1.0, 2.0]).ClampMax(0.0) // tensor([-1., 0.], dtype=float64)</code></example>
    public Tensor ClampMax(double max) => ClampMax(Const(max));

    /// <summary>x clamped between tensor bounds, broadcasting: <see cref="ClampMin(Tensor)"/> then
    /// <see cref="ClampMax(Tensor)"/>; either bound may be null.</summary>
    /// <remarks>The gradient goes to x where min ≤ x ≤ max, to min where x &lt; min ≤ max, and to max where x &gt; max
    /// or max &lt; min (where every element is max), each element's to exactly one of the three.</remarks>
    /// <example><code>
    /// Tensor.FromArray([-2.0, 3.0]).Clamp(Tensor.Scalar(0.0), Tensor.Scalar(1.0)) // tensor([0., 1.], dtype=float64)
    /// </code></example>
    public Tensor Clamp(Tensor? min, Tensor? max) => (min, max) switch
    {
        (null, null) => throw new ArgumentException(
            $"clamp: {Shapes.Show(this)} with neither a min nor a max; give at least one bound (the other null)"),
        (_, null) => ClampMin(min!),
        (null, _) => ClampMax(max!),
        _ => ClampMin(min!).ClampMax(max!),
    };
}

// The device seam of clamping by numbers.
internal abstract partial class Backend
{
    /// <summary>x clamped into [min, max] (a null bound: none), NaN kept.</summary>
    internal virtual Tensor? Clamp(Tensor x, double? min, double? max) => null;
}
