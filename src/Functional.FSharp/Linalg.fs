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

    // ---- Triangles ----

    /// <summary>The lower triangle of each matrix (the last two axes): on and below diagonal <c>diagonal</c> (0 the
    /// main one, k &gt; 0 right of it), the rest zero.</summary>
    /// <example><code>
    /// Linalg.tril (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) 0 // [[1, 0]; [3, 4]]
    /// </code></example>
    let tril (a: Tensor) (diagonal: int) =
        Args.notNull "tril" "a" a
        FuncGrad.Linalg.Tril(a, diagonal)

    /// <summary>The upper triangle of each matrix (the last two axes): on and above diagonal <c>diagonal</c> (0 the
    /// main one, k &gt; 0 right of it), the rest zero.</summary>
    /// <example><code>
    /// Linalg.triu (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) 0 // [[1, 2]; [0, 4]]
    /// </code></example>
    let triu (a: Tensor) (diagonal: int) =
        Args.notNull "triu" "a" a
        FuncGrad.Linalg.Triu(a, diagonal)

    // ---- Diagonals ----

    /// <summary>The diagonal <c>offset</c> (above the main one when positive) of the plane of axes <c>dim1</c> and
    /// <c>dim2</c> (-2 and -1: each matrix), as a new last axis.</summary>
    /// <example><code>
    /// Linalg.diagonal (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) 0 -2 -1 // [1; 4]
    /// </code></example>
    let diagonal (a: Tensor) (offset: int) (dim1: int) (dim2: int) =
        Args.notNull "diagonal" "a" a
        FuncGrad.Linalg.Diagonal(a, offset, dim1, dim2)

    /// <summary>Zeros with the last axis of <c>a</c> on the diagonal <c>offset</c> of the result's axes <c>dim1</c>
    /// and <c>dim2</c> (-2 and -1: a matrix per vector).</summary>
    /// <example><code>
    /// Linalg.diagEmbed (Tensor.ofList [ 1.0; 2.0 ]) 0 -2 -1 // [[1, 0]; [0, 2]]
    /// </code></example>
    let diagEmbed (a: Tensor) (offset: int) (dim1: int) (dim2: int) =
        Args.notNull "diagEmbed" "a" a
        FuncGrad.Linalg.DiagEmbed(a, offset, dim1, dim2)

    /// <summary>The sum of the main diagonal of each matrix (the last two axes): one trace per matrix of a
    /// batch.</summary>
    /// <example><code>
    /// Linalg.trace (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // 5
    /// </code></example>
    let trace (a: Tensor) =
        Args.notNull "trace" "a" a
        FuncGrad.Linalg.Trace a

    // ---- Cross ----

    /// <summary>The cross product a × b of the 3-vectors along axis <c>dim</c> (-1: the last); the other axes
    /// broadcast.</summary>
    /// <example><code>
    /// Linalg.cross (Tensor.ofList [ 1.0; 0.0; 0.0 ]) (Tensor.ofList [ 0.0; 1.0; 0.0 ]) -1 // [0; 0; 1]
    /// </code></example>
    let cross (a: Tensor) (b: Tensor) (dim: int) =
        Args.notNull "cross" "a" a
        Args.notNull "cross" "b" b
        FuncGrad.Linalg.Cross(a, b, dim)

    // ---- VectorNorm ----

    /// <summary>The p-norm of all the elements for any real <c>ord</c> (0 counts nonzeros, ±infinity is the largest or
    /// smallest magnitude), without overflow for huge values.</summary>
    /// <example><code>
    /// Linalg.vectorNorm (Tensor.ofList [ 3.0; 4.0 ]) 2.0 // 5
    /// </code></example>
    let vectorNorm (x: Tensor) (ord: float) =
        Args.notNull "vectorNorm" "x" x
        FuncGrad.Linalg.VectorNorm(x, ord)

    /// <summary>The p-norm over the axes <c>dim</c>, keeping them as size 1 when <c>keepDim</c>.</summary>
    /// <example><code>
    /// Linalg.vectorNormAxes (Tensor.ones [| 2; 4 |]) 2.0 [| 1 |] false // [2; 2]
    /// </code></example>
    let vectorNormAxes (x: Tensor) (ord: float) (dim: int[]) (keepDim: bool) =
        Args.notNull "vectorNormAxes" "x" x
        Args.notNull "vectorNormAxes" "dim" dim
        FuncGrad.Linalg.VectorNorm(x, ord, dim, keepDim)
