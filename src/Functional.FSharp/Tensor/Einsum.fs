namespace FuncGrad

/// <summary>
/// Contractions: Einstein summation in NumPy's notation, tensordot and the Kronecker product. The functions of the
/// <c>Tensor</c> module that mirror the core's <c>Ops/Einsum.cs</c> and <c>Ops/Contractions.cs</c>;
/// <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.einsum "ij,jk->ik" [ Tensor.eye 2; Tensor.ones [| 2; 3 |] ] |> Tensor.shape // [| 2; 3 |]
/// </code></example>
[<AutoOpen>]
module TensorEinsum =
    /// <summary>Contractions: Einstein summation, tensordot and the Kronecker product.</summary>
    /// <example><code>
    /// Tensor.einsum "ij,jk->ik" [ Tensor.eye 2; Tensor.ones [| 2; 3 |] ] |> Tensor.shape // [| 2; 3 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>
        /// Einstein summation (NumPy's and PyTorch's notation): the products of the operands' elements summed over the
        /// subscripts the output leaves out.
        /// </summary>
        /// <remarks>
        /// <c>"ij,jk->ik"</c> is a matrix product, <c>"ii"</c> a trace, <c>"ii->i"</c> a diagonal,
        /// <c>"...ij->...ji"</c> a batched transpose; without <c>-&gt;</c> the output is the ellipsis's axes then the
        /// subscripts that appear once, alphabetically. Three or more operands are contracted two at a time in a
        /// greedy order, each pair as one batched matrix product (<c>Tensor.Einsum</c> in C# says more).
        /// </remarks>
        /// <example><code>
        /// Tensor.einsum "ii" [ Tensor.eye 3 ] // tensor(3., dtype=float64)
        /// </code></example>
        let einsum (equation: string) (operands: Tensor list) =
            Args.notNull "Tensor.einsum" "equation" equation
            Args.notNull "Tensor.einsum" "operands" operands
            Tensor.Einsum(equation, operands)

        /// <summary>
        /// The sum of products over the last <c>dims</c> axes of <c>a</c> and the first <c>dims</c> of <c>b</c>,
        /// paired in order (PyTorch's default is 2); the result has <c>a</c>'s other axes, then <c>b</c>'s.
        /// </summary>
        /// <example><code>
        /// Tensor.tensordot 2 (Tensor.ones [| 2; 3; 4 |]) (Tensor.ones [| 3; 4; 5 |]) |> Tensor.shape // [| 2; 5 |]
        /// </code></example>
        let tensordot (dims: int) (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.tensordot" "a" a
            Args.notNull "Tensor.tensordot" "b" b
            a.Tensordot(b, dims)

        /// <summary>
        /// The sum of products over axis <c>dimsA[i]</c> of <c>a</c> paired with axis <c>dimsB[i]</c> of <c>b</c>;
        /// the result has <c>a</c>'s unpaired axes in order, then <c>b</c>'s.
        /// </summary>
        /// <example><code>
        /// Tensor.tensordotAxes [| 0 |] [| 0 |] (Tensor.ones [| 3; 2 |]) (Tensor.ones [| 3; 5 |]) |> Tensor.shape
        /// // [| 2; 5 |]
        /// </code></example>
        let tensordotAxes (dimsA: int[]) (dimsB: int[]) (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.tensordotAxes" "dimsA" dimsA
            Args.notNull "Tensor.tensordotAxes" "dimsB" dimsB
            Args.notNull "Tensor.tensordotAxes" "a" a
            Args.notNull "Tensor.tensordotAxes" "b" b
            a.Tensordot(b, dimsA, dimsB)

        /// <summary>
        /// The Kronecker product: result[i·s + j] = a[i]·b[j] along every axis, s being <c>b</c>'s size there (the
        /// tensor of lower rank gains leading axes of size 1 first, as torch.kron).
        /// </summary>
        /// <example><code>
        /// Tensor.kron (Tensor.eye 2) (Tensor.ones [| 2; 3 |]) |> Tensor.shape // [| 4; 6 |]
        /// </code></example>
        let kron (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.kron" "a" a
            Args.notNull "Tensor.kron" "b" b
            a.Kron b
