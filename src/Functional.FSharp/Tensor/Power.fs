namespace FuncGrad

/// <summary>
/// Powers with a number or a tensor exponent (the operator <c>**</c> as functions). The functions of the <c>Tensor</c>
/// module that mirror the core's <c>Ops/Power.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.pow 2.0 (scalar 3.0) // tensor(9., dtype=float64)</code></example>
[<AutoOpen>]
module TensorPower =
    /// <summary>Powers with a number or a tensor exponent (the operator <c>**</c> as functions).</summary>
    /// <example><code>Tensor.pow 2.0 (scalar 3.0) // tensor(9., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>x^p for a number p.</summary>
        /// <example><code>Tensor.pow 2.0 (scalar 3.0) // tensor(9., dtype=float64)</code></example>
        let pow (p: float) (t: Tensor) =
            Args.notNull "Tensor.pow" "t" t
            t.Pow p

        /// <summary>x^e elementwise for a tensor exponent e, broadcasting (the operator <c>x ** e</c>); x must be
        /// positive where e is not a whole number.</summary>
        /// <example><code>
        /// Tensor.ofList [ 2.0; 3.0 ] |> Tensor.powOf (Tensor.ofList [ 3.0; 2.0 ]) // tensor([8., 9.], dtype=float64)
        /// </code></example>
        let powOf (exponent: Tensor) (t: Tensor) =
            Args.notNull "Tensor.powOf" "exponent" exponent
            Args.notNull "Tensor.powOf" "t" t
            t.Pow exponent
