using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Unfold (im2col) and fold (col2im): the sliding 2-D windows of an image laid out as columns, and columns added back
// into an image. Each is linear and the other's transpose, so each op's VJP is the other op and its JVP is itself;
// the batching rule folds the vmap axis into N. Kernels: Kernels/Conv/Im2Col.cs.
public sealed partial class Tensor
{
    /// <summary>[N, C, H, W] to its windows [N, C·KH·KW, OH·OW] (<paramref name="fold"/> false), or back, adding
    /// (true).</summary>
    private sealed class WindowsOp(Window2d g, bool fold) : Op
    {
        public override string Name => fold ? "Fold" : "Unfold";
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        internal override object Identity => (Name, g);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => fold ? b.Fold(x[0], g) : b.Unfold(x[0], g);

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor x) where T : unmanaged, INumber<T>
        {
            int n = x.shape[0], k = g.KH * g.KW;
            int c = fold ? x.shape[1] / k : x.shape[1];
            int[] shape = fold ? [n, c, g.H, g.W] : [n, c * k, g.OH * g.OW];
            var y = Storage.Uninitialized<T>(Shapes.Count(shape, Name.ToLowerInvariant()), out var lease);
            if (fold) Im2Col.Fold(x.Span<T>(), y, n * c, g);
            else Im2Col.Unfold(x.Span<T>(), y, n * c, g);
            return Plain(shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g0, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new WindowsOp(g, !fold), g0)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);

        // The vmap axis joins N: [B, N, …] runs as [B·N, …].
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var f = Batching.Front(x[0], axes[0]);
            var r = Op.Apply(this, f.Reshape([size * f.shape[1], .. f.shape[2..]]));
            return (r.Reshape([size, f.shape[1], .. r.shape[1..]]), 0);
        }
    }

    /// <summary>The window geometry of unfold and fold for an H × W image, checked.</summary>
    private static Window2d WindowOf(string op, int h, int w, int[] kernelSize, int[]? dilation, int[]? padding,
        int[]? stride)
    {
        var k = Windows.PerAxis(kernelSize, 2, 1, op, nameof(kernelSize), 1);
        var d = Windows.PerAxis(dilation, 2, 1, op, nameof(dilation), 1);
        var p = Windows.PerAxis(padding, 2, 0, op, nameof(padding), 0);
        var s = Windows.PerAxis(stride, 2, 1, op, nameof(stride), 1);
        int oh = Windows.OutputSize(h, k[0], s[0], 2 * p[0], d[0], op, 0);
        int ow = Windows.OutputSize(w, k[1], s[1], 2 * p[1], d[1], op, 1);
        return new Window2d(h, w, k[0], k[1], d[0], d[1], p[0], p[1], s[0], s[1], oh, ow);
    }

    /// <summary>The sliding windows of an [N, C, H, W] (or [C, H, W]) input as columns: [N, C·kh·kw, L], one column
    /// per window position, L of them (im2col).</summary>
    /// <remarks>Row (c·kh + i)·kw + j of column l holds channel c at tap (i, j) of window l, windows in row-major order
    /// of their positions, zeros where the window covers padding, as in PyTorch. Each argument but
    /// <paramref name="kernelSize"/> may be null (1, or 0 for padding); one value applies to both axes. The gradient
    /// is <see cref="Fold"/> of the cotangent.</remarks>
    /// <example><code>
    /// Tensor.Arange(0, 9).Reshape([1, 1, 3, 3]).Unfold([2]).Shape // [1, 4, 4]
    /// </code></example>
    [Peers("torch.nn.functional.unfold", "jax.lax.conv_general_dilated_patches", "",
        Notes = "im2col: [N, C·kh·kw, L]")]
    public Tensor Unfold(int[] kernelSize, int[]? dilation = null, int[]? padding = null, int[]? stride = null)
    {
        Guard.NotNull(kernelSize);
        const string op = "unfold";
        bool batched = Windows.Batched(this, 2, op);
        var x = batched ? this : Unsqueeze(0);
        var g = WindowOf(op, x.shape[2], x.shape[3], kernelSize, dilation, padding, stride);
        var r = Op.Apply(new WindowsOp(g, false), x);
        return batched ? r : r.Squeeze(0);
    }

    /// <summary>Adds columns [N, C·kh·kw, L] (or [C·kh·kw, L]) of sliding windows back into an image [N, C, H, W] of
    /// <paramref name="outputSize"/> (H, W): the transpose of <see cref="Unfold"/> (col2im).</summary>
    /// <remarks>Where windows overlap, their values add up, so Fold(Unfold(x)) is x times the number of windows
    /// covering each element. L must be the number of window positions over the output; each argument but
    /// <paramref name="outputSize"/> and <paramref name="kernelSize"/> may be null. The gradient is
    /// <see cref="Unfold"/> of the cotangent.</remarks>
    /// <example><code>
    /// Tensor.Ones([1, 4, 4]).Fold([3, 3], [2]).Sum() // tensor(16., dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.fold", "", "", Notes = "col2im, overlaps summed")]
    public Tensor Fold(int[] outputSize, int[] kernelSize, int[]? dilation = null, int[]? padding = null,
        int[]? stride = null)
    {
        Guard.NotNull(outputSize);
        Guard.NotNull(kernelSize);
        const string op = "fold";
        if (Rank is not (2 or 3))
            throw new RankException(
                $"{op}: the input is {Shapes.Show(this)}, rank {Rank}; it takes [N, C·kh·kw, L] (rank 3) or "
                + "[C·kh·kw, L] (rank 2)");
        bool batched = Rank == 3;
        var x = batched ? this : Unsqueeze(0);
        var size = Windows.PerAxis(outputSize, 2, 1, op, nameof(outputSize), 1);
        var g = WindowOf(op, size[0], size[1], kernelSize, dilation, padding, stride);
        int k = g.KH * g.KW;
        if (x.shape[1] % k != 0)
            throw new ShapeMismatchException(
                $"{op}: the input {Shapes.Show(this)} has {x.shape[1]} rows, not a multiple of the kernel's "
                + $"{g.KH}·{g.KW} = {k} taps; it takes C·kh·kw rows");
        if (x.shape[2] != g.OH * g.OW)
            throw new ShapeMismatchException(
                $"{op}: the input {Shapes.Show(this)} has {x.shape[2]} columns, but a {g.KH}×{g.KW} window slides "
                + $"over a {size[0]}×{size[1]} output at {g.OH}×{g.OW} = {g.OH * g.OW} positions; give that many "
                + "columns or change outputSize, stride, padding or dilation");
        var r = Op.Apply(new WindowsOp(g, true), x);
        return batched ? r : r.Squeeze(0);
    }
}

internal abstract partial class Backend
{
    /// <summary>im2col of [N, C, H, W] by the window <paramref name="g"/>; null where the backend has none.</summary>
    internal virtual Tensor? Unfold(Tensor x, Window2d g) => null;
    /// <summary>col2im of [N, C·KH·KW, L] into [N, C, H, W] by the window <paramref name="g"/>; null where the backend
    /// has none.</summary>
    internal virtual Tensor? Fold(Tensor x, Window2d g) => null;
}
