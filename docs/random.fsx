// Random keys in practice (see random.md): keys, splitting and folding, draws, dropout in a training step, the same
// numbers under vmap, compile and threads, and initialisers. CI runs it; a check fails the script if a claim is false.
#load "Checks.fsx"

open System
open FuncGrad
open Checks

// ---- 1. A key, new keys from it, and draws: pure functions of (key, shape) ----
let key = Random.key 0
let keys = Random.split key 3 // [3, 2]: three independent keys

let k1, k2 =
    match Random.splitArray key 2 with
    | [| a; b |] -> a, b
    | _ -> failwith "two keys"

check "splitArray = split's rows" (Tensor.Stack [| k1; k2 |]) (Random.split key 2)
checkThat "a key is int64 [2]" (key.DType = DType.Int64 && Seq.toList key.Shape = [ 2 ])
check "the same key, the same numbers" (Random.normal k1 [| 4 |]) (Random.normal k1 [| 4 |])
checkThat "another key, other numbers" (Random.normal k1 [| 4 |] <> Random.normal k2 [| 4 |])
printfn "uniform:   %O" (Random.uniform k1 [| 4 |])
printfn "normal:    %O" (Random.normal k1 [| 4 |])
printfn "bernoulli: %O" (Random.bernoulli k1 0.3 [| 6 |])
printfn "randint:   %O" (Random.randint k1 [| 6 |] 0L 10L)
printfn "permutation of 0..5: %O" (Random.permutation k1 6)

printfn
    "categorical over softmax [0, 1, 2]: %O"
    (Random.categoricalWith k1 (Tensor.ofList [ 0.0; 1.0; 2.0 ]) 0 (Some [| 8 |]))

// float32 draws are the float64 ones of the same key, cut (uniform) or rounded (normal)
check
    "normal32 = normal rounded"
    (Random.normal32 k1 [| 4 |] |> Tensor.toFloat64)
    (Random.normal k1 [| 4 |] |> Tensor.toFloat32 |> Tensor.toFloat64)

// fold mixes in an integer: one key per step without carrying keys around
let stepKey step = Random.fold key (int64 step)
check "fold is a function of (key, data)" (stepKey 7) (Random.fold key 7L)

// ---- 2. Reparameterised draws are differentiable in their parameters ----
let mean, std = Tensor.ofList [ 1.0; -2.0 ], Tensor.ofList [ 0.5; 3.0 ]
let z = Random.normal k2 [| 2 |]
check "normalWith = mean + std·z" (Random.normalWith k2 mean std) (mean + std * z)
check "d/dstd of sum (mean + std·z) = z" (grad (fun s -> Tensor.sum (Random.normalWith k2 mean s)) std) z

// ---- 3. Dropout from a key, in a training step ----
let x = Tensor.ones [| 2; 5 |]
let dropped = Tensor.dropout k1 0.4 x
printfn "dropout p = 0.4 of ones:\n%O" dropped
// zeros exactly where bernoulli(p) of the same key is true, the rest scaled by 1/(1 − p)
checkThat
    "dropout zeroes where bernoulli is true"
    ((dropped.Eq(Tensor.scalar 0.0)) = Random.bernoulli k1 0.4 [| 2; 5 |])

check "not training: the identity" (Tensor.dropoutWith false k1 0.4 x) x

let w =
    Tensor.ofArray2D (array2D [ [ 0.5; -1.0; 2.0; 0.0; 1.0 ]; [ 1.0; 1.0; -0.5; 0.5; 0.0 ] ])

let lossAt (step: int) (w: Tensor) =
    let h = Tensor.dropout (stepKey step) 0.5 (Tensor.ones [| 3; 2 |])
    Tensor.sum (h.MatMul w |> Tensor.square)
// a step's key is a value: the gradient of step 3 is the same every time it is computed
check "gradients with dropout are reproducible" (grad (lossAt 3) w) (grad (lossAt 3) w)

// ---- 4. The same numbers under vmap, compile and on any number of threads ----
let perKey = vmap (fun k -> Random.normal k [| 3 |]) keys

check
    "vmap over keys = a loop over keys"
    perKey
    (Tensor.Stack(keys.Unbind 0 |> Array.map (fun k -> Random.normal k [| 3 |])))

let f = compile (fun k -> Random.uniform k [| 3 |] * 2.0)
check "compiled = eager" (f k2) (Random.uniform k2 [| 3 |] * 2.0)
// a batch of keys [..., 2] draws [..., shape] directly
check "a batch of keys" (Random.normal keys [| 3 |]) perKey

// ---- 5. Initialisers: PyTorch's torch.nn.init, from a key ----
let wInit =
    Init.kaimingUniformWith
        { Init.kaiming with
            Nonlinearity = "relu"
        }
        k1
        [| 256; 128 |]

let bound = sqrt 3.0 * (sqrt 2.0 / sqrt 128.0)
checkThat "kaiming uniform within ±gain·√(3/fan_in)" (wInit.Abs().Max().Item() < bound)
printfn "kaiming uniform variance %.5f (expected 2/fan_in = %.5f)" (wInit.Square().Mean().Item()) (2.0 / 128.0)
let q = Init.orthogonal k2 [| 4; 6 |]
check "orthogonal: Q·Qᵀ = I" (q.MatMul(q.Transpose())) (Tensor.eye 4)
printfn "fans of a conv weight [16, 3, 5, 5]: %A" (Init.fans [| 16; 3; 5; 5 |])

// ---- 6. System.Random is untouched: with open System, Random 1 is still a System.Random ----
let rng = Random 1
checkThat "Random 1 is a System.Random" (rng.Next(10) >= 0)
