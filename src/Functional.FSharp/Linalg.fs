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

    // ---- QR, least squares and matrix functions ----

    /// <summary>The QR factorisation A = Q·R of each matrix, R's diagonal non-negative: mode "reduced" (Q m×k, R k×n,
    /// k = min(m, n)), "complete" (Q m×m, R m×n) or "r" (R alone, Q empty).</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 4.0; 2.0 ] ])
    /// let q, r = Linalg.qr a "reduced" // r = [[5; 2.2]; [0; 0.4]]
    /// </code></example>
    let qr (a: Tensor) (mode: string) =
        Args.notNull "qr" "a" a
        Args.notNull "qr" "mode" mode
        let struct (q, r) = FuncGrad.Linalg.Qr(a, mode)
        q, r

    /// <summary>The least-squares solution X of A·X ≈ B for A of full rank (least norm where A is wide), and the
    /// squared residual of each column of B where A has more rows than columns (else an empty tensor).</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 1.0; 0.0 ]; [ 1.0; 1.0 ]; [ 1.0; 2.0 ] ])
    /// let b = Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 2.0 ]; [ 2.0 ] ])
    /// let x, residuals = Linalg.lstsq a b // x = [[7/6]; [1/2]], residuals = [1/6]
    /// </code></example>
    let lstsq (a: Tensor) (b: Tensor) =
        Args.notNull "lstsq" "a" a
        Args.notNull "lstsq" "b" b
        let struct (x, residuals) = FuncGrad.Linalg.Lstsq(a, b)
        x, residuals

    /// <summary>The matrix exponential exp(A) of each square matrix (scaling and squaring with a Padé
    /// approximant).</summary>
    /// <example><code>
    /// Linalg.matrixExp (Tensor.ofArray2D (array2D [ [ 0.0; 1.0 ]; [ 0.0; 0.0 ] ])) // [[1; 1]; [0; 1]]
    /// </code></example>
    let matrixExp (a: Tensor) =
        Args.notNull "matrixExp" "a" a
        FuncGrad.Linalg.MatrixExp a

    /// <summary>The integer power Aⁿ of each square matrix: the identity for n = 0, powers of the inverse for
    /// n &lt; 0.</summary>
    /// <example><code>
    /// Linalg.matrixPower (Tensor.ofArray2D (array2D [ [ 1.0; 1.0 ]; [ 0.0; 1.0 ] ])) 3 // [[1; 3]; [0; 1]]
    /// </code></example>
    let matrixPower (a: Tensor) (n: int) =
        Args.notNull "matrixPower" "a" a
        FuncGrad.Linalg.MatrixPower(a, n)
