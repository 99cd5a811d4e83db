namespace FuncGrad

/// <summary>
/// The arithmetic operators as functions: add, sub, mul, div, neg. The functions of the <c>Tensor</c> module that
/// mirror the core's <c>Ops/Arithmetic.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.add (scalar 1.0) (scalar 2.0) // tensor(3., dtype=float64)</code></example>
[<AutoOpen>]
module TensorArithmetic =
    /// <summary>The arithmetic operators as functions: add, sub, mul, div, neg.</summary>
    /// <example><code>Tensor.add (scalar 1.0) (scalar 2.0) // tensor(3., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>
        /// a + b elementwise, broadcasting (the operator <c>+</c> as a function).
        /// </summary>
        /// <example><code>
        /// Tensor.add (Tensor.ofList [ 1.0; 2.0 ]) (scalar 10.0) // tensor([11., 12.], dtype=float64)
        /// </code></example>
        let add (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.add" "a" a
            Args.notNull "Tensor.add" "b" b
            a.Add b

        /// <summary>
        /// a - b elementwise, broadcasting (the operator <c>-</c> as a function). Piped, <c>b |> Tensor.sub a</c> is a
        /// − b: the piped tensor is the second operand.
        /// </summary>
        /// <example><code>Tensor.sub (scalar 5.0) (scalar 2.0) // tensor(3., dtype=float64)</code></example>
        let sub (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.sub" "a" a
            Args.notNull "Tensor.sub" "b" b
            a.Sub b

        /// <summary>
        /// a * b elementwise, broadcasting (the operator <c>*</c> as a function).
        /// </summary>
        /// <example><code>
        /// Tensor.mul (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0; 4.0 ]) // tensor([3., 8.], dtype=float64)
        /// </code></example>
        let mul (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.mul" "a" a
            Args.notNull "Tensor.mul" "b" b
            a.Mul b

        /// <summary>
        /// a / b elementwise, broadcasting (the operator <c>/</c> as a function). Piped, <c>b |> Tensor.div a</c> is a
        /// / b: the piped tensor is the second operand.
        /// </summary>
        /// <example><code>Tensor.div (scalar 1.0) (scalar 4.0) // tensor(0.2500, dtype=float64)</code></example>
        let div (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.div" "a" a
            Args.notNull "Tensor.div" "b" b
            a.Div b

        /// <summary>a ÷ b rounded toward −∞ (Python's <c>a // b</c>): integers, or floats exactly as Python computes
        /// them.</summary>
        /// <example><code>
        /// Tensor.floorDivide (Tensor.ofInt64Array [| 7L; -7L |]) (Tensor.ofInt64Array [| 2L |])
        /// // tensor([ 3, -4], dtype=int64)
        /// </code></example>
        let floorDivide (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.floorDivide" "a" a
            Args.notNull "Tensor.floorDivide" "b" b
            a.FloorDivide b

        /// <summary>The remainder of a // b, with the sign of b (Python's <c>a % b</c>; also <c>a % b</c>
        /// here).</summary>
        /// <example><code>
        /// Tensor.remainder (Tensor.ofInt64Array [| 7L; -7L |]) (Tensor.ofInt64Array [| 3L |]) // tensor([1, 2], ...)
        /// </code></example>
        let remainder (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.remainder" "a" a
            Args.notNull "Tensor.remainder" "b" b
            a.Remainder b

        /// <summary>−x (unary minus as a function).</summary>
        /// <example><code>Tensor.neg (Tensor.ofList [ 1.0; -2.0 ]) // tensor([-1., 2.], dtype=float64)</code></example>
        let neg (t: Tensor) =
            Args.notNull "Tensor.neg" "t" t
            t.Neg()
