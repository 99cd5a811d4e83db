namespace FuncGrad;

/// <summary>
/// One op application of a recorded graph, taken on its own: the op, the plain values it was applied
/// to and the plain value it gave. <see cref="Apply"/> runs the same op on new arguments, so its own
/// VJP and JVP rules can be checked in isolation (GradCheck uses this to say which op's rule is wrong).
/// </summary>
/// <example><code>
/// var (y, ops) = GraphInspection.Trace(xs => xs[0].Sin() * 2.0, [Tensor.Scalar(1.0)]);
/// ops[0].Name // evaluates to "Sin"
/// </code></example>
internal sealed class TracedOp
{
    private readonly Op op;

    internal TracedOp(int index, Op op, Tensor[] arguments, bool[] dependsOnInputs, Tensor output)
    {
        Index = index; this.op = op; Arguments = arguments; DependsOnInputs = dependsOnInputs; Output = output;
    }

    /// <summary>The position in topological order: every op comes after the ops that made its arguments.</summary>
    public int Index { get; }

    /// <summary>The op's name, as <c>grad_fn</c> shows it.</summary>
    public string Name => op.Name;

    /// <summary>The plain values of the arguments, in the op's order.</summary>
    public IReadOnlyList<Tensor> Arguments { get; }

    /// <summary>For each argument, whether it was computed from the traced inputs (the others are constants).</summary>
    public IReadOnlyList<bool> DependsOnInputs { get; }

    /// <summary>The plain value the op gave.</summary>
    public Tensor Output { get; }

    /// <summary>
    /// The same op applied to <paramref name="arguments"/> (one per original argument): its value on plain
    /// tensors, and under a differentiation its own VJP or JVP rule, with nothing else in between.
    /// </summary>
    public Tensor Apply(IReadOnlyList<Tensor> arguments)
    {
        if (arguments.Count != Arguments.Count)
            throw new ArgumentException(
                $"{Name}: {arguments.Count} arguments given to an op applied to {Arguments.Count}; " +
                "give one per argument");
        return Op.Apply(op, arguments.ToArray());
    }

    public override string ToString() => $"{Index}: {Name}({string.Join(", ", Arguments.Select(Shapes.Show))})";
}

/// <summary>Read access to the graph a function records: what the op-by-op checks of GradCheck need.</summary>
internal static class GraphInspection
{
    /// <summary>
    /// Runs <paramref name="f"/> at <paramref name="inputs"/> under a fresh reverse-mode differentiation and
    /// returns its plain output and the op applications the output depends on through the inputs, each after
    /// the ops that made its arguments. Ops on constants alone are not recorded, so they are not listed.
    /// </summary>
    internal static (Tensor Output, IReadOnlyList<TracedOp> Ops) Trace(Func<IReadOnlyList<Tensor>, Tensor> f,
        IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException("trace: no inputs given; pass at least one tensor");
        // Vjp makes the variables of a fresh differentiation; the output is caught before it is unwrapped.
        long t = 0;
        Tensor? y = null;
        Autodiff.Vjp(vars => { t = vars[0].tag; y = f(vars); return y; }, inputs.Select(x => x.Value).ToArray());
        var root = Autodiff.AtLevel(y!, t);
        var ops = new List<TracedOp>();
        if (root is null) return (y!.Value, ops);

        // The reverse walk's own order: every op after the ops that made its arguments.
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        Backward.PostOrder([root], x => x.args, x => x.tag == t && seen.Add(x), node =>
        {
            if (node.op is null) return;
            var a = node.args!;
            var args = new Tensor[a.Length];
            var depends = new bool[a.Length];
            for (int i = 0; i < a.Length; i++) { args[i] = a[i].Value; depends[i] = a[i].tag == t; }
            ops.Add(new TracedOp(ops.Count, node.op, args, depends, node.Value));
        });
        return (y!.Value, ops);
    }
}
