// autograd.md, run: every row of its table in F# (the C# of the page calls the same methods), and the training
// loop written as PyTorch writes it. CI runs it; each check fails the script if a value differs.
#load "Checks.fsx"

open System.Collections.Generic
open FuncGrad
open Checks

// requires_grad=True: a new tensor; the original stays plain
let x0 = Tensor.ofList [ 1.0; 2.0 ]
let x = x0.RequiresGrad()
checkThat "RequiresGrad returns a variable" (x.IsLeaf && x.RequiresGradient)
checkThat "the original stays plain" (not x0.RequiresGradient)

// torch.autograd.grad(y, x), with grad_outputs, allow_unused
let y = Tensor.sum (x * x * x)
check "Autodiff.Grad([y], [x])" (Autodiff.Grad([| y |], [| x |])[0]) (Tensor.ofList [ 3.0; 12.0 ])
let v = x * x
let u = Tensor.ofList [ 1.0; 0.5 ]
check "seeds (grad_outputs)" (Autodiff.Grad([| v |], [| x |], [| u |])[0]) (Tensor.ofList [ 2.0; 2.0 ])
let unused = (scalar 1.0).RequiresGrad()
checkThat "allowUnused gives null" (isNull (Autodiff.Grad([| y |], [| x; unused |], allowUnused = true)[1]))

// loss.backward(); w.grad  ->  a map; accumulation is +; nothing to zero; backward twice works
let g1 = y.Backward()
let g2 = (Tensor.sum x).Backward()
check "g[x]" g1.[x] (Tensor.ofList [ 3.0; 12.0 ])
check "accumulation: (g1 + g2)[x]" (g1 + g2).[x] (Tensor.ofList [ 4.0; 13.0 ])
check "backward again (no retain_graph)" (y.Backward().[x]) (Tensor.ofList [ 3.0; 12.0 ])

// no_grad, detach, create_graph, grad_fn, is_leaf
let inside =
    use _ = Autodiff.NoGrad()
    x * 2.0

checkThat "NoGrad: no history" (not inside.RequiresGradient)
checkThat "Detach: no history" (not ((x * 2.0).Detach().RequiresGradient))
let dy = Autodiff.Grad([| y |], [| x |], createGraph = true)[0]
check "createGraph: d/dx of sum(dy/dx)" (Autodiff.Grad([| Tensor.sum dy |], [| x |])[0]) (Tensor.ofList [ 6.0; 12.0 ])
checkThat "GradFn" ((x * 2.0).GradFn = "Mul")
checkThat "IsLeaf" (x.IsLeaf && not ((x * 2.0).IsLeaf))

// once_differentiable: a rule on arrays is exact once, and refuses a second derivative
let squareOnArrays =
    fun (t: Tensor) ->
        Autodiff.Custom(
            "squareOnArrays",
            (fun xs -> xs[0] * xs[0]),
            [| t |],
            vjp = (fun g xs _ -> [| g * Tensor.ofArray (Array.map (fun e -> 2.0 * e) (xs[0].ToArray())) |]),
            onceDifferentiable = true
        )

check
    "once-differentiable rule: gradient"
    (grad (fun t -> Tensor.sum (squareOnArrays t)) x0)
    (Tensor.ofList [ 2.0; 4.0 ])

checkThat
    "once-differentiable rule: hessian refused"
    (try
        hessian (fun t -> Tensor.sum (squareOnArrays t)) x0 |> ignore
        false
     with :? GradientException ->
         true)

// The training loop: ½‖w − target‖² by gradient descent from 0, whose k-th iterate is target·(1 − (1 − lr)^k).
let target = Tensor.ofList [ 1.0; -2.0; 0.5 ]
let lr = 0.5
let closedForm (k: int) = target * (1.0 - (1.0 - lr) ** float k)

let lossOf (w: Tensor) =
    0.5 * Tensor.sum ((w - target) * (w - target))

let mutable w = (Tensor.zeros [| 3 |]).RequiresGrad()

for step in 1..10 do
    let g = (lossOf w).Backward()
    w <- (w - lr * g.[w]).Detach().RequiresGrad()

check "loop with Detach().RequiresGrad(), 10 steps" w (closedForm 10)

let mutable w2 = (Tensor.zeros [| 3 |]).RequiresGrad()

for step in 1..10 do
    let g = (lossOf w2).Backward()

    let updated =
        use _ = Autodiff.NoGrad()
        w2 - lr * g.[w2]

    w2 <- updated.RequiresGrad()

check "loop with the update under NoGrad, 10 steps" w2 (closedForm 10)

// The loop that forgets Detach fails at its second step, with a message that says how to write it.
let wrong0 = (Tensor.zeros [| 3 |]).RequiresGrad()
let wrong1 = wrong0 - lr * (lossOf wrong0).Backward().[wrong0]

checkThat
    "without Detach: step 2 says w is Sub's result"
    (try
        (lossOf wrong1).Backward().[wrong1] |> ignore
        false
     with :? KeyNotFoundException as e ->
         e.Message.Contains "the result of Sub"
         && e.Message.Contains "Detach().RequiresGrad()")

// The functional form needs none of it.
let mutable w3 = Tensor.zeros [| 3 |]

for step in 1..10 do
    w3 <- w3 - lr * grad lossOf w3

check "functional loop, 10 steps" w3 (closedForm 10)
printfn "autograd.fsx: all checks passed"
