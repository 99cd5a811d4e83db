namespace FuncGrad;

/// <summary>The checks and reading of key tensors: int64 [..., 2], each element a 32-bit word in [0, 2^32).</summary>
internal static class Keys
{
    /// <summary>An error unless <paramref name="keys"/> has the dtype and shape of keys.</summary>
    internal static void Check(Tensor keys, string op)
    {
        if (keys.DType != DType.Int64 || keys.Rank == 0 || keys.shape[^1] != 2)
            throw new ShapeMismatchException(
                $"{op}: the key is {Shapes.Show(keys)}; a key is an int64 tensor [2] (a batch of keys [..., 2]) made " +
                "by RandomKeys.Key(seed), Split or Fold");
    }

    /// <summary>The words of plain keys, two per key, checked to be in [0, 2^32).</summary>
    internal static uint[] Words(Tensor keys, string op)
    {
        var v = keys.Span<long>();
        var w = new uint[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            if ((ulong)v[i] > uint.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(keys),
                    $"{op}: element {i} of the key is {v[i]}; a key's elements are 32-bit words in [0, 2^32). Make " +
                    "keys with RandomKeys.Key(seed), Split or Fold rather than by hand");
            w[i] = (uint)v[i];
        }
        return w;
    }
}
