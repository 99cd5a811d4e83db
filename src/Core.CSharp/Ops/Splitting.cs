namespace FuncGrad;

// Ops that cut a tensor into several: split, chunk, unbind, and meshgrid, which spreads vectors over a grid. Each part
// is a slice (or a broadcast), so every part's gradient pads back into the whole, and every dtype works.
public sealed partial class Tensor
{
    /// <summary>Parts of <paramref name="splitSize"/> elements along <paramref name="dim"/>, the last one smaller when
    /// the size does not divide the axis.</summary>
    /// <remarks>Every dtype. Each part is a <see cref="Slice(int, int, int)"/>; an empty axis gives one empty
    /// part.</remarks>
    /// <example><code>Tensor.Arange(0, 5).Split(2).Length // evaluates to 3</code></example>
    [Peers("torch.split", "jnp.split", "dsharp.split", Notes = "a part size or a list of sizes (jnp.split takes "
        + "indices)", Composed = true)]
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        int ax = Shapes.Axis(dim, shape, "split"), n = shape[ax];
        if (splitSize <= 0 && !(splitSize == 0 && n == 0))
            throw new ArgumentOutOfRangeException(nameof(splitSize), $"split: part size {splitSize} for axis {dim} of "
                + $"size {n} in {Shapes.Show(this)}; give a size of 1 or more (or a list of sizes)");
        if (n == 0) return [this];
        var parts = new Tensor[(n + splitSize - 1) / splitSize];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = Slice(ax, i * splitSize, Math.Min(n, (i + 1) * splitSize));
        return parts;
    }

    /// <summary>Parts of <c>splitSizes[i]</c> elements along <paramref name="dim"/>, in order; the sizes must add up to
    /// the axis's size.</summary>
    /// <remarks>Every dtype. Each part is a <see cref="Slice(int, int, int)"/>.</remarks>
    /// <example><code>Tensor.Arange(0, 5).Split([1, 4])[1] // tensor([1., 2., 3., 4.], dtype=float64)</code></example>
    public Tensor[] Split(int[] splitSizes, int dim = 0)
    {
        Guard.NotNull(splitSizes);
        int ax = Shapes.Axis(dim, shape, "split"), n = shape[ax];
        long total = splitSizes.Sum(s => (long)s);
        if (splitSizes.Any(s => s < 0) || total != n)
            throw new ShapeMismatchException($"split: sizes [{string.Join(", ", splitSizes)}] (sum {total}) do not "
                + $"cut axis {dim} of size {n} in {Shapes.Show(this)}; give sizes of zero or more that add up to {n}");
        var parts = new Tensor[splitSizes.Length];
        for (int i = 0, at = 0; i < parts.Length; at += splitSizes[i], i++)
            parts[i] = Slice(ax, at, at + splitSizes[i]);
        return parts;
    }

    /// <summary>At most <paramref name="chunks"/> parts along <paramref name="dim"/>, each of ⌈size / chunks⌉
    /// elements but the last, as PyTorch's <c>chunk</c> (which may return fewer parts).</summary>
    /// <remarks>Every dtype. <see cref="Split(int, int)"/> with that part size.</remarks>
    /// <example><code>Tensor.Arange(0, 5).Chunk(3)[2] // tensor([4.], dtype=float64)</code></example>
    [Peers("torch.chunk", "jnp.array_split", "", Notes = "parts of ⌈n / chunks⌉; may return fewer", Composed = true)]
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        int ax = Shapes.Axis(dim, shape, "chunk"), n = shape[ax];
        if (chunks <= 0)
            throw new ArgumentOutOfRangeException(nameof(chunks),
                $"chunk: {chunks} chunks asked of {Shapes.Show(this)}; ask for 1 or more");
        return Split(n == 0 ? 0 : (n + chunks - 1) / chunks, ax);
    }

    /// <summary>The slices along <paramref name="dim"/>, each without that axis.</summary>
    /// <remarks>Every dtype. The inverse of <see cref="Stack"/>.</remarks>
    /// <example><code>Tensor.Zeros([2, 3]).Unbind(1).Length // evaluates to 3</code></example>
    [Peers("torch.unbind", "", "dsharp.unstack", Notes = "inverse of stack", Composed = true)]
    public Tensor[] Unbind(int dim = 0)
    {
        if (Rank == 0)
            throw new RankException("unbind: a scalar has no axis to take apart; Reshape it to [1] first");
        int ax = Shapes.Axis(dim, shape, "unbind");
        var parts = new Tensor[shape[ax]];
        for (int i = 0; i < parts.Length; i++) parts[i] = Slice(ax, i, i + 1).Squeeze(ax);
        return parts;
    }

    /// <summary>Coordinate grids: output i holds vector i's values spread along its own axis of the grid, whose shape
    /// is the vectors' lengths (with <c>"xy"</c>, the first two swapped, as Cartesian plots).</summary>
    /// <remarks>Every dtype, all the vectors' the same; a scalar counts as a vector of one. Each output is a
    /// broadcast, so its gradient sums back to its vector.</remarks>
    /// <example><code>
    /// Tensor.Meshgrid([Tensor.Arange(0, 2), Tensor.Arange(0, 3)])[1].Shape // evaluates to [2, 3]
    /// </code></example>
    [Peers("torch.meshgrid", "jnp.meshgrid", "", Notes = "indexing \"ij\" (default, as PyTorch) or \"xy\" (NumPy's "
        + "default)", Composed = true)]
    public static Tensor[] Meshgrid(IReadOnlyList<Tensor> tensors, string indexing = "ij")
    {
        Guard.NotNull(tensors);
        Guard.NotNull(indexing);
        if (indexing is not ("ij" or "xy"))
            throw new ArgumentException($"meshgrid: indexing \"{indexing}\" is not \"ij\" or \"xy\"", nameof(indexing));
        if (tensors.Count == 0)
            throw new ArgumentException("meshgrid: no tensors given; give one vector per axis of the grid",
                nameof(tensors));
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t is null)
                throw new ArgumentNullException(nameof(tensors), $"meshgrid: tensor {i} is null; pass a tensor");
            if (t.Rank > 1)
                throw new RankException($"meshgrid: tensor {i} is {Shapes.Show(t)}; every input must be a vector "
                    + "(or a scalar): Flatten it first");
            if (t.DType != tensors[0].DType)
                throw new DTypeMismatchException($"meshgrid: tensor {i} is {Shapes.Show(t)} but tensor 0 is "
                    + $"{Shapes.Show(tensors[0])}; convert them to one dtype with ToDType");
        }
        int k = tensors.Count;
        // Where each vector's values go in the grid: its own position, or with "xy" the first two exchanged.
        var at = Enumerable.Range(0, k).ToArray();
        if (indexing == "xy" && k >= 2) (at[0], at[1]) = (1, 0);
        var grid = new int[k];
        for (int i = 0; i < k; i++) grid[at[i]] = tensors[i].Count;
        var parts = new Tensor[k];
        for (int i = 0; i < k; i++)
        {
            var view = Enumerable.Repeat(1, k).ToArray();
            view[at[i]] = grid[at[i]];
            parts[i] = tensors[i].Reshape(view).BroadcastTo(grid);
        }
        return parts;
    }
}
