namespace FuncGrad;

/// <summary>
/// What reverse mode keeps of a <see cref="Autodiff.Scan(Func{IReadOnlyList{Tensor}, IReadOnlyList{Tensor},
/// ValueTuple{Tensor[], Tensor[]}}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, int?, bool, int, ScanCheckpoint?)"/>
/// between the forward and the backward pass: the carry before every step, before every k-th step, or nothing.
/// Gradients are the same under every policy, bit for bit; only memory and time differ.
/// </summary>
/// <remarks>
/// The backward pass needs the carry before each step. <see cref="EveryStep"/> keeps them all (memory ∝ steps, one
/// forward pass). <see cref="Every"/>(k) keeps every k-th and recomputes the k − 1 between from it, segment by
/// segment (memory ∝ steps/k + k, one extra forward pass). <see cref="Recompute"/> keeps nothing: the backward pass
/// starts with a forward sweep that keeps every ⌈√steps⌉-th carry, then proceeds as Every (memory between the passes:
/// the inputs alone; two extra forward passes). The step's own intermediates are always recomputed from its carry.
/// </remarks>
/// <example><code>
/// var (c, ys) = Autodiff.Scan(step, init, xs, checkpoint: ScanCheckpoint.Every(32));
/// </code></example>
public sealed class ScanCheckpoint
{
    /// <summary>Steps between kept carries: 1 keeps every one, 0 keeps none.</summary>
    internal int Stride { get; }

    private ScanCheckpoint(int stride) => Stride = stride;

    /// <summary>Keeps the carry before every step (the default).</summary>
    /// <example><code>Autodiff.Scan(step, init, xs, checkpoint: ScanCheckpoint.EveryStep)</code></example>
    public static ScanCheckpoint EveryStep { get; } = new(1);

    /// <summary>Keeps nothing between the passes; the backward pass recomputes the carries.</summary>
    /// <example><code>Autodiff.Scan(step, init, xs, checkpoint: ScanCheckpoint.Recompute)</code></example>
    public static ScanCheckpoint Recompute { get; } = new(0);

    /// <summary>Keeps the carry before every <paramref name="steps"/>-th step (the first step's among them).</summary>
    /// <example><code>Autodiff.Scan(step, init, xs, checkpoint: ScanCheckpoint.Every(32))</code></example>
    public static ScanCheckpoint Every(int steps) => steps >= 1
        ? new(steps)
        : throw new ArgumentOutOfRangeException(nameof(steps),
            $"ScanCheckpoint.Every: {steps} steps between kept carries; give 1 or more " +
            "(or ScanCheckpoint.Recompute to keep none)");

    /// <summary>The policy's name, as <c>Every(32)</c>.</summary>
    /// <example><code>ScanCheckpoint.Every(32).ToString() // "Every(32)"</code></example>
    public override string ToString() => Stride switch { 0 => "Recompute", 1 => "EveryStep", var k => $"Every({k})" };
}

// Loops and branches as transformations: scan and its relatives, whileLoop, cond and switch.
public static partial class Autodiff
{
    /// <summary>
    /// A loop over the leading axis of <paramref name="xs"/> that carries state from step to step: step t computes
    /// <c>(carry, y) = f(carry, xs[t])</c>; returns the final carry and every step's y stacked on a new leading axis.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The same values as the plain loop, bit for bit. <paramref name="length"/> is the number of steps (needed when
    /// <paramref name="xs"/> is empty; otherwise it must equal their leading size). With <paramref name="reverse"/>
    /// the steps run from the last element of xs to the first, and y of step t still lands at index t.
    /// </para>
    /// <para>
    /// The carry's parts keep their shapes and dtypes from step to step; a body that changes one is an error naming
    /// the step and the part. Reverse mode runs a reverse scan over the carries kept by <paramref name="checkpoint"/>
    /// (default <see cref="ScanCheckpoint.EveryStep"/>), so a long loop is not a long graph; forward mode is a scan of
    /// duals; vmap batches the body; compile traces it once and keeps the loop a loop. Tensors f captures (parameters
    /// being differentiated included) are found by tracing it, as JAX's scan does, so f must not read the values of
    /// its arguments. <paramref name="unroll"/> is JAX's hint, checked (1 or more) and not acted on: a compiled scan
    /// already runs its body as one compiled program per step.
    /// </para>
    /// </remarks>
    /// <example><code>
    /// // running sums of [1, 2, 3]: final carry 6, ys [1, 3, 6]
    /// var (c, ys) = Autodiff.Scan((c, x) => ([c[0] + x[0]], [c[0] + x[0]]),
    ///     [Tensor.Scalar(0.0)], [Tensor.FromArray([1.0, 2.0, 3.0])]);
    /// </code></example>
    [Peers("torch._higher_order_ops.scan", "jax.lax.scan", "", FSharp = "scan, scanOf, scanWith, scanOfWith",
        Notes = "reverse mode keeps carries by a checkpoint policy")]
    public static (Tensor[] Carry, Tensor[] Ys) Scan(
        Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>, (Tensor[] Carry, Tensor[] Y)> f,
        IReadOnlyList<Tensor> init, IReadOnlyList<Tensor> xs, int? length = null, bool reverse = false,
        int unroll = 1, ScanCheckpoint? checkpoint = null)
    {
        Guard.NotNull(f); Guard.NotNull(init); Guard.NotNull(xs);
        return Loops.Scan((c, x) => { var (a, b) = f(c, x); return (Guard.NotNull(a), Guard.NotNull(b)); },
            init.ToArray(), xs.ToArray(), length, reverse, unroll, checkpoint ?? ScanCheckpoint.EveryStep, "scan");
    }

    /// <summary><see cref="Scan(Func{IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, ValueTuple{Tensor[], Tensor[]}},
    /// IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, int?, bool, int, ScanCheckpoint?)"/> with one tensor as the
    /// carry, one as xs and one as each step's y.</summary>
    /// <example><code>
    /// var (total, partial) = Autodiff.Scan((c, x) => (c + x, c + x), Tensor.Scalar(0.0),
    ///     Tensor.FromArray([1.0, 2.0, 3.0])); // 6, [1, 3, 6]
    /// </code></example>
    public static (Tensor Carry, Tensor Ys) Scan(Func<Tensor, Tensor, (Tensor Carry, Tensor Y)> f, Tensor init,
        Tensor xs, bool reverse = false, int unroll = 1, ScanCheckpoint? checkpoint = null)
    {
        Guard.NotNull(f); Guard.NotNull(init); Guard.NotNull(xs);
        var (c, ys) = Loops.Scan((c, x) => { var (a, b) = f(c[0], x[0]); return ([a], [b]); }, [init], [xs], null,
            reverse, unroll, checkpoint ?? ScanCheckpoint.EveryStep, "scan");
        return (c[0], ys[0]);
    }

    /// <summary>
    /// <paramref name="f"/> applied to each element along the leading axis of <paramref name="xs"/>, one after the
    /// other, the results stacked: a loop where <see cref="VmapMany"/> would run every example at once.
    /// </summary>
    /// <remarks>For memory, or a function with no batching rule. A scan without a carry, so every transformation
    /// passes through it.</remarks>
    /// <example><code>
    /// Autodiff.Map(xs => [xs[0] * xs[0]], [Tensor.FromArray([1.0, 2.0, 3.0])]) // [tensor([1., 4., 9.], ...)]
    /// </code></example>
    [Peers("torch._higher_order_ops.map", "jax.lax.map", "", FSharp = "sequentialMap, sequentialMapOf",
        Notes = "sequential: one element at a time")]
    public static Tensor[] Map(Func<IReadOnlyList<Tensor>, Tensor[]> f, IReadOnlyList<Tensor> xs)
    {
        Guard.NotNull(f); Guard.NotNull(xs);
        if (xs.Count == 0)
            throw new ArgumentException("map: no xs given; pass the tensors whose leading axis the function maps over");
        return Loops.Scan((c, x) => ([], Guard.NotNull(f(x))), [], xs.ToArray(), null, false, 1,
            ScanCheckpoint.EveryStep, "map").Ys;
    }

    /// <summary><see cref="Map(Func{IReadOnlyList{Tensor}, Tensor[]}, IReadOnlyList{Tensor})"/> of one tensor to
    /// one.</summary>
    /// <example><code>
    /// Autodiff.Map(x => x.Sum(), Tensor.Ones([3, 2])) // tensor([2., 2., 2.], dtype=float64)
    /// </code></example>
    public static Tensor Map(Func<Tensor, Tensor> f, Tensor xs)
    {
        Guard.NotNull(f); Guard.NotNull(xs);
        return Loops.Scan((c, x) => ([], [f(x[0])]), [], [xs], null, false, 1, ScanCheckpoint.EveryStep, "map")
            .Ys[0];
    }

    /// <summary>
    /// <c>for i in lower .. upper-1: carry = body(i, carry)</c>, with i a one-element int64 tensor: a scan over the
    /// indices, so it differentiates in both modes (the bounds are fixed numbers), batches and compiles.
    /// </summary>
    /// <example><code>
    /// // 2¹⁰ by doubling: tensor(1024., dtype=float64)
    /// Autodiff.ForiLoop(0, 10, (i, c) => [c[0] * 2.0], [Tensor.Scalar(1.0)])[0]
    /// </code></example>
    [Peers("", "jax.lax.fori_loop", "", FSharp = "foriLoop, foriLoopOf",
        Notes = "the index is an int64 tensor; bounds are numbers")]
    public static Tensor[] ForiLoop(int lower, int upper, Func<Tensor, IReadOnlyList<Tensor>, Tensor[]> body,
        IReadOnlyList<Tensor> init, ScanCheckpoint? checkpoint = null)
    {
        Guard.NotNull(body); Guard.NotNull(init);
        if (upper < lower)
            throw new ArgumentOutOfRangeException(nameof(upper),
                $"foriLoop: upper bound {upper} is below the lower bound {lower}; the loop runs i = lower .. upper-1, "
                + "so give upper >= lower (equal bounds run no step)");
        if (upper == lower) return [.. init.Select(c => Guard.NotNull(c))];
        var index = Tensor.Arange(lower, upper, 1, DType.Int64);
        return Loops.Scan((c, x) => (Guard.NotNull(body(x[0], c)), []), init.ToArray(), [index], null, false, 1,
            checkpoint ?? ScanCheckpoint.EveryStep, "foriLoop").Carry;
    }

    /// <summary><see cref="ForiLoop(int, int, Func{Tensor, IReadOnlyList{Tensor}, Tensor[]}, IReadOnlyList{Tensor},
    /// ScanCheckpoint?)"/> with one tensor as the carry.</summary>
    /// <example><code>
    /// Autodiff.ForiLoop(0, 3, (i, c) => c + i.ToDType(DType.Float64), Tensor.Scalar(0.0)) // 3
    /// </code></example>
    public static Tensor ForiLoop(int lower, int upper, Func<Tensor, Tensor, Tensor> body, Tensor init,
        ScanCheckpoint? checkpoint = null)
    {
        Guard.NotNull(body); Guard.NotNull(init);
        return ForiLoop(lower, upper, (i, c) => [body(i, c[0])], [init], checkpoint)[0];
    }

    /// <summary>
    /// <c>while cond(carry): carry = body(carry)</c>, for a loop whose number of steps depends on values (an
    /// iteration to convergence, an adaptive step size). Differentiable in forward mode only.
    /// </summary>
    /// <remarks>
    /// Reverse mode through it is an error (its length is not known in advance): use
    /// <see cref="Scan(Func{IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, ValueTuple{Tensor[], Tensor[]}},
    /// IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, int?, bool, int, ScanCheckpoint?)"/> with a fixed length or
    /// <see cref="ForiLoop(int, int, Func{Tensor, IReadOnlyList{Tensor}, Tensor[]}, IReadOnlyList{Tensor},
    /// ScanCheckpoint?)"/>.
    /// <paramref name="cond"/> returns a one-element bool tensor. Under vmap with a predicate that differs between
    /// examples, the loop runs until every example is done, and an example that is done keeps its carry. Compiled, the
    /// loop stays a loop: the predicate and the body are traced once.
    /// </remarks>
    /// <example><code>
    /// // halve until below 1: tensor(0.625, dtype=float64)
    /// Autodiff.WhileLoop(c => c[0].Ge(Tensor.Scalar(1.0)), c => [c[0] * 0.5], [Tensor.Scalar(10.0)])[0]
    /// </code></example>
    [Peers("torch._higher_order_ops.while_loop", "jax.lax.while_loop", "", FSharp = "whileLoop, whileLoopOf",
        Notes = "forward mode only; reverse mode: scan with a fixed length")]
    public static Tensor[] WhileLoop(Func<IReadOnlyList<Tensor>, Tensor> cond,
        Func<IReadOnlyList<Tensor>, Tensor[]> body, IReadOnlyList<Tensor> init)
    {
        Guard.NotNull(cond); Guard.NotNull(body); Guard.NotNull(init);
        return Loops.While(c => Guard.NotNull(cond(c)), c => Guard.NotNull(body(c)), init.ToArray());
    }

    /// <summary><see cref="WhileLoop(Func{IReadOnlyList{Tensor}, Tensor}, Func{IReadOnlyList{Tensor}, Tensor[]},
    /// IReadOnlyList{Tensor})"/> with one tensor as the carry.</summary>
    /// <example><code>
    /// Autodiff.WhileLoop(c => c.Lt(Tensor.Scalar(100.0)), c => c * c, Tensor.Scalar(2.0)) // 256
    /// </code></example>
    public static Tensor WhileLoop(Func<Tensor, Tensor> cond, Func<Tensor, Tensor> body, Tensor init)
    {
        Guard.NotNull(cond); Guard.NotNull(body); Guard.NotNull(init);
        return Loops.While(c => cond(c[0]), c => [body(c[0])], [init])[0];
    }

    /// <summary>
    /// <c>pred ? trueFn(operands) : falseFn(operands)</c> for a one-element bool <paramref name="pred"/>: one branch
    /// runs. Both branches must return results of the same shapes and dtypes.
    /// </summary>
    /// <remarks>
    /// Differentiates in both modes through the branch taken. Under vmap with a predicate that differs between
    /// examples both branches run on the whole batch and each example takes its own branch's results (as JAX does);
    /// compiled, the choice is made when the program runs, and only the branch taken runs.
    /// </remarks>
    /// <example><code>
    /// Autodiff.Cond(Tensor.Scalar(1, DType.Bool), x => [x[0] * 2.0], x => [x[0] - 1.0], [Tensor.Scalar(3.0)])[0] // 6
    /// </code></example>
    [Peers("torch.cond", "jax.lax.cond", "", FSharp = "cond, condOf",
        Notes = "under vmap with a batched predicate both branches run")]
    public static Tensor[] Cond(Tensor pred, Func<IReadOnlyList<Tensor>, Tensor[]> trueFn,
        Func<IReadOnlyList<Tensor>, Tensor[]> falseFn, IReadOnlyList<Tensor> operands)
    {
        Guard.NotNull(pred); Guard.NotNull(trueFn); Guard.NotNull(falseFn); Guard.NotNull(operands);
        return Loops.Branch(pred, [x => Guard.NotNull(falseFn(x)), x => Guard.NotNull(trueFn(x))],
            operands.ToArray(), "cond");
    }

    /// <summary><see cref="Cond(Tensor, Func{IReadOnlyList{Tensor}, Tensor[]}, Func{IReadOnlyList{Tensor},
    /// Tensor[]}, IReadOnlyList{Tensor})"/> of one tensor to one.</summary>
    /// <example><code>Autodiff.Cond(x.Sum().Gt(Tensor.Scalar(0.0)), v => v.Sqrt(), v => v * 0.0, x)</code></example>
    public static Tensor Cond(Tensor pred, Func<Tensor, Tensor> trueFn, Func<Tensor, Tensor> falseFn, Tensor x)
    {
        Guard.NotNull(pred); Guard.NotNull(trueFn); Guard.NotNull(falseFn); Guard.NotNull(x);
        return Loops.Branch(pred, [v => [falseFn(v[0])], v => [trueFn(v[0])]], [x], "cond")[0];
    }

    /// <summary>
    /// <c>branches[index](operands)</c> for a one-element integer <paramref name="index"/>, clamped to the branches'
    /// range as JAX does. Every branch must return results of the same shapes and dtypes; transformations pass
    /// through it as through <see cref="Cond(Tensor, Func{IReadOnlyList{Tensor}, Tensor[]},
    /// Func{IReadOnlyList{Tensor}, Tensor[]}, IReadOnlyList{Tensor})"/>.
    /// </summary>
    /// <example><code>
    /// var k = Tensor.Scalar(1, DType.Int64);
    /// Autodiff.Switch(k, [x => [x[0] + 1.0], x => [x[0] * 10.0]], [Tensor.Scalar(2.0)])[0] // 20
    /// </code></example>
    [Peers("", "jax.lax.switch", "", FSharp = "switch, switchOf", Notes = "the index is clamped to the branches")]
    public static Tensor[] Switch(Tensor index, IReadOnlyList<Func<IReadOnlyList<Tensor>, Tensor[]>> branches,
        IReadOnlyList<Tensor> operands)
    {
        Guard.NotNull(index); Guard.NotNull(branches); Guard.NotNull(operands);
        if (branches.Count == 0)
            throw new ArgumentException("switch: no branches given; pass at least one function");
        var fs = new Func<Tensor[], Tensor[]>[branches.Count];
        for (int i = 0; i < fs.Length; i++)
        {
            var b = branches[i] ?? throw new ArgumentNullException(nameof(branches),
                $"switch: branch {i} is null; pass a function");
            fs[i] = x => Guard.NotNull(b(x));
        }
        return Loops.Branch(index, fs, operands.ToArray(), "switch");
    }

    /// <summary><see cref="Switch(Tensor, IReadOnlyList{Func{IReadOnlyList{Tensor}, Tensor[]}},
    /// IReadOnlyList{Tensor})"/> of one tensor to one.</summary>
    /// <example><code>Autodiff.Switch(k, [x => x.Sin(), x => x.Cos(), x => x.Tanh()], x)</code></example>
    public static Tensor Switch(Tensor index, IReadOnlyList<Func<Tensor, Tensor>> branches, Tensor x)
    {
        Guard.NotNull(index); Guard.NotNull(branches); Guard.NotNull(x);
        return Switch(index, branches.Select((b, i) =>
        {
            if (b is null)
                throw new ArgumentNullException(nameof(branches), $"switch: branch {i} is null; pass a function");
            return (Func<IReadOnlyList<Tensor>, Tensor[]>)(v => [b(v[0])]);
        }).ToList(), [x])[0];
    }
}
