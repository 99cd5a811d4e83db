namespace FuncGrad;

/// <summary>
/// Several results of one op held in one tensor, so that a factorisation with several factors (LU and its pivots,
/// eigenvalues and eigenvectors, U, S and Vᵀ) is one op of the graph: every part shares the leading batch axes, and
/// each part's trailing axes are flattened and laid one after the other along a last axis. The op's public method
/// unpacks the factors; its VJP receives the packed cotangent (zeros where a factor is not used) and unpacks it; its
/// JVP packs the factors' tangents. Pack and Unpack are made of differentiable ops, so rules may use them.
/// </summary>
internal static class Packed
{
    /// <summary>The parts, each [..batch, ..trailing], as one tensor [..batch, Σ count(trailing)].</summary>
    internal static Tensor Pack(int batchRank, params Tensor[] parts)
    {
        var flat = new Tensor[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            flat[i] = parts[i].Reshape([.. parts[i].shape[..batchRank], -1]);
        return Tensor.Concat(flat, -1);
    }

    /// <summary>The parts of <paramref name="packed"/> ([..batch, n]), of the trailing shapes given, in order.
    /// </summary>
    internal static Tensor[] Unpack(Tensor packed, params int[][] trailing)
    {
        var batch = packed.shape[..^1];
        var parts = new Tensor[trailing.Length];
        int at = 0;
        for (int i = 0; i < trailing.Length; i++)
        {
            int count = Shapes.Count(trailing[i], "unpack");
            parts[i] = packed.Slice(-1, at, at + count).Reshape([.. batch, .. trailing[i]]);
            at += count;
        }
        if (at != packed.shape[^1])
            throw new InvalidOperationException(
                $"unpack: the parts hold {at} elements of each row but the packed tensor {Shapes.Show(packed)} has "
                + $"{packed.shape[^1]}; the op's packing is wrong");
        return parts;
    }
}
