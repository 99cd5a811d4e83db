// PyTorch: torch.autograd.grad(y, x, create_graph=True), then differentiate the gradient again
// FuncGrad: Autodiff.Grad([| y |], [| x |], createGraph = true): the gradient is recorded in the same graph.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04h-create-graph.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let x = (scalar 2.0).RequiresGrad()
let y = x * x * x // y = x³
let dy = Autodiff.Grad([| y |], [| x |], createGraph = true)[0] // 3x² = 12, recorded
check "dy/dx = 3x²" (dy.Detach()) (scalar 12.0)
checkThat "the gradient has a graph" dy.RequiresGradient
let d2y = Autodiff.Grad([| dy |], [| x |], createGraph = true)[0] // 6x = 12
check "d²y/dx² = 6x" (d2y.Detach()) (scalar 12.0)
check "d³y/dx³ = 6" (Autodiff.Grad([| d2y |], [| x |])[0]) (scalar 6.0)
// The functional API nests the same way, to any order:
check "grad (grad (grad x³)) 2" (grad (grad (grad (fun x -> x * x * x))) (scalar 2.0)) (scalar 6.0)
// A gradient penalty, the common use: ℓ = ‖∇ₓ f‖² differentiated once more.
let w = (Tensor.ofList [ 1.0; -2.0 ]).RequiresGrad()
let v = Tensor.ofList [ 0.5; 0.25 ]
let f = Tensor.sum (sin (w * v))
let gv = Autodiff.Grad([| f |], [| w |], createGraph = true)[0] // v ⊙ cos(w ⊙ v)
let penalty = Tensor.sum (gv * gv) // Σ v² cos²(w v)
let wv = w.Detach() * v
check "d‖∇f‖²/dw = −2 v³ cos(wv) sin(wv)" (penalty.Backward().[w]) (-2.0 * v * v * v * cos wv * sin wv)
printfn "04h-create-graph.fsx: all checks passed"
