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
    // ---- Triangular, Cholesky, LU, solves and determinants ----

    /// <summary>X with A·X = B (left = true) or X·A = B, A triangular: only its upper (upper = true) or lower
    /// triangle is read, and with unitriangular not its diagonal; batch axes broadcast.</summary>
    /// <example><code>
    /// let l = Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 1.0; 4.0 ] ])
    /// Linalg.solveTriangular l (Tensor.ofArray2D (array2D [ [ 2.0 ]; [ 9.0 ] ])) false true false // [[1]; [2]]
    /// </code></example>
    let solveTriangular (a: Tensor) (b: Tensor) (upper: bool) (left: bool) (unitriangular: bool) =
        Args.notNull "solveTriangular" "a" a
        Args.notNull "solveTriangular" "b" b
        FuncGrad.Linalg.SolveTriangular(a, b, upper, left, unitriangular)
