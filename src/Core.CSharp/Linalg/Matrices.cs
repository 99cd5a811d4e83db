using FuncGrad.Kernels;

namespace FuncGrad;

/// <summary>
/// What the solves and factorisations share: the checks of their matrix arguments, the walk over broadcast batch
/// elements (split over the kernels' threads, each element computed alone, so the bits never depend on the split),
/// and the triangle masks their rules multiply by.
/// </summary>
internal static class Matrices
{
    /// <summary>The size n of a batch of square matrices [..batch, n, n], or the error naming the op.</summary>
    internal static int Square(Tensor a, string op)
    {
        if (a.Rank < 2)
            throw new RankException(
                $"{op}: expects square matrices, a tensor [..batch, n, n] of rank 2 or more, but got {Shapes.Show(a)}; "
                + "reshape a vector to [n, n] or [1, 1]");
        if (a.shape[^1] != a.shape[^2])
            throw new ShapeMismatchException(
                $"{op}: expects square matrices [..batch, n, n] but got {Shapes.Show(a)}; pass the square part "
                + "(Slice), or use Lstsq for a rectangular system");
        return a.shape[^1];
    }

    /// <summary>The broadcast batch shape of two batches of matrices.</summary>
    internal static int[] Batch(Tensor a, Tensor b, string op) =>
        Shapes.Broadcast(a.shape[..^2], b.shape[..^2], op);

    /// <summary>The offsets (in elements) of each batch element of x, broadcast to <paramref name="batch"/>.</summary>
    internal static int[] Offsets(Tensor x, int[] batch)
    {
        int count = Shapes.Count(batch, "batch");
        int size = x.shape[^1] * x.shape[^2];
        var strides = Strided.BroadcastStrides(x.shape[..^2], batch);
        var offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            int o = 0, r = i;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                o += r % batch[d] * strides[d];
                r /= batch[d];
            }
            offsets[i] = o * size;
        }
        return offsets;
    }

    /// <summary>
    /// body(lo, hi) over batch elements [lo, hi): in parts over the kernels' threads where the batch is large enough
    /// to repay them (each element about <paramref name="work"/> multiply-adds), else on this thread.
    /// </summary>
    internal static void ForBatch(int count, long work, Action<int, int> body)
    {
        int parts = Environment.ProcessorCount > 1 && count > 1 && count * work >= 1L << 16
            ? Math.Min(count, Environment.ProcessorCount * 4) : 1;
        if (parts == 1) { body(0, count); return; }
        Workers.For(parts, p => body((int)((long)count * p / parts), (int)((long)count * (p + 1) / parts)));
    }

    /// <summary>
    /// A constant [n, n] of x's dtype, beside x, that is 1 on the lower (or upper) triangle and 0 elsewhere; the
    /// diagonal is 1, 0 (<paramref name="diagonal"/> = 0) or ½.
    /// </summary>
    internal static Tensor Triangle(Tensor x, int n, bool upper, double diagonal)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i * n + j] = i == j ? diagonal : (upper ? j > i : j < i) ? 1.0 : 0.0;
        return Tensor.Beside(Tensor.FromArray(m, [n, n]).ToDType(x.DType), x);
    }

    /// <summary>The last two axes swapped.</summary>
    internal static Tensor T(Tensor x) => x.Transpose(-2, -1);
}
