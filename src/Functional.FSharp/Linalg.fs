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
    // ---- Triangles ----

    /// <summary>The lower triangle of each matrix (the last two axes): on and below diagonal <c>diagonal</c> (0 the
    /// main one, k &gt; 0 right of it), the rest zero.</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
    /// |> Linalg.tril 0 // tensor([[1., 0.], [3., 4.]], dtype=float64)
    /// </code></example>
    let tril (diagonal: int) (a: Tensor) =
        Args.notNull "Linalg.tril" "a" a
        Linalg.Tril(a, diagonal)

    /// <summary>The upper triangle of each matrix (the last two axes): on and above diagonal <c>diagonal</c> (0 the
    /// main one, k &gt; 0 right of it), the rest zero.</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
    /// |> Linalg.triu 0 // tensor([[1., 2.], [0., 4.]], dtype=float64)
    /// </code></example>
    let triu (diagonal: int) (a: Tensor) =
        Args.notNull "Linalg.triu" "a" a
        Linalg.Triu(a, diagonal)

    // ---- Diagonals ----

    /// <summary>The diagonal <c>offset</c> (above the main one when positive) of each matrix (the last two
    /// axes).</summary>
    /// <example><code>
    /// Linalg.diagonal 0 (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // tensor([1., 4.], dtype=float64)
    /// </code></example>
    let diagonal (offset: int) (a: Tensor) =
        Args.notNull "Linalg.diagonal" "a" a
        Linalg.Diagonal(a, offset)

    /// <summary>The diagonal <c>offset</c> of the plane of axes <c>dim1</c> and <c>dim2</c>, as a new last
    /// axis.</summary>
    /// <example><code>
    /// Linalg.diagonalAxes 0 0 2 (Tensor.ones [| 2; 3; 2 |]) |> Tensor.shape // [| 3; 2 |]
    /// </code></example>
    let diagonalAxes (offset: int) (dim1: int) (dim2: int) (a: Tensor) =
        Args.notNull "Linalg.diagonalAxes" "a" a
        Linalg.Diagonal(a, offset, dim1, dim2)

    /// <summary>Matrices (the last two axes) with the last axis of <c>a</c> on their diagonal <c>offset</c>, zeros
    /// elsewhere.</summary>
    /// <example><code>
    /// Linalg.diagEmbed 0 (Tensor.ofList [ 1.0; 2.0 ]) // tensor([[1., 0.], [0., 2.]], dtype=float64)
    /// </code></example>
    let diagEmbed (offset: int) (a: Tensor) =
        Args.notNull "Linalg.diagEmbed" "a" a
        Linalg.DiagEmbed(a, offset)

    /// <summary>Zeros with the last axis of <c>a</c> on the diagonal <c>offset</c> of the result's axes <c>dim1</c>
    /// and <c>dim2</c>.</summary>
    /// <example><code>
    /// Linalg.diagEmbedAxes 0 0 2 (Tensor.ones [| 3; 2 |]) |> Tensor.shape // [| 2; 3; 2 |]
    /// </code></example>
    let diagEmbedAxes (offset: int) (dim1: int) (dim2: int) (a: Tensor) =
        Args.notNull "Linalg.diagEmbedAxes" "a" a
        Linalg.DiagEmbed(a, offset, dim1, dim2)

    /// <summary>The sum of the main diagonal of each matrix (the last two axes): one trace per matrix of a
    /// batch.</summary>
    /// <example><code>
    /// Linalg.trace (Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])) // tensor(5., dtype=float64)
    /// </code></example>
    let trace (a: Tensor) =
        Args.notNull "Linalg.trace" "a" a
        Linalg.Trace a

    // ---- Cross ----

    /// <summary>The cross product a × b of the 3-vectors along the last axis; the other axes broadcast.</summary>
    /// <example><code>
    /// Linalg.cross (Tensor.ofList [ 1.0; 0.0; 0.0 ]) (Tensor.ofList [ 0.0; 1.0; 0.0 ])
    /// // tensor([0., 0., 1.], dtype=float64)
    /// </code></example>
    let cross (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.cross" "a" a
        Args.notNull "Linalg.cross" "b" b
        Linalg.Cross(a, b)

    /// <summary>The cross product a × b of the 3-vectors along axis <c>dim</c>; the other axes broadcast.</summary>
    /// <example><code>
    /// Linalg.crossAxis 0 (Tensor.ones [| 3; 2 |]) (Tensor.ones [| 3; 2 |]) |> Tensor.shape // [| 3; 2 |]
    /// </code></example>
    let crossAxis (dim: int) (a: Tensor) (b: Tensor) =
        Args.notNull "Linalg.crossAxis" "a" a
        Args.notNull "Linalg.crossAxis" "b" b
        Linalg.Cross(a, b, dim)

    // ---- VectorNorm ----

    /// <summary>The p-norm of all the elements for any real <c>ord</c> (0 counts nonzeros, ±infinity is the largest or
    /// smallest magnitude), without overflow for huge values.</summary>
    /// <example><code>
    /// Linalg.vectorNorm 2.0 (Tensor.ofList [ 3.0; 4.0 ]) // tensor(5., dtype=float64)
    /// </code></example>
    let vectorNorm (ord: float) (x: Tensor) =
        Args.notNull "Linalg.vectorNorm" "x" x
        Linalg.VectorNorm(x, ord)

    /// <summary>The p-norm over the axes <c>dim</c>, keeping them as size 1 when <c>keepDim</c>.</summary>
    /// <example><code>
    /// Tensor.ones [| 2; 4 |] |> Linalg.vectorNormAxes 2.0 [| 1 |] false // tensor([2., 2.], dtype=float64)
    /// </code></example>
    let vectorNormAxes (ord: float) (dim: int[]) (keepDim: bool) (x: Tensor) =
        Args.notNull "Linalg.vectorNormAxes" "dim" dim
        Args.notNull "Linalg.vectorNormAxes" "x" x
        Linalg.VectorNorm(x, ord, dim, keepDim)
