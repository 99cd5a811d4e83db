using FuncGrad.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace FuncGrad;

// Matrix products. The core op multiplies batches of matrices (rank ≥ 2) with NumPy-style
// broadcasting of the batch dimensions; vectors are promoted to matrices around it.
public sealed partial class Tensor
{
    // C = op(A)·op(B), where op transposes the last two axes when the op's flag says so. Only the
    // plain product is public; the transposed forms let the VJP multiply by Aᵀ or Bᵀ without copying
    // a transpose, and they are closed under differentiation: each one's VJP uses the three forms.
    private sealed class MatMulOp(bool transposeA, bool transposeB) : Op
    {
        public static readonly MatMulOp Instance = new(false, false);
        internal static readonly MatMulOp TransposedA = new(true, false); // Aᵀ·B
        internal static readonly MatMulOp TransposedB = new(false, true); // A·Bᵀ
        public override string Name => transposeA ? "MatMulTA" : transposeB ? "MatMulTB" : "MatMul";
        public override bool ReadsValuesOnly => true;

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "matmul");
            Inner(x[0], x[1]);
            return backend.MatMul(x[0], x[1], transposeA, transposeB);
        }

        public override Tensor Compute(Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "matmul");
            return x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);
        }

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (shape, m, k, n) = Product(a.shape, b.shape);
            // the kernel writes every element
            var c = Storage.Uninitialized<T>(Shapes.Count(shape, "matmul"), out var lease);
            Multiply(a.Buffer<T>(), a.shape, b.Buffer<T>(), b.shape, c, m, k, n);
            return Plain(shape, c, lease);
        }

        /// <summary>The product's shape and its matrices' dimensions, or the error for shapes that do not
        /// multiply.</summary>
        private (int[] Shape, int M, int K, int N) Product(int[] a, int[] b)
        {
            int m = transposeA ? a[^1] : a[^2], k = transposeA ? a[^2] : a[^1];
            int n = transposeB ? b[^2] : b[^1];
            if ((transposeB ? b[^1] : b[^2]) != k)
                throw new ShapeMismatchException(
                    $"{Name}: cannot multiply {Shapes.Show(a)} by {Shapes.Show(b)}: inner dimensions differ");
            if (a.Length == 2 && b.Length == 2) return ([m, n], m, k, n);
            var batch = Shapes.Broadcast(a[..^2], b[..^2], "matmul");
            return (batch.Concat(new[] { m, n }).ToArray(), m, k, n);
        }

        /// <summary>c = the product of aa (shape a) and bb (shape b), batch by batch.</summary>
        private void Multiply<T>(T[] aa, int[] a, T[] bb, int[] b, T[] c, int m, int k, int n)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (a.Length == 2 && b.Length == 2)
            {
                // One matrix product: no batch dimensions to broadcast.
                if (transposeA) Gemm.MultiplyTransposedA(aa, 0, bb, 0, c, 0, m, k, n);
                else if (transposeB) Gemm.MultiplyTransposedB(aa, 0, bb, 0, c, 0, m, k, n);
                else Gemm.Multiply(aa, 0, bb, 0, c, 0, m, k, n);
                return;
            }
            var aBatch = a[..^2];
            var bBatch = b[..^2];
            var batch = Shapes.Broadcast(aBatch, bBatch, "matmul");
            int count = Shapes.Count(batch, "matmul");
            var aStr = Strided.BroadcastStrides(aBatch, batch);
            var bStr = Strided.BroadcastStrides(bBatch, batch);
            var idx = new int[batch.Length];
            for (int i = 0; i < count; i++)
            {
                int ao = 0, bo = 0, r = i;
                for (int d = batch.Length - 1; d >= 0; d--)
                {
                    idx[d] = r % batch[d]; r /= batch[d]; ao += idx[d] * aStr[d]; bo += idx[d] * bStr[d];
                }
                if (transposeA) Gemm.MultiplyTransposedA(aa, ao * m * k, bb, bo * k * n, c, i * m * n, m, k, n);
                else if (transposeB) Gemm.MultiplyTransposedB(aa, ao * m * k, bb, bo * k * n, c, i * m * n, m, k, n);
                else Gemm.Multiply(aa, ao * m * k, bb, bo * k * n, c, i * m * n, m, k, n);
            }
        }

        internal override StepKernel? Kernel(StepTypes s) => !s.OneDType ? null
            : s.DType == DType.Float64 ? new Step<double>(this, s) : new Step<float>(this, s);

        /// <summary>In a compiled program: the products Compute makes, into the result's buffer.</summary>
        private sealed class Step<T>(MatMulOp op, StepTypes s) : StepKernel
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            private readonly int a = s.Args[0], b = s.Args[1], y = s.Result;
            private readonly int[] aShape = s.ArgShape(0), bShape = s.ArgShape(1);
            private readonly (int[] Shape, int M, int K, int N) p = op.Product(s.ArgShape(0), s.ArgShape(1));

            internal override void Run(Frame f, int lo, int hi) =>
                op.Multiply(f.Array<T>(a), aShape, f.Array<T>(b), bShape, f.Array<T>(y), p.M, p.K, p.N);
        }

        private void Inner(Tensor a, Tensor b) => Product(a.shape, b.shape);

        // d(A·B) = dA·B + A·dB, so the cotangents of C = A·B are G·Bᵀ and Aᵀ·G; of C = A·Bᵀ, G·B and
        // Gᵀ·A; of C = Aᵀ·B, B·Gᵀ and A·G. Each is summed over broadcast batch dimensions.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var (a, b) = (x[0], x[1]);
            Tensor? da = null, db = null;
            if (needs[0])
                da = transposeA ? Op.Apply(TransposedB, b, g)
                    : transposeB ? Op.Apply(Instance, g, b)
                    : Op.Apply(TransposedB, g, b);
            if (needs[1])
                db = transposeA ? Op.Apply(Instance, a, g)
                    : transposeB ? Op.Apply(TransposedA, g, a)
                    : Op.Apply(TransposedA, a, g);
            return [da?.SumTo(a.shape), db?.SumTo(b.shape)];
        }

        // A constant matrix times a dual column (the forward pass of a Hessian-vector product, and Aᵀ·g on
        // its way back): value and tangent in one pass over the matrix instead of two.
        public override (Tensor Value, Tensor Tangent)? ValueAndJvp(Tensor[] x, Tensor?[] dx)
        {
            var (a, b) = (x[0], x[1]);
            if (transposeB || dx[0] is not null || dx[1] is not { } db) return null;
            if (a.tag != 0 || b.tag != 0 || db.tag != 0 || a.Rank != 2 || b.Rank != 2 || b.shape[1] != 1) return null;
            if (a.OnDevice || b.OnDevice || db.OnDevice) return null; // the managed kernel reads arrays
            if (a.DType != b.DType || db.DType != b.DType || !Shapes.Same(db.shape, b.shape)) return null;
            int m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1];
            if (k < 2 || b.shape[0] != k) return null; // k = 1 is an outer product, computed by plain multiplies
            return a.DType == DType.Float64 ? VectorPair<double>(a, b, db, m, k) : VectorPair<float>(a, b, db, m, k);
        }

        private (Tensor, Tensor) VectorPair<T>(Tensor a, Tensor b, Tensor db, int m, int k)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var value = Storage.Uninitialized<T>(m, out var valueLease);
            var tangent = Storage.Uninitialized<T>(m, out var tangentLease);
            Gemm.MultiplyVectorPair(a.Buffer<T>(), transposeA, b.Buffer<T>(), db.Buffer<T>(), value, tangent, m, k);
            return (Plain([m, 1], value, valueLease), Plain([m, 1], tangent, tangentLease));
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var a = dx[0] is null ? null : Op.Apply(this, dx[0]!, x[1]);
            var b = dx[1] is null ? null : Op.Apply(this, x[0], dx[1]!);
            return (a is null ? b! : b is null ? a : a + b).BroadcastTo(y.shape);
        }

        // A batch of left matrices times a shared one is one product of stacked rows; a shared matrix times a batch
        // of right matrices is one product with the batch side by side in its columns (of a single column: the batch
        // as rows, times the shared matrix transposed). Otherwise the batch joins the product's batch dimensions.
        // Each element is still the same sum over k; the kernel's order of that sum depends on the product's shape
        // (a single column takes the matrix-vector path), so such results may differ in the last bits.
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var (a, b) = (x[0], x[1]);
            if (axes[1] is null && a.Rank == 3 && b.Rank == 2 && !transposeA)
            {
                var rows = Batching.Front(a, axes[0]);
                int m = rows.shape[1];
                var c = Op.Apply(transposeB ? TransposedB : Instance, rows.Reshape([size * m, rows.shape[2]]), b);
                return (c.Reshape([size, m, c.shape[1]]), 0);
            }
            if (axes[0] is null && a.Rank == 2 && b.Rank == 3)
            {
                var right = Batching.Front(b, axes[1]);
                int k = a.shape[transposeA ? 0 : 1], n = right.shape[transposeB ? 1 : 2];
                if (n == 1)
                {
                    var c = Op.Apply(transposeA ? Instance : TransposedB, right.Reshape([size, k]), a); // [size, m]
                    return (c.Reshape([size, c.shape[1], 1]), 0);
                }
                if (!transposeB)
                {
                    var columns = Batching.Moved(right, 0, 1).Reshape([k, size * n]);
                    var c = Op.Apply(transposeA ? TransposedA : Instance, a, columns);
                    return (c.Reshape([c.shape[0], size, n]), 1);
                }
            }
            int rank = Math.Max(a.Rank - (axes[0] is null ? 0 : 1), b.Rank - (axes[1] is null ? 0 : 1));
            var pa = axes[0] is int i ? Batching.Padded(Batching.Moved(a, i, 0), rank) : a;
            var pb = axes[1] is int j ? Batching.Padded(Batching.Moved(b, j, 0), rank) : b;
            return (Op.Apply(this, pa, pb), 0);
        }
    }

    /// <summary>
    /// The matrix product, with NumPy's rules for batches and for 1-D operands.
    /// </summary>
    /// <remarks>
    /// NumPy's rules: 2-D × 2-D is a matrix product; higher ranks are batches of matrices whose batch dimensions
    /// broadcast; a 1-D operand is a row (on the left) or a column (on the right) vector whose added dimension is
    /// removed from the result.
    /// </remarks>
    /// <example><code>
    /// Tensor.Eye(2).MatMul(Tensor.FromArray([3.0, 4.0])) // tensor([3., 4.], dtype=float64)
    /// </code></example>
    [Peers("torch.matmul", "jnp.matmul", "dsharp.matmul", Notes = "NumPy's rules: vectors promoted, batches broadcast")]
    public Tensor MatMul(Tensor other)
    {
        Guard.NotNull(other);
        var a = this; var b = other;
        if (a.Rank == 0 || b.Rank == 0)
            throw new RankException($"matmul: cannot multiply {Shapes.Show(a)} by {Shapes.Show(b)}: "
                + "scalars are not matrices; use * for scaling");
        Elementwise.SameDType(a, b, "matmul");
        bool rowVector = a.Rank == 1, columnVector = b.Rank == 1;
        var a2 = rowVector ? a.Unsqueeze(0) : a;
        var b2 = columnVector ? b.Unsqueeze(1) : b;
        if (a2.shape[^1] != b2.shape[^2])
            throw new ShapeMismatchException(
                $"matmul: cannot multiply {Shapes.Show(a.shape)} by {Shapes.Show(b.shape)}: "
                + $"inner dimensions {a2.shape[^1]} and {b2.shape[^2]} differ; "
                + "the first operand's last dimension must equal "
                + $"the second's {(b.Rank == 1 ? "length" : "second-to-last dimension")} "
                + "(transpose or reshape one of them)");
        if (a2.Rank > 2 || b2.Rank > 2) Shapes.Broadcast(a2.shape[..^2], b2.shape[..^2], "matmul (batch dimensions)");
        // A batch of matrices times one matrix is one taller product (as PyTorch folds it): one GEMM instead of a
        // GEMM per batch entry, and the matrix's gradient one product instead of a product per entry and a sum.
        var c = a2.Rank > 2 && b2.Rank == 2
            ? Op.Apply(MatMulOp.Instance, a2.Reshape([Shapes.Count(a2.shape[..^1], "matmul"), a2.shape[^1]]), b2)
                .Reshape([.. a2.shape[..^1], b2.shape[1]])
            : Op.Apply(MatMulOp.Instance, a2, b2);
        if (rowVector) c = c.Squeeze(-2);
        if (columnVector) c = c.Squeeze(-1);
        return c;
    }

    /// <summary>The inner product of two vectors of equal length.</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Dot(Tensor.FromArray([3.0, 4.0])) // tensor(11., dtype=float64)
    /// </code></example>
    [Peers("torch.dot", "jnp.dot", "dsharp.dot", Notes = "two vectors", Composed = true)]
    public Tensor Dot(Tensor other)
    {
        Guard.NotNull(other);
        if (Rank != 1 || other.Rank != 1 || Count != other.Count)
            throw new ShapeMismatchException(
                $"dot: needs two vectors of one length but got {Shapes.Show(this)} and {Shapes.Show(other)}; "
                + "use MatMul for matrices");
        return MatMul(other);
    }

    /// <summary>
    /// Σ aᵢ·bᵢ over the trailing axes of two tensors of one shape, the first <c>lead</c> axes kept: a tensor of those
    /// axes, each element one dot product of the contiguous rows it heads. Vdot is lead 0; vmap adds the batch as a
    /// leading axis, so a batch of examples runs the very kernel each example would (the bits are a loop's).
    /// </summary>
    private sealed class VdotOp(int lead) : Op
    {
        public static readonly VdotOp Whole = new(0);
        public override string Name => "Vdot";
        internal override object Identity => ("Vdot", lead);
        public override bool ReadsValuesOnly => true;

        private int[] Kept(int[] shape) => shape[..lead];

        public override Tensor Compute(Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "vdot");
            return x[0].DType == DType.Float64 ? Compute<double>(x[0], x[1]) : Compute<float>(x[0], x[1]);
        }

        private Tensor Compute<T>(Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var shape = Kept(a.shape);
            if (lead == 0) return PlainScalar(shape, TensorPrimitives.Dot(a.Span<T>(), b.Span<T>()));
            var d = new T[Shapes.Count(shape, "vdot")];
            Rows(a.Span<T>(), b.Span<T>(), d);
            return Plain(shape, d);
        }

        /// <summary>d[r] = the dot product of row r of a and of b, the rows splitting the spans evenly.</summary>
        private static void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (d.Length == 0) return;
            int n = a.Length / d.Length;
            for (int r = 0; r < d.Length; r++) d[r] = TensorPrimitives.Dot(a.Slice(r * n, n), b.Slice(r * n, n));
        }

        // The rows as a batch of row-times-column products, which every backend has.
        internal override Tensor? ComputeOn(Backend backend, Tensor[] x)
        {
            Elementwise.SameDType(x[0], x[1], "vdot");
            var shape = Kept(x[0].shape);
            int rows = Shapes.Count(shape, "vdot"), n = rows == 0 ? 0 : x[0].Count / rows;
            return backend.MatMul(x[0].Reshaped([rows, 1, n]), x[1].Reshaped([rows, n, 1]), false, false)
                ?.Reshaped(shape);
        }

        internal override StepKernel? Kernel(StepTypes s) => !s.OneDType ? null
            : s.DType == DType.Float64 ? new Step<double>(s) : new Step<float>(s);

        /// <summary>In a compiled program: the dot products Compute makes, into the result's buffer.</summary>
        private sealed class Step<T>(StepTypes s) : StepKernel where T : unmanaged, IFloatingPointIeee754<T>
        {
            private readonly int a = s.Args[0], b = s.Args[1], y = s.Result, n = s.ArgCount(0), count = s.Count;

            internal override void Run(Frame f, int lo, int hi) =>
                Rows(f.In<T>(a, 0, n), f.In<T>(b, 0, n), f.Out<T>(y, 0, count));
        }

        // d⟨a, b⟩ = ⟨da, b⟩ + ⟨a, db⟩: the cotangents are g·b and g·a, g spread over each row.
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
        {
            var spread = g.Reshape([.. Kept(x[0].shape), .. Enumerable.Repeat(1, x[0].Rank - lead)]);
            return [needs[0] ? spread * x[1] : null, needs[1] ? spread * x[0] : null];
        }

        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
        {
            var a = dx[0] is null ? null : Op.Apply(this, dx[0]!, x[1]);
            var b = dx[1] is null ? null : Op.Apply(this, x[0], dx[1]!);
            return a is null ? b! : b is null ? a : a + b;
        }

        // The batch becomes one more kept axis in front (a shared argument is repeated along it).
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size)
        {
            var a = axes[0] is int i ? Batching.Moved(x[0], i, 0) : Batching.Repeated(x[0], size);
            var b = axes[1] is int j ? Batching.Moved(x[1], j, 0) : Batching.Repeated(x[1], size);
            return (Op.Apply(new VdotOp(lead + 1), a, b), 0);
        }
    }

    /// <summary>
    /// The sum of the products of matching elements of two tensors of one shape, of any rank: Σᵢ aᵢ·bᵢ over their
    /// values in row-major order, a rank-0 tensor. For vectors it is <see cref="Dot"/>.
    /// </summary>
    /// <remarks>
    /// JAX's <c>jnp.vdot</c> for real tensors, with one difference: JAX flattens any two arrays of one size, while
    /// here the shapes must be equal, so a [2, 3] against a [3, 2] (most often a transpose forgotten) is an error
    /// rather than a number; reshape one first where that pairing is meant. One pass of TensorPrimitives.Dot over the
    /// two arrays, allocating nothing but the result; its order of summation depends on the vector width (as a sum's
    /// does), not on where the arrays lie. On a device it is the backend's matrix product of a row and a column.
    /// </remarks>
    /// <example><code>
    /// Tensor.Ones([2, 3]).Vdot(Tensor.Full([2, 3], 2.0)) // tensor(12., dtype=float64)
    /// </code></example>
    [Peers("torch.vdot", "jnp.vdot", "",
        Notes = "any rank, shapes equal (torch.vdot takes vectors; jnp.vdot flattens)")]
    public Tensor Vdot(Tensor other)
    {
        Guard.NotNull(other);
        Elementwise.SameDType(this, other, "vdot");
        if (!Shapes.Same(shape, other.shape))
            throw new ShapeMismatchException(
                $"vdot: needs two tensors of one shape but got {Shapes.Show(this)} and {Shapes.Show(other)}; "
                + "reshape one to the other's shape where their elements pair up in row-major order");
        return Op.Apply(VdotOp.Whole, this, other);
    }

    /// <summary>The outer product of two vectors: result[i, j] = a[i]·b[j].</summary>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Outer(Tensor.FromArray([3.0, 4.0, 5.0])).Shape // evaluates to [2, 3]
    /// </code></example>
    [Peers("torch.outer", "jnp.outer", "dsharp.outer", Composed = true)]
    public Tensor Outer(Tensor other)
    {
        Guard.NotNull(other);
        if (Rank != 1 || other.Rank != 1)
            throw new RankException($"outer: needs two vectors but got {Shapes.Show(this)} and {Shapes.Show(other)}; "
                + "flatten them first");
        return Unsqueeze(1) * other.Unsqueeze(0);
    }
}
