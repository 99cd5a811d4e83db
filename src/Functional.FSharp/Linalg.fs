namespace FuncGrad

/// <summary>
/// Linear algebra, the functions of the core's <c>Linalg</c> class in camelCase, named as <c>torch.linalg</c> names
/// them: factorisations, solves, determinants, norms and matrix functions, batched over leading axes and
/// differentiable to any order. Called as <c>Linalg.name</c> after <c>open FuncGrad</c>.
/// </summary>
/// <example><code>
/// Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ]))
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Linalg =
    begin end
