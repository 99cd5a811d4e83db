using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Gather and scatter along one axis by an index tensor of the data's rank (int64 or int32), as PyTorch's gather,
// scatter, scatter_add and scatter_reduce: the index's element at a position names, along the axis, the data element
// read or written there. Gather's transpose is a scatter-add into zeros and the reverse, so every order of derivative
// is these ops again. Indices are never differentiated, and are never negative (as in PyTorch). A plain scatter writes
// duplicate targets in the index's row-major order, so the last write wins, and only that source element gets a
// gradient; PyTorch leaves the winner unspecified.
public sealed partial class Tensor
{
    /// <summary>An index argument checked to be an integer tensor, as its value (an index is never
    /// differentiated).</summary>
    private static Tensor IndexArg(Tensor index, string op, string what = "index")
    {
        if (index.DType is not (DType.Int64 or DType.Int32))
            throw new DTypeMismatchException(
                $"{op}: the {what} is {Shapes.Show(index)}; indices are int64 or int32 tensors: convert them with "
                + "ToDType(DType.Int64) (floats truncate toward zero)");
        return index.Value;
    }

    /// <summary>A tensor of data for an op that computes with numbers: float, int64 or int32.</summary>
    private static void Numeric(Tensor x, string op, string what)
    {
        if (x.DType == DType.Bool)
            throw new DTypeMismatchException(
                $"{op}: the {what} is {Shapes.Show(x)}; it adds numbers: convert it with ToDType(DType.Int64), or "
                + "ToDType of a float dtype");
    }

    /// <summary>The plain array a write kernel fills: the data's copy, or zeros.</summary>
    private static T[] Start<T>(Tensor? data, int count, out Lease? lease) where T : unmanaged
    {
        var a = Storage.Uninitialized<T>(count, out lease);
        if (data is null) a.AsSpan().Clear();
        else data.Span<T>().CopyTo(a);
        return a;
    }

    /// <summary>The positions 0, 1, … of a tensor of <paramref name="shape"/> in row-major order, as int64 on
    /// <paramref name="device"/>.</summary>
    private static Tensor Positions(int[] shape, Device device)
    {
        var p = Arange(0, Shapes.Count(shape, "positions"), dtype: DType.Int64).Reshape(shape);
        return p.Device == device ? p : p.To(device);
    }

    /// <summary>Gathers x along <paramref name="dim"/> at the index (x, index): the result has the index's shape.
    /// <paramref name="names"/> name the public op and its data in errors.</summary>
    private sealed class GatherOp(int dim, AxisNames? names = null) : CopyOp
    {
        private readonly AxisNames names = names ?? AxisNames.Gather;
        public override string Name => "Gather";
        internal override object Identity => ("Gather", dim, names);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Gather(x[0], dim, x[1]);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (x, index) = (xs[0], xs[1]);
            var y = Storage.Uninitialized<T>(index.Count, out var lease);
            AlongAxis.Gather(x.Buffer<T>(), AlongAxis.Indices(index), new AxisGeometry(index.shape, dim, x.shape), y,
                names, x.shape, x.DType);
            GC.KeepAlive(x);
            return Plain(index.shape, y, lease);
        }
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new ScatterAddOp(dim, x[0].shape), x[1], g), null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!, x[1]);

        // A shared input and a mapped index: the examples' indices side by side along the axis, one gather. Otherwise
        // both batches first (a shared index repeated), gathered past the batch axis.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            if (axes[0] is null)
            {
                var index = Batching.Moved(x[1], axes[1]!.Value, dim);
                var s = index.shape;
                int[] merged = [.. s[..dim], s[dim] * s[dim + 1], .. s[(dim + 2)..]];
                return (Op.Apply(this, x[0], index.Reshape(merged)).Reshape(s), dim);
            }
            var data = Batching.Moved(x[0], axes[0]!.Value, 0);
            var idx = axes[1] is int b ? Batching.Moved(x[1], b, 0) : Batching.Repeated(x[1], size);
            return (Op.Apply(new GatherOp(dim + 1, names.Batched), data, idx), 0);
        }
    }

    /// <summary>(self, index, src) with src written at the index along <paramref name="dim"/>, the last of duplicate
    /// writes winning; any dtype. src has the index's shape.</summary>
    private sealed class ScatterOp(int dim, AxisNames? names = null) : CopyOp
    {
        private readonly AxisNames names = names ?? AxisNames.Scatter;
        public override string Name => "Scatter";
        internal override object Identity => ("Scatter", dim, names);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scatter(x[0], dim, x[1], x[2]);
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var (self, index, src) = (xs[0], xs[1], xs[2]);
            var y = Start<T>(self, self.Count, out var lease);
            AlongAxis.Scatter(y, AlongAxis.Indices(index), new AxisGeometry(index.shape, dim, self.shape),
                src.Buffer<T>(), names, self.shape, self.DType);
            GC.KeepAlive(src);
            return Plain(self.shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (index, src) = (x[1], x[2]);
            return
            [
                needs[0] ? Op.Apply(this, g, index, ZerosLike(src)) : null,
                null,
                needs[2] ? Where(Winners(dim, index, x[0].shape), Op.Apply(new GatherOp(dim), g, index), g.Const(0))
                    : null,
            ];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Op.Apply(this, dx[0] ?? ZerosLike(x[0]), x[1], dx[2] ?? ZerosLike(x[2]));

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new ScatterOp(dim + 1, names.Batched), AllBatched(x, axes, size)), 0);
    }

    /// <summary>Every argument's batch first, a shared one repeated: the scatter ops' batching rules.</summary>
    private static Tensor[] AllBatched(Tensor[] x, int?[] axes, int size)
    {
        var r = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = axes[i] is int a ? Batching.Moved(x[i], a, 0) : Batching.Repeated(x[i], size);
        return r;
    }

    /// <summary>True at the index's positions whose write a scatter keeps: the last of those to each target in
    /// row-major order. Found by scattering the positions themselves and reading back which one stayed.</summary>
    private static Tensor Winners(int dim, Tensor index, int[] selfShape)
    {
        var pos = Positions(index.shape, index.Device);
        var last = Op.Apply(new ScatterOp(dim), Beside(Full(selfShape, -1, DType.Int64), index), index, pos);
        return Op.Apply(new GatherOp(dim), last, index).Eq(pos);
    }

    /// <summary>
    /// (self, index, src): self plus src added at the index along <paramref name="dim"/>; or, with
    /// <paramref name="zeros"/> given, (index, src) added into zeros of that shape (gather's transpose).
    /// </summary>
    private sealed class ScatterAddOp(int dim, int[]? zeros = null, AxisNames? names = null) : Op, INumericOp
    {
        private readonly AxisNames names = names ?? AxisNames.ScatterAdd;
        public override string Name => "ScatterAdd";
        internal override bool AnyDType => true;
        internal override object Identity =>
            zeros is null ? ("ScatterAdd", dim, names) : ("ScatterAdd", dim, Shapes.Show(zeros), names);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
            b.ScatterAdd(zeros is null ? x[0] : null, zeros, dim, x[^2], x[^1]);

        public override Tensor Compute(Tensor[] x) => NumericDType.Compute(this, x[^1].DType, x);

        Tensor INumericOp.Compute<T>(Tensor[] x)
        {
            var (index, src) = (x[^2], x[^1]);
            var self = zeros is null ? x[0] : null;
            var shape = self?.shape ?? zeros!;
            int count = Shapes.Count(shape, "scatterAdd");
            var y = self is null ? Storage.Uninitialized<T>(count, out var lease) : Start<T>(self, count, out lease);
            AlongAxis.ScatterAdd(y, AlongAxis.Indices(index), new AxisGeometry(index.shape, dim, shape),
                src.Buffer<T>(), names, shape, src.DType, clear: self is null);
            GC.KeepAlive(src);
            return Plain(shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var gathered = needs[x.Length - 1] ? Op.Apply(new GatherOp(dim), g, x[^2]) : null;
            return zeros is null ? [g, null, gathered] : [null, gathered];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var dsrc = dx[^1] ?? ZerosLike(x[^1]);
            return zeros is null ? Op.Apply(this, dx[0] ?? ZerosLike(x[0]), x[1], dsrc) : Op.Apply(this, x[0], dsrc);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new ScatterAddOp(dim + 1, zeros is null ? null : [size, .. zeros], names.Batched),
                AllBatched(x, axes, size)), 0);
    }

    /// <summary>
    /// (self, index, src) reduced at the index along <paramref name="dim"/>: sum, prod, mean, amax or amin, self's own
    /// element included or not. Floats only. Rules, in the ops of this file:
    /// <list type="bullet">
    /// <item>sum: self's cotangent is g (zero where an index lands, without self), src's is g gathered.</item>
    /// <item>mean: the same divided by each target's number of terms.</item>
    /// <item>amax, amin: g shared evenly among the terms equal to the result (ties), as PyTorch does.</item>
    /// <item>prod: g times the product of the other terms: the result over the term where no term is zero; where one
    /// is, the product of the others for that one and zero for the rest; zero everywhere with two zeros. The first
    /// derivative is exact at zeros; higher ones are exact away from them.</item>
    /// </list>
    /// </summary>
    private sealed class ScatterReduceOp(int dim, string reduce, bool includeSelf, AxisNames? names = null) : Op
    {
        private readonly AxisNames names = names ?? AxisNames.ScatterReduce;
        public override string Name => "ScatterReduce";
        internal override bool AnyDType => true;
        internal override object Identity => ("ScatterReduce", dim, reduce, includeSelf, names);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
            b.ScatterReduce(x[0], dim, x[1], x[2], reduce, includeSelf);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x) : Compute<float>(x);

        private Tensor Compute<T>(Tensor[] x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (self, index, src) = (x[0], x[1], x[2]);
            var y = Start<T>(self, self.Count, out var lease);
            AlongAxis.ScatterReduce(y, AlongAxis.Indices(index), new AxisGeometry(index.shape, dim, self.shape),
                src.Buffer<T>(), reduce, includeSelf, names, self.shape, self.DType);
            GC.KeepAlive(src);
            return Plain(self.shape, y, lease);
        }

        private Tensor Gathered(Tensor t, Tensor index) => Op.Apply(new GatherOp(dim), t, index);
        private Tensor Added(Tensor self, Tensor index, Tensor src) =>
            Op.Apply(new ScatterAddOp(dim), self, index, src);

        /// <summary>How many src terms land on each element of self (float, self's shape).</summary>
        private Tensor Counts(Tensor self, Tensor index, Tensor src) =>
            Added(ZerosLike(self), index, OnesLike(src));

        /// <summary>The factors of the first derivative with respect to self (null: self excluded) and to src, at the
        /// arguments x and the result y: the JVP is their products with the tangents scattered, the VJP with the
        /// cotangent gathered.</summary>
        private (Tensor? Self, Tensor Src, Tensor Touched) Factors(Tensor[] x, Tensor y)
        {
            var (self, index, src) = (x[0], x[1], x[2]);
            var touched = Counts(self, index, src).Gt(self.Const(0));
            var (s, r) = reduce switch
            {
                "sum" => (includeSelf ? OnesLike(self) : null, OnesLike(src)),
                "mean" => MeanFactors(self, index, src),
                "prod" => ProdFactors(self, index, src),
                _ => ExtremeFactors(self, index, src, y),
            };
            return (s, r, touched);
        }

        // Each target's terms counted, self among them where included: the factor is one over the count.
        private (Tensor?, Tensor) MeanFactors(Tensor self, Tensor index, Tensor src)
        {
            var n = Counts(self, index, src) + (includeSelf ? 1.0 : 0.0);
            var inverse = Where(n.Eq(self.Const(0)), self.Const(1), n).Reciprocal();
            return (includeSelf ? inverse : null, Gathered(inverse, index));
        }

        // The terms equal to the result share it evenly.
        private (Tensor?, Tensor) ExtremeFactors(Tensor self, Tensor index, Tensor src, Tensor y)
        {
            var zero = self.Const(0);
            var srcHit = src.Eq(Gathered(y, index));
            var selfHit = includeSelf ? self.Eq(y).ToDType(self.DType) : ZerosLike(self);
            var count = Added(selfHit, index, srcHit.ToDType(self.DType));
            var inverse = Where(count.Eq(zero), self.Const(1), count).Reciprocal();
            return (includeSelf ? selfHit * inverse : null, Where(srcHit, Gathered(inverse, index), zero));
        }

        // The product of the other terms: of the non-zero terms (this op on the terms with zeros made ones), over
        // the term itself where no term is zero; itself where the term is the only zero; else zero.
        private (Tensor?, Tensor) ProdFactors(Tensor self, Tensor index, Tensor src)
        {
            var (zero, one) = (self.Const(0), self.Const(1));
            var srcZero = src.Eq(zero);
            var srcSafe = Where(srcZero, one, src);
            var selfZero = self.Eq(zero);
            var selfSafe = Where(selfZero, one, self);
            var others = Op.Apply(this, includeSelf ? selfSafe : self, index, srcSafe);
            var zeros = Added(includeSelf ? selfZero.ToDType(self.DType) : ZerosLike(self), index,
                srcZero.ToDType(self.DType));
            Tensor Factor(Tensor isZero, Tensor safe, Tensor product, Tensor zerosThere) =>
                Where(isZero, Where(zerosThere.Eq(one), product, zero),
                    Where(zerosThere.Eq(zero), product / safe, zero));
            return (includeSelf ? Factor(selfZero, selfSafe, others, zeros) : null,
                Factor(srcZero, srcSafe, Gathered(others, index), Gathered(zeros, index)));
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (s, r, touched) = Factors(x, y);
            return
            [
                needs[0] ? (s is null ? Where(touched, g.Const(0), g) : g * s) : null,
                null,
                needs[2] ? Gathered(g, x[1]) * r : null,
            ];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var (s, r, touched) = Factors(x, y);
            var dself = dx[0] ?? ZerosLike(x[0]);
            var start = s is null ? Where(touched, x[0].Const(0), dself) : dself * s;
            return Added(start, x[1], (dx[2] ?? ZerosLike(x[2])) * r);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
            (Op.Apply(new ScatterReduceOp(dim + 1, reduce, includeSelf, names.Batched), AllBatched(x, axes, size)),
                0);
    }

    /// <summary>
    /// Checks the shapes of a gather or scatter (index and data of one rank; the index no larger than the data along
    /// every axis but <paramref name="dim"/>, nor than the source along any), and returns the axis.
    /// </summary>
    private static int AlongChecked(string op, Tensor data, int dim, Tensor index, Tensor? src)
    {
        int ax = Shapes.Axis(dim, data.shape, op);
        if (index.Rank != data.Rank)
            throw new RankException(
                $"{op}: the index is {Shapes.Show(index)} but the input is {Shapes.Show(data)}; the index needs the "
                + "input's rank (Unsqueeze or Reshape it)");
        for (int d = 0; d < index.Rank; d++)
        {
            if (d != ax && index.shape[d] > data.shape[d])
                throw new ShapeMismatchException(
                    $"{op}: the index {Shapes.Show(index)} is larger than the input {Shapes.Show(data)} along axis {d} "
                    + $"({index.shape[d]} > {data.shape[d]}); it may be larger only along axis {ax}, the one indexed");
            if (src is not null && index.shape[d] > src.shape[d])
                throw new ShapeMismatchException(
                    $"{op}: the index {Shapes.Show(index)} is larger than the source {Shapes.Show(src)} along axis {d} "
                    + $"({index.shape[d]} > {src.shape[d]}); the source needs an element for every index");
        }
        if (src is not null)
        {
            if (src.Rank != data.Rank)
                throw new RankException(
                    $"{op}: the source is {Shapes.Show(src)} but the input is {Shapes.Show(data)}; give them one rank");
            Elementwise.SameDType(data, src, op);
        }
        return ax;
    }

    /// <summary>The part of src that the index reads: its leading block of the index's shape (as PyTorch reads a
    /// larger source).</summary>
    private static Tensor Block(Tensor src, Tensor index)
    {
        if (Shapes.Same(src.shape, index.shape)) return src;
        var r = new Range[src.Rank];
        for (int d = 0; d < r.Length; d++) r[d] = 0..index.shape[d];
        return src.Slice(r);
    }

    /// <summary>
    /// The values at the index along <paramref name="dim"/>: <c>out[i][j] = x[index[i][j]][j]</c> for dim 0, and so on.
    /// The index (int64 or int32) has x's rank, and is no larger than x along the other axes; the result has its shape.
    /// </summary>
    /// <remarks>Indices are in [0, n) for an axis of size n; negative ones are an error, as in PyTorch. The gradient
    /// adds back into x (a scatter-add), duplicates summing.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).Gather(1, Tensor.FromArray(new long[] { 1, 0 }, [2, 1]))
    /// // tensor([[2.], [3.]], dtype=float64)
    /// </code></example>
    [Peers("torch.gather", "jnp.take_along_axis", "dsharp.gather",
        Notes = "index of x's rank; no negative indices; the gradient scatter-adds")]
    public Tensor Gather(int dim, Tensor index)
    {
        Guard.NotNull(index);
        var idx = IndexArg(index, "gather");
        if (Rank == 0 && idx.Rank == 0) return Reshape([1]).Gather(0, idx.Reshape([1])).Reshape([]);
        int ax = AlongChecked("gather", this, dim, idx, null);
        return Op.Apply(new GatherOp(ax), this, idx);
    }

    /// <summary>
    /// The values at <paramref name="indices"/> along <paramref name="dim"/>, the two broadcasting against each other
    /// along the other axes; without a dim, of x and the indices flattened.
    /// </summary>
    /// <remarks>A <see cref="Gather"/> after broadcasting, so indices are in [0, n), as in PyTorch.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 5 }, { 7, 3 } })
    ///     .TakeAlongDim(Tensor.FromArray(new long[] { 1, 0 }, [2, 1]), 1) // tensor([[5.], [7.]], dtype=float64)
    /// </code></example>
    [Peers("torch.take_along_dim", "jnp.take_along_axis", "", Notes = "indices broadcast; no negative indices",
        Composed = true)]
    public Tensor TakeAlongDim(Tensor indices, int? dim = null)
    {
        Guard.NotNull(indices);
        var idx = IndexArg(indices, "takeAlongDim", "indices");
        if (dim is not int d) return Reshape([Count]).Gather(0, idx.Reshape([idx.Count]));
        int ax = Shapes.Axis(d, shape, "takeAlongDim");
        if (idx.Rank != Rank)
            throw new RankException(
                $"takeAlongDim: the indices are {Shapes.Show(idx)} but the input is {Shapes.Show(this)}; they need "
                + "one rank (Unsqueeze the indices)");
        var xs = (int[])shape.Clone();
        var ix = (int[])idx.shape.Clone();
        for (int a = 0; a < Rank; a++)
        {
            if (a == ax) continue;
            int n = shape[a], m = idx.shape[a];
            if (n != m && n != 1 && m != 1)
                throw new ShapeMismatchException(
                    $"takeAlongDim: the input {Shapes.Show(this)} and the indices {Shapes.Show(idx)} do not broadcast "
                    + $"along axis {a} ({n} and {m}); they must be equal or 1 on every axis but {ax}");
            xs[a] = ix[a] = Math.Max(n, m);
        }
        return BroadcastTo(xs).Gather(ax, idx.BroadcastTo(ix));
    }

    /// <summary>
    /// x with <paramref name="src"/> written at the index along <paramref name="dim"/>: <c>out[index[i][j]][j] =
    /// src[i][j]</c> for dim 0. Where two positions of the index name one element, the later in row-major order wins.
    /// </summary>
    /// <remarks>
    /// The index has x's rank, is no larger than src along any axis (a larger src is read in its leading block) and
    /// no larger than x but along dim; indices are in [0, n). PyTorch leaves the winner of duplicates unspecified;
    /// here it is the last, and only the kept elements of src get a gradient. Any dtype.
    /// </remarks>
    /// <example><code>
    /// Tensor.Zeros([3]).Scatter(0, Tensor.FromArray(new long[] { 2, 0, 2 }), Tensor.FromArray([1.0, 2.0, 3.0]))
    /// // tensor([2., 0., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.scatter", "x.at[i].set", "dsharp.scatter",
        Notes = "of duplicate targets the last write wins (PyTorch: unspecified); no negative indices")]
    public Tensor Scatter(int dim, Tensor index, Tensor src)
    {
        Guard.NotNull(index); Guard.NotNull(src);
        var idx = IndexArg(index, "scatter");
        if (Rank == 0 && idx.Rank == 0 && src.Rank == 0)
            return Reshape([1]).Scatter(0, idx.Reshape([1]), src.Reshape([1])).Reshape([]);
        int ax = AlongChecked("scatter", this, dim, idx, src);
        return Op.Apply(new ScatterOp(ax), this, idx, Block(src, idx));
    }

    /// <summary>x with <paramref name="value"/> written at the index along <paramref name="dim"/>.</summary>
    /// <remarks>As <see cref="Scatter(int, Tensor, Tensor)"/> with a source of that value; the written elements get no
    /// gradient.</remarks>
    /// <example><code>
    /// Tensor.Zeros([3]).Scatter(0, Tensor.FromArray(new long[] { 1 }), 5.0) // tensor([0., 5., 0.], dtype=float64)
    /// </code></example>
    public Tensor Scatter(int dim, Tensor index, double value)
    {
        Guard.NotNull(index);
        var idx = IndexArg(index, "scatter");
        return Scatter(dim, idx, Beside(Full(idx.shape, value, DType), this));
    }

    /// <summary>
    /// x plus <paramref name="src"/> added at the index along <paramref name="dim"/>: <c>out[index[i][j]][j] +=
    /// src[i][j]</c> for dim 0; duplicates add up, in the index's row-major order.
    /// </summary>
    /// <remarks>Shapes as <see cref="Scatter(int, Tensor, Tensor)"/>; floats, int64 or int32. The gradient is g for x
    /// and g gathered at the index for src.</remarks>
    /// <example><code>
    /// Tensor.Zeros([2]).ScatterAdd(0, Tensor.FromArray(new long[] { 1, 1, 0 }), Tensor.FromArray([1.0, 2.0, 4.0]))
    /// // tensor([4., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.scatter_add", "x.at[i].add", "", Notes = "sums in the index's order, the same bits run after run")]
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        Guard.NotNull(index); Guard.NotNull(src);
        var idx = IndexArg(index, "scatterAdd");
        Numeric(this, "scatterAdd", "input");
        if (Rank == 0 && idx.Rank == 0 && src.Rank == 0)
            return Reshape([1]).ScatterAdd(0, idx.Reshape([1]), src.Reshape([1])).Reshape([]);
        int ax = AlongChecked("scatterAdd", this, dim, idx, src);
        return Op.Apply(new ScatterAddOp(ax), this, idx, Block(src, idx));
    }

    /// <summary>
    /// x with <paramref name="src"/> reduced into it at the index along <paramref name="dim"/>:
    /// <paramref name="reduce"/> is "sum", "prod", "mean", "amax" or "amin", over x's own element too unless
    /// <paramref name="includeSelf"/> is false.
    /// </summary>
    /// <remarks>
    /// Elements that no index reaches keep x's value. Gradients: amax and amin share g evenly among the terms equal to
    /// the result; prod's is exact at zero terms to first order. Floats only; shapes as
    /// <see cref="Scatter(int, Tensor, Tensor)"/>.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 1.0]).ScatterReduce(0, Tensor.FromArray(new long[] { 0, 0, 1 }),
    ///     Tensor.FromArray([2.0, 4.0, 3.0]), "amax", includeSelf: false) // tensor([4., 3.], dtype=float64)
    /// </code></example>
    [Peers("torch.scatter_reduce", "x.at[i].max, .min, .mul", "",
        Notes = "sum, prod, mean, amax, amin; ties share the gradient")]
    public Tensor ScatterReduce(int dim, Tensor index, Tensor src, string reduce, bool includeSelf = true)
    {
        Guard.NotNull(index); Guard.NotNull(src); Guard.NotNull(reduce);
        var idx = IndexArg(index, "scatterReduce");
        if (reduce is not ("sum" or "prod" or "mean" or "amax" or "amin"))
            throw new ArgumentException(
                $"scatterReduce: reduce is \"{reduce}\"; use \"sum\", \"prod\", \"mean\", \"amax\" or \"amin\"",
                nameof(reduce));
        if (!DType.IsFloat())
            throw new DTypeMismatchException(
                $"scatterReduce: the input is {Shapes.Show(this)}; it reduces floats: convert with ToDType first");
        if (Rank == 0 && idx.Rank == 0 && src.Rank == 0)
            return Reshape([1]).ScatterReduce(0, idx.Reshape([1]), src.Reshape([1]), reduce, includeSelf).Reshape([]);
        int ax = AlongChecked("scatterReduce", this, dim, idx, src);
        return Op.Apply(new ScatterReduceOp(ax, reduce, includeSelf), this, idx, Block(src, idx));
    }
}
