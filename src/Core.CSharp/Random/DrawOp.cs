using FuncGrad.Kernels.Random;
using System.Runtime.InteropServices;

namespace FuncGrad;

/// <summary>What a <see cref="DrawOp"/> makes from each key.</summary>
internal enum Draw
{
    Split,
    Fold,
    Bits,
    Bernoulli,
    Mask,
    Uniform,
    Normal,
    TruncatedNormal,
    Gumbel,
    Words64,
    Randint,
}

/// <summary>
/// A draw from random keys: an int64 tensor of keys [..., 2] in, the draw of each key out ([..., shape]). The value is
/// a function of the keys alone (Kernels/Random/Draws.cs), so the op has no derivative (keys are integers) and batches
/// by moving the keys' batch axis to the front, where it is one more axis of keys. On a device it computes on the host
/// and moves the result, so every device gives the same bits.
/// </summary>
/// <param name="kind">The draw.</param>
/// <param name="shape">One key's draw shape ([n, 2] for split, [2] for fold).</param>
/// <param name="dtype">The result's dtype.</param>
/// <param name="a">Low, lower bound or a mask's kept value.</param>
/// <param name="b">High, upper bound or a mask's dropped value.</param>
/// <param name="i">An integer parameter: folded data, a threshold (Philox.DropThreshold), randint's low.</param>
/// <param name="j">Randint's range.</param>
internal sealed class DrawOp(Draw kind, int[] shape, DType dtype, double a = 0, double b = 0, long i = 0, long j = 0)
    : Tensor.MaskOp
{
    public override string Name => kind.ToString();

    internal override object Identity =>
        ("Draw", kind, string.Join(",", shape), dtype, BitConverter.DoubleToInt64Bits(a),
            BitConverter.DoubleToInt64Bits(b), i, j);

    /// <summary>The draws of <paramref name="keys"/>, after checking that they are keys.</summary>
    internal static Tensor On(Tensor keys, Draw kind, int[] shape, DType dtype, string op, double a = 0, double b = 0,
        long i = 0, long j = 0)
    {
        Keys.Check(keys, op);
        return Op.Apply(new DrawOp(kind, shape, dtype, a, b, i, j), keys.Value);
    }

    public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) =>
        (Op.Apply(this, Batching.Front(x[0], axes[0])), 0);

    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) =>
        backend.FromManaged(Compute([backend.ToManaged(x[0])]), x[0].StorageDevice);

    public override Tensor Compute(Tensor[] x)
    {
        var keys = x[0];
        var words = Keys.Words(keys, Name);
        var batch = keys.shape[..^1];
        int[] outShape = [.. batch, .. shape];
        int count = Shapes.Count(shape, Name), many = words.Length / 2;
        Shapes.Count(outShape, Name); // an overflow is an error that names the op
        return dtype switch
        {
            DType.Float64 => Tensor.Plain(outShape, Fill<double>(words, count, many)),
            DType.Float32 => Tensor.Plain(outShape, Fill<float>(words, count, many)),
            DType.Int32 => Tensor.Plain(outShape, DType.Int32, Ints(Fill<long>(words, count, many))),
            DType.Bool => Tensor.Plain(outShape, DType.Bool, Fill<bool>(words, count, many)),
            _ => Tensor.Plain(outShape, DType.Int64, Fill<long>(words, count, many)),
        };
    }

    private static int[] Ints(long[] v) => Array.ConvertAll(v, e => (int)e);

    /// <summary>Each key's draw into its own run of the result: the keys in parallel when there are many, a long run
    /// split into parts of whole Philox blocks (every part reads the words the whole would), so the bits do not depend
    /// on the number of threads.</summary>
    private T[] Fill<T>(uint[] words, int count, int many) where T : struct
    {
        var y = new T[count * many];
        const int part = 1 << 16;
        if (many == 1 && count >= 2 * part && kind is not (Draw.Split or Draw.Fold))
        {
            int parts = (count + part - 1) / part;
            Kernels.Workers.For(parts, p =>
            {
                int start = p * part;
                One(words[0], words[1], (ulong)start, y.AsSpan(start, Math.Min(part, count - start)));
            });
        }
        else if (many > 1 && (long)count * many >= 1 << 15)
            Kernels.Workers.For(many, i => One(words[2 * i], words[2 * i + 1], 0, y.AsSpan(i * count, count)));
        else
            for (int i = 0; i < many; i++) One(words[2 * i], words[2 * i + 1], 0, y.AsSpan(i * count, count));
        return y;
    }

    /// <summary>Elements <paramref name="first"/>, first + 1, … of the draw of key (k0, k1) into
    /// <paramref name="y"/>, of the op's dtype.</summary>
    private void One<T>(uint k0, uint k1, ulong first, Span<T> y) where T : struct
    {
        switch (kind)
        {
            case Draw.Split:
                var split = MemoryMarshal.Cast<T, long>(y);
                for (int n = 0; n < split.Length / 2; n++)
                    (split[2 * n], split[2 * n + 1]) = Draws.Split(k0, k1, n);
                return;
            case Draw.Fold:
                var fold = MemoryMarshal.Cast<T, long>(y);
                (fold[0], fold[1]) = Draws.Fold(k0, k1, i);
                return;
            case Draw.Bits:
                Draws.Bits(k0, k1, first, MemoryMarshal.Cast<T, long>(y));
                return;
            case Draw.Words64:
                Draws.Words64(k0, k1, first, MemoryMarshal.Cast<T, ulong>(y));
                return;
            case Draw.Randint:
                Draws.Randint(k0, k1, first, i, (ulong)j, MemoryMarshal.Cast<T, long>(y));
                return;
            case Draw.Bernoulli:
                Draws.Bernoulli(k0, k1, first, (ulong)i, MemoryMarshal.Cast<T, bool>(y));
                return;
            case Draw.Mask when typeof(T) == typeof(double):
                Draws.Mask(k0, k1, first, (ulong)i, a, b, MemoryMarshal.Cast<T, double>(y));
                return;
            case Draw.Mask:
                Draws.Mask(k0, k1, first, (ulong)i, (float)a, (float)b, MemoryMarshal.Cast<T, float>(y));
                return;
            case Draw.Uniform when typeof(T) == typeof(double):
                Draws.Uniform(k0, k1, first, a, b, MemoryMarshal.Cast<T, double>(y));
                return;
            case Draw.Uniform:
                Draws.Uniform(k0, k1, first, (float)a, (float)b, MemoryMarshal.Cast<T, float>(y));
                return;
        }
        // The continuous draws compute in float64; float32 is their rounding.
        var d = typeof(T) == typeof(double) ? MemoryMarshal.Cast<T, double>(y) : new double[y.Length];
        switch (kind)
        {
            case Draw.Normal:
                Draws.Normal(k0, k1, first, d);
                break;
            case Draw.TruncatedNormal:
                Draws.TruncatedNormal(k0, k1, first, a, b, d);
                break;
            default: // Gumbel: −log(−log u), by FuncGrad's own logarithm, the same on every ISA
                Draws.OpenUnit(k0, k1, first, d);
                Tensor.Plain([d.Length], d.ToArray()).Log().Neg().Log().Neg().Span<double>().CopyTo(d);
                break;
        }
        if (typeof(T) == typeof(float))
        {
            var f = MemoryMarshal.Cast<T, float>(y);
            for (int n = 0; n < f.Length; n++) f[n] = (float)d[n];
        }
    }
}
