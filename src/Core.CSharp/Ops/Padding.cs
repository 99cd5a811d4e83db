using FuncGrad.Kernels;

namespace FuncGrad;

// Padding by PyTorch's rules: pairs (before, after) for the last axis first. Each padded axis is one sparse map
// (Resampling.cs's AxisMapOp): a pick of one input element per output element, or of none (a zero) for constant
// padding, whose transpose adds the cotangent back where it was picked from. A constant other than zero is chosen
// where nothing was picked, by a mask that does not depend on the input.
public sealed partial class Tensor
{
    private static readonly string[] PaddingModes = ["constant", "reflect", "replicate", "circular"];

    /// <summary>Pads the last axes of the tensor: <paramref name="pad"/> holds (before, after) pairs, the last axis's
    /// first, as torch.nn.functional.pad takes them.</summary>
    /// <remarks>
    /// <paramref name="mode"/> is "constant" (fills with <paramref name="value"/>; negative amounts crop), "reflect"
    /// (mirrors without repeating the edge: each amount below the axis's length), "replicate" (repeats the edge) or
    /// "circular" (wraps around: each amount at most the axis's length). Unlike PyTorch, every mode pads any number
    /// of trailing axes of a tensor of any rank. The gradient adds each output's cotangent to the element it was read
    /// from, at every order.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0]).Pad([2, 1], "reflect") // tensor([3., 2., 1., 2., 3., 2.], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.pad", "jnp.pad", "dsharp.pad",
        Notes = "constant, reflect, replicate, circular; any number of trailing axes")]
    public Tensor Pad(int[] pad, string mode = "constant", double value = 0)
    {
        Guard.NotNull(pad);
        Guard.NotNull(mode);
        const string op = "pad";
        if (Array.IndexOf(PaddingModes, mode) < 0)
            throw new ArgumentException(
                $"{op}: mode \"{mode}\" is not one of {string.Join(", ", PaddingModes)}", nameof(mode));
        if (pad.Length % 2 != 0 || pad.Length / 2 > Rank)
            throw new ArgumentException(
                $"{op}: pad has {pad.Length} values ({Windows.Show(pad)}); it takes (before, after) pairs, the last "
                + $"axis first, for at most the {Rank} axes of {Shapes.Show(this)}", nameof(pad));
        if (mode != "constant" && value != 0)
            throw new ArgumentException(
                $"{op}: a fill value applies to mode \"constant\", not \"{mode}\"; leave it 0", nameof(value));
        int count = pad.Length / 2;
        var axes = new int[count];
        var maps = new AxisMap[count];
        for (int i = 0; i < count; i++)
        {
            int axis = Rank - 1 - i, n = shape[axis], before = pad[2 * i], after = pad[2 * i + 1];
            axes[i] = axis;
            string where = $"axis {axis} of {Shapes.Show(this)} ({n} elements)";
            if (mode == "constant")
            {
                if ((long)n + before + after < 0)
                    throw new ArgumentOutOfRangeException(nameof(pad),
                        $"{op}: pads ({before}, {after}) crop {where} below 0 elements; crop at most {n}");
            }
            else if (before < 0 || after < 0)
                throw new ArgumentOutOfRangeException(nameof(pad),
                    $"{op}: pads ({before}, {after}) of {where} are negative; mode \"{mode}\" pads only, use "
                    + "\"constant\" or Slice to crop");
            else if (mode == "reflect" && (before >= n || after >= n))
                throw new ArgumentOutOfRangeException(nameof(pad),
                    $"{op}: reflect pads ({before}, {after}) of {where}; each must be less than {n}, the mirror "
                    + "excludes the edge");
            else if (mode == "replicate" && n == 0 && before + after > 0)
                throw new ArgumentOutOfRangeException(nameof(pad),
                    $"{op}: replicate pads {where}, which is empty and has no edge to repeat");
            else if (mode == "circular" && (before > n || after > n))
                throw new ArgumentOutOfRangeException(nameof(pad),
                    $"{op}: circular pads ({before}, {after}) of {where}; each must be at most {n}, wrapping around "
                    + "once");
            maps[i] = PadMaps.Of(mode, n, before, after);
        }
        // Maps are applied last-listed axis first; list them from the first axis so the last axis is mapped first.
        Array.Reverse(axes);
        Array.Reverse(maps);
        var padded = Mapped("Pad", this, axes, maps);
        if (mode != "constant" || value == 0) return padded;
        // The fill chosen where no input was read (a Where, not an added frame: NaN and ±inf fills stay themselves).
        var inside = Mapped("Pad", Full(shape, 1.0, DType, op), axes, maps).Gt(Scalar(0.5, DType));
        return Where(Beside(inside, this), padded, Beside(Scalar(value, DType), this));
    }
}
