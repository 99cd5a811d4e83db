namespace FuncGrad

/// <summary>
/// Linear algebra, the functions of the core's <c>Linalg</c> class in camelCase, named as <c>torch.linalg</c> names
/// them: factorisations, solves, determinants, norms and matrix functions, batched over leading axes and
/// differentiable to any order.
/// </summary>
/// <remarks>
/// Called as <c>Linalg.name</c> after <c>open FuncGrad</c>. Each function takes PyTorch's defaults; its
/// <c>…With</c> twin takes the options first and the tensors last, so that it pipes:
/// <c>a |> Linalg.choleskyWith true</c> is the upper factor. Several results come as a tuple.
/// </remarks>
/// <example><code>
/// Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) // [[2, 0]; [1, 1.4142]]
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Linalg =
    // ---- Triangular, Cholesky, LU, solves and determinants ----

    /// <summary>X with A·X = B, A triangular: only its upper (upper = true) or lower triangle is read; batch axes
    /// broadcast.</summary>
    /// <example><code>
    /// let l = Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 1.0; 4.0 ] ])
    /// Linalg.solveTriangular false l (Tensor.ofArray2D (array2D [ [ 2.0 ]; [ 9.0 ] ])) // [[1]; [2]]
    /// </code></example>
    let solveTriangular (upper: bool) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solveTriangular" "a" a
        Args.notNull "Linalg.solveTriangular" "b" b
        FuncGrad.Linalg.SolveTriangular(a, b, upper)

    /// <summary>X with A·X = B (left = true) or X·A = B, A triangular: only its upper (upper = true) or lower
    /// triangle is read, and with unitriangular not its diagonal; batch axes broadcast.</summary>
    /// <example><code>
    /// let l = Tensor.ofArray2D (array2D [ [ 1.0; 0.0 ]; [ 3.0; 1.0 ] ])
    /// Linalg.solveTriangularWith false true true l (Tensor.ofArray2D (array2D [ [ 1.0 ]; [ 5.0 ] ])) // [[1]; [2]]
    /// </code></example>
    let solveTriangularWith (upper: bool) (left: bool) (unitriangular: bool) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solveTriangularWith" "a" a
        Args.notNull "Linalg.solveTriangularWith" "b" b
        FuncGrad.Linalg.SolveTriangular(a, b, upper, left, unitriangular)

    /// <summary>The lower Cholesky factor L, L·Lᵀ = A, of symmetric positive-definite matrices; only A's lower
    /// triangle is read, and a matrix not positive definite throws LinalgException.</summary>
    /// <example><code>
    /// Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) // [[2, 0]; [1, 1.4142]]
    /// </code></example>
    let cholesky (a: Tensor) =
        Args.notNull "Linalg.cholesky" "a" a
        FuncGrad.Linalg.Cholesky a

    /// <summary>The Cholesky factor, upper (U, Uᵀ·U = A) where upper is true, else lower.</summary>
    /// <example><code>
    /// Linalg.choleskyWith true (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ])) // [[2, 1]; [0, 1.4142]]
    /// </code></example>
    let choleskyWith (upper: bool) (a: Tensor) =
        Args.notNull "Linalg.choleskyWith" "a" a
        FuncGrad.Linalg.Cholesky(a, upper)

    /// <summary>The lower Cholesky factor and an int32 status per matrix (0, or the order of the first leading minor
    /// that is not positive definite), without an error.</summary>
    /// <example><code>
    /// let l, info = Linalg.choleskyEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ])) // info = 2
    /// </code></example>
    let choleskyEx (a: Tensor) =
        Args.notNull "Linalg.choleskyEx" "a" a
        let struct (l, info) = FuncGrad.Linalg.CholeskyEx a
        l, info

    /// <summary>The Cholesky factor (upper or lower) and an int32 status per matrix, throwing where checkErrors and a
    /// matrix is not positive definite.</summary>
    /// <example><code>
    /// let u, info = Linalg.choleskyExWith true false (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ]))
    /// </code></example>
    let choleskyExWith (upper: bool) (checkErrors: bool) (a: Tensor) =
        Args.notNull "Linalg.choleskyExWith" "a" a
        let struct (l, info) = FuncGrad.Linalg.CholeskyEx(a, upper, checkErrors)
        l, info

    /// <summary>X with A·X = B given A's lower Cholesky factor L (A = L·Lᵀ), in torch.cholesky_solve's order: B
    /// first.</summary>
    /// <example><code>
    /// let l = Linalg.cholesky (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ]))
    /// Linalg.choleskySolve (Tensor.ofArray2D (array2D [ [ 6.0 ]; [ 5.0 ] ])) l // [[1]; [1]]
    /// </code></example>
    let choleskySolve (b: Tensor) (l: Tensor) =
        Args.notNull "Linalg.choleskySolve" "b" b
        Args.notNull "Linalg.choleskySolve" "l" l
        FuncGrad.Linalg.CholeskySolve(b, l)

    /// <summary>X with A·X = B given A's Cholesky factor, upper (A = Uᵀ·U) where upper is true, else lower.</summary>
    /// <example><code>
    /// let u = Linalg.choleskyWith true (Tensor.ofArray2D (array2D [ [ 4.0; 2.0 ]; [ 2.0; 3.0 ] ]))
    /// Linalg.choleskySolveWith true (Tensor.ofArray2D (array2D [ [ 6.0 ]; [ 5.0 ] ])) u // [[1]; [1]]
    /// </code></example>
    let choleskySolveWith (upper: bool) (b: Tensor) (u: Tensor) =
        Args.notNull "Linalg.choleskySolveWith" "b" b
        Args.notNull "Linalg.choleskySolveWith" "u" u
        FuncGrad.Linalg.CholeskySolve(b, u, upper)

    /// <summary>LU with partial pivoting, A = P·L·U, in LAPACK's compact form: the factors together and the pivots
    /// (int32, 1-based); a singular matrix throws LinalgException naming the pivot.</summary>
    /// <example><code>
    /// let lu, pivots = Linalg.luFactor (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// </code></example>
    let luFactor (a: Tensor) =
        Args.notNull "Linalg.luFactor" "a" a
        let struct (lu, pivots) = FuncGrad.Linalg.LuFactor a
        lu, pivots

    /// <summary>LU with partial pivoting and an int32 status per matrix (0, or the 1-based index of the first zero
    /// pivot), without an error.</summary>
    /// <example><code>
    /// let lu, pivots, info = Linalg.luFactorEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ]))
    /// // info = 2
    /// </code></example>
    let luFactorEx (a: Tensor) =
        Args.notNull "Linalg.luFactorEx" "a" a
        let struct (lu, pivots, info) = FuncGrad.Linalg.LuFactorEx a
        lu, pivots, info

    /// <summary>LU with partial pivoting and an int32 status per matrix, throwing at a zero pivot where
    /// checkErrors.</summary>
    /// <example><code>
    /// let lu, pivots, info = Linalg.luFactorExWith false (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// </code></example>
    let luFactorExWith (checkErrors: bool) (a: Tensor) =
        Args.notNull "Linalg.luFactorExWith" "a" a
        let struct (lu, pivots, info) = FuncGrad.Linalg.LuFactorEx(a, checkErrors)
        lu, pivots, info

    /// <summary>Solves A·X = B from A's LU factors and pivots (from <c>luFactor</c>).</summary>
    /// <example><code>
    /// let lu, pivots = Linalg.luFactor (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// Linalg.luSolve lu pivots (Tensor.ofArray2D (array2D [ [ 5.0 ]; [ 11.0 ] ])) // [[1]; [2]]
    /// </code></example>
    let luSolve (lu: Tensor) (pivots: Tensor) (b: Tensor) =
        Args.notNull "Linalg.luSolve" "lu" lu
        Args.notNull "Linalg.luSolve" "pivots" pivots
        Args.notNull "Linalg.luSolve" "b" b
        FuncGrad.Linalg.LuSolve(lu, pivots, b)

    /// <summary>Solves A·X = B (or X·A = B where not left, with Aᵀ where adjoint) from A's LU factors and
    /// pivots.</summary>
    /// <example><code>
    /// let lu, pivots = Linalg.luFactor (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// Linalg.luSolveWith true true lu pivots (Tensor.ofArray2D (array2D [ [ 7.0 ]; [ 10.0 ] ]))
    /// // Aᵀ·X = B: [[1]; [2]]
    /// </code></example>
    let luSolveWith (left: bool) (adjoint: bool) (lu: Tensor) (pivots: Tensor) (b: Tensor) =
        Args.notNull "Linalg.luSolveWith" "lu" lu
        Args.notNull "Linalg.luSolveWith" "pivots" pivots
        Args.notNull "Linalg.luSolveWith" "b" b
        FuncGrad.Linalg.LuSolve(lu, pivots, b, left, adjoint)

    /// <summary>Solves A·X = B for square A by LU with partial pivoting; a singular A throws LinalgException naming
    /// the pivot.</summary>
    /// <example><code>
    /// Linalg.solve (Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 1.0; 2.0 ] ])) (Tensor.ofList [ 9.0; 8.0 ]) // [2; 3]
    /// </code></example>
    let solve (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solve" "a" a
        Args.notNull "Linalg.solve" "b" b
        FuncGrad.Linalg.Solve(a, b)

    /// <summary>Solves A·X = B where left, else X·A = B, for square A by LU with partial pivoting.</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 1.0; 2.0 ] ])
    /// Linalg.solveWith false a (Tensor.ofArray2D (array2D [ [ 9.0; 8.0 ] ])) // X·A = B: [[2; 3]]
    /// </code></example>
    let solveWith (left: bool) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solveWith" "a" a
        Args.notNull "Linalg.solveWith" "b" b
        FuncGrad.Linalg.Solve(a, b, left)

    /// <summary>Solves A·X = B and returns an int32 status per matrix (0, or the first zero pivot), without an
    /// error.</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])
    /// let x, info = Linalg.solveEx a (Tensor.ofList [ 1.0; 1.0 ]) // info = 2
    /// </code></example>
    let solveEx (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solveEx" "a" a
        Args.notNull "Linalg.solveEx" "b" b
        let struct (x, info) = FuncGrad.Linalg.SolveEx(a, b)
        x, info

    /// <summary>Solves A·X = B (or X·A = B where not left) with an int32 status per matrix, throwing at a zero pivot
    /// where checkErrors.</summary>
    /// <example><code>
    /// let a = Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 1.0; 2.0 ] ])
    /// let x, info = Linalg.solveExWith true false a (Tensor.ofList [ 9.0; 8.0 ]) // x = [2; 3], info = 0
    /// </code></example>
    let solveExWith (left: bool) (checkErrors: bool) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.solveExWith" "a" a
        Args.notNull "Linalg.solveExWith" "b" b
        let struct (x, info) = FuncGrad.Linalg.SolveEx(a, b, left, checkErrors)
        x, info

    /// <summary>The inverse of square matrices by LU with partial pivoting; a singular matrix throws
    /// LinalgException naming the pivot.</summary>
    /// <example><code>
    /// Linalg.inv (Tensor.ofArray2D (array2D [ [ 4.0; 7.0 ]; [ 2.0; 6.0 ] ])) // [[0.6; -0.7]; [-0.2; 0.4]]
    /// </code></example>
    let inv (a: Tensor) =
        Args.notNull "Linalg.inv" "a" a
        FuncGrad.Linalg.Inv a

    /// <summary>The inverse and an int32 status per matrix (0, or the first zero pivot), without an error.</summary>
    /// <example><code>
    /// let inverse, info = Linalg.invEx (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])) // info = 2
    /// </code></example>
    let invEx (a: Tensor) =
        Args.notNull "Linalg.invEx" "a" a
        let struct (inverse, info) = FuncGrad.Linalg.InvEx a
        inverse, info

    /// <summary>The inverse and an int32 status per matrix, throwing at a zero pivot where checkErrors.</summary>
    /// <example><code>
    /// let inverse, info = Linalg.invExWith false (Tensor.ofArray2D (array2D [ [ 4.0; 7.0 ]; [ 2.0; 6.0 ] ]))
    /// </code></example>
    let invExWith (checkErrors: bool) (a: Tensor) =
        Args.notNull "Linalg.invExWith" "a" a
        let struct (inverse, info) = FuncGrad.Linalg.InvEx(a, checkErrors)
        inverse, info

    /// <summary>The determinant of square matrices, from LU with partial pivoting (exactly 0 at a zero pivot).
    /// </summary>
    /// <example><code>
    /// Linalg.det (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // -2
    /// </code></example>
    let det (a: Tensor) =
        Args.notNull "Linalg.det" "a" a
        FuncGrad.Linalg.Det a

    /// <summary>The sign (±1, or 0) and log|det| of square matrices, from LU's pivots, without over- or underflow.
    /// </summary>
    /// <example><code>
    /// let sign, logabsdet = Linalg.slogdet (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
    /// // sign = -1, logabsdet = log 2
    /// </code></example>
    let slogdet (a: Tensor) =
        Args.notNull "Linalg.slogdet" "a" a
        let struct (sign, logabs) = FuncGrad.Linalg.Slogdet a
        sign, logabs

    /// <summary>The log of the determinant: NaN where it is negative, −∞ where it is zero.</summary>
    /// <example><code>
    /// Linalg.logdet (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 3.0 ] ])) // log 6
    /// </code></example>
    let logdet (a: Tensor) =
        Args.notNull "Linalg.logdet" "a" a
        FuncGrad.Linalg.Logdet a

    // ---- QR, least squares and matrix functions ----

    /// <summary>The reduced QR factorisation A = Q·R of each matrix (Q m×k, R k×n, k = min(m, n)), R's diagonal
    /// non-negative.</summary>
    /// <example><code>
    /// let q, r = Linalg.qr (Tensor.ofArray2D (array2D [ [ 3.0; 1.0 ]; [ 4.0; 2.0 ] ])) // r = [[5; 2.2]; [0; 0.4]]
    /// </code></example>
    let qr (a: Tensor) =
        Args.notNull "Linalg.qr" "a" a
        let struct (q, r) = FuncGrad.Linalg.Qr a
        q, r

    /// <summary>The QR factorisation in mode "reduced", "complete" (Q m×m, R m×n) or "r" (R alone, Q empty).
    /// </summary>
    /// <example><code>
    /// let q, r = Linalg.qrWith "complete" (Tensor.ofArray2D (array2D [ [ 3.0 ]; [ 4.0 ] ])) // q 2×2, r = [[5]; [0]]
    /// </code></example>
    let qrWith (mode: string) (a: Tensor) =
        Args.notNull "Linalg.qrWith" "mode" mode
        Args.notNull "Linalg.qrWith" "a" a
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
        Args.notNull "Linalg.lstsq" "a" a
        Args.notNull "Linalg.lstsq" "b" b
        let struct (x, residuals) = FuncGrad.Linalg.Lstsq(a, b)
        x, residuals

    /// <summary>The matrix exponential exp(A) of each square matrix (scaling and squaring with a Padé
    /// approximant).</summary>
    /// <example><code>
    /// Linalg.matrixExp (Tensor.ofArray2D (array2D [ [ 0.0; 1.0 ]; [ 0.0; 0.0 ] ])) // [[1; 1]; [0; 1]]
    /// </code></example>
    let matrixExp (a: Tensor) =
        Args.notNull "Linalg.matrixExp" "a" a
        FuncGrad.Linalg.MatrixExp a

    /// <summary>The integer power Aⁿ of each square matrix: the identity for n = 0, powers of the inverse for
    /// n &lt; 0.</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 1.0 ]; [ 0.0; 1.0 ] ]) |> Linalg.matrixPower 3 // [[1; 3]; [0; 1]]
    /// </code></example>
    let matrixPower (n: int) (a: Tensor) =
        Args.notNull "Linalg.matrixPower" "a" a
        FuncGrad.Linalg.MatrixPower(a, n)

    // ---- Eigen and singular values ----

    /// <summary>The eigenvalues (ascending) and eigenvectors (as columns, each with its largest component positive)
    /// of symmetric matrices, read from the lower triangle.</summary>
    /// <example><code>
    /// let w, v = Linalg.eigh (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 1.0; 2.0 ] ])) // w = [1; 3]
    /// </code></example>
    let eigh (a: Tensor) =
        Args.notNull "Linalg.eigh" "a" a
        let struct (w, v) = FuncGrad.Linalg.Eigh a
        w, v

    /// <summary>The eigenvalues and eigenvectors of symmetric matrices read from the lower (uplo "L") or upper ("U")
    /// triangle.</summary>
    /// <example><code>
    /// let w, v = Linalg.eighWith "U" (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 0.0; 2.0 ] ])) // w = [1; 3]
    /// </code></example>
    let eighWith (uplo: string) (a: Tensor) =
        Args.notNull "Linalg.eighWith" "uplo" uplo
        Args.notNull "Linalg.eighWith" "a" a
        let struct (w, v) = FuncGrad.Linalg.Eigh(a, uplo)
        w, v

    /// <summary>The eigenvalues, ascending, of symmetric matrices read from the lower triangle.</summary>
    /// <example><code>
    /// Linalg.eigvalsh (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 1.0; 2.0 ] ])) // tensor([1., 3.])
    /// </code></example>
    let eigvalsh (a: Tensor) =
        Args.notNull "Linalg.eigvalsh" "a" a
        FuncGrad.Linalg.Eigvalsh a

    /// <summary>The eigenvalues, ascending, of symmetric matrices read from the lower (uplo "L") or upper ("U")
    /// triangle.</summary>
    /// <example><code>
    /// Linalg.eigvalshWith "U" (Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ 0.0; 2.0 ] ])) // tensor([1., 3.])
    /// </code></example>
    let eigvalshWith (uplo: string) (a: Tensor) =
        Args.notNull "Linalg.eigvalshWith" "uplo" uplo
        Args.notNull "Linalg.eigvalshWith" "a" a
        FuncGrad.Linalg.Eigvalsh(a, uplo)

    /// <summary>The singular value decomposition A = U·diag(S)·Vh, S descending, U m×m and Vh n×n (full matrices, as
    /// PyTorch's default).</summary>
    /// <example><code>
    /// let u, s, vh = Linalg.svd (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; -2.0 ] ])) // s = [3; 2]
    /// </code></example>
    let svd (a: Tensor) =
        Args.notNull "Linalg.svd" "a" a
        let struct (u, s, vh) = FuncGrad.Linalg.Svd a
        u, s, vh

    /// <summary>The singular value decomposition, U m×m and Vh n×n where fullMatrices, else m×k and k×n
    /// (k = min(m, n)).</summary>
    /// <example><code>
    /// let u, s, vh = Linalg.svdWith false (Tensor.ofArray2D (array2D [ [ 3.0 ]; [ 4.0 ] ])) // u 2×1, s = [5]
    /// </code></example>
    let svdWith (fullMatrices: bool) (a: Tensor) =
        Args.notNull "Linalg.svdWith" "a" a
        let struct (u, s, vh) = FuncGrad.Linalg.Svd(a, fullMatrices)
        u, s, vh

    /// <summary>The singular values of matrices, descending.</summary>
    /// <example><code>
    /// Linalg.svdvals (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; -2.0 ] ])) // tensor([3., 2.])
    /// </code></example>
    let svdvals (a: Tensor) =
        Args.notNull "Linalg.svdvals" "a" a
        FuncGrad.Linalg.Svdvals a

    /// <summary>The Moore–Penrose pseudo-inverse, singular values below torch.linalg.pinv's default tolerance
    /// dropped.</summary>
    /// <example><code>
    /// Linalg.pinv (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 0.0 ] ])) // [[0.5, 0]; [0, 0]]
    /// </code></example>
    let pinv (a: Tensor) =
        Args.notNull "Linalg.pinv" "a" a
        FuncGrad.Linalg.Pinv a

    /// <summary>The pseudo-inverse, singular values at most max(atol, rtol·s_max) dropped (None: as
    /// torch.linalg.pinv); hermitian takes the matrix as symmetric and uses its eigendecomposition.</summary>
    /// <example><code>
    /// Linalg.pinvWith (Some 1e-3) None true (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 0.0 ] ]))
    /// // [[0.5, 0]; [0, 0]]
    /// </code></example>
    let pinvWith (atol: float option) (rtol: float option) (hermitian: bool) (a: Tensor) =
        Args.notNull "Linalg.pinvWith" "a" a
        FuncGrad.Linalg.Pinv(a, Option.toNullable atol, Option.toNullable rtol, hermitian)

    /// <summary>The Frobenius norm of each matrix (the last two axes).</summary>
    /// <example><code>
    /// Linalg.matrixNorm (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; 4.0 ] ])) // 5
    /// </code></example>
    let matrixNorm (a: Tensor) =
        Args.notNull "Linalg.matrixNorm" "a" a
        FuncGrad.Linalg.MatrixNorm a

    /// <summary>A matrix norm, ord "fro" or "nuc", over the axes dim ([| -2; -1 |]: each matrix), kept as size 1 when
    /// keepDim.</summary>
    /// <example><code>
    /// Linalg.matrixNormWith "nuc" [| -2; -1 |] false (Tensor.ofArray2D (array2D [ [ 3.0; 0.0 ]; [ 0.0; 4.0 ] ])) // 7
    /// </code></example>
    let matrixNormWith (ord: string) (dim: int[]) (keepDim: bool) (a: Tensor) =
        Args.notNull "Linalg.matrixNormWith" "ord" ord
        Args.notNull "Linalg.matrixNormWith" "dim" dim
        Args.notNull "Linalg.matrixNormWith" "a" a
        FuncGrad.Linalg.MatrixNorm(a, ord, dim, keepDim)

    /// <summary>A matrix norm of numeric order (1, -1, 2, -2, infinity, -infinity) over the axes dim, kept as size 1
    /// when keepDim.</summary>
    /// <example><code>
    /// Linalg.matrixNormOf 1.0 [| -2; -1 |] false (Tensor.ofArray2D (array2D [ [ 1.0; -2.0 ]; [ 3.0; 4.0 ] ])) // 6
    /// </code></example>
    let matrixNormOf (ord: float) (dim: int[]) (keepDim: bool) (a: Tensor) =
        Args.notNull "Linalg.matrixNormOf" "dim" dim
        Args.notNull "Linalg.matrixNormOf" "a" a
        FuncGrad.Linalg.MatrixNorm(a, ord, dim, keepDim)

    // ---- Triangles ----

    /// <summary>The lower triangle of each matrix (the last two axes), on and below the main diagonal; the rest
    /// zero.</summary>
    /// <example><code>
    /// Linalg.tril (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [[1, 0]; [3, 4]]
    /// </code></example>
    let tril (a: Tensor) =
        Args.notNull "Linalg.tril" "a" a
        FuncGrad.Linalg.Tril a

    /// <summary>The lower triangle on and below diagonal <c>diagonal</c> (0 the main one, k &gt; 0 right of it), the
    /// rest zero.</summary>
    /// <example><code>
    /// Linalg.trilWith -1 (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [[0, 0]; [3, 0]]
    /// </code></example>
    let trilWith (diagonal: int) (a: Tensor) =
        Args.notNull "Linalg.trilWith" "a" a
        FuncGrad.Linalg.Tril(a, diagonal)

    /// <summary>The upper triangle of each matrix (the last two axes), on and above the main diagonal; the rest
    /// zero.</summary>
    /// <example><code>
    /// Linalg.triu (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [[1, 2]; [0, 4]]
    /// </code></example>
    let triu (a: Tensor) =
        Args.notNull "Linalg.triu" "a" a
        FuncGrad.Linalg.Triu a

    /// <summary>The upper triangle on and above diagonal <c>diagonal</c> (0 the main one, k &gt; 0 right of it), the
    /// rest zero.</summary>
    /// <example><code>
    /// Linalg.triuWith 1 (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [[0, 2]; [0, 0]]
    /// </code></example>
    let triuWith (diagonal: int) (a: Tensor) =
        Args.notNull "Linalg.triuWith" "a" a
        FuncGrad.Linalg.Triu(a, diagonal)

    // ---- Diagonals ----

    /// <summary>The main diagonal of each matrix (the last two axes), as a new last axis.</summary>
    /// <example><code>
    /// Linalg.diagonal (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [1; 4]
    /// </code></example>
    let diagonal (a: Tensor) =
        Args.notNull "Linalg.diagonal" "a" a
        FuncGrad.Linalg.Diagonal a

    /// <summary>The diagonal <c>offset</c> (above the main one when positive) of the plane of axes <c>dim1</c> and
    /// <c>dim2</c>, as a new last axis.</summary>
    /// <example><code>
    /// Linalg.diagonalWith 1 -2 -1 (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // [2]
    /// </code></example>
    let diagonalWith (offset: int) (dim1: int) (dim2: int) (a: Tensor) =
        Args.notNull "Linalg.diagonalWith" "a" a
        FuncGrad.Linalg.Diagonal(a, offset, dim1, dim2)

    /// <summary>Zeros with the last axis of <c>a</c> on the main diagonal of a new matrix per vector.</summary>
    /// <example><code>
    /// Linalg.diagEmbed (Tensor.ofList [ 1.0; 2.0 ]) // [[1, 0]; [0, 2]]
    /// </code></example>
    let diagEmbed (a: Tensor) =
        Args.notNull "Linalg.diagEmbed" "a" a
        FuncGrad.Linalg.DiagEmbed a

    /// <summary>Zeros with the last axis of <c>a</c> on the diagonal <c>offset</c> of the result's axes <c>dim1</c>
    /// and <c>dim2</c>.</summary>
    /// <example><code>
    /// Linalg.diagEmbedWith 1 -2 -1 (Tensor.ofList [ 1.0; 2.0 ]) // [[0, 1, 0]; [0, 0, 2]; [0, 0, 0]]
    /// </code></example>
    let diagEmbedWith (offset: int) (dim1: int) (dim2: int) (a: Tensor) =
        Args.notNull "Linalg.diagEmbedWith" "a" a
        FuncGrad.Linalg.DiagEmbed(a, offset, dim1, dim2)

    /// <summary>The sum of the main diagonal of each matrix (the last two axes): one trace per matrix of a
    /// batch.</summary>
    /// <example><code>
    /// Linalg.trace (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // 5
    /// </code></example>
    let trace (a: Tensor) =
        Args.notNull "Linalg.trace" "a" a
        FuncGrad.Linalg.Trace a

    // ---- Cross ----

    /// <summary>The cross product a × b of the 3-vectors along the last axis; the other axes broadcast.</summary>
    /// <example><code>
    /// Linalg.cross (Tensor.ofList [ 1.0; 0.0; 0.0 ]) (Tensor.ofList [ 0.0; 1.0; 0.0 ]) // [0; 0; 1]
    /// </code></example>
    let cross (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.cross" "a" a
        Args.notNull "Linalg.cross" "b" b
        FuncGrad.Linalg.Cross(a, b)

    /// <summary>The cross product a × b of the 3-vectors along axis <c>dim</c>; the other axes broadcast.</summary>
    /// <example><code>
    /// Linalg.crossWith 0 (Tensor.ofList [ 1.0; 0.0; 0.0 ]) (Tensor.ofList [ 0.0; 1.0; 0.0 ]) // [0; 0; 1]
    /// </code></example>
    let crossWith (dim: int) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.crossWith" "a" a
        Args.notNull "Linalg.crossWith" "b" b
        FuncGrad.Linalg.Cross(a, b, dim)

    // ---- VectorNorm ----

    /// <summary>The 2-norm of all the elements, without overflow for huge values.</summary>
    /// <example><code>
    /// Linalg.vectorNorm (Tensor.ofList [ 3.0; 4.0 ]) // 5
    /// </code></example>
    let vectorNorm (x: Tensor) =
        Args.notNull "Linalg.vectorNorm" "x" x
        FuncGrad.Linalg.VectorNorm x

    /// <summary>The p-norm of all the elements for any real <c>ord</c> (0 counts nonzeros, ±infinity is the largest or
    /// smallest magnitude).</summary>
    /// <example><code>
    /// Linalg.vectorNormOf 1.0 (Tensor.ofList [ 3.0; -4.0 ]) // 7
    /// </code></example>
    let vectorNormOf (ord: float) (x: Tensor) =
        Args.notNull "Linalg.vectorNormOf" "x" x
        FuncGrad.Linalg.VectorNorm(x, ord)

    /// <summary>The p-norm over the axes <c>dim</c>, keeping them as size 1 when <c>keepDim</c>.</summary>
    /// <example><code>
    /// Linalg.vectorNormWith 2.0 [| 1 |] false (Tensor.ones [| 2; 4 |]) // [2; 2]
    /// </code></example>
    let vectorNormWith (ord: float) (dim: int[]) (keepDim: bool) (x: Tensor) =
        Args.notNull "Linalg.vectorNormWith" "dim" dim
        Args.notNull "Linalg.vectorNormWith" "x" x
        FuncGrad.Linalg.VectorNorm(x, ord, dim, keepDim)
