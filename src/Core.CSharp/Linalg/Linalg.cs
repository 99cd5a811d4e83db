namespace FuncGrad;

/// <summary>
/// Linear algebra, named as <c>torch.linalg</c> names it: factorisations, solves, determinants, norms and matrix
/// functions, batched over leading axes and differentiable to any order.
/// </summary>
/// <remarks>
/// Every op takes float64 or float32 tensors whose last two axes are the matrix and whose leading axes, any number of
/// them, are a batch. Every op runs under vmap and compile and maps to <c>torch.linalg</c> on a LibTorch device. Each
/// op's kernel call, rules and public method sit together in a file of src/Core.CSharp/Linalg named for its family.
/// </remarks>
/// <example><code>
/// var a = Tensor.FromArray([4.0, 2.0, 2.0, 3.0], [2, 2]);
/// Linalg.Cholesky(a) // the lower factor L with L·Lᵀ = a
/// </code></example>
public static partial class Linalg;
