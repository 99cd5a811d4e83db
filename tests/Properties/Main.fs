module Main
open Expecto
[<Tests>]
let smoke = test "smoke" { Expect.equal 1 1 "" }
[<EntryPoint>]
let main argv = runTestsInAssemblyWithCLIArgs [] argv
