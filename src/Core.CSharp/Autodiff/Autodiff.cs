namespace FuncGrad;

/// <summary>
/// Differentiation, both as functions of functions (<see cref="Grad(Func{Tensor, Tensor}, Tensor)"/>,
/// <see cref="Vjp(Func{Tensor, Tensor}, Tensor)"/>, <see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/>) and over
/// the imperative graph of
/// <see cref="Tensor.RequiresGrad"/> (<see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor},
/// IReadOnlyList{Tensor}?, bool, bool)"/>).
/// Every form nests with every other to any order.
/// </summary>
/// <example><code>
/// var d = Autodiff.Grad(x => (x * x).Sum(), Tensor.FromArray([1.0, 2.0])); // tensor([2., 4.], dtype=float64)
/// </code></example>
public static partial class Autodiff
{
    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, like
    /// <c>torch.autograd.grad</c>.
    /// </summary>
    /// <remarks>
    /// Inputs must be variables of one differentiation (from <see cref="Tensor.RequiresGrad"/>, or tensors computed
    /// from them). Seeds (<c>grad_outputs</c>) may be omitted for one-element outputs and are required otherwise.
    /// With <paramref name="createGraph"/> the result is itself recorded, so it can be differentiated again.
    /// An input the outputs do not depend on is an error unless <paramref name="allowUnused"/>, which gives null.
    /// For a batch of seeds (PyTorch's <c>is_grads_batched</c>), map over them:
    /// <c>Autodiff.Vmap(s => Autodiff.Grad([y], [x], [s])[0]!, seeds)</c> is one backward pass for all of them.
    /// </remarks>
    /// <example><code>
    /// var x = Tensor.Scalar(3.0).RequiresGrad();
    /// var dx = Autodiff.Grad([x * x * x], [x], createGraph: true)[0]!;  // 27
    /// var ddx = Autodiff.Grad([dx], [x])[0];                             // 18
    /// </code></example>
    [Peers("torch.func.grad, torch.autograd.grad", "jax.grad", "dsharp.grad",
        Notes = "of outputs for inputs: the imperative graph's, as torch.autograd.grad")]
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor>? seeds = null, bool createGraph = false, bool allowUnused = false)
    {
        Guard.NotNull(outputs); Guard.NotNull(inputs);
        const string op = "grad";
        if (inputs.Count == 0)
            throw new GradientException($"{op}: no inputs given; pass the variables to differentiate with respect to");
        if (seeds is not null && seeds.Count != outputs.Count)
            throw new GradientException(
                $"{op}: {outputs.Count} outputs but {seeds.Count} seed cotangents; give one seed per output");
        long t = inputs[0].tag;
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i];
            if (!x.IsNode)
                throw new GradientException(
                    $"{op}: input {i} ({Shapes.Show(x)}) is not a differentiation variable; " +
                    "create it with RequiresGrad() and compute the outputs from it");
            if (x.tag != t)
                throw new GradientException(
                    $"{op}: inputs 0 and {i} belong to different differentiations; " +
                    "take gradients with respect to one at a time");
        }

        var outs = new List<Tensor>();
        var sds = new List<Tensor>();
        for (int o = 0; o < outputs.Count; o++)
        {
            var y = outputs[o];
            Tensor seed;
            if (seeds is not null)
            {
                seed = seeds[o];
                if (!Shapes.Same(seed.shape, y.shape) || seed.DType != y.DType)
                    throw new ShapeMismatchException(
                        $"{op}: seed {o} is {Shapes.Show(seed)} but output {o} is {Shapes.Show(y)}; " +
                        "the seed must match the output's shape and dtype");
            }
            else if (y.Count != 1)
                throw new NonScalarOutputException(
                    $"{op}: output {o} has shape {Shapes.Show(y.shape)}; a gradient needs a one-element output. " +
                    "Pass seeds (grad_outputs), reduce it with Sum(), or compute a Jacobian");
            else seed = Tensor.OnesLike(y.Value);
            var yt = AtLevel(y, t);
            if (yt is null) continue; // does not depend on this differentiation
            outs.Add(yt);
            sds.Add(seed);
        }

        var inArr = inputs.ToArray();
        var result = new Tensor?[inArr.Length];
        if (outs.Count > 0)
        {
            result = Backward.Run(outs.ToArray(), sds.ToArray(), inArr, t, createGraph);
        }
        for (int i = 0; i < inArr.Length; i++)
            if (result[i] is null && !allowUnused)
                throw new GradientException(
                    $"{op}: input {i} ({Shapes.Show(inArr[i])}) was not used to compute the outputs; " +
                    "pass allowUnused: true to get null for it");
        return result;
    }

    /// <summary>The gradient of a function with a one-element output, at <paramref name="x"/>.</summary>
    /// <example><code>Autodiff.Grad(x => x.Sin(), Tensor.Scalar(0.0)) // tensor(1., dtype=float64)</code></example>
    public static Tensor Grad(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        return ValueAndGrad(f, x).Gradient;
    }

    /// <summary>The value of a function with a one-element output, and its gradient, from one forward and one backward
    /// pass.</summary>
    /// <example><code>
    /// var (v, g) = Autodiff.ValueAndGrad(x => x * x, Tensor.Scalar(3.0)); // v = 9, g = 6
    /// </code></example>
    [Peers("torch.func.grad_and_value", "jax.value_and_grad", "dsharp.fgrad", Notes = "torch gives (gradient, value)")]
    public static (Tensor Value, Tensor Gradient) ValueAndGrad(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        return ValueAndGrad(f, x, "grad", "Use Jacobian for vector outputs, or Vjp with a cotangent");
    }

    /// <summary>ValueAndGrad as <paramref name="caller"/> calls it: a function with more than one output element is
    /// an error named after the caller, with the caller's <paramref name="fix"/>.</summary>
    internal static (Tensor Value, Tensor Gradient) ValueAndGrad(Func<Tensor, Tensor> f, Tensor x, string caller,
        string fix)
    {
        var (y, back) = Vjp(xs => f(xs[0]), [x], caller);
        Tensor pullback(Tensor u) => back(u)[0];
        if (y.Count != 1)
            throw new NonScalarOutputException(
                $"{caller}: the function returned shape {Shapes.Show(y.shape)}; {caller} needs a one-element " +
                $"output. {fix}");
        return (y, pullback(Tensor.OnesLike(y.Value)));
    }

    /// <summary>
    /// The value of <paramref name="f"/> at <paramref name="x"/> and its pullback, the function
    /// u ↦ uᵀ·J. The pullback can be called any number of times; it does not rerun <paramref name="f"/>.
    /// </summary>
    /// <example><code>
    /// var (y, back) = Autodiff.Vjp(x => x * x, Tensor.FromArray([1.0, 2.0]));
    /// back(Tensor.FromArray([1.0, 1.0])) // tensor([2., 4.], dtype=float64)
    /// </code></example>
    [Peers("torch.func.vjp", "jax.vjp", "dsharp.fjacobianTv",
        Notes = "the value and a pullback (DiffSharp takes the cotangent at once)")]
    public static (Tensor Value, Func<Tensor, Tensor> Pullback) Vjp(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        var (value, back) = Vjp(xs => f(xs[0]), [x]);
        return (value, u => back(u)[0]);
    }

    /// <summary>
    /// <see cref="Vjp(Func{Tensor, Tensor}, Tensor)"/> for a function of several tensors: the pullback
    /// returns one cotangent per input (zeros for inputs the output does not depend on).
    /// </summary>
    /// <example><code>
    /// var (y, back) = Autodiff.Vjp(xs => xs[0] * xs[1], [Tensor.Scalar(2.0), Tensor.Scalar(5.0)]);
    /// back(Tensor.Scalar(1.0)) // [tensor(5., ...), tensor(2., ...)]
    /// </code></example>
    public static (Tensor Value, Func<Tensor, Tensor[]> Pullback) Vjp(Func<IReadOnlyList<Tensor>, Tensor> f,
        IReadOnlyList<Tensor> xs)
    {
        Guard.NotNull(f); Guard.NotNull(xs);
        return Vjp(f, xs, "vjp");
    }

    /// <summary>Vjp as <paramref name="caller"/> calls it, named so in its errors.</summary>
    internal static (Tensor Value, Func<Tensor, Tensor[]> Pullback) Vjp(Func<IReadOnlyList<Tensor>, Tensor> f,
        IReadOnlyList<Tensor> xs, string caller)
    {
        for (int i = 0; i < xs.Count; i++) Differentiable(xs[i], i, xs.Count, caller);
        long t = Tags.Next();
        var vars = new Tensor[xs.Count];
        for (int i = 0; i < vars.Length; i++) vars[i] = Tensor.Leaf(xs[i], t);
        var y = f(vars);
        var yt = AtLevel(y, t);
        var value = Below(y, t);
        Tensor[] Pullback(Tensor u)
        {
            if (!Shapes.Same(u.shape, value.shape) || u.DType != value.DType)
                throw new ShapeMismatchException(
                    $"vjp: the cotangent is {Shapes.Show(u)} but the output is {Shapes.Show(value)}; " +
                    "pass a cotangent of the output's shape and dtype");
            var cot = yt is null
                ? new Tensor?[vars.Length]
                : Backward.Run([yt], [u], vars, t, createGraph: false, inputsAreTheLeaves: true);
            var r = new Tensor[vars.Length];
            for (int i = 0; i < r.Length; i++) r[i] = cot[i] ?? Tensor.ZerosLike(xs[i].Value);
            return r;
        }
        return (value, Pullback);
    }

    /// <summary>
    /// The value of <paramref name="f"/> at <paramref name="x"/> and its directional derivative J·v,
    /// by forward mode: one pass that carries tangents alongside values.
    /// </summary>
    /// <example><code>Autodiff.Jvp(x => x * x, Tensor.Scalar(3.0), Tensor.Scalar(1.0)) // (9, 6)</code></example>
    [Peers("torch.func.jvp", "jax.jvp", "dsharp.fjacobianv")]
    public static (Tensor Value, Tensor Tangent) Jvp(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        Guard.NotNull(f); Guard.NotNull(x); Guard.NotNull(v);
        return Jvp(xs => f(xs[0]), [x], [v]);
    }

    /// <summary><see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/> for a function of several tensors, one tangent
    /// per input.</summary>
    /// <example><code>
    /// Autodiff.Jvp(xs => xs[0] * xs[1], [Tensor.Scalar(2.0), Tensor.Scalar(5.0)],
    ///     [Tensor.Scalar(1.0), Tensor.Scalar(0.0)]) // (10, 5)
    /// </code></example>
    public static (Tensor Value, Tensor Tangent) Jvp(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> xs,
        IReadOnlyList<Tensor> vs)
    {
        Guard.NotNull(f); Guard.NotNull(xs); Guard.NotNull(vs);
        if (xs.Count != vs.Count)
            throw new ShapeMismatchException(
                $"jvp: {xs.Count} inputs but {vs.Count} tangents; give one tangent per input");
        for (int i = 0; i < xs.Count; i++) Differentiable(xs[i], i, xs.Count, "jvp");
        long t = Tags.Next();
        var duals = new Tensor[xs.Count];
        for (int i = 0; i < duals.Length; i++)
        {
            if (!Shapes.Same(vs[i].shape, xs[i].shape) || vs[i].DType != xs[i].DType)
                throw new ShapeMismatchException(
                    $"jvp: tangent {i} is {Shapes.Show(vs[i])} but input {i} is {Shapes.Show(xs[i])}; " +
                    "pass tangents of the inputs' shapes and dtypes");
            duals[i] = Tensor.Dual(xs[i], vs[i], t);
        }
        var y = f(duals);
        var yt = AtLevel(y, t);
        var value = Below(y, t);
        return (value, yt is null ? Tensor.ZerosLike(value.Value) : yt.tangent!);
    }

    /// <summary>
    /// A scope in which no reverse-mode graph is recorded, like <c>torch.no_grad()</c>: results
    /// computed inside carry no history.
    /// </summary>
    /// <remarks>Safe with threads and async code.</remarks>
    /// <example><code>using (Autodiff.NoGrad()) { var y = w * 2.0; /* y has no graph */ }</code></example>
    [Peers("torch.no_grad", "", "", Notes = "a scope: `using (Autodiff.NoGrad())`")]
    public static IDisposable NoGrad() => NoGradScope.Enter();

    /// <summary>Only float tensors are differentiated: an integer or bool input is an error that says so.</summary>
    internal static void Differentiable(Tensor x, int i, int count, string op)
    {
        if (Guard.NotNull(x, member: op).DType.IsFloat()) return;
        throw new DTypeMismatchException(
            $"{op}: {(count == 1 ? "the input" : $"input {i}")} is {Shapes.Show(x)}; integer and bool tensors are " +
            "never differentiated. Differentiate with respect to float tensors only: capture the others in the " +
            "function (or hold them in a Static part of a structure), or convert with ToDType if you mean a float");
    }

    /// <summary>The tensor as seen at level <paramref name="t"/>, or null if it does not depend on that
    /// differentiation.</summary>
    internal static Tensor? AtLevel(Tensor y, long t)
    {
        while (y.tag > t) y = Under(y); // a perturbation of an inner differentiation escaped: look under it
        return y.tag == t ? y : null;
    }

    /// <summary>The value with differentiation <paramref name="t"/> and every inner one removed.</summary>
    internal static Tensor Below(Tensor y, long t)
    {
        while (y.tag >= t) y = Under(y);
        return y;
    }

    /// <summary>One level down from an inner level; a vmap level inside the differentiation cannot be looked
    /// under.</summary>
    private static Tensor Under(Tensor y) => y.IsBatched
        ? throw new VmapException(
            $"grad: the output {Shapes.Show(y)} is batched by a vmap running inside this differentiation, " +
            "so it is not one value to differentiate; differentiate inside the mapped function (vmap of grad), " +
            "or sum or return the mapped results first (grad of the sum of vmap)")
        : y.Down;
}
