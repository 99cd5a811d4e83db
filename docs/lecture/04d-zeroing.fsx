// PyTorch: optimizer.zero_grad() / w.grad.zero_() between steps
// FuncGrad: nothing to do. There is no .grad to clear, so a second Backward() never adds to the first.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04d-zeroing.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let w = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
let loss = Tensor.sum (w * w)
let first = loss.Backward()
let second = loss.Backward()
check "first backward" first[w] (Tensor.ofList [ 2.0; 4.0 ])
check "second backward: the same, not doubled" second[w] (Tensor.ofList [ 2.0; 4.0 ])
// A training step takes the gradients it needs and drops them: no state to reset between steps.
let step (w: Tensor) =
    (w - 0.1 * Tensor.sum(w * w).Backward().[w]).Detach().RequiresGrad()

check "two SGD steps" ((step (step w)).Detach()) (Tensor.ofList [ 0.64; 1.28 ])
printfn "04d-zeroing.fsx: all checks passed"
