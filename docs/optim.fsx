// Optimisers in practice (see optim.md): full-batch fits of Rosenbrock's function by L-BFGS and Newton-CG, and a
// small network trained by AdamW with a warm-up cosine schedule and global-norm clipping, its step compiled once.
// CI runs it after building; every claim the page makes is checked here.
#load "Checks.fsx"

open FuncGrad
open Checks

// ---- Rosenbrock's function, minimum 0 at (1, 1), from the classic start (−1.2, 1) ----

let rosenbrock (x: Tensor) =
    let a, b = x[0], x[1]
    (1.0 - a) ** 2.0 + 100.0 * (b - a * a) ** 2.0

let x0 = Tensor.ofList [ -1.2; 1.0 ]

let lbfgsFit =
    Optim.lbfgsWith
        { LbfgsOptions.defaults with
            GradientTolerance = 1e-10
            ChangeTolerance = 0.0
        }
        rosenbrock
        x0

printfn
    "L-BFGS:    %d iterations, %d evaluations, f = %.1e, |g|max = %.1e, stopped on %A"
    lbfgsFit.Iterations
    lbfgsFit.Evaluations
    lbfgsFit.F
    lbfgsFit.GradientNorm
    lbfgsFit.Reason

let distance (x: Tensor) =
    Tensor.item (Tensor.max (abs (x - Tensor.ofList [ 1.0; 1.0 ])))

checkThat "L-BFGS reaches (1, 1) to 1e-8" (distance lbfgsFit.X < 1e-8)

let newtonFit =
    Optim.newtonCgWith
        { NewtonCgOptions.defaults with
            GradientTolerance = 1e-10
            ChangeTolerance = 0.0
        }
        rosenbrock
        x0

printfn
    "Newton-CG: %d iterations, %d evaluations, %d Hessian-vector products, f = %.1e, stopped on %A"
    newtonFit.Iterations
    newtonFit.Evaluations
    newtonFit.HessianProducts
    newtonFit.F
    newtonFit.Reason

checkThat "Newton-CG reaches (1, 1) to 1e-8" (distance newtonFit.X < 1e-8)

// ---- AdamW, a warm-up cosine schedule and clipping: a 1-32-1 tanh network fitted to sin(3x) ----

type Mlp =
    {
        W1: Tensor
        B1: Tensor
        W2: Tensor
        B2: Tensor
    }

let xs = Tensor.reshape [| 64; 1 |] (Tensor.linspace -1.0 1.0 64)
let ys = sin (3.0 * xs)

let net0 =
    {
        W1 = Tensor.randn 1 [| 1; 32 |]
        B1 = Tensor.zeros [| 32 |]
        W2 = Tensor.randn 2 [| 32; 1 |] / sqrt 32.0
        B2 = Tensor.zeros [| 1 |]
    }

let mse (p: Mlp) =
    let hidden = tanh (Tensor.matmul xs p.W1 + p.B1)
    Tensor.mean ((Tensor.matmul hidden p.W2 + p.B2 - ys) ** 2.0)

let schedule = Schedule.warmupCosine 0.02 20 400 0.002

let adamW =
    Optim.adamWWith
        { AdamWOptions.defaults with
            Lr = schedule
            WeightDecay = 1e-4
        }

let mutable traces = 0

let step =
    compileOf (fun (p: Mlp, s: AdamWState<Mlp>) ->
        traces <- traces + 1
        let loss, grads = valueAndGradOf mse p
        let clipped, norm = Optim.clipGradNorm 1.0 grads
        let p', s' = adamW.Update clipped s p
        p', s', loss, norm)

let mutable state = net0, adamW.Init net0
let mutable firstLoss = nan
let mutable clippedSteps = 0

for t in 0..399 do
    let p', s', loss, norm = step state
    state <- p', s'

    if t = 0 then
        firstLoss <- Tensor.item loss

    if Tensor.item norm > 1.0 then
        clippedSteps <- clippedSteps + 1

    if t % 100 = 0 || t = 399 then
        printfn
            "step %3d  lr %.5f  loss %.5f  gradient norm %.3f"
            t
            (schedule.Value t)
            (Tensor.item loss)
            (Tensor.item norm)

let finalLoss = mse (fst state)

printfn
    "loss %.4f -> %.5f; %d of 400 steps clipped; traced %d time(s)"
    firstLoss
    (Tensor.item finalLoss)
    clippedSteps
    traces

checkThat "the compiled step traced once" (traces = 1)
checkThat "AdamW brought the loss below 1% of its start" (Tensor.item finalLoss < 0.01 * firstLoss)
