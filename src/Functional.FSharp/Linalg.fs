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

    /// <summary>LU with partial pivoting, A = P·L·U, in LAPACK's compact form: the factors together and the pivots
    /// (int32, 1-based); a singular matrix throws LinalgException naming the pivot.</summary>
    /// <example><code>
    /// let lu, pivots = Linalg.luFactor (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// </code></example>
    let luFactor (a: Tensor) =
        Args.notNull "luFactor" "a" a
        let struct (lu, pivots) = FuncGrad.Linalg.LuFactor a
        lu, pivots

    /// <summary>LU with partial pivoting and an int32 status per matrix (0, or the 1-based index of the first zero
    /// pivot), without an error unless checkErrors.</summary>
    /// <example><code>
    /// let lu, pivots, info = Linalg.luFactorEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])) false
    /// // info = 2
    /// </code></example>
    let luFactorEx (a: Tensor) (checkErrors: bool) =
        Args.notNull "luFactorEx" "a" a
        let struct (lu, pivots, info) = FuncGrad.Linalg.LuFactorEx(a, checkErrors)
        lu, pivots, info

    /// <summary>Solves A·X = B (or X·A = B where not left, with Aᵀ where adjoint) from A's LU factors and pivots.
    /// </summary>
    /// <example><code>
    /// let lu, pivots = Linalg.luFactor (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// Linalg.luSolve lu pivots (Tensor.ofArray2D (array2D [ [ 5.0 ]; [ 11.0 ] ])) true false // [[1]; [2]]
    /// </code></example>
    let luSolve (lu: Tensor) (pivots: Tensor) (b: Tensor) (left: bool) (adjoint: bool) =
        Args.notNull "luSolve" "lu" lu
        Args.notNull "luSolve" "pivots" pivots
        Args.notNull "luSolve" "b" b
        FuncGrad.Linalg.LuSolve(lu, pivots, b, left, adjoint)

    /// <summary>Solves A·X = B (or X·A = B where not left) for square A by LU with partial pivoting; a singular A
    /// throws LinalgException naming the pivot.</summary>
    /// <example><code>
    /// Linalg.solve (Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 1.0; 2.0 ] ])) (Tensor.ofList [ 9.0; 8.0 ]) true
    /// // [2; 3]
    /// </code></example>
    let solve (a: Tensor) (b: Tensor) (left: bool) =
        Args.notNull "solve" "a" a
        Args.notNull "solve" "b" b
        FuncGrad.Linalg.Solve(a, b, left)

    /// <summary>Solves A·X = B (or X·A = B) and returns an int32 status per matrix (0, or the first zero pivot),
    /// without an error unless checkErrors.</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])
    /// let x, info = Linalg.solveEx a (Tensor.ofList [ 1.0; 1.0 ]) true false
    /// </code></example>
    let solveEx (a: Tensor) (b: Tensor) (left: bool) (checkErrors: bool) =
        Args.notNull "solveEx" "a" a
        Args.notNull "solveEx" "b" b
        let struct (x, info) = FuncGrad.Linalg.SolveEx(a, b, left, checkErrors)
        x, info

    /// <summary>The inverse of square matrices by LU with partial pivoting; a singular matrix throws
    /// LinalgException naming the pivot.</summary>
    /// <example><code>
    /// Linalg.inv (Tensor.ofArray2D (array2D [ [ 4.0; 7.0 ]; [ 2.0; 6.0 ] ])) // [[0.6; -0.7]; [-0.2; 0.4]]
    /// </code></example>
    let inv (a: Tensor) =
        Args.notNull "inv" "a" a
        FuncGrad.Linalg.Inv a

    /// <summary>The inverse and an int32 status per matrix (0, or the first zero pivot), without an error unless
    /// checkErrors.</summary>
    /// <example><code>
    /// let inverse, info = Linalg.invEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])) false
    /// </code></example>
    let invEx (a: Tensor) (checkErrors: bool) =
        Args.notNull "invEx" "a" a
        let struct (inverse, info) = FuncGrad.Linalg.InvEx(a, checkErrors)
        inverse, info

    /// <summary>The determinant of square matrices, from LU with partial pivoting (exactly 0 at a zero pivot).
    /// </summary>
    /// <example><code>
    /// Linalg.det (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // -2
    /// </code></example>
    let det (a: Tensor) =
        Args.notNull "det" "a" a
        FuncGrad.Linalg.Det a

    /// <summary>The sign (±1, or 0) and log|det| of square matrices, from LU's pivots, without over- or underflow.
    /// </summary>
    /// <example><code>
    /// let sign, logabsdet = Linalg.slogdet (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// // sign = -1, logabsdet = log 2
    /// </code></example>
    let slogdet (a: Tensor) =
        Args.notNull "slogdet" "a" a
        let struct (sign, logabs) = FuncGrad.Linalg.Slogdet a
        sign, logabs

    /// <summary>The log of the determinant: NaN where it is negative, −∞ where it is zero.</summary>
    /// <example><code>
    /// Linalg.logdet (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 3.0 ] ])) // log 6
    /// </code></example>
    let logdet (a: Tensor) =
        Args.notNull "logdet" "a" a
        FuncGrad.Linalg.Logdet a
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
