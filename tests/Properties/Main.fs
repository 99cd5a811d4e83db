module Main

open System.Runtime.InteropServices
open System.Runtime.Intrinsics
open Expecto

/// The vector widths and instruction sets this process runs with, as the kernels see them at start-up.
/// Printed first, so that a log says which paths the tests exercised; tests/isa-matrix.sh checks it to
/// be sure that each setting's DOTNET_Enable* switch took effect.
let private instructionSets () =
    let on b = if b then "on" else "off"

    [
        "Vector512", Vector512.IsHardwareAccelerated
        "Vector256", Vector256.IsHardwareAccelerated
        "Vector128", Vector128.IsHardwareAccelerated
        "Avx512F", X86.Avx512F.IsSupported
        "Avx2", X86.Avx2.IsSupported
        "Fma", X86.Fma.IsSupported
        "AdvSimd", Arm.AdvSimd.IsSupported
    ]
    |> List.map (fun (name, b) -> $"{name} {on b}")
    |> String.concat ", "
    |> sprintf "instruction sets: %O, %s" RuntimeInformation.ProcessArchitecture

[<EntryPoint>]
let main argv =
    // --write-ops-page: write docs/ops.md from the code (Ops/OpsPage.fs) instead of testing.
    if argv = [| "--write-ops-page" |] then
        Ops.OpsPage.write ()
        0
    else
        printfn "%s" (instructionSets ())
        runTestsInAssemblyWithCLIArgs [] argv
