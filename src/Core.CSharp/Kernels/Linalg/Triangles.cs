namespace FuncGrad.Kernels;

/// <summary>The lower or upper triangle of each matrix of a batch, the rest zero.</summary>
internal static class Triangles
{
    /// <summary>
    /// dst = src with the elements of each <paramref name="rows"/>×<paramref name="cols"/> matrix off the triangle set
    /// to zero: below diagonal <paramref name="k"/> kept when <paramref name="upper"/> is false (column − row ≤ k),
    /// on or above it when true (column − row ≥ k). Writes every element of dst.
    /// </summary>
    internal static void Keep<T>(ReadOnlySpan<T> src, Span<T> dst, int rows, int cols, int k, bool upper)
        where T : unmanaged
    {
        int matrix = rows * cols;
        if (matrix == 0) return;
        for (int m = 0; m < src.Length; m += matrix)
            for (int r = 0; r < rows; r++)
            {
                int at = m + r * cols;
                // the kept columns of row r: [0, to) below the diagonal, [from, cols) above it
                long edge = (long)r + k;
                int from = upper ? (int)Math.Clamp(edge, 0, cols) : 0;
                int to = upper ? cols : (int)Math.Clamp(edge + 1, 0, cols);
                dst.Slice(at, from).Clear();
                src.Slice(at + from, to - from).CopyTo(dst.Slice(at + from, to - from));
                dst.Slice(at + to, cols - to).Clear();
            }
    }
}
