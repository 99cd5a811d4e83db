using FuncGrad.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// Whole slices picked, added or put by a tensor of indices along one axis (index_select, index_add, index_put and the
// indexer x[idx]), masks (masked_fill, masked_select), and nonzero. The slice ops share one set of three op classes:
// select and add are each other's transpose, so every order of derivative is these ops again. Under vmap a mapped
// index that meets a mapped data tensor is offset into one axis that holds every example's slices, so each rule runs
// one kernel for the whole batch. Nonzero and masked_select have shapes that depend on the values: they run eagerly,
// and refuse vmap and compile with an error that says so.
public sealed partial class Tensor
{
    /// <summary>The slices of x at a one-dimensional index along <paramref name="axis"/> (x, index), read as the rule
    /// says; zeros where the rule skips. <paramref name="gradSkip"/>: an index whose slices get no gradient (an
    /// embedding's padding row), though its values are read.</summary>
    private sealed class SelectRowsOp(int axis, IndexRule rule, string name = "IndexSelect", long? gradSkip = null)
        : CopyOp
    {
        public override string Name => name;
        internal override object Identity => ("SelectRows", axis, rule, name, gradSkip);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.SelectRows(x[0], axis, x[1], rule);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (x, index) = (xs[0], xs[1]);
            var (outer, n, inner) = AroundAxis(x.shape, axis);
            var idx = rule.Resolve(AlongAxis.Indices(index), n);
            var shape = (int[])x.shape.Clone();
            shape[axis] = idx.Length;
            var y = Storage.Uninitialized<T>(Shapes.Count(shape, rule.Op), out var lease);
            Rows.Select(x.Buffer<T>(), outer, n, inner, idx, y);
            GC.KeepAlive(x);
            return Plain(shape, y, lease);
        }

        private IndexRule GradRule => gradSkip is null ? rule : rule with { Skip = gradSkip };

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new AddRowsOp(axis, x[0].shape[axis], GradRule), x[1], g), null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Op.Apply(gradSkip is null ? this : new SelectRowsOp(axis, GradRule, name), dx[0]!, x[1]);

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            if (axes[1] is not int b) // a shared index: the batch axis stays where it is
            {
                int k = axes[0]!.Value;
                return (Op.Apply(new SelectRowsOp(axis < k ? axis : axis + 1, rule, name, gradSkip), x[0], x[1]), k);
            }
            var index = Batching.Moved(x[1], b, 0);
            int m = index.shape[1];
            if (axes[0] is not int a) // a shared x: the examples' indices one after another
            {
                var flat = Op.Apply(this, x[0], index.Reshape([size * m]));
                return (flat.Reshape(Split(flat.shape, axis, size, m)), axis);
            }
            var (data, n) = Merged(x[0], a, axis, size);
            var offset = new IndexOffsetOp(0, n, rule).On(index).Reshape([size * m]);
            var merged = Op.Apply(new SelectRowsOp(axis, rule.AsResolved(), name), data, offset);
            var r = merged.Reshape(Split(merged.shape, axis, size, m));
            if (gradSkip is long skip) // the merged index cannot tell the padding apart: detach its slices here
            {
                var s = new int[r.Rank];
                Array.Fill(s, 1);
                (s[axis], s[axis + 1]) = (size, m);
                var pad = index.Eq(Tensor.Scalar(skip, index.DType)).Reshape(s);
                r = Where(pad, r.Detach(), r);
            }
            return (r, axis);
        }
    }

    /// <summary>
    /// (self, index, src): self plus the slices of src added at a one-dimensional index along <paramref name="axis"/>,
    /// or, with <paramref name="zeros"/> given, (index, src) added into zeros with that many slices: the transpose of
    /// <see cref="SelectRowsOp"/>. Slices the rule skips add nothing.
    /// </summary>
    private sealed class AddRowsOp(int axis, int? zeros, IndexRule rule) : Op, INumericOp
    {
        public override string Name => "IndexAdd";
        internal override bool AnyDType => true;
        internal override object Identity => ("AddRows", axis, zeros, rule);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
            b.AddRows(zeros is null ? x[0] : null, zeros ?? 0, axis, x[^2], x[^1], rule);

        public override Tensor Compute(Tensor[] x) => NumericDType.Compute(this, x[^1].DType, x);

        Tensor INumericOp.Compute<T>(Tensor[] x)
        {
            var (index, src) = (x[^2], x[^1]);
            var self = zeros is null ? x[0] : null;
            var shape = (int[])src.shape.Clone();
            shape[axis] = self?.shape[axis] ?? zeros!.Value;
            var (outer, n, inner) = AroundAxis(shape, axis);
            var idx = rule.Resolve(AlongAxis.Indices(index), n);
            var y = Start<T>(self, Shapes.Count(shape, rule.Op), out var lease);
            Rows.Add(y, outer, n, inner, idx, src.Buffer<T>());
            GC.KeepAlive(src);
            return Plain(shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var picked = needs[x.Length - 1] ? Op.Apply(new SelectRowsOp(axis, rule), g, x[^2]) : null;
            return zeros is null ? [g, null, picked] : [null, picked];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var dsrc = dx[^1] ?? ZerosLike(x[^1]);
            return zeros is null ? Op.Apply(this, dx[0] ?? ZerosLike(x[0]), x[1], dsrc) : Op.Apply(this, x[0], dsrc);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int last = x.Length - 1;
            if (axes[last - 1] is null) // a shared index: every batch first, added past it
            {
                var parts = SharedIndex(x, axes, size, last - 1);
                return (Op.Apply(new AddRowsOp(axis + 1, zeros is int z ? z : null, rule), parts), 0);
            }
            var index = Batching.Moved(x[last - 1], axes[last - 1]!.Value, 0);
            var (src, _) = Merged(x[last], axes[last], axis, size);
            var (self, n) = zeros is null ? Merged(x[0], axes[0], axis, size) : (null, zeros.Value);
            var offset = new IndexOffsetOp(0, n, rule).On(index).Reshape([index.Count]);
            var merged = self is not null
                ? Op.Apply(new AddRowsOp(axis, null, rule.AsResolved()), self, offset, src)
                : Op.Apply(new AddRowsOp(axis, size * n, rule.AsResolved()), offset, src);
            return (merged.Reshape(Split(merged.shape, axis, size, n)), axis);
        }
    }

    /// <summary>(self, index, src): self with the slices of src put at a one-dimensional index along
    /// <paramref name="axis"/>; of two slices put in one place the later wins. Any dtype.</summary>
    private sealed class PutRowsOp(int axis, IndexRule rule) : CopyOp
    {
        public override string Name => "IndexPut";
        internal override object Identity => ("PutRows", axis, rule);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.PutRows(x[0], axis, x[1], x[2], rule);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (self, index, src) = (xs[0], xs[1], xs[2]);
            var (outer, n, inner) = AroundAxis(self.shape, axis);
            var idx = rule.Resolve(AlongAxis.Indices(index), n);
            var y = Start<T>(self, self.Count, out var lease);
            Rows.Copy(y, outer, n, inner, idx, src.Buffer<T>());
            GC.KeepAlive(src);
            return Plain(self.shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (index, src) = (x[1], x[2]);
            if (!needs[2]) return [Op.Apply(this, g, index, ZerosLike(src)), null, null];
            // the slices that stayed: put every slice's position, and read back which one each place kept
            var pos = Positions([index.shape[0]], index.Device);
            var last = Op.Apply(new PutRowsOp(0, rule), Beside(Full([x[0].shape[axis]], -1, DType.Int64), index),
                index, pos);
            var kept = Op.Apply(new SelectRowsOp(0, rule), last, index).Eq(pos);
            var s = new int[src.Rank - axis];
            Array.Fill(s, 1);
            s[0] = index.shape[0];
            return
            [
                needs[0] ? Op.Apply(this, g, index, ZerosLike(src)) : null,
                null,
                Where(kept.Reshape(s), Op.Apply(new SelectRowsOp(axis, rule), g, index), g.Const(0)),
            ];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Op.Apply(this, dx[0] ?? ZerosLike(x[0]), x[1], dx[2] ?? ZerosLike(x[2]));

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            if (axes[1] is null) return (Op.Apply(new PutRowsOp(axis + 1, rule), SharedIndex(x, axes, size, 1)), 0);
            var index = Batching.Moved(x[1], axes[1]!.Value, 0);
            var (self, n) = Merged(x[0], axes[0], axis, size);
            var (src, _) = Merged(x[2], axes[2], axis, size);
            var offset = new IndexOffsetOp(0, n, rule).On(index).Reshape([index.Count]);
            var merged = Op.Apply(new PutRowsOp(axis, rule.AsResolved()), self, offset, src);
            return (merged.Reshape(Split(merged.shape, axis, size, n)), axis);
        }
    }

    /// <summary>The arguments of a row op with a shared index (argument <paramref name="index"/>, kept as it is), the
    /// others' batches first (a shared one repeated).</summary>
    private static Tensor[] SharedIndex(Tensor[] x, int?[] axes, int size, int index)
    {
        var r = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = i == index ? x[i] : axes[i] is int a ? Batching.Moved(x[i], a, 0) : Batching.Repeated(x[i], size);
        return r;
    }

    /// <summary>A batch (or a shared value, repeated) with its batch axis merged into <paramref name="axis"/>, just
    /// before each example's slices: [.., size·n, ..]; and n.</summary>
    private static (Tensor X, int N) Merged(Tensor x, int? batchAxis, int axis, int size)
    {
        var b = batchAxis is int a ? x : Batching.Repeated(x, size);
        var moved = Batching.Moved(b, batchAxis ?? 0, axis);
        var s = moved.shape;
        int n = s[axis + 1];
        return (moved.Reshape([.. s[..axis], size * n, .. s[(axis + 2)..]]), n);
    }

    /// <summary>A shape with its <paramref name="axis"/> (of size·m) split into [size, m].</summary>
    private static int[] Split(int[] shape, int axis, int size, int m) =>
        [.. shape[..axis], size, m, .. shape[(axis + 1)..]];

    /// <summary>
    /// A mapped index [size, m] resolved by its rule against an axis of size n, each example's entries offset by
    /// example·n, so that one row op over the examples' slices laid end to end does every example's work; a skipped
    /// entry stays −1. <paramref name="lead"/> is the axis that counts the examples.
    /// </summary>
    private sealed class IndexOffsetOp(int lead, int n, IndexRule rule) : MaskOp
    {
        public override string Name => "IndexOffset";
        internal override object Identity => ("IndexOffset", lead, n, rule);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.IndexOffset(x[0], lead, n, rule);
        public override Tensor Compute(Tensor[] x)
        {
            var index = x[0];
            var idx = rule.Resolve(AlongAxis.Indices(index), n);
            var (outer, size, inner) = AroundAxis(index.shape, lead);
            for (int o = 0; o < outer; o++)
                for (int e = 0; e < size; e++)
                    for (int i = 0; i < inner; i++)
                    {
                        int at = (o * size + e) * inner + i;
                        if (idx[at] >= 0) idx[at] += (long)e * n;
                    }
            return Plain(index.shape, idx);
        }
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new IndexOffsetOp(lead < k ? lead : lead + 1, n, rule), x[0]), k);
        }
    }

    /// <summary>
    /// Indices into the leading axes of sizes <paramref name="sizes"/>, one tensor per axis, broadcast together, as one
    /// row-major position into those axes (int64); negative indices count from the end, as in PyTorch's advanced
    /// indexing.
    /// </summary>
    private sealed class LinearIndexOp(int[] sizes, string op) : MaskOp
    {
        public override string Name => "LinearIndex";
        internal override object Identity => ("LinearIndex", Shapes.Show(sizes), op);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.LinearIndex(x, sizes);
        public override Tensor Compute(Tensor[] x)
        {
            var shape = x[0].shape;
            foreach (var t in x) shape = Shapes.Broadcast(shape, t.shape, op);
            var lin = new long[Shapes.Count(shape, op)];
            long stride = 1;
            for (int d = sizes.Length - 1; d >= 0; d--)
            {
                var raw = Elementwise.Expand<long>(x[d].DType == DType.Int64 ? x[d] : x[d].ToDType(DType.Int64), shape);
                var rule = new IndexRule(op, d, Wrap: true, Skip: null);
                var idx = rule.Resolve(raw, sizes[d]);
                for (int i = 0; i < lin.Length; i++) lin[i] += idx[i] * stride;
                stride *= sizes[d];
            }
            return Plain(shape, lin);
        }
    }

    /// <summary>The positions of the elements that are not zero (true), as int64 [count, rank], in row-major
    /// order.</summary>
    private sealed class NonzeroOp : MaskOp
    {
        public static readonly NonzeroOp Instance = new();
        public override string Name => "Nonzero";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Nonzero(x[0]);
        public override Tensor Compute(Tensor[] x)
        {
            var t = x[0];
            var truth = t.DType == DType.Bool ? t.Span<bool>().ToArray() : Kernels.Cast.To<bool>(t, "nonzero");
            int count = 0;
            foreach (var b in truth) if (b) count++;
            int rank = t.Rank;
            var r = new long[count * rank];
            var strides = Shapes.Strides(t.shape);
            for (int i = 0, k = 0; i < truth.Length; i++)
            {
                if (!truth[i]) continue;
                for (int d = 0, rest = i; d < rank; d++) { r[k++] = rest / strides[d]; rest %= strides[d]; }
            }
            GC.KeepAlive(t);
            return Plain([count, rank], r);
        }
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            throw ValueShaped("nonzero", "a mask of the same shape (x.Ne(0)), used with Where");
    }

    /// <summary>The error for an op whose result's shape depends on its values, under vmap.</summary>
    private static VmapException ValueShaped(string op, string instead) => new(
        $"vmap: {op} gives a result whose shape depends on the values, so the examples of a batch would give results "
        + $"of different shapes; use {instead} instead, or call {op} outside vmap");

    /// <summary>Refuses an op whose result's shape depends on the values inside vmap or compile, with what to use
    /// instead.</summary>
    private static void Eager(string op, string instead, params Tensor[] xs)
    {
        foreach (var x in xs)
        {
            if (Batching.Below(x)) throw ValueShaped(op, instead);
            if (Tracing.Below(x))
                throw new CompileException(
                    $"compile: {op} gives a result whose shape depends on the values, which a compiled program "
                    + $"cannot know while it is traced; use {instead} instead, or call {op} outside compile");
        }
    }

    /// <summary>
    /// The slices at <paramref name="index"/> (an int64 or int32 vector) along <paramref name="dim"/>, in that order,
    /// repeats allowed. As in PyTorch, indices are in [0, n): negative ones are an error here, unlike the int[] form.
    /// </summary>
    /// <example><code>
    /// Tensor.FromArray([10.0, 20.0, 30.0]).IndexSelect(0, Tensor.FromArray(new long[] { 2, 0 }))
    /// // tensor([30., 10.], dtype=float64)
    /// </code></example>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        Guard.NotNull(index);
        var idx = IndexArg(index, "indexSelect");
        int ax = Shapes.Axis(dim, shape, "indexSelect");
        if (idx.Rank > 1)
            throw new RankException(
                $"indexSelect: the index is {Shapes.Show(idx)}; it is a vector: Flatten it, or use the indexer "
                + "x[index] (axis 0, any shape) or Gather");
        return Op.Apply(new SelectRowsOp(ax, new IndexRule("indexSelect", ax, Wrap: false, Skip: null)), this,
            idx.Rank == 0 ? idx.Reshape([1]) : idx);
    }

    /// <summary>
    /// x plus <paramref name="alpha"/> times the slices of <paramref name="source"/> added at <paramref name="index"/>
    /// (an int64 or int32 vector) along <paramref name="dim"/>: slice j of source goes to slice index[j] of x;
    /// duplicates add up, in the index's order.
    /// </summary>
    /// <remarks>source has x's shape but along dim, where it has one slice per index; indices are in [0, n), as in
    /// PyTorch. Floats, int64 or int32 (integers with alpha 1).</remarks>
    /// <example><code>
    /// Tensor.Zeros([3]).IndexAdd(0, Tensor.FromArray(new long[] { 2, 2 }), Tensor.FromArray([1.0, 2.0]))
    /// // tensor([0., 0., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.index_add", "x.at[i].add", "", Notes = "sums in the index's order; alpha scales the source")]
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        Guard.NotNull(index); Guard.NotNull(source);
        var idx = IndexArg(index, "indexAdd");
        Numeric(this, "indexAdd", "input");
        int ax = Shapes.Axis(dim, shape, "indexAdd");
        if (idx.Rank > 1)
            throw new RankException($"indexAdd: the index is {Shapes.Show(idx)}; it is a vector (Flatten it)");
        Elementwise.SameDType(this, source, "indexAdd");
        bool ok = source.Rank == Rank;
        for (int d = 0; ok && d < Rank; d++) ok = source.shape[d] == (d == ax ? idx.Count : shape[d]);
        if (!ok)
            throw new ShapeMismatchException(
                $"indexAdd: the source is {Shapes.Show(source)} for the input {Shapes.Show(this)} and the index "
                + $"{Shapes.Show(idx)}; the source needs the input's shape with {idx.Count} along axis {ax}");
        if (alpha != 1 && !DType.IsFloat())
            throw new DTypeMismatchException(
                $"indexAdd: alpha {alpha} with the {DType.Name()} input {Shapes.Show(this)}; scale an integer source "
                + "yourself, or use floats");
        var src = alpha == 1 ? source : source * alpha;
        return Op.Apply(new AddRowsOp(ax, null, new IndexRule("indexAdd", ax, Wrap: false, Skip: null)), this,
            idx.Rank == 0 ? idx.Reshape([1]) : idx, src);
    }

    /// <summary>The index tensors of an advanced index as int64 tensors, a bool mask becoming the indices of its true
    /// elements (eagerly), checked against x's leading axes.</summary>
    private List<Tensor> AdvancedIndices(IReadOnlyList<Tensor> indices, string op)
    {
        var list = new List<Tensor>();
        for (int i = 0; i < indices.Count; i++)
        {
            var t = indices[i] ?? throw new ArgumentNullException(nameof(indices),
                $"{op}: index tensor {i} is null; pass int64, int32 or bool tensors");
            if (t.DType == DType.Bool)
            {
                Eager(op + " with a bool mask", "Where or MaskedFill with the mask", t);
                int at = list.Count;
                if (at + t.Rank > Rank || !Shapes.Same(t.shape, shape.AsSpan(at, t.Rank)))
                    throw new ShapeMismatchException(
                        $"{op}: the mask {Shapes.Show(t)} does not match axes {at} to {at + t.Rank - 1} of "
                        + $"{Shapes.Show(this)}; a mask covers as many axes as its rank, with their sizes");
                var nz = t.Nonzero();
                for (int c = 0; c < t.Rank; c++) list.Add(nz.Slice(1, c, c + 1).Reshape([nz.shape[0]]));
            }
            else list.Add(IndexArg(t, op, $"index tensor {i}"));
        }
        if (list.Count == 0)
            throw new ArgumentException($"{op}: no index tensors given; pass one per leading axis indexed",
                nameof(indices));
        if (list.Count > Rank)
            throw new RankException(
                $"{op}: {list.Count} index tensors for {Shapes.Show(this)} of rank {Rank}; give at most one per axis");
        return list;
    }

    /// <summary>An advanced index as one position into x's first k axes (int64), the shape it broadcasts to, and
    /// k.</summary>
    private (Tensor Lin, int[] Shape, int K) Linear(IReadOnlyList<Tensor> indices, string op)
    {
        var list = AdvancedIndices(indices, op);
        int k = list.Count;
        var b = list[0].shape;
        foreach (var t in list) b = Shapes.Broadcast(b, t.shape, op);
        var lin = new LinearIndexOp(shape[..k], op).On([.. list]);
        return (lin, b, k);
    }

    /// <summary>
    /// x with <paramref name="values"/> put (or, with <paramref name="accumulate"/>, added) at the elements that
    /// <paramref name="indices"/> name: one int64 or int32 tensor per leading axis, broadcast together, negative ones
    /// counting from the end; a bool mask stands for the positions of its true elements.
    /// </summary>
    /// <remarks>
    /// values broadcast to the indices' shape followed by x's remaining axes. Of two puts to one place the later
    /// (in row-major order of the indices) wins, and only it gets a gradient; PyTorch leaves that unspecified.
    /// Accumulated duplicates add up. A bool mask needs its values, so it runs eagerly only (not under vmap or
    /// compile).
    /// </remarks>
    /// <example><code>
    /// Tensor.Zeros([3]).IndexPut([Tensor.FromArray(new long[] { -1 })], Tensor.Scalar(7.0))
    /// // tensor([0., 0., 7.], dtype=float64)
    /// </code></example>
    [Peers("torch.index_put", "x.at[i].set, .add", "",
        Notes = "negative indices from the end; of duplicate puts the last wins (PyTorch: unspecified)")]
    public Tensor IndexPut(IReadOnlyList<Tensor> indices, Tensor values, bool accumulate = false)
    {
        Guard.NotNull(indices); Guard.NotNull(values);
        var (lin, b, k) = Linear(indices, "indexPut");
        Elementwise.SameDType(this, values, "indexPut");
        if (accumulate) Numeric(this, "indexPut", "input");
        int[] rest = shape[k..], full = [.. b, .. rest];
        if (!Shapes.Same(Shapes.Broadcast(values.shape, full, "indexPut"), full))
            throw new ShapeMismatchException(
                $"indexPut: the values {Shapes.Show(values)} do not broadcast to {Shapes.Show(full)}, the indices' "
                + $"shape {Shapes.Show(b)} followed by the axes of {Shapes.Show(this)} not indexed");
        int m = Shapes.Count(b, "indexPut"), r = Shapes.Count(rest, "indexPut");
        var rows = Reshape([Shapes.Count(shape[..k], "indexPut"), r]);
        var v = values.BroadcastTo(full).Reshape([m, r]);
        var rule = new IndexRule("indexPut", 0, Wrap: false, Skip: null, Resolved: true);
        var put = accumulate
            ? Op.Apply(new AddRowsOp(0, null, rule), rows, lin.Reshape([m]), v)
            : Op.Apply(new PutRowsOp(0, rule), rows, lin.Reshape([m]), v);
        return put.Reshape(shape);
    }

    /// <summary>
    /// The elements or slices that index tensors name, as PyTorch's <c>x[idx]</c>: one int64 or int32 tensor indexes
    /// axis 0 (the result has its shape followed by x's other axes); several, one per leading axis, broadcast together
    /// and pick elements. Negative indices count from the end.
    /// </summary>
    /// <remarks>A bool mask stands for the positions of its true elements, eagerly only (not under vmap or compile).
    /// The gradient adds back into the picked places.</remarks>
    /// <example><code>
    /// Tensor.FromArray([10.0, 20.0, 30.0])[Tensor.FromArray(new long[] { 2, -1, 0 })]
    /// // tensor([30., 30., 10.], dtype=float64)
    /// </code></example>
    [IndexerName("At")]
    public Tensor this[params Tensor[] indices]
    {
        get
        {
            Guard.NotNull(indices, "an array of index tensors", member: "this[]");
            if (Rank == 0)
                throw new RankException(
                    $"index: {Shapes.Show(this)} is a scalar, with no axis to index; read it with Item()");
            if (indices.Length == 1 && indices[0] is { DType: DType.Int64 or DType.Int32 } one)
            {
                var idx = one.Value;
                var picked = Op.Apply(new SelectRowsOp(0, new IndexRule("index", 0, Wrap: true, Skip: null)), this,
                    idx.Reshape([idx.Count]));
                return picked.Reshape([.. idx.shape, .. shape[1..]]);
            }
            var (lin, b, k) = Linear(indices, "index");
            int[] rest = shape[k..];
            int r = Shapes.Count(rest, "index");
            var rows = Reshape([Shapes.Count(shape[..k], "index"), r]);
            var rule = new IndexRule("index", 0, Wrap: false, Skip: null, Resolved: true);
            return Op.Apply(new SelectRowsOp(0, rule), rows, lin.Reshape([lin.Count])).Reshape([.. b, .. rest]);
        }
    }

    /// <summary>x with <paramref name="value"/> where the bool <paramref name="mask"/> (broadcast to x's shape) is
    /// true.</summary>
    /// <remarks>Where(mask, value, x): the filled elements get no gradient.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).MaskedFill(Tensor.FromArray([false, true]), 0.0) // tensor([1., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.masked_fill", "jnp.where", "", Notes = "a bool mask that broadcasts to x", Composed = true)]
    public Tensor MaskedFill(Tensor mask, double value)
    {
        Guard.NotNull(mask);
        return MaskedFill(mask, Scalar(value, DType));
    }

    /// <summary>x with the one-element <paramref name="value"/> (of x's dtype) where the bool
    /// <paramref name="mask"/> is true; value gets the gradient of the filled elements.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).MaskedFill(Tensor.FromArray([true, false]), Tensor.Scalar(5.0))
    /// // tensor([5., 2.], dtype=float64)
    /// </code></example>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        Guard.NotNull(mask); Guard.NotNull(value);
        if (mask.DType != DType.Bool)
            throw new DTypeMismatchException(
                $"maskedFill: the mask is {Shapes.Show(mask)}; a mask is bool: a comparison's result, or "
                + "mask.ToDType(DType.Bool)");
        if (value.Rank != 0)
            throw new RankException(
                $"maskedFill: the value is {Shapes.Show(value)}; it is one element (a scalar tensor): use Where for a "
                + "tensor of values");
        if (!Shapes.Same(Shapes.Broadcast(mask.shape, shape, "maskedFill"), shape))
            throw new ShapeMismatchException(
                $"maskedFill: the mask {Shapes.Show(mask)} does not broadcast to x {Shapes.Show(this)}; the result has "
                + "x's shape");
        return Where(mask, value, this);
    }

    /// <summary>The positions of the elements that are not zero (or true), as int64 [count, rank] in row-major
    /// order.</summary>
    /// <remarks>The result's shape depends on the values: it runs eagerly, and under vmap or compile it is an error
    /// (a mask, x.Ne(0), keeps the shape).</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.0, 3.0, 0.0, 4.0]).Nonzero() // tensor([[1], [3]], dtype=int64)
    /// </code></example>
    [Peers("torch.nonzero", "jnp.nonzero", "", Notes = "eager only: shapes depend on values")]
    public Tensor Nonzero()
    {
        Eager("nonzero", "a mask of the same shape (x.Ne(0)), used with Where", this);
        return NonzeroOp.Instance.On(this);
    }

    /// <summary>The elements where the bool <paramref name="mask"/> is true, x and mask broadcast together, as a
    /// vector in row-major order.</summary>
    /// <remarks>The result's shape depends on the mask's values: it runs eagerly, and under vmap or compile it is an
    /// error (MaskedFill or Where keeps the shape). The gradient goes back to the selected elements.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0]).MaskedSelect(Tensor.FromArray([true, false, true]))
    /// // tensor([1., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.masked_select", "x[mask]", "", Notes = "eager only: shapes depend on values", Composed = true)]
    public Tensor MaskedSelect(Tensor mask)
    {
        Guard.NotNull(mask);
        if (mask.DType != DType.Bool)
            throw new DTypeMismatchException(
                $"maskedSelect: the mask is {Shapes.Show(mask)}; a mask is bool: a comparison's result, or "
                + "mask.ToDType(DType.Bool)");
        Eager("maskedSelect", "MaskedFill or Where, which keep the shape", this, mask);
        var s = Shapes.Broadcast(shape, mask.shape, "maskedSelect");
        int n = Shapes.Count(s, "maskedSelect");
        var at = mask.BroadcastTo(s).Reshape([n]).Nonzero();
        return BroadcastTo(s).Reshape([n]).IndexSelect(0, at.Reshape([at.shape[0]]));
    }
}
