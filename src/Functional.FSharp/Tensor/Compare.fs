namespace FuncGrad

/// <summary>
/// Comparisons, as bool masks without a gradient, and <c>where</c>. The functions of the <c>Tensor</c> module
/// that mirror the core's <c>Ops/Compare.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.lt (scalar 1.0) (scalar 2.0) // tensor(True, dtype=bool)</code></example>
[<AutoOpen>]
module TensorCompare =
    /// <summary>Comparisons, as bool masks without a gradient, and <c>where</c>.</summary>
    /// <example><code>Tensor.lt (scalar 1.0) (scalar 2.0) // tensor(True, dtype=bool)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>a where the bool mask is true, b elsewhere.</summary>
        /// <example><code>
        /// Tensor.where (Tensor.ofBoolArray [| true; false |]) (scalar 5.0) (scalar 7.0) // tensor([5., 7.], ...)
        /// </code></example>
        let where (mask: Tensor) (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.where" "mask" mask
            Args.notNull "Tensor.where" "a" a
            Args.notNull "Tensor.where" "b" b
            Tensor.Where(mask, a, b)

        /// <summary>Mask of a = b.</summary>
        /// <example><code>Tensor.eq (scalar 1.0) (scalar 1.0) // tensor(True, dtype=bool)</code></example>
        let eq (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.eq" "a" a
            Args.notNull "Tensor.eq" "b" b
            a.Eq b

        /// <summary>Mask of a ≠ b: true where it holds, broadcasting; no gradient.</summary>
        /// <example><code>
        /// Tensor.ne (Tensor.ofList [ 1.0; 2.0 ]) (scalar 1.0) // tensor([False,  True], dtype=bool)
        /// </code></example>
        let ne (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.ne" "a" a
            Args.notNull "Tensor.ne" "b" b
            a.Ne b

        /// <summary>Mask of a &lt; b.</summary>
        /// <example><code>Tensor.lt (scalar 1.0) (scalar 2.0) // tensor(True, dtype=bool)</code></example>
        let lt (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.lt" "a" a
            Args.notNull "Tensor.lt" "b" b
            a.Lt b

        /// <summary>Mask of a ≤ b: true where it holds, broadcasting; no gradient.</summary>
        /// <example><code>
        /// Tensor.le (Tensor.ofList [ 1.0; 2.0 ]) (scalar 1.0) // tensor([ True, False], dtype=bool)
        /// </code></example>
        let le (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.le" "a" a
            Args.notNull "Tensor.le" "b" b
            a.Le b

        /// <summary>Mask of a &gt; b.</summary>
        /// <example><code>Tensor.gt (scalar 1.0) (scalar 2.0) // tensor(False, dtype=bool)</code></example>
        let gt (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.gt" "a" a
            Args.notNull "Tensor.gt" "b" b
            a.Gt b

        /// <summary>Mask of a ≥ b: true where it holds, broadcasting; no gradient.</summary>
        /// <example><code>
        /// Tensor.ge (Tensor.ofList [ 1.0; 2.0 ]) (scalar 2.0) // tensor([False,  True], dtype=bool)
        /// </code></example>
        let ge (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.ge" "a" a
            Args.notNull "Tensor.ge" "b" b
            a.Ge b
