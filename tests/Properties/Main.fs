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

/// `--skip-list NAME` (repeatable) leaves out the top-level test list NAME; the other arguments go to Expecto.
/// tests/isa-matrix.sh uses it under the emulated and reduced instruction sets for lists that check the
/// transformations' logic rather than the kernels those settings change.
let private withoutSkips (argv: string[]) =
    let rec split kept skips args =
        match args with
        | "--skip-list" :: name :: rest -> split kept (name :: skips) rest
        | a :: rest -> split (a :: kept) skips rest
        | [] -> Array.ofList (List.rev kept), skips

    split [] [] (List.ofArray argv)

[<EntryPoint>]
let main argv =
    // --write-ops-page: write docs/ops.md from the code (Ops/OpsPage.fs) instead of testing.
    if argv = [| "--write-ops-page" |] then
        Ops.OpsPage.write ()
        0
    else
        printfn "%s" (instructionSets ())
        let args, skips = withoutSkips argv

        if skips.IsEmpty then
            runTestsInAssemblyWithCLIArgs [] args
        else
            let all = Impl.testFromThisAssembly () |> Option.defaultValue (testList "none" [])

            let kept =
                all |> Test.filter "." (fun path -> not (List.contains (List.head path) skips))

            printfn "left out: %s" (String.concat ", " skips)
            runTestsWithCLIArgs [] args kept
