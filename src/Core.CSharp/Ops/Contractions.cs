namespace FuncGrad;

// Contractions with fixed patterns: tensordot pairs axes of two tensors and sums over them (one matrix product, by
// Einsum's pairwise contraction), and the Kronecker product interleaves the two tensors' axes in a broadcast multiply.
// Both are compositions, so every transformation reaches them through the ops they are made of. Vdot, the
// contraction over every axis, is in LinearAlgebra.cs beside Dot.
public sealed partial class Tensor
{
    /// <summary>
    /// The sum of products over the last <paramref name="dims"/> axes of this tensor and the first
    /// <paramref name="dims"/> of <paramref name="other"/>, paired in order: the result has this tensor's other axes,
    /// then <paramref name="other"/>'s.
    /// </summary>
    /// <remarks>
    /// <c>dims</c> 0 is the outer product, 1 the matrix product of matrices, 2 (the default, as torch.tensordot's)
    /// contracts two axes each. The paired axes must have equal sizes. One matrix product, with the operands read
    /// where they lie when the paired axes are at the end or the front of each (as <see cref="Einsum"/> reads
    /// them).
    /// </remarks>
    /// <example><code>
    /// Tensor.Ones([2, 3, 4]).Tensordot(Tensor.Ones([3, 4, 5])).Shape // evaluates to [2, 5]
    /// </code></example>
    [Peers("torch.tensordot", "jnp.tensordot", "",
        Notes = "dims a number, or two axis lists", Composed = true)]
    public Tensor Tensordot(Tensor other, int dims = 2)
    {
        Guard.NotNull(other);
        if (dims < 0 || dims > Rank || dims > other.Rank)
            throw new RankException($"tensordot: dims {dims} for {Shapes.Show(this)} and {Shapes.Show(other)}; "
                + $"it counts the trailing axes of the first and the leading axes of the second paired, from 0 to "
                + $"{Math.Min(Rank, other.Rank)}");
        return Tensordot(other, Enumerable.Range(Rank - dims, dims).ToArray(), Enumerable.Range(0, dims).ToArray());
    }

    /// <summary>
    /// The sum of products over axis <c>dimsA[i]</c> of this tensor paired with axis <c>dimsB[i]</c> of
    /// <paramref name="other"/>, for each i: the result has this tensor's unpaired axes in order, then
    /// <paramref name="other"/>'s.
    /// </summary>
    /// <remarks>Negative axes count from the end. The lists have one length, name each axis once, and pair axes of
    /// equal sizes.</remarks>
    /// <example><code>
    /// Tensor.Ones([3, 2]).Tensordot(Tensor.Ones([3, 5]), [0], [0]).Shape // evaluates to [2, 5]
    /// </code></example>
    public Tensor Tensordot(Tensor other, int[] dimsA, int[] dimsB)
    {
        Guard.NotNull(other);
        Guard.NotNull(dimsA);
        Guard.NotNull(dimsB);
        Elementwise.SameDType(this, other, "tensordot");
        if (dimsA.Length != dimsB.Length)
            throw new ShapeMismatchException($"tensordot: dimsA [{string.Join(", ", dimsA)}] and dimsB "
                + $"[{string.Join(", ", dimsB)}] have different lengths; they pair axes one to one");
        var a = Axes(dimsA, shape, "dimsA", Shapes.Show(this));
        var b = Axes(dimsB, other.shape, "dimsB", Shapes.Show(other));
        // Labels: this tensor's axes 0…r−1, the other's paired axes the labels of their partners, its own after.
        var left = Enumerable.Range(0, Rank).ToArray();
        var right = new int[other.Rank];
        for (int i = 0, next = Rank; i < other.Rank; i++)
        {
            int pair = Array.IndexOf(b, i);
            right[i] = pair >= 0 ? a[pair] : next++;
        }
        for (int i = 0; i < a.Length; i++)
            if (shape[a[i]] != other.shape[b[i]])
                throw new ShapeMismatchException($"tensordot: axis {a[i]} of {Shapes.Show(this)} has size "
                    + $"{shape[a[i]]} but the axis {b[i]} of {Shapes.Show(other)} paired with it has "
                    + $"{other.shape[b[i]]}; paired axes must have equal sizes");
        int[] output = [.. left.Where(l => !a.Contains(l)), .. right.Where(l => l >= Rank)];
        return Contract([this, other], [left, right], output, "tensordot");
    }

    /// <summary>The axes of <paramref name="dims"/>, from the end when negative, each named once.</summary>
    private static int[] Axes(int[] dims, int[] shape, string name, string of)
    {
        var axes = dims.Select(d => Shapes.Axis(d, shape, "tensordot")).ToArray();
        if (axes.Distinct().Count() != axes.Length)
            throw new AxisOutOfRangeException($"tensordot: {name} [{string.Join(", ", dims)}] names an axis of "
                + $"{of} twice; pair each axis at most once");
        return axes;
    }

    /// <summary>
    /// The Kronecker product: for tensors of one rank, the blocks this[i]·<paramref name="other"/> laid out as this
    /// tensor's elements are, so result[i·s + j] = this[i]·other[j] along every axis, s being
    /// <paramref name="other"/>'s size along it.
    /// </summary>
    /// <remarks>As torch.kron: the tensor of lower rank gains leading axes of size 1 first, so the result's shape is
    /// the product of the two shapes axis by axis. One broadcast multiply of the two tensors, their axes
    /// interleaved, then a reshape.</remarks>
    /// <example><code>
    /// Tensor.Eye(2).Kron(Tensor.Ones([2, 3])).Shape // evaluates to [4, 6]
    /// </code></example>
    [Peers("torch.kron", "jnp.kron", "", Composed = true)]
    public Tensor Kron(Tensor other)
    {
        Guard.NotNull(other);
        Elementwise.SameDType(this, other, "kron");
        int rank = Math.Max(Rank, other.Rank);
        int[] Padded(int[] s) => [.. Enumerable.Repeat(1, rank - s.Length), .. s];
        var (sa, sb) = (Padded(shape), Padded(other.shape));
        var a = Reshape(Enumerable.Range(0, 2 * rank).Select(i => i % 2 == 0 ? sa[i / 2] : 1).ToArray());
        var b = other.Reshape(Enumerable.Range(0, 2 * rank).Select(i => i % 2 == 0 ? 1 : sb[i / 2]).ToArray());
        return (a * b).Reshape(Enumerable.Range(0, rank).Select(i => sa[i] * sb[i]).ToArray());
    }
}
