/// The pure optimizers: steps worked out by hand, their closed forms on quadratics, convergence, and trees.
module Functional.OptimTests

open System
open Expecto
open FuncGrad
open Support.Check

type private Layer = { W: Tensor; B: Tensor; Name: string }

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 20
    }

/// Runs n steps of an optimizer on f from p0 and returns every iterate, p0 first.
let private trajectory (opt: Optimizer<'P, 'S>) (f: 'P -> Tensor) (p0: 'P) (n: int) =
    let rec go p s k acc =
        if k = n then
            List.rev acc
        else
            let p', s' = opt.Update (gradOf f p) s p
            go p' s' (k + 1) (p' :: acc)

    go p0 (opt.Init p0) 0 [ p0 ]

/// ½ a w² for a scalar w: its gradient is a·w.
let private halfSquare (a: float) (w: Tensor) = 0.5 * a * w * w

// The convex least-squares problem ½‖A w − b‖² with A = [[1, 0], [0, 2], [1, 1]] and b = [1, 2, 3].
// Its normal equations AᵀA w = Aᵀb are [[2, 1], [1, 5]] w = [4, 7], so by Cramer's rule
// w* = [(4·5 − 1·7) / 9, (2·7 − 1·4) / 9] = [13/9, 10/9].
let private a =
    Tensor.ofArray2D (array2D [ [ 1.0; 0.0 ]; [ 0.0; 2.0 ]; [ 1.0; 1.0 ] ])

let private b = Tensor.ofList [ 1.0; 2.0; 3.0 ]

let private leastSquares (w: Tensor) =
    0.5 * Tensor.sum (Tensor.square (Tensor.matmul a w - b))

let private wStar = Tensor.ofList [ 13.0 / 9.0; 10.0 / 9.0 ]

[<Tests>]
let sgd =
    testList
        "optim: sgd"
        [
            test "one step is W − η·g on every tensor of a record, and other fields are kept" {
                let p =
                    {
                        W = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
                        B = Tensor.ofList [ 0.5; -0.5 ]
                        Name = "layer"
                    }

                let g =
                    {
                        W = Tensor.ofArray2D (array2D [ [ 10.0; 0.0 ]; [ -10.0; 5.0 ] ])
                        B = Tensor.ofList [ 1.0; 2.0 ]
                        Name = "ignored"
                    }

                let p1, () = (Optim.sgd 0.1).Update g () p
                close "W" 1e-15 0.0 p1.W (Tensor.ofArray2D (array2D [ [ 0.0; 2.0 ]; [ 4.0; 3.5 ] ]))
                close "B" 1e-15 0.0 p1.B (Tensor.ofList [ 0.4; -0.7 ])
                Expect.equal p1.Name "layer" "the parameters' non-tensor fields are kept"
                Expect.isTrue ((Optim.sgdStep 0.1 g p).W.Equals p1.W) "sgdStep is the same update"
            }
            test "on ½·a·w² the iterates are w₀·(1 − η·a)ᵗ" {
                let ws = trajectory (Optim.sgd 0.1) (halfSquare 3.0) (scalar 2.0) 20

                ws
                |> List.iteri (fun t w ->
                    closeNum $"w_{t}" 1e-13 1e-300 (Tensor.item w) (2.0 * (1.0 - 0.1 * 3.0) ** float t))
            }
            test "converges to the least-squares solution [13/9, 10/9]" {
                let w =
                    trajectory (Optim.sgd 0.3) leastSquares (Tensor.zeros [| 2 |]) 200 |> List.last

                close "w*" 0.0 1e-10 w wStar
            }
            test "float32 parameters stay float32" {
                let p1, () = (Optim.sgd 0.5).Update (scalar32 1.0f) () (scalar32 2.0f)
                Expect.equal p1.DType DType.Float32 "dtype"
                Expect.equal (Tensor.item p1) 1.5 "value"
            }
        ]

[<Tests>]
let momentum =
    testList
        "optim: momentum"
        [
            test "three steps on ½·2·w² from 1, by hand (η = 0.1, μ = 0.9)" {
                // g₀ = 2,    v₁ = 2,               w₁ = 1 − 0.2 = 0.8
                // g₁ = 1.6,  v₂ = 0.9·2 + 1.6 = 3.4,  w₂ = 0.8 − 0.34 = 0.46
                // g₂ = 0.92, v₃ = 0.9·3.4 + 0.92 = 3.98, w₃ = 0.46 − 0.398 = 0.062
                let opt = Optim.momentum 0.1 0.9
                let w1, s1 = opt.Update (scalar 2.0) (opt.Init(scalar 1.0)) (scalar 1.0)
                let w2, s2 = opt.Update (scalar 1.6) s1 w1
                let w3, s3 = opt.Update (scalar 0.92) s2 w2
                closeNum "w1" 1e-15 0.0 (Tensor.item w1) 0.8
                closeNum "w2" 1e-15 0.0 (Tensor.item w2) 0.46
                closeNum "w3" 1e-14 0.0 (Tensor.item w3) 0.062
                closeNum "v3" 1e-15 0.0 (Tensor.item s3.Velocity) 3.98
                let ws = trajectory opt (halfSquare 2.0) (scalar 1.0) 3
                closeNum "through gradOf" 1e-14 0.0 (Tensor.item (List.last ws)) 0.062
            }
            test (
                "on ½·a·w² the iterates satisfy the heavy-ball recurrence "
                + "w_{t+1} = (1 + μ − η·a)·w_t − μ·w_{t−1}"
            ) {
                // eliminating v from v ← μv + a·w, w ← w − ηv gives Polyak's two-step form
                let eta, mu, curv = 0.05, 0.8, 4.0

                let ws =
                    trajectory (Optim.momentum eta mu) (halfSquare curv) (scalar 1.5) 30
                    |> List.map Tensor.item
                    |> Array.ofList

                closeNum "first step is plain gradient descent" 1e-15 0.0 ws[1] (1.5 - eta * curv * 1.5)

                for t in 1 .. ws.Length - 2 do
                    closeNum $"w_{t + 1}" 1e-12 1e-14 ws[t + 1] ((1.0 + mu - eta * curv) * ws[t] - mu * ws[t - 1])
            }
            test "converges to the least-squares solution [13/9, 10/9]" {
                let w =
                    trajectory (Optim.momentum 0.1 0.5) leastSquares (Tensor.zeros [| 2 |]) 300
                    |> List.last

                close "w*" 0.0 1e-10 w wStar
            }
        ]

[<Tests>]
let adam =
    testList
        "optim: adam"
        [
            testPropertyWithConfig config "the first step is −η·g / (|g| + ε) for any gradient" (fun (seed: int) ->
                let lr = 0.001 + float (abs (seed % 100)) / 100.0
                let p = Tensor.randn seed [| 3; 2 |]
                let g = Tensor.randn (seed + 1) [| 3; 2 |]
                let opt = Optim.adam lr
                let p1, s1 = opt.Update g (opt.Init p) p
                close "step" 1e-12 1e-15 (p1 - p) (-lr * g / (abs g + 1e-8))
                Expect.equal (s1.Step.Item()) 1.0 "step count")
            test "two steps on ½·w² from 1, by hand (η = 0.1, β₁ = 0.9, β₂ = 0.999)" {
                // step 1: g = 1, m̂ = 1, v̂ = 1, so w₁ = 1 − 0.1 = 0.9 (up to ε)
                // step 2: g = 0.9, m = 0.9·0.1 + 0.1·0.9 = 0.18, v = 0.999·0.001 + 0.001·0.81 = 0.001809,
                //         m̂ = 0.18 / (1 − 0.81) = 18/19, v̂ = 0.001809 / (1 − 0.998001) = 1809/1999
                let ws =
                    trajectory (Optim.adam 0.1) (halfSquare 1.0) (scalar 1.0) 2
                    |> List.map Tensor.item

                closeNum "w1" 0.0 1e-8 ws[1] 0.9
                closeNum "w2" 0.0 1e-8 ws[2] (0.9 - 0.1 * (18.0 / 19.0) / sqrt (1809.0 / 1999.0))
            }
            test (
                "each step equals the unrolled moment sums "
                + "m_t = (1 − β₁)·Σ β₁^(t−k)·g_k, v_t = (1 − β₂)·Σ β₂^(t−k)·g_k²"
            ) {
                let lr, b1, b2, eps = 0.05, 0.8, 0.99, 1e-8
                let opt = Optim.adamWith lr b1 b2 eps
                let mutable p = Tensor.ofList [ 0.0; 3.0 ]
                let mutable s = opt.Init p
                let grads = ResizeArray<float[]>()

                for t in 1..25 do
                    let g = gradOf leastSquares p
                    grads.Add(Tensor.toArray g)
                    let p', s' = opt.Update g s p

                    let expected =
                        Array.init 2 (fun i ->
                            let m =
                                (1.0 - b1)
                                * Seq.sum (seq { for k in 1..t -> b1 ** float (t - k) * grads[k - 1][i] })

                            let v =
                                (1.0 - b2)
                                * Seq.sum (seq { for k in 1..t -> b2 ** float (t - k) * grads[k - 1][i] ** 2.0 })

                            -lr * (m / (1.0 - b1 ** float t)) / (sqrt (v / (1.0 - b2 ** float t)) + eps))

                    close $"step {t}" 1e-11 1e-15 (p' - p) (Tensor.ofArray expected)
                    p <- p'
                    s <- s'
            }
            test "scaling the loss by c leaves the steps unchanged (up to ε)" {
                let run c =
                    trajectory
                        (Optim.adamWith 0.05 0.9 0.999 1e-14)
                        (fun w -> c * leastSquares w)
                        (Tensor.ofList [ 1.0; -1.0 ])
                        40

                List.iter2 (close "iterate" 1e-9 1e-12) (run 1e-3) (run 1.0)
                List.iter2 (close "iterate" 1e-9 1e-12) (run 1e3) (run 1.0)
            }
            test "converges to the least-squares solution [13/9, 10/9]" {
                let w =
                    trajectory (Optim.adam 0.02) leastSquares (Tensor.zeros [| 2 |]) 4000
                    |> List.last

                close "w*" 0.0 1e-5 w wStar
            }
        ]

[<Tests>]
let trees =
    testList
        "optim: trees and errors"
        [
            test "state and parameters keep the structure of a Map and of a record" {
                let p = Map [ "w", Tensor.ofList [ 1.0; 2.0 ]; "b", scalar 0.5 ]
                let g = Map [ "w", Tensor.ofList [ 1.0; -1.0 ]; "b", scalar 2.0 ]
                let opt = Optim.adam 0.1
                let p1, s1 = opt.Update g (opt.Init p) p
                Expect.equal (p1 |> Map.toList |> List.map fst) [ "b"; "w" ] "keys"
                close "w: the first step is η·sign(g)" 0.0 1e-8 p1["w"] (Tensor.ofList [ 0.9; 2.1 ])
                close "b" 1e-12 0.0 s1.M["b"] (scalar 0.2)

                let layer =
                    {
                        W = Tensor.ones [| 2; 2 |]
                        B = Tensor.zeros [| 2 |]
                        Name = "hidden"
                    }

                let mo = Optim.momentum 0.5 0.9

                let l1, v1 =
                    mo.Update
                        { layer with
                            W = Tensor.ones [| 2; 2 |] * 2.0
                        }
                        (mo.Init layer)
                        layer

                close "record W" 0.0 0.0 l1.W (Tensor.zeros [| 2; 2 |])
                Expect.equal v1.Velocity.Name "hidden" "the state is a tree of the same type"
            }
            test "an update is a function: the same inputs give the same outputs, and the inputs are untouched" {
                let opt = Optim.adam 0.1
                let p = Tensor.ofList [ 1.0; 2.0 ]
                let s = opt.Init p
                let g = Tensor.ofList [ 0.5; -0.5 ]
                let p1, s1 = opt.Update g s p
                let p2, s2 = opt.Update g s p

                Expect.isTrue
                    (p1.Equals p2 && s1.M.Equals s2.M && s1.V.Equals s2.V && s1.Step.Equals s2.Step)
                    "deterministic"

                Expect.equal (s.Step.Item()) 0.0 "the old state is unchanged"
                equalValues "the old parameters are unchanged" p [| 1.0; 2.0 |]
            }
            test "gradients that do not match the parameters are rejected with a message, not broadcast" {
                let opt = Optim.sgd 0.1

                let e =
                    Expect.throwsC (fun () -> opt.Update (Tensor.ones [| 1 |]) () (Tensor.ones [| 3 |]) |> ignore) id

                Expect.stringContains e.Message "must match" "shape mismatch"

                let e2 =
                    Expect.throwsC
                        (fun () -> (Optim.sgd 0.1).Update [ scalar 1.0 ] () [ scalar 1.0; scalar 2.0 ] |> ignore)
                        id

                Expect.stringContains e2.Message "2 tensors but the gradients have 1" "count mismatch"
            }
            test "hyperparameters out of range are rejected" {
                Expect.throwsT<ArgumentException>
                    (fun () -> (Optim.sgd 0.0: Optimizer<Tensor, unit>) |> ignore)
                    "lr = 0"

                Expect.throwsT<ArgumentException>
                    (fun () -> (Optim.sgd nan: Optimizer<Tensor, unit>) |> ignore)
                    "lr = NaN"

                Expect.throwsT<ArgumentException>
                    (fun () -> (Optim.momentum 0.1 1.0: Optimizer<Tensor, _>) |> ignore)
                    "mu = 1"

                Expect.throwsT<ArgumentException>
                    (fun () -> (Optim.adamWith 0.1 0.9 1.0 1e-8: Optimizer<Tensor, _>) |> ignore)
                    "beta2 = 1"

                Expect.throwsT<ArgumentException>
                    (fun () -> (Optim.adamWith 0.1 0.9 0.999 0.0: Optimizer<Tensor, _>) |> ignore)
                    "eps = 0"
            }
        ]
