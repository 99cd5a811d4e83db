using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Elementwise functions of two broadcasting arguments beyond arithmetic (issue 23): each a kernel of
// Kernels/BinaryMath and its two partial derivatives, stated once in FuncGrad ops. Special values and the derivatives
// at kinks follow PyTorch; docs/conventions.md ("Binary math") lists them, and tests pin them.
public sealed partial class Tensor
{
    private static Func<Backend, Tensor, Tensor, Tensor?> MathOnDevice(string name) =>
        (b, x, y) => b.BinaryMath(name, x, y);

    private static readonly Op Atan2Op = new BinaryOp<Atan2K>("Atan2",
        // ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²): NaN at (0, 0), as PyTorch's
        static (a, b, y) => b / (a.Square() + b.Square()),
        static (a, b, y) => -a / (a.Square() + b.Square()), MathOnDevice("Atan2"),
        static (g, a, b, y) => Chain2.Run<Atan2ChainF>(g, a, b, y));

    // g·(b/(a·a + b·b)) and g·(−a/(a·a + b·b)) in one pass, rounded as the rules are.
    internal readonly struct Atan2ChainF : IChain2
    {
        public static (V Da, V Db) Apply<T, V, W>(V g, V a, V b, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
        {
            V s = W.Add(W.Mul(a, a), W.Mul(b, b));
            return (W.Mul(g, W.Div(b, s)), W.Mul(g, W.Div(W.Negate(a), s)));
        }
    }

    /// <summary>The angle of the point (other, this) elementwise, in [−π, π], with broadcasting: atan(a/b) placed in
    /// the quadrant of (b, a). Within 1 ulp of the correctly rounded value in both dtypes.</summary>
    /// <remarks>As IEEE 754 and PyTorch: atan2(±0, +0) = ±0, atan2(±0, −0) = ±π, atan2(±y, ±inf) = ±0 or ±π. Its
    /// derivatives, b/(a² + b²) and −a/(a² + b²), are NaN at (0, 0), as PyTorch's.</remarks>
    /// <example><code>
    /// Tensor.Scalar(1.0).Atan2(Tensor.Scalar(-1.0)) // tensor(2.3562, dtype=float64)
    /// </code></example>
    [Peers("torch.atan2", "jnp.arctan2", "", Notes = "atan2(±0, −0) = ±π; gradient NaN at (0, 0)")]
    public Tensor Atan2(Tensor other) => Op.Apply(Atan2Op, this, Guard.NotNull(other));

    private static readonly Op HypotOp = new BinaryOp<Widened<HypotV>>("Hypot",
        static (a, b, y) => a / y, static (a, b, y) => b / y, MathOnDevice("Hypot"),
        static (g, a, b, y) => Chain2.Run<HypotChainF>(g, a, b, y));

    // g·(a/y) and g·(b/y) in one pass.
    internal readonly struct HypotChainF : IChain2
    {
        public static (V Da, V Db) Apply<T, V, W>(V g, V a, V b, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => (W.Mul(g, W.Div(a, y)), W.Mul(g, W.Div(b, y)));
    }

    /// <summary>√(a² + b²) elementwise with broadcasting, without overflow or underflow on the way. Within 1 ulp
    /// of the correctly rounded value in both dtypes.</summary>
    /// <remarks>hypot(±inf, NaN) = +inf (IEEE 754, PyTorch). The derivatives a/hypot and b/hypot are NaN at (0, 0),
    /// as PyTorch's.</remarks>
    /// <example><code>Tensor.Scalar(3.0).Hypot(Tensor.Scalar(4.0)) // tensor(5., dtype=float64)</code></example>
    [Peers("torch.hypot", "jnp.hypot", "", Notes = "hypot(inf, NaN) = inf; gradient NaN at (0, 0)")]
    public Tensor Hypot(Tensor other) => Op.Apply(HypotOp, this, Guard.NotNull(other));

    private static readonly Op FmodOp = new BinaryOp<Pointwise<FmodF>>("Fmod",
        // a − b·trunc(a/b): ∂/∂a = 1, ∂/∂b = −trunc(a/b), a constant quotient (exact, from the floor of |a|/|b|)
        static (a, b, y) => y.Const(1),
        static (a, b, y) =>
        {
            Tensor ad = a.Detach(), bd = b.Detach();
            return -(ad.Sign() * bd.Sign() * ad.Abs().FloorDivide(bd.Abs()));
        }, MathOnDevice("Fmod"));

    /// <summary>C's fmod elementwise with broadcasting: a − b·trunc(a/b), exact, with the sign of a (where
    /// <see cref="Remainder(Tensor)"/> has the sign of b).</summary>
    /// <remarks>fmod(a, 0) and fmod(±inf, b) are NaN; fmod(a, ±inf) = a for finite a; a zero result keeps a's sign. Its
    /// derivatives are 1 for a and −trunc(a/b) for b (piecewise, jumping where a/b is a whole number).</remarks>
    /// <example><code>
    /// Tensor.FromArray([-7.0, 7.0]).Fmod(Tensor.Scalar(3.0)) // tensor([-1., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.fmod", "jnp.fmod", "", Notes = "the sign of the dividend, as C's fmod")]
    public Tensor Fmod(Tensor other) => Op.Apply(FmodOp, this, Guard.NotNull(other));

    /// <summary>fmod with a number divisor: see <see cref="Fmod(Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(-7.5).Fmod(2.0) // tensor(-1.5000, dtype=float64)</code></example>
    public Tensor Fmod(double other) => Fmod(Const(other));

    /// <summary>Python's remainder with a number divisor: see <see cref="Remainder(Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(-7.5).Remainder(2.0) // tensor(0.5000, dtype=float64)</code></example>
    public Tensor Remainder(double other) => Remainder(Const(other));

    private readonly struct CopysignK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.CopySign(x, y, d);
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.CopySign(x, y, d);
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < d.Length; i++) d[i] = T.CopySign(x, y[i]);
        }
    }
    private static readonly Op CopysignOp = new BinaryOp<CopysignK>("Copysign",
        // ±1 where a ≠ 0 (the sign a's magnitude is given, over its own), 0 where a = 0, as PyTorch; never for b
        static (a, b, y) => a.Sign() * y.Sign(), static (a, b, y) => y.Const(0), MathOnDevice("Copysign"),
        static (g, a, b, y) => Chain2.Run<CopysignChainF>(g, a, b, y));

    // g·(sign a·sign y) and g·0 in one pass.
    internal readonly struct CopysignChainF : IChain2
    {
        public static (V Da, V Db) Apply<T, V, W>(V g, V a, V b, V y)
            where T : unmanaged, IFloatingPointIeee754<T> where V : struct where W : IVec<V, T>
            => (W.Mul(g, W.Mul(Chain2.Sign<T, V, W>(a), Chain2.Sign<T, V, W>(y))), W.Mul(g, W.Splat(T.Zero)));
    }

    /// <summary>|a| with the sign bit of b, elementwise with broadcasting (so −0 and NaN's sign bit count).</summary>
    /// <remarks>Its derivative is ±1 for a (0 at a = 0, as PyTorch) and 0 for b.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Copysign(Tensor.FromArray([-0.0, 3.0])) // tensor([-1., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.copysign", "jnp.copysign", "", Notes = "−0 counts as negative; gradient 0 at a = 0")]
    public Tensor Copysign(Tensor other) => Op.Apply(CopysignOp, this, Guard.NotNull(other));

    /// <summary>|a| with the sign bit of the number b: see <see cref="Copysign(Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(2.0).Copysign(-1.0) // tensor(-2., dtype=float64)</code></example>
    public Tensor Copysign(double other) => Copysign(Const(other));

    private static readonly Op LogaddexpOp = new BinaryOp<Widened<LogaddexpV>>("Logaddexp",
        static (a, b, y) => (a - y).Exp(), static (a, b, y) => (b - y).Exp(), MathOnDevice("Logaddexp"));

    /// <summary>log(eᵃ + eᵇ) elementwise with broadcasting, computed stably (no overflow for large arguments, no loss
    /// of the smaller term). Within 2 ulps in float64 and 1 in float32, except near its zeros (see remarks).</summary>
    /// <remarks>Where the result is near 0 (eᵃ + eᵇ ≈ 1) it is the difference of max(a, b) and log(1 + e^−|a−b|), and
    /// the error is within 2 ulps of the larger of those rather than of the result. logaddexp(−inf, −inf) = −inf and
    /// logaddexp(inf, inf) = inf; its derivatives e^(a−y), e^(b−y) are NaN there, as PyTorch's.</remarks>
    /// <example><code>
    /// Tensor.Scalar(0.0).Logaddexp(Tensor.Scalar(0.0)) // tensor(0.6931, dtype=float64)
    /// </code></example>
    [Peers("torch.logaddexp", "jnp.logaddexp", "")]
    public Tensor Logaddexp(Tensor other) => Op.Apply(LogaddexpOp, this, Guard.NotNull(other));

    private static readonly Op Logaddexp2Op = new BinaryOp<Widened<Logaddexp2V>>("Logaddexp2",
        static (a, b, y) => ((a - y) * Math.Log(2.0)).Exp(),
        static (a, b, y) => ((b - y) * Math.Log(2.0)).Exp(), MathOnDevice("Logaddexp2"));

    /// <summary>log₂(2ᵃ + 2ᵇ) elementwise with broadcasting, computed stably. Within 2 ulps in float64 and 1 in
    /// float32, except near its zeros, as <see cref="Logaddexp"/>.</summary>
    /// <remarks>logaddexp2(−inf, −inf) = −inf and logaddexp2(inf, inf) = inf.</remarks>
    /// <example><code>Tensor.Scalar(1.0).Logaddexp2(Tensor.Scalar(1.0)) // tensor(2., dtype=float64)</code></example>
    [Peers("torch.logaddexp2", "jnp.logaddexp2", "")]
    public Tensor Logaddexp2(Tensor other) => Op.Apply(Logaddexp2Op, this, Guard.NotNull(other));

    private static readonly Op XlogyOp = new BinaryOp<Pointwise<XlogyF>>("Xlogy",
        // ∂/∂a = xlogy(a ≠ 0, b): log b, and 0 where a = 0 (as PyTorch); ∂/∂b = a/b (NaN at a = b = 0, as PyTorch)
        static (a, b, y) => a.Ne(a.Const(0)).ToDType(a.DType).Xlogy(b),
        static (a, b, y) => a / b, MathOnDevice("Xlogy"),
        static (g, a, b, y) => ScalarChain2.Run<XlogyChainF>(g, a, b, y));

    // g·xlogy(a ≠ 0, b) and g·(a/b), element by element in one pass.
    internal readonly struct XlogyChainF : IChain2Scalar
    {
        public static (T Da, T Db) Of<T>(T g, T a, T b, T y) where T : unmanaged, IFloatingPointIeee754<T>
            => (g * Pointwise<XlogyF>.One(a != T.Zero ? T.One : T.Zero, b), g * (a / b));
    }

    /// <summary>a·log b elementwise with broadcasting, and 0 where a = 0 unless b is NaN (so xlogy(0, 0) = 0). Within
    /// 1 ulp in both dtypes.</summary>
    /// <remarks>As PyTorch: ∂/∂a is log b where a ≠ 0 and 0 where a = 0; ∂/∂b is a/b, NaN at a = b = 0.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.0, 2.0]).Xlogy(Tensor.FromArray([0.0, 1.0])) // tensor([0., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.xlogy", "jax.scipy.special.xlogy", "", Notes = "0 where x = 0 (unless y is NaN)")]
    public Tensor Xlogy(Tensor other) => Op.Apply(XlogyOp, this, Guard.NotNull(other));

    /// <summary>a·log b for a number b: see <see cref="Xlogy(Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(2.0).Xlogy(1.0) // tensor(0., dtype=float64)</code></example>
    public Tensor Xlogy(double other) => Xlogy(Const(other));

    /// <summary>a·log b for a number a: see <see cref="Xlogy(Tensor)"/>.</summary>
    /// <example><code>Tensor.Xlogy(0.0, Tensor.Scalar(0.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Xlogy(double x, Tensor other) => Guard.NotNull(other).Const(x).Xlogy(other);

    private static readonly Op Xlog1pyOp = new BinaryOp<Pointwise<Xlog1pyF>>("Xlog1py",
        static (a, b, y) => a.Ne(a.Const(0)).ToDType(a.DType).Xlog1py(b),
        static (a, b, y) => a / (b + 1.0), MathOnDevice("Xlog1py"),
        static (g, a, b, y) => ScalarChain2.Run<Xlog1pyChainF>(g, a, b, y));

    // g·xlog1py(a ≠ 0, b) and g·(a/(b + 1)), element by element in one pass.
    internal readonly struct Xlog1pyChainF : IChain2Scalar
    {
        public static (T Da, T Db) Of<T>(T g, T a, T b, T y) where T : unmanaged, IFloatingPointIeee754<T>
            => (g * Pointwise<Xlog1pyF>.One(a != T.Zero ? T.One : T.Zero, b), g * (a / (b + T.One)));
    }

    /// <summary>a·log(1 + b) elementwise with broadcasting, accurate for small b, and 0 where a = 0 unless b is NaN.
    /// Within 2 ulps in float64 and 1 in float32.</summary>
    /// <remarks>As PyTorch: ∂/∂a is log(1 + b) where a ≠ 0 and 0 where a = 0; ∂/∂b is a/(1 + b).</remarks>
    /// <example><code>Tensor.Scalar(0.0).Xlog1py(Tensor.Scalar(-1.0)) // tensor(0., dtype=float64)</code></example>
    [Peers("torch.special.xlog1py", "jax.scipy.special.xlog1py", "", Notes = "0 where x = 0 (unless y is NaN)")]
    public Tensor Xlog1py(Tensor other) => Op.Apply(Xlog1pyOp, this, Guard.NotNull(other));

    /// <summary>a·log(1 + b) for a number b: see <see cref="Xlog1py(Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(2.0).Xlog1py(0.0) // tensor(0., dtype=float64)</code></example>
    public Tensor Xlog1py(double other) => Xlog1py(Const(other));

    /// <summary>a·log(1 + b) for a number a: see <see cref="Xlog1py(Tensor)"/>.</summary>
    /// <example><code>Tensor.Xlog1py(0.0, Tensor.Scalar(-1.0)) // tensor(0., dtype=float64)</code></example>
    public static Tensor Xlog1py(double x, Tensor other) => Guard.NotNull(other).Const(x).Xlog1py(other);

    /// <summary>Linear interpolation from this tensor to <paramref name="end"/> by <paramref name="weight"/>,
    /// elementwise with broadcasting of all three: start + w·(end − start).</summary>
    /// <remarks>Computed as PyTorch does, start + w·(end − start) where |w| &lt; ½ and end − (end − start)·(1 − w)
    /// elsewhere, so w = 0 gives start and w = 1 gives end exactly. Derivatives: 1 − w, w and end − start.</remarks>
    /// <example><code>
    /// Tensor.Scalar(1.0).Lerp(Tensor.Scalar(3.0), Tensor.Scalar(0.25)) // tensor(1.5000, dtype=float64)
    /// </code></example>
    [Peers("torch.lerp", "", "", Notes = "exact at w = 0 and w = 1")]
    public Tensor Lerp(Tensor end, Tensor weight) =>
        Op.Apply(LerpOp.Instance, this, Guard.NotNull(end), Guard.NotNull(weight));

    /// <summary>Linear interpolation by a number weight: see <see cref="Lerp(Tensor, Tensor)"/>.</summary>
    /// <example><code>Tensor.Scalar(1.0).Lerp(Tensor.Scalar(3.0), 0.5) // tensor(2., dtype=float64)</code></example>
    public Tensor Lerp(Tensor end, double weight) => Lerp(Guard.NotNull(end), Const(weight));

    private sealed class LerpOp : Op
    {
        public static readonly LerpOp Instance = new();
        public override string Name => "Lerp";
        public override bool ReadsValuesOnly => true;

        public override Tensor Compute(Tensor[] x)
        {
            Tensor s = x[0], e = x[1], w = x[2];
            Elementwise.SameDType(s, e, "lerp");
            Elementwise.SameDType(s, w, "lerp");
            var shape = Shapes.Broadcast(Shapes.Broadcast(s.shape, e.shape, "lerp"), w.shape, "lerp");
            var y = s.DType == DType.Float64 ? Run<double>(s, e, w, shape) : Run<float>(s, e, w, shape);
            GC.KeepAlive(s);
            GC.KeepAlive(e);
            GC.KeepAlive(w);
            return y;
        }

        private static Tensor Run<T>(Tensor s, Tensor e, Tensor w, int[] shape)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = Shapes.Count(shape, "lerp");
            if (n == 1) return PlainScalar(shape, LerpKernel.One(s.Span<T>()[0], e.Span<T>()[0], w.Span<T>()[0]));
            var d = Storage.Uninitialized<T>(n, out var lease);
            LerpKernel.Run(Full<T>(s, shape), Full<T>(e, shape), w.Count == 1 ? w.Span<T>() : Full<T>(w, shape), d);
            return Plain(shape, d, lease);
        }

        private static ReadOnlySpan<T> Full<T>(Tensor x, int[] shape) where T : unmanaged =>
            Shapes.Same(x.shape, shape) ? x.Span<T>() : Elementwise.Expand<T>(x, shape);

        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "lerp");
            Elementwise.SameDType(x[0], x[2], "lerp");
            return b.Lerp(x[0], x[1], x[2]);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
        [
            needs[0] ? (g * (1.0 - x[2])).SumTo(x[0].shape) : null,
            needs[1] ? (g * x[2]).SumTo(x[1].shape) : null,
            needs[2] ? (g * (x[1] - x[0])).SumTo(x[2].shape) : null,
        ];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            Tensor? t = null;
            if (dx[0] is { } d0) t = d0 * (1.0 - x[2]);
            if (dx[1] is { } d1) t = t is null ? d1 * x[2] : t + d1 * x[2];
            if (dx[2] is { } d2) t = t is null ? d2 * (x[1] - x[0]) : t + d2 * (x[1] - x[0]);
            return t!.BroadcastTo(y.shape);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }
}

// The device seam of the family: a backend maps the ops by name (Atan2, Hypot, Fmod, Copysign, Logaddexp, Logaddexp2,
// Xlogy, Xlog1py) and Lerp; null runs the managed kernel on copies.
internal abstract partial class Backend
{
    /// <summary>A function of Ops/BinaryMath.cs of two broadcasting arguments, by the op's name.</summary>
    internal virtual Tensor? BinaryMath(string name, Tensor a, Tensor b) => null;
    /// <summary>start + weight·(end − start), all three broadcast.</summary>
    internal virtual Tensor? Lerp(Tensor start, Tensor end, Tensor weight) => null;
}
