// PyTorch: with torch.no_grad(): y = w * 2   ->   FuncGrad: use _ = Autodiff.NoGrad() in a scope
// Inside the scope nothing is recorded; the scope is per async flow, so other threads keep recording.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04e-no-grad.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let w = (scalar 2.0).RequiresGrad()

let inside =
    use _ = Autodiff.NoGrad()
    w * 3.0

checkThat "computed inside: no graph" (not inside.RequiresGradient)
check "its value" inside (scalar 6.0)
let after = w * 3.0
checkThat "after the scope: recorded again" after.RequiresGradient
check "d(3w)/dw" (after.Backward().[w]) (scalar 3.0)
printfn "04e-no-grad.fsx: all checks passed"
