using FuncGrad.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// Ops that take parts of tensors or put them together: slice (and its transpose, pad),
// index-select (and its transpose, index-add), concat and stack.
public sealed partial class Tensor
{
    /// <summary>The flat position of <paramref name="starts"/> under <paramref name="strides"/>.</summary>
    private static int Offset(int[] starts, int[] strides)
    {
        int offset = 0;
        for (int i = 0; i < starts.Length; i++) offset += starts[i] * strides[i];
        return offset;
    }

    /// <summary>A box of x: <c>starts[i] ≤ index &lt; starts[i] + shape[i]</c> along each axis.</summary>
    private sealed class SliceOp(int[] starts, int[] shape) : CopyOp
    {
        public override string Name => "Slice";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Slice(x[0], starts, shape);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var strides = Shapes.Strides(x.shape);
            var d = Storage.Uninitialized<T>(Shapes.Count(shape, "slice"), out var lease); // the gather writes all
            Strided.Gather(x.Span<T>(), Offset(starts, strides), shape, strides, d);
            return Plain(shape, d, lease);
        }
        internal override StepKernel? Kernel(StepTypes s) => s.DType switch
        {
            DType.Float64 => new Step<double>(s, starts, shape),
            DType.Float32 => new Step<float>(s, starts, shape),
            _ => null,
        };
        /// <summary>The slice as a compiled program's step: Compute's gather, into the result's buffer.</summary>
        private sealed class Step<T>(StepTypes s, int[] starts, int[] shape) : StepKernel where T : unmanaged
        {
            private readonly int x = s.Args[0], y = s.Result, xCount = s.ArgCount(0), count = s.Count;
            private readonly int[] strides = Shapes.Strides(s.ArgShape(0));
            private readonly int offset = Offset(starts, Shapes.Strides(s.ArgShape(0)));
            internal override void Run(Frame f, int lo, int hi) =>
                Strided.Gather(f.In<T>(x, 0, xCount), offset, shape, strides, f.Out<T>(y, 0, count));
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new PadOp(starts, x[0].shape), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        // The whole batch axis is kept where it is.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new SliceOp(Batching.Insert(starts, k, 0), Batching.Insert(shape, k, size)), x[0]), k);
        }
    }

    /// <summary>Zeros of <paramref name="full"/> with x placed at <paramref name="starts"/>: the transpose of a
    /// slice.</summary>
    private sealed class PadOp(int[] starts, int[] full) : CopyOp
    {
        public override string Name => "Pad";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Pad(x[0], starts, full);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var strides = Shapes.Strides(full);
            var d = new T[Shapes.Count(full, "pad")];
            Strided.Scatter(x.Span<T>(), x.shape, d, Offset(starts, strides), strides);
            return Plain(full, d);
        }
        internal override StepKernel? Kernel(StepTypes s) => s.DType switch
        {
            DType.Float64 => new Step<double>(s, starts, full),
            DType.Float32 => new Step<float>(s, starts, full),
            _ => null,
        };
        /// <summary>The pad as a compiled program's step: zeros, then Compute's scatter, into the result's
        /// buffer.</summary>
        private sealed class Step<T>(StepTypes s, int[] starts, int[] full) : StepKernel where T : unmanaged
        {
            private readonly int x = s.Args[0], y = s.Result, xCount = s.ArgCount(0), count = s.Count;
            private readonly int[] xShape = s.ArgShape(0), strides = Shapes.Strides(full);
            private readonly int offset = Offset(starts, Shapes.Strides(full));
            internal override void Run(Frame f, int lo, int hi)
            {
                var d = f.Out<T>(y, 0, count);
                d.Clear();
                Strided.Scatter(f.In<T>(x, 0, xCount), xShape, d, offset, strides);
            }
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new SliceOp(starts, x[0].shape), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new PadOp(Batching.Insert(starts, k, 0), Batching.Insert(full, k, size)), x[0]), k);
        }
    }

    /// <summary>
    /// A rectangular part: one <see cref="Range"/> per leading axis (C#'s <c>a..b</c>, with <c>^n</c>
    /// counting from the end); axes without a range are kept whole. Ranges are clamped to the axis like
    /// Python slices.
    /// </summary>
    /// <example><code>
    /// Tensor.Arange(0, 6).Reshape([2, 3]).Slice(.., 1..) // tensor([[1., 2.], [4., 5.]], dtype=float64)
    /// </code></example>
    [Peers("x[a:b]", "x[a:b], jax.lax.slice", "t.[a..b]",
        Notes = "stop excluded, clamped like Python slices; Narrow takes a length")]
    public Tensor Slice(params Range[] ranges)
    {
        Guard.NotNull(ranges);
        if (ranges.Length > Rank)
            throw new RankException($"slice: {ranges.Length} ranges given for {Shapes.Show(this)} of rank {Rank}; "
                + "give at most one range per axis");
        var starts = new int[Rank];
        var sizes = (int[])shape.Clone();
        for (int i = 0; i < ranges.Length; i++)
        {
            int n = shape[i];
            int s = Math.Clamp(ranges[i].Start.IsFromEnd ? n - ranges[i].Start.Value : ranges[i].Start.Value, 0, n);
            int e = Math.Clamp(ranges[i].End.IsFromEnd ? n - ranges[i].End.Value : ranges[i].End.Value, 0, n);
            starts[i] = s;
            sizes[i] = Math.Max(0, e - s);
        }
        return Shapes.Same(sizes, shape) ? this : Op.Apply(new SliceOp(starts, sizes), this);
    }

    /// <summary>Elements <paramref name="start"/> (inclusive) to <paramref name="stop"/> (exclusive) along one
    /// axis.</summary>
    /// <example><code>Tensor.Arange(0, 5).Slice(0, 1, 3) // tensor([1., 2.], dtype=float64)</code></example>
    public Tensor Slice(int axis, int start, int stop)
    {
        int ax = Shapes.Axis(axis, shape, "slice");
        var r = new Range[ax + 1];
        for (int i = 0; i < ax; i++) r[i] = Range.All;
        r[ax] = new Range(start >= 0 ? start : new Index(-start, true), stop >= 0 ? stop : new Index(-stop, true));
        return Slice(r);
    }

    /// <summary>
    /// The part at one integer index per leading axis; each index drops its axis, as in NumPy and PyTorch:
    /// <c>x[1]</c> of a [3x4] is a [4], <c>x[1, 2]</c> a scalar tensor (read it with <see cref="Item"/>).
    /// </summary>
    /// <remarks>Negative indices count from the end. The result is differentiable (a slice, then a reshape).
    /// Compiled under the name <c>At</c>, beside the method <see cref="Item"/> (see there). F# writes
    /// <c>x.[1, -1]</c>, and slices such as <c>x.[1.., 0]</c> through the GetSlice members of the F# library.</remarks>
    /// <example><code>Tensor.Arange(0, 6).Reshape([2, 3])[1, -1] // tensor(5., dtype=float64)</code></example>
    [IndexerName("At")]
    [Peers("x[i, j]", "x[i, j]", "t.[i, j]",
        Notes = "an integer drops its axis; C# ranges exclude their end, F# ranges include it", Composed = true)]
    public Tensor this[params int[] indices]
    {
        get
        {
            Guard.NotNull(indices, "an array of indices", member: "this[]");
            var ix = new TensorIndex[indices.Length];
            for (int i = 0; i < ix.Length; i++) ix[i] = indices[i];
            return Pick(ix);
        }
    }

    /// <summary>
    /// The part picked by one index or range per leading axis, mixed freely: an integer or a C# <see cref="Index"/>
    /// (<c>^1</c> is the last) drops its axis; a C# <see cref="Range"/> (<c>1..3</c>, <c>..^1</c>, end exclusive)
    /// keeps it, clamped to the axis like <see cref="Slice(Range[])"/>.
    /// </summary>
    /// <remarks>Axes past the last index are kept whole.</remarks>
    /// <example><code>Tensor.Arange(0, 6).Reshape([2, 3])[^1, 1..] // tensor([4., 5.], dtype=float64)</code></example>
    [IndexerName("At")]
    public Tensor this[params TensorIndex[] indices] =>
        Pick(Guard.NotNull(indices, "an array of indices", member: "this[]"));

    private Tensor Pick(TensorIndex[] ix)
    {
        if (ix.Length > Rank)
            throw new RankException($"index: {ix.Length} indices given for {Shapes.Show(this)} of rank {Rank}; "
                + "give at most one index per axis");
        var ranges = new Range[ix.Length];
        int dropped = 0;
        for (int a = 0; a < ix.Length; a++)
        {
            if (ix[a].Range is Range r) { ranges[a] = r; continue; }
            int n = shape[a], i = ix[a].Offset(n);
            if (i < 0 || i >= n)
            {
                var where = $"index: index {ix[a]} into axis {a} of size {n} in {Shapes.Show(this)}";
                throw new ArgumentOutOfRangeException("indices", n == 0
                    ? $"{where}; the axis has no elements to pick"
                    : $"{where} is out of range; use an index in [{-n}, {n - 1}] (or ^{n} to ^1 from the end)");
            }
            ranges[a] = i..(i + 1);
            dropped++;
        }
        var part = Slice(ranges);
        if (dropped == 0) return part;
        var to = new int[Rank - dropped];
        for (int a = 0, j = 0; a < Rank; a++)
            if (a >= ix.Length || ix[a].Range is not null) to[j++] = part.shape[a];
        return part.Reshape(to);
    }

    /// <summary>Picks slices <paramref name="indices"/> along <paramref name="axis"/> (x.index_select in
    /// PyTorch).</summary>
    private sealed class IndexSelectOp(int axis, int[] indices) : CopyOp
    {
        public override string Name => "IndexSelect";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.IndexSelect(x[0], axis, indices);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var (outer, n, inner) = AroundAxis(x.shape, axis);
            var shape = (int[])x.shape.Clone();
            shape[axis] = indices.Length;
            var d = new T[Shapes.Count(shape, "indexSelect")];
            var s = x.Span<T>();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < indices.Length; j++)
                    s.Slice((o * n + indices[j]) * inner, inner)
                        .CopyTo(d.AsSpan((o * indices.Length + j) * inner, inner));
            return Plain(shape, d);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new IndexAddOp(axis, indices, x[0].shape[axis]), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new IndexSelectOp(axis < k ? axis : axis + 1, indices), x[0]), k);
        }
    }

    /// <summary>Zeros with <paramref name="size"/> slices along <paramref name="axis"/>, slice j of x added at
    /// <c>indices[j]</c>: the transpose of index-select.</summary>
    private sealed class IndexAddOp(int axis, int[] indices, int size) : Op
    {
        public override string Name => "IndexAdd";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.IndexAdd(x[0], axis, indices, size);
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);
        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (outer, _, inner) = AroundAxis(x.shape, axis);
            var shape = (int[])x.shape.Clone();
            shape[axis] = size;
            var d = new T[Shapes.Count(shape, "indexAdd")];
            var s = x.Span<T>();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < indices.Length; j++)
                {
                    var dst = d.AsSpan((o * size + indices[j]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(
                        dst, s.Slice((o * indices.Length + j) * inner, inner), dst);
                }
            return Plain(shape, d);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new IndexSelectOp(axis, indices), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int n)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new IndexAddOp(axis < k ? axis : axis + 1, indices, size), x[0]), k);
        }
    }

    private static (int Outer, int N, int Inner) AroundAxis(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>
    /// The slices at <paramref name="indices"/> along <paramref name="axis"/>, in that order, repeats allowed
    /// (negative indices count from the end). The gradient adds back into the picked slices.
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([10.0, 20.0, 30.0]).IndexSelect(0, [2, 0, 2]) // tensor([30., 10., 30.], dtype=float64)
    /// </code></example>
    [Peers("torch.index_select", "jnp.take", "", Notes = "repeats allowed; the gradient adds back")]
    public Tensor IndexSelect(int axis, int[] indices)
    {
        Guard.NotNull(indices);
        int ax = Shapes.Axis(axis, shape, "indexSelect");
        int n = shape[ax];
        var idx = new int[indices.Length];
        for (int j = 0; j < idx.Length; j++)
        {
            int i = indices[j] < 0 ? indices[j] + n : indices[j];
            if (i < 0 || i >= n)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"indexSelect: index {indices[j]} is out of range for axis {axis} of size {n} "
                    + $"in {Shapes.Show(this)}; use indices in [{-n}, {n - 1}]");
            idx[j] = i;
        }
        return Op.Apply(new IndexSelectOp(ax, idx), this);
    }

    private sealed class ConcatOp(int axis, int[] sizes) : CopyOp
    {
        public override string Name => "Concat";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Concat(x, axis);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var shape = (int[])xs[0].shape.Clone();
            shape[axis] = sizes.Sum();
            // the parts tile the result, so their scatters write every element
            var d = Storage.Uninitialized<T>(Shapes.Count(shape, "concat"), out var lease);
            var strides = Shapes.Strides(shape);
            int at = 0;
            foreach (var x in xs)
            {
                Strided.Scatter(x.Span<T>(), x.shape, d, at * strides[axis], strides);
                at += x.shape[axis];
            }
            return Plain(shape, d, lease);
        }
        internal override StepKernel? Kernel(StepTypes s) => !s.OneDType ? null : s.DType switch
        {
            DType.Float64 => new Step<double>(s, axis),
            DType.Float32 => new Step<float>(s, axis),
            _ => null,
        };
        /// <summary>The concatenation as a compiled program's step: Compute's scatters, into the result's
        /// buffer.</summary>
        private sealed class Step<T>(StepTypes s, int axis) : StepKernel where T : unmanaged
        {
            private readonly StepTypes types = s;
            private readonly int[] strides = Shapes.Strides(s.Shape);
            internal override void Run(Frame f, int lo, int hi)
            {
                var d = f.Out<T>(types.Result, 0, types.Count);
                int at = 0;
                for (int i = 0; i < types.Args.Length; i++)
                {
                    var shape = types.ArgShape(i);
                    var part = f.In<T>(types.Args[i], 0, types.ArgCount(i));
                    Strided.Scatter(part, shape, d, at * strides[axis], strides);
                    at += shape[axis];
                }
            }
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var r = new Tensor?[x.Length];
            for (int i = 0, at = 0; i < x.Length; at += sizes[i], i++)
                if (needs[i]) r[i] = g.Slice(axis, at, at + sizes[i]);
            return r;
        }
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var t = new Tensor[x.Length];
            for (int i = 0; i < x.Length; i++) t[i] = dx[i] ?? ZerosLike(x[i].Value);
            return Op.Apply(this, t);
        }
        // Every part a batch with its batch first (a shared part repeated), joined past the batch axis.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var parts = new Tensor[x.Length];
            for (int i = 0; i < x.Length; i++)
                parts[i] = axes[i] is int a ? Batching.Moved(x[i], a, 0) : Batching.Repeated(x[i], size);
            return (Op.Apply(new ConcatOp(axis + 1, sizes), parts), 0);
        }
    }

    /// <summary>Joins tensors along an existing axis; all other dimensions and the dtype must agree.</summary>
    /// <example><code>
    /// Tensor.Concat([Tensor.Ones([2]), Tensor.Zeros([1])]) // tensor([1., 1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.cat", "jnp.concatenate", "dsharp.cat")]
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        Guard.NotNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("concat: no tensors given; pass at least one");
        var first = tensors[0];
        if (first.Rank == 0)
            throw new RankException("concat: scalars have no axis to join along; use Stack, or Reshape them to [1]");
        int ax = Shapes.Axis(axis, first.shape, "concat");
        var sizes = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            Elementwise.SameDType(first, t, "concat");
            bool ok = t.Rank == first.Rank;
            for (int d = 0; ok && d < t.Rank; d++) ok = d == ax || t.shape[d] == first.shape[d];
            if (!ok)
                throw new ShapeMismatchException(
                    $"concat: tensor {i} is {Shapes.Show(t)} but tensor 0 is {Shapes.Show(first)}; "
                    + $"all dimensions except axis {ax} must match");
            sizes[i] = t.shape[ax];
        }
        return tensors.Count == 1 ? first : Op.Apply(new ConcatOp(ax, sizes), tensors.ToArray());
    }

    /// <summary>Joins tensors of one shape along a new axis.</summary>
    /// <example><code>Tensor.Stack([Tensor.Ones([2]), Tensor.Zeros([2])]).Shape // evaluates to [2, 2]</code></example>
    [Peers("torch.stack", "jnp.stack", "dsharp.stack", Composed = true)]
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        Guard.NotNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("stack: no tensors given; pass at least one");
        for (int i = 1; i < tensors.Count; i++)
            if (!Shapes.Same(tensors[i].shape, tensors[0].shape))
                throw new ShapeMismatchException(
                    $"stack: tensor {i} is {Shapes.Show(tensors[i])} but tensor 0 is {Shapes.Show(tensors[0])}; "
                    + "stacked tensors must have one shape");
        int ax = Shapes.Axis(axis, tensors[0].Rank + 1, "stack");
        return Concat(tensors.Select(t => t.Unsqueeze(ax)).ToArray(), ax);
    }
}

/// <summary>
/// One position of a tensor indexer: an integer (negative counts from the end), a C# <see cref="System.Index"/>
/// or a C# <see cref="System.Range"/>. Each converts implicitly, so C# mixes them in one index:
/// <c>x[0, 1..]</c>, <c>x[^1, ..2]</c>.
/// </summary>
/// <example><code>Tensor.Ones([3, 4])[1.., ^1].Shape // evaluates to [2]</code></example>
public readonly struct TensorIndex
{
    private readonly int at;
    private readonly Index? index;

    /// <summary>The range, for a position that keeps its axis; null for a single index.</summary>
    internal readonly Range? Range;

    private TensorIndex(int at, Index? index, Range? range) { this.at = at; this.index = index; Range = range; }

    /// <summary>A single index into an axis of size <paramref name="n"/> as an offset from its start (unchecked).
    /// </summary>
    internal int Offset(int n) => index is Index i ? (i.IsFromEnd ? n - i.Value : i.Value) : at < 0 ? at + n : at;

    /// <summary>An integer index; negative counts from the end (-1 is the last).</summary>
    /// <example><code>TensorIndex i = -1; // the last element of its axis</code></example>
    public static implicit operator TensorIndex(int index) => new(index, null, null);

    /// <summary>A C# index; <c>^1</c> is the last.</summary>
    /// <example><code>TensorIndex i = ^2; // the second-to-last element of its axis</code></example>
    public static implicit operator TensorIndex(Index index) => new(0, index, null);

    /// <summary>A C# range, end exclusive, which keeps its axis.</summary>
    /// <example><code>TensorIndex r = 1..^1; // all but the first and last</code></example>
    public static implicit operator TensorIndex(Range range) => new(0, null, range);

    /// <summary>The index as C# writes it: <c>-1</c>, <c>^1</c> or <c>1..^1</c>.</summary>
    /// <example><code>((TensorIndex)(^1)).ToString() // evaluates to "^1"</code></example>
    public override string ToString() =>
        Range is Range r ? r.ToString()
        : index is Index i ? i.ToString()
        : at.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
