using FuncGrad.Kernels;

namespace FuncGrad;

// Ops that rearrange values without arithmetic: flip, roll, repeat, tile, narrow, movedim, swapaxes, expand. Flip is a
// strided copy of its own (negative strides); the others are made of reshape, broadcast, slice, concat, permute and
// index-select, so their VJPs are those ops' adjoints (a repeat's gradient sums the copies back) and they work on
// every dtype, as those do.
public sealed partial class Tensor
{
    private sealed class FlipOp(int[] flipped) : CopyOp
    {
        public override string Name => "Flip";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Rearrange("Flip", x[0], flipped);
        // One gather that starts at the last element of each flipped axis and walks it backwards.
        protected override Tensor Copy<T>(Tensor[] xs)
        {
            var x = xs[0];
            var strides = Shapes.Strides(x.shape);
            int offset = 0;
            foreach (int a in flipped)
            {
                offset += (x.shape[a] - 1) * strides[a];
                strides[a] = -strides[a];
            }
            var d = Storage.Uninitialized<T>(x.Count, out var lease); // the gather writes every element
            Strided.Gather(x.Span<T>(), offset, x.shape, strides, d);
            return Plain((int[])x.shape.Clone(), d, lease);
        }
        // A flip is its own inverse and its own transpose.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Op.Apply(this, g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        // The batch axis stays where it is; the flipped axes past it shift by one.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new FlipOp(flipped.Select(a => a < k ? a : a + 1).ToArray()), x[0]), k);
        }
    }

    /// <summary>The values in reverse order along each of <paramref name="dims"/> (negative counting from the
    /// end).</summary>
    /// <remarks>Every dtype. A copy, as PyTorch's (NumPy's flip is a view); its gradient flips back.</remarks>
    /// <example><code>Tensor.FromArray([1.0, 2.0, 3.0]).Flip(0) // tensor([3., 2., 1.], dtype=float64)</code></example>
    [Peers("torch.flip", "jnp.flip", "dsharp.flip", Notes = "every dtype")]
    public Tensor Flip(params int[] dims)
    {
        Guard.NotNull(dims);
        var axes = DistinctAxes(dims, "flip");
        var moving = axes.Where(a => shape[a] > 1).ToArray();
        return moving.Length == 0 ? this : Op.Apply(new FlipOp(moving), this);
    }

    /// <summary>The values shifted by <paramref name="shifts"/> places along <paramref name="dim"/>, those that fall
    /// off the end coming back at the start; with no dim, along the flattened values, the shape kept.</summary>
    /// <example><code>Tensor.FromArray([1.0, 2.0, 3.0]).Roll(1) // tensor([3., 1., 2.], dtype=float64)</code></example>
    [Peers("torch.roll", "jnp.roll", "", Notes = "every dtype; no dims: the flattened values", Composed = true)]
    public Tensor Roll(int shifts, int? dim = null) => Roll([shifts], dim is int d ? [d] : []);

    /// <summary>The values shifted by <c>shifts[i]</c> places along <c>dims[i]</c>, in turn, those that fall off the
    /// end coming back at the start; with no dims, one shift along the flattened values.</summary>
    /// <remarks>Every dtype. Each shift is two slices joined in the other order (a negative shift moves towards the
    /// start), so the gradient rolls back.</remarks>
    /// <example><code>
    /// Tensor.Arange(0, 4).Reshape([2, 2]).Roll([1], [1]) // tensor([[1., 0.], [3., 2.]], dtype=float64)
    /// </code></example>
    public Tensor Roll(int[] shifts, int[] dims)
    {
        Guard.NotNull(shifts);
        Guard.NotNull(dims);
        if (dims.Length == 0)
        {
            if (shifts.Length != 1)
                throw new ArgumentException($"roll: {shifts.Length} shifts given with no dims for {Shapes.Show(this)}; "
                    + "without dims give one shift (of the flattened values), or one dim per shift", nameof(shifts));
            return Flatten().Roll(shifts, [0]).Reshape(shape);
        }
        if (shifts.Length != dims.Length)
            throw new ArgumentException($"roll: {shifts.Length} shifts and {dims.Length} dims given for "
                + $"{Shapes.Show(this)}; give one shift per dim", nameof(shifts));
        var r = this;
        for (int i = 0; i < dims.Length; i++)
        {
            int ax = Shapes.Axis(dims[i], shape, "roll"), n = shape[ax];
            if (n == 0) continue;
            int k = (int)(((long)shifts[i] % n + n) % n);
            if (k != 0) r = Concat([r.Slice(ax, n - k, n), r.Slice(ax, 0, n - k)], ax);
        }
        return r;
    }

    /// <summary>The whole tensor repeated <c>repeats[i]</c> times along axis i, as PyTorch's <c>Tensor.repeat</c>;
    /// extra leading repeats add axes.</summary>
    /// <remarks>Every dtype. One broadcast copy: the tensor viewed with a size-1 axis before each of its axes,
    /// broadcast to the repeats and reshaped; so the gradient sums the copies. <see cref="Tile"/> accepts fewer
    /// repeats than axes.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Repeat(2) // tensor([1., 2., 1., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.Tensor.repeat", "jnp.tile", "", Notes = "every dtype; needs a repeat per axis", Composed = true)]
    public Tensor Repeat(params int[] repeats)
    {
        Guard.NotNull(repeats);
        if (repeats.Length < Rank)
            throw new RankException($"repeat: {repeats.Length} repeats given for {Shapes.Show(this)} of rank {Rank}; "
                + "give at least one repeat per axis (leading extra ones add axes), or use Tile");
        CheckCounts(repeats, "repeat", "repeats");
        int lead = repeats.Length - Rank;
        var view = new int[2 * repeats.Length];
        var wide = new int[2 * repeats.Length];
        var to = new int[repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            int n = i < lead ? 1 : shape[i - lead];
            (view[2 * i], view[2 * i + 1]) = (1, n);
            (wide[2 * i], wide[2 * i + 1]) = (repeats[i], n);
            to[i] = repeats[i] * n;
        }
        if (Shapes.Same(view.Where((_, i) => i % 2 == 1).ToArray(), to)) return Reshape(to);
        return Reshape(view).BroadcastTo(wide).Reshape(to);
    }

    /// <summary>The whole tensor repeated <c>dims[i]</c> times along axis i; with fewer entries than axes, the
    /// leading axes are repeated once, as NumPy's and PyTorch's <c>tile</c>.</summary>
    /// <remarks>Every dtype. <see cref="Repeat"/> after padding <paramref name="dims"/> with leading ones.</remarks>
    /// <example><code>Tensor.Ones([2, 3]).Tile(2).Shape // evaluates to [2, 6]</code></example>
    [Peers("torch.tile", "jnp.tile", "", Notes = "every dtype; missing leading repeats are 1", Composed = true)]
    public Tensor Tile(params int[] dims)
    {
        Guard.NotNull(dims);
        CheckCounts(dims, "tile", "dims");
        return Repeat([.. Enumerable.Repeat(1, Math.Max(0, Rank - dims.Length)), .. dims]);
    }

    /// <summary>Each element repeated <paramref name="repeats"/> times in place along <paramref name="dim"/>
    /// (<c>[a, b]</c> → <c>[a, a, b, b]</c>); with no dim, the flattened values.</summary>
    /// <remarks>Every dtype. One broadcast copy, so the gradient sums each element's copies.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).RepeatInterleave(2) // tensor([1., 1., 2., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.repeat_interleave", "jnp.repeat", "", Notes = "every dtype; repeats a number or an integer tensor",
        Composed = true)]
    public Tensor RepeatInterleave(int repeats, int? dim = null)
    {
        if (repeats < 0)
            throw new ArgumentOutOfRangeException(nameof(repeats), $"repeatInterleave: repeats is {repeats} for "
                + $"{Shapes.Show(this)}; give a count of zero or more");
        if (dim is null) return Flatten().RepeatInterleave(repeats, 0);
        int ax = Shapes.Axis(dim.Value, shape, "repeatInterleave");
        var view = Batching.Insert(shape, ax + 1, 1);
        var wide = Batching.Insert(shape, ax + 1, repeats);
        var to = (int[])shape.Clone();
        to[ax] *= repeats;
        return Reshape(view).BroadcastTo(wide).Reshape(to);
    }

    /// <summary>Element i repeated <c>repeats[i]</c> times in place along <paramref name="dim"/> (a one-element
    /// <paramref name="repeats"/> applies to every element); with no dim, the flattened values.</summary>
    /// <remarks>Every dtype. <paramref name="repeats"/> is an int64 or int32 tensor whose values are read when the op
    /// runs (the result's shape depends on them), so it must be a plain value, not a variable of vmap or compile; the
    /// repeated tensor may be anything. An index-select, so the gradient adds each element's copies.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).RepeatInterleave(Tensor.FromArray(new long[] { 0, 3 }))
    /// // tensor([2., 2., 2.], dtype=float64)
    /// </code></example>
    public Tensor RepeatInterleave(Tensor repeats, int? dim = null)
    {
        Guard.NotNull(repeats);
        if (repeats.DType is not (DType.Int64 or DType.Int32))
            throw new DTypeMismatchException($"repeatInterleave: repeats is {Shapes.Show(repeats)}; it must be an "
                + "int64 or int32 tensor of counts (or pass an int)");
        if (repeats.Rank > 1)
            throw new RankException($"repeatInterleave: repeats is {Shapes.Show(repeats)}; it must have rank 0 or 1");
        if (dim is null) return Flatten().RepeatInterleave(repeats, 0);
        int ax = Shapes.Axis(dim.Value, shape, "repeatInterleave"), n = shape[ax];
        var counts = repeats.ToDType(DType.Int64).ToInt64Array();
        if (counts.Length != 1 && counts.Length != n)
            throw new ShapeMismatchException($"repeatInterleave: repeats has {counts.Length} counts for axis {dim} of "
                + $"size {n} in {Shapes.Show(this)}; give one count per element of the axis, or one for all");
        if (counts.Any(c => c < 0))
            throw new ArgumentOutOfRangeException(nameof(repeats), $"repeatInterleave: repeats holds a negative count "
                + $"({counts.Min()}) for {Shapes.Show(this)}; give counts of zero or more");
        if (counts.Length == 1) return RepeatInterleave(checked((int)counts[0]), ax);
        var idx = new List<int>();
        for (int i = 0; i < n; i++)
            for (long c = 0; c < counts[i]; c++) idx.Add(i);
        return IndexSelect(ax, idx.ToArray());
    }

    /// <summary>The <paramref name="length"/> elements from <paramref name="start"/> (negative counting from the end)
    /// along <paramref name="dim"/>.</summary>
    /// <remarks>Every dtype. Unlike <see cref="Slice(int, int, int)"/> it takes a length and rejects a range past the
    /// axis instead of clamping it.</remarks>
    /// <example><code>Tensor.Arange(0, 5).Narrow(0, 1, 2) // tensor([1., 2.], dtype=float64)</code></example>
    [Peers("torch.narrow", "jax.lax.slice_in_dim", "", Notes = "a length, not a stop; no clamping", Composed = true)]
    public Tensor Narrow(int dim, int start, int length)
    {
        int ax = Shapes.Axis(dim, shape, "narrow"), n = shape[ax];
        int s = start < 0 ? start + n : start;
        if (s < 0 || s > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"narrow: start {start} is out of range for axis "
                + $"{dim} of size {n} in {Shapes.Show(this)}; use a start in [{-n}, {n}]");
        if (length < 0 || s + length > n)
            throw new ArgumentOutOfRangeException(nameof(length), $"narrow: length {length} from {s} does not fit "
                + $"axis {dim} of size {n} in {Shapes.Show(this)}; use a length in [0, {n - s}]");
        return Slice(ax, s, s + length);
    }

    /// <summary>Axis <paramref name="source"/> moved to position <paramref name="destination"/>, the other axes
    /// keeping their order.</summary>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Movedim(0, -1).Shape // evaluates to [3, 4, 2]</code></example>
    [Peers("torch.movedim, torch.moveaxis", "jnp.moveaxis", "", Notes = "every dtype", Composed = true)]
    public Tensor Movedim(int source, int destination) => Movedim([source], [destination]);

    /// <summary>Axes <paramref name="source"/> moved to positions <paramref name="destination"/> (pairwise), the
    /// other axes filling the remaining positions in their order.</summary>
    /// <remarks>Every dtype. One <see cref="Permute"/>.</remarks>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Movedim([0, 1], [2, 0]).Shape // evaluates to [3, 4, 2]</code></example>
    public Tensor Movedim(int[] source, int[] destination)
    {
        Guard.NotNull(source);
        Guard.NotNull(destination);
        if (source.Length != destination.Length)
            throw new ArgumentException($"movedim: {source.Length} source axes and {destination.Length} destinations "
                + $"given for {Shapes.Show(this)}; give one destination per source axis", nameof(destination));
        var from = DistinctAxes(source, "movedim");
        var to = DistinctAxes(destination, "movedim");
        var perm = new int[Rank];
        Array.Fill(perm, -1);
        for (int i = 0; i < from.Length; i++) perm[to[i]] = from[i];
        var rest = Enumerable.Range(0, Rank).Where(a => Array.IndexOf(from, a) < 0).GetEnumerator();
        for (int i = 0; i < Rank; i++)
            if (perm[i] < 0) { rest.MoveNext(); perm[i] = rest.Current; }
        return Permute(perm);
    }

    /// <summary>Two axes swapped: NumPy's name for <see cref="Transpose(int, int)"/>.</summary>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Swapaxes(0, 2).Shape // evaluates to [4, 3, 2]</code></example>
    [Peers("torch.swapaxes", "jnp.swapaxes", "", Notes = "every dtype; as transpose", Composed = true)]
    public Tensor Swapaxes(int axis0, int axis1) => Transpose(axis0, axis1);

    /// <summary>Two axes swapped: PyTorch's other name for <see cref="Transpose(int, int)"/>.</summary>
    /// <example><code>Tensor.Zeros([2, 3, 4]).Swapdims(1, 2).Shape // evaluates to [2, 4, 3]</code></example>
    [Peers("torch.swapdims", "", "", Notes = "every dtype; as transpose", Composed = true)]
    public Tensor Swapdims(int dim0, int dim1) => Transpose(dim0, dim1);

    /// <summary>The values broadcast to <paramref name="sizes"/>, where −1 keeps an axis's size; extra leading sizes
    /// add axes.</summary>
    /// <remarks>Every dtype. <see cref="BroadcastTo"/> after −1 is replaced; a copy (PyTorch's is a view), whose
    /// gradient sums the copies.</remarks>
    /// <example><code>Tensor.Zeros([3, 1]).Expand(2, -1, 4).Shape // evaluates to [2, 3, 4]</code></example>
    [Peers("torch.Tensor.expand", "", "", Notes = "−1 keeps a size", Composed = true)]
    public Tensor Expand(params int[] sizes)
    {
        Guard.NotNull(sizes);
        if (sizes.Length < Rank)
            throw new RankException($"expand: {sizes.Length} sizes given for {Shapes.Show(this)} of rank {Rank}; "
                + "give at least one size per axis (−1 keeps it)");
        int lead = sizes.Length - Rank;
        var to = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            int own = i < lead ? 1 : shape[i - lead];
            if (sizes[i] == -1 && i < lead)
                throw new ShapeMismatchException($"expand: size −1 at new leading axis {i} of {Shapes.Show(sizes)} for "
                    + $"{Shapes.Show(this)}; a new axis has no size to keep, give it one");
            to[i] = sizes[i] == -1 ? own : sizes[i];
            if (to[i] < 0 || (own != 1 && to[i] != own))
                throw new ShapeMismatchException($"expand: cannot expand {Shapes.Show(this)} to {Shapes.Show(sizes)}: "
                    + $"axis {i} has size {own}; only size-1 axes can grow (−1 keeps a size)");
        }
        return BroadcastTo(to);
    }

    /// <summary>Normalised axes, each at most once.</summary>
    private int[] DistinctAxes(int[] dims, string op)
    {
        var axes = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            axes[i] = Shapes.Axis(dims[i], shape, op);
            if (Array.IndexOf(axes, axes[i], 0, i) >= 0)
                throw new AxisOutOfRangeException($"{op}: axis {axes[i]} appears twice in [{string.Join(", ", dims)}] "
                    + $"for {Shapes.Show(this)}; list each axis once");
        }
        return axes;
    }

    private void CheckCounts(int[] counts, string op, string name)
    {
        foreach (int c in counts)
            if (c < 0)
                throw new ArgumentOutOfRangeException(name, $"{op}: {name} [{string.Join(", ", counts)}] holds {c} for "
                    + $"{Shapes.Show(this)}; give counts of zero or more");
    }
}

internal abstract partial class Backend
{
    /// <summary>A rearranging op by name (Flip) over the given normalised axes; null where the backend has
    /// none.</summary>
    internal virtual Tensor? Rearrange(string name, Tensor x, int[] axes) => null;
}
