using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Powers: x^p for a number p, and a^b for tensors.
public sealed partial class Tensor
{
    /// <summary>
    /// x^p elementwise for a number p. Convention: d/dx x⁰ = 0 everywhere, including x = 0.
    /// </summary>
    /// <remarks>The whole powers 0, 1, 2, 3, 4, −1 and −2 are products written out, in one pass over the elements:
    /// x.Pow(3.0) has the bits of <c>x * x * x</c> (x·x, then times x), x.Pow(4.0) those of (x·x)·(x·x), x.Pow(−1.0)
    /// those of 1/x and x.Pow(−2.0) those of 1/(x·x), and they cost what those products cost. Each is within 2 ulps
    /// of the correctly rounded power (1 for 2 and −1, exact for 0 and 1), where the general routine is within 1;
    /// overflow and underflow happen where the products' do. Other exponents go through the general power.</remarks>
    /// <example><code>Tensor.Scalar(3.0).Pow(2.0) // tensor(9., dtype=float64)</code></example>
    [Peers("torch.pow", "jnp.power", "dsharp.pow", Notes = "d/dx x⁰ = 0, also at 0; 0…4, −1, −2 as products")]
    public Tensor Pow(double p) => Op.Apply(SmallPower(p)
        ?? new UnaryOp("Pow", x => PowCompute(x, p), PowDerivative(p), onDevice: (b, x) => b.Pow(x, p)), this);

    // p·x^(p−1); for p = 0 the derivative is exactly 0, not 0·x⁻¹ (NaN at 0).
    private static Func<Tensor, Tensor, Tensor> PowDerivative(double p) =>
        (x, y) => p == 0 ? x.Const(0) : x.Pow(p - 1) * p;

    private static UnaryOp SmallPowerOp<K>(double p) where K : IUnaryKernel =>
        new("Pow", Elementwise.Map<K>, PowDerivative(p), onDevice: (b, x) => b.Pow(x, p));

    private static readonly Op[] SmallPowers =
    [
        SmallPowerOp<InverseSquarePowK>(-2), SmallPowerOp<ReciprocalK>(-1), SmallPowerOp<ZeroPowK>(0),
        SmallPowerOp<FirstPowK>(1), SmallPowerOp<SquareK>(2), SmallPowerOp<CubePowK>(3), SmallPowerOp<FourthPowK>(4),
    ];

    /// <summary>The op of a whole power from −2 to 4, written as products; null for other exponents.</summary>
    private static Op? SmallPower(double p) => p >= -2 && p <= 4 && p == Math.Floor(p) ? SmallPowers[(int)p + 2] : null;

    private readonly struct ZeroPowK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One; // also at 0 and NaN
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            y.Fill(T.One);
    }

    private readonly struct FirstPowK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x;
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            x.CopyTo(y);
    }

    private readonly struct CubePowK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Cube.One(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Powers.Run<Cube, T>(x, y);
    }

    private readonly struct FourthPowK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Fourth.One(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Powers.Run<Fourth, T>(x, y);
    }

    private readonly struct InverseSquarePowK : IUnaryKernel
    {
        public static T Scalar<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => InverseSquare.One(x);
        public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Powers.Run<InverseSquare, T>(x, y);
    }

    private static Tensor PowCompute(Tensor x, double p) =>
        x.DType == DType.Float64 ? PowCompute<double>(x, p) : PowCompute<float>(x, p);

    private static Tensor PowCompute<T>(Tensor x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        unsafe { Lanes.Grouped(x.Span<T>(), T.CreateTruncating(p), y, &TensorPrimitives.Pow<T>); }
        return Plain(x.shape, y, lease);
    }

    private readonly struct PowK : IBinaryKernel
    {
        public static unsafe void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, d, &TensorPrimitives.Pow<T>);
        public static unsafe void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, d, &TensorPrimitives.Pow<T>);
        public static unsafe void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => Lanes.Grouped(x, y, d, &TensorPrimitives.Pow<T>);
    }
    private static readonly Op PowOp = new BinaryOp<PowK>("Pow",
        // ∂/∂a = b·a^(b−1). Where a = 0 and b = 0 the exponent is replaced by 1 so the factor b = 0 meets a^0 = 1,
        // never 0·inf, at every order; elsewhere it stays b − 1, so ∂²/∂b∂a at b = 0 is 1/a, as it should be.
        static (a, b, y) => b * a.Pow(Where(b.Eq(b.Const(0)) & a.Eq(a.Const(0)), b.Const(1), b) - 1.0),
        // ∂/∂b = a^b·log a. Convention: 0 where a = 0 and b > 0 (the limit): there y = 0 and log's
        // argument is replaced by 1, so the product is 0·0 rather than 0·(−inf).
        static (a, b, y) => y * Where(a.Eq(a.Const(0)) & b.Gt(b.Const(0)), a.Const(1), a).Log());

    /// <summary>
    /// a^b elementwise with broadcasting. Conventions: ∂/∂a is 0 where b = 0, and ∂/∂b is 0 where a = 0 and
    /// b &gt; 0.
    /// </summary>
    /// <example><code>Tensor.Scalar(2.0).Pow(Tensor.Scalar(3.0)) // tensor(8., dtype=float64)</code></example>
    public Tensor Pow(Tensor exponent) => Op.Apply(PowOp, this, Guard.NotNull(exponent));

    /// <summary>a^b, so that F#'s <c>**</c> works on tensors.</summary>
    /// <example><code>Tensor.Pow(Tensor.Scalar(2.0), Tensor.Scalar(3.0)) // tensor(8., dtype=float64)</code></example>
    public static Tensor Pow(Tensor a, Tensor b) => Guard.NotNull(a).Pow(Guard.NotNull(b));

    /// <summary>x^p for a number p, so that F#'s <c>**</c> works with a float exponent.</summary>
    /// <example><code>Tensor.Pow(Tensor.Scalar(2.0), 3.0) // tensor(8., dtype=float64)</code></example>
    public static Tensor Pow(Tensor x, double p) => Guard.NotNull(x).Pow(p);
}
