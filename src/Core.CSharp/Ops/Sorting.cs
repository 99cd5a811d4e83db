using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Sorting and selection along an axis: argmax, max with indices, sort, top-k, k-th value, median, searchsorted,
// unique. An index result is int64 and carries no graph: its op is a mask op on the values. A value result is the
// input's elements at those indices (TakeAt), so gradients flow to the selected positions only. One order everywhere
// (Kernels/Selection.cs): NaN above every number, as PyTorch sorts, and equal elements by position, the first first.
public sealed partial class Tensor
{
    /// <summary>What a <see cref="PickOp"/> picks along its axis.</summary>
    private enum Picked { Argmax, Argmin, Argsort, Topk, Kthvalue, Median }

    /// <summary>
    /// int64 positions along <paramref name="axis"/>, the axis kept: one per line (argmax, argmin, k-th value, median),
    /// k of them (top-k) or all (argsort). <paramref name="k"/> is top-k's k or the k-th value's 0-based rank;
    /// <paramref name="flag"/> is argsort's descending or top-k's largest.
    /// </summary>
    private sealed class PickOp(Picked kind, int axis, int k, bool flag) : MaskOp, INumericOp
    {
        public override string Name => kind.ToString();
        internal override object Identity => (kind, axis, k, flag);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Pick(Name, x[0], axis, k, flag);

        public override Tensor Compute(Tensor[] x) => NumericDType.Compute(this, x[0].DType, x);

        Tensor INumericOp.Compute<T>(Tensor[] xs)
        {
            var x = xs[0];
            var (outer, n, inner) = AroundAxis(x.shape, axis);
            var shape = (int[])x.shape.Clone();
            shape[axis] = kind switch { Picked.Argsort => n, Picked.Topk => k, _ => 1 };
            var d = Storage.Uninitialized<long>(Shapes.Count(shape, Name), out var lease); // the kernels write all
            var v = x.Buffer<T>();
            switch (kind)
            {
                case Picked.Argmax: Selection.ArgExtreme(v, outer, n, inner, true, d); break;
                case Picked.Argmin: Selection.ArgExtreme(v, outer, n, inner, false, d); break;
                case Picked.Argsort: Selection.Argsort(v, outer, n, inner, flag, d); break;
                case Picked.Topk: Selection.Topk(v, outer, n, inner, k, flag, d); break;
                case Picked.Kthvalue: Selection.Kth(v, outer, n, inner, k, false, d); break;
                default: Selection.Kth(v, outer, n, inner, (n - 1) / 2, true, d); break;
            }
            GC.KeepAlive(x);
            return Plain(shape, d, lease);
        }

        // The axis shifted past the batch axis; the batch stays where it is.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            int b = at[0]!.Value;
            return (Op.Apply(new PickOp(kind, axis < b ? axis : axis + 1, k, flag), x[0]), b);
        }
    }

    /// <summary>
    /// (x, indices) ↦ x's elements at the int64 indices along <paramref name="axis"/>: indices have
    /// x's shape but along the axis, and so has the result (torch.gather). The indices get no cotangent.
    /// </summary>
    private sealed class TakeAtOp(int axis) : CopyOp
    {
        public override string Name => "TakeAt";
        internal override object Identity => ("TakeAt", axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.TakeAt(x[0], axis, x[1]);

        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (x, idx) = (xs[0], xs[1]);
            var (outer, n, inner) = AroundAxis(x.shape, axis);
            var d = Storage.Uninitialized<T>(idx.Count, out var lease); // the gather writes every element
            Selection.TakeAlong(x.Buffer<T>(), outer, n, inner, idx.Buffer<long>(), idx.shape[axis], d);
            GC.KeepAlive(xs);
            return Plain(idx.shape, d, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new AddAtOp(axis, x[0].shape[axis]), g, x[1]), null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!, x[1]);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Along(x, at, size, axis, static a => new TakeAtOp(a));
    }

    /// <summary>
    /// (g, indices) ↦ zeros with <paramref name="size"/> along <paramref name="axis"/>, g added at the int64 indices:
    /// the transpose of <see cref="TakeAtOp"/>, by which gradients reach the selected positions.
    /// </summary>
    private sealed class AddAtOp(int axis, int size) : Op
    {
        public override string Name => "AddAt";
        internal override bool AnyDType => true; // the indices are int64; g is float, as every caller makes it
        internal override object Identity => ("AddAt", axis, size);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.AddAt(x[0], axis, x[1], size);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        private Tensor Compute<T>(Tensor g, Tensor idx) where T : unmanaged, INumber<T>
        {
            var (outer, k, inner) = AroundAxis(g.shape, axis);
            var shape = (int[])g.shape.Clone();
            shape[axis] = size;
            var d = Storage.Uninitialized<T>(Shapes.Count(shape, Name), out var lease);
            d.AsSpan().Clear(); // a pooled array is cleared faster than fresh pages are mapped
            Selection.AddAlong(g.Buffer<T>(), outer, k, inner, idx.Buffer<long>(), size, d);
            GC.KeepAlive(g);
            GC.KeepAlive(idx);
            return Plain(shape, d, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new TakeAtOp(axis), g, x[1]), null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!, x[1]);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int n) =>
            Along(x, at, n, axis, a => new AddAtOp(a, size));
    }

    /// <summary>
    /// The batching rule of <see cref="TakeAtOp"/> and <see cref="AddAtOp"/> (data, indices): where both are batched
    /// on one axis, the op with its axis shifted past it; otherwise both batches first (a shared one repeated).
    /// </summary>
    private static (Tensor, int?) Along(Tensor[] x, int?[] at, int size, int axis, Func<int, Op> make)
    {
        if (at[0] is int a && at[1] is int b && a == b)
            return (Op.Apply(make(axis < a ? axis : axis + 1), x[0], x[1]), a);
        var data = at[0] is int p ? Batching.Moved(x[0], p, 0) : Batching.Repeated(x[0], size);
        var idx = at[1] is int q ? Batching.Moved(x[1], q, 0) : Batching.Repeated(x[1], size);
        return (Op.Apply(make(axis + 1), data, idx), 0);
    }

    /// <summary>(sorted, values) ↦ int64 insertion points of the values in the sorted sequence's lines.</summary>
    private sealed class SearchsortedOp(bool right) : MaskOp, INumericOp
    {
        public override string Name => "Searchsorted";
        internal override object Identity => ("Searchsorted", right);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Searchsorted(x[0], x[1], right);

        public override Tensor Compute(Tensor[] x) => NumericDType.Compute(this, x[0].DType, x);

        Tensor INumericOp.Compute<T>(Tensor[] x)
        {
            var (sorted, values) = (x[0], x[1]);
            int n = sorted.shape[^1];
            // a one-dimensional sequence serves every value; otherwise line l of each serves the other's line l
            int m = sorted.Rank == 1 ? values.Count : values.shape[^1];
            var d = new long[values.Count];
            Selection.Searchsorted(sorted.Buffer<T>(), n, values.Buffer<T>(), m, right, d);
            GC.KeepAlive(sorted);
            GC.KeepAlive(values);
            return Plain(values.shape, d);
        }

        // A shared one-dimensional sequence serves the batch of values as it is. Otherwise both batches go first (a
        // shared one repeated), and values searched in a one-dimensional sequence each are made lines of it.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            if (at[0] is null && x[0].Rank == 1) return (Op.Apply(this, x[0], x[1]), at[1]);
            var sorted = at[0] is int a ? Batching.Moved(x[0], a, 0) : Batching.Repeated(x[0], size);
            var values = at[1] is int b ? Batching.Moved(x[1], b, 0) : Batching.Repeated(x[1], size);
            if (sorted.Rank > 2) return (Op.Apply(this, sorted, values), 0);
            var lines = values.Reshape([size, values.Count / Math.Max(size, 1)]);
            return (Op.Apply(this, sorted, lines).Reshape(values.shape), 0);
        }
    }

    /// <summary>An axis of a tensor to sort or select along; a scalar is taken as one element along axis 0 or −1, as
    /// PyTorch does. Bool tensors are refused: compare them as integers.</summary>
    private (Tensor Line, int Axis) LineAlong(int axis, string op)
    {
        Orderable(op);
        return Rank == 0 ? (Reshape([1]), Shapes.Axis(axis, 1, op)) : (this, Shapes.Axis(axis, shape, op));
    }

    private void Orderable(string op)
    {
        if (DType == DType.Bool)
            throw new DTypeMismatchException(
                $"{op}: orders numbers, but the tensor is {Shapes.Show(this)}; convert it with ToDType(DType.Int64) "
                + "first (false is 0, true is 1)");
    }

    /// <summary>The axis's size, refused where it is empty: a reduction has nothing to pick from.</summary>
    private static int NotEmpty(Tensor x, int axis, string op)
    {
        int n = x.shape[axis];
        if (n == 0)
            throw new EmptyTensorException($"{op}: axis {axis} of {Shapes.Show(x)} is empty; {op} needs at least one "
                + "element to pick");
        return n;
    }

    /// <summary>A result of a scalar's selection back to a scalar, as PyTorch gives it.</summary>
    private Tensor Shaped(Tensor r) => Rank == 0 && r.Count == 1 ? r.Reshape([]) : r;

    /// <summary>x's elements at int64 positions along an axis (indices of x's shape but along it).</summary>
    private static Tensor TakeAt(Tensor x, Tensor indices, int axis) => Op.Apply(new TakeAtOp(axis), x, indices);

    /// <summary>One position per line, as argmax or argmin: the axis kept.</summary>
    private Tensor Extreme(Picked kind, int? axis, bool keepDims, string op)
    {
        if (axis is not int a)
        {
            Orderable(op);
            if (Count == 0)
                throw new EmptyTensorException($"{op}: the tensor {Shapes.Show(this)} is empty; {op} needs at least "
                    + "one element");
            var all = new PickOp(kind, 0, 0, false).On(Reshape([-1]));
            return all.Reshape(keepDims ? Enumerable.Repeat(1, Rank).ToArray() : []);
        }
        var (x, ax) = LineAlong(a, op);
        NotEmpty(x, ax, op);
        var at = new PickOp(kind, ax, 0, false).On(x);
        return Shaped(keepDims ? at : at.Squeeze(ax));
    }

    /// <summary>
    /// The int64 position of the largest element along <paramref name="axis"/>, or in the flattened tensor when it is
    /// null. Of equal largest elements, the first; a NaN counts as the largest (the first NaN).
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 5, 5 }, { 7, 2, 3 } }).Argmax(1) // tensor([1, 0], dtype=int64)
    /// </code></example>
    [Peers("torch.argmax", "jnp.argmax", "dsharp.argmax", Notes = "int64; ties and NaN: the first")]
    public Tensor Argmax(int? axis = null, bool keepDims = false) => Extreme(Picked.Argmax, axis, keepDims, "argmax");

    /// <summary>
    /// The int64 position of the smallest element along <paramref name="axis"/>, or in the flattened tensor when it
    /// is null. Of equal smallest elements, the first; a NaN counts as the smallest (the first NaN).
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([4.0, 1.0, 1.0]).Argmin() // tensor(1, dtype=int64)
    /// </code></example>
    [Peers("torch.argmin", "jnp.argmin", "dsharp.argmin", Notes = "int64; ties and NaN: the first")]
    public Tensor Argmin(int? axis = null, bool keepDims = false) => Extreme(Picked.Argmin, axis, keepDims, "argmin");

    private (Tensor Values, Tensor Indices) ExtremeWithIndices(Picked kind, int axis, bool keepDims, string op)
    {
        var (x, ax) = LineAlong(axis, op);
        NotEmpty(x, ax, op);
        var at = new PickOp(kind, ax, 0, false).On(x);
        var values = TakeAt(x, at, ax);
        return keepDims ? (Shaped(values), Shaped(at)) : (Shaped(values.Squeeze(ax)), Shaped(at.Squeeze(ax)));
    }

    /// <summary>
    /// The largest element along <paramref name="axis"/> and its int64 position (PyTorch's <c>max</c> with a dim):
    /// the first of equal ones, the first NaN where there is one. The gradient goes to that position alone.
    /// </summary>
    /// <remarks><see cref="Max"/> gives the values alone and splits the gradient among equal largest elements; here
    /// the element whose index is returned gets all of it, as in PyTorch.</remarks>
    /// <example><code>
    /// var (values, indices) = Tensor.FromArray(new double[,] { { 1, 5, 5 }, { 7, 2, 3 } }).MaxWithIndices(1);
    /// // values: tensor([5., 7.], dtype=float64), indices: tensor([1, 0], dtype=int64)
    /// </code></example>
    [Peers("torch.max (with dim)", "", "", Notes = "the gradient goes to the returned index", Composed = true)]
    public (Tensor Values, Tensor Indices) MaxWithIndices(int axis, bool keepDims = false) =>
        ExtremeWithIndices(Picked.Argmax, axis, keepDims, "maxWithIndices");

    /// <summary>
    /// The smallest element along <paramref name="axis"/> and its int64 position (PyTorch's <c>min</c> with a dim):
    /// the first of equal ones, the first NaN where there is one. The gradient goes to that position alone.
    /// </summary>
    /// <example><code>
    /// var (values, indices) = Tensor.FromArray([4.0, 1.0, 1.0]).MinWithIndices(0);
    /// // values: tensor(1., dtype=float64), indices: tensor(1, dtype=int64)
    /// </code></example>
    [Peers("torch.min (with dim)", "", "", Notes = "the gradient goes to the returned index", Composed = true)]
    public (Tensor Values, Tensor Indices) MinWithIndices(int axis, bool keepDims = false) =>
        ExtremeWithIndices(Picked.Argmin, axis, keepDims, "minWithIndices");

    /// <summary>
    /// The elements sorted along <paramref name="axis"/>, and the int64 position each came from. The sort is stable
    /// (equal elements keep their order) and NaN sorts as the largest, last ascending, first descending.
    /// </summary>
    /// <remarks>Each value's gradient goes back to the position it came from.</remarks>
    /// <example><code>
    /// var (values, indices) = Tensor.FromArray([3.0, 1.0, 2.0]).Sort();
    /// // values: tensor([1., 2., 3.], dtype=float64), indices: tensor([1, 2, 0], dtype=int64)
    /// </code></example>
    [Peers("torch.sort", "jnp.sort, jax.lax.sort", "",
        Notes = "always stable; NaN sorts as the largest", Composed = true)]
    public (Tensor Values, Tensor Indices) Sort(int axis = -1, bool descending = false)
    {
        var (x, ax) = LineAlong(axis, "sort");
        var at = new PickOp(Picked.Argsort, ax, 0, descending).On(x);
        return (Shaped(TakeAt(x, at, ax)), Shaped(at));
    }

    /// <summary>
    /// The int64 positions that sort the elements along <paramref name="axis"/>: stable, NaN as the largest, as
    /// <see cref="Sort"/> orders them.
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([3.0, 1.0, 2.0]).Argsort(descending: true) // tensor([0, 2, 1], dtype=int64)
    /// </code></example>
    [Peers("torch.argsort", "jnp.argsort", "", Notes = "always stable; NaN sorts as the largest")]
    public Tensor Argsort(int axis = -1, bool descending = false)
    {
        var (x, ax) = LineAlong(axis, "argsort");
        return Shaped(new PickOp(Picked.Argsort, ax, 0, descending).On(x));
    }

    /// <summary>
    /// The <paramref name="k"/> largest (or smallest) elements along <paramref name="axis"/>, best first, and their
    /// int64 positions. Of equal elements the earlier comes first; NaN counts as the largest.
    /// </summary>
    /// <remarks>The results are in order also when <paramref name="sorted"/> is false (PyTorch leaves that order
    /// unspecified), and equal elements are picked as a stable sort orders them on every device (PyTorch's topk may
    /// pick any of them). Gradients go to the picked positions.</remarks>
    /// <example><code>
    /// var (values, indices) = Tensor.FromArray([1.0, 4.0, 2.0, 3.0]).Topk(2);
    /// // values: tensor([4., 3.], dtype=float64), indices: tensor([1, 3], dtype=int64)
    /// </code></example>
    [Peers("torch.topk", "jax.lax.top_k", "", Notes = "ties: the earlier first; NaN is the largest")]
    public (Tensor Values, Tensor Indices) Topk(int k, int axis = -1, bool largest = true, bool sorted = true)
    {
        var (x, ax) = LineAlong(axis, "topk");
        int n = x.shape[ax];
        if (k < 0 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k),
                $"topk: k = {k} is out of range for axis {ax} of size {n} in {Shapes.Show(this)}; use k in [0, {n}]");
        var at = new PickOp(Picked.Topk, ax, k, largest).On(x);
        return (Shaped(TakeAt(x, at, ax)), Shaped(at));
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest element along <paramref name="axis"/> (k from 1) and its int64 position:
    /// the k-th of the stable ascending <see cref="Sort"/>, NaN as the largest.
    /// </summary>
    /// <remarks>The gradient goes to that position. Of equal elements, the one at rank k in stable order is given, on
    /// every device (PyTorch's kthvalue may give another of them).</remarks>
    /// <example><code>
    /// var (value, index) = Tensor.FromArray([3.0, 1.0, 2.0]).Kthvalue(2);
    /// // value: tensor(2., dtype=float64), index: tensor(2, dtype=int64)
    /// </code></example>
    [Peers("torch.kthvalue", "", "", Notes = "k from 1; ties in stable order")]
    public (Tensor Values, Tensor Indices) Kthvalue(int k, int axis = -1, bool keepDims = false)
    {
        var (x, ax) = LineAlong(axis, "kthvalue");
        int n = x.shape[ax];
        if (k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), n == 0
                ? $"kthvalue: axis {ax} of {Shapes.Show(this)} is empty; there is no k-th element"
                : $"kthvalue: k = {k} is out of range for axis {ax} of size {n} in {Shapes.Show(this)}; "
                  + $"use k in [1, {n}]");
        return Selected(x, new PickOp(Picked.Kthvalue, ax, k - 1, false).On(x), ax, keepDims);
    }

    private (Tensor Values, Tensor Indices) Selected(Tensor x, Tensor at, int ax, bool keepDims)
    {
        var values = TakeAt(x, at, ax);
        return keepDims ? (Shaped(values), Shaped(at)) : (Shaped(values.Squeeze(ax)), Shaped(at.Squeeze(ax)));
    }

    /// <summary>
    /// The median along <paramref name="axis"/> and its int64 position: for an even count the lower of the two middle
    /// elements, as PyTorch's; NaN where the line has one (the first NaN's position).
    /// </summary>
    /// <remarks>The element at rank ⌊(n − 1)/2⌋ of the stable ascending <see cref="Sort"/>; the gradient goes to its
    /// position. JAX's median averages the middle two instead.</remarks>
    /// <example><code>
    /// var (value, index) = Tensor.FromArray([4.0, 1.0, 3.0, 2.0]).Median(0);
    /// // value: tensor(2., dtype=float64), index: tensor(3, dtype=int64)
    /// </code></example>
    [Peers("torch.median", "jnp.median", "",
        Notes = "the lower median for even counts (JAX averages); NaN propagates")]
    public (Tensor Values, Tensor Indices) Median(int axis, bool keepDims = false)
    {
        var (x, ax) = LineAlong(axis, "median");
        NotEmpty(x, ax, "median");
        return Selected(x, new PickOp(Picked.Median, ax, 0, false).On(x), ax, keepDims);
    }

    /// <summary>
    /// The median of all elements: the lower middle one for an even count, NaN if any is NaN. The gradient goes to
    /// that one element.
    /// </summary>
    /// <example><code>Tensor.FromArray([4.0, 1.0, 3.0, 2.0]).Median() // tensor(2., dtype=float64)</code></example>
    public Tensor Median()
    {
        if (Count == 0)
            throw new EmptyTensorException($"median: the tensor {Shapes.Show(this)} is empty; median needs at least "
                + "one element");
        return Reshape([-1]).Median(0).Values;
    }

    /// <summary>
    /// For each of <paramref name="values"/>, the int64 position at which inserting it keeps
    /// <paramref name="sortedSequence"/> sorted: before equal elements, or after them when <paramref name="right"/>.
    /// </summary>
    /// <remarks>
    /// The sequence is sorted along its last axis: one-dimensional for values of any shape, or with the leading
    /// dimensions of the values, line by line. Order is <see cref="Sort"/>'s, NaN above every number, so a sequence
    /// with NaN at its end gives what <c>Sort</c> would place (LibTorch's searchsorted differs there).
    /// </remarks>
    /// <example><code>
    /// Tensor.Searchsorted(Tensor.FromArray([1.0, 2.0, 2.0, 3.0]), Tensor.FromArray([2.0, 0.5, 9.0]))
    /// // tensor([1, 0, 4], dtype=int64)
    /// </code></example>
    [Peers("torch.searchsorted", "jnp.searchsorted", "", Notes = "int64; NaN above every number")]
    public static Tensor Searchsorted(Tensor sortedSequence, Tensor values, bool right = false)
    {
        Guard.NotNull(sortedSequence); Guard.NotNull(values);
        Elementwise.SameDType(sortedSequence, values, "searchsorted");
        sortedSequence.Orderable("searchsorted");
        var s = sortedSequence.shape;
        if (s.Length == 0)
            throw new RankException($"searchsorted: the sorted sequence is {Shapes.Show(sortedSequence)}, a scalar; "
                + "give it one axis (Reshape([1])), or one more than the values' leading axes");
        bool ok = s.Length == 1 || (values.Rank == s.Length && s.AsSpan(0, s.Length - 1)
            .SequenceEqual(values.shape.AsSpan(0, s.Length - 1)));
        if (!ok)
            throw new ShapeMismatchException(
                $"searchsorted: the sorted sequence is {Shapes.Show(sortedSequence)} and the values "
                + $"{Shapes.Show(values)}; a sequence of rank {s.Length} needs values of that rank with the same "
                + "leading dimensions (one line of values per line of the sequence), or give a one-dimensional "
                + "sequence");
        return new SearchsortedOp(right).On(sortedSequence, values);
    }

    /// <summary>
    /// The distinct elements in ascending order, with, for each element, the int64 position of its value among them
    /// (inverse, of this shape) and each value's int64 count. Eager only: the result's shape depends on the values.
    /// </summary>
    /// <remarks>
    /// Each NaN is a value of its own (NaN equals nothing), last, as in PyTorch. A value's gradient goes to its first
    /// occurrence. Under vmap or compile it is an error, since the number of values is not known from the shape.
    /// </remarks>
    /// <example><code>
    /// var (values, inverse, counts) = Tensor.FromArray([2.0, 1.0, 2.0]).Unique();
    /// // values: tensor([1., 2.], dtype=float64), inverse: tensor([1, 0, 1], dtype=int64),
    /// // counts: tensor([1, 2], dtype=int64)
    /// </code></example>
    [Peers("torch.unique", "jnp.unique", "",
        Notes = "eager only; always sorted, with inverse and counts", Composed = true)]
    public (Tensor Values, Tensor Inverse, Tensor Counts) Unique()
    {
        if (Batching.Below(this))
            throw new VmapException(
                $"unique: inside vmap this {Shapes.Show(this)} tensor stands for a batch of examples, and each "
                + "example may have its own number of distinct values, while vmap stacks results of one shape. Call "
                + "Unique outside vmap, or use Sort, whose result has the input's shape");
        if (Tracing.Below(this))
            throw new CompileException(
                $"unique: while a compiled function is traced this {Shapes.Show(this)} tensor has no values, and "
                + "Unique's result has a shape that depends on them. Call Unique outside the compiled function, or "
                + "use Sort, whose result has the input's shape");
        var flat = Reshape([-1]);
        var v = flat.Value;
        var (first, inverse, counts) = (v.OnDevice ? Backends.For(v.StorageDevice).Unique(v) : null)
            ?? UniqueManaged(v);
        return (TakeAt(flat, first, 0), inverse.Reshape(shape), counts);
    }

    private static (Tensor First, Tensor Inverse, Tensor Counts) UniqueManaged(Tensor flat)
    {
        var x = flat.OnDevice ? Backends.For(flat.StorageDevice).ToManaged(flat) : flat;
        var (first, inverse, counts) = x.DType switch
        {
            DType.Float64 => Selection.Unique(x.Buffer<double>()),
            DType.Float32 => Selection.Unique(x.Buffer<float>()),
            DType.Int64 => Selection.Unique(x.Buffer<long>()),
            DType.Int32 => Selection.Unique(x.Buffer<int>()),
            _ => Selection.Unique(Array.ConvertAll(x.Buffer<bool>(), b => b ? 1 : 0)),
        };
        GC.KeepAlive(x);
        Tensor Here(long[] a) => flat.OnDevice
            ? Backends.For(flat.StorageDevice).FromManaged(Plain([a.Length], a), flat.StorageDevice)
            : Plain([a.Length], a);
        return (Here(first), Here(inverse), Here(counts));
    }
}
