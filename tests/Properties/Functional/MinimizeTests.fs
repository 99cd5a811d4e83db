/// L-BFGS and Newton-CG: Rosenbrock's minimum (1, 1), a quadratic's closed form A⁻¹b, and an L2-regularised logistic
/// regression against a Newton solve written here on arrays; every accepted step checked against the strong Wolfe
/// conditions with a gradient written by hand.
module Functional.MinimizeTests

open System
open Expecto
open FuncGrad
open Support.Check

let private rosenbrock (x: Tensor) =
    let a, b = x[0], x[1]
    (1.0 - a) ** 2.0 + 100.0 * (b - a * a) ** 2.0

let private rosenbrockF (x: float[]) =
    (1.0 - x[0]) ** 2.0 + 100.0 * (x[1] - x[0] * x[0]) ** 2.0

let private rosenbrockG (x: float[]) =
    [|
        -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0])
        200.0 * (x[1] - x[0] * x[0])
    |]

let private dot (a: float[]) (b: float[]) =
    Array.fold2 (fun s x y -> s + x * y) 0.0 a b

/// Each accepted step s = x_{k+1} − x_k meets f(x_{k+1}) ≤ f(x_k) + c₁·g_k·s and |g_{k+1}·s| ≤ c₂·|g_k·s| (the
/// conditions are the same for α·d as for s = α·d).
let private wolfe (f: float[] -> float) (g: float[] -> float[]) (c1: float) (c2: float) (path: float[] list) =
    Expect.isGreaterThan path.Length 1 "steps were taken"

    path
    |> List.pairwise
    |> List.iteri (fun k (x0, x1) ->
        let s = Array.map2 (-) x1 x0
        let slope0 = dot (g x0) s
        Expect.isLessThan slope0 0.0 $"step {k + 1} goes downhill"
        let slope1 = dot (g x1) s
        // sufficient decrease, or (documented) where f's rounding hides it, Hager and Zhang's approximate form
        let decrease = f x1 <= f x0 + c1 * slope0

        let approximate =
            f x1 <= f x0 + 1e-14 * abs (f x0) && slope1 <= (2.0 * c1 - 1.0) * slope0

        Expect.isTrue (decrease || approximate) $"step {k + 1}: sufficient decrease"
        Expect.isLessThanOrEqual (abs slope1) (c2 * abs slope0 * (1.0 + 1e-12)) $"step {k + 1}: curvature")

[<Tests>]
let rosenbrockTests =
    testList
        "minimize: Rosenbrock"
        [
            test "L-BFGS from (−1.2, 1) reaches (1, 1) to 1e-8, every step strong-Wolfe" {
                let r =
                    Optim.lbfgsWith
                        { LbfgsOptions.defaults with
                            GradientTolerance = 1e-10
                            ChangeTolerance = 0.0
                            Trace = true
                        }
                        rosenbrock
                        (Tensor.ofList [ -1.2; 1.0 ])

                Expect.equal r.Reason StopReason.GradientTolerance "converged on the gradient"
                close "x*" 0.0 1e-8 r.X (Tensor.ofList [ 1.0; 1.0 ])
                Expect.isLessThan r.F 1e-16 "f*"
                Expect.equal r.Path.Length (r.Iterations + 1) "one iterate per step, the start first"
                Expect.isLessThan r.Iterations 100 "iterations"
                wolfe rosenbrockF rosenbrockG 1e-4 0.9 (r.Path |> List.map Tensor.toArray)
            }
            test "Newton-CG from (−1.2, 1) reaches (1, 1) to 1e-8, every step strong-Wolfe" {
                let r =
                    Optim.newtonCgWith
                        { NewtonCgOptions.defaults with
                            GradientTolerance = 1e-10
                            ChangeTolerance = 0.0
                            Trace = true
                        }
                        rosenbrock
                        (Tensor.ofList [ -1.2; 1.0 ])

                Expect.equal r.Reason StopReason.GradientTolerance "converged on the gradient"
                close "x*" 0.0 1e-8 r.X (Tensor.ofList [ 1.0; 1.0 ])
                Expect.isGreaterThan r.HessianProducts 0 "used hvp"
                Expect.isLessThan r.Iterations 100 "iterations"
                wolfe rosenbrockF rosenbrockG 1e-4 0.9 (r.Path |> List.map Tensor.toArray)
            }
            test "a structure: Rosenbrock in 4 dimensions over a tuple of tensors, and float32 stays float32" {
                // Σ (1 − xᵢ)² + 100·(xᵢ₊₁ − xᵢ²)² over x = [a; b] with a = x[0..1] (float32), b = x[2..3]
                let chained (a: Tensor, b: Tensor) =
                    let x = Tensor.concat [ Tensor.toDType DType.Float64 a; b ]
                    let head, tail = x[0..2], x[1..3]
                    Tensor.sum ((1.0 - head) ** 2.0 + 100.0 * (tail - head * head) ** 2.0)

                // (from x₀ ≈ (−1, 1, 1, 1) it would find the local minimum near (−0.78, 0.61, 0.38, 0.15))
                let x0 =
                    Tensor.toDType DType.Float32 (Tensor.ofList [ 0.2; 0.3 ]), Tensor.ofList [ 0.5; 0.7 ]

                let r =
                    Optim.lbfgsWith
                        { LbfgsOptions.defaults with
                            GradientTolerance = 1e-9
                            ChangeTolerance = 0.0
                        }
                        chained
                        x0

                let a, b = r.X
                Expect.equal a.DType DType.Float32 "float32 part"
                // f sees the float32 part rounded to float32, which limits how far the line search can go
                close "a" 0.0 1e-4 (Tensor.toDType DType.Float64 a) (Tensor.ofList [ 1.0; 1.0 ])
                close "b" 0.0 1e-4 b (Tensor.ofList [ 1.0; 1.0 ])
            }
        ]

// ---- ½ xᵀA x − bᵀx with A symmetric positive definite: the minimiser is A⁻¹b ----

let private aMat =
    array2D [ [ 4.0; 1.0; 0.5 ]; [ 1.0; 3.0; -0.2 ]; [ 0.5; -0.2; 2.0 ] ]

let private bVec = [| 1.0; -2.0; 0.5 |]

/// Gaussian elimination with partial pivoting on a copy.
let private solve (a: float[,]) (b: float[]) =
    let n = b.Length
    let m = Array2D.init n (n + 1) (fun i j -> if j < n then a[i, j] else b[i])

    for k in 0 .. n - 1 do
        let p = [ k .. n - 1 ] |> List.maxBy (fun i -> abs m[i, k])

        for j in 0..n do
            let t = m[k, j]
            m[k, j] <- m[p, j]
            m[p, j] <- t

        for i in k + 1 .. n - 1 do
            let f = m[i, k] / m[k, k]

            for j in k..n do
                m[i, j] <- m[i, j] - f * m[k, j]

    let x = Array.zeroCreate n

    for i in n - 1 .. -1 .. 0 do
        let s = Seq.sum (seq { for j in i + 1 .. n - 1 -> m[i, j] * x[j] })
        x[i] <- (m[i, n] - s) / m[i, i]

    x

let private quadratic (x: Tensor) =
    0.5 * Tensor.sum (x * Tensor.matmul (Tensor.ofArray2D aMat) x)
    - Tensor.sum (Tensor.ofArray bVec * x)

[<Tests>]
let closedForms =
    testList
        "minimize: closed forms"
        [
            test "on a quadratic, Newton-CG and L-BFGS reach A⁻¹b" {
                let expected = Tensor.ofArray (solve aMat bVec)

                let n =
                    Optim.newtonCgWith
                        { NewtonCgOptions.defaults with
                            GradientTolerance = 1e-12
                        }
                        quadratic
                        (Tensor.zeros [| 3 |])

                close "Newton-CG" 0.0 1e-12 n.X expected
                // CG stops at the forcing tolerance min(0.5, √‖g‖)·‖g‖, so each step is an inexact Newton step
                Expect.isLessThanOrEqual n.Iterations 8 "a few inexact Newton steps"
                Expect.isLessThanOrEqual n.HessianProducts (3 * n.Iterations) "at most n products per step"

                let l =
                    Optim.lbfgsWith
                        { LbfgsOptions.defaults with
                            GradientTolerance = 1e-12
                            ChangeTolerance = 0.0
                        }
                        quadratic
                        (Tensor.zeros [| 3 |])

                close "L-BFGS" 0.0 1e-11 l.X expected
            }
            test "L2-regularised logistic regression: both minimisers agree with a Newton solve on arrays" {
                let n, lambda = 40, 0.1
                // deterministic features (an intercept and two smooth ones) and labels that are not separable
                let xs =
                    Array.init n (fun i -> [| 1.0; sin (float i * 0.7); cos (float i * 1.3) * 2.0 |])

                let ys =
                    Array.init n (fun i ->
                        if sin (float i * 0.7) + 0.5 * cos (float i * 2.9) > 0.2 then
                            1.0
                        else
                            0.0)

                let sigma z = 1.0 / (1.0 + exp -z)

                // the reference: Newton's method on the exact gradient and Hessian, written out
                let mutable w = Array.zeroCreate 3

                for _ in 1..30 do
                    let p = xs |> Array.map (fun x -> sigma (dot x w))

                    let g =
                        Array.init 3 (fun j ->
                            (Array.init n (fun i -> (p[i] - ys[i]) * xs[i][j]) |> Array.sum) / float n
                            + lambda * w[j])

                    let h =
                        Array2D.init 3 3 (fun j k ->
                            (Array.init n (fun i -> p[i] * (1.0 - p[i]) * xs[i][j] * xs[i][k]) |> Array.sum)
                            / float n
                            + (if j = k then lambda else 0.0))

                    w <- Array.map2 (-) w (solve h g)

                let xT = Tensor.ofArray2D (array2D xs)
                let yT = Tensor.ofArray ys

                let loss (w: Tensor) =
                    let z = Tensor.matmul xT w
                    // the mean of log(1 + e^z) − y·z, the negative log-likelihood
                    Tensor.mean (Tensor.log (1.0 + Tensor.exp z) - yT * z)
                    + 0.5 * lambda * Tensor.sum (w * w)

                let l =
                    Optim.lbfgsWith
                        { LbfgsOptions.defaults with
                            GradientTolerance = 1e-11
                            ChangeTolerance = 0.0
                        }
                        loss
                        (Tensor.zeros [| 3 |])

                let nc =
                    Optim.newtonCgWith
                        { NewtonCgOptions.defaults with
                            GradientTolerance = 1e-11
                            ChangeTolerance = 0.0
                        }
                        loss
                        (Tensor.zeros [| 3 |])

                close "L-BFGS" 0.0 1e-9 l.X (Tensor.ofArray w)
                close "Newton-CG" 0.0 1e-9 nc.X (Tensor.ofArray w)
                Expect.isLessThanOrEqual l.GradientNorm 1e-11 "the gradient vanishes at the optimum"
                Expect.isLessThanOrEqual nc.GradientNorm 1e-11 "the gradient vanishes at the optimum"
            }
            test "a start at the minimum takes no step" {
                let r = Optim.lbfgs rosenbrock (Tensor.ofList [ 1.0; 1.0 ])
                Expect.equal r.Iterations 0 "no step"
                Expect.equal r.Evaluations 1 "one evaluation"
                Expect.equal r.Reason StopReason.GradientTolerance "reason"
            }
            test "the iteration limit stops it and says so" {
                let r =
                    Optim.lbfgsWith
                        { LbfgsOptions.defaults with
                            MaxIterations = 3
                        }
                        rosenbrock
                        (Tensor.ofList [ -1.2; 1.0 ])

                Expect.equal r.Iterations 3 "three steps"
                Expect.equal r.Reason StopReason.MaxIterations "reason"
            }
        ]

[<Tests>]
let errors =
    testList
        "minimize: errors"
        [
            test "f must return one number" {
                let e =
                    Expect.throwsC
                        (fun () -> Optim.lbfgs (fun (x: Tensor) -> x * 2.0) (Tensor.zeros [| 2 |]) |> ignore)
                        id

                Expect.stringContains e.Message "Optim.lbfgs: f returned a tensor of shape [2]" "message"
            }
            test "a start with no tensor, or integer tensors, is rejected" {
                let e =
                    Expect.throwsC (fun () -> Optim.newtonCg (fun (_: Tensor list) -> scalar 0.0) [] |> ignore) id

                Expect.stringContains e.Message "holds no tensor" "empty"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Optim.lbfgs (fun (x: Tensor) -> Tensor.sum x) (Tensor.ofInt64Array [| 1L |])
                        |> ignore)
                    "int64"
            }
            test "bad options are rejected" {
                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Optim.lbfgsWith
                            { LbfgsOptions.defaults with
                                History = 0
                            }
                            rosenbrock
                            (scalar 0.0)
                        |> ignore)
                    "history"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Optim.lbfgsWith { LbfgsOptions.defaults with C1 = 0.95 } rosenbrock (scalar 0.0)
                        |> ignore)
                    "c1 > c2"
            }
        ]
