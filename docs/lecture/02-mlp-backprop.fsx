// Lecture, part 2: a multilayer perceptron, its forward pass, and backpropagation written out by hand
// with plain tensor ops, layer by layer, next to the same gradients from FuncGrad's autodiff.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/02-mlp-backprop.fsx
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open FuncGrad

let check (what: string) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, 1e-12, 1e-13)) then
        failwithf "%s: got %O, expected %O" what actual expected

    printfn "%-34s max |difference| = %g" what (Tensor.item (Tensor.max (abs (actual - expected))))

let sup (n: int) =
    let digits = "⁰¹²³⁴⁵⁶⁷⁸⁹" in string digits[n]

// The lecture's notation: x⁽⁰⁾ is the input, and for l = 1..L
//   s⁽ˡ⁾ = W⁽ˡ⁾ x⁽ˡ⁻¹⁾ + b⁽ˡ⁾,   x⁽ˡ⁾ = σ(s⁽ˡ⁾),   ℓ = ‖x⁽ᴸ⁾ − y‖².
// Vectors are columns ([n, 1]); σ = tanh, whose derivative is σ′(s) = 1 − tanh² s.
type Layer = { W: Tensor; B: Tensor }

let sizes = [ 4; 5; 3; 2 ] // x⁽⁰⁾ ∈ R⁴, two hidden layers, x⁽³⁾ ∈ R²

let layers =
    List.pairwise sizes
    |> List.mapi (fun l (nIn, nOut) ->
        {
            W = Tensor.randn (10 + l) [| nOut; nIn |] * 0.7
            B = Tensor.randn (20 + l) [| nOut; 1 |] * 0.1
        })

let x0 = Tensor.ofShape [| 4; 1 |] [| 0.5; -1.0; 0.25; 2.0 |]
let y = Tensor.ofShape [| 2; 1 |] [| 0.3; -0.2 |]
let sigma (s: Tensor) = tanh s
let sigma' (s: Tensor) = 1.0 - tanh s * tanh s

// Forward pass, keeping every s⁽ˡ⁾ and x⁽ˡ⁾: backpropagation needs them.
let forward (ls: Layer list) =
    let rec go (x: Tensor) (ls: Layer list) (ss, xs) =
        match ls with
        | [] -> List.rev ss, List.rev xs
        | layer :: rest ->
            let s = Tensor.matmul layer.W x + layer.B
            let x' = sigma s
            go x' rest (s :: ss, x' :: xs)

    go x0 ls ([], [ x0 ])

let loss (ls: Layer list) =
    let _, xs = forward ls in Tensor.sum (Tensor.square (List.last xs - y))

/// The same network as one fold, for any input.
let lossOn (x: Tensor) (ls: Layer list) =
    Tensor.sum (Tensor.square (List.fold (fun x layer -> sigma (Tensor.matmul layer.W x + layer.B)) x ls - y))

// Backward pass by hand, from the top layer down:
//   ∂ℓ/∂x⁽ᴸ⁾   = 2 (x⁽ᴸ⁾ − y)
//   ∂ℓ/∂s⁽ˡ⁾   = ∂ℓ/∂x⁽ˡ⁾ ⊙ σ′(s⁽ˡ⁾)
//   ∂ℓ/∂W⁽ˡ⁾   = ∂ℓ/∂s⁽ˡ⁾ (x⁽ˡ⁻¹⁾)ᵀ
//   ∂ℓ/∂b⁽ˡ⁾   = ∂ℓ/∂s⁽ˡ⁾
//   ∂ℓ/∂x⁽ˡ⁻¹⁾ = (W⁽ˡ⁾)ᵀ ∂ℓ/∂s⁽ˡ⁾
let ss, xs = forward layers
let mutable dx = 2.0 * (List.last xs - y)

let byHand =
    [
        for l in List.length layers .. -1 .. 1 do
            let layer, s, xPrev = layers[l - 1], ss[l - 1], xs[l - 1]
            let ds = dx * sigma' s
            let dW = Tensor.matmul ds (Tensor.transpose xPrev)
            dx <- Tensor.matmul (Tensor.transpose layer.W) ds
            yield { W = dW; B = ds }
    ]
    |> List.rev

let dx0ByHand = dx

// The same gradients by reverse-mode autodiff, over the list of layer records.
let value, byAutodiff = valueAndGradOf loss layers
printfn "ℓ = %.6f" (Tensor.item value)

for l, (mine, auto) in List.indexed (List.zip byHand byAutodiff) do
    check $"∂ℓ/∂W⁽{sup (l + 1)}⁾ by hand = autodiff" mine.W auto.W
    check $"∂ℓ/∂b⁽{sup (l + 1)}⁾ by hand = autodiff" mine.B auto.B

check "∂ℓ/∂x⁽⁰⁾ by hand = autodiff" dx0ByHand (grad (fun x -> lossOn x layers) x0)

// A mini-batch: the loss is a sum over examples, so its gradient is the sum of the per-example gradients.
let batch = [ x0; Tensor.ofShape [| 4; 1 |] [| -0.3; 0.8; 1.1; -0.6 |] ]

let summed =
    batch
    |> List.map (fun x -> gradOf (lossOn x) layers)
    |> List.reduce (Tree.map2 (+))

let together =
    gradOf (fun ls -> batch |> List.map (fun x -> lossOn x ls) |> List.reduce (+)) layers

check "batch: Σ per-example ∂ℓ/∂W⁽¹⁾" summed[0].W together[0].W
printfn "02-mlp-backprop.fsx: all checks passed"
