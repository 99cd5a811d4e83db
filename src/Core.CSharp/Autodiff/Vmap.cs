namespace FuncGrad;

// vmap: a function written for one example, run on a whole batch in one pass.
public static partial class Autodiff
{
    /// <summary>
    /// Maps <paramref name="f"/>, written for one example, over axis <paramref name="inAxis"/> of
    /// <paramref name="x"/> in one batched pass, and stacks the results on axis <paramref name="outAxis"/>
    /// (negative axes count from the end).
    /// </summary>
    /// <remarks>
    /// Inside f the example's shape is what Shape and Rank show; every op runs once on the whole batch by its batching
    /// rule, never by a loop. Tensors that f captures are the same for every example. Nests with itself and with
    /// every differentiation, in any order.
    /// </remarks>
    /// <example><code>
    /// Autodiff.Vmap(v => v.Dot(v), Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } })) // tensor([5., 25.],
    /// dtype=float64)
    /// </code></example>
    [Peers("torch.func.vmap", "jax.vmap", "")]
    public static Tensor Vmap(Func<Tensor, Tensor> f, Tensor x, int inAxis = 0, int outAxis = 0)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        return VmapCore(xs => [f(xs[0])], [x], [inAxis], outAxis, "vmap")[0];
    }

    /// <summary>
    /// <see cref="Vmap(Func{Tensor, Tensor}, Tensor, int, int)"/> for a function of several tensors: argument i is
    /// mapped over its axis <c>inAxes[i]</c>, or passed whole to every example where that is null. Every mapped
    /// argument must have the same size along its axis.
    /// </summary>
    /// <example><code>
    /// // per-row a·w, with w shared: tensor([3., 7.], dtype=float64)
    /// Autodiff.Vmap(xs => xs[0].Dot(xs[1]), [Tensor.FromArray(new double[,] { { 1, 1 }, { 3, 2 } }),
    /// Tensor.FromArray([1.0, 2.0])], [0, null])
    /// </code></example>
    public static Tensor Vmap(
        Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> xs, int?[] inAxes, int outAxis = 0)
    {
        Guard.NotNull(f); Guard.NotNull(xs); Guard.NotNull(inAxes);
        return VmapCore(v => [f(v)], xs.ToArray(), inAxes, outAxis, "vmap")[0];
    }

    /// <summary>
    /// <see cref="Vmap(Func{IReadOnlyList{Tensor}, Tensor}, IReadOnlyList{Tensor}, int?[], int)"/> for a function with
    /// several results, such as one gradient per parameter: every result is stacked on <paramref name="outAxis"/>.
    /// </summary>
    /// <example><code>
    /// // per-example gradients of a loss with respect to parameters ps, for examples xs (rows) and labels ys
    /// var grads = Autodiff.VmapMany(a => Autodiff.Vjp(p => Loss(p, a[0], a[1]), ps).Pullback(Tensor.Scalar(1.0)), [xs,
    /// ys], [0, 0]);
    /// </code></example>
    [Peers("torch.func.vmap", "jax.vmap", "", FSharp = "vmapOf", Notes = "several results")]
    public static Tensor[] VmapMany(
        Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f, IReadOnlyList<Tensor> xs, int?[] inAxes, int outAxis = 0)
    {
        Guard.NotNull(f); Guard.NotNull(xs); Guard.NotNull(inAxes);
        return VmapCore(v => f(v).ToArray(), xs.ToArray(), inAxes, outAxis, "vmap");
    }

    /// <summary>
    /// vmap of a function of several tensors to several tensors, every result stacked on <paramref name="outAxis"/>.
    /// <paramref name="names"/> name the arguments in errors (default "argument i"). A null result stays null.
    /// </summary>
    internal static Tensor[] VmapCore(Func<Tensor[], Tensor?[]> f, Tensor[] xs, int?[] inAxes, int outAxis, string op,
        string[]? names = null)
    {
        if (inAxes.Length != xs.Length)
            throw new ArgumentException(
                $"{op}: {xs.Length} arguments but {inAxes.Length} in-axes; " +
                "give one axis (or null for an argument passed whole) per argument");
        string Name(int i) => names?[i] ?? $"argument {i}";
        long t = Tags.Next();
        int size = -1, first = -1;
        var inner = new Tensor[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            if (inAxes[i] is not int a) { inner[i] = xs[i]; continue; }
            var x = xs[i];
            if (x.Rank == 0)
                throw new AxisOutOfRangeException(
                    $"{op}: {Name(i)} is a scalar ({Shapes.Show(x)}); it has no axis to map over. " +
                    "Pass it unmapped (in-axis null), or give it a batch axis");
            int ax = a < 0 ? a + x.Rank : a;
            if (ax < 0 || ax >= x.Rank)
                throw new AxisOutOfRangeException(
                    $"{op}: in-axis {a} is out of range for {Name(i)} of shape {Shapes.Show(x)} (rank {x.Rank}); " +
                    $"use an axis in [{-x.Rank}, {x.Rank - 1}]");
            if (size < 0) { size = x.shape[ax]; first = i; }
            else if (x.shape[ax] != size)
                throw new ShapeMismatchException(
                    $"{op}: inconsistent batch sizes: {Name(first)} has {size} examples along its mapped axis but " +
                    $"{Name(i)} ({Shapes.Show(x)}, axis {a}) has {x.shape[ax]}; " +
                    "every mapped argument needs the same number of examples");
            inner[i] = Tensor.Batched(x, t, ax);
        }
        if (size < 0)
            throw new ArgumentException(
                $"{op}: no argument is mapped (every in-axis is null); " +
                "map at least one, or call the function directly");

        var ys = f(inner);
        var r = new Tensor[ys.Length];
        for (int j = 0; j < ys.Length; j++) r[j] = ys[j] is null ? null! : Unbatched(ys[j]!, t, size, outAxis, op);
        return r;
    }

    /// <summary>A result of the mapped function as the stacked batch, its examples on <paramref
    /// name="outAxis"/>.</summary>
    private static Tensor Unbatched(Tensor y, long t, int size, int outAxis, string op)
    {
        while (y.tag > t)
        {
            if (y.IsBatched)
                throw new VmapException(
                    $"{op}: the function returned a value batched by a vmap inside it that has ended; " +
                    "return results of the inner vmap, not values from inside its function");
            y = y.Down; // a perturbation of a differentiation inside f escaped: look under it
        }
        int rank = y.Rank + 1;
        int o = outAxis < 0 ? outAxis + rank : outAxis;
        if (o < 0 || o >= rank)
            throw new AxisOutOfRangeException(
                $"{op}: out-axis {outAxis} is out of range for results of one example's shape {Shapes.Show(y.shape)} " +
                $"(stacked rank {rank}); use an axis in [{-rank}, {rank - 1}]");
        if (y.tag == t) return Batching.Moved(y.primal!, y.BatchDim, o);
        // The same for every example (f ignored its mapped inputs): repeated.
        var shape = Batching.Insert(y.shape, o, size);
        return y.Unsqueeze(o).BroadcastTo(shape);
    }
}
