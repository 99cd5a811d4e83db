namespace FuncGrad;

// Logic on masks: and, or, xor, not, any, all, counts, and the tests for NaN and infinities. Their results are bool
// (or an int64 count) and carry no graph. A tensor of another dtype counts as true where it is not zero, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>And, or or xor, elementwise with broadcasting, of two bool tensors.</summary>
    private sealed class LogicalOp(string name) : MaskOp
    {
        public override string Name => name;
        internal override object Identity => ("Logical", name);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Logical(name, x[0], x[1]);

        public override Tensor Compute(Tensor[] x)
        {
            var shape = Shapes.Broadcast(x[0].shape, x[1].shape, name);
            var a = Elementwise.Expand<bool>(x[0], shape);
            var b = Elementwise.Expand<bool>(x[1], shape);
            for (int i = 0; i < a.Length; i++)
                a[i] = name switch
                {
                    "LogicalAnd" => a[i] & b[i],
                    "LogicalOr" => a[i] | b[i],
                    _ => a[i] ^ b[i],
                };
            return Plain(shape, a);
        }
    }

    /// <summary>Not, elementwise, of a bool tensor.</summary>
    private sealed class NotOp : MaskOp
    {
        public static readonly NotOp Instance = new();
        public override string Name => "LogicalNot";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Logical(Name, x[0], x[0]);

        public override Tensor Compute(Tensor[] x)
        {
            var m = x[0].Span<bool>();
            var r = new bool[m.Length];
            for (int i = 0; i < r.Length; i++) r[i] = !m[i];
            return Plain(x[0].shape, r);
        }
    }

    /// <summary>This tensor as a mask: itself when bool, else true where not zero.</summary>
    private Tensor Truth(string op) => Guard.NotNull(this, member: op).DType == DType.Bool ? this : ToDType(DType.Bool);

    private static Tensor Logical(Tensor a, Tensor b, string op) =>
        new LogicalOp(op).On(a.Truth(op), b.Truth(op));

    /// <summary>True where both are true (not zero), elementwise with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([true, false]).LogicalAnd(Tensor.FromArray([true, true])) // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.logical_and", "jnp.logical_and", "", Notes = "bool results; not zero is true")]
    public Tensor LogicalAnd(Tensor other) => Logical(this, Guard.NotNull(other), "LogicalAnd");

    /// <summary>True where either is true (not zero), elementwise with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([true, false]).LogicalOr(Tensor.FromArray([false, false]))
    /// // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.logical_or", "jnp.logical_or", "")]
    public Tensor LogicalOr(Tensor other) => Logical(this, Guard.NotNull(other), "LogicalOr");

    /// <summary>True where exactly one is true (not zero), elementwise with broadcasting.</summary>
    /// <example><code>
    /// Tensor.FromArray([true, false]).LogicalXor(Tensor.FromArray([true, true])) // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.logical_xor", "jnp.logical_xor", "")]
    public Tensor LogicalXor(Tensor other) => Logical(this, Guard.NotNull(other), "LogicalXor");

    /// <summary>True where this is false (zero), elementwise.</summary>
    /// <example><code>
    /// Tensor.FromArray([true, false]).LogicalNot() // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.logical_not", "jnp.logical_not", "")]
    public Tensor LogicalNot() => NotOp.Instance.On(Truth("LogicalNot"));

    /// <summary><see cref="LogicalAnd"/> as an operator: <c>a &amp; b</c> (F#: <c>a &amp;&amp;&amp; b</c>).</summary>
    /// <example><code>var both = x.Gt(lo) &amp; x.Lt(hi);</code></example>
    public static Tensor operator &(Tensor a, Tensor b) => Guard.NotNull(a).LogicalAnd(Guard.NotNull(b));

    /// <summary><see cref="LogicalOr"/> as an operator: <c>a | b</c> (F#: <c>a ||| b</c>).</summary>
    /// <example><code>var outside = x.Lt(lo) | x.Gt(hi);</code></example>
    public static Tensor operator |(Tensor a, Tensor b) => Guard.NotNull(a).LogicalOr(Guard.NotNull(b));

    /// <summary><see cref="LogicalXor"/> as an operator: <c>a ^ b</c> (F#: <c>a ^^^ b</c>).</summary>
    /// <example><code>var differ = a.Gt(zero) ^ b.Gt(zero);</code></example>
    public static Tensor operator ^(Tensor a, Tensor b) => Guard.NotNull(a).LogicalXor(Guard.NotNull(b));

    /// <summary><see cref="LogicalNot"/> as an operator: <c>!a</c>.</summary>
    /// <example><code>var keep = !x.IsNan();</code></example>
    public static Tensor operator !(Tensor a) => Guard.NotNull(a).LogicalNot();

    /// <summary>How many elements are not zero (true), over all elements or over <paramref name="axes"/>: an int64
    /// count.</summary>
    /// <example><code>
    /// Tensor.FromArray([0.0, 2.0, -1.0]).CountNonzero() // tensor(2, dtype=int64)
    /// </code></example>
    [Peers("torch.count_nonzero", "jnp.count_nonzero", "", Composed = true)]
    public Tensor CountNonzero(int[]? axes = null, bool keepDims = false)
    {
        // Counts summed as float64 are exact up to 2^53 elements, more than one tensor holds.
        var ones = Truth("countNonzero").ToDType(DType.Float64);
        return ones.Sum(Shapes.Axes(axes, shape, "countNonzero"), keepDims).ToDType(DType.Int64);
    }

    /// <summary>Whether any element is true (not zero), over all elements or over <paramref name="axes"/>; false for
    /// none.</summary>
    /// <example><code>Tensor.FromArray([false, true]).Any() // tensor(True, dtype=bool)</code></example>
    [Peers("torch.any", "jnp.any", "", Composed = true)]
    public Tensor Any(int[]? axes = null, bool keepDims = false) =>
        CountNonzero(axes, keepDims).Gt(Scalar(0, DType.Int64));

    /// <summary>Whether every element is true (not zero), over all elements or over <paramref name="axes"/>; true for
    /// none.</summary>
    /// <example><code>Tensor.FromArray([false, true]).All() // tensor(False, dtype=bool)</code></example>
    [Peers("torch.all", "jnp.all", "", Composed = true)]
    public Tensor All(int[]? axes = null, bool keepDims = false) =>
        Truth("all").LogicalNot().CountNonzero(axes, keepDims).Eq(Scalar(0, DType.Int64));

    /// <summary>True where the element is NaN.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NaN]).IsNan() // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.isnan", "jnp.isnan", "dsharp.isnan", Composed = true)]
    public Tensor IsNan() => DType.IsFloat() ? Ne(this) : Zeros(shape, DType.Bool).To(Device);

    /// <summary>True where the element is +inf or −inf.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NegativeInfinity]).IsInf() // tensor([False,  True], dtype=bool)
    /// </code></example>
    [Peers("torch.isinf", "jnp.isinf", "dsharp.isinf", Composed = true)]
    public Tensor IsInf() => DType.IsFloat() ? Detach().Abs().Eq(Const(double.PositiveInfinity)) : IsNan();

    /// <summary>True where the element is neither NaN nor infinite.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, double.NaN]).IsFinite() // tensor([ True, False], dtype=bool)
    /// </code></example>
    [Peers("torch.isfinite", "jnp.isfinite", "", Composed = true)]
    public Tensor IsFinite() => DType.IsFloat() ? (Detach() - Detach()).Eq(Const(0)) : IsNan().LogicalNot();
}
