// Lecture, part 3: autograd over any DAG. A value used twice (fan-out) or a weight shared by two
// layers receives the sum of the gradients along every path; FuncGrad accumulates them by itself.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/03-dag.fsx
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open FuncGrad

let check (what: string) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, 1e-12, 1e-13)) then
        failwithf "%s: got %O, expected %O" what actual expected

    printfn "%-42s %O" what actual

// The lecture's DAG:
//   x⁽¹⁾ = φ¹(x⁽⁰⁾; w⁽¹⁾)          = tanh(w⁽¹⁾ x⁽⁰⁾)
//   x⁽²⁾ = φ²(x⁽⁰⁾, x⁽¹⁾; w⁽²⁾)    = tanh(w⁽²⁾ x⁽¹⁾ + x⁽⁰⁾)
//   x⁽³⁾ = φ³(x⁽¹⁾, x⁽²⁾; w⁽¹⁾)    = (w⁽¹⁾ x⁽²⁾) ⊙ x⁽¹⁾
//   ℓ    = Σᵢ x⁽³⁾ᵢ
// x⁽¹⁾ fans out to φ² and φ³, and w⁽¹⁾ is shared by φ¹ and φ³.
let x0 = Tensor.ofShape [| 3; 1 |] [| 1.0; -0.5; 0.25 |]
let w1 = (Tensor.randn 1 [| 3; 3 |]).RequiresGrad()
let w2 = (Tensor.randn 2 [| 3; 3 |]).RequiresGrad()
let x1 = tanh (Tensor.matmul w1 x0)
let x2 = tanh (Tensor.matmul w2 x1 + x0)
let u = Tensor.matmul w1 x2
let x3 = u * x1
let loss = Tensor.sum x3

// FuncGrad: one backward walk over the recorded graph.
let g = loss.Backward()

// By hand: walk the DAG from ℓ back to the inputs, adding each path's contribution where paths meet.
let T = Tensor.transpose
let d3 = Tensor.onesLike x3 // ∂ℓ/∂x⁽³⁾
let du = d3 * x1 // φ³ through w⁽¹⁾x⁽²⁾
let dx1ViaPhi3 = d3 * u // φ³ through its x⁽¹⁾ argument
let dx2 = Tensor.matmul (T w1) du
let dw1ViaPhi3 = Tensor.matmul du (T x2)
let ds2 = dx2 * (1.0 - x2 * x2) // tanh′ = 1 − tanh²
let dw2 = Tensor.matmul ds2 (T x1)
let dx1ViaPhi2 = Tensor.matmul (T w2) ds2
let dx1 = dx1ViaPhi2 + dx1ViaPhi3 // fan-out: the two paths into x⁽¹⁾ add up
let ds1 = dx1 * (1.0 - x1 * x1)
let dw1ViaPhi1 = Tensor.matmul ds1 (T x0)
let dw1 = dw1ViaPhi1 + dw1ViaPhi3 // shared weight: φ¹'s and φ³'s parts add up

printfn "ℓ = %.6f" (Tensor.item loss)
check "∂ℓ/∂w⁽²⁾: autodiff = by hand" g[w2] dw2
check "∂ℓ/∂w⁽¹⁾: autodiff = φ¹'s part + φ³'s part" g[w1] dw1
printfn "  φ¹'s part alone would be %O" (dw1ViaPhi1.Detach())
printfn "  φ³'s part alone would be %O" (dw1ViaPhi3.Detach())

// The same with the functional API: gradients with respect to (w⁽¹⁾, w⁽²⁾) as a pair.
let lossOf (a: Tensor, b: Tensor) =
    let y1 = tanh (Tensor.matmul a x0)
    let y2 = tanh (Tensor.matmul b y1 + x0)
    Tensor.sum (Tensor.matmul a y2 * y1)

let gw1, gw2 = gradOf lossOf (w1.Detach(), w2.Detach())
check "gradOf: ∂ℓ/∂w⁽¹⁾" gw1 dw1
check "gradOf: ∂ℓ/∂w⁽²⁾" gw2 dw2

// Gradients with respect to an intermediate value: ∂ℓ/∂x⁽¹⁾ sums the paths through φ² and φ³.
check "∂ℓ/∂x⁽¹⁾ = via φ² + via φ³" (Autodiff.Grad([| loss |], [| x1 |])[0]) dx1

// The smallest fan-out: d/dx (x·x + x) = 2x + 1 = 7 at x = 3.
let x = (scalar 3.0).RequiresGrad()
check "d/dx (x·x + x) at 3" ((x * x + x).Backward().[x]) (scalar 7.0)
printfn "The graph itself is drawn in docs/graphs.md."
printfn "03-dag.fsx: all checks passed"
