using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Max, average and adaptive pooling over 1, 2 or 3 trailing spatial axes. Every pooling runs on planes [P, D, H, W]
// (the leading axes flattened into P, a missing depth or height of size 1), through the windows of each axis
// (Kernels/Conv/Pool.cs). A max-pooling is its indices (PoolIndicesOp, never differentiated) and the input's elements
// at them (TakeAt), so its VJP scatters the cotangent through the saved indices and its JVP gathers the tangent there,
// both with FuncGrad's ops, at every order. An average is linear: its VJP is its adjoint (AveragePoolOp transposed),
// whose own VJP is the average again.
public sealed partial class Tensor
{
    /// <summary>
    /// int64 positions, flat within each plane, of each window's maximum on planes [P, D, H, W]: [P, oD, oH, oW].
    /// Batched planes fold into P; the positions do not depend on the plane they are in.
    /// </summary>
    private sealed class PoolIndicesOp(PoolSpec spec) : MaskOp
    {
        public override string Name => spec.Title + "Indices";
        internal override object Identity => (Name, spec.Key);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.PoolIndices(x[0], spec);
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Positions<double>(x[0]) : Positions<float>(x[0]);

        private Tensor Positions<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var shape = spec.OutputPlanes(x.shape[0]);
            var at = Storage.Uninitialized<long>(Shapes.Count(shape, Name), out var lease); // every element written
            Pool.MaxPositions(x.Buffer<T>(), x.shape[0], spec.D, spec.H, spec.W, at);
            GC.KeepAlive(x);
            return Plain(shape, at, lease);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            (Folded(x[0], at[0]!.Value, p => new PoolIndicesOp(spec).On(p)), 0);
    }

    /// <summary>
    /// The average of each window on planes [P, D, H, W], or, where <paramref name="adjoint"/>, its transpose from
    /// [P, oD, oH, oW] back to the input's planes. Linear, so each is the other's VJP and its own JVP.
    /// </summary>
    private sealed class AveragePoolOp(PoolSpec spec, bool adjoint) : Op
    {
        public override string Name => adjoint ? spec.Title + "Adjoint" : spec.Title;
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        internal override object Identity => (Name, spec.Key);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.AveragePool(x[0], spec, adjoint);
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int planes = x.shape[0];
            var shape = adjoint ? spec.InputPlanes(planes) : spec.OutputPlanes(planes);
            var y = Storage.Uninitialized<T>(Shapes.Count(shape, Name), out var lease); // every element written
            if (adjoint) Pool.AverageAdjoint(x.Buffer<T>(), planes, spec.D, spec.H, spec.W, spec.Divisor, y);
            else Pool.Average(x.Buffer<T>(), planes, spec.D, spec.H, spec.W, spec.Divisor, y);
            GC.KeepAlive(x);
            return Plain(shape, y, lease);
        }

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Op.Apply(new AveragePoolOp(spec, !adjoint), g)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Op.Apply(this, dx[0]!);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            (Folded(x[0], at[0]!.Value, p => Op.Apply(new AveragePoolOp(spec, adjoint), p)), 0);
    }

    /// <summary>A batch of planes [.., P, D, H, W] (the batch on axis <paramref name="axis"/>) as one set of planes,
    /// run through <paramref name="pool"/>, and the result's planes split back: [B, P, ..], batch axis 0.</summary>
    private static Tensor Folded(Tensor x, int axis, Func<Tensor, Tensor> pool)
    {
        var b = Batching.Moved(x, axis, 0);
        var s = b.shape;
        var y = pool(b.Reshape([s[0] * s[1], s[2], s[3], s[4]]));
        return y.Reshape([s[0], s[1], .. y.shape[1..]]);
    }

    /// <summary>The max-pooling of <paramref name="x"/> described by <paramref name="spec"/>: the values (the input's
    /// elements at the maxima) and the int64 indices, flat within each plane, both of the output's shape.</summary>
    private static (Tensor Values, Tensor Indices) MaxPooled(Tensor x, PoolSpec spec)
    {
        int planes = spec.Planes(x.shape);
        var p = x.Reshape(spec.InputPlanes(planes));
        var at = new PoolIndicesOp(spec).On(p);
        int inner = spec.D.Input * spec.H.Input * spec.W.Input;
        int outer = spec.D.Output * spec.H.Output * spec.W.Output;
        var values = TakeAt(p.Reshape([planes, inner]), at.Reshape([planes, outer]), 1);
        var shape = spec.OutputShape(x.shape);
        return (values.Reshape(shape), at.Reshape(shape));
    }

    /// <summary>The average pooling of <paramref name="x"/> described by <paramref name="spec"/>.</summary>
    private static Tensor AveragePooled(Tensor x, PoolSpec spec)
    {
        var p = x.Reshape(spec.InputPlanes(spec.Planes(x.shape)));
        return Op.Apply(new AveragePoolOp(spec, false), p).Reshape(spec.OutputShape(x.shape));
    }

    private PoolSpec MaxSpec(int dims, string op, int[] kernelSize, int[]? stride, int[]? padding, int[]? dilation,
        bool ceilMode) =>
        PoolSpec.Sliding(this, dims, op, true, kernelSize, stride, padding, dilation, ceilMode, true, null);

    private PoolSpec AvgSpec(int dims, string op, int[] kernelSize, int[]? stride, int[]? padding, bool ceilMode,
        bool countIncludePad, int? divisorOverride) =>
        PoolSpec.Sliding(this, dims, op, false, kernelSize, stride, padding, null, ceilMode, countIncludePad,
            divisorOverride);

    /// <summary>The maximum of each window along the last axis of [N, C, L] or [C, L]: windows of
    /// <paramref name="kernelSize"/> positions, <paramref name="dilation"/> apart, every <paramref name="stride"/>
    /// (the kernel size by default), over the input padded by −inf on both ends.</summary>
    /// <remarks>Per-axis arguments take one element. <paramref name="ceilMode"/> keeps a last, partial window where it
    /// starts inside the input or the left padding. Ties give the gradient to the first maximum in window order; NaN
    /// propagates (docs/conventions.md).</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 1, 4]).MaxPool1d([2]) // tensor([[[3., 2.]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool1d", "jax.lax.reduce_window", "dsharp.maxpool1d",
        Composed = true, Notes = "[N, C, L] or [C, L]; padding is −inf; ties: first maximum")]
    public Tensor MaxPool1d(int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null,
        bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(1, "maxPool1d", kernelSize, stride, padding, dilation, ceilMode)).Values;

    /// <summary>As <see cref="MaxPool1d"/>, with the int64 index of each maximum along the input's last axis (as
    /// PyTorch's <c>return_indices=True</c>).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 1, 4]).MaxPool1dWithIndices([2]).Indices
    /// // tensor([[[1, 2]]], dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool1d_with_indices", "", "dsharp.maxpool1di",
        Composed = true, Notes = "indices int64")]
    public (Tensor Values, Tensor Indices) MaxPool1dWithIndices(int[] kernelSize, int[]? stride = null,
        int[]? padding = null, int[]? dilation = null, bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(1, "maxPool1dWithIndices", kernelSize, stride, padding, dilation, ceilMode));

    /// <summary>The maximum of each window over the last two axes of [N, C, H, W] or [C, H, W]: windows of
    /// <paramref name="kernelSize"/>, taps <paramref name="dilation"/> apart, every <paramref name="stride"/> (the
    /// kernel size by default), over the input padded by −inf.</summary>
    /// <remarks>Per-axis arguments take one element for both axes or one per axis; padding is at most half the
    /// kernel. <paramref name="ceilMode"/> keeps a last, partial window where it starts inside the input or the left
    /// padding. Ties give the gradient to the first maximum in window order; NaN propagates (docs/conventions.md).
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [1, 1, 2, 2]).MaxPool2d([2]) // tensor([[[[4.]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool2d", "jax.lax.reduce_window", "dsharp.maxpool2d",
        Composed = true, Notes = "NCHW or CHW; padding is −inf; ties: first maximum")]
    public Tensor MaxPool2d(int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null,
        bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(2, "maxPool2d", kernelSize, stride, padding, dilation, ceilMode)).Values;

    /// <summary>As <see cref="MaxPool2d"/>, with the int64 index of each maximum, flat within its [H, W] plane
    /// (h·W + w, as PyTorch's <c>return_indices=True</c>).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 4.0, 3.0], [1, 1, 2, 2]).MaxPool2dWithIndices([2]).Indices
    /// // tensor([[[[2]]]], dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool2d_with_indices", "", "dsharp.maxpool2di",
        Composed = true, Notes = "indices int64, h·W + w")]
    public (Tensor Values, Tensor Indices) MaxPool2dWithIndices(int[] kernelSize, int[]? stride = null,
        int[]? padding = null, int[]? dilation = null, bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(2, "maxPool2dWithIndices", kernelSize, stride, padding, dilation, ceilMode));

    /// <summary>The maximum of each window over the last three axes of [N, C, D, H, W] or [C, D, H, W], as
    /// <see cref="MaxPool2d"/> with one more axis.</summary>
    /// <remarks>Per-axis arguments take one element for every axis or one per axis. Ties give the gradient to the
    /// first maximum in window order (depth, then height, then width); NaN propagates (docs/conventions.md).</remarks>
    /// <example><code>
    /// Tensor.Arange(0.0, 8.0).Reshape([1, 1, 2, 2, 2]).MaxPool3d([2]) // tensor([[[[[7.]]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool3d", "jax.lax.reduce_window", "dsharp.maxpool3d",
        Composed = true, Notes = "NCDHW or CDHW; padding is −inf; ties: first maximum")]
    public Tensor MaxPool3d(int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null,
        bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(3, "maxPool3d", kernelSize, stride, padding, dilation, ceilMode)).Values;

    /// <summary>As <see cref="MaxPool3d"/>, with the int64 index of each maximum, flat within its [D, H, W] volume
    /// ((d·H + h)·W + w).</summary>
    /// <example><code>
    /// Tensor.Arange(0.0, 8.0).Reshape([1, 1, 2, 2, 2]).MaxPool3dWithIndices([2]).Indices // tensor([[[[[7]]]]],
    /// dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.max_pool3d_with_indices", "", "dsharp.maxpool3di",
        Composed = true, Notes = "indices int64")]
    public (Tensor Values, Tensor Indices) MaxPool3dWithIndices(int[] kernelSize, int[]? stride = null,
        int[]? padding = null, int[]? dilation = null, bool ceilMode = false) =>
        MaxPooled(this, MaxSpec(3, "maxPool3dWithIndices", kernelSize, stride, padding, dilation, ceilMode));

    /// <summary>The mean of each window along the last axis of [N, C, L] or [C, L]: windows of
    /// <paramref name="kernelSize"/> every <paramref name="stride"/> (the kernel size by default), over the input
    /// padded by zeros.</summary>
    /// <remarks>Where <paramref name="countIncludePad"/> (the default) the padding counts in the divisor, else only
    /// the input's elements do; a partial window of <paramref name="ceilMode"/> never counts what lies beyond the
    /// padding. <paramref name="divisorOverride"/>, where given, divides every window's sum instead.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 1, 4]).AvgPool1d([2]) // tensor([[[2., 1.]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.avg_pool1d", "jax.lax.reduce_window", "dsharp.avgpool1d",
        Notes = "[N, C, L] or [C, L]; count_include_pad by default")]
    public Tensor AvgPool1d(int[] kernelSize, int[]? stride = null, int[]? padding = null, bool ceilMode = false,
        bool countIncludePad = true, int? divisorOverride = null) =>
        AveragePooled(this, AvgSpec(1, "avgPool1d", kernelSize, stride, padding, ceilMode, countIncludePad,
            divisorOverride));

    /// <summary>The mean of each window over the last two axes of [N, C, H, W] or [C, H, W], as
    /// <see cref="AvgPool1d"/> with one more axis.</summary>
    /// <remarks>Per-axis arguments take one element for both axes or one per axis. The divisor is the window's size
    /// clipped to the padded input (<paramref name="countIncludePad"/>) or to the input, or
    /// <paramref name="divisorOverride"/>.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [1, 1, 2, 2]).AvgPool2d([2]) // tensor([[[[2.5000]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.avg_pool2d", "jax.lax.reduce_window", "dsharp.avgpool2d",
        Notes = "NCHW or CHW; count_include_pad by default")]
    public Tensor AvgPool2d(int[] kernelSize, int[]? stride = null, int[]? padding = null, bool ceilMode = false,
        bool countIncludePad = true, int? divisorOverride = null) =>
        AveragePooled(this, AvgSpec(2, "avgPool2d", kernelSize, stride, padding, ceilMode, countIncludePad,
            divisorOverride));

    /// <summary>The mean of each window over the last three axes of [N, C, D, H, W] or [C, D, H, W], as
    /// <see cref="AvgPool2d"/> with one more axis.</summary>
    /// <example><code>
    /// Tensor.Arange(0.0, 8.0).Reshape([1, 1, 2, 2, 2]).AvgPool3d([2]) // tensor([[[[[3.5000]]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.avg_pool3d", "jax.lax.reduce_window", "dsharp.avgpool3d",
        Notes = "NCDHW or CDHW; count_include_pad by default")]
    public Tensor AvgPool3d(int[] kernelSize, int[]? stride = null, int[]? padding = null, bool ceilMode = false,
        bool countIncludePad = true, int? divisorOverride = null) =>
        AveragePooled(this, AvgSpec(3, "avgPool3d", kernelSize, stride, padding, ceilMode, countIncludePad,
            divisorOverride));

    /// <summary>The mean over <paramref name="outputSize"/> windows along the last axis of [N, C, L] or [C, L]: output
    /// o covers positions ⌊o·L/m⌋ to ⌈(o+1)·L/m⌉ − 1 of m outputs.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 4]).AdaptiveAvgPool1d([2]) // tensor([[2., 1.]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_avg_pool1d", "", "", Notes = "windows ⌊o·L/m⌋ … ⌈(o+1)·L/m⌉")]
    public Tensor AdaptiveAvgPool1d(int[] outputSize) =>
        AveragePooled(this, PoolSpec.Adaptive(this, 1, "adaptiveAvgPool1d", false, outputSize));

    /// <summary>The mean over <paramref name="outputSize"/> windows ([oH, oW], or one size for both) of the last two
    /// axes of [N, C, H, W] or [C, H, W], as <see cref="AdaptiveAvgPool1d"/> along each axis.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [1, 1, 2, 2]).AdaptiveAvgPool2d([1]) // tensor([[[[2.5000]]]],
    /// dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_avg_pool2d", "", "", Notes = "global average pooling with [1]")]
    public Tensor AdaptiveAvgPool2d(int[] outputSize) =>
        AveragePooled(this, PoolSpec.Adaptive(this, 2, "adaptiveAvgPool2d", false, outputSize));

    /// <summary>The mean over <paramref name="outputSize"/> windows of the last three axes of [N, C, D, H, W] or
    /// [C, D, H, W], as <see cref="AdaptiveAvgPool1d"/> along each axis.</summary>
    /// <example><code>
    /// Tensor.Arange(0.0, 8.0).Reshape([1, 2, 2, 2]).AdaptiveAvgPool3d([1]) // tensor([[[[3.5000]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_avg_pool3d", "", "", Notes = "windows as adaptive_avg_pool1d per axis")]
    public Tensor AdaptiveAvgPool3d(int[] outputSize) =>
        AveragePooled(this, PoolSpec.Adaptive(this, 3, "adaptiveAvgPool3d", false, outputSize));

    /// <summary>The maximum over <paramref name="outputSize"/> windows along the last axis of [N, C, L] or [C, L],
    /// with <see cref="AdaptiveAvgPool1d"/>'s windows.</summary>
    /// <remarks>Ties give the gradient to the first maximum; NaN propagates, as <see cref="MaxPool1d"/>.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 4]).AdaptiveMaxPool1d([2]) // tensor([[3., 2.]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_max_pool1d", "", "", Composed = true, Notes = "ties: first maximum")]
    public Tensor AdaptiveMaxPool1d(int[] outputSize) =>
        MaxPooled(this, PoolSpec.Adaptive(this, 1, "adaptiveMaxPool1d", true, outputSize)).Values;

    /// <summary>As <see cref="AdaptiveMaxPool1d"/>, with the int64 index of each maximum along the last axis.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 3.0, 2.0, 0.0], [1, 4]).AdaptiveMaxPool1dWithIndices([2]).Indices
    /// // tensor([[1, 2]], dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_max_pool1d_with_indices", "", "", Composed = true, Notes = "indices int64")]
    public (Tensor Values, Tensor Indices) AdaptiveMaxPool1dWithIndices(int[] outputSize) =>
        MaxPooled(this, PoolSpec.Adaptive(this, 1, "adaptiveMaxPool1dWithIndices", true, outputSize));

    /// <summary>The maximum over <paramref name="outputSize"/> windows of the last two axes of [N, C, H, W] or
    /// [C, H, W], with <see cref="AdaptiveAvgPool2d"/>'s windows.</summary>
    /// <remarks>Ties give the gradient to the first maximum; NaN propagates, as <see cref="MaxPool2d"/>.</remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [1, 1, 2, 2]).AdaptiveMaxPool2d([1]) // tensor([[[[4.]]]], dtype=float64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_max_pool2d", "", "", Composed = true, Notes = "ties: first maximum")]
    public Tensor AdaptiveMaxPool2d(int[] outputSize) =>
        MaxPooled(this, PoolSpec.Adaptive(this, 2, "adaptiveMaxPool2d", true, outputSize)).Values;

    /// <summary>As <see cref="AdaptiveMaxPool2d"/>, with the int64 index of each maximum, flat within its plane
    /// (h·W + w).</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0, 4.0, 3.0], [1, 1, 2, 2]).AdaptiveMaxPool2dWithIndices([1]).Indices
    /// // tensor([[[[2]]]], dtype=int64)
    /// </code></example>
    [Peers("torch.nn.functional.adaptive_max_pool2d_with_indices", "", "",
        Composed = true, Notes = "indices int64, h·W + w")]
    public (Tensor Values, Tensor Indices) AdaptiveMaxPool2dWithIndices(int[] outputSize) =>
        MaxPooled(this, PoolSpec.Adaptive(this, 2, "adaptiveMaxPool2dWithIndices", true, outputSize));
}

/// <summary>
/// One pooling's geometry, checked: the public op's name, the windows of depth, height and width on planes
/// [P, D, H, W] (a 1-d or 2-d pooling has single windows on the axes it lacks), the average's divisor override
/// (0: none) and PyTorch's arguments for a backend that calls PyTorch.
/// </summary>
internal sealed class PoolSpec
{
    internal readonly string Op;

    /// <summary>The op's name as the ops of a graph are named: the C# method's (<c>AvgPool2d</c>).</summary>
    internal string Title =>
        char.ToUpperInvariant(Op[0]) + Op[1..].Replace("WithIndices", "", StringComparison.Ordinal);
    internal readonly int Dims, Divisor;
    internal readonly bool Max, AdaptiveKind, CeilMode, CountIncludePad;
    internal readonly int[] Kernel, Stride, Padding, Dilation; // three axes each, depth first
    internal readonly AxisWindows D, H, W;

    /// <summary>Equal for two specs exactly when their pooling computes the same function.</summary>
    internal readonly string Key;

    private PoolSpec(string op, int dims, bool max, bool adaptive, AxisWindows[] w, int[] kernel, int[] stride,
        int[] padding, int[] dilation, bool ceil, bool countPad, int divisor)
    {
        (Op, Dims, Max, AdaptiveKind, CeilMode, CountIncludePad, Divisor) =
            (op, dims, max, adaptive, ceil, countPad, divisor);
        (Kernel, Stride, Padding, Dilation) = (kernel, stride, padding, dilation);
        (D, H, W) = (w[0], w[1], w[2]);
        Key = string.Join(",", max, adaptive, ceil, countPad, divisor, string.Join(" ", kernel),
            string.Join(" ", stride), string.Join(" ", padding), string.Join(" ", dilation),
            D.Input, H.Input, W.Input, D.Output, H.Output, W.Output);
    }

    /// <summary>[P, D, H, W] for <paramref name="planes"/> planes.</summary>
    internal int[] InputPlanes(int planes) => [planes, D.Input, H.Input, W.Input];

    /// <summary>[P, oD, oH, oW] for <paramref name="planes"/> planes.</summary>
    internal int[] OutputPlanes(int planes) => [planes, D.Output, H.Output, W.Output];

    /// <summary>The number of planes of an input of <paramref name="shape"/>: its leading axes' product.</summary>
    internal int Planes(int[] shape)
    {
        int p = 1;
        for (int i = 0; i < shape.Length - Dims; i++) p *= shape[i];
        return p;
    }

    /// <summary>The result's shape for an input of <paramref name="shape"/>: its leading axes, then the outputs'
    /// sizes.</summary>
    internal int[] OutputShape(int[] shape)
    {
        int[] sizes = [D.Output, H.Output, W.Output];
        return [.. shape[..^Dims], .. sizes[^Dims..]];
    }

    /// <summary>The input checked (floating point, [N, C, spatial…] or [C, spatial…]): its spatial sizes.</summary>
    private static int[] Spatial(Tensor x, int dims, string op)
    {
        Windows.Batched(x, dims, op);
        if (!x.DType.IsFloat())
            throw new DTypeMismatchException(
                $"{op}: the input {Shapes.Show(x)} is not floating point; convert it with ToDType(DType.Float32) or "
                + "ToDType(DType.Float64) first");
        return x.shape[^dims..];
    }

    private static int[] ThreeAxes(int[] v, int dims, int missing) =>
        [.. Enumerable.Repeat(missing, 3 - dims), .. v];

    /// <summary>A max or average pooling with sliding windows of <paramref name="x"/>, checked as PyTorch checks
    /// them.</summary>
    internal static PoolSpec Sliding(Tensor x, int dims, string op, bool max, int[] kernelSize, int[]? stride,
        int[]? padding, int[]? dilation, bool ceilMode, bool countPad, int? divisorOverride)
    {
        Guard.NotNull(kernelSize);
        var sizes = Spatial(x, dims, op);
        var k = Windows.PerAxis(kernelSize, dims, 0, op, "kernelSize", 1);
        var s = stride is null or { Length: 0 } ? k : Windows.PerAxis(stride, dims, 0, op, "stride", 1);
        var p = Windows.PerAxis(padding, dims, 0, op, "padding", 0);
        var d = Windows.PerAxis(dilation, dims, 1, op, "dilation", 1);
        if (divisorOverride is <= 0)
            throw new ArgumentOutOfRangeException(nameof(divisorOverride),
                $"{op}: divisorOverride is {divisorOverride}; it must be positive, or null to divide by the "
                + "window's size");
        var windows = new AxisWindows[3];
        for (int a = 0; a < 3 - dims; a++) windows[a] = AxisWindows.Single;
        for (int a = 0; a < dims; a++)
        {
            if (p[a] > k[a] / 2)
                throw new ArgumentOutOfRangeException(nameof(padding),
                    $"{op}: padding {Windows.Show(p)} is more than half the kernel {Windows.Show(k)} "
                    + $"along spatial axis {a}; pad at most kernelSize / 2 (pad the input first with Pad for more)");
            int o = Windows.OutputSize(sizes[a], k[a], s[a], 2 * p[a], d[a], op, a, ceilMode, p[a]);
            var w = AxisWindows.Sliding(sizes[a], o, k[a], s[a], p[a], d[a], countPad);
            if (Array.IndexOf(w.Count, 0) is var empty and >= 0)
                throw new ArgumentOutOfRangeException(nameof(dilation),
                    $"{op}: along spatial axis {a}, window {empty} of the input {Shapes.Show(x)} (kernel {k[a]}, "
                    + $"dilation {d[a]}, padding {p[a]}) holds padding only; use less padding or dilation");
            windows[3 - dims + a] = w;
        }
        return new(op, dims, max, false, windows, ThreeAxes(k, dims, 1), ThreeAxes(s, dims, 1),
            ThreeAxes(p, dims, 0), ThreeAxes(d, dims, 1), ceilMode, countPad, divisorOverride ?? 0);
    }

    /// <summary>An adaptive max or average pooling of <paramref name="x"/> to <paramref name="outputSize"/>.</summary>
    internal static PoolSpec Adaptive(Tensor x, int dims, string op, bool max, int[] outputSize)
    {
        Guard.NotNull(outputSize);
        var sizes = Spatial(x, dims, op);
        var o = Windows.PerAxis(outputSize, dims, 0, op, "outputSize", 1);
        var windows = new AxisWindows[3];
        for (int a = 0; a < 3 - dims; a++) windows[a] = AxisWindows.Single;
        for (int a = 0; a < dims; a++)
        {
            if (sizes[a] < 1)
                throw new ShapeMismatchException(
                    $"{op}: the input {Shapes.Show(x)} is empty along spatial axis {a}; adaptive pooling needs at "
                    + "least one element there");
            windows[3 - dims + a] = AxisWindows.Adaptive(sizes[a], o[a]);
        }
        int[] none = [0, 0, 0], ones = [1, 1, 1];
        return new(op, dims, max, true, windows, ThreeAxes(o, dims, 1), ones, none, ones, false, true, 0);
    }
}

internal abstract partial class Backend
{
    /// <summary>The int64 positions of the maxima of a pooling on planes [P, D, H, W] (PoolSpec), flat in each plane;
    /// null where the backend has none.</summary>
    internal virtual Tensor? PoolIndices(Tensor planes, PoolSpec spec) => null;

    /// <summary>An average pooling on planes [P, D, H, W], or its adjoint from [P, oD, oH, oW]; null where the backend
    /// has none.</summary>
    internal virtual Tensor? AveragePool(Tensor planes, PoolSpec spec, bool adjoint) => null;
}
