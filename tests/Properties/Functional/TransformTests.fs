/// The F# surface: operators, combinators, nesting, custom rules and checkpointing.
module Functional.TransformTests

open System
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 10
    }

/// Smooth test functions R^n → R^m built from several op families.
let private vectorFunctions: (string * (Tensor -> Tensor)) list =
    let a = Tensor.randn 5 [| 4; 3 |]

    [
        "tanh(Ax) * x[0]", (fun x -> tanh (Tensor.matmul a x) * Tensor.sum (Tensor.slice [ (0, 1) ] x))
        "softmax(x) * exp(x)", (fun x -> Tensor.softmax x * exp x)
        "x ** 3 - sin x", (fun x -> x ** 3.0 - sin x)
    ]

/// Smooth scalar functions R^n → R.
let private scalarFunctions: (string * (Tensor -> Tensor)) list =
    let a = Tensor.randn 6 [| 3; 3 |]

    [
        "sum(tanh(Ax))", (fun x -> Tensor.sum (tanh (Tensor.matmul a x)))
        "logsumexp(x) * sum(x^2)", (fun x -> Tensor.logsumexp x * Tensor.sum (x * x))
        "sum(sigmoid(x) * cos(x))", (fun x -> Tensor.sum (Tensor.sigmoid x * cos x))
    ]

let private point seed = Tensor.randn seed [| 3 |]

[<Tests>]
let properties =
    testList
        "transforms"
        [
            for name, f in vectorFunctions do
                testPropertyWithConfig config $"jacfwd = jacrev: {name}" (fun (seed: int) ->
                    let x = point seed
                    close "jacobians" 1e-12 1e-13 (jacfwd f x) (jacrev f x))

                testPropertyWithConfig config $"jvp and vjp are adjoint: {name}" (fun (seed: int) ->
                    let x, v = point seed, point (seed + 1)
                    let y, back = vjp f x
                    let u = Tensor.randn (seed + 2) (Tensor.shape y)
                    let _, jv = jvp f x v
                    closeNum "<u, Jv> = <J^T u, v>" 1e-12 1e-13 (inner u jv) (inner (back u) v))
            for name, f in scalarFunctions do
                testPropertyWithConfig
                    config
                    $"hessian is symmetric and equals jacobian (grad f): {name}"
                    (fun (seed: int) ->
                        let x = point seed
                        let h = hessian f x
                        close "symmetric" 1e-12 1e-13 h (Tensor.transpose h)
                        close "jacobian of gradient" 1e-12 1e-13 h (jacobian (grad f) x)
                        close "reverse over reverse" 1e-12 1e-13 h (jacrev (grad f) x))

                testPropertyWithConfig config $"hvp f x v = hessian f x . v: {name}" (fun (seed: int) ->
                    let x, v = point seed, point (seed + 1)
                    close "hvp" 1e-12 1e-13 (hvp f x v) (Tensor.matmul (hessian f x) v))

                testPropertyWithConfig
                    config
                    $"checkpoint f has the gradients and Hessian of f: {name}"
                    (fun (seed: int) ->
                        let x = point seed
                        close "gradient" 1e-14 1e-15 (grad (checkpoint f) x) (grad f x)
                        close "hessian" 1e-12 1e-13 (hessian (checkpoint f) x) (hessian f x))
        ]

[<Tests>]
let examples =
    testList
        "transform examples"
        [
            test "F#'s own math functions and operators work on tensors" {
                let x = scalar 0.5
                closeNum "sin" 0.0 0.0 (Tensor.item (sin x)) (sin 0.5)
                closeNum "exp" 0.0 0.0 (Tensor.item (exp x)) (exp 0.5)
                closeNum "sqrt" 0.0 0.0 (Tensor.item (sqrt x)) (sqrt 0.5)
                closeNum "abs" 0.0 0.0 (Tensor.item (abs (-x))) 0.5
                closeNum "x ** 2.5" 1e-15 0.0 (Tensor.item (x ** 2.5)) (0.5 ** 2.5)
                closeNum "x ** tensor" 1e-15 0.0 (Tensor.item (x ** scalar 3.0)) 0.125
                closeNum "2.0 - x / 4.0 * 3.0" 0.0 0.0 (Tensor.item (2.0 - x / 4.0 * 3.0)) (2.0 - 0.5 / 4.0 * 3.0)
            }
            test "grad of a non-scalar function says to use jacobian" {
                let e =
                    Expect.throwsC (fun () -> grad (fun x -> x * 2.0) (Tensor.ones [| 3 |]) |> ignore) id

                Expect.isTrue (e.Message.Contains "Jacobian") $"message: {e.Message}"
            }
            test "diffn of tanh at 0 through order 7: 1, 0, -2, 0, 16, 0, -272" {
                [ 1.0; 0.0; -2.0; 0.0; 16.0; 0.0; -272.0 ]
                |> List.iteri (fun i e ->
                    closeNum $"order {i + 1}" 0.0 1e-12 (Tensor.item (diffn (i + 1) tanh (scalar 0.0))) e)
            }
            test "diffn of sin and exp match closed forms" {
                for n in 0..6 do
                    closeNum
                        $"sin^({n})(0.3)"
                        1e-13
                        1e-14
                        (Tensor.item (diffn n sin (scalar 0.3)))
                        (sin (0.3 + float n * Math.PI / 2.0))

                    closeNum $"exp^({n})(0.3)" 1e-13 0.0 (Tensor.item (diffn n exp (scalar 0.3))) (exp 0.3)
            }
            test "nesting examples from the literature" {
                // D(λx. x · D(λy. x + y)(1))(1) = 1, every combination of modes
                let d1 (f: Tensor -> Tensor) x = grad f x
                let d2 (f: Tensor -> Tensor) x = diff f x

                for outer in [ d1; d2 ] do
                    for inner in [ d1; d2 ] do
                        Expect.equal
                            (Tensor.item (outer (fun x -> x * inner (fun y -> x + y) (scalar 1.0)) (scalar 1.0)))
                            1.0
                            "perturbation confusion"

                Expect.equal
                    (Tensor.item (grad (fun x -> x * grad (fun y -> x * y) (scalar 2.0)) (scalar 3.0)))
                    6.0
                    "grad (fun x -> x * grad (fun y -> x * y) 2)"

                Expect.equal (Tensor.item (grad (grad (fun x -> x ** 4.0)) (scalar 2.0))) 48.0 "grad (grad f)"

                close
                    "jacfwd (jacrev f)"
                    1e-14
                    0.0
                    (jacfwd (jacrev (fun x -> x ** 3.0)) (Tensor.ofList [ 1.0; 2.0 ]))
                    // T[i,j,k] = 6 x_i when i = j = k, else 0
                    (Tensor.ofShape [| 2; 2; 2 |] [| 6.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 12.0 |])
            }
            test "custom rules: a deliberately cheaper rule is used, in both modes, and nests" {
                // softplus with the rule stated by hand
                let softplus =
                    customRules (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Tensor.sigmoid x) (fun x _ dx ->
                        dx * Tensor.sigmoid x)

                let x = Tensor.ofList [ -1.0; 0.5; 2.0 ]
                close "grad" 1e-15 0.0 (grad (softplus >> Tensor.sum) x) (Tensor.sigmoid x)
                close "jvp" 1e-15 0.0 (snd (jvp softplus x (Tensor.onesLike x))) (Tensor.sigmoid x)
                let s = Tensor.sigmoid x

                close
                    "hessian through the custom op"
                    1e-14
                    0.0
                    (hessian (softplus >> Tensor.sum) x)
                    (Tensor.eye 3 * (s * (1.0 - s)))
            }
            test "custom rules: the op uses the rule, not the function's own derivative" {
                // a wrong-on-purpose rule proves the rule is what runs
                let f = customVjp (fun x -> x * x) (fun _ _ g -> g * 10.0)
                Expect.equal (Tensor.item (grad f (scalar 3.0))) 10.0 "reverse uses the rule"
                Expect.equal (Tensor.item (diff f (scalar 3.0))) 10.0 "forward mode derived from the reverse rule"
                let h = customJvp (fun x -> x * x) (fun _ _ dx -> dx * 7.0)
                Expect.equal (Tensor.item (diff h (scalar 3.0))) 7.0 "forward uses the rule"
                Expect.equal (Tensor.item (grad h (scalar 3.0))) 7.0 "reverse mode by transposing the forward rule"
            }
            test (
                "checkpointOf differentiates through every tensor of its structure, "
                + "and a captured variable is an error"
            ) {
                let w = Tensor.randn 3 [| 4; 3 |]
                let x = Tensor.randn 4 [| 3 |]
                let block (w: Tensor, x: Tensor) = tanh (Tensor.matmul w x)

                let loss (w: Tensor) =
                    Tensor.sum (checkpointOf block (w, x) * 2.0)

                close
                    "gradient with respect to a parameter"
                    1e-15
                    0.0
                    (grad loss w)
                    (grad (fun w -> Tensor.sum (block (w, x) * 2.0)) w)

                close
                    "second order"
                    1e-13
                    0.0
                    (hessian (fun x -> Tensor.sum (checkpointOf block (w, x))) x)
                    (hessian (fun x -> Tensor.sum (block (w, x))) x)

                let e =
                    Expect.throwsC
                        (fun () ->
                            grad (fun w -> Tensor.sum (checkpoint (fun x -> Tensor.matmul w x) x)) w
                            |> ignore)
                        id

                Expect.isTrue (e.Message.Contains "checkpointOf") $"the error names the fix: {e.Message}"
            }
            test "checkpoint recomputes: the function runs again in the backward pass" {
                let mutable calls = 0

                let f (x: Tensor) =
                    calls <- calls + 1
                    sin x * x

                let g = grad (checkpoint f) (scalar 0.7)
                Expect.equal calls 2 "forward once, recomputed once"
                closeNum "gradient" 1e-15 0.0 (Tensor.item g) (cos 0.7 * 0.7 + sin 0.7)
            }
        ]
