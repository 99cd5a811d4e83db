using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// The product over axes. Its rules never divide by an element: each element's partial derivative is the product of
// the others, the running product before it times the one after it, so zeros (one or many) are exact at every order.
public sealed partial class Tensor
{
    private readonly struct ProdR : IReduceKernel
    {
        public static T Identity<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.One;
        public static T Aggregate<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Product(x);
        public static void CombineInto<T>(Span<T> acc, ReadOnlySpan<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(acc, x, acc);
    }

    private sealed class ProdOp(int[] axes, bool keepDims) : Op
    {
        public override string Name => "Prod";
        internal override object Identity => ("Prod", string.Join(",", axes), keepDims);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Product("Prod", x[0], axes, keepDims);
        public override Tensor Compute(Tensor[] x) => ReduceCompute<ProdR>(x[0], axes, keepDims);
        internal override StepKernel? Kernel(StepTypes s) => ReduceKernel<ProdR>(s, axes);
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0], axes) * ProductOfOthers(x[0], axes)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            (dx[0]! * ProductOfOthers(x[0], axes)).Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, static (v, a, k) => Op.Apply(new ProdOp(a, k), v));
    }

    /// <summary>
    /// For each element, the product of the other elements of its slice over <paramref name="axes"/>: the reduced axes
    /// moved last and flattened to one line, the exclusive running product from the front times the one from the back
    /// (a linear recurrence), so no element is divided by and every order differentiates through the scans.
    /// </summary>
    private static Tensor ProductOfOthers(Tensor x, int[] axes)
    {
        if (axes.Length == 0) return Beside(x.Const(1), x).BroadcastTo(x.shape);
        var kept = Enumerable.Range(0, x.Rank).Where(a => Array.IndexOf(axes, a) < 0).ToArray();
        int[] order = [.. kept, .. axes];
        int n = 1;
        foreach (var a in axes) n *= x.shape[a];
        if (n == 0) return x;
        var moved = x.Permute(order);
        int last = kept.Length;
        var flat = moved.Reshape([.. kept.Select(a => x.shape[a]), n]);
        var ones = Beside(flat.Const(1), flat).BroadcastTo(flat.shape); // constants on x's device
        var atStart = ones - Shifted(ones, last, 1); // 1 at the first position of the line, 0 after it
        var atEnd = ones - Shifted(ones, last, -1); // 1 at the last position, 0 before it
        var before = Shifted(flat.Cumprod(last), last, 1) + atStart;
        var after = LinearScan(Shifted(flat, last, -1), atEnd, last, reverse: true);
        var inverse = new int[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return (before * after).Reshape(moved.shape).Permute(inverse);
    }

    /// <summary>Product of all elements, or over <paramref name="axes"/> (negative counts from the end); the product of
    /// nothing is 1.</summary>
    /// <remarks>The gradient is exact where elements are zero: each element gets the product of the others (with one
    /// zero, the zero's gradient is the product of the rest and the others' 0; with two or more, all 0), at every
    /// order. Integers and bools multiply in int64, as in PyTorch, and an overflow is an
    /// <see cref="OverflowException"/>.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).Prod([1]) // tensor([ 2., 12.], dtype=float64)
    /// </code></example>
    [Peers("torch.prod", "jnp.prod", "dsharp.prod",
        Notes = "any axes (torch: one dim); exact gradient at zeros; integers in int64")]
    public Tensor Prod(int[]? axes = null, bool keepDims = false)
    {
        var a = Shapes.Axes(axes, shape, "prod");
        if (DType.IsFloat()) return Op.Apply(new ProdOp(a, keepDims), this);
        // integers: the last of a running product over the reduced axes, flattened to one line
        var kept = Enumerable.Range(0, Rank).Where(i => Array.IndexOf(a, i) < 0).ToArray();
        int n = 1;
        foreach (var i in a) n *= shape[i];
        if (n == 0) return Full(Shapes.Reduced(shape, a, keepDims), 1.0, DType.Int64, "prod");
        var line = Permute([.. kept, .. a]).Reshape([.. kept.Select(i => shape[i]), n]);
        return line.Cumprod(kept.Length).Slice(kept.Length, n - 1, n).Reshape(Shapes.Reduced(shape, a, keepDims));
    }
}

internal abstract partial class Backend
{
    /// <summary>The product <paramref name="name"/> ("Prod") over <paramref name="axes"/>, or null where the backend
    /// has none.</summary>
    internal virtual Tensor? Product(string name, Tensor x, int[] axes, bool keepDims) => null;
}
