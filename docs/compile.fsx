// compile in practice (see compile.md): what a compiled function runs, how it composes with grad, jvp and vmap,
// what cannot be compiled and its rewrite, the cache, threads. CI runs it after building; every check compares a
// compiled function's results with the function's own, bit for bit.
#load "Checks.fsx"

open System
open System.Threading.Tasks
open FuncGrad
open Checks

/// Fails unless the two tensors have the same shape, dtype and bits, and says so.
let sameBits (what: string) (compiled: Tensor) (eager: Tensor) =
    let bits (t: Tensor) =
        Tensor.toArray t |> Array.map BitConverter.DoubleToInt64Bits

    let ok =
        compiled.DType = eager.DType
        && Seq.toList compiled.Shape = Seq.toList eager.Shape
        && bits compiled = bits eager

    if not ok then
        failwithf "%s: compiled gave %O, eager %O" what compiled eager

    printfn "%-56s bitwise equal to eager" what

let xs = Tensor.ofList [ 0.5; -1.0; 2.0 ]

// ---- 1. compile f: traced once per signature, then the program runs ----
let f (x: Tensor) = tanh (x * 2.0) + 1.0
let fc = compile f
check "compile f at [0.5; -1; 2]" (fc xs) (f xs)
sameBits "compile f" (fc xs) (f xs)
// the program it runs for this signature ([3] float64): one step per op
printfn "%s" (explain fc xs)

// ---- 2. compile (grad f): the forward and backward passes in one program ----
let loss (x: Tensor) = Tensor.sum (sin x * x)
let dloss = compile (grad loss)
sameBits "compile (grad loss)" (dloss xs) (grad loss xs)
// d/dx (x sin x) = sin x + x cos x
check "compile (grad loss) = sin x + x cos x" (dloss xs) (sin xs + xs * cos xs)
printfn "%s" (explain dloss xs)

// ---- 3. Composition, both ways ----
// Inside compile, transformations run on the tracers and are traced with the rest:
let tangent = Tensor.onesLike xs
let rows = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
sameBits "compile (jvp f)" (compile (fun x -> snd (jvp f x tangent)) xs) (snd (jvp f xs tangent))
sameBits "compile (vmap loss)" (compile (vmap loss) rows) (vmap loss rows)
// Around compile, the compiled function is transparent: on a tensor of an outer grad, jvp, vmap or compile it
// calls f itself, so the outer transformation sees f's ops.
let lossc = compile loss
sameBits "grad (compile loss)" (grad lossc xs) (grad loss xs)
sameBits "jvp (compile f)" (snd (jvp fc xs tangent)) (snd (jvp f xs tangent))
sameBits "vmap (compile loss)" (vmap lossc rows) (vmap loss rows)
sameBits "compile (compile f)" (compile fc xs) (f xs)
sameBits "compile (grad (compile loss))" (compile (grad lossc) xs) (grad loss xs)

// ---- 4. compileOf: a training step on a structure ----
// A 2-4-1 tanh network as a tuple of parameters; the data are captured, so they are constants of the program.
let data =
    Tensor.ofArray2D (array2D [ [ 0.0; 0.0 ]; [ 0.0; 1.0 ]; [ 1.0; 0.0 ]; [ 1.0; 1.0 ] ])

let target = Tensor.ofArray2D (array2D [ [ 0.0 ]; [ 1.0 ]; [ 1.0 ]; [ 0.0 ] ])

let mse (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) =
    let h = tanh (data.MatMul w1 + b1)
    Tensor.mean (Tensor.square (h.MatMul w2 + b2 - target))

let sgd (p: Tensor * Tensor * Tensor * Tensor) =
    let g = gradOf mse p
    let (w1, b1, w2, b2), (g1, c1, g2, c2) = p, g
    (w1 - 0.5 * g1, b1 - 0.5 * c1, w2 - 0.5 * g2, b2 - 0.5 * c2), mse p

let step = compileOf sgd

let p0 =
    (Tensor.ofArray2D (array2D [ [ 0.5; -0.4; 0.3; 0.8 ]; [ -0.7; 0.6; 0.9; -0.2 ] ]),
     Tensor.zeros [| 4 |],
     Tensor.ofArray2D (array2D [ [ 0.4 ]; [ -0.3 ]; [ 0.6 ]; [ -0.5 ] ]),
     Tensor.zeros [| 1 |])

let mutable pc, pe = p0, p0

for _ in 1..200 do
    pc <- fst (step pc)
    pe <- fst (sgd pe)

let (cw1, _, _, _), (ew1, _, _, _) = pc, pe
sameBits "200 compiled SGD steps: W1" cw1 ew1
checkThat "the loss went down" ((snd (sgd pc)).Item() < (snd (sgd p0)).Item())

// Adam's step count is a one-element tensor, traced as a value: 20 compiled Adam steps, one trace.
let adam = Optim.adam 0.05
let adamTraces = ref 0

let adamStep (p, s) =
    adamTraces.Value <- adamTraces.Value + 1
    adam.Update (gradOf mse p) s p

let adamc = compileOf adamStep
let mutable ac, ae = (p0, adam.Init p0), (p0, adam.Init p0)

for _ in 1..20 do
    ac <- adamc ac
    ae <- adamStep ae

let (aw1, _, _, _), (ew1', _, _, _) = fst ac, fst ae
sameBits "20 compiled Adam steps: W1" aw1 ew1'
checkThat "20 compiled Adam steps traced once (and ran eagerly 20 times)" (adamTraces.Value = 21)
checkThat "explainOf lists the compiled Adam step" ((explainOf adamc ac).Contains "MatMul")

// ---- 5. What cannot be compiled: .NET control flow on traced values ----
let branchy (x: Tensor) =
    if (Tensor.sum x).Item() > 0.0 then x else -x

let message =
    try
        compile branchy xs |> ignore
        "no error"
    with :? CompileException as e ->
        e.Message

printfn "compile branchy raises CompileException:\n  %s" message
checkThat "the message names the call and the way out" (message.Contains "Item()" && message.Contains "Where")
// The rewrite: the choice as a tensor op, a mask and Where, which is traced like any op.
let branchless (x: Tensor) =
    Tensor.where (Tensor.gt (Tensor.sum x) (scalar 0.0)) x (-x)

let bc = compile branchless
check "compile branchless at a positive sum" (bc xs) xs
let ys = Tensor.ofList [ -3.0; 1.0; 0.5 ]
check "compile branchless at a negative sum" (bc ys) (branchy ys)

// ---- 6. The cache: f runs only when a signature is new ----
let mutable traces = 0

let counted =
    compile (fun x ->
        traces <- traces + 1 // a side effect runs at trace time only
        x * x)

counted xs |> ignore
counted (Tensor.ofList [ 7.0; 8.0; 9.0 ]) |> ignore // same shape and dtype: the program, no trace
checkThat "two calls of one signature trace once" (traces = 1)
counted (Tensor.ofList [ 1.0; 2.0 ]) |> ignore // a new shape
counted ((Tensor.ofList [ 1.0; 2.0 ]).ToDType DType.Float32) |> ignore // a new dtype
checkThat "a new shape and a new dtype retrace" (traces = 3)

// ---- 7. Threads: one compiled function, many callers ----
let inputs =
    Array.init 64 (fun i -> Tensor.ofList [ float i; float i / 10.0; -1.0 ])

let results = Array.zeroCreate 64
Parallel.For(0, 64, (fun i -> results[i] <- dloss inputs[i])) |> ignore

checkThat
    "64 parallel calls give eager's bits"
    (Array.forall2 (fun (r: Tensor) x -> Tensor.toArray r = Tensor.toArray (grad loss x)) results inputs)
