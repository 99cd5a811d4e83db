using FuncGrad.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// QR, least squares and matrix functions (src/Core.CSharp/Linalg/Qr.cs, Lstsq.cs, MatrixFunctions.cs).
internal sealed partial class TorchBackend
{
    // LAPACK's geqrf leaves R's diagonal of either sign: rows of R and columns of Q are negated where it is negative,
    // which gives the managed kernel's factors (unique for a matrix of full rank).
    internal override (Tensor? Q, Tensor R)? Qr(Tensor x, QrMode mode)
    {
        var d = DeviceOf(x);
        using var a = Read(x, d);
        var (q, r) = linalg.qr(a.T, mode switch
        {
            QrMode.Complete => linalg.QRMode.Complete,
            QrMode.R => linalg.QRMode.R,
            _ => linalg.QRMode.Reduced,
        });
        using (q)
        using (r)
        {
            using var diagonal = r.diagonal(0, -2, -1);
            using var negative = diagonal.lt(0);
            using var flips = negative.to_type(diagonal.dtype);
            using var signs = flips.mul(-2).add(1);
            using var rowSigns = Ones(signs, r.shape[^2]).unsqueeze(-1);
            // LAPACK's factors are column-major, and a product keeps its argument's strides: made row-major, which
            // a view of the result (mode r's reshape) needs.
            using var rSigned = r.mul(rowSigns);
            var rFixed = rSigned.contiguous();
            if (mode == QrMode.R) return (null, Wrap(rFixed, d));
            using var columnSigns = Ones(signs, q.shape[^1]).unsqueeze(-2);
            using var qSigned = q.mul(columnSigns);
            return (Wrap(qSigned.contiguous(), d), Wrap(rFixed, d));
        }
    }

    /// <summary>The signs [.., k] padded with ones to [.., length].</summary>
    private static TT Ones(TT signs, long length)
    {
        long k = signs.shape[^1];
        if (k == length) return signs.alias();
        var shape = signs.shape.ToArray();
        shape[^1] = length - k;
        using var ones = torch.ones(shape, signs.dtype, signs.device);
        return torch.cat([signs, ones], -1);
    }

    // matrix_exp views its argument's batch as one axis, which a permuted argument (a vmap axis moved to the
    // front) does not allow: it gets a contiguous copy.
    internal override Tensor? MatrixExp(Tensor a) => One(a, t =>
    {
        using var c = t.contiguous();
        return linalg.matrix_exp(c);
    });
}
