using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// torch.linalg's eigh, eigvalsh, svd and svdvals, their results packed as Linalg's ops pack theirs and their vectors'
// signs fixed as FuncGrad fixes them (each vector's largest component positive), so both backends agree up to ties.
internal sealed partial class TorchBackend
{
    internal override Tensor? Eigh(Tensor a, bool upper, bool vectors)
    {
        var d = DeviceOf(a);
        using var x = Read(a, d);
        int n = a.shape[^1];
        int[] batch = a.shape[..^2];
        char uplo = upper ? 'U' : 'L';
        if (!vectors) return Wrap(linalg.eigvalsh(x.T, uplo), d, [.. batch, n], a.DType);
        var (w, v) = linalg.eigh(x.T, uplo);
        using (w)
        using (v)
        {
            using var sign = ColumnSigns(v);
            using var fixedV = v * sign;
            using var flat = fixedV.reshape([.. batch.Select(b => (long)b), n * n]);
            return Wrap(cat([w, flat], -1), d, [.. batch, n + n * n], a.DType);
        }
    }

    internal override Tensor? Svd(Tensor a, bool vectors, bool full)
    {
        var d = DeviceOf(a);
        using var x = Read(a, d);
        int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
        int[] batch = a.shape[..^2];
        var lead = batch.Select(b => (long)b).ToArray();
        if (!vectors) return Wrap(linalg.svdvals(x.T), d, [.. batch, k], a.DType);
        var (u, s, vh) = linalg.svd(x.T, full);
        using (u)
        using (s)
        using (vh)
        {
            // U's columns by their own largest components; Vᵀ's first k rows follow U's, the rest by their own
            using var uSign = ColumnSigns(u);
            using var fixedU = u * uSign;
            using var rowsSign = ColumnSigns(vh.transpose(-2, -1)).transpose(-2, -1);
            using var partner = uSign.narrow(-1, 0, k).transpose(-2, -1);
            using var vSign = vh.shape[^2] > k ? cat([partner, rowsSign.narrow(-2, k, vh.shape[^2] - k)], -2)
                : partner.alias();
            using var fixedVh = vh * vSign;
            using var uFlat = fixedU.reshape([.. lead, -1]);
            using var vFlat = fixedVh.reshape([.. lead, -1]);
            var packed = cat([uFlat, s, vFlat], -1);
            int stride = checked((int)packed.shape[^1]);
            return Wrap(packed, d, [.. batch, stride], a.DType);
        }
    }

    /// <summary>±1 per column of <paramref name="v"/> ([..., rows, cols] → [..., 1, cols]): the sign of the column's
    /// component of largest magnitude (the first of equals).</summary>
    private static TT ColumnSigns(TT v)
    {
        using var magnitude = v.abs();
        using var at = magnitude.argmax(-2, keepdim: true);
        using var lead = v.gather(-2, at);
        using var negative = lead.lt(0);
        using var one = ones_like(lead);
        using var minus = -one;
        return where(negative, minus, one);
    }
}
