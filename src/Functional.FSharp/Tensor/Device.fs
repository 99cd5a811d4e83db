namespace FuncGrad

/// <summary>The default device for new tensors, within a scope (see the C# <c>Device</c> type).</summary>
/// <example><code>
/// Device.``use`` Device.TorchCpu (fun () -> Tensor.ofList [ 1.0 ] |> Tensor.device) // torch:cpu
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Device =
    /// <summary>
    /// Runs <c>f</c> with <c>d</c> as the default device for new tensors (<c>Device.Default</c>), and restores the
    /// previous default afterwards, also when <c>f</c> throws. <c>use</c> is an F# keyword: write it in double
    /// backticks, or call <c>Device.using</c>.
    /// </summary>
    /// <example><code>
    /// Device.``use`` Device.TorchCpu (fun () -> Tensor.ofList [ 1.0 ] |> Tensor.device) // torch:cpu
    /// </code></example>
    [<CompiledName("Use")>]
    let ``use`` (d: Device) (f: unit -> 'T) : 'T =
        Args.notNull "Device.use" "f" f
        use _ = Device.Use d
        f ()

    /// <summary>The same as <c>Device.``use``</c>, under a name that needs no backticks.</summary>
    /// <example><code>
    /// Device.using Device.TorchCpu (fun () -> Tensor.zeros [| 2 |] |> Tensor.device) // torch:cpu
    /// </code></example>
    [<CompiledName("Using")>]
    let using (d: Device) (f: unit -> 'T) : 'T = ``use`` d f
