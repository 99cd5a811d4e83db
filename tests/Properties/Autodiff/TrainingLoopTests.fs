/// The lecture's training loop written as PyTorch writes it: what works, and what each mistake is told (issue 19).
module Autodiff.TrainingLoopTests

open Expecto
open FuncGrad
open Support.Check

/// ½‖w − target‖², minimised at target.
let private target = Tensor.ofList [ 1.0; -2.0; 0.5 ]

let private loss (w: Tensor) =
    0.5 * Tensor.sum ((w - target) * (w - target))

let private lr = 0.5

/// Gradient descent on loss from 0 has the closed form w_k = target·(1 − (1 − lr)^k).
let private closedForm (k: int) = target * (1.0 - (1.0 - lr) ** float k)

[<Tests>]
let tests =
    testList
        "training loop, PyTorch style"
        [
            test "updating with Detach().RequiresGrad() gives a new variable each step and the closed form" {
                let mutable w = Tensor.zeros [| 3 |] |> fun t -> t.RequiresGrad()

                for _ in 1..10 do
                    let g = (loss w).Backward()
                    w <- (w - lr * g.[w]).Detach().RequiresGrad()

                Expect.isTrue w.IsLeaf "still a variable"
                close "after 10 steps" 1e-14 1e-14 w (closedForm 10)
            }
            test "updating under NoGrad gives a plain tensor (documented), and RequiresGrad() on it a variable" {
                let mutable w = (Tensor.zeros [| 3 |]).RequiresGrad()

                for _ in 1..10 do
                    let g = (loss w).Backward()
                    use _ = Autodiff.NoGrad()
                    let updated = w - lr * g.[w]
                    Expect.isFalse updated.RequiresGradient "no history under NoGrad"
                    w <- updated.RequiresGrad()

                close "after 10 steps" 1e-14 1e-14 w (closedForm 10)
            }
            test "the loop without Detach fails at step 2 saying the tensor is Sub's result and how to write the loop" {
                let w0 = (Tensor.zeros [| 3 |]).RequiresGrad()
                let g0 = (loss w0).Backward()
                let w1 = w0 - lr * g0.[w0]
                let g1 = (loss w1).Backward()

                let e =
                    raises<System.Collections.Generic.KeyNotFoundException> "g1.[w1]" (fun () -> g1.[w1] |> ignore)

                for part in [ "result of Sub"; "not a variable"; "Detach().RequiresGrad()"; "NoGrad" ] do
                    Expect.stringContains e.Message part "the message"

                raises<System.Collections.Generic.KeyNotFoundException> "GetValueOrZeros" (fun () ->
                    g1.GetValueOrZeros w1 |> ignore)
                |> ignore
            }
            test "a lookup by the tensor RequiresGrad() was called on says to use the variable it returned" {
                let x = Tensor.ofList [ 1.0; 2.0 ]
                let w = x.RequiresGrad()
                let g = (Tensor.sum (w * w)).Backward()
                close "the variable's gradient" 0.0 0.0 g.[w] (Tensor.ofList [ 2.0; 4.0 ])

                let e =
                    raises<System.Collections.Generic.KeyNotFoundException> "g.[x]" (fun () -> g.[x] |> ignore)

                Expect.stringContains e.Message "the value RequiresGrad() was called on" "the message"
                Expect.isFalse (g.ContainsKey x) "a plain tensor is never a key"
            }
            test "a plain tensor, and a variable the output does not use, get their own messages" {
                let w = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
                let unused = (Tensor.ofList [ 5.0 ]).RequiresGrad()
                let g = (Tensor.sum (w * w)).Backward()

                let plain =
                    raises<System.Collections.Generic.KeyNotFoundException> "plain" (fun () ->
                        g.[Tensor.ofList [ 3.0; 4.0 ]] |> ignore)

                Expect.stringContains plain.Message "plain, not a variable" "plain"

                let e =
                    raises<System.Collections.Generic.KeyNotFoundException> "unused" (fun () -> g.[unused] |> ignore)

                Expect.stringContains e.Message "does not depend on it" "unused"
                equalValues "GetValueOrZeros of an unused variable" (g.GetValueOrZeros unused) [| 0.0 |]
            }
            test "backward of a loss computed from a plain update says to call RequiresGrad()" {
                let w = Tensor.zeros [| 3 |]

                let e =
                    raises<GradientException> "backward" (fun () -> (loss w).Backward() |> ignore)

                Expect.stringContains e.Message "RequiresGrad() on each updated parameter" "the message"
            }
        ]
