namespace FuncGrad

/// <summary>
/// Logic on masks: and, or, xor, not, any, all, counts, and the tests for NaN and infinities, with bool (or int64
/// count) results and no gradient.
/// </summary>
/// <remarks>A tensor of another dtype is true where it is not zero. The functions of the <c>Tensor</c> module that
/// mirror the core's <c>Ops/Logical.cs</c>; <c>open FuncGrad</c> opens this module.</remarks>
/// <example><code>Tensor.any (Tensor.ofBoolArray [| false; true |]) // tensor(True, dtype=bool)</code></example>
[<AutoOpen>]
module TensorLogical =
    /// <summary>Logic on masks: and, or, xor, not, any, all, counts, NaN and infinity tests.</summary>
    /// <example><code>Tensor.all (Tensor.ofBoolArray [| false; true |]) // tensor(False, dtype=bool)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>True where both are true, broadcasting (also <c>a &amp;&amp;&amp; b</c>).</summary>
        /// <example><code>
        /// Tensor.logicalAnd (Tensor.ofBoolArray [| true; false |]) (Tensor.ofBoolArray [| true; true |])
        /// // tensor([ True, False], dtype=bool)
        /// </code></example>
        let logicalAnd (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.logicalAnd" "a" a
            Args.notNull "Tensor.logicalAnd" "b" b
            a.LogicalAnd b

        /// <summary>True where either is true, broadcasting (also <c>a ||| b</c>).</summary>
        /// <example><code>
        /// Tensor.logicalOr (Tensor.ofBoolArray [| true; false |]) (Tensor.ofBoolArray [| false; false |])
        /// // tensor([ True, False], dtype=bool)
        /// </code></example>
        let logicalOr (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.logicalOr" "a" a
            Args.notNull "Tensor.logicalOr" "b" b
            a.LogicalOr b

        /// <summary>True where exactly one is true, broadcasting (also <c>a ^^^ b</c>).</summary>
        /// <example><code>
        /// Tensor.logicalXor (Tensor.ofBoolArray [| true; false |]) (Tensor.ofBoolArray [| true; true |])
        /// // tensor([False,  True], dtype=bool)
        /// </code></example>
        let logicalXor (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.logicalXor" "a" a
            Args.notNull "Tensor.logicalXor" "b" b
            a.LogicalXor b

        /// <summary>True where the element is false (zero).</summary>
        /// <example><code>
        /// Tensor.logicalNot (Tensor.ofBoolArray [| true |]) // tensor([False], dtype=bool)
        /// </code></example>
        let logicalNot (t: Tensor) =
            Args.notNull "Tensor.logicalNot" "t" t
            t.LogicalNot()

        /// <summary>Whether any element is true (not zero).</summary>
        /// <example><code>
        /// Tensor.any (Tensor.ofBoolArray [| false; true |]) // tensor(True, dtype=bool)
        /// </code></example>
        let any (t: Tensor) =
            Args.notNull "Tensor.any" "t" t
            t.Any()

        /// <summary>Whether any element is true over <c>axes</c>, keeping them as size 1 when
        /// <c>keepDims</c>.</summary>
        /// <example><code>
        /// Tensor.anyAxes [| 1 |] false (Tensor.ofShapeBool [| 2; 2 |] [| false; true; false; false |])
        /// // tensor([ True, False], dtype=bool)
        /// </code></example>
        let anyAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.anyAxes" "axes" axes
            Args.notNull "Tensor.anyAxes" "t" t
            t.Any(axes, keepDims)

        /// <summary>Whether every element is true (not zero).</summary>
        /// <example><code>
        /// Tensor.all (Tensor.ofBoolArray [| false; true |]) // tensor(False, dtype=bool)
        /// </code></example>
        let all (t: Tensor) =
            Args.notNull "Tensor.all" "t" t
            t.All()

        /// <summary>Whether every element is true over <c>axes</c>, keeping them as size 1 when
        /// <c>keepDims</c>.</summary>
        /// <example><code>
        /// Tensor.allAxes [| 1 |] false (Tensor.ofShapeBool [| 2; 2 |] [| true; true; false; true |])
        /// // tensor([ True, False], dtype=bool)
        /// </code></example>
        let allAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.allAxes" "axes" axes
            Args.notNull "Tensor.allAxes" "t" t
            t.All(axes, keepDims)

        /// <summary>How many elements are not zero: an int64 count.</summary>
        /// <example><code>
        /// Tensor.countNonzero (Tensor.ofList [ 0.0; 2.0; -1.0 ]) // tensor(2, dtype=int64)
        /// </code></example>
        let countNonzero (t: Tensor) =
            Args.notNull "Tensor.countNonzero" "t" t
            t.CountNonzero()

        /// <summary>How many elements are not zero over <c>axes</c>, keeping them as size 1 when
        /// <c>keepDims</c>.</summary>
        /// <example><code>
        /// Tensor.countNonzeroAxes [| 0 |] false (Tensor.ofShape [| 2; 2 |] [| 0.0; 1.0; 2.0; 3.0 |])
        /// // tensor([1, 2], dtype=int64)
        /// </code></example>
        let countNonzeroAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
            Args.notNull "Tensor.countNonzeroAxes" "axes" axes
            Args.notNull "Tensor.countNonzeroAxes" "t" t
            t.CountNonzero(axes, keepDims)

        /// <summary>True where the element is NaN.</summary>
        /// <example><code>
        /// Tensor.isNan (Tensor.ofList [ 1.0; nan ]) // tensor([False,  True], dtype=bool)
        /// </code></example>
        let isNan (t: Tensor) =
            Args.notNull "Tensor.isNan" "t" t
            t.IsNan()

        /// <summary>True where the element is +inf or −inf.</summary>
        /// <example><code>
        /// Tensor.isInf (Tensor.ofList [ 1.0; -infinity ]) // tensor([False,  True], dtype=bool)
        /// </code></example>
        let isInf (t: Tensor) =
            Args.notNull "Tensor.isInf" "t" t
            t.IsInf()

        /// <summary>True where the element is neither NaN nor infinite.</summary>
        /// <example><code>
        /// Tensor.isFinite (Tensor.ofList [ 1.0; nan ]) // tensor([ True, False], dtype=bool)
        /// </code></example>
        let isFinite (t: Tensor) =
            Args.notNull "Tensor.isFinite" "t" t
            t.IsFinite()
