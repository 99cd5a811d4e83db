using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Convolutions over 1 to 3 spatial axes and their transposes (PyTorch's conv1d … conv_transpose3d). One op class
// (ConvOp) in three roles over one geometry: the convolution (image → grid of windows), its transpose (grid →
// image) and its weight gradient (image and grid → weight). Each is linear in each argument and the three are each
// other's adjoints, so every rule is another of the three: second and higher derivatives stay in the family.
public sealed partial class Tensor
{
    /// <summary>The role of a <see cref="ConvOp"/>: what its two arguments and its result are.</summary>
    internal enum ConvRole
    {
        /// <summary>(image [N, C_image, …], weight) → grid [N, C_grid, …].</summary>
        Forward,
        /// <summary>(grid [N, C_grid, …], weight) → image [N, C_image, …].</summary>
        Transposed,
        /// <summary>(image, grid) → weight [C_grid, C_image / groups, kernel…].</summary>
        WeightGrad,
    }

    /// <summary> A convolution in one of its three roles (<see cref="ConvRole"/>), the weight always [C_grid, C_image /
    /// groups, kernel…] (PyTorch's layout for conv, and for conv_transpose, whose input is the grid side). </summary>
    private sealed class ConvOp(ConvGeometry geo, int groups, ConvRole role) : Op
    {
        // Named as the public methods that apply them: Conv2d, ConvTranspose2d, and Conv2dWeightGrad.
        public override string Name => role switch
        {
            ConvRole.Forward => $"Conv{geo.Axes}d",
            ConvRole.Transposed => $"ConvTranspose{geo.Axes}d",
            _ => $"Conv{geo.Axes}dWeightGrad",
        };
        public override bool ReadsValuesOnly => true;
        internal override object Identity => (Name, geo.Key, groups);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Convolution(role, x[0], x[1], geo, groups);

        public override Tensor Compute(Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], Name);
            return x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);
        }

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = a.shape[0];
            switch (role)
            {
                case ConvRole.Forward:
                    {
                        int cImage = a.shape[1], cGrid = b.shape[0];
                        var y = Storage.Uninitialized<T>(n * cGrid * geo.GridCount, out var lease);
                        if (groups == cImage)
                            Depthwise.Forward(a.Buffer<T>(), b.Buffer<T>(), y, n, cImage, cGrid, geo);
                        else
                            ImplicitGemm.Forward(a.Buffer<T>(), b.Buffer<T>(), y, n, cImage, cGrid, groups, geo);
                        return Plain([n, cGrid, .. geo.Grid], y, lease);
                    }
                case ConvRole.Transposed:
                    {
                        int cGrid = a.shape[1], cImage = b.shape[1] * groups;
                        var y = Storage.Uninitialized<T>(n * cImage * geo.ImageCount, out var lease);
                        ImplicitGemm.Transposed(a.Buffer<T>(), b.Buffer<T>(), y, n, cImage, cGrid, groups, geo);
                        return Plain([n, cImage, .. geo.Image], y, lease);
                    }
                default:
                    {
                        int cImage = a.shape[1], cGrid = b.shape[1];
                        var y = Storage.Uninitialized<T>(cGrid * (cImage / groups) * geo.KernelCount, out var lease);
                        ImplicitGemm.WeightGrad(a.Buffer<T>(), b.Buffer<T>(), y, n, cImage, cGrid, groups, geo);
                        return Plain([cGrid, cImage / groups, .. geo.Kernel], y, lease);
                    }
            }
        }

        private Tensor Apply(ConvRole r, Tensor a, Tensor b) => Op.Apply(new ConvOp(geo, groups, r), a, b);

        // <g, F(x, w)> = <T(g, w), x> = <W(x, g), w>: each argument's cotangent is the op of the other two.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => role switch
        {
            ConvRole.Forward => [needs[0] ? Apply(ConvRole.Transposed, g, x[1]) : null,
                needs[1] ? Apply(ConvRole.WeightGrad, x[0], g) : null],
            ConvRole.Transposed => [needs[0] ? Apply(ConvRole.Forward, g, x[1]) : null,
                needs[1] ? Apply(ConvRole.WeightGrad, g, x[0]) : null],
            _ => [needs[0] ? Apply(ConvRole.Transposed, x[1], g) : null,
                needs[1] ? Apply(ConvRole.Forward, x[0], g) : null],
        };

        // Bilinear: the op on each tangent with the other argument, summed.
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var first = dx[0] is { } da ? Apply(role, da, x[1]) : null;
            var second = dx[1] is { } db ? Apply(role, x[0], db) : null;
            return first is null ? second! : second is null ? first : first + second;
        }

        // A batch of images with one shared weight folds into N; anything else folds into the groups, so that each
        // example's channels meet only its own weight (per-example gradients are one grouped convolution).
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size)
        {
            if (role != ConvRole.WeightGrad && at[1] is null)
            {
                var a = Batching.Moved(x[0], at[0]!.Value, 0);
                var y = Op.Apply(this, a.Reshape([-1, .. a.shape[2..]]), x[1]);
                return (y.Reshape([size, a.shape[1], .. y.shape[1..]]), 0);
            }
            var fa = Folded(at[0] is int i ? Batching.Moved(x[0], i, 0) : Batching.Repeated(x[0], size));
            var wide = new ConvOp(geo, groups * size, role);
            if (role == ConvRole.WeightGrad)
            {
                var fb = Folded(at[1] is int j ? Batching.Moved(x[1], j, 0) : Batching.Repeated(x[1], size));
                var gw = Op.Apply(wide, fa, fb);
                return (gw.Reshape([size, -1, .. gw.shape[1..]]), 0);
            }
            var w = Batching.Moved(x[1], at[1]!.Value, 0);
            var r = Op.Apply(wide, fa, w.Reshape([-1, .. w.shape[2..]]));
            return (r.Reshape([r.shape[0], size, -1, .. r.shape[2..]]), 1);
        }

        // [B, N, C, …] → [N, B·C, …]: the examples side by side along the channels.
        private static Tensor Folded(Tensor t) =>
            Batching.Moved(t, 0, 1).Reshape([t.shape[1], t.shape[0] * t.shape[2], .. t.shape[3..]]);
    }
}

public sealed partial class Tensor
{
    /// <summary> A 1-D convolution (cross-correlation, as PyTorch's) of this [N, C_in, L] or [C_in, L] with a weight
    /// [C_out, C_in / groups, k], plus an optional bias [C_out]. </summary>
    /// <remarks>Each per-axis argument is null for PyTorch's default (stride 1, padding 0, dilation 1), one value, or
    /// one per spatial axis. Differentiable to any order in both the input and the weight; under vmap a batched weight
    /// becomes a grouped convolution.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0], [1, 1, 3]).Conv1d(Tensor.Ones([1, 1, 2]))
    /// // tensor([[[3., 5.]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.conv1d", "jax.lax.conv_general_dilated", "dsharp.conv1d",
        Notes = "NCL; weight [C_out, C_in/groups, k]")]
    public Tensor Conv1d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight);
        return Convolve("conv1d", 1, weight, bias, stride, padding, null, dilation, groups);
    }

    /// <summary> <see cref="Conv1d(Tensor, Tensor, int[], int[], int[], int)"/> with <paramref name="padding"/> "same"
    /// (the output as long as the input; stride 1) or "valid" (no padding). </summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0], [1, 1, 3]).Conv1d(Tensor.Ones([1, 1, 2]), "same")
    /// // tensor([[[3., 5., 3.]]], dtype=float64)
    /// </code></example>
    public Tensor Conv1d(Tensor weight, string padding, Tensor? bias = null, int[]? stride = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight); Guard.NotNull(padding);
        return Convolve("conv1d", 1, weight, bias, stride, null, padding, dilation, groups);
    }

    /// <summary> A 2-D convolution (cross-correlation, as PyTorch's) of this [N, C_in, H, W] or [C_in, H, W] with a
    /// weight [C_out, C_in / groups, kH, kW], plus an optional bias [C_out]. </summary>
    /// <remarks>Each per-axis argument is null for PyTorch's default (stride 1, padding 0, dilation 1), one value for
    /// both axes, or [height, width]. Differentiable to any order in both the input and the weight; under vmap a
    /// batched weight becomes a grouped convolution, so per-example gradients cost one convolution.</remarks>
    /// <example><code>
    /// Tensor.Ones([1, 1, 3, 3]).Conv2d(Tensor.Ones([1, 1, 2, 2]), padding: [1]).Shape // evaluates to [1, 1, 4, 4]
    /// </code></example>
    [Peers("torch.nn.functional.conv2d", "jax.lax.conv_general_dilated", "dsharp.conv2d",
        Notes = "NCHW; weight [C_out, C_in/groups, kH, kW]")]
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight);
        return Convolve("conv2d", 2, weight, bias, stride, padding, null, dilation, groups);
    }

    /// <summary> <see cref="Conv2d(Tensor, Tensor, int[], int[], int[], int)"/> with <paramref name="padding"/> "same"
    /// (the output the input's size; stride 1) or "valid" (no padding). </summary>
    /// <example><code>
    /// Tensor.Ones([1, 1, 5, 5]).Conv2d(Tensor.Ones([2, 1, 3, 3]), "same").Shape // evaluates to [1, 2, 5, 5]
    /// </code></example>
    public Tensor Conv2d(Tensor weight, string padding, Tensor? bias = null, int[]? stride = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight); Guard.NotNull(padding);
        return Convolve("conv2d", 2, weight, bias, stride, null, padding, dilation, groups);
    }

    /// <summary> A 3-D convolution (cross-correlation, as PyTorch's) of this [N, C_in, D, H, W] or [C_in, D, H, W] with
    /// a weight [C_out, C_in / groups, kD, kH, kW], plus an optional bias [C_out]. </summary>
    /// <remarks>Each per-axis argument is null for PyTorch's default (stride 1, padding 0, dilation 1), one value, or
    /// [depth, height, width]. Differentiable to any order in both the input and the weight.</remarks>
    /// <example><code>
    /// Tensor.Ones([1, 1, 3, 3, 3]).Conv3d(Tensor.Ones([1, 1, 2, 2, 2])).Shape // evaluates to [1, 1, 2, 2, 2]
    /// </code></example>
    [Peers("torch.nn.functional.conv3d", "jax.lax.conv_general_dilated", "dsharp.conv3d",
        Notes = "NCDHW; weight [C_out, C_in/groups, kD, kH, kW]")]
    public Tensor Conv3d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight);
        return Convolve("conv3d", 3, weight, bias, stride, padding, null, dilation, groups);
    }

    /// <summary> <see cref="Conv3d(Tensor, Tensor, int[], int[], int[], int)"/> with <paramref name="padding"/> "same"
    /// (the output the input's size; stride 1) or "valid" (no padding). </summary>
    /// <example><code>
    /// Tensor.Ones([1, 1, 3, 3, 3]).Conv3d(Tensor.Ones([1, 1, 2, 2, 2]), "same").Shape // evaluates to [1, 1, 3, 3, 3]
    /// </code></example>
    public Tensor Conv3d(Tensor weight, string padding, Tensor? bias = null, int[]? stride = null,
        int[]? dilation = null, int groups = 1)
    {
        Guard.NotNull(weight); Guard.NotNull(padding);
        return Convolve("conv3d", 3, weight, bias, stride, null, padding, dilation, groups);
    }

    /// <summary> A 1-D transposed convolution of this [N, C_in, L] or [C_in, L] with a weight [C_in, C_out / groups,
    /// k], plus an optional bias [C_out]: the adjoint of <see cref="Conv1d(Tensor, Tensor, int[], int[], int[],
    /// int)"/>. </summary>
    /// <remarks>The output has (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1 elements;
    /// outputPadding (less than the stride or the dilation) picks among the input sizes a strided convolution maps to
    /// the same length.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0], [1, 1, 2]).ConvTranspose1d(Tensor.Ones([1, 1, 2]))
    /// // tensor([[[1., 3., 2.]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.conv_transpose1d", "jax.lax.conv_transpose", "dsharp.convTranspose1d",
        Notes = "weight [C_in, C_out/groups, k]")]
    public Tensor ConvTranspose1d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? outputPadding = null, int groups = 1, int[]? dilation = null)
    {
        Guard.NotNull(weight);
        return ConvolveTransposed("convTranspose1d", 1, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /// <summary> A 2-D transposed convolution of this [N, C_in, H, W] or [C_in, H, W] with a weight [C_in, C_out /
    /// groups, kH, kW], plus an optional bias [C_out]: the adjoint of <see cref="Conv2d(Tensor, Tensor, int[], int[],
    /// int[], int)"/>. </summary>
    /// <remarks>Each output axis has (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1 elements;
    /// outputPadding (less than the stride or the dilation) picks among the sizes a strided convolution maps to the
    /// same length.</remarks>
    /// <example><code>
    /// Tensor.Ones([1, 1, 2, 2]).ConvTranspose2d(Tensor.Ones([1, 1, 2, 2]), stride: [2]).Shape
    /// // evaluates to [1, 1, 4, 4]
    /// </code></example>
    [Peers("torch.nn.functional.conv_transpose2d", "jax.lax.conv_transpose", "dsharp.convTranspose2d",
        Notes = "weight [C_in, C_out/groups, kH, kW]")]
    public Tensor ConvTranspose2d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? outputPadding = null, int groups = 1, int[]? dilation = null)
    {
        Guard.NotNull(weight);
        return ConvolveTransposed("convTranspose2d", 2, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /// <summary> A 3-D transposed convolution of this [N, C_in, D, H, W] or [C_in, D, H, W] with a weight [C_in, C_out
    /// / groups, kD, kH, kW], plus an optional bias [C_out]: the adjoint of <see cref="Conv3d(Tensor, Tensor, int[],
    /// int[], int[], int)"/>. </summary>
    /// <remarks>Each output axis has (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1
    /// elements.</remarks>
    /// <example><code>
    /// Tensor.Ones([1, 1, 2, 2, 2]).ConvTranspose3d(Tensor.Ones([1, 1, 2, 2, 2])).Shape // evaluates to [1, 1, 3, 3, 3]
    /// </code></example>
    [Peers("torch.nn.functional.conv_transpose3d", "jax.lax.conv_transpose", "dsharp.convTranspose3d",
        Notes = "weight [C_in, C_out/groups, kD, kH, kW]")]
    public Tensor ConvTranspose3d(Tensor weight, Tensor? bias = null, int[]? stride = null, int[]? padding = null,
        int[]? outputPadding = null, int groups = 1, int[]? dilation = null)
    {
        Guard.NotNull(weight);
        return ConvolveTransposed("convTranspose3d", 3, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    private Tensor Convolve(string op, int axes, Tensor weight, Tensor? bias, int[]? stride, int[]? padding,
        string? mode, int[]? dilation, int groups)
    {
        bool batched = Windows.Batched(this, axes, op);
        var x = batched ? this : Unsqueeze(0);
        CheckWeight(op, axes, x, weight, groups, transposed: false);
        var s = Windows.PerAxis(stride, axes, 1, op, "stride", 1);
        var d = Windows.PerAxis(dilation, axes, 1, op, "dilation", 1);
        var k = weight.shape[2..];
        int[] lo, hi;
        if (mode is null)
        {
            lo = Windows.PerAxis(padding, axes, 0, op, "padding", 0);
            hi = lo;
        }
        else if (mode == "valid")
            (lo, hi) = (new int[axes], new int[axes]);
        else if (mode == "same")
        {
            if (s.Any(e => e != 1))
                throw new ArgumentException(
                    $"{op}: padding \"same\" needs stride 1 but the stride is {Windows.Show(s)}; give the padding as "
                    + "numbers for a strided convolution", nameof(stride));
            // PyTorch's split: the extra element of an odd total goes after the input.
            var total = Enumerable.Range(0, axes).Select(i => d[i] * (k[i] - 1)).ToArray();
            lo = total.Select(t => t / 2).ToArray();
            hi = total.Select(t => t - t / 2).ToArray();
        }
        else
            throw new ArgumentException(
                $"{op}: padding is \"{mode}\"; use \"same\", \"valid\", or the padding as numbers", "padding");
        var image = x.shape[2..];
        var grid = new int[axes];
        for (int i = 0; i < axes; i++)
            grid[i] = Windows.OutputSize(image[i], k[i], s[i], lo[i] + hi[i], d[i], op, i);
        var geo = new ConvGeometry(image, grid, k, s, lo, d);
        var y = Op.Apply(new ConvOp(geo, groups, ConvRole.Forward), x, weight);
        return Finished(op, y, bias, batched);
    }

    private Tensor ConvolveTransposed(string op, int axes, Tensor weight, Tensor? bias, int[]? stride, int[]? padding,
        int[]? outputPadding, int groups, int[]? dilation)
    {
        bool batched = Windows.Batched(this, axes, op);
        var x = batched ? this : Unsqueeze(0);
        CheckWeight(op, axes, x, weight, groups, transposed: true);
        var s = Windows.PerAxis(stride, axes, 1, op, "stride", 1);
        var p = Windows.PerAxis(padding, axes, 0, op, "padding", 0);
        var extra = Windows.PerAxis(outputPadding, axes, 0, op, "outputPadding", 0);
        var d = Windows.PerAxis(dilation, axes, 1, op, "dilation", 1);
        var k = weight.shape[2..];
        var grid = x.shape[2..];
        var image = new int[axes];
        for (int i = 0; i < axes; i++)
        {
            if (extra[i] >= Math.Max(s[i], d[i]))
                throw new ArgumentOutOfRangeException(nameof(outputPadding),
                    $"{op}: outputPadding {Windows.Show(extra)} must be less than the stride {Windows.Show(s)} or the "
                    + $"dilation {Windows.Show(d)} on each axis (axis {i} breaks it)");
            long size = (long)(grid[i] - 1) * s[i] - 2L * p[i] + (long)d[i] * (k[i] - 1) + extra[i] + 1;
            if (size < 1)
                throw new ShapeMismatchException(
                    $"{op}: spatial axis {i} of the input {Shapes.Show(this)} gives an output of {size} elements "
                    + "((in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1); use less padding");
            image[i] = (int)size;
        }
        var geo = new ConvGeometry(image, grid.ToArray(), k, s, p, d);
        var y = Op.Apply(new ConvOp(geo, groups, ConvRole.Transposed), x, weight);
        return Finished(op, y, bias, batched);
    }

    // The weight's rank, dtype and channels against the input's (grid channels first for a transpose's weight).
    private static void CheckWeight(string op, int axes, Tensor x, Tensor weight, int groups, bool transposed)
    {
        Elementwise.SameDType(x, weight, op);
        string taps = axes switch { 1 => "k", 2 => "kH, kW", _ => "kD, kH, kW" };
        string layout = transposed ? $"[C_in, C_out / groups, {taps}]" : $"[C_out, C_in / groups, {taps}]";
        if (weight.Rank != axes + 2)
            throw new RankException(
                $"{op}: the weight is {Shapes.Show(weight)}, rank {weight.Rank}; it takes {layout} (rank {axes + 2})");
        if (groups < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), $"{op}: groups is {groups}; it must be at least 1");
        int c = x.shape[1];
        if (c % groups != 0)
            throw new ShapeMismatchException(
                $"{op}: the input {Shapes.Show(x)} has {c} channels, which {groups} groups do not divide; give groups "
                + "that divide the input channels");
        for (int i = 2; i < weight.Rank; i++)
            if (weight.shape[i] < 1)
                throw new ShapeMismatchException(
                    $"{op}: the weight {Shapes.Show(weight)} has an empty kernel; every kernel size must be at least "
                    + "1");
        if (transposed)
        {
            if (weight.shape[0] != c)
                throw new ShapeMismatchException(
                    $"{op}: weight {Shapes.Show(weight)} expects {weight.shape[0]} input channels but the input "
                    + $"{Shapes.Show(x)} has {c}; the weight is {layout}");
        }
        else
        {
            if (weight.shape[1] * groups != c)
                throw new ShapeMismatchException(
                    $"{op}: weight {Shapes.Show(weight)} expects {weight.shape[1] * groups} input channels "
                    + $"({weight.shape[1]} per group × {groups} groups) but the input {Shapes.Show(x)} has {c}; the "
                    + $"weight is {layout}");
            if (weight.shape[0] % groups != 0)
                throw new ShapeMismatchException(
                    $"{op}: weight {Shapes.Show(weight)} has {weight.shape[0]} output channels, which {groups} groups "
                    + "do not divide; give a multiple of groups");
        }
    }

    // The bias added per output channel, and the batch axis taken off again for an unbatched input.
    private static Tensor Finished(string op, Tensor y, Tensor? bias, bool batched)
    {
        if (bias is not null)
        {
            Elementwise.SameDType(y, bias, op);
            if (bias.Rank != 1 || bias.shape[0] != y.shape[1])
                throw new ShapeMismatchException(
                    $"{op}: the bias is {Shapes.Show(bias)} for {y.shape[1]} output channels; give one value per "
                    + $"output channel, [{y.shape[1]}]");
            var at = new int[y.Rank - 1];
            Array.Fill(at, 1);
            at[0] = y.shape[1];
            y += bias.Reshape(at);
        }
        return batched ? y : y.Squeeze(0);
    }
}

internal abstract partial class Backend
{
    /// <summary>A convolution in the given role (<see cref="Tensor.ConvRole"/>) over the geometry; null where the
    /// backend has none.</summary>
    internal virtual Tensor? Convolution(Tensor.ConvRole role, Tensor a, Tensor b, ConvGeometry g, int groups) => null;
}
