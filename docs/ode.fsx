// Differentiating through an ODE solver (see ode.md): Lotka–Volterra solved by fixed-step RK4 written as a scan and
// by an adaptive Dormand–Prince 5(4) written as a while loop; the loss's gradient by reverse mode, forward mode and
// finite differences; the parameters fitted by Adam and then L-BFGS on the compiled gradient, as SciML's parameter
// estimation tutorial does. CI runs it after building; every claim the page makes is checked here.
#load "Checks.fsx"

open System
open System.Collections.Generic
open FuncGrad
open Checks

// ---- The loops: FuncGrad's scanOfWith, scanOf, foriLoopOf and whileLoopOf, over arrays of tensors ----

/// Scans f over `length` steps with no xs: f carry -> (carry, y); returns the final carry and the ys stacked.
let scanSteps (checkpoint: ScanCheckpoint) (length: int) (f: Tensor[] -> Tensor[] * Tensor[]) (init: Tensor[]) =
    let options =
        { ScanOptions.defaults with
            Length = Some length
            Checkpoint = checkpoint
        }

    scanOfWith options (fun c () -> f c) init ()

let maxAbs (t: Tensor) = Tensor.item (Tensor.max (abs t))

let relative (a: Tensor) (b: Tensor) = maxAbs (a - b) / maxAbs b

let seconds (f: unit -> 'T) =
    let clock = Diagnostics.Stopwatch.StartNew()
    let r = f ()
    r, clock.Elapsed.TotalSeconds

// ---- 1. Lotka–Volterra, and RK4 as a scan ----

// dx/dt = αx − βxy, dy/dt = −δy + γxy with p = [α, β, δ, γ], the tutorial's order: u ⊙ (c + M·u).
let field (p: Tensor) =
    let zero = Tensor.zerosLike p[0]
    let c = Tensor.stack [ p[0]; -p[2] ]
    let m = Tensor.stack [ Tensor.stack [ zero; -p[1] ]; Tensor.stack [ p[3]; zero ] ]
    fun (u: Tensor) -> u * (c + Tensor.matmul m u)

let rk4Step (f: Tensor -> Tensor) (h: float) (u: Tensor) =
    let k1 = f u
    let k2 = f (u + (h / 2.0) * k1)
    let k3 = f (u + (h / 2.0) * k2)
    let k4 = f (u + h * k3)
    u + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)

let u0 = Tensor.ofList [ 1.0; 1.0 ]
let p0 = Tensor.ofList [ 1.5; 1.0; 3.0; 1.0 ]

/// The states at t = 0, 0.1, …, 10 (101 × 2): 100 saves, each after `perSave` RK4 steps of 0.1 / perSave.
let solveRk4With (checkpoint: ScanCheckpoint) (perSave: int) (p: Tensor) =
    let f = field p
    let h = 0.1 / float perSave

    let _, ys =
        scanSteps
            checkpoint
            100
            (fun carry ->
                let u = foriLoopOf 0 perSave (fun _ c -> [| rk4Step f h c[0] |]) carry
                u, u)
            [| u0 |]

    Tensor.concat [ Tensor.reshape [| 1; 2 |] u0; ys[0] ]

let solveRk4 = solveRk4With ScanCheckpoint.EveryStep 10

/// The tutorial's loss: the squared distance of every saved state from 1.
let lossOf (solution: Tensor) = Tensor.sum ((solution - 1.0) ** 2.0)

let loss p = lossOf (solveRk4 p)

// An independent computation: the same RK4 as a plain loop over floats.
let plainRk4 (p: float[]) =
    let f (x: float) (y: float) =
        p[0] * x - p[1] * x * y, -p[2] * y + p[3] * x * y

    let h = 0.01
    let out = Array2D.zeroCreate 101 2
    let mutable x, y = 1.0, 1.0
    out[0, 0] <- x
    out[0, 1] <- y

    for s in 1..1000 do
        let k1x, k1y = f x y
        let k2x, k2y = f (x + h / 2.0 * k1x) (y + h / 2.0 * k1y)
        let k3x, k3y = f (x + h / 2.0 * k2x) (y + h / 2.0 * k2y)
        let k4x, k4y = f (x + h * k3x) (y + h * k3y)
        x <- x + h / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        y <- y + h / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)

        if s % 10 = 0 then
            out[s / 10, 0] <- x
            out[s / 10, 1] <- y

    Tensor.ofArray2D out

let solution0 = solveRk4 p0
let loss0 = Tensor.item (lossOf solution0)
printfn "RK4, 1000 steps of 0.01: solution %A, loss at p0 = %.6f" (Tensor.shape solution0) loss0

checkThat
    "the scan's RK4 equals a plain loop's to 1e-12"
    (maxAbs (solution0 - plainRk4 [| 1.5; 1.0; 3.0; 1.0 |]) < 1e-12)

let halfStep = solveRk4With ScanCheckpoint.EveryStep 20 p0
let rk4Error = maxAbs (solution0 - halfStep)
printfn "RK4 at 0.01 against 0.005: largest difference %.1e" rk4Error
checkThat "RK4 at dt = 0.01 is within 1e-6 of dt = 0.005" (rk4Error < 1e-6)

// ---- 2. The gradient: reverse mode through the scan, forward mode, finite differences ----

let reverse = grad loss p0
let forward = jacfwd loss p0

let central =
    Tensor.ofArray (
        Array.init 4 (fun i ->
            let h = 1e-6
            let dp = Tensor.ofArray (Array.init 4 (fun j -> if i = j then h else 0.0))
            (Tensor.item (loss (p0 + dp)) - Tensor.item (loss (p0 - dp))) / (2.0 * h))
    )

printfn "gradient at p0, reverse mode:            %O" reverse
printfn "forward mode (jacfwd), relative difference: %.1e" (relative forward reverse)
printfn "central differences (h = 1e-6), relative difference: %.1e" (relative central reverse)
checkThat "reverse and forward mode agree to 1e-12" (relative forward reverse < 1e-12)
checkThat "central differences agree to 1e-7" (relative central reverse < 1e-7)

// ---- 3. Adaptive Dormand–Prince 5(4) as a while loop ----

// The Dormand–Prince tableau (an autonomous system needs no c): the rows of a, whose last row is the 5th-order weights
// b, and e = b − b̂, their difference from the embedded 4th-order weights, which estimates the step's error.
let a =
    [|
        [| 1.0 / 5.0 |]
        [| 3.0 / 40.0; 9.0 / 40.0 |]
        [| 44.0 / 45.0; -56.0 / 15.0; 32.0 / 9.0 |]
        [| 19372.0 / 6561.0; -25360.0 / 2187.0; 64448.0 / 6561.0; -212.0 / 729.0 |]
        [|
            9017.0 / 3168.0
            -355.0 / 33.0
            46732.0 / 5247.0
            49.0 / 176.0
            -5103.0 / 18656.0
        |]
        [|
            35.0 / 384.0
            0.0
            500.0 / 1113.0
            125.0 / 192.0
            -2187.0 / 6784.0
            11.0 / 84.0
        |]
    |]

let e =
    [|
        71.0 / 57600.0
        0.0
        -71.0 / 16695.0
        71.0 / 1920.0
        -17253.0 / 339200.0
        22.0 / 525.0
        -1.0 / 40.0
    |]

/// One Dormand–Prince step of size h (a one-element tensor): the 5th-order solution and the error estimate.
let dopriStep (f: Tensor -> Tensor) (h: Tensor) (u: Tensor) =
    let k = ResizeArray [ f u ]
    let mutable u5 = u

    for row in a do
        let point =
            u + h * (row |> Array.mapi (fun j aij -> aij * k[j]) |> Array.reduce (+))

        k.Add(f point)
        // b is the last row of a: the last stage's point is the 5th-order solution
        u5 <- point

    let error = h * (e |> Array.mapi (fun j ej -> ej * k[j]) |> Array.reduce (+))
    u5, error

/// One attempted step towards tEnd from the carry [t; h; u; accepted; rejected]: accepted if the error estimate is
/// within the tolerances, with the next step size chosen from that estimate either way.
let attempt (f: Tensor -> Tensor) (rtol: float) (atol: float) (tEnd: Tensor) (c: Tensor[]) =
    let t, h, u, accepted, rejected = c[0], c[1], c[2], c[3], c[4]
    let remaining = tEnd - t
    let last = Tensor.ge h remaining
    let hStep = Tensor.minimum h remaining
    let u5, error = dopriStep f hStep u
    // the error's RMS norm in units of atol + rtol·|u| (Hairer, Nørsett and Wanner): ≤ 1 accepts
    let scale = atol + rtol * Tensor.maximum (abs u) (abs u5)
    let norm = stopGradient (sqrt (Tensor.mean ((error / scale) ** 2.0)))
    let accept = Tensor.le norm (scalar 1.0)
    let factor = Tensor.clamp (Some 0.2) (Some 5.0) (0.9 * norm ** -0.2)
    let tNext = Tensor.where accept (Tensor.where last tEnd (t + hStep)) t
    // a step cut short by the interval's end keeps the step size proposed before the cut
    let hNext = Tensor.where (Tensor.logicalAnd accept last) h (hStep * factor)

    [|
        tNext
        hNext
        Tensor.where accept u5 u
        accepted + Tensor.where accept (scalar 1.0) (scalar 0.0)
        rejected + Tensor.where accept (scalar 0.0) (scalar 1.0)
    |]

/// The states at t = 0, 0.1, …, 10 by adaptive steps: a scan over the 100 save intervals whose body repeats
/// `attempt` until t reaches the interval's end, by `until`. Returns the states, the accepted and rejected step
/// counts, and whether every interval reached its end.
let solveDopriWith
    (until: (Tensor[] -> Tensor) -> (Tensor[] -> Tensor[]) -> Tensor[] -> Tensor[])
    (rtol: float)
    (atol: float)
    (p: Tensor)
    =
    let f = field p
    let ends = Tensor.linspace 0.1 10.0 100

    let interval (carry: Tensor[]) (tEnd: Tensor) =
        let reached =
            until (fun (c: Tensor[]) -> Tensor.lt c[0] tEnd) (attempt f rtol atol tEnd) carry

        reached, [| reached[2]; reached[0] |]

    let init = [| scalar 0.0; scalar 0.01; u0; scalar 0.0; scalar 0.0 |]
    let final, ys = scanOf interval init ends
    let states = Tensor.concat [ Tensor.reshape [| 1; 2 |] u0; ys[0] ]
    states, Tensor.item final[3], Tensor.item final[4], Tensor.toArray ys[1] = Tensor.toArray ends

let solveDopri = solveDopriWith whileLoopOf

let dopri, accepted, rejected, _ = solveDopri 1e-8 1e-10 p0
let dopriVsRk4 = maxAbs (dopri - halfStep)

printfn
    "Dormand–Prince, rtol 1e-8: %.0f steps accepted, %.0f rejected; largest difference from RK4 at 0.005: %.1e"
    accepted
    rejected
    dopriVsRk4

checkThat "Dormand–Prince (rtol 1e-8) agrees with RK4 to 1e-6" (dopriVsRk4 < 1e-6)
checkThat "Dormand–Prince took fewer steps than RK4's 1000" (accepted + rejected < 1000.0)

// forward mode through the adaptive solver: the same gradient, to the solvers' accuracy
let dopriGradient =
    jacfwd (fun p -> let s, _, _, _ = solveDopri 1e-8 1e-10 p in lossOf s) p0

printfn "forward mode through Dormand–Prince, relative difference: %.1e" (relative dopriGradient reverse)

checkThat
    "forward mode through Dormand–Prince agrees with RK4's gradient to 1e-6"
    (relative dopriGradient reverse < 1e-6)

let reverseThroughWhile =
    try
        grad (fun p -> let s, _, _, _ = solveDopri 1e-8 1e-10 p in lossOf s) p0
        |> ignore

        None
    with :? GradientException as ex ->
        Some ex.Message

checkThat
    "reverse mode through whileLoop is an error that names Scan"
    (reverseThroughWhile
     |> Option.exists (fun m -> m.Contains "Use Scan with a fixed length"))


// Reverse mode through adaptive steps: a bounded number of attempts per interval, each a no-op once the interval's
// end is reached, is a fixed-length loop, so reverse mode runs it backwards.
let bounded attempts (cond: Tensor[] -> Tensor) (body: Tensor[] -> Tensor[]) (init: Tensor[]) =
    foriLoopOf 0 attempts (fun _ c -> Array.map2 (Tensor.where (cond c)) (body c) c) init

let boundedStates, _, _, finished = solveDopriWith (bounded 8) 1e-8 1e-10 p0
checkThat "8 attempts per interval reach every interval's end" finished

checkThat
    "the bounded loop's states equal the while loop's bit for bit"
    (Tensor.toArray boundedStates = Tensor.toArray dopri)

let boundedReverse =
    grad (fun p -> let s, _, _, _ = solveDopriWith (bounded 8) 1e-8 1e-10 p in lossOf s) p0

printfn
    "reverse mode through 8 bounded attempts, against forward mode through the while loop: %.1e"
    (relative boundedReverse dopriGradient)

checkThat
    "reverse mode through the bounded attempts equals forward mode through whileLoop to 1e-12"
    (relative boundedReverse dopriGradient < 1e-12)

// ---- 4. Checkpointing: the same gradient bits under every policy ----

let gradientWith (checkpoint: ScanCheckpoint) =
    grad (fun p -> lossOf (solveRk4With checkpoint 10 p)) p0

let every32 = gradientWith (ScanCheckpoint.Every 32)
let recompute = gradientWith ScanCheckpoint.Recompute
checkThat "Every(32) gives EveryStep's gradient bit for bit" (Tensor.toArray every32 = Tensor.toArray reverse)
checkThat "Recompute gives EveryStep's gradient bit for bit" (Tensor.toArray recompute = Tensor.toArray reverse)

// ---- 5. The fit: Adam, then L-BFGS, on the compiled gradient ----

let _, eagerCall = seconds (fun () -> grad loss p0)
let compiledGrad = compile (grad loss)
let g1, firstCall = seconds (fun () -> compiledGrad p0)

let _, tenCalls =
    seconds (fun () ->
        for _ in 1..10 do
            compiledGrad p0 |> ignore)

printfn
    "gradient: eager %.0f ms; compiled, first call %.1f s (the trace), then %.0f ms a call"
    (eagerCall * 1000.0)
    firstCall
    (tenCalls * 100.0)

checkThat "the compiled gradient equals the eager one bit for bit" (Tensor.toArray g1 = Tensor.toArray reverse)

let adamSteps = 300
let adam = Optim.adam 0.01

let (pAdam, _), adamTime =
    seconds (fun () ->
        let mutable p, s = p0, adam.Init p0

        for _ in 1..adamSteps do
            let p', s' = adam.Update (compiledGrad p) s p
            p <- p'
            s <- s'

        p, s)

let lossAdam = Tensor.item (loss pAdam)
printfn "Adam (lr 0.01), %d steps: loss %.6f at %O (%.1f s)" adamSteps lossAdam pAdam adamTime

// L-BFGS evaluates the loss and its gradient at each trial point through valueAndGrad; a custom rule hands it the
// compiled programs instead of a fresh trace of the 1000 steps each time.
let compiledLoss = compile loss
let fastLoss = customVjp compiledLoss (fun p _ g -> g * compiledGrad p)

let fit, lbfgsTime =
    seconds (fun () ->
        Optim.lbfgsWith
            { LbfgsOptions.defaults with
                GradientTolerance = 1e-10
            }
            fastLoss
            pAdam)

printfn
    "L-BFGS: %d iterations, %d evaluations, loss %.1e, |g|max %.1e, stopped on %A (%.1f s)"
    fit.Iterations
    fit.Evaluations
    fit.F
    fit.GradientNorm
    fit.Reason
    lbfgsTime

printfn "fitted p = %O" fit.X
checkThat "Adam lowered the loss below a tenth of its start" (lossAdam < 0.1 * loss0)
checkThat "L-BFGS brought the loss below 1e-16 of its start" (fit.F < 1e-16 * loss0)
let fitted = Tensor.toArray fit.X

checkThat
    "the fitted p has α = β and δ = γ to 1e-6"
    (abs (fitted[0] - fitted[1]) < 1e-6 && abs (fitted[2] - fitted[3]) < 1e-6)

checkThat "the fitted solution is 1 everywhere to 1e-6" (maxAbs (solveRk4 fit.X - 1.0) < 1e-6)
