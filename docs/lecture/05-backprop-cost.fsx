// Lecture, part 5: "backpropagation costs about twice the forward computation". Measured here on an MLP:
// the time of the forward pass alone against the time of a gradient step (forward, then backward).
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/05-backprop-cost.fsx
// The figures depend on the machine; the script prints them and checks only that the gradient is right.
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open System.Diagnostics
open FuncGrad

type Layer = { W: Tensor; B: Tensor }

// 784 → 256 → 256 → 10 on a batch of 128, tanh hidden units, softmax cross-entropy.
let sizes = [ 784; 256; 256; 10 ]

let layers =
    List.pairwise sizes
    |> List.mapi (fun l (i, o) ->
        {
            W = Tensor.randn l [| i; o |] * (1.0 / sqrt (float i))
            B = Tensor.zeros [| o |]
        })

let x = Tensor.randn 100 [| 128; 784 |]
let labels = Array.init 128 (fun i -> i % 10)

let loss (ls: Layer list) =
    let last = List.length ls - 1

    ls
    |> List.indexed
    |> List.fold
        (fun h (l, layer) ->
            let s = Tensor.matmul h layer.W + layer.B
            if l < last then tanh s else s)
        x
    |> Tensor.crossEntropy labels

/// The median time of `runs` calls, after a few calls to warm up the JIT.
let median (runs: int) (f: unit -> 'a) =
    for _ in 1..5 do
        f () |> ignore

    let times =
        Array.init runs (fun _ ->
            let sw = Stopwatch.StartNew() in
            f () |> ignore
            sw.Elapsed.TotalMilliseconds)

    Array.sortInPlace times
    times[runs / 2]

let forward = median 15 (fun () -> loss layers)
let gradient = median 15 (fun () -> valueAndGradOf loss layers)
printfn "forward pass:                 %7.2f ms" forward
printfn "gradient (forward + backward): %6.2f ms" gradient
printfn "gradient / forward:            %6.2f" (gradient / forward)
printfn "backward alone / forward:      %6.2f   (the lecture's rule of thumb: about 2)" ((gradient - forward) / forward)

// The gradient timed above is a real one: check one entry against a central difference.
let _, g = valueAndGradOf loss layers
let h = 1e-6

let nudged d =
    { layers[2] with
        B = layers[2].B + Tensor.ofArray (Array.init 10 (fun i -> if i = 3 then d else 0.0))
    }

let fd =
    (Tensor.item (loss [ layers[0]; layers[1]; nudged h ])
     - Tensor.item (loss [ layers[0]; layers[1]; nudged -h ]))
    / (2.0 * h)

let ad = (Tensor.toArray g[2].B)[3]

if abs (fd - ad) > 1e-7 then
    failwithf "gradient check: autodiff %g, central difference %g" ad fd

printfn "gradient check: ∂ℓ/∂b⁽³⁾₃ = %.8f by autodiff, %.8f by central difference" ad fd
printfn "05-backprop-cost.fsx: done"
