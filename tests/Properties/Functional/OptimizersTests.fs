/// AdamW, SGD with Nesterov, RMSprop, Adagrad and Lion against their update equations written here on plain arrays
/// (PyTorch's torch.optim documentation; Lion from Chen et al. 2023), the schedules against their formulas, global-norm
/// clipping, and a compiled step that traces once.
module Functional.OptimizersTests

open System
open Expecto
open FuncGrad
open Support.Check

// ---- the problem: two tensors (W [2, 3], b [3]) and a loss with an elementwise gradient written by hand ----

let private w0 = [| 0.3; -1.2; 2.0; 0.7; -0.4; 1.5 |]
let private b0 = [| -0.8; 0.1; 1.1 |]
let private curvature = [| 1.0; 2.0; 0.5; 3.0; 1.5; 0.8; 2.5; 0.3; 1.2 |]
let private target = [| 1.0; -1.0; 0.5; 0.0; 2.0; -0.5; 0.25; 1.5; -2.0 |]

/// ½·Σ cᵢ·(xᵢ − tᵢ)² + ¼·Σ xᵢ⁴ over the 9 elements of [W; b]: gradient cᵢ·(xᵢ − tᵢ) + xᵢ³.
let private loss (p: Tensor list) =
    let x = Tensor.concat [ Tensor.flatten p[0]; p[1] ]
    let c = Tensor.ofArray curvature
    let t = Tensor.ofArray target
    0.5 * Tensor.sum (c * (x - t) * (x - t)) + 0.25 * Tensor.sum (x * x * x * x)

let private gradient (x: float[]) =
    Array.init x.Length (fun i -> curvature[i] * (x[i] - target[i]) + x[i] ** 3.0)

let private flat (p: Tensor list) =
    Array.append (Tensor.toArray (Tensor.flatten p[0])) (Tensor.toArray p[1])

let private start () =
    [ Tensor.reshape [| 2; 3 |] (Tensor.ofArray w0); Tensor.ofArray b0 ]

/// Runs n steps of an optimizer through gradOf and a reference update (x, g, t from 1 → new x) on arrays, and checks
/// every iterate.
let private against (name: string) (opt: Optimizer<Tensor list, 'S>) (reference: float[] -> float[] -> int -> float[]) =
    let mutable p = start ()
    let mutable s = opt.Init p
    let mutable x = Array.append w0 b0

    for t in 1..8 do
        let p', s' = opt.Update (gradOf loss p) s p
        x <- reference x (gradient x) t
        close $"{name}, step {t}" 1e-12 1e-14 (Tensor.ofArray (flat p')) (Tensor.ofArray x)
        p <- p'
        s <- s'

let private zeros () = Array.zeroCreate<float> 9

[<Tests>]
let reference =
    testList
        "optim: against the update equations"
        [
            test "AdamW (weight decay 0.1, β = (0.8, 0.95), ε = 1e-6)" {
                let lr, b1, b2, eps, wd = 0.05, 0.8, 0.95, 1e-6, 0.1
                let m, v = zeros (), zeros ()

                let opt =
                    Optim.adamWWith
                        {
                            Lr = Schedule.constant lr
                            Beta1 = b1
                            Beta2 = b2
                            Eps = eps
                            WeightDecay = wd
                            Amsgrad = false
                        }

                against "AdamW" opt (fun x g t ->
                    Array.init 9 (fun i ->
                        let xi = x[i] * (1.0 - lr * wd)
                        m[i] <- b1 * m[i] + (1.0 - b1) * g[i]
                        v[i] <- b2 * v[i] + (1.0 - b2) * g[i] * g[i]
                        let mHat = m[i] / (1.0 - b1 ** float t)
                        let vHat = v[i] / (1.0 - b2 ** float t)
                        xi - lr * mHat / (sqrt vHat + eps)))
            }
            test "AdamW with AMSGrad divides by the running maximum of v" {
                let lr, b1, b2, eps, wd = 0.1, 0.9, 0.5, 1e-8, 0.01
                let m, v, vMax = zeros (), zeros (), zeros ()

                let opt =
                    Optim.adamWWith
                        { AdamWOptions.defaults with
                            Lr = Schedule.constant lr
                            Beta2 = b2
                            Amsgrad = true
                        }

                against "AMSGrad" opt (fun x g t ->
                    Array.init 9 (fun i ->
                        let xi = x[i] * (1.0 - lr * wd)
                        m[i] <- b1 * m[i] + (1.0 - b1) * g[i]
                        v[i] <- b2 * v[i] + (1.0 - b2) * g[i] * g[i]
                        vMax[i] <- max vMax[i] v[i]

                        xi
                        - lr * (m[i] / (1.0 - b1 ** float t))
                          / (sqrt (vMax[i] / (1.0 - b2 ** float t)) + eps)))
            }
            test "AdamW follows a schedule: η at step t is the schedule's value at t − 1" {
                let sched = Schedule.warmupCosine 0.1 3 8 0.01
                let wd = 0.01
                let m, v = zeros (), zeros ()

                let opt =
                    Optim.adamWWith
                        { AdamWOptions.defaults with
                            Lr = sched
                        }

                against "scheduled AdamW" opt (fun x g t ->
                    let lr = sched.Value(t - 1)

                    Array.init 9 (fun i ->
                        let xi = x[i] * (1.0 - lr * wd)
                        m[i] <- 0.9 * m[i] + 0.1 * g[i]
                        v[i] <- 0.999 * v[i] + 0.001 * g[i] * g[i]

                        xi
                        - lr * (m[i] / (1.0 - 0.9 ** float t))
                          / (sqrt (v[i] / (1.0 - 0.999 ** float t)) + 1e-8)))
            }
            test "SGD with momentum, dampening and weight decay (the buffer is g on the first step)" {
                let lr, mu, d, wd = 0.02, 0.9, 0.3, 0.05
                let buf = zeros ()

                let opt =
                    Optim.sgdWith
                        {
                            Lr = Schedule.constant lr
                            Momentum = mu
                            Dampening = d
                            WeightDecay = wd
                            Nesterov = false
                        }

                against "SGD" opt (fun x g t ->
                    Array.init 9 (fun i ->
                        let gi = g[i] + wd * x[i]
                        buf[i] <- if t = 1 then gi else mu * buf[i] + (1.0 - d) * gi
                        x[i] - lr * buf[i]))
            }
            test "SGD with Nesterov momentum steps along g + μ·b" {
                let lr, mu, wd = 0.02, 0.8, 0.01
                let buf = zeros ()

                let opt =
                    Optim.sgdWith
                        { SgdOptions.defaults with
                            Lr = Schedule.constant lr
                            Momentum = mu
                            WeightDecay = wd
                            Nesterov = true
                        }

                against "Nesterov" opt (fun x g t ->
                    Array.init 9 (fun i ->
                        let gi = g[i] + wd * x[i]
                        buf[i] <- if t = 1 then gi else mu * buf[i] + gi
                        x[i] - lr * (gi + mu * buf[i])))
            }
            test "plain SGD with a step schedule" {
                let sched = Schedule.step 0.05 3 0.5
                let opt = Optim.sgdWith { SgdOptions.defaults with Lr = sched }

                against "SGD, step schedule" opt (fun x g t ->
                    let lr = 0.05 * 0.5 ** float ((t - 1) / 3)
                    Array.init 9 (fun i -> x[i] - lr * g[i]))
            }
            test "RMSprop, plain" {
                let lr, alpha, eps = 0.01, 0.99, 1e-8
                let v = zeros ()

                against "RMSprop" (Optim.rmsProp lr) (fun x g _ ->
                    Array.init 9 (fun i ->
                        v[i] <- alpha * v[i] + (1.0 - alpha) * g[i] * g[i]
                        x[i] - lr * g[i] / (sqrt v[i] + eps)))
            }
            test "RMSprop, centered, with momentum and weight decay" {
                let lr, alpha, eps, mu, wd = 0.005, 0.9, 1e-6, 0.7, 0.02
                let v, gAvg, buf = zeros (), zeros (), zeros ()

                let opt =
                    Optim.rmsPropWith
                        {
                            Lr = Schedule.constant lr
                            Alpha = alpha
                            Eps = eps
                            WeightDecay = wd
                            Momentum = mu
                            Centered = true
                        }

                against "centered RMSprop" opt (fun x g _ ->
                    Array.init 9 (fun i ->
                        let gi = g[i] + wd * x[i]
                        v[i] <- alpha * v[i] + (1.0 - alpha) * gi * gi
                        gAvg[i] <- alpha * gAvg[i] + (1.0 - alpha) * gi
                        let avg = sqrt (v[i] - gAvg[i] * gAvg[i]) + eps
                        buf[i] <- mu * buf[i] + gi / avg
                        x[i] - lr * buf[i]))
            }
            test "Adagrad with lr decay, weight decay and an initial accumulator" {
                let lr, decay, wd, init, eps = 0.1, 0.05, 0.01, 0.2, 1e-10
                let sum = Array.create 9 init

                let opt =
                    Optim.adagradWith
                        {
                            Lr = Schedule.constant lr
                            LrDecay = decay
                            WeightDecay = wd
                            InitialAccumulatorValue = init
                            Eps = eps
                        }

                against "Adagrad" opt (fun x g t ->
                    let clr = lr / (1.0 + float (t - 1) * decay)

                    Array.init 9 (fun i ->
                        let gi = g[i] + wd * x[i]
                        sum[i] <- sum[i] + gi * gi
                        x[i] - clr * gi / (sqrt sum[i] + eps)))
            }
            test "Lion with decoupled weight decay" {
                let lr, b1, b2, wd = 0.01, 0.9, 0.99, 0.5
                let m = zeros ()

                let opt =
                    Optim.lionWith
                        {
                            Lr = Schedule.constant lr
                            Beta1 = b1
                            Beta2 = b2
                            WeightDecay = wd
                        }

                against "Lion" opt (fun x g _ ->
                    Array.init 9 (fun i ->
                        let c = b1 * m[i] + (1.0 - b1) * g[i]
                        m[i] <- b2 * m[i] + (1.0 - b2) * g[i]
                        x[i] * (1.0 - lr * wd) - lr * float (sign c)))
            }
            test "float32 parameters keep their dtype through AdamW, and agree with float64 to float32's precision" {
                let p32 = start () |> List.map (Tensor.toDType DType.Float32)
                let opt = Optim.adamW 0.01
                let p1, _ = opt.Update (gradOf loss (start ())) (opt.Init(start ())) (start ())

                let q1, _ =
                    opt.Update (List.map (Tensor.toDType DType.Float32) (gradOf loss (start ()))) (opt.Init p32) p32

                Expect.equal q1[0].DType DType.Float32 "dtype"
                close "value" 1e-6 1e-6 (Tensor.toDType DType.Float64 q1[0]) p1[0]
            }
        ]

[<Tests>]
let schedules =
    testList
        "optim: schedules"
        [
            test "warmupCosine: nanoGPT's get_lr at every step" {
                let peak, warmup, decay, final = 6e-4, 10, 50, 6e-5
                let s = Schedule.warmupCosine peak warmup decay final

                for t in 0..70 do
                    let expected =
                        if t < warmup then
                            peak * float (t + 1) / float (warmup + 1)
                        elif t > decay then
                            final
                        else
                            let r = float (t - warmup) / float (decay - warmup)
                            final + 0.5 * (1.0 + cos (Math.PI * r)) * (peak - final)

                    closeNum $"step {t}" 1e-15 1e-19 (s.Value t) expected

                closeNum "peak at the end of the warm-up" 1e-15 0.0 (s.Value warmup) peak
                closeNum "half way" 1e-15 0.0 (s.Value 30) ((peak + final) / 2.0)
            }
            test "warmupCosine without warm-up is CosineAnnealingLR held at its floor" {
                let s = Schedule.warmupCosine 1.0 0 20 0.1

                for t in 0..25 do
                    let expected = 0.1 + 0.9 * (1.0 + cos (Math.PI * float (min t 20) / 20.0)) / 2.0

                    closeNum $"step {t}" 1e-15 1e-17 (s.Value t) expected
            }
            test "step and exponential decay, and a constant" {
                let st = Schedule.step 0.1 30 0.1
                let ex = Schedule.exponential 0.5 0.9

                for t in 0..100 do
                    closeNum $"step {t}" 1e-14 0.0 (st.Value t) (0.1 * 0.1 ** float (t / 30))
                    closeNum $"exponential {t}" 1e-13 0.0 (ex.Value t) (0.5 * 0.9 ** float t)

                Expect.equal ((Schedule.constant 0.3).Value 1000) 0.3 "constant"
            }
            test "a schedule of the step tensor runs under compile" {
                let s = Schedule.ofFunction (fun t -> 0.1 / sqrt (t + 1.0))
                let f = compile s.At
                closeNum "compiled" 1e-15 0.0 (Tensor.item (f (Tensor.Scalar 3.0))) 0.05
            }
            test "bad schedules are rejected" {
                Expect.throwsT<ArgumentException>
                    (fun () -> Schedule.warmupCosine 1.0 10 10 0.0 |> ignore)
                    "decaySteps = warmup"

                Expect.throwsT<ArgumentException> (fun () -> Schedule.step 1.0 0 0.5 |> ignore) "stepSize 0"
                Expect.throwsT<ArgumentException> (fun () -> Schedule.constant nan |> ignore) "NaN"
                Expect.throwsT<ArgumentException> (fun () -> (Schedule.constant 1.0).Value -1 |> ignore) "step −1"
            }
        ]

[<Tests>]
let clipping =
    testList
        "optim: clipGradNorm"
        [
            test "the norm of every element together, and the gradients scaled by max / (norm + 1e-6) when above" {
                let g =
                    {|
                        W = Tensor.ofArray2D (array2D [ [ 3.0; -4.0 ]; [ 1.0; 2.0 ] ])
                        B = Tensor.ofList [ -2.0 ]
                    |}
                    |> fun r -> [ r.W; r.B ]

                let expectedNorm = sqrt (9.0 + 16.0 + 1.0 + 4.0 + 4.0)
                let clipped, norm = Optim.clipGradNorm 2.0 g
                closeNum "norm" 1e-15 0.0 (Tensor.item norm) expectedNorm
                let scale = 2.0 / (expectedNorm + 1e-6)
                close "W" 1e-15 0.0 clipped[0] (g[0] * scale)
                close "B" 1e-15 0.0 clipped[1] (g[1] * scale)
                let total = clipped |> List.sumBy (fun t -> Tensor.item (Tensor.sum (t * t)))
                closeNum "the clipped norm is max (less 1e-6 relative)" 1e-6 0.0 (sqrt total) 2.0
            }
            test "below the maximum the gradients come back bit for bit; float32 stays float32" {
                let g = [ Tensor.ofList [ 0.3; 0.4 ] |> Tensor.toDType DType.Float32 ]
                let clipped, norm = Optim.clipGradNorm 1.0 g
                bitwise "unchanged" g[0] clipped[0]
                Expect.equal norm.DType DType.Float64 "the norm is float64"
                closeNum "norm" 1e-7 0.0 (Tensor.item norm) 0.5
            }
            test "an empty tree has norm 0; a negative maximum is rejected" {
                let clipped, norm = Optim.clipGradNorm 1.0 ([]: Tensor list)
                Expect.isEmpty clipped "empty"
                Expect.equal (Tensor.item norm) 0.0 "norm"

                Expect.throwsT<ArgumentException>
                    (fun () -> Optim.clipGradNorm -1.0 [ scalar 1.0 ] |> ignore)
                    "negative"
            }
        ]

[<Tests>]
let compiled =
    testList
        "optim: compiled steps"
        [
            test "AdamW with a warm-up cosine schedule and clipping, compiled, traces once and equals eager" {
                let opt =
                    Optim.adamWWith
                        { AdamWOptions.defaults with
                            Lr = Schedule.warmupCosine 0.05 5 15 0.005
                            WeightDecay = 0.1
                        }

                let eager (p: Tensor list, s) =
                    let g, _ = Optim.clipGradNorm 1.0 (gradOf loss p)
                    opt.Update g s p

                let traces = ref 0

                let step =
                    compileOf (fun ps ->
                        traces.Value <- traces.Value + 1
                        eager ps)

                let mutable e = start (), opt.Init(start ())
                let mutable c = e

                for _ in 1..20 do
                    e <- eager e
                    c <- step c

                Expect.equal traces.Value 1 "traced once"
                List.iter2 (bitwise "parameters") (fst e) (fst c)
            }
            test "each optimiser's state compiles once" {
                let check (name: string) (opt: Optimizer<Tensor list, 'S>) =
                    let traces = ref 0

                    let step =
                        compileOf (fun (p: Tensor list, s: 'S) ->
                            traces.Value <- traces.Value + 1
                            opt.Update (gradOf loss p) s p)

                    let mutable c = start (), opt.Init(start ())

                    for _ in 1..4 do
                        c <- step c

                    Expect.equal traces.Value 1 $"{name}: traced once"

                check
                    "sgd"
                    (Optim.sgdWith
                        { SgdOptions.defaults with
                            Momentum = 0.9
                            Dampening = 0.5
                        })

                check
                    "rmsProp"
                    (Optim.rmsPropWith
                        { RmsPropOptions.defaults with
                            Centered = true
                            Momentum = 0.5
                        })

                check
                    "adagrad"
                    (Optim.adagradWith
                        { AdagradOptions.defaults with
                            LrDecay = 0.1
                        })

                check "lion" (Optim.lion 1e-3)

                check
                    "amsgrad"
                    (Optim.adamWWith
                        { AdamWOptions.defaults with
                            Amsgrad = true
                        })
            }
        ]

[<Tests>]
let errors =
    testList
        "optim: options and state errors"
        [
            test "Nesterov without momentum, or with dampening, is rejected as PyTorch does" {
                let e =
                    Expect.throwsC
                        (fun () ->
                            (Optim.sgdWith
                                { SgdOptions.defaults with
                                    Nesterov = true
                                }
                            : Optimizer<Tensor, _>)
                            |> ignore)
                        id

                Expect.stringContains e.Message "Nesterov momentum needs Momentum > 0 and Dampening = 0" "message"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        (Optim.sgdWith
                            { SgdOptions.defaults with
                                Nesterov = true
                                Momentum = 0.9
                                Dampening = 0.1
                            }
                        : Optimizer<Tensor, _>)
                        |> ignore)
                    "dampening"
            }
            test "out-of-range options are rejected" {
                Expect.throwsT<ArgumentException>
                    (fun () ->
                        (Optim.adamWWith
                            { AdamWOptions.defaults with
                                Beta1 = 1.0
                            }
                        : Optimizer<Tensor, _>)
                        |> ignore)
                    "beta1"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        (Optim.adamWWith
                            { AdamWOptions.defaults with
                                WeightDecay = -0.1
                            }
                        : Optimizer<Tensor, _>)
                        |> ignore)
                    "weight decay"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        (Optim.rmsPropWith
                            { RmsPropOptions.defaults with
                                Alpha = 1.0
                            }
                        : Optimizer<Tensor, _>)
                        |> ignore)
                    "alpha"

                Expect.throwsT<ArgumentException> (fun () -> (Optim.lion 0.0: Optimizer<Tensor, _>) |> ignore) "lr"
            }
            test "a state made without AMSGrad is rejected by an AMSGrad update, naming what is missing" {
                let plain = Optim.adamW 0.1

                let ams =
                    Optim.adamWWith
                        { AdamWOptions.defaults with
                            Amsgrad = true
                        }

                let p = scalar 1.0

                let e =
                    Expect.throwsC (fun () -> ams.Update (scalar 1.0) (plain.Init p) p |> ignore) id

                Expect.stringContains e.Message "no maxima of v" "message"
            }
        ]

[<Tests>]
let csharp =
    testList
        "optim: the C# surface"
        [
            test "Optimizers.AdamW, Sgd, RmsProp, Adagrad and Lion over Tensor[] give the F# optimisers' bits" {
                let check (name: string) (cs: TensorOptimizer<'S>) (fs: Optimizer<Tensor[], 'S>) =
                    let p0 = start () |> Array.ofList
                    let mutable c = p0, cs.Init p0
                    let mutable f = p0, fs.Init p0

                    for _ in 1..3 do
                        let struct (p, s) =
                            cs.Step(gradOf loss (List.ofArray (fst c)) |> Array.ofList, snd c, fst c)

                        c <- p, s
                        let grads = gradOf loss (List.ofArray (fst f)) |> Array.ofList
                        f <- fs.Update grads (snd f) (fst f)

                    Array.iter2 (bitwise name) (fst f) (fst c)

                let sched = Optimizers.WarmupCosine(0.05, 2, 10, 0.005)

                check
                    "AdamW"
                    (Optimizers.AdamW(weightDecay = 0.1, amsgrad = true, schedule = sched))
                    (Optim.adamWWith
                        { AdamWOptions.defaults with
                            Lr = sched
                            WeightDecay = 0.1
                            Amsgrad = true
                        })

                check
                    "Sgd"
                    (Optimizers.Sgd(lr = 0.01, momentum = 0.9, nesterov = true))
                    (Optim.sgdWith
                        { SgdOptions.defaults with
                            Lr = Schedule.constant 0.01
                            Momentum = 0.9
                            Nesterov = true
                        })

                check
                    "RmsProp"
                    (Optimizers.RmsProp(centered = true))
                    (Optim.rmsPropWith
                        { RmsPropOptions.defaults with
                            Centered = true
                        })

                check "Adagrad" (Optimizers.Adagrad(lr = 0.1)) (Optim.adagrad 0.1)

                check
                    "Lion"
                    (Optimizers.Lion(schedule = Optimizers.StepLr(1e-3, 2, 0.5)))
                    (Optim.lionWith
                        { LionOptions.defaults with
                            Lr = Schedule.step 1e-3 2 0.5
                        })
            }
            test "Optimizers.ClipGradNorm, ExponentialLr, LambdaLr and Lbfgs, NewtonCg over Func" {
                let struct (clipped, norm) =
                    Optimizers.ClipGradNorm([| Tensor.ofList [ 3.0; 4.0 ] |], 1.0)

                closeNum "norm" 1e-15 0.0 (Tensor.item norm) 5.0
                close "clipped" 1e-15 0.0 clipped[0] (Tensor.ofList [ 3.0; 4.0 ] * (1.0 / (5.0 + 1e-6)))
                closeNum "exponential" 1e-15 0.0 (Optimizers.ExponentialLr(1.0, 0.5).Value 2) 0.25
                closeNum "lambda" 1e-15 0.0 (Optimizers.LambdaLr(fun t -> 1.0 / (t + 1.0)).Value 3) 0.25

                let f =
                    Func<Tensor[], Tensor>(fun p -> Tensor.sum ((p[0] - 3.0) ** 2.0) + Tensor.sum (p[1] * p[1]))

                let r =
                    Optimizers.Lbfgs(f, [| Tensor.zeros [| 2 |]; Tensor.ones [| 3 |] |], gradientTolerance = 1e-12)

                close "L-BFGS" 0.0 1e-10 r.X[0] (Tensor.ofList [ 3.0; 3.0 ])
                close "L-BFGS, second tensor" 0.0 1e-10 r.X[1] (Tensor.zeros [| 3 |])

                let n =
                    Optimizers.NewtonCg(f, [| Tensor.zeros [| 2 |]; Tensor.ones [| 3 |] |], gradientTolerance = 1e-12)

                close "Newton-CG" 0.0 1e-10 n.X[0] (Tensor.ofList [ 3.0; 3.0 ])
            }
        ]
