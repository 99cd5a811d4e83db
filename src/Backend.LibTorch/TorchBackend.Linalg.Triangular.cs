using TorchSharp;
using static TorchSharp.torch;

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
}
