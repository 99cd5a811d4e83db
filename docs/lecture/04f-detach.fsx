// PyTorch: y.detach()   ->   FuncGrad: y.Detach() (or stopGradient y in the functional API)
// The same values, sharing storage, with nothing flowing back through them at any level of nesting.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04f-detach.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let x = (scalar 3.0).RequiresGrad()
let y = x * x
let d = y.Detach()
checkThat "y.Detach() has no graph" (not d.RequiresGradient)
check "same value" d (scalar 9.0)
// d(x · detach(x²))/dx = x² = 9, not 3x² = 27: the detached factor is a constant.
check "d(x · detach(x²))/dx" ((x * d).Backward().[x]) (scalar 9.0)
check "grad (fun x -> x * stopGradient x) 3" (grad (fun x -> x * stopGradient x) (scalar 3.0)) (scalar 3.0)
printfn "04f-detach.fsx: all checks passed"
