namespace FuncGrad;

/// <summary>
/// A user function with its own derivative rules, run as one op: its value is computed on plain
/// tensors (nothing inside it is recorded), and differentiation uses the rules given. Rules written
/// with FuncGrad's ops are differentiable in turn, so nesting works through a custom op.
/// </summary>
/// <remarks>
/// Either rule alone serves both modes, because each is linear in its direction. Without a VJP, the
/// JVP rule is transposed by reverse mode through it (as JAX transposes a custom_jvp). Without a JVP,
/// J·v is the gradient with respect to u of ⟨VJP(u), v⟩, by reverse mode through the VJP rule.
/// </remarks>
internal sealed class CustomOp(string name, Func<Tensor[], Tensor> value,
    Func<Tensor, Tensor[], Tensor, Tensor[]>? vjp, Func<Tensor?[], Tensor[], Tensor, Tensor>? jvp,
    CustomOp.Reads reads) : Op
{
    /// <summary>What the user's function and rules may read: <see cref="Checked"/> refuses reading values that
    /// belong to a differentiation (RuleReads.cs); <see cref="Once"/> also refuses any differentiation through the
    /// rules; <see cref="Free"/> is checkpoint's, whose rules run the user's f as ordinary differentiated
    /// code.</summary>
    internal enum Reads { Checked, Once, Free }

    private bool onceDifferentiable => reads == Reads.Once;

    public override string Name => name;

    // The function is written in FuncGrad's ops, which run on the arguments' device.
    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => Compute(x);

    public override Tensor Compute(Tensor[] x)
    {
        var y = Reading("function", [.. Named(x)], () => value(x));
        if (y.tag != 0)
            throw new GradientException(
                $"{name}: the function's result depends on a tensor being differentiated that is not one of its " +
                "inputs (a captured variable?); pass every such tensor as an input " +
                "(Autodiff.Checkpoint/Custom with several inputs; checkpointOf in F#)");
        return y;
    }

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        if (onceDifferentiable) Once([g, y, .. x]);
        if (vjp is not null) return UserVjp(g, x, y);
        var zeros = x.Select(a => Tensor.ZerosLike(a.Value)).ToArray();
        var (_, transpose) = Autodiff.Vjp(dx => UserJvp(dx.ToArray(), x, y), zeros);
        return transpose(g);
    }

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
    {
        if (onceDifferentiable) Once([y, .. x, .. dx]);
        if (jvp is not null) return UserJvp(dx, x, y);
        var (_, back) = Autodiff.Vjp(u => Dot(UserVjp(u[0], x, y), dx), [Tensor.ZerosLike(y.Value)]);
        return back(Tensor.Scalar(1.0, y.DType))[0];
    }

    private Tensor[] UserVjp(Tensor g, Tensor[] x, Tensor y) =>
        Reading("VJP rule", [(g, "the cotangent"), .. Named(x), (y, "the output")], () => vjp!(g, x, y));

    private Tensor UserJvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
        Reading("JVP rule", [.. dx.Select((d, i) => (d, $"the tangent of input {i}")), .. Named(x), (y, "the output")],
            () => jvp!(dx, x, y));

    private T Reading<T>(string rule, (Tensor?, string)[] named, Func<T> body) =>
        reads == Reads.Free ? body() : RuleReads.Run(name, rule, onceDifferentiable, named, body);

    private static IEnumerable<(Tensor?, string)> Named(Tensor[] x) =>
        x.Select((a, i) => ((Tensor?)a, x.Length == 1 ? "its input" : $"input {i}"));

    /// <summary>A once-differentiable rule gets values that nothing differentiates (plain, or batched by vmap, or
    /// traced by compile): a dual or a node among them means it is being differentiated again.</summary>
    private void Once(Tensor?[] args)
    {
        foreach (var a in args)
            for (var t = a; t is { tag: not 0 }; t = t.primal)
                if (t.IsDual || t.IsNode) throw OnceError();
    }

    private GradientException OnceError() => new(
        $"{name}: its rules are declared once-differentiable (onceDifferentiable), so it cannot be differentiated " +
        "again, and here it is: a derivative of order 2 or more (a Hessian, grad of grad, jvp of grad, jacfwd of " +
        "jacrev) or a gradient recorded with createGraph goes through it. To differentiate through it to any order, " +
        "write its rules with FuncGrad ops (Tensor methods) and drop onceDifferentiable");

    /// <summary>
    /// The op on whole batches is another custom op whose function and rules are the user's, each run under vmap:
    /// they are written for one example, and vmap runs them once on the batch. Mapped arguments go in with their
    /// batch first; a shared argument's cotangent is the sum over the examples of what each example sends it.
    /// </summary>
    public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
    {
        int n = x.Length;
        var front = new Tensor[n];
        var mapped = new int?[n];
        for (int i = 0; i < n; i++)
        {
            front[i] = Batching.Front(x[i], axes[i]);
            mapped[i] = axes[i] is null ? null : 0;
        }
        int?[] WithOutput(int?[] head) => [.. head, 0];
        var batched = new CustomOp(name,
            xs => Autodiff.VmapCore(v => [value(v)], xs, mapped, 0, name)[0],
            vjp is null ? null : (g, xs, y) =>
            {
                var r = Autodiff.VmapCore(v => vjp(v[0], v[1..(n + 1)], v[n + 1]), [g, .. xs, y],
                    [0, .. WithOutput(mapped)], 0, name);
                for (int i = 0; i < n; i++)
                    if (mapped[i] is null) r[i] = r[i].Sum([0]);
                return r;
            },
            jvp is null ? null : (dx, xs, y) =>
            {
                // Only the tangents that are given go through vmap; a missing one stays null inside.
                var given = Enumerable.Range(0, n).Where(i => dx[i] is not null).ToArray();
                Tensor Tangent(Tensor[] v)
                {
                    var d = new Tensor?[n];
                    for (int j = 0; j < given.Length; j++) d[given[j]] = v[j];
                    return jvp(d, v[given.Length..(given.Length + n)], v[given.Length + n]);
                }
                return Autodiff.VmapCore(v => [Tangent(v)], [.. given.Select(i => dx[i]!), .. xs, y],
                    [.. given.Select(i => mapped[i]), .. WithOutput(mapped)], 0, name)[0];
            }, reads);
        return (Op.Apply(batched, front), 0);
    }

    /// <summary>Σᵢ ⟨aᵢ, bᵢ⟩ over the non-null b.</summary>
    private static Tensor Dot(Tensor[] a, Tensor?[] b)
    {
        Tensor? sum = null;
        for (int i = 0; i < a.Length; i++)
            if (b[i] is not null) { var d = (a[i] * b[i]!).Sum(); sum = sum is null ? d : sum + d; }
        return sum!;
    }
}

public static partial class Autodiff
{
    /// <summary>
    /// Runs <paramref name="f"/> as one op with derivative rules of your own: for a numerically stable or
    /// cheaper derivative than differentiating <paramref name="f"/>'s own ops would give.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="vjp"/> maps (output cotangent, inputs, output) to one cotangent per input;
    /// <paramref name="jvp"/> maps (input tangents, null meaning zero; inputs; output) to the output tangent. Give at
    /// least one; the other mode is derived from it (at the cost of an extra reverse pass through the rule).
    /// </para>
    /// <para>
    /// Rules written with FuncGrad ops nest to any order. A rule that reads values (<c>ToArray()</c>, <c>Item()</c>,
    /// ...) works on plain tensors, as at first order; where what it reads is being differentiated (a Hessian through
    /// it, or the transposition that derives the missing mode), the read throws a <see cref="GradientException"/>
    /// naming the rule and the tensor, instead of silently dropping that derivative. With
    /// <paramref name="onceDifferentiable"/> (PyTorch's <c>once_differentiable</c>) the rules may read their plain
    /// arguments freely, and any differentiation through them (order 2 or more) is an error.
    /// </para>
    /// </remarks>
    /// <example><code>
    /// // log(1 + eˣ) with the derivative stated as sigmoid(x)
    /// Tensor Softplus(Tensor x) => Autodiff.Custom("softplus", xs => xs[0].Softplus(), [x],
    ///     vjp: (g, xs, y) => [g * xs[0].Sigmoid()],
    ///     jvp: (dx, xs, y) => dx[0]! * xs[0].Sigmoid());
    /// </code></example>
    [Peers("torch.autograd.Function, torch.autograd.function.once_differentiable", "jax.custom_vjp, jax.custom_jvp",
        "UnaryOp, BinaryOp", FSharp = "customVjp, customJvp, customRules, onceDifferentiable",
        Notes = "once-differentiable rules may compute on .NET arrays")]
    public static Tensor Custom(string name, Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs,
        Func<Tensor, IReadOnlyList<Tensor>, Tensor, Tensor[]>? vjp = null,
        Func<IReadOnlyList<Tensor?>, IReadOnlyList<Tensor>, Tensor, Tensor>? jvp = null,
        bool onceDifferentiable = false)
    {
        Guard.NotNull(name, "a name for the op, shown in errors and graphs"); Guard.NotNull(f); Guard.NotNull(inputs);
        if (vjp is null && jvp is null)
            throw new ArgumentException($"custom: {name} was given no rule; give a VJP, a JVP or both");
        if (inputs.Count == 0)
            throw new ArgumentException($"custom: {name} was given no inputs; pass the tensors it computes from");
        var op = new CustomOp(name, xs => f(xs),
            vjp is null ? null : (g, xs, y) =>
            {
                var r = vjp(g, xs, y);
                if (r.Length != xs.Length)
                    throw new InvalidOperationException(
                        $"{name}: its VJP returned {r.Length} cotangents for {xs.Length} inputs; return one per input");
                return r;
            },
            jvp is null ? null : (dx, xs, y) => jvp(dx, xs, y),
            onceDifferentiable ? CustomOp.Reads.Once : CustomOp.Reads.Checked);
        return Op.Apply(op, inputs.ToArray());
    }

    /// <summary>
    /// <paramref name="f"/>(<paramref name="x"/>) without keeping f's intermediates: only the input is kept, and
    /// the backward pass runs f again to recompute them (gradient checkpointing).
    /// </summary>
    /// <remarks>
    /// Gradients are the same as without it; memory falls from every intermediate of f to its input and output, for
    /// one extra forward pass. Forward mode and nesting pass through it.
    /// </remarks>
    /// <example><code>var y = Autodiff.Checkpoint(block, x); // same value and gradients as block(x)</code></example>
    [Peers("torch.utils.checkpoint.checkpoint", "jax.checkpoint", "")]
    public static Tensor Checkpoint(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        return Checkpoint(xs => f(xs[0]), [x]);
    }

    /// <summary>
    /// <see cref="Checkpoint(Func{Tensor, Tensor}, Tensor)"/> for a function of several tensors, such as a
    /// layer's input and its weights. Every tensor that f differentiates through must be among
    /// <paramref name="inputs"/>: f is rerun on them, so a captured variable cannot be tracked.
    /// </summary>
    /// <example><code>var h = Autodiff.Checkpoint(xs => xs[1].MatMul(xs[0]).Tanh(), [x, w]);</code></example>
    public static Tensor Checkpoint(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs)
    {
        Guard.NotNull(f); Guard.NotNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException("checkpoint: no inputs given; pass the tensors the function computes from");
        return Op.Apply(new CustomOp("Checkpoint", xs => f(xs),
            (g, xs, y) => Vjp(f, xs).Pullback(g),   // runs f again, now recording
            (dx, xs, y) => Jvp(f, xs, xs.Select((x, i) => dx[i] ?? Tensor.ZerosLike(x.Value)).ToArray()).Tangent,
            CustomOp.Reads.Free), inputs.ToArray());
    }
}
