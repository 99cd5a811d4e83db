// Devices in practice (see devices.md): moving tensors to LibTorch on the CPU, the default device, every
// transformation on torch:cpu against the managed backend, and the error for mixing devices. CI runs it on
// torch:cpu after building tests/Backend.LibTorch, whose output holds FuncGrad.LibTorch, TorchSharp and the native
// libtorch (libLibTorchSharp.so already patched for Debian 12's libstdc++, as devices.md explains).
#load "Checks.fsx"
#r "../tests/Backend.LibTorch/bin/Release/net10.0/linux-x64/TorchSharp.dll"
#r "../tests/Backend.LibTorch/bin/Release/net10.0/linux-x64/FuncGrad.LibTorch.dll"

open System
open FuncGrad
open Checks

/// Fails unless a torch result is within rtol of the managed one; prints both devices.
let agrees (what: string) (rtol: float) (onTorch: Tensor) (managed: Tensor) =
    if not (onTorch.AllClose(managed, rtol, rtol)) then
        failwithf "%s: torch:cpu gave %O, managed %O" what onTorch managed

    printfn "%-44s %O agrees with %O" what (Tensor.device onTorch) (Tensor.device managed)

// ---- 1. Moving a tensor ----
let x = Tensor.ofList [ 0.5; -1.0; 2.0 ]
let xt = x |> Tensor.toDevice Device.TorchCpu
checkThat "Tensor.device xt = torch:cpu" (Tensor.device xt = Device.TorchCpu)
check "xt |> Tensor.toDevice Device.Managed" (xt |> Tensor.toDevice Device.Managed) x
// reading values copies them back: printing, Item, ToArray
printfn "%-44s %O" "xt (printed from torch:cpu)" xt

// ---- 2. The default device for new tensors ----
let made = Device.using Device.TorchCpu (fun () -> Tensor.zeros [| 2; 2 |])
checkThat "Device.using TorchCpu: zeros are on torch:cpu" (Tensor.device made = Device.TorchCpu)
checkThat "outside the scope, the default is back" (Device.Default = Device.Managed)

// ---- 3. Every transformation, unchanged ----
let f (v: Tensor) = Tensor.sum (tanh v * v)
agrees "grad f" 1e-12 (grad f xt) (grad f x)
agrees "hessian f" 1e-12 (hessian f xt) (hessian f x)
agrees "jvp f along ones" 1e-12 (snd (jvp f xt (Tensor.onesLike xt))) (snd (jvp f x (Tensor.onesLike x)))
let rows = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
agrees "vmap (grad f) rows" 1e-12 (vmap (grad f) (rows |> Tensor.toDevice Device.TorchCpu)) (vmap (grad f) rows)

// ---- 4. One op never mixes devices (a managed number is fine) ----
checkThat "xt * scalar 2.0 stays on torch:cpu" (Tensor.device (xt * scalar 2.0) = Device.TorchCpu)

let mixed =
    try
        xt + x |> ignore
        "no error"
    with :? DeviceMismatchException as e ->
        e.Message

printfn "%-44s %s" "xt + x" mixed
checkThat "the error names both devices" (mixed.Contains "torch:cpu" && mixed.Contains "managed")
