module Main

open Expecto

[<EntryPoint>]
let main argv =
    Setup.configure ()
    printfn "device: %O" (Setup.device ())
    runTestsInAssemblyWithCLIArgs [] argv
