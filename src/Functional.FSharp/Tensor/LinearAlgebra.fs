namespace FuncGrad

/// <summary>
/// Products: matrix, inner (of vectors, or of tensors of any rank) and outer. The functions of the <c>Tensor</c> module
/// that mirror the core's <c>Ops/LinearAlgebra.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>
/// Tensor.dot (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0; 4.0 ]) // tensor(11., dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorLinearAlgebra =
    /// <summary>Products: matrix, inner (of vectors, or of tensors of any rank) and outer.</summary>
    /// <example><code>
    /// Tensor.dot (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0; 4.0 ]) // tensor(11., dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>
        /// The matrix product a·b (NumPy rules for vectors and batches). Piped: <c>b |> Tensor.matmul a</c> is a·b.
        /// </summary>
        /// <example><code>
        /// Tensor.matmul (Tensor.eye 2) (Tensor.ofList [ 3.0; 4.0 ]) // tensor([3., 4.], dtype=float64)
        /// </code></example>
        let matmul (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.matmul" "a" a
            Args.notNull "Tensor.matmul" "b" b
            a.MatMul b

        /// <summary>The inner product of two vectors.</summary>
        /// <example><code>
        /// Tensor.dot (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0; 4.0 ]) // tensor(11., dtype=float64)
        /// </code></example>
        let dot (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.dot" "a" a
            Args.notNull "Tensor.dot" "b" b
            a.Dot b

        /// <summary>
        /// Σᵢ aᵢ·bᵢ over all elements of two tensors of one shape, any rank (JAX's <c>vdot</c> for real values, but the
        /// shapes must be equal, not only the element counts); a rank-0 tensor. For vectors it is <c>dot</c>.
        /// </summary>
        /// <example><code>
        /// Tensor.vdot (Tensor.ones [| 2; 3 |]) (Tensor.full [| 2; 3 |] 2.0) // tensor(12., dtype=float64)
        /// </code></example>
        let vdot (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.vdot" "a" a
            Args.notNull "Tensor.vdot" "b" b
            a.Vdot b

        /// <summary>The outer product of two vectors.</summary>
        /// <example><code>
        /// Tensor.outer (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0 ]) |> Tensor.shape // [| 2; 1 |]
        /// </code></example>
        let outer (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.outer" "a" a
            Args.notNull "Tensor.outer" "b" b
            a.Outer b
