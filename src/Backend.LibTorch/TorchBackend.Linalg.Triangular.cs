using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// Triangular solves, Cholesky, LU, solves and determinants (src/Core.CSharp/Linalg/Triangular.cs and its family).
internal sealed partial class TorchBackend
{
    internal override Tensor? SolveTriangular(Tensor a, Tensor b, bool upper, bool left, bool unit) =>
        Two(a, b, (ta, tb) => linalg.solve_triangular(ta, tb, upper, left, unit));

    internal override (Tensor L, Tensor Info)? CholeskyEx(Tensor a)
    {
        var d = DeviceOf(a);
        using var ta = Read(a, d);
        var (l, info) = linalg.cholesky_ex(ta.T);
        return (Wrap(l, d), Wrap(info, d));
    }

    // torch.linalg.lu_factor refuses a singular matrix; null then, and the op runs on managed copies, which report
    // the pivot (or a status, for the ex form).
    internal override (Tensor LU, Tensor P, Tensor Pivots)? LuFactor(Tensor a)
    {
        var d = DeviceOf(a);
        using var ta = Read(a, d);
        TT lu, pivots;
        try
        {
            var r = linalg.lu_factor(ta.T);
            (lu, pivots) = (r.Item1, r.Item2!);
        }
        catch (ExternalException)
        {
            return null;
        }
        var (p, l, u) = torch.lu_unpack(lu, pivots, unpack_data: false);
        l?.Dispose();
        u?.Dispose();
        return (Wrap(lu, d), Wrap(p, d), Wrap(pivots, d));
    }

    internal override (Tensor X, Tensor Info)? SolveEx(Tensor a, Tensor b, bool left)
    {
        var d = DeviceOf(a, b);
        using var ta = Read(a, d);
        using var tb = Read(b, d);
        // torch reads B as a batch of vectors where B's shape is A's less its last axis: expanded to a common batch,
        // B has a rank more than that, so it is always matrices, as the op means it
        var batch = Long(Shapes.Broadcast(a.shape[..^2], b.shape[..^2], "solve"));
        using var ea = ta.T.expand([.. batch, a.shape[^2], a.shape[^1]]);
        using var eb = tb.T.expand([.. batch, b.shape[^2], b.shape[^1]]);
        var (x, info) = linalg.solve_ex(ea, eb, left);
        return (Wrap(x, d), Wrap(info, d));
    }

    internal override Tensor? Det(Tensor a) => One(a, ta => linalg.det(ta));

    internal override (Tensor Sign, Tensor LogAbs)? Slogdet(Tensor a)
    {
        var d = DeviceOf(a);
        using var ta = Read(a, d);
        var (sign, logabs) = linalg.slogdet(ta.T);
        return (Wrap(sign, d), Wrap(logabs, d));
    }
}
