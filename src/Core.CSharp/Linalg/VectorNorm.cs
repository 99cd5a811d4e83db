using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// The vector p-norm over chosen axes (torch.linalg.vector_norm), for every real p. One op: the kernel computes the
// norm without overflow or underflow (Kernels/Linalg/VectorNorms.cs); the rules share one slope ∂‖x‖/∂x, written with
// FuncGrad's ops, whose guards sit on its inputs so that no 0·inf reaches any order.
public static partial class Linalg
{
    private sealed class VectorNormOp(double p, int[] axes, bool keepDims) : Op
    {
        public override string Name => "VectorNorm";
        internal override object Identity => (Name, p, string.Join(",", axes), keepDims);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.VectorNorm(x[0], p, axes, keepDims);
        public override bool ReadsValuesOnly => true;

        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);

        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int rank = x.Rank, kept = rank - axes.Length;
            // the reduced axes last, each row of the reduction contiguous (as they are already when trailing)
            var perm = new int[rank];
            for (int i = 0, j = 0, r = kept; i < rank; i++)
                if (Array.IndexOf(axes, i) >= 0) perm[r++] = i; else perm[j++] = i;
            bool trailing = true;
            for (int i = 0; i < rank; i++) trailing &= perm[i] == i;
            ReadOnlySpan<T> rows = x.Span<T>();
            if (!trailing)
            {
                var own = Shapes.Strides(x.shape);
                var shape = new int[rank];
                var strides = new int[rank];
                for (int i = 0; i < rank; i++) { shape[i] = x.shape[perm[i]]; strides[i] = own[perm[i]]; }
                var moved = new T[x.Count];
                Strided.Gather(rows, 0, shape, strides, moved);
                rows = moved;
            }
            int length = 1;
            foreach (var a in axes) length *= x.shape[a];
            var outShape = Shapes.Reduced(x.shape, axes, keepDims);
            var d = new T[Shapes.Count(outShape, "vectorNorm")];
            VectorNorms.Rows(rows, length, p, d);
            GC.KeepAlive(x);
            return Tensor.Plain(outShape, d);
        }

        /// <summary>∂‖x‖/∂x (x's shape) given the norm n with the reduced axes kept: sign(x)·(|x|/n)^(p−1), and at
        /// the kinks the subgradient 0 (PyTorch's): where n = 0, at zero elements for p &lt; 1, and everywhere for
        /// p = 0; for ±inf, sign(x) shared evenly among the elements of the extreme magnitude.</summary>
        private Tensor Slope(Tensor x, Tensor n)
        {
            if (p == 0) return Tensor.ZerosLike(x);
            if (double.IsInfinity(p))
            {
                var hit = x.Abs().Eq(n).ToDType(x.DType);
                return x.Sign() * hit / hit.Sum(axes, keepDims: true);
            }
            if (p == 1) return x.Sign();
            // Where n = 0 the slope is the constant 0 (a mask, so its derivatives are 0 too), and n is replaced by 1
            // before anything divides by it. For p < 0 that is wherever an element is 0.
            var zero = n.Const(0);
            var safeN = Tensor.Where(n.Eq(zero), n.Const(1), n);
            var nonzero = n.Ne(zero).ToDType(x.DType);
            if (p == 2) return x / safeN * nonzero;
            // The base |x|/n is replaced by 1 at zero elements (where sign(x) = 0 makes the slope 0), so its power
            // never forms 0^(p−1) = inf for p < 1.
            return Tensor.Where(x.Eq(x.Const(0)), x.Const(1), x.Abs() / safeN).Pow(p - 1) * x.Sign() * nonzero;
        }

        private Tensor Kept(Tensor t, Tensor x) => t.Reshape(Shapes.Reduced(x.shape, axes, true));

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
            [Kept(g, x[0]) * Slope(x[0], Kept(y, x[0]))];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) =>
            (dx[0]! * Slope(x[0], Kept(y, x[0]))).Sum(axes, keepDims);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, (v, a, k) => Op.Apply(new VectorNormOp(p, a, k), v));
    }

    /// <summary>The p-norm (Σ|xᵢ|ᵖ)^(1/p) over <paramref name="dim"/> (every element when null) for any real
    /// <paramref name="ord"/>: 0 counts nonzeros, ±inf is the largest or smallest magnitude.</summary>
    /// <remarks>Huge and tiny values keep their norm (the sum is scaled by a power of two). At a kink the gradient
    /// is PyTorch's subgradient: 0 where the norm is 0 and, for ord &lt; 1, at zero elements; ±inf share it among
    /// ties. See docs/conventions.md.</remarks>
    /// <example><code>Linalg.VectorNorm(Tensor.FromArray([3.0, 4.0])) // tensor(5., dtype=float64)</code></example>
    [Peers("torch.linalg.vector_norm", "jnp.linalg.vector_norm", "dsharp.norm",
        Notes = "any real ord; no overflow for huge values; gradient 0 at 0")]
    public static Tensor VectorNorm(Tensor x, double ord = 2, int[]? dim = null, bool keepDim = false)
    {
        Guard.NotNull(x);
        if (double.IsNaN(ord))
            throw new ArgumentException("vectorNorm: ord is NaN; pass a real number, or ±infinity");
        if (!x.DType.IsFloat())
            throw new DTypeMismatchException($"vectorNorm: computes with floating-point tensors, but x is "
                + $"{Shapes.Show(x)}; convert it with ToDType(DType.Float64) or ToDType(DType.Float32) first");
        var axes = Shapes.Axes(dim, x.shape, "vectorNorm");
        if (double.IsInfinity(ord))
        {
            int length = 1;
            foreach (var a in axes) length *= x.shape[a];
            if (length == 0)
                throw new EmptyTensorException($"vectorNorm: the {(ord > 0 ? "" : "-")}inf norm of nothing is "
                    + $"undefined, and {Shapes.Show(x)} has no elements over the axes reduced; reduce over nonempty "
                    + "axes, or use a finite ord");
        }
        return Op.Apply(new VectorNormOp(ord, axes, keepDim), x);
    }
}

internal abstract partial class Backend
{
    /// <summary>The p-norm of x over the sorted axes (torch.linalg.vector_norm).</summary>
    internal virtual Tensor? VectorNorm(Tensor x, double p, int[] axes, bool keepDims) => null;
}
