namespace FuncGrad;

/// <summary>
/// The results of a loop or branch op, several tensors held as one (as a factorisation's are, Packed.cs): each part
/// flattened, converted to one float dtype (float32 where every part is float32 or bool, else float64, which holds
/// float32, int32 and bool exactly, and int64 up to 2⁵³), and laid one after the other.
/// </summary>
internal sealed class Results((int[] Shape, DType DType)[] parts, string name)
{
    internal (int[] Shape, DType DType)[] Parts => parts;

    internal DType Packed { get; } =
        parts.All(p => p.DType is DType.Float32 or DType.Bool) ? DType.Float32 : DType.Float64;

    /// <summary>The parts as one tensor; <paramref name="check"/> on plain values refuses an int64 beyond
    /// 2⁵³.</summary>
    internal Tensor Pack(Tensor[] values, bool check = false)
    {
        var flat = new Tensor[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (check) Exact(values[i]);
            flat[i] = (values[i].DType == Packed ? values[i] : values[i].ToDType(Packed)).Reshape([-1]);
        }
        return flat.Length == 1 ? flat[0] : Tensor.Concat(flat);
    }

    internal Tensor[] Unpack(Tensor p)
    {
        var r = new Tensor[parts.Length];
        int at = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            var (shape, dtype) = parts[i];
            int count = Shapes.Count(shape, name);
            var part = (count == p.shape[0] ? p : p.Slice(0, at, at + count)).Reshape(shape);
            r[i] = part.DType == dtype ? part : part.ToDType(dtype);
            at += count;
        }
        return r;
    }

    /// <summary>The batched parts (examples along <paramref name="axes"/>) as one packed row per example: the value
    /// of a batching rule, with its batch axis 0.</summary>
    internal Tensor Rows(Tensor[] values, int[] axes, int size)
    {
        var rows = new Tensor[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var p = Batching.Moved(values[i], axes[i], 0);
            rows[i] = (p.DType == Packed ? p : p.ToDType(Packed)).Reshape([size, -1]);
        }
        return rows.Length == 1 ? rows[0] : Tensor.Concat(rows, 1);
    }

    /// <summary>Zeros of every part's shape and dtype.</summary>
    internal Tensor[] Zeros() => [.. parts.Select(p => Tensor.Zeros(p.Shape, p.DType))];

    private void Exact(Tensor r)
    {
        if (r.DType != DType.Int64 || Packed != DType.Float64 || r.Count == 0) return;
        foreach (var v in r.ToInt64Array())
            if (Math.Abs(v) > 1L << 53)
                throw new ArgumentOutOfRangeException(nameof(r),
                    $"{name}: an int64 part of its results ({Shapes.Show(r)}) holds a value beyond 2^53, which the " +
                    "loop cannot pass on exactly; keep int64 loop values below 2^53 (a step counter is)");
    }
}
