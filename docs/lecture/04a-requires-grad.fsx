// PyTorch: x = torch.tensor([1., 2.], requires_grad=True)   ->   FuncGrad: let x = (Tensor.ofList [ 1.0; 2.0
// ]).RequiresGrad()
// RequiresGrad returns a new variable; the original stays a plain value, so nothing is switched on by surprise.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04a-requires-grad.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let plain = Tensor.ofList [ 1.0; 2.0 ]
let x = plain.RequiresGrad()
checkThat "x.RequiresGradient" x.RequiresGradient
checkThat "the original is untouched" (not plain.RequiresGradient)
checkThat "x.IsLeaf (x.is_leaf)" x.IsLeaf
let y = x * x
checkThat "y = x * x is not a leaf" (not y.IsLeaf)
checkThat "y.GradFn = \"Mul\" (y.grad_fn)" (y.GradFn = "Mul")
printfn "%-36s %O" "y" y
check "the values are unchanged" (y.Detach()) (Tensor.ofList [ 1.0; 4.0 ])
printfn "04a-requires-grad.fsx: all checks passed"
