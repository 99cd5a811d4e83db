namespace FuncGrad;

public static partial class Linalg
{
    // TEMPORARY until la-chol is merged.
    internal static Tensor SolveTriangular(Tensor a, Tensor b, bool upper, bool left = true, bool unitriangular = false)
        => throw new NotImplementedException();
}

public static partial class Linalg
{
    // TEMPORARY until la-chol is merged.
    internal static Tensor Inv(Tensor a) => throw new NotImplementedException();
}
