using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Ops that move values without arithmetic: reshape, permute, broadcast, sum-to-shape. All are
// linear, so each one's JVP is itself applied to the tangent, and its VJP is its transpose.
public sealed partial class Tensor
{
    private sealed class ReshapeOp(int[] to) : Op
    {
        public override string Name => "Reshape";
        internal override bool AnyDType => true;
        // Storage is immutable, so a reshape shares it.
        public override Tensor Compute(Tensor[] x) => x[0].Reshaped(to);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => x[0].Reshaped(to);
        public override bool ReadsValuesOnly => true;
        internal override bool Aliases => true;
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g.Reshape(x[0].shape)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.Reshape(to);
        // The batch first (no copy when it is), then each example reshaped.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new ReshapeOp([size, .. to]), Batching.Front(x[0], axes[0])), 0);
    }

    /// <summary>The same values in a new shape with the same element count; one dimension may be −1
    /// (inferred).</summary>
    /// <example><code>Tensor.Arange(0, 6).Reshape([2, -1]).Shape // evaluates to [2, 3]</code></example>
    [Peers("torch.reshape", "jnp.reshape", "dsharp.view", Notes = "one −1 is inferred; shares the storage")]
    public Tensor Reshape(int[] newShape)
    {
        Guard.NotNull(newShape);
        var to = (int[])newShape.Clone();
        int infer = Array.IndexOf(to, -1);
        if (infer >= 0 && Array.IndexOf(to, -1, infer + 1) >= 0)
            throw new ShapeMismatchException($"reshape: {Shapes.Show(newShape)} has more than one -1; "
                + "at most one dimension can be inferred");
        if (infer >= 0)
        {
            to[infer] = 1;
            int known = Shapes.Count(to, "reshape");
            if (known == 0 || Count % known != 0)
                throw new ShapeMismatchException(
                    $"reshape: cannot reshape {Shapes.Show(this)} ({Count} elements) to {Shapes.Show(newShape)}; "
                    + $"the known dimensions must divide {Count}");
            to[infer] = Count / known;
        }
        if (Shapes.Count(to, "reshape") != Count)
            throw new ShapeMismatchException(
                $"reshape: cannot reshape {Shapes.Show(this)} ({Count} elements) to {Shapes.Show(newShape)} "
                + $"({Shapes.Count(to, "reshape")} elements); the element counts must match");
        return Shapes.Same(to, shape) ? this : Op.Apply(new ReshapeOp(to), this);
    }

    private sealed class PermuteOp(int[] perm) : CopyOp
    {
        public override string Name => "Permute";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Permute(x[0], perm);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var own = Shapes.Strides(x.shape);
            var shape = new int[perm.Length];
            var strides = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++) { shape[i] = x.shape[perm[i]]; strides[i] = own[perm[i]]; }
            var d = Storage.Uninitialized<T>(x.Count, out var lease); // the gather writes every element
            Strided.Gather(x.Span<T>(), 0, shape, strides, d);
            return Plain(shape, d, lease);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var inverse = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
            return [g.Permute(inverse)];
        }
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.Permute(perm);
        // One permutation of the batch that also brings its batch axis first.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            var full = new int[perm.Length + 1];
            full[0] = k;
            for (int i = 0; i < perm.Length; i++) full[i + 1] = perm[i] < k ? perm[i] : perm[i] + 1;
            return (x[0].Permute(full), 0);
        }
    }

    /// <summary>The axes reordered: axis i of the result is axis <c>perm[i]</c> of this tensor.</summary>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Permute([2, 0, 1]).Shape // evaluates to [4, 2, 3]</code></example>
    [Peers("torch.permute", "jnp.transpose", "dsharp.permute")]
    public Tensor Permute(int[] perm)
    {
        Guard.NotNull(perm);
        if (perm.Length != Rank)
            throw new RankException($"permute: {perm.Length} axes given for a tensor of rank {Rank} "
                + $"({Shapes.Show(this)}); list every axis once");
        var p = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            p[i] = Shapes.Axis(perm[i], shape, "permute");
            if (seen[p[i]])
                throw new AxisOutOfRangeException($"permute: axis {p[i]} appears twice in [{string.Join(", ", perm)}]; "
                    + "list every axis once");
            seen[p[i]] = true;
        }
        bool identity = true;
        for (int i = 0; i < Rank; i++) identity &= p[i] == i;
        return identity ? this : Op.Apply(new PermuteOp(p), this);
    }

    /// <summary>Swaps two axes.</summary>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Transpose(0, 2).Shape // evaluates to [4, 3, 2]</code></example>
    [Peers("torch.transpose, torch.Tensor.mT", "jnp.swapaxes, jnp.matrix_transpose", "dsharp.transpose",
        Notes = "no axes given: the last two", Composed = true)]
    public Tensor Transpose(int axis0, int axis1)
    {
        int a = Shapes.Axis(axis0, shape, "transpose"), b = Shapes.Axis(axis1, shape, "transpose");
        var p = new int[Rank];
        for (int i = 0; i < Rank; i++) p[i] = i;
        (p[a], p[b]) = (p[b], p[a]);
        return Permute(p);
    }

    /// <summary>The matrix transpose: swaps the last two axes (a batch of matrices stays a batch). Needs rank 2 or
    /// more.</summary>
    /// <example><code>Tensor.Zeros([2, 3]).Transpose().Shape // evaluates to [3, 2]</code></example>
    public Tensor Transpose()
    {
        if (Rank < 2)
            throw new RankException($"transpose: needs rank 2 or more but got {Shapes.Show(this)}; "
                + "a vector has no orientation: use Unsqueeze to make it a row or a column");
        return Transpose(-2, -1);
    }

    private sealed class BroadcastOp(int[] to) : CopyOp
    {
        public override string Name => "BroadcastTo";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.BroadcastTo(x[0], to);
        // Pooled, as Permute's: repeat, tile, expand and meshgrid write large results through it.
        protected override Tensor Copy<T>(Tensor[] x)
        {
            var d = Storage.Uninitialized<T>(Shapes.Count(to, "broadcastTo"), out var lease); // the gather writes all
            Strided.Gather(x[0].Span<T>(), 0, to, Strided.BroadcastStrides(x[0].shape, to), d);
            return Plain(to, d, lease);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g.SumTo(x[0].shape)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.BroadcastTo(to);
        // The batch first, size-1 axes after it up to the target's rank, then broadcast past the batch axis.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var f = Batching.Padded(Batching.Front(x[0], axes[0]), to.Length);
            return (f.BroadcastTo([size, .. to]), 0);
        }
    }

    /// <summary>The values repeated to <paramref name="shape"/> by NumPy's broadcasting rules.</summary>
    /// <example><code>Tensor.FromArray([1.0, 2.0]).BroadcastTo([3, 2]).Shape // evaluates to [3, 2]</code></example>
    [Peers("torch.broadcast_to", "jnp.broadcast_to", "dsharp.expand")]
    public Tensor BroadcastTo(int[] shape)
    {
        Guard.NotNull(shape);
        if (Shapes.Same(shape, this.shape)) return this;
        var to = Shapes.Broadcast(this.shape, shape, "broadcastTo");
        if (!Shapes.Same(to, shape))
            throw new ShapeMismatchException(
                $"broadcastTo: cannot broadcast {Shapes.Show(this)} to {Shapes.Show(shape)}; "
                + $"each dimension must match or be 1, and the target rank must be at least {Rank}");
        return Op.Apply(new BroadcastOp((int[])shape.Clone()), this);
    }

    /// <summary>
    /// Sums the values down to <paramref name="shape"/>, undoing a broadcast: leading axes are summed away
    /// and axes of size 1 in <paramref name="shape"/> are summed with keep-dims. Every VJP of a broadcasting op uses
    /// it.
    /// </summary>
    /// <example><code>Tensor.Ones([3, 2]).SumTo([1, 2]) // tensor([[3., 3.]], dtype=float64)</code></example>
    [Peers("torch.Tensor.sum_to_size", "", "Tensor.sumToSize", Notes = "undoes a broadcast", Composed = true)]
    public Tensor SumTo(int[] shape)
    {
        Guard.NotNull(shape);
        if (Shapes.Same(shape, this.shape)) return this;
        if (!Shapes.Same(Shapes.Broadcast(shape, this.shape, "sumTo"), this.shape))
            throw new ShapeMismatchException($"sumTo: {Shapes.Show(this)} is not a broadcast of {Shapes.Show(shape)}; "
                + "the target must broadcast to the tensor's shape");
        int lead = Rank - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
            if (i < lead || (shape[i - lead] == 1 && this.shape[i] != 1)) axes.Add(i);
        return Sum(axes.ToArray(), keepDims: true).Reshape(shape);
    }

    /// <summary>Removes axis <paramref name="axis"/> of size 1, or every axis of size 1 when none is given.</summary>
    /// <example><code>Tensor.Zeros([1, 3, 1]).Squeeze().Shape // evaluates to [3]</code></example>
    [Peers("torch.squeeze", "jnp.squeeze", "dsharp.squeeze", Composed = true)]
    public Tensor Squeeze(int? axis = null)
    {
        if (axis is int a)
        {
            int ax = Shapes.Axis(a, shape, "squeeze");
            if (shape[ax] != 1)
                throw new ShapeMismatchException(
                    $"squeeze: axis {a} of {Shapes.Show(this)} has size {shape[ax]}, not 1; "
                    + "only size-1 axes can be removed");
            return Reshape(shape.Where((_, i) => i != ax).ToArray());
        }
        return Reshape(shape.Where(d => d != 1).ToArray());
    }

    /// <summary>Inserts an axis of size 1 at position <paramref name="axis"/> (in the result; negative counts from the
    /// end).</summary>
    /// <example><code>Tensor.Zeros([3]).Unsqueeze(0).Shape // evaluates to [1, 3]</code></example>
    [Peers("torch.unsqueeze", "jnp.expand_dims", "dsharp.unsqueeze", Composed = true)]
    public Tensor Unsqueeze(int axis)
    {
        int ax = Shapes.Axis(axis, Rank + 1, "unsqueeze");
        var s = shape.ToList();
        s.Insert(ax, 1);
        return Reshape(s.ToArray());
    }

    /// <summary>The values flattened to one dimension.</summary>
    /// <example><code>Tensor.Zeros([2, 3]).Flatten().Shape // evaluates to [6]</code></example>
    [Peers("torch.flatten", "jnp.ravel", "dsharp.flatten", Composed = true)]
    public Tensor Flatten() => Reshape([Count]);
}
