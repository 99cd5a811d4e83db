using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Resampling: interpolation (nearest, linear, cubic, area) and pixel shuffles. Every interpolation mode is separable,
// so it is one sparse map per spatial axis (Kernels/Conv/AxisMap.cs), applied last axis first as ATen's kernels nest
// their sums. A map is linear in its input: its VJP is the transposed map, its JVP the map itself, its batching rule
// the same map on an axis moved past the batch axis. Padding (Padding.cs) is made of the same maps.
public sealed partial class Tensor
{
    /// <summary>x mapped along one axis by a sparse linear map: <paramref name="name"/> is the public op it makes
    /// (Pad, Interpolate), its transpose named with "Transpose" after it.</summary>
    private sealed class AxisMapOp(string name, int axis, AxisMap map, AxisMap? transpose = null) : Op
    {
        private AxisMap? transposed = transpose;

        public override string Name => name;
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        internal override object Identity => new MapIdentity(axis, map);

        /// <summary>The transpose's name: Pad's is PadTranspose, and PadTranspose's is Pad again.</summary>
        private string TransposeName =>
            name.EndsWith("Transpose", StringComparison.Ordinal) ? name[..^"Transpose".Length] : name + "Transpose";

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor x) where T : unmanaged, INumber<T>
        {
            var (outer, _, inner) = AroundAxis(x.shape, axis);
            var shape = (int[])x.shape.Clone();
            shape[axis] = map.Out;
            var y = Storage.Uninitialized<T>(Shapes.Count(shape, "interpolate"), out var lease);
            map.Apply(x.Span<T>(), y, outer, inner);
            return Plain(shape, y, lease);
        }

        // On a device: the map as at most a few index-selects weighted and summed, all ops the backend has. A row
        // with fewer entries than the longest is masked to zero past its last one (not weighted by 0, which would
        // turn an infinite input into NaN there).
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            var v = x[0];
            int taps = 0;
            for (int j = 0; j < map.Out; j++) taps = Math.Max(taps, map.Start[j + 1] - map.Start[j]);
            var shape = (int[])v.shape.Clone();
            shape[axis] = map.Out;
            if (taps == 0) return Beside(Full(shape, 0, v.DType, "interpolate"), v);
            var along = new int[v.Rank];
            Array.Fill(along, 1);
            along[axis] = map.Out;
            Tensor? sum = null;
            for (int t = 0; t < taps; t++)
            {
                var index = new int[map.Out];
                var weight = new double[map.Out];
                var has = new bool[map.Out];
                for (int j = 0; j < map.Out; j++)
                {
                    int e = map.Start[j] + t;
                    if (e < map.Start[j + 1]) (index[j], weight[j], has[j]) = (map.Index[e], map.Weight[e], true);
                }
                var w = Beside(FromArray(weight, along).ToDType(v.DType), v);
                var term = v.IndexSelect(axis, index) * w;
                if (Array.IndexOf(has, false) >= 0)
                    term = Where(Beside(FromArray(has, along), v), term, Beside(Tensor.Scalar(0, v.DType), v));
                sum = sum is null ? term : sum + term;
            }
            return sum;
        }

        private AxisMap Transposed => transposed ??= map.Transposed();

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new AxisMapOp(TransposeName, axis, Transposed, map), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            int k = axes[0]!.Value;
            return (Op.Apply(new AxisMapOp(name, axis < k ? axis : axis + 1, map, transposed), x[0]), k);
        }
    }

    /// <summary>Two map ops compute the same function when their axes agree and their maps are equal.</summary>
    private sealed class MapIdentity(int axis, AxisMap map)
    {
        private int Axis => axis;
        private AxisMap Map => map;
        public override bool Equals(object? obj) =>
            obj is MapIdentity o && o.Axis == axis && (ReferenceEquals(o.Map, map) || o.Map.SameAs(map));
        public override int GetHashCode() => HashCode.Combine(axis, map.Hash());
    }

    /// <summary>x mapped along each of the given axes, the last first, by ops named <paramref name="name"/>.</summary>
    private static Tensor Mapped(string name, Tensor x, int[] axes, AxisMap[] maps)
    {
        for (int i = axes.Length - 1; i >= 0; i--) x = Op.Apply(new AxisMapOp(name, axes[i], maps[i]), x);
        return x;
    }

    private static readonly string[] InterpolationModes =
        ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"];

    /// <summary>
    /// Resamples the spatial axes of an [N, C, L], [N, C, H, W] or [N, C, D, H, W] input to <paramref name="size"/>,
    /// or to ⌊input·<paramref name="scaleFactor"/>⌋, by <paramref name="mode"/>: nearest, nearest-exact, linear (3-D),
    /// bilinear (4-D), bicubic (4-D), trilinear (5-D) or area.
    /// </summary>
    /// <remarks>
    /// Give exactly one of <paramref name="size"/> and <paramref name="scaleFactor"/>, with one value for every spatial
    /// axis or one per axis. Coordinates follow PyTorch's CPU kernels exactly: with <paramref name="alignCorners"/>
    /// the corner pixels' centres line up ((n − 1)/(m − 1) per step); otherwise pixel centres map as
    /// (j + ½)·scale − ½, where scale is 1/scaleFactor when a scale factor is given (unless
    /// <paramref name="recomputeScaleFactor"/>) and input/output otherwise. Bicubic uses Keys' kernel with
    /// a = −0.75 and clamps at the edges; area averages PyTorch's adaptive-pooling windows. Each mode is linear in the
    /// input, and its gradient is the transposed map, at every order.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0], [1, 1, 2]).Interpolate(size: [4], mode: "linear")
    /// // tensor([[[1.0000, 1.5000, 2.5000, 3.0000]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.interpolate", "jax.image.resize", "",
        Notes = "PyTorch's coordinates; one separable sparse map per axis; no antialias")]
    public Tensor Interpolate(int[]? size = null, double[]? scaleFactor = null, string mode = "nearest",
        bool alignCorners = false, bool recomputeScaleFactor = false)
    {
        Guard.NotNull(mode);
        const string op = "interpolate";
        if (Array.IndexOf(InterpolationModes, mode) < 0)
            throw new ArgumentException(
                $"{op}: mode \"{mode}\" is not one of {string.Join(", ", InterpolationModes)}", nameof(mode));
        if (Rank is < 3 or > 5)
            throw new RankException(
                $"{op}: the input is {Shapes.Show(this)}, rank {Rank}; it takes [N, C, L], [N, C, H, W] or "
                + "[N, C, D, H, W] (add a batch axis with Unsqueeze(0) for one image)");
        int axes = Rank - 2;
        int? needs = mode switch { "linear" => 1, "bilinear" => 2, "bicubic" => 2, "trilinear" => 3, _ => null };
        if (needs is int k && k != axes)
            throw new RankException(
                $"{op}: mode \"{mode}\" takes a {k + 2}-D input ([N, C, {Windows.Spatial(k)}]), but the input is "
                + $"{Shapes.Show(this)}, {Rank}-D; use "
                + $"\"{(axes == 1 ? "linear" : axes == 2 ? "bilinear" : "trilinear")}\" for it");
        bool interpolating = mode is "linear" or "bilinear" or "bicubic" or "trilinear";
        if (alignCorners && !interpolating)
            throw new ArgumentException(
                $"{op}: alignCorners applies to the interpolating modes (linear, bilinear, bicubic, trilinear), not "
                + $"\"{mode}\"; leave it false", nameof(alignCorners));
        if ((size is null) == (scaleFactor is null))
            throw new ArgumentException(
                $"{op}: give exactly one of size and scaleFactor (both are {(size is null ? "null" : "given")})",
                size is null ? nameof(size) : nameof(scaleFactor));
        if (recomputeScaleFactor && size is not null)
            throw new ArgumentException(
                $"{op}: recomputeScaleFactor applies to a scaleFactor, not to an explicit size; leave it false",
                nameof(recomputeScaleFactor));
        var spatial = shape[2..];
        var outSize = new int[axes];
        double?[] scales = new double?[axes];
        if (size is not null)
            outSize = Windows.PerAxis(size, axes, 0, op, nameof(size), 1);
        else
        {
            var s = ScalesPerAxis(scaleFactor!, axes, op);
            for (int i = 0; i < axes; i++)
            {
                double o = Math.Floor(spatial[i] * s[i]);
                if (o < 1 || o > int.MaxValue)
                    throw new ArgumentOutOfRangeException(nameof(scaleFactor),
                        $"{op}: spatial axis {i} of {Shapes.Show(this)} has {spatial[i]} elements, which scale factor "
                        + $"{s[i]} makes {o}; the output needs at least 1 element per axis");
                outSize[i] = (int)o;
                scales[i] = recomputeScaleFactor ? null : s[i];
            }
        }
        for (int i = 0; i < axes; i++)
            if (spatial[i] < 1)
                throw new ShapeMismatchException(
                    $"{op}: spatial axis {i} of the input {Shapes.Show(this)} is empty; there is nothing to sample");
        var maps = new AxisMap[axes];
        for (int i = 0; i < axes; i++)
            maps[i] = DType == DType.Float32
                ? AxisMapOf<float>(mode, spatial[i], outSize[i], alignCorners, scales[i])
                : AxisMapOf<double>(mode, spatial[i], outSize[i], alignCorners, scales[i]);
        return Mapped("Interpolate", this, [.. Enumerable.Range(2, axes)], maps);
    }

    private static AxisMap AxisMapOf<T>(string mode, int n, int m, bool alignCorners, double? scale)
        where T : unmanaged, IFloatingPointIeee754<T> => mode switch
        {
            "nearest" => Sampling<T>.Nearest(n, m, scale),
            "nearest-exact" => Sampling<T>.NearestExact(n, m, scale),
            "bicubic" => Sampling<T>.Cubic(n, m, alignCorners, scale),
            "area" => Sampling<T>.Area(n, m),
            _ => Sampling<T>.Linear(n, m, alignCorners, scale),
        };

    private static double[] ScalesPerAxis(double[] values, int axes, string op)
    {
        if (values.Length != 1 && values.Length != axes)
            throw new ArgumentException(
                $"{op}: scaleFactor has {values.Length} values for {axes} spatial axes; give one value for every "
                + $"axis or exactly {axes}", "scaleFactor");
        var s = values.Length == 1 ? Enumerable.Repeat(values[0], axes).ToArray() : (double[])values.Clone();
        foreach (var v in s)
            if (!(v > 0) || double.IsInfinity(v))
                throw new ArgumentOutOfRangeException("scaleFactor",
                    $"{op}: scaleFactor is [{string.Join(", ", s)}]; every value must be positive and finite");
        return s;
    }

    /// <summary>Rearranges [*, C·r², H, W] into [*, C, H·r, W·r]: each group of r² channels becomes an r × r block of
    /// pixels.</summary>
    /// <remarks>Channel c·r² + i·r + j goes to row h·r + i, column w·r + j, as in PyTorch. A reshape, a permutation
    /// and a reshape, so its gradient is <see cref="PixelUnshuffle"/> of the cotangent.</remarks>
    /// <example><code>
    /// Tensor.Arange(0, 4).Reshape([1, 4, 1, 1]).PixelShuffle(2) // tensor([[[[0., 1.], [2., 3.]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.pixel_shuffle", "", "", Notes = "reshape, permute, reshape", Composed = true)]
    public Tensor PixelShuffle(int upscaleFactor)
    {
        const string op = "pixelShuffle";
        int r = upscaleFactor;
        if (r < 1)
            throw new ArgumentOutOfRangeException(nameof(upscaleFactor),
                $"{op}: upscaleFactor is {r}; it must be at least 1");
        if (Rank < 3)
            throw new RankException(
                $"{op}: the input is {Shapes.Show(this)}, rank {Rank}; it takes [*, C·r², H, W], at least 3 axes");
        var lead = shape[..^3];
        int c = shape[^3], h = shape[^2], w = shape[^1];
        if (c % (r * r) != 0)
            throw new ShapeMismatchException(
                $"{op}: the input {Shapes.Show(this)} has {c} channels, not a multiple of upscaleFactor² = {r * r}");
        int l = lead.Length;
        var split = Reshape([.. lead, c / (r * r), r, r, h, w]);
        int[] perm = [.. Enumerable.Range(0, l), l, l + 3, l + 1, l + 4, l + 2];
        return split.Permute(perm).Reshape([.. lead, c / (r * r), h * r, w * r]);
    }

    /// <summary>Rearranges [*, C, H·r, W·r] into [*, C·r², H, W]: the inverse of <see cref="PixelShuffle"/>.</summary>
    /// <remarks>Row h·r + i, column w·r + j of channel c goes to channel c·r² + i·r + j, as in PyTorch; its gradient
    /// is <see cref="PixelShuffle"/> of the cotangent.</remarks>
    /// <example><code>
    /// Tensor.Arange(0, 4).Reshape([1, 1, 2, 2]).PixelUnshuffle(2).Shape // [1, 4, 1, 1]
    /// </code></example>
    [Peers("torch.nn.functional.pixel_unshuffle", "", "", Notes = "reshape, permute, reshape", Composed = true)]
    public Tensor PixelUnshuffle(int downscaleFactor)
    {
        const string op = "pixelUnshuffle";
        int r = downscaleFactor;
        if (r < 1)
            throw new ArgumentOutOfRangeException(nameof(downscaleFactor),
                $"{op}: downscaleFactor is {r}; it must be at least 1");
        if (Rank < 3)
            throw new RankException(
                $"{op}: the input is {Shapes.Show(this)}, rank {Rank}; it takes [*, C, H·r, W·r], at least 3 axes");
        var lead = shape[..^3];
        int c = shape[^3], h = shape[^2], w = shape[^1];
        if (h % r != 0 || w % r != 0)
            throw new ShapeMismatchException(
                $"{op}: the input {Shapes.Show(this)} has height {h} and width {w}; both must be multiples of "
                + $"downscaleFactor {r}");
        int l = lead.Length;
        var split = Reshape([.. lead, c, h / r, r, w / r, r]);
        int[] perm = [.. Enumerable.Range(0, l), l, l + 2, l + 4, l + 1, l + 3];
        return split.Permute(perm).Reshape([.. lead, c * r * r, h / r, w / r]);
    }
}
