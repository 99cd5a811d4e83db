// PyTorch: torch.autograd.grad(y, x) and grad_outputs=u   ->   FuncGrad: Autodiff.Grad([| y |], [| x |], [| u |])
// A one-element output needs no seed; a larger one needs the cotangent u, and the result is uᵀJ.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04b-autograd-grad.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let x = (Tensor.ofList [ 1.0; 2.0; 3.0 ]).RequiresGrad()
let s = Tensor.sum (x * x * x)
check "grad(Σx³, x) = 3x²" (Autodiff.Grad([| s |], [| x |])[0]) (Tensor.ofList [ 3.0; 12.0; 27.0 ])
let y = x * x
let u = Tensor.ofList [ 1.0; 0.5; 0.0 ]

check
    "grad(x², x, grad_outputs=u) = 2x⊙u"
    (Autodiff.Grad([| y |], [| x |], [| u |])[0])
    (Tensor.ofList [ 2.0; 2.0; 0.0 ])

let failed =
    try
        Autodiff.Grad([| y |], [| x |]) |> ignore
        false
    with :? NonScalarOutputException ->
        true

checkThat "no seed for a vector output: error" failed
let z = (scalar 1.0).RequiresGrad()
let r = Autodiff.Grad([| s |], [| x; z |], allowUnused = true)
checkThat "allow_unused: null for an unused input" (isNull r[1])
printfn "04b-autograd-grad.fsx: all checks passed"
