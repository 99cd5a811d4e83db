namespace FuncGrad

/// <summary>
/// Stop-gradient for one value. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Tensor.Graph.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>Tensor.detach (scalar 1.0) // tensor(1., dtype=float64)</code></example>
[<AutoOpen>]
module TensorDetach =
    /// <summary>Stop-gradient for one value.</summary>
    /// <example><code>Tensor.detach (scalar 1.0) // tensor(1., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The same values without any history (stop-gradient).</summary>
        /// <example><code>Tensor.detach (scalar 1.0) // tensor(1., dtype=float64)</code></example>
        let detach (t: Tensor) =
            Args.notNull "Tensor.detach" "t" t
            t.Detach()
