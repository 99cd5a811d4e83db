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
    // ---- Eigen and singular values ----

    /// <summary>The eigenvalues (ascending) and eigenvectors (as columns, each with its largest component positive)
    /// of symmetric matrices, read from the lower (uplo "L") or upper ("U") triangle.</summary>
    /// <example><code>
    /// let w, v = Linalg.eigh (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 1.0; 2.0 ] ])) "L" // w = [1; 3]
    /// </code></example>
    let eigh (a: Tensor) (uplo: string) =
        Args.notNull "Linalg.eigh" "a" a
        Args.notNull "Linalg.eigh" "uplo" uplo
        let struct (w, v) = FuncGrad.Linalg.Eigh(a, uplo)
        w, v

    /// <summary>The eigenvalues, ascending, of symmetric matrices read from the lower (uplo "L") or upper ("U")
    /// triangle.</summary>
    /// <example><code>
    /// Linalg.eigvalsh (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 1.0; 2.0 ] ])) "L" // tensor([1., 3.])
    /// </code></example>
    let eigvalsh (a: Tensor) (uplo: string) =
        Args.notNull "Linalg.eigvalsh" "a" a
        Args.notNull "Linalg.eigvalsh" "uplo" uplo
        FuncGrad.Linalg.Eigvalsh(a, uplo)

    /// <summary>The singular value decomposition A = U·diag(S)·Vh, S descending: U m×m and Vh n×n with fullMatrices,
    /// m×k and k×n (k = min(m, n)) without.</summary>
    /// <example><code>
    /// let u, s, vh = Linalg.svd (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; -2.0 ] ])) true // s = [3; 2]
    /// </code></example>
    let svd (a: Tensor) (fullMatrices: bool) =
        Args.notNull "Linalg.svd" "a" a
        let struct (u, s, vh) = FuncGrad.Linalg.Svd(a, fullMatrices)
        u, s, vh

    /// <summary>The singular values of matrices, descending.</summary>
    /// <example><code>
    /// Linalg.svdvals (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; -2.0 ] ])) // tensor([3., 2.])
    /// </code></example>
    let svdvals (a: Tensor) =
        Args.notNull "Linalg.svdvals" "a" a
        FuncGrad.Linalg.Svdvals(a)

    /// <summary>The Moore–Penrose pseudo-inverse, singular values at most max(atol, rtol·s_max) dropped (None: as
    /// torch.linalg.pinv); hermitian takes the matrix as symmetric and uses its eigendecomposition.</summary>
    /// <example><code>
    /// Linalg.pinv (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 0.0 ] ])) None None false // [[0.5, 0]; [0, 0]]
    /// </code></example>
    let pinv (a: Tensor) (atol: float option) (rtol: float option) (hermitian: bool) =
        Args.notNull "Linalg.pinv" "a" a
        FuncGrad.Linalg.Pinv(a, Option.toNullable atol, Option.toNullable rtol, hermitian)

    /// <summary>A matrix norm, ord "fro" or "nuc", over the axes dim (the last two: [| -2; -1 |]), kept as size 1
    /// when keepDim.</summary>
    /// <example><code>
    /// Linalg.matrixNorm (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; 4.0 ] ])) "fro" [| -2; -1 |] false // 5
    /// </code></example>
    let matrixNorm (a: Tensor) (ord: string) (dim: int[]) (keepDim: bool) =
        Args.notNull "Linalg.matrixNorm" "a" a
        Args.notNull "Linalg.matrixNorm" "ord" ord
        Args.notNull "Linalg.matrixNorm" "dim" dim
        FuncGrad.Linalg.MatrixNorm(a, ord, dim, keepDim)

    /// <summary>A matrix norm of numeric order (1, -1, 2, -2, infinity, -infinity) over the axes dim, kept as size 1
    /// when keepDim.</summary>
    /// <example><code>
    /// Linalg.matrixNormOf (Tensor.ofArray2D (array2D [ [ 1.0; -2.0 ]; [ 3.0; 4.0 ] ])) 1.0 [| -2; -1 |] false // 6
    /// </code></example>
    let matrixNormOf (a: Tensor) (ord: float) (dim: int[]) (keepDim: bool) =
        Args.notNull "Linalg.matrixNormOf" "a" a
        Args.notNull "Linalg.matrixNormOf" "dim" dim
        FuncGrad.Linalg.MatrixNorm(a, ord, dim, keepDim)
