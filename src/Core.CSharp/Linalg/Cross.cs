namespace FuncGrad;

// The cross product of 3-vectors, composed of index selects and elementwise products: c = a[1,2,0]·b[2,0,1] −
// a[2,0,1]·b[1,2,0] along the axis, so its rules, batching and device kernels are those ops'.
public static partial class Linalg
{
    private static readonly int[] Next = [1, 2, 0], Last = [2, 0, 1];

    /// <summary>The cross product a × b of the 3-vectors along axis <paramref name="dim"/>; the other axes
    /// broadcast.</summary>
    /// <remarks>As torch.linalg.cross: both arguments have the same rank and size 3 along <paramref name="dim"/>.
    /// Component i is a[i+1]·b[i+2] − a[i+2]·b[i+1] (indices mod 3), rounded as written.</remarks>
    /// <example><code>
    /// var (x, y) = (Tensor.FromArray([1.0, 0.0, 0.0]), Tensor.FromArray([0.0, 1.0, 0.0]));
    /// Linalg.Cross(x, y) // tensor([0., 0., 1.], dtype=float64)
    /// </code></example>
    [Peers("torch.linalg.cross", "jnp.cross", "", Notes = "same rank; size 3 along dim; other axes broadcast",
        Composed = true)]
    public static Tensor Cross(Tensor a, Tensor b, int dim = -1)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        if (a.Rank != b.Rank || a.Rank == 0)
            throw new RankException($"cross: needs two tensors of one rank (1 or more) but got {Shapes.Show(a)} and "
                + $"{Shapes.Show(b)}; Unsqueeze the smaller one so that the 3-vectors' axes line up");
        int d = Shapes.Axis(dim, a.shape, "cross");
        if (a.shape[d] != 3 || b.shape[d] != 3)
            throw new ShapeMismatchException($"cross: axis {dim} of {Shapes.Show(a)} and {Shapes.Show(b)} has sizes "
                + $"{a.shape[d]} and {b.shape[d]}, but both must be 3; pass the axis that holds the 3-vectors as dim");
        Shapes.Broadcast(a.shape, b.shape, "cross");
        return a.IndexSelect(d, Next) * b.IndexSelect(d, Last) - a.IndexSelect(d, Last) * b.IndexSelect(d, Next);
    }
}
