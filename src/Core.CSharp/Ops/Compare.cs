using System.Numerics;
using System.Reflection;

namespace FuncGrad;

// Comparisons give masks: tensors of the operands' dtype holding 1 where the relation holds and 0
// elsewhere. Masks carry no graph (a comparison has zero derivative), and select with Where.
// Inside vmap a mask is batched like its operands: a comparison is lifted over the batches, as an
// elementwise op's batching rule would run it.
public sealed partial class Tensor
{
    private static Tensor Compare(Tensor a, Tensor b, string op, Func<double, double, bool> relation)
    {
        a = a.Value; b = b.Value;
        if (a.tag != 0 || b.tag != 0)
        {
            var lead = a.tag >= b.tag ? a : b;
            return lead.IsTraced
                ? Tracing.Record(new CompareOp(op, relation), [a, b], lead.tag)
                : Batching.Lift([a, b], x => Compare(x[0], x[1], op, relation));
        }
        if (a.OnDevice || b.OnDevice) return Backends.Compute(new CompareOp(op, relation), [a, b]);
        Elementwise.SameDType(a, b, op);
        var shape = Shapes.Broadcast(a.shape, b.shape, op);
        var x = a.DType == DType.Float64 ? Elementwise.Expand<double>(a, shape)
            : Widen(Elementwise.Expand<float>(a, shape));
        var y = b.DType == DType.Float64 ? Elementwise.Expand<double>(b, shape)
            : Widen(Elementwise.Expand<float>(b, shape));
        var m = new double[x.Length];
        for (int i = 0; i < m.Length; i++) m[i] = relation(x[i], y[i]) ? 1.0 : 0.0;
        var mask = Plain(shape, m);
        return a.DType == DType.Float64 ? mask : mask.ToDType(DType.Float32);
    }

    /// <summary>
    /// A comparison as a step of a compiled program (masks carry no graph, so elsewhere a comparison is no op). It is
    /// only ever recorded on values, never differentiated: its rules give zeros.
    /// </summary>
    private sealed class CompareOp(string name, Func<double, double, bool> relation) : Op
    {
        public override string Name => name;
        internal override object Identity => ("Compare", name);
        public override Tensor Compute(Tensor[] x) => Compare(x[0], x[1], name, relation);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], name);
            return b.Compare(name, x[0], x[1]);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [null, null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => ZerosLike(y.Value);

        // Compare widens float32 to float64 first, which is exact, so comparing the floats themselves agrees.
        internal override ScalarForm? Scalar(Type t) => new(typeof(CompareOp)
            .GetMethod(char.ToUpperInvariant(name[0]) + name[1..], BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(t));

        private static T Mask<T>(bool holds) where T : IFloatingPointIeee754<T> => holds ? T.One : T.Zero;
        private static T Eq<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a == b);
        private static T Ne<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a != b);
        private static T Lt<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a < b);
        private static T Le<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a <= b);
        private static T Gt<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a > b);
        private static T Ge<T>(T a, T b) where T : IFloatingPointIeee754<T> => Mask<T>(a >= b);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }

    private static double[] Widen(float[] f)
    {
        var d = new double[f.Length];
        for (int i = 0; i < f.Length; i++) d[i] = f[i];
        return d;
    }

    /// <summary>Mask of a = b elementwise (NaN is equal to nothing).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Eq(Tensor.Scalar(2.0)) // tensor([0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.eq", "jnp.equal", "dsharp.eq", Notes = "masks are 1 and 0 in the operands' dtype, not booleans")]
    public Tensor Eq(Tensor other) => Compare(this, Guard.NotNull(other), "eq", static (p, q) => p == q);
    /// <summary>Mask of a ≠ b elementwise (NaN differs from everything).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Ne(Tensor.Scalar(2.0)) // tensor([1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.ne", "jnp.not_equal", "dsharp.ne")]
    public Tensor Ne(Tensor other) => Compare(this, Guard.NotNull(other), "ne", static (p, q) => p != q);
    /// <summary>Mask of a &lt; b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Lt(Tensor.Scalar(2.0)) // tensor([1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.lt", "jnp.less", "dsharp.lt")]
    public Tensor Lt(Tensor other) => Compare(this, Guard.NotNull(other), "lt", static (p, q) => p < q);
    /// <summary>Mask of a ≤ b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Le(Tensor.Scalar(1.0)) // tensor([1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.le", "jnp.less_equal", "dsharp.le")]
    public Tensor Le(Tensor other) => Compare(this, Guard.NotNull(other), "le", static (p, q) => p <= q);
    /// <summary>Mask of a &gt; b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Gt(Tensor.Scalar(1.0)) // tensor([0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.gt", "jnp.greater", "dsharp.gt")]
    public Tensor Gt(Tensor other) => Compare(this, Guard.NotNull(other), "gt", static (p, q) => p > q);
    /// <summary>Mask of a ≥ b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Ge(Tensor.Scalar(2.0)) // tensor([0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.ge", "jnp.greater_equal", "dsharp.ge")]
    public Tensor Ge(Tensor other) => Compare(this, Guard.NotNull(other), "ge", static (p, q) => p >= q);

    /// <summary>
    /// Where-op on (a, b, mask): picks a where the mask is non-zero and b elsewhere. The mask is an argument, so
    /// it can be batched, but never differentiated: it is detached, and gets no cotangent.
    /// </summary>
    private sealed class WhereOp : Op
    {
        public static readonly WhereOp Instance = new();
        public override string Name => "Where";
        public override Tensor Compute(Tensor[] x) => Select(x[2], x[0], x[1]);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "where");
            return b.Where(x[2], x[0], x[1]);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var zero = g.Const(0);
            return
            [
                needs[0] ? Where(x[2], g, zero).SumTo(x[0].shape) : null,
                needs[1] ? Where(x[2], zero, g).SumTo(x[1].shape) : null,
                null,
            ];
        }
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Where(x[2], dx[0] ?? y.Const(0), dx[1] ?? y.Const(0)).BroadcastTo(y.shape);
        // As Select: b where the mask is zero (either sign), a elsewhere (NaN included).
        internal override ScalarForm? Scalar(Type t) => new(typeof(WhereOp).GetMethod(nameof(Pick),
            BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t));
        private static T Pick<T>(T a, T b, T mask) where T : IFloatingPointIeee754<T> => mask == T.Zero ? b : a;
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }

    private static Tensor Select(Tensor mask, Tensor a, Tensor b)
    {
        const string op = "where";
        Elementwise.SameDType(a, b, op);
        var shape = Shapes.Broadcast(Shapes.Broadcast(mask.shape, a.shape, op), b.shape, op);
        var m = mask.DType == DType.Float64 ? Elementwise.Expand<double>(mask, shape)
            : Widen(Elementwise.Expand<float>(mask, shape));
        return a.DType == DType.Float64 ? Select<double>(m, a, b, shape) : Select<float>(m, a, b, shape);
    }

    private static Tensor Select<T>(double[] m, Tensor a, Tensor b, int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Elementwise.Expand<T>(a, shape);
        var y = Elementwise.Expand<T>(b, shape);
        for (int i = 0; i < m.Length; i++) if (m[i] == 0) x[i] = y[i];
        return Plain(shape, x);
    }

    /// <summary>
    /// Elementwise choice: <paramref name="a"/> where <paramref name="mask"/> is non-zero, <paramref name="b"/>
    /// elsewhere, all three broadcasting. Gradients flow to the chosen side only; the mask gets none.
    /// </summary>
    /// <example><code>
    /// Tensor.Where(Tensor.FromArray([1.0, 0.0]), Tensor.Scalar(5.0),
    ///     Tensor.Scalar(7.0)) // tensor([5., 7.], dtype=float64)
    /// </code></example>
    [Peers("torch.where", "jnp.where", "", Notes = "non-zero picks a; the mask gets no gradient")]
    public static Tensor Where(Tensor mask, Tensor a, Tensor b)
    {
        Guard.NotNull(mask); Guard.NotNull(a); Guard.NotNull(b);
        return Op.Apply(WhereOp.Instance, a, b, mask.Value);
    }
}
