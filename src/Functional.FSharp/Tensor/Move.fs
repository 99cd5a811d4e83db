namespace FuncGrad

/// <summary>
/// Moving values between devices (differentiable). The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Move.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the
/// other families'.
/// </summary>
/// <example><code>Tensor.ofList [ 1.0 ] |> Tensor.toDevice Device.Managed |> Tensor.device // managed</code></example>
[<AutoOpen>]
module TensorMove =
    /// <summary>Moving values between devices (differentiable).</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0 ] |> Tensor.toDevice Device.Managed |> Tensor.device // managed
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>
        /// The tensor's values on device <c>d</c>: the tensor itself when it is there already, else a copy (a move
        /// inside a differentiated function carries gradients back).
        /// </summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0 ] |> Tensor.toDevice Device.TorchCpu |> Tensor.device // torch:cpu
        /// </code></example>
        let toDevice (d: Device) (t: Tensor) =
            Args.notNull "Tensor.toDevice" "t" t
            t.To d
