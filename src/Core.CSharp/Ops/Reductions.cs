using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Reductions over all elements or over chosen axes, optionally keeping the reduced axes as size 1.
public sealed partial class Tensor
{
    private readonly struct SumR : IReduceKernel
    {
        public static T Identity<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.Zero;
        public static T Aggregate<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sum(x);
        public static void CombineInto<T>(Span<T> acc, ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(acc, x, acc);
    }
    private readonly struct MaxR : IReduceKernel
    {
        public static T Identity<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.NegativeInfinity;
        public static T Aggregate<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x);
        public static void CombineInto<T>(Span<T> acc, ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(acc, x, acc);
    }
    private readonly struct MinR : IReduceKernel
    {
        public static T Identity<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.PositiveInfinity;
        public static T Aggregate<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x);
        public static void CombineInto<T>(Span<T> acc, ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(acc, x, acc);
    }

    private static Tensor ReduceCompute<R>(Tensor x, int[] axes, bool keepDims) where R : IReduceKernel =>
        x.DType == DType.Float64 ? ReduceCompute<R, double>(x, axes, keepDims)
            : ReduceCompute<R, float>(x, axes, keepDims);

    private static Tensor ReduceCompute<R, T>(Tensor x, int[] axes, bool keepDims)
        where R : IReduceKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Shapes.Reduced(x.shape, axes, keepDims);
        var d = new T[Shapes.Count(shape, "reduce")];
        Reduce.Axes<T, R>(x.Span<T>(), x.shape, axes, d);
        return Plain(shape, d);
    }

    /// <summary>In a compiled program: the reduction Compute makes, into the result's buffer.</summary>
    private sealed class ReduceStep<R, T>(StepTypes s, int[] axes) : StepKernel
        where R : IReduceKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly int x = s.Args[0], y = s.Result, xCount = s.ArgCount(0), count = s.Count;
        private readonly int[] shape = s.ArgShape(0);

        internal override void Run(Frame f, int lo, int hi) =>
            Reduce.Axes<T, R>(f.In<T>(x, 0, xCount), shape, axes, f.Out<T>(y, 0, count));
    }

    private static StepKernel? ReduceKernel<R>(StepTypes s, int[] axes) where R : IReduceKernel =>
        !s.OneDType ? null
        : s.DType == DType.Float64 ? new ReduceStep<R, double>(s, axes) : new ReduceStep<R, float>(s, axes);

    /// <summary>g, reduced over <paramref name="axes"/> of <paramref name="x"/>, with those axes back as size 1 so it
    /// broadcasts against x.</summary>
    private static Tensor Kept(Tensor g, Tensor x, int[] axes) => g.Reshape(Shapes.Reduced(x.shape, axes, true));

    private sealed class SumOp(int[] axes, bool keepDims) : Op
    {
        public override string Name => "Sum";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Reduce("Sum", x[0], axes, keepDims);
        public override Tensor Compute(Tensor[] x) => ReduceCompute<SumR>(x[0], axes, keepDims);
        internal override StepKernel? Kernel(StepTypes s) => ReduceKernel<SumR>(s, axes);
        public override bool ReadsValuesOnly => true;
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0], axes).BroadcastTo(x[0].shape)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, static (v, a, k) => Op.Apply(new SumOp(a, k), v));
    }

    /// <summary>
    /// Max or min over axes. Convention: ties split the gradient evenly among the extreme elements,
    /// so max([1, 3, 3]) sends [0, ½, ½] back.
    /// </summary>
    private sealed class ExtremeOp<R>(string name, int[] axes, bool keepDims) : Op where R : IReduceKernel
    {
        public override string Name => name;
        public override Tensor Compute(Tensor[] x) => ReduceCompute<R>(x[0], axes, keepDims);
        internal override StepKernel? Kernel(StepTypes s) => ReduceKernel<R>(s, axes);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Reduce(name, x[0], axes, keepDims);
        private Tensor Share(Tensor x, Tensor y)
        {
            var hit = x.Eq(Kept(y, x, axes)).ToDType(x.DType);
            return hit / hit.Sum(axes, keepDims: true);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0], axes) * Share(x[0], y)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => (dx[0]! * Share(x[0], y)).Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, (v, a, k) => Op.Apply(new ExtremeOp<R>(name, a, k), v));
    }

    /// <summary>log Σ exp(x) over axes, computed as m + log Σ exp(x − m) with m the maximum, so nothing
    /// overflows.</summary>
    private sealed class LogSumExpOp(int[] axes, bool keepDims) : Op
    {
        public override string Name => "LogSumExp";
        // Composed of ops that run on the device (arguments of this op are plain: it does not read values only).
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Reduce("LogSumExp", x[0], axes, keepDims)
            ?? Compute(x);
        public override Tensor Compute(Tensor[] x)
        {
            var m = x[0].Max(axes, keepDims: true);
            // all −inf (or +inf): no shift
            var shift = Where(m.Abs().Eq(m.Const(double.PositiveInfinity)), m.Const(0), m);
            var r = (x[0] - shift).Exp().Sum(axes, keepDims: true).Log() + shift;
            return r.Reshape(Shapes.Reduced(x[0].shape, axes, keepDims));
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0], axes) * SoftmaxOver(x[0], axes)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            (dx[0]! * SoftmaxOver(x[0], axes)).Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, static (v, a, k) => Op.Apply(new LogSumExpOp(a, k), v));
    }

    /// <summary>
    /// softmax over the axes as e/Σe with e = exp(x − max), the max held constant (softmax does not
    /// depend on it). Exact for ties, and 0 rather than NaN where every element is −inf.
    /// </summary>
    internal static Tensor SoftmaxOver(Tensor x, int[] axes)
    {
        var m = x.Value.Max(axes, keepDims: true);
        var e = (x - Where(m.Abs().Eq(m.Const(double.PositiveInfinity)), m.Const(0), m)).Exp();
        var s = e.Sum(axes, keepDims: true);
        return e / Where(s.Eq(s.Const(0)), s.Const(1), s); // 0/1, never 0/0, so no NaN reaches any order
    }

    private int[] NonEmptyAxes(int[]? axes, string op)
    {
        var a = Shapes.Axes(axes, shape, op);
        foreach (var ax in a)
            if (shape[ax] == 0)
                throw new EmptyTensorException($"{op}: axis {ax} of {Shapes.Show(this)} is empty; "
                    + $"{op} needs at least one element to reduce");
        if (a.Length == 0 && Count == 0)
            throw new EmptyTensorException($"{op}: the tensor {Shapes.Show(this)} is empty; "
                + $"{op} needs at least one element");
        return a;
    }

    /// <summary>Sum of all elements, or over <paramref name="axes"/> (negative counts from the end); the sum of nothing
    /// is 0.</summary>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).Sum([0]) // tensor([4., 6.], dtype=float64)
    /// </code></example>
    [Peers("torch.sum", "jnp.sum", "dsharp.sum")]
    public Tensor Sum(int[]? axes = null, bool keepDims = false) => DType.IsFloat()
        ? Op.Apply(new SumOp(Shapes.Axes(axes, shape, "sum"), keepDims), this)
        : new IntReduceOp("Sum", Shapes.Axes(axes, shape, "sum"), keepDims).On(this);

    /// <summary>Arithmetic mean of all elements, or over <paramref name="axes"/>.</summary>
    /// <example><code>Tensor.FromArray([1.0, 2.0, 6.0]).Mean() // tensor(3., dtype=float64)</code></example>
    [Peers("torch.mean", "jnp.mean", "dsharp.mean", Composed = true)]
    public Tensor Mean(int[]? axes = null, bool keepDims = false)
    {
        var a = NonEmptyAxes(axes, "mean");
        long n = 1;
        foreach (var ax in a) n *= shape[ax];
        return Sum(a, keepDims) / n;
    }

    /// <summary>Maximum of all elements, or over <paramref name="axes"/>. NaN if any element is NaN.</summary>
    /// <remarks>Ties share the gradient evenly.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 3.0, 3.0]).Max() // tensor(3., dtype=float64)</code></example>
    [Peers("torch.amax", "jnp.max", "dsharp.max",
        Notes = "ties share the gradient; no indices (torch.max with a dim gives both)")]
    public Tensor Max(int[]? axes = null, bool keepDims = false) => DType.IsFloat()
        ? Op.Apply(new ExtremeOp<MaxR>("Max", NonEmptyAxes(axes, "max"), keepDims), this)
        : new IntReduceOp("Max", NonEmptyAxes(axes, "max"), keepDims).On(this);

    /// <summary>Minimum of all elements, or over <paramref name="axes"/>. NaN if any element is NaN.</summary>
    /// <remarks>Ties share the gradient evenly.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 3.0]).Min() // tensor(1., dtype=float64)</code></example>
    [Peers("torch.amin", "jnp.min", "dsharp.min", Notes = "ties share the gradient")]
    public Tensor Min(int[]? axes = null, bool keepDims = false) => DType.IsFloat()
        ? Op.Apply(new ExtremeOp<MinR>("Min", NonEmptyAxes(axes, "min"), keepDims), this)
        : new IntReduceOp("Min", NonEmptyAxes(axes, "min"), keepDims).On(this);

    /// <summary>
    /// log Σ exp(x) over all elements or over <paramref name="axes"/>, without overflow: logsumexp([1000, 1000]) is
    /// 1000 + log 2. If every element is −inf the value is −inf and the gradient 0.
    /// </summary>
    /// <example><code>Tensor.FromArray([0.0, 0.0]).LogSumExp() // tensor(0.6931, dtype=float64)</code></example>
    [Peers("torch.logsumexp", "jax.nn.logsumexp", "dsharp.logsumexp")]
    public Tensor LogSumExp(int[]? axes = null, bool keepDims = false) =>
        Op.Apply(new LogSumExpOp(NonEmptyAxes(axes, "logsumexp"), keepDims), this);
}
