using System.Numerics;

namespace FuncGrad;

// Comparisons give bool masks, as PyTorch's do: true where the relation holds. A mask carries no graph (a comparison
// has no derivative), selects with Where, and converts to 0 and 1 with ToDType. Inside vmap a mask is batched like its
// operands; in compile it is traced like any value.
public sealed partial class Tensor
{
    /// <summary>
    /// An op whose result is an integer or bool tensor: a mask or a count, never differentiated. Its arguments are
    /// passed as their values (<see cref="Value"/>: differentiation levels off, vmap and compile levels kept), so
    /// <see cref="Op.Apply"/> never records it in a graph and its rules never run.
    /// </summary>
    internal abstract class MaskOp : Op
    {
        internal override bool AnyDType => true;
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => new Tensor?[x.Length];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => ZerosLike(y.Value);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);

        /// <summary>The op on the values of <paramref name="args"/>.</summary>
        internal Tensor On(params Tensor[] args)
        {
            for (int i = 0; i < args.Length; i++) args[i] = args[i].Value;
            return Op.Apply(this, args);
        }
    }

    /// <summary>A relation, elementwise with broadcasting, on two tensors of one dtype: a bool mask.</summary>
    private sealed class CompareOp(string name) : MaskOp
    {
        public override string Name => name;
        internal override object Identity => ("Compare", name);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], name);
            return b.Compare(name, x[0], x[1]);
        }

        public override Tensor Compute(Tensor[] x)
        {
            var (a, b) = (x[0], x[1]);
            Elementwise.SameDType(a, b, name);
            var shape = Shapes.Broadcast(a.shape, b.shape, name);
            // floats widen exactly to float64, integers and bools to int64: one comparison per kind
            return a.DType.IsFloat()
                ? Plain(shape, Relate(Wide<double>(a, shape), Wide<double>(b, shape)))
                : Plain(shape, Relate(Wide<long>(a, shape), Wide<long>(b, shape)));
        }

        private static T[] Wide<T>(Tensor x, int[] shape) where T : unmanaged =>
            Elementwise.Expand<T>(x.DType == DTypeExtensions.Of<T>() ? x : Plain(x.shape, Kernels.Cast.To<T>(x, "")),
                shape);

        private bool[] Relate<T>(T[] x, T[] y) where T : INumber<T>
        {
            var m = new bool[x.Length];
            switch (name)
            {
                case "eq": for (int i = 0; i < m.Length; i++) m[i] = x[i] == y[i]; break;
                case "ne": for (int i = 0; i < m.Length; i++) m[i] = x[i] != y[i]; break;
                case "lt": for (int i = 0; i < m.Length; i++) m[i] = x[i] < y[i]; break;
                case "le": for (int i = 0; i < m.Length; i++) m[i] = x[i] <= y[i]; break;
                case "gt": for (int i = 0; i < m.Length; i++) m[i] = x[i] > y[i]; break;
                default: for (int i = 0; i < m.Length; i++) m[i] = x[i] >= y[i]; break;
            }
            return m;
        }
    }

    private static Tensor Compare(Tensor a, Tensor b, string op) => new CompareOp(op).On(a, b);

    /// <summary>Mask of a = b elementwise (NaN is equal to nothing).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Eq(Tensor.Scalar(2.0)) // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.eq", "jnp.equal", "dsharp.eq", Notes = "bool masks; the operands share one dtype")]
    public Tensor Eq(Tensor other) => Compare(this, Guard.NotNull(other), "eq");
    /// <summary>Mask of a ≠ b elementwise (NaN differs from everything).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Ne(Tensor.Scalar(2.0)) // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.ne", "jnp.not_equal", "dsharp.ne")]
    public Tensor Ne(Tensor other) => Compare(this, Guard.NotNull(other), "ne");
    /// <summary>Mask of a &lt; b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Lt(Tensor.Scalar(2.0)) // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.lt", "jnp.less", "dsharp.lt")]
    public Tensor Lt(Tensor other) => Compare(this, Guard.NotNull(other), "lt");
    /// <summary>Mask of a ≤ b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Le(Tensor.Scalar(1.0)) // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.le", "jnp.less_equal", "dsharp.le")]
    public Tensor Le(Tensor other) => Compare(this, Guard.NotNull(other), "le");
    /// <summary>Mask of a &gt; b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Gt(Tensor.Scalar(1.0)) // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.gt", "jnp.greater", "dsharp.gt")]
    public Tensor Gt(Tensor other) => Compare(this, Guard.NotNull(other), "gt");
    /// <summary>Mask of a ≥ b elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Ge(Tensor.Scalar(2.0)) // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.ge", "jnp.greater_equal", "dsharp.ge")]
    public Tensor Ge(Tensor other) => Compare(this, Guard.NotNull(other), "ge");

    /// <summary>
    /// Where-op on (a, b, mask): picks a where the bool mask is true and b elsewhere. The mask is an argument, so it
    /// can be batched, but never differentiated: it is detached, and gets no cotangent.
    /// </summary>
    private sealed class WhereOp : CopyOp
    {
        public static readonly WhereOp Instance = new();
        public override string Name => "Where";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "where");
            return b.Where(x[2], x[0], x[1]);
        }

        protected override Tensor Copy<T>(Tensor[] x)
        {
            var (a, b, mask) = (x[0], x[1], x[2]);
            Elementwise.SameDType(a, b, "where");
            var shape = Shapes.Broadcast(Shapes.Broadcast(mask.shape, a.shape, "where"), b.shape, "where");
            var m = Elementwise.Expand<bool>(mask, shape);
            var r = Elementwise.Expand<T>(a, shape);
            var y = Elementwise.Expand<T>(b, shape);
            for (int i = 0; i < m.Length; i++) if (!m[i]) r[i] = y[i];
            return Plain(shape, r);
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
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }

    /// <summary>
    /// Elementwise choice: <paramref name="a"/> where the bool <paramref name="mask"/> is true, <paramref name="b"/>
    /// elsewhere, all three broadcasting. Gradients flow to the chosen side only; the mask gets none.
    /// </summary>
    /// <remarks>a and b share one dtype, any of them; the mask is bool (a comparison's result, or
    /// <c>ToDType(DType.Bool)</c> of a tensor whose non-zero elements pick a).</remarks>
    /// <example><code>
    /// Tensor.Where(Tensor.FromArray([true, false]), Tensor.Scalar(5.0),
    ///     Tensor.Scalar(7.0)) // tensor([5., 7.], dtype=float64)
    /// </code></example>
    [Peers("torch.where", "jnp.where", "", Notes = "the mask is bool and gets no gradient")]
    public static Tensor Where(Tensor mask, Tensor a, Tensor b)
    {
        Guard.NotNull(mask); Guard.NotNull(a); Guard.NotNull(b);
        if (mask.DType != DType.Bool)
            throw new DTypeMismatchException(
                $"where: the mask is {Shapes.Show(mask)}; a mask is bool: pass a comparison's result (x.Gt(y)), or " +
                "mask.ToDType(DType.Bool), which is true where the mask is not zero");
        return Op.Apply(WhereOp.Instance, a, b, mask.Value);
    }
}
