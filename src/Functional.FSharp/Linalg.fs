namespace FuncGrad

/// <summary>
/// Linear algebra, the functions of the core's <c>Linalg</c> class in camelCase, named as <c>torch.linalg</c> names
/// them: factorisations, solves, determinants, norms and matrix functions, batched over leading axes and
/// differentiable to any order. Called as <c>Linalg.name</c> after <c>open FuncGrad</c>.
/// </summary>
/// <example><code>
/// Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) false
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

    /// <summary>The Cholesky factor of symmetric positive-definite matrices: lower L with L·Lᵀ = A, or with upper
    /// its transpose; only A's lower triangle is read, and a matrix not positive definite throws LinalgException.
    /// </summary>
    /// <example><code>
    /// Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) false // [[2, 0]; [1, 1.4142]]
    /// </code></example>
    let cholesky (a: Tensor) (upper: bool) =
        Args.notNull "cholesky" "a" a
        FuncGrad.Linalg.Cholesky(a, upper)

    /// <summary>The Cholesky factor and an int32 status per matrix (0, or the order of the first leading minor
    /// that is not positive definite), without an error unless checkErrors.</summary>
    /// <example><code>
    /// let l, info = Linalg.choleskyEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ])) false false
    /// // info = 2
    /// </code></example>
    let choleskyEx (a: Tensor) (upper: bool) (checkErrors: bool) =
        Args.notNull "choleskyEx" "a" a
        let struct (l, info) = FuncGrad.Linalg.CholeskyEx(a, upper, checkErrors)
        l, info

    /// <summary>X with A·X = B given A's Cholesky factor (lower L, A = L·Lᵀ, or with upper U, A = Uᵀ·U), in
    /// torch.cholesky_solve's order: B first.</summary>
    /// <example><code>
    /// let l = Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) false
    /// Linalg.choleskySolve (Tensor.ofArray2D (array2D [ [ 6.0 ]; [ 5.0 ] ])) l false // [[1]; [1]]
    /// </code></example>
    let choleskySolve (b: Tensor) (l: Tensor) (upper: bool) =
        Args.notNull "choleskySolve" "b" b
        Args.notNull "choleskySolve" "l" l
        FuncGrad.Linalg.CholeskySolve(b, l, upper)
