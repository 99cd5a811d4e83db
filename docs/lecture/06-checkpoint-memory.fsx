// Lecture, part 6: "backpropagation needs all the intermediate values in memory". Measured here on a deep
// MLP: the peak memory of a gradient with plain backpropagation, and with `checkpoint`, which keeps only each
// segment's input and recomputes the segment during the backward pass.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/06-checkpoint-memory.fsx
// The figures depend on the runtime; the script prints them and checks only that the gradients agree.
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open System
open FuncGrad

// 48 layers of 128 tanh units on a batch of 128, checkpointed in segments of 8 layers (√48 ≈ 7).
let depth, width, batch, segment = 48, 128, 128, 8

let weights =
    Array.init depth (fun l -> Tensor.randn (l + 1) [| width; width |] * (1.0 / sqrt (float width)))

let biases = Array.init depth (fun l -> Tensor.randn (100 + l) [| width |] * 0.1)
let x0 = Tensor.randn 7 [| batch; width |]

// A probe is the identity with a reverse rule that weighs the live heap (after a full collection). One sits at
// the top of every segment of 8 layers: the backward pass reaches it just when that segment's intermediates
// are all alive (for plain backprop, the first probe reached is the moment everything is alive).
let mutable peak = 0L

let probe =
    customVjp id (fun _ _ g ->
        GC.Collect()
        peak <- max peak (GC.GetTotalMemory false)
        g)

let layer (l: int) (h: Tensor) =
    let y = tanh (Tensor.matmul h weights[l] + biases[l])
    if l % segment = segment - 1 then probe y else y

let layers (range: int seq) (h: Tensor) = Seq.fold (fun h l -> layer l h) h range
let plain (x: Tensor) = layers [ 0 .. depth - 1 ] x

let checkpointed (x: Tensor) =
    Seq.fold (fun h k -> checkpoint (layers [ k * segment .. (k + 1) * segment - 1 ]) h) x [ 0 .. depth / segment - 1 ]

/// The gradient of Σ net(x)² with respect to the input x, with the peak of live memory above the start.
let measure (net: Tensor -> Tensor) =
    GC.Collect()
    let before = GC.GetTotalMemory true
    peak <- before
    let g = grad (fun x -> Tensor.sum (Tensor.square (net x))) x0
    g, float (peak - before) / (1024.0 * 1024.0)

measure plain |> ignore // warm up the JIT, so both runs below are measured alike
let gPlain, mbPlain = measure plain
let gCheck, mbCheck = measure checkpointed

let perLayer = 3.0 * float (batch * width * 8) / (1024.0 * 1024.0) // the product, the sum with b, the tanh
printfn "a deep MLP: %d layers of %d tanh units, a batch of %d, float64" depth width batch

printfn
    "what plain backprop keeps: %d layers × 3 tensors of %d×%d = %.1f MiB"
    depth
    batch
    width
    (perLayer * float depth)

printfn "peak memory of the gradient, plain backprop:       %6.1f MiB" mbPlain
printfn "peak memory of the gradient, checkpoint every %d:   %6.1f MiB  (for one extra forward pass)" segment mbCheck
printfn "checkpointing keeps %.1f× less" (mbPlain / mbCheck)

if not (gCheck.AllClose(gPlain, 1e-12, 1e-14)) then
    failwith "checkpoint changed the gradient"

printfn "the gradients agree (max |difference| = %g)" (Tensor.item (Tensor.max (abs (gCheck - gPlain))))
printfn "06-checkpoint-memory.fsx: done"
