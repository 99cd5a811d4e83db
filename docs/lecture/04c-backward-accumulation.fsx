// PyTorch: loss1.backward(); loss2.backward(); w.grad   (gradients accumulate into w.grad)
// FuncGrad: Backward() returns an immutable map of gradients; accumulating is adding maps.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04c-backward-accumulation.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let w = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
let loss1 = Tensor.sum (w * w) // ∂/∂w = 2w     = [2, 4]
let loss2 = Tensor.sum (w * 3.0) // ∂/∂w = 3      = [3, 3]
let g1 = loss1.Backward()
let g2 = loss2.Backward()
check "g1[w]" g1[w] (Tensor.ofList [ 2.0; 4.0 ])
let acc = Gradients.Empty + g1 + g2
check "accumulated (g1 + g2)[w]" acc[w] (Tensor.ofList [ 5.0; 7.0 ])
check "= (loss1 + loss2).Backward()[w]" ((loss1 + loss2).Backward().[w]) acc[w]
printfn "04c-backward-accumulation.fsx: all checks passed"
