module Main

open Expecto

[<EntryPoint>]
let main argv =
    Setup.configure ()
    printfn "device: %O" (Setup.device ())

    match argv with
    | [| "--memory"; steps |] -> Memory.run (int steps)
    | [| "--bench" |] -> Bench.run false
    | [| "--bench"; "--managed" |] -> Bench.run true
    | _ -> runTestsInAssemblyWithCLIArgs [] argv
