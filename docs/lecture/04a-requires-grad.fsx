// PyTorch: x = torch.tensor([1., 2.], requires_grad=True)   ->   FuncGrad: let x = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
// RequiresGrad returns a new variable; the original stays a plain value, so nothing is switched on by surprise.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04a-requires-grad.fsx
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open FuncGrad

let check (what: string) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, 1e-12, 1e-12)) then failwithf "%s: got %O, expected %O" what actual expected
    printfn "%-36s %O" what actual
let checkThat (what: string) (ok: bool) =
    if not ok then failwithf "%s: false" what
    printfn "%-36s true" what

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
