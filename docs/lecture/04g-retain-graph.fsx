// PyTorch: loss.backward(retain_graph=True) to walk the graph twice
// FuncGrad: nothing to do. A walk never frees or changes the graph, which is persistent.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/04g-retain-graph.fsx
#load "../Checks.fsx"

open FuncGrad
open Checks

let x = (Tensor.ofList [ 0.5; 1.0 ]).RequiresGrad()
let loss = Tensor.sum (sin x * x)
let expected = cos (x.Detach()) * x.Detach() + sin (x.Detach()) // d/dx (x sin x) = x cos x + sin x

for i in 1..3 do
    check $"backward number {i}" (loss.Backward().[x]) expected
// Different seeds over the same graph, as retain_graph is used for:
let y = x * x
check "seed [1, 0]" (y.Backward(Tensor.ofList [ 1.0; 0.0 ]).[x]) (Tensor.ofList [ 1.0; 0.0 ])
check "seed [0, 1]" (y.Backward(Tensor.ofList [ 0.0; 1.0 ]).[x]) (Tensor.ofList [ 0.0; 2.0 ])
printfn "04g-retain-graph.fsx: all checks passed"
