namespace FuncGrad

/// <summary>
/// The elementwise larger and smaller of two tensors. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/MinMax.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>Tensor.maximum (scalar 1.0) (scalar 2.0) // tensor(2., dtype=float64)</code></example>
[<AutoOpen>]
module TensorMinMax =
    /// <summary>The elementwise larger and smaller of two tensors.</summary>
    /// <example><code>Tensor.maximum (scalar 1.0) (scalar 2.0) // tensor(2., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The larger of a and b elementwise; ties split the gradient.</summary>
        /// <example><code>Tensor.maximum (scalar 1.0) (scalar 2.0) // tensor(2., dtype=float64)</code></example>
        let maximum (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.maximum" "a" a
            Args.notNull "Tensor.maximum" "b" b
            a.Maximum b

        /// <summary>The smaller of a and b elementwise; ties split the gradient.</summary>
        /// <example><code>Tensor.minimum (scalar 1.0) (scalar 2.0) // tensor(1., dtype=float64)</code></example>
        let minimum (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.minimum" "a" a
            Args.notNull "Tensor.minimum" "b" b
            a.Minimum b
