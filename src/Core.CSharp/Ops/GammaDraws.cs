using FuncGrad.Kernels;
using FuncGrad.Kernels.Random;
using System.Numerics;

namespace FuncGrad;

// Gamma draws from keys (Kernels/Random/Gamma.cs), differentiable in their shape through the implicit
// reparameterisation gradient: z is a function of (key, element, α), and dz/dα = −(∂P(α, z)/∂α)/f(z; α), an op of its
// own (GammaSampleGrad) whose kernel sums a positive series or integrates a positive integrand. Beta and Dirichlet
// draws are normalised gammas, composed of these and ordinary ops, so their gradients follow.
public sealed partial class Tensor
{
    /// <summary>Elements per part below which a draw stays on one thread (a draw costs about 0.1 µs).</summary>
    private const int GammaGrain = 8192;

    /// <summary>
    /// Gamma(α, 1) draws: argument 0 the keys int64 [..K, 2], argument 1 the shapes α [..K, ..S] (float, α's dtype
    /// is the result's); element j of the block of key k (in row-major order within ..S) is
    /// <see cref="GammaKernel.Sample"/>(key k, j, α). Its derivative in α is <see cref="GammaSampleGradOp"/>.
    /// </summary>
    private sealed class GammaDrawOp : Op
    {
        internal static readonly GammaDrawOp Instance = new();
        public override string Name => "GammaDraw";
        internal override bool AnyDType => true; // the keys are int64; α is checked to be a float by the caller

        public override Tensor Compute(Tensor[] x) =>
            x[1].DType == DType.Float64 ? Draw<double>(x[0], x[1]) : Draw<float>(x[0], x[1]);

        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => OnHost(b, this, x);

        private static Tensor Draw<T>(Tensor key, Tensor alpha) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var keys = AlongAxis.Indices(key);
            var a = alpha.Buffer<T>();
            var z = new T[a.Length];
            int blocks = keys.Length / 2, inner = blocks == 0 ? 0 : a.Length / blocks;
            int parts = a.Length < 2 * GammaGrain ? 1 : Math.Min(Environment.ProcessorCount, a.Length / GammaGrain);
            void Part(int p)
            {
                int from = (int)((long)a.Length * p / parts), to = (int)((long)a.Length * (p + 1) / parts);
                GammaKernel.SampleInto<T>(keys, a, z, inner, from, to);
            }
            if (parts == 1) Part(0);
            else Workers.For(parts, Part);
            return Plain(alpha.shape, z);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [null, needs[1] ? g * Op.Apply(GammaSampleGradOp, x[1], y) : null];

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            dx[1] is { } da ? da * Op.Apply(GammaSampleGradOp, x[1], y) : y.Const(0);

        // Keys and shapes with the batch axis in front (a shared one broadcast along it): then the batch is one more
        // leading key axis, and example b draws exactly what it draws alone.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var key = axes[0] is int ka ? Batching.Moved(x[0], ka, 0) : x[0].Unsqueeze(0).BroadcastTo([size, .. x[0].shape]);
            var alpha = axes[1] is int aa ? Batching.Moved(x[1], aa, 0)
                : x[1].Unsqueeze(0).BroadcastTo([size, .. x[1].shape]);
            return (Op.Apply(this, key, alpha), 0);
        }
    }

    /// <summary>dz/dα of a Gamma(α, 1) draw z, from α and z (<see cref="GammaKernel.SampleGrad"/>). Its derivative in
    /// z is written below in ops; in α it needs ∂²P/∂α², which FuncGrad does not compute: a second derivative of a
    /// draw in its shape throws (first order only).</summary>
    private static readonly Op GammaSampleGradOp = new BinaryOp<GammaSampleGradK>("GammaSampleGrad",
        static (a, z, g) => throw new NotSupportedException(
            "GammaSampleGrad: the second derivative of a gamma, beta or dirichlet draw with respect to its " +
            "parameters is not available (it needs ∂²P(α, z)/∂α², which FuncGrad does not compute): the draws are " +
            "differentiable to first order only; take a single grad, vjp or jvp through them"),
        // ∂/∂z of −P_α/f: −(log z − ψ(α)) − G·((α − 1)/z − 1), G the output
        static (a, z, g) => (z.Log() - a.Digamma()).Neg() - g * ((a - 1.0) / z - 1.0),
        onDevice: static (b, a, z) => OnHost(b, GammaSampleGradOp!, [a, z]));

    /// <summary>A gamma op on a device: computed on the host and moved back, so every device gives the host's
    /// bits.</summary>
    private static Tensor OnHost(Backend b, Op op, Tensor[] x)
    {
        var device = Array.Find(x, t => !t.StorageDevice.IsManaged)!.StorageDevice;
        var managed = Array.ConvertAll(x, t => t.StorageDevice.IsManaged ? t : b.ToManaged(t.Value));
        var y = op.Compute(managed);
        GC.KeepAlive(managed);
        return b.FromManaged(y, device);
    }

    private readonly struct GammaSampleGradK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T> => GammaKernel.SampleGradInto(x, y, d);

        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (var i = 0; i < d.Length; i++) d[i] = Grad(x[i], y);
        }

        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (var i = 0; i < d.Length; i++) d[i] = Grad(x, y[i]);
        }

        private static T Grad<T>(T a, T z) where T : unmanaged, IFloatingPointIeee754<T> =>
            T.CreateTruncating(GammaKernel.SampleGrad(double.CreateTruncating(a), double.CreateTruncating(z)));
    }

    /// <summary>Gamma(α, 1) draws of the shape <paramref name="shape"/> under <paramref name="key"/> (int64 [2], or a
    /// batch [..K, 2] of keys: then [..K, ..shape]), α broadcast to that shape.</summary>
    internal static Tensor GammaDraw(Tensor key, Tensor alpha, int[] shape, string op)
    {
        Guard.NotNull(key); Guard.NotNull(alpha); Guard.NotNull(shape);
        if (key.DType != DType.Int64 || key.Rank == 0 || key.shape[^1] != 2)
            throw new ShapeMismatchException(
                $"{op}: the key is {Shapes.Show(key)}; a key is an int64 tensor [2] (a batch of keys [..., 2]), as " +
                "RandomKeys.Key and Split make");
        if (alpha.DType > DType.Float32)
            throw new DTypeMismatchException(
                $"{op}: the shape parameter is {Shapes.Show(alpha)}; it is a float64 or float32 tensor: convert it " +
                "with ToDType(DType.Float64) first");
        foreach (var s in shape)
            if (s < 0)
                throw new ArgumentException($"{op}: the shape [{string.Join(", ", shape)}] has a negative size",
                    nameof(shape));
        int[] lead = key.shape[..^1], full = [.. lead, .. shape];
        if (alpha.Rank > shape.Length || !Shapes.Same(Shapes.Broadcast(alpha.shape, shape, op), shape))
            throw new ShapeMismatchException(
                $"{op}: the parameter {Shapes.Show(alpha)} does not broadcast to the draws' shape " +
                $"[{string.Join(", ", shape)}]; give a parameter that broadcasts to it (or a number)");
        return Op.Apply(GammaDrawOp.Instance, key, alpha.BroadcastTo(full));
    }
}
