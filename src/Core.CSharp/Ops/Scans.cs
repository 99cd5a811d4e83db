using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Scans along one axis: element i of the result combines elements 0 … i (running sums, products, log-sum-exps,
// maxima and minima). Each is one O(n) pass (Kernels/Scan.cs), and each rule is a scan again, in FuncGrad's ops: the
// sum's transpose is the reversed sum, and the product's and the log-sum-exp's rules are one linear recurrence
// (LinearScanOp) that needs no division, so zeros and ±1e4 are exact and finite at every order.
public sealed partial class Tensor
{
    /// <summary>The batching rule of a scan of one argument: the op made for the scan axis shifted past the batch
    /// axis <paramref name="k"/>, run once on the batch, whose batch axis stays k.</summary>
    private static (Tensor, int?) Rescanned(Tensor x, int k, int axis, Func<int, Op> op) =>
        (Op.Apply(op(axis < k ? axis : axis + 1), x), k);

    /// <summary>A running sum, from the last element back to the first where <paramref name="reverse"/>: its transpose
    /// is the same sum run the other way.</summary>
    private sealed class CumsumOp(int axis, bool reverse) : Op
    {
        public override string Name => "Cumsum";
        internal override bool AnyDType => true;
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        internal override object Identity => ("Cumsum", axis, reverse);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scan("Cumsum", x[0], axis, reverse);
        public override Tensor Compute(Tensor[] x) => Cumulative<SumStep>(x[0], axis, reverse, "cumsum", "sum");
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new CumsumOp(axis, !reverse), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Rescanned(x[0], at[0]!.Value, axis, a => new CumsumOp(a, reverse));
    }

    /// <summary>
    /// A running product. Its rules never divide by x: ∂y_i/∂x_j = y_(j−1) · x_(j+1) ⋯ x_i for j ≤ i, the prefix before
    /// x_j times a product after it, which the linear recurrence λ_j = g_j + x_(j+1) λ_(j+1) sums over i. So they are
    /// exact where elements are zero, one or many, at every order.
    /// </summary>
    private sealed class CumprodOp(int axis) : Op
    {
        public override string Name => "Cumprod";
        internal override bool AnyDType => true;
        public override bool ReadsValuesOnly => true;
        internal override object Identity => ("Cumprod", axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scan("Cumprod", x[0], axis, false);
        public override Tensor Compute(Tensor[] x) => Cumulative<ProdStep>(x[0], axis, false, "cumprod", "product");
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Exclusive(y, axis) * LinearScan(Shifted(x[0], axis, -1), g, axis, reverse: true)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            LinearScan(x[0], Exclusive(y, axis) * dx[0]!, axis, reverse: false);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Rescanned(x[0], at[0]!.Value, axis, a => new CumprodOp(a));
    }

    /// <summary>
    /// log Σ_(j ≤ i) e^(x_j), one log-add-exp per element. Its rules weigh x_j by e^(x_j − y_i) ≤ 1, carried along the
    /// axis by the recurrence with factors e^(y_i − y_(i+1)) ≤ 1, so no exponent is ever positive; positions where y is
    /// −inf (all −inf so far) get weight 0, not NaN.
    /// </summary>
    private sealed class LogcumsumexpOp(int axis) : Op
    {
        public override string Name => "Logcumsumexp";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => ("Logcumsumexp", axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scan("Logcumsumexp", x[0], axis, false);
        public override Tensor Compute(Tensor[] x) =>
            Cumulative<LogAddExpStep>(x[0], axis, false, "logcumsumexp", "log-sum-exp");
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [ShareOf(x[0], y) * LinearScan(Decay(y, axis, toNext: true), g, axis, reverse: true)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            LinearScan(Decay(y, axis, toNext: false), ShareOf(x[0], y) * dx[0]!, axis, reverse: false);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Rescanned(x[0], at[0]!.Value, axis, a => new LogcumsumexpOp(a));

        /// <summary>e^(x − y): x's share of the log-sum-exp up to it, in [0, 1]; 0 where y is −inf.</summary>
        private static Tensor ShareOf(Tensor x, Tensor y)
        {
            var inf = y.Const(double.NegativeInfinity);
            return Where(y.Eq(inf), inf, x - y).Exp();
        }

        /// <summary>
        /// e^(y_i − y_(i+1)) (toward the next element: the reverse recurrence of the VJP) or e^(y_(i−1) − y_i)
        /// (from the previous one: the JVP's), each in [0, 1]. The end the recurrence does not read compares y with
        /// itself, and a −inf y gives 0, so every exponent is finite or −inf and no NaN reaches a higher order.
        /// </summary>
        private static Tensor Decay(Tensor y, int axis, bool toNext)
        {
            int n = y.shape[axis];
            if (n <= 1) return OnesLikeOf(y);
            var other = toNext
                ? Concat([Part(y, axis, 1, n - 1), Part(y, axis, n - 1, 1)], axis)
                : Concat([Part(y, axis, 0, 1), Part(y, axis, 0, n - 1)], axis);
            var inf = y.Const(double.NegativeInfinity);
            return Where(y.Eq(inf), inf, toNext ? y - other : other - y).Exp();
        }
    }

    /// <summary>
    /// h_k = a_k · h_(k−1) + b_k along the axis (h_(k+1) where reversed), from h_first = b_first, whose a is not read:
    /// the recurrence behind the rules of cumprod and logcumsumexp. Its own rules are the same recurrence: the VJP runs
    /// it the other way with the coefficients moved one place, λ = scan(a_next, g), giving b the cotangent λ and a the
    /// cotangent λ · h_prev; the JVP runs it the same way on da · h_prev + db.
    /// </summary>
    private sealed class LinearScanOp(int axis, bool reverse) : Op
    {
        public override string Name => "LinearScan";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => ("LinearScan", axis, reverse);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.LinearScan(x[0], x[1], axis, reverse);
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Elementwise.SameDType(a, b, Name);
            var (outer, n, inner) = AroundAxis(a.shape, axis);
            var h = Storage.Uninitialized<T>(a.Count, out var lease);
            Scan.Linear(a.Buffer<T>(), b.Buffer<T>(), h, outer, n, inner, reverse);
            return Plain(a.shape, h, lease);
        }

        /// <summary>Toward the previous element of the recurrence: +1 forward, −1 reversed.</summary>
        private int Back => reverse ? -1 : 1;

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var lambda = LinearScan(Shifted(x[0], axis, -Back), g, axis, !reverse);
            return [needs[0] ? lambda * Shifted(y, axis, Back) : null, lambda];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var drive = dx[0] is { } da ? da * Shifted(y, axis, Back) : null;
            drive = drive is null ? dx[1]! : dx[1] is { } db ? drive + db : drive;
            return LinearScan(x[0], drive, axis, reverse);
        }

        // Both arguments as batches along axis 0 (one that every example shares repeated), scanned past it.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            var a = at[0] is int i ? Batching.Moved(x[0], i, 0) : Batching.Repeated(x[0], size);
            var b = at[1] is int j ? Batching.Moved(x[1], j, 0) : Batching.Repeated(x[1], size);
            return (LinearScan(a, b, axis + 1, reverse), 0);
        }
    }

    private static Tensor LinearScan(Tensor a, Tensor b, int axis, bool reverse) =>
        Op.Apply(new LinearScanOp(axis, reverse), a, b);

    /// <summary>
    /// The running maximum (or minimum) itself. Its derivative is the element it holds: the VJP adds each cotangent to
    /// the position the index reports (RouteOp scattering), the JVP reads the tangent there (RouteOp gathering).
    /// </summary>
    private sealed class CumExtremeOp(bool max, int axis) : Op, INumericOp
    {
        public override string Name => max ? "Cummax" : "Cummin";
        internal override bool AnyDType => true;
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (Name, axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scan(Name, x[0], axis, false);
        public override Tensor Compute(Tensor[] x) => NumericDType.Compute(this, x[0].DType, x);

        Tensor INumericOp.Compute<T>(Tensor[] xs)
        {
            var x = xs[0];
            var (outer, n, inner) = AroundAxis(x.shape, axis);
            var v = Storage.Uninitialized<T>(x.Count, out var lease);
            Scan.Extreme(x.Buffer<T>(), v, null, outer, n, inner, max);
            return Plain(x.shape, v, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new RouteOp(max, axis, scatter: true), g, x[0])];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            Op.Apply(new RouteOp(max, axis, scatter: false), dx[0]!, x[0]);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Rescanned(x[0], at[0]!.Value, axis, a => new CumExtremeOp(max, a));
    }

    /// <summary>Where the running maximum (or minimum) was found: int64 positions along the axis, never
    /// differentiated.</summary>
    private sealed class CumArgExtremeOp(bool max, int axis) : MaskOp
    {
        public override string Name => max ? "CummaxIndices" : "CumminIndices";
        internal override object Identity => (Name, axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Scan(Name, x[0], axis, false);
        public override Tensor Compute(Tensor[] x) => Plain(x[0].shape, Positions(x[0], max, axis));
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Rescanned(x[0], at[0]!.Value, axis, a => new CumArgExtremeOp(max, a));
    }

    private static long[] Positions(Tensor x, bool max, int axis)
    {
        var (outer, n, inner) = AroundAxis(x.shape, axis);
        var at = new long[x.Count];
        switch (x.DType)
        {
            case DType.Float64: Scan.Extreme<double>(x.Buffer<double>(), null, at, outer, n, inner, max); break;
            case DType.Float32: Scan.Extreme<float>(x.Buffer<float>(), null, at, outer, n, inner, max); break;
            case DType.Int64: Scan.Extreme<long>(x.Buffer<long>(), null, at, outer, n, inner, max); break;
            default: Scan.Extreme<int>(x.Buffer<int>(), null, at, outer, n, inner, max); break;
        }
        return at;
    }

    /// <summary>
    /// v moved along the axis by the positions of x's running maximum (or minimum): gathered from them (the JVP of
    /// cummax) or added into them (its VJP). Linear in v, each the other's transpose; x only chooses the positions and
    /// gets no cotangent (the positions are constant where the derivative exists).
    /// </summary>
    private sealed class RouteOp(bool max, int axis, bool scatter) : Op
    {
        public override string Name => scatter ? "CumExtremeScatter" : "CumExtremeGather";
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (Name, max, axis);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
            b.RouteExtreme(max ? "Cummax" : "Cummin", x[0], x[1], axis, scatter);
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);

        private Tensor Compute<T>(Tensor v, Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Elementwise.SameDType(v, x, Name);
            var (outer, n, inner) = AroundAxis(v.shape, axis);
            var r = Storage.Uninitialized<T>(v.Count, out var lease);
            Scan.Route(v.Buffer<T>(), Positions(x, max, axis), r, outer, n, inner, scatter);
            return Plain(v.shape, r, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new RouteOp(max, axis, !scatter), g, x[1]), null];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            dx[0] is { } dv ? Op.Apply(this, dv, x[1]) : y.Const(0).BroadcastTo(y.shape);

        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            var v = at[0] is int i ? Batching.Moved(x[0], i, 0) : Batching.Repeated(x[0], size);
            var s = at[1] is int j ? Batching.Moved(x[1], j, 0) : Batching.Repeated(x[1], size);
            return (Op.Apply(new RouteOp(max, axis + 1, scatter), v, s), 0);
        }
    }

    /// <summary>The running <typeparamref name="K"/> of x along <paramref name="axis"/>, in x's dtype (floats, or
    /// int64 checked for overflow).</summary>
    private static Tensor Cumulative<K>(Tensor x, int axis, bool reverse, string op, string what) where K : IScanStep
    {
        try
        {
            return x.DType switch
            {
                DType.Float64 => Cumulative<double, K>(x, axis, reverse),
                DType.Float32 => Cumulative<float, K>(x, axis, reverse),
                _ => Cumulative<long, K>(x, axis, reverse),
            };
        }
        catch (OverflowException)
        {
            throw new OverflowException(
                $"{op}: the running {what} of {Shapes.Show(x)} along axis {axis} leaves int64's range; PyTorch would "
                + "wrap around, FuncGrad refuses. Convert to float64 first (ToDType(DType.Float64)) if an approximate "
                + "result will do");
        }
    }

    private static Tensor Cumulative<T, K>(Tensor x, int axis, bool reverse)
        where T : unmanaged, INumber<T> where K : IScanStep
    {
        var (outer, n, inner) = AroundAxis(x.shape, axis);
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        Scan.Run<T, K>(x.Buffer<T>(), y, outer, n, inner, reverse);
        return Plain(x.shape, y, lease);
    }

    /// <summary><paramref name="count"/> elements of x from <paramref name="start"/> along the axis.</summary>
    private static Tensor Part(Tensor x, int axis, int start, int count)
    {
        var starts = new int[x.Rank];
        starts[axis] = start;
        var size = (int[])x.shape.Clone();
        size[axis] = count;
        return Op.Apply(new SliceOp(starts, size), x);
    }

    /// <summary>x moved <paramref name="by"/> = ±1 place along the axis, r_i = x_(i−by), a zero coming in at the
    /// end left empty.</summary>
    private static Tensor Shifted(Tensor x, int axis, int by)
    {
        int n = x.shape[axis];
        if (n == 0) return x;
        var starts = new int[x.Rank];
        if (by > 0) starts[axis] = 1;
        return Op.Apply(new PadOp(starts, x.shape), Part(x, axis, by > 0 ? 0 : 1, n - 1));
    }

    /// <summary>[1, y_0, …, y_(n−2)] along the axis: the product before each element.</summary>
    private static Tensor Exclusive(Tensor y, int axis)
    {
        int n = y.shape[axis];
        if (n == 0) return y;
        var s = (int[])y.shape.Clone();
        s[axis] = 1;
        var one = OnesLikeOf(y, s);
        return n == 1 ? one : Concat([one, Part(y, axis, 0, n - 1)], axis);
    }

    /// <summary>Constant ones of <paramref name="shape"/> (y's by default) in y's dtype, on y's device.</summary>
    private static Tensor OnesLikeOf(Tensor y, int[]? shape = null)
    {
        var one = Full(shape ?? y.shape, 1.0, y.DType, "cumprod");
        return Beside(one, y);
    }

    /// <summary>The public scans' common entry: the axis checked and normalised; a scalar scans as one element along
    /// axis 0 or −1, as in PyTorch.</summary>
    private Tensor Scanned(int axis, string op, Func<Tensor, int, Tensor> scan)
    {
        if (Rank > 0) return scan(this, Shapes.Axis(axis, shape, op));
        if (axis is not (0 or -1))
            throw new AxisOutOfRangeException(
                $"{op}: axis {axis} is out of range for the scalar {Shapes.Show(this)}, which scans as one element; "
                + "use an axis in [-1, 0]");
        return scan(Reshape([1]), 0).Reshape([]);
    }

    /// <summary>Bool and int32 as int64, PyTorch's type for integer sums and products.</summary>
    private static Tensor Widened(Tensor x) => x.DType is DType.Bool or DType.Int32 ? x.ToDType(DType.Int64) : x;

    /// <summary>Running sums along <paramref name="axis"/> (negative counts from the end): element i is the sum of
    /// elements 0 … i.</summary>
    /// <remarks>One pass in order, O(n); the gradient is the reversed running sum. Integer and bool tensors give int64
    /// sums, as in PyTorch, and an overflow is an <see cref="OverflowException"/> (PyTorch wraps around); they are
    /// never differentiated.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0]).Cumsum(0) // tensor([1., 3., 6.], dtype=float64)
    /// </code></example>
    [Peers("torch.cumsum", "jnp.cumsum", "", Notes = "O(n); integers and bools sum in int64, checked")]
    public Tensor Cumsum(int axis) =>
        Scanned(axis, "cumsum", static (x, a) => Op.Apply(new CumsumOp(a, false), Widened(x)));

    /// <summary>Running products along <paramref name="axis"/> (negative counts from the end): element i is the
    /// product of elements 0 … i.</summary>
    /// <remarks>The gradient is exact where elements are zero: it multiplies the other factors rather than dividing
    /// the product by the element, at every order. Integers and bools multiply in int64, as in PyTorch, and an overflow
    /// is an <see cref="OverflowException"/>.</remarks>
    /// <example><code>
    /// Tensor.FromArray([2.0, 3.0, 4.0]).Cumprod(0) // tensor([ 2.,  6., 24.], dtype=float64)
    /// </code></example>
    [Peers("torch.cumprod", "jnp.cumprod", "", Notes = "exact gradient at zeros; integers and bools in int64, checked")]
    public Tensor Cumprod(int axis) =>
        Scanned(axis, "cumprod", static (x, a) => Op.Apply(new CumprodOp(a), Widened(x)));

    /// <summary>Running log-sum-exp along <paramref name="axis"/>: element i is log Σ exp over elements 0 … i,
    /// computed without overflow.</summary>
    /// <remarks>Each step is max + log1p(e^−|a − b|), so inputs of any magnitude (±1e4 included) give finite values,
    /// and the gradient weighs each element by e^(x_j − y_i) ≤ 1. A run of −inf gives −inf with gradient 0.</remarks>
    /// <example><code>
    /// Tensor.FromArray([0.0, 0.0]).Logcumsumexp(0) // tensor([0.0000, 0.6931], dtype=float64)
    /// </code></example>
    [Peers("torch.logcumsumexp", "jax.lax.cumlogsumexp", "", Notes = "stable for any magnitude; −inf gives gradient 0")]
    public Tensor Logcumsumexp(int axis) =>
        Scanned(axis, "logcumsumexp", static (x, a) => Op.Apply(new LogcumsumexpOp(a), x));

    /// <summary>Running maximum along <paramref name="axis"/> and, as int64, the position along the axis where each was
    /// found.</summary>
    /// <remarks>Ties report the last position (PyTorch's CPU kernel does the same; its documentation leaves it open),
    /// and the gradient flows through the values to that position. NaN propagates, each later NaN taking over the
    /// index. Floats and integers; indices are never differentiated.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 3.0]).Cummax(0).Indices // tensor([0, 1, 1, 3], dtype=int64)
    /// </code></example>
    [Peers("torch.cummax", "jax.lax.cummax", "", Notes = "values and indices; ties report the last index")]
    public (Tensor Values, Tensor Indices) Cummax(int axis) => CumExtreme(axis, true, "cummax");

    /// <summary>Running minimum along <paramref name="axis"/> and, as int64, the position along the axis where each was
    /// found.</summary>
    /// <remarks>As <see cref="Cummax"/>: ties report the last position, the gradient flows to it, NaN
    /// propagates.</remarks>
    /// <example><code>
    /// Tensor.FromArray([2.0, 1.0, 3.0, 1.0]).Cummin(0).Values // tensor([2., 1., 1., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.cummin", "jax.lax.cummin", "", Notes = "values and indices; ties report the last index")]
    public (Tensor Values, Tensor Indices) Cummin(int axis) => CumExtreme(axis, false, "cummin");

    private (Tensor, Tensor) CumExtreme(int axis, bool max, string op)
    {
        if (DType == DType.Bool)
            throw new DTypeMismatchException(
                $"{op}: {Shapes.Show(this)} is bool, which has no order to scan; convert it with "
                + "ToDType(DType.Int64) first");
        var values = Scanned(axis, op, (x, a) => Op.Apply(new CumExtremeOp(max, a), x));
        var indices = Scanned(axis, op, (x, a) => new CumArgExtremeOp(max, a).On(x));
        return (values, indices);
    }
}
