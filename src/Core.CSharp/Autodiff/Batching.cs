namespace FuncGrad;

/// <summary>A batched value's batch axis. Small axes are shared, so mapping over axis 0 allocates nothing for
/// it.</summary>
internal sealed class BatchAxis
{
    internal readonly int Axis;
    private BatchAxis(int axis) => Axis = axis;
    private static readonly BatchAxis[] small = Enumerable.Range(0, 16).Select(i => new BatchAxis(i)).ToArray();
    internal static BatchAxis Of(int axis) => axis < small.Length ? small[axis] : new BatchAxis(axis);
}

/// <summary>
/// vmap's level in <see cref="Op.Apply"/>, and the helpers that the op families' batching rules share: elementwise
/// ops align their arguments' batch axes once, reductions and layout ops shift their axis numbers.
/// </summary>
/// <remarks>
/// A batched value (<see cref="Tensor.Batched"/>) holds the whole batch as its primal, under a tag from the same
/// counter as differentiations, and shows the shape of one example. An argument of a lower tag is, at this level,
/// the same for every example (captured by the mapped function), whatever levels it belongs to below.
/// </remarks>
internal static class Batching
{
    /// <summary>Peels vmap level <paramref name="t"/> off the arguments and runs the op's batching rule on the
    /// batches.</summary>
    internal static Tensor Apply(Op op, Tensor[] args, long t)
    {
        var x = new Tensor[args.Length];
        var axes = new int?[args.Length];
        int size = 0;
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.tag == t) { x[i] = a.primal!; axes[i] = a.BatchDim; size = a.BatchSize; }
            else x[i] = a;
        }
        var (y, axis) = op.Batch(x, axes, size);
        return axis is int k ? Tensor.Batched(y, t, k) : y;
    }

    /// <summary>
    /// The VJP of a one-argument elementwise op in a reverse walk under vmap, where the cotangent, the argument and the
    /// output are batches of one vmap level with plain values, their batch on one axis and of one shape: the rule once
    /// on the whole batches, as plain tensors. Each example's rule is elementwise, so this is the rule of every
    /// example, computed by the kernels that the rule's ops on batched values would call on those same batches, so the
    /// bits are the same; but on plain tensors a fused chain rule (tanh's, sin's: g·dy/dx in one pass) applies, and
    /// the batched ops' bookkeeping goes. Null where that does not hold: the rule then runs as it is.
    /// </summary>
    internal static Tensor?[]? ElementwiseVjp(Op op, Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        if (op is not UnaryOp || !g.IsBatched || !y.IsBatched || !x[0].IsBatched) return null;
        long t = g.tag;
        int axis = g.BatchDim;
        Tensor gb = g.primal!, xb = x[0].primal!, yb = y.primal!;
        if (x[0].tag != t || y.tag != t || x[0].BatchDim != axis || y.BatchDim != axis
            || !gb.IsPlain || !xb.IsPlain || !yb.IsPlain || gb.OnDevice || xb.OnDevice || yb.OnDevice
            || !Shapes.Same(gb.shape, yb.shape) || !Shapes.Same(xb.shape, yb.shape)) return null;
        var d = op.Vjp(gb, [xb], yb, needs)[0];
        return [d is null ? null : Tensor.Batched(d, t, axis)];
    }

    /// <summary>Runs <paramref name="f"/>, a function of tensors that is not an op (a comparison), over batched
    /// arguments.</summary>
    internal static Tensor Lift(Tensor[] args, Func<Tensor[], Tensor> f)
    {
        long t = 0;
        foreach (var a in args) t = Math.Max(t, a.tag);
        var x = new Tensor[args.Length];
        var axes = new int?[args.Length];
        for (int i = 0; i < args.Length; i++)
            if (args[i].tag == t) { x[i] = args[i].primal!; axes[i] = args[i].BatchDim; }
            else x[i] = args[i];
        var (xs, k) = Aligned(x, axes);
        return Tensor.Batched(f(xs), t, k);
    }

    /// <summary>Whether a vmap level lies at or below <paramref name="t"/>: then it has no values of one example's
    /// shape to read.</summary>
    internal static bool Below(Tensor t)
    {
        for (Tensor? x = t; x is not null; x = x.primal)
            if (x.IsBatched) return true;
        return false;
    }

    /// <summary>The error for reading values inside the mapped function: it says the value is batched and what to
    /// do.</summary>
    internal static VmapException ReadError(Tensor t, string what)
    {
        var b = t;
        while (!b.IsBatched) b = b.primal!;
        return new VmapException(
            $"vmap: {what} on a batched value: inside the mapped function this {Shapes.Show(t)} tensor stands for " +
            $"{b.BatchSize} examples, one per slice of the mapped input, so it has no single value to read. " +
            "Compute with tensor ops (Where for choices) and return the result, which vmap stacks; " +
            "or read values outside vmap");
    }

    /// <summary>x with axis <paramref name="from"/> moved to position <paramref name="to"/>, the other axes in
    /// order.</summary>
    internal static Tensor Moved(Tensor x, int from, int to)
    {
        if (from == to) return x;
        var perm = new List<int>(x.Rank);
        for (int i = 0; i < x.Rank; i++) if (i != from) perm.Add(i);
        perm.Insert(to, from);
        return x.Permute(perm.ToArray());
    }

    /// <summary>A batch with its batch axis first (unchanged when it is, or when <paramref name="axis"/> is null: not
    /// mapped).</summary>
    internal static Tensor Front(Tensor x, int? axis) => axis is int a ? Moved(x, a, 0) : x;

    /// <summary>A value shared by every example, repeated into a batch of <paramref name="size"/> on axis 0.</summary>
    internal static Tensor Repeated(Tensor x, int size) => x.Unsqueeze(0).BroadcastTo([size, .. x.shape]);

    /// <summary>
    /// Broadcasting arguments made to agree: their batch axes line up, so an elementwise op runs on the batches as
    /// they are and the output's batch axis is the one returned. When every mapped argument has its batch on one axis
    /// and the output's rank, and no shared argument reaches that axis, nothing moves; otherwise each mapped argument's
    /// batch goes first, followed by size-1 axes up to the output's rank, and the shared ones broadcast from the right.
    /// </summary>
    internal static (Tensor[] X, int Axis) Aligned(Tensor[] x, int?[] axes)
    {
        int rank = 0;
        for (int i = 0; i < x.Length; i++) rank = Math.Max(rank, x[i].Rank - (axes[i] is null ? 0 : 1));
        int k = -1;
        bool asIs = true;
        for (int i = 0; i < x.Length; i++)
            if (axes[i] is int a)
            {
                if (x[i].Rank != rank + 1 || (k >= 0 && k != a)) asIs = false;
                k = a;
            }
        for (int i = 0; i < x.Length && asIs; i++)
            if (axes[i] is null && x[i].Rank > rank - k) asIs = false;
        if (asIs) return (x, k);

        var r = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = axes[i] is int a ? Padded(Moved(x[i], a, 0), rank) : x[i];
        return (r, 0);
    }

    /// <summary>A batch with its batch axis first, given size-1 axes after it so that each example has <paramref
    /// name="rank"/> axes.</summary>
    internal static Tensor Padded(Tensor front, int rank)
    {
        if (front.Rank - 1 >= rank) return front;
        var s = new int[rank + 1];
        Array.Fill(s, 1);
        s[0] = front.shape[0];
        front.shape.AsSpan(1).CopyTo(s.AsSpan(rank + 1 - (front.Rank - 1)));
        return front.Reshape(s);
    }

    /// <summary>The batching rule of every elementwise op, of any arity and broadcasting: the op once on the aligned
    /// batches.</summary>
    internal static (Tensor, int?) Elementwise(Op op, Tensor[] x, int?[] axes)
    {
        var (xs, k) = Aligned(x, axes);
        return (Op.Apply(op, xs), k);
    }

    /// <summary>
    /// The batching rule of every reduction over one example's <paramref name="axes"/>: <paramref name="reduce"/>
    /// (value, axes, keepDims) runs once on the batch with the axes shifted past the batch axis. A reduction of a whole
    /// example sums each example as one run, as the unbatched kernel does; a batch axis that is innermost moves out of
    /// the kernel's inner runs first. Either way each example is summed in the order it is summed alone.
    /// </summary>
    internal static (Tensor, int?) Reduce(Tensor x, int axis, int[] axes, bool keepDims,
        Func<Tensor, int[], bool, Tensor> reduce)
    {
        int rank = x.Rank - 1;
        if (axes.Length == rank && rank > 0)
        {
            var f = Front(x, axis);
            int n = f.shape[0], m = 1;
            for (int i = 1; i < f.Rank; i++) m *= f.shape[i];
            var y = reduce(f.Reshape([n, m]), [1], false);
            if (!keepDims) return (y, 0);
            var kept = new int[rank + 1];
            Array.Fill(kept, 1);
            kept[0] = n;
            return (y.Reshape(kept), 0);
        }
        if (axis == rank && rank > 0) { x = Front(x, axis); axis = 0; }
        var full = new int[axes.Length];
        int before = 0;
        for (int i = 0; i < axes.Length; i++)
        {
            full[i] = axes[i] < axis ? axes[i] : axes[i] + 1;
            if (axes[i] < axis) before++;
        }
        return (reduce(x, full, keepDims), keepDims ? axis : axis - before);
    }

    /// <summary><paramref name="values"/> with <paramref name="value"/> inserted at <paramref name="at"/>: an axis list
    /// of one example made one of the batch.</summary>
    internal static int[] Insert(int[] values, int at, int value)
    {
        var r = new int[values.Length + 1];
        for (int i = 0, j = 0; i < r.Length; i++) r[i] = i == at ? value : values[j++];
        return r;
    }
}
