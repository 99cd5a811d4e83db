/// Custom rules and checkpoints at orders 1 to 3 against closed forms, and value reads inside a rule: allowed where
/// no derivative is lost, refused (naming the rule and the tensor) where one would be, as issue 19 found.
module Autodiff.CustomRuleTests

open System
open Expecto
open FuncGrad
open Support.Check

/// x³ with its derivative stated in FuncGrad ops: exact to any order.
let private cubeVjp = customVjp (fun x -> x * x * x) (fun x _ g -> g * 3.0 * x * x)

let private cubeJvp =
    customJvp (fun x -> x * x * x) (fun x _ dx -> dx * 3.0 * x * x)

let private cubeRules =
    customRules (fun x -> x * x * x) (fun x _ g -> g * 3.0 * x * x) (fun x _ dx -> dx * 3.0 * x * x)

/// 3x², computed on .NET arrays: the workaround the GP and cube ports used.
let private threeSquaresOnArrays (x: Tensor) =
    Tensor.ofShape (Tensor.shape x) (Tensor.toArray x |> Array.map (fun v -> 3.0 * v * v))

/// The same cube, its rule reading x's values.
let private cubeReading =
    customVjp (fun x -> x * x * x) (fun x _ g -> g * threeSquaresOnArrays x)

let private cubeOnce =
    customVjp (fun x -> x * x * x) (onceDifferentiable (fun x _ g -> g * threeSquaresOnArrays x))

/// Every way to take a derivative of order 1, 2 and 3 of a function of one element: reverse, forward and mixed.
let private orders (f: Tensor -> Tensor) : (string * int * (Tensor -> Tensor)) list =
    let s (g: Tensor -> Tensor) = fun x -> Tensor.sum (g x)

    [
        "grad", 1, grad (s f)
        "diff", 1, diff f
        "grad of grad", 2, grad (s (grad (s f)))
        "diff of grad", 2, diff (grad (s f))
        "grad of diff", 2, grad (s (diff f))
        "hessian", 2, (fun x -> (hessian (s f) x).Reshape [| 1 |])
        "diffn 2", 2, diffn 2 f
        "grad of grad of grad", 3, grad (s (grad (s (grad (s f)))))
        "diffn 3", 3, diffn 3 f
        "diff of grad of diff", 3, diff (grad (s (diff f)))
    ]

/// d^k/dx^k of x³ at x.
let private cubeDerivative (k: int) (x: float) =
    match k with
    | 1 -> 3.0 * x * x
    | 2 -> 6.0 * x
    | _ -> 6.0

/// d^k/dx^k of x·sin x at x.
let private xSinDerivative (k: int) (x: float) =
    match k with
    | 1 -> sin x + x * cos x
    | 2 -> 2.0 * cos x - x * sin x
    | _ -> -3.0 * sin x - x * cos x

let private atOrders (name: string) (f: Tensor -> Tensor) (closed: int -> float -> float) =
    [
        for what, k, d in orders f ->
            test $"{name}: {what} (order {k}) is the closed form, eager, under vmap and compiled" {
                let points = [ -1.5; 0.5; 2.0 ]

                for x in points do
                    closeNum $"{what} at {x}" 1e-12 1e-12 (Tensor.item (d (Tensor.ofList [ x ]))) (closed k x)

                // the batched custom op (CustomOp.Batch) and a compiled program run the same rules
                let column = Tensor.ofShape [| 3; 1 |] (Array.ofList points)

                let expected =
                    Tensor.ofShape [| 3; 1 |] (points |> List.map (closed k) |> Array.ofList)

                close $"vmap of {what}" 1e-12 1e-12 (vmap d column) expected

                close
                    $"compile of {what}"
                    1e-12
                    1e-12
                    (compile d (Tensor.ofList [ 0.5 ]))
                    (Tensor.ofList [ closed k 0.5 ])
            }
    ]

let private refused (what: string) (f: unit -> Tensor) =
    raises<GradientException> what (fun () -> f () |> ignore)

[<Tests>]
let closedForms =
    testList
        "custom rules: orders 1-3 against closed forms"
        [
            yield! atOrders "customVjp x³" cubeVjp cubeDerivative
            yield! atOrders "customJvp x³ (reverse mode transposes the rule)" cubeJvp cubeDerivative
            yield! atOrders "customRules x³" cubeRules cubeDerivative
            yield! atOrders "checkpoint x·sin x" (checkpoint (fun x -> x * sin x)) xSinDerivative
            yield!
                atOrders
                    "checkpointOf (x, 1)·sin x"
                    (fun x -> checkpointOf (fun (a, b) -> a * b * sin a) (x, scalar 1.0))
                    xSinDerivative
            yield!
                atOrders
                    "Autodiff.Checkpoint, several inputs"
                    (fun x ->
                        Autodiff.Checkpoint(
                            (fun (xs: Collections.Generic.IReadOnlyList<Tensor>) -> xs[0] * sin xs[1]),
                            [| x; x |]
                        ))
                    xSinDerivative

            yield!
                atOrders
                    "Autodiff.Custom of two inputs, x·x"
                    (fun x ->
                        Autodiff.Custom(
                            "product",
                            (fun xs -> xs[0] * xs[1]),
                            [| x; x |],
                            vjp = (fun g xs _ -> [| g * xs[1]; g * xs[0] |])
                        ))
                    (fun k x ->
                        match k with
                        | 1 -> 2.0 * x
                        | 2 -> 2.0
                        | _ -> 0.0)

            test "checkpointOf: second derivatives with respect to a parameter are the closed form" {
                // f(w) = sum(tanh(w x)); d²f/dw² = Σ -2 tanh(w x)(1 - tanh²(w x)) x²
                let x = Tensor.ofList [ 0.3; -1.2; 2.0 ]

                let f (w: Tensor) =
                    checkpointOf (fun (w: Tensor, x: Tensor) -> Tensor.sum (tanh (w * x))) (w, x)

                let w = 0.7

                let expected =
                    x.ToArray()
                    |> Array.sumBy (fun xi -> let t = tanh (w * xi) in -2.0 * t * (1.0 - t * t) * xi * xi)

                closeNum "d²/dw²" 1e-12 1e-12 (Tensor.item (diff (grad f) (scalar w))) expected
            }
        ]

[<Tests>]
let reads =
    testList
        "custom rules: value reads"
        [
            test "a rule that reads values gives the first derivative (issue 19's cube: 12 at 2)" {
                closeNum "grad" 0.0 0.0 (Tensor.item (grad cubeReading (scalar 2.0))) 12.0
                let x = Tensor.Scalar(2.0).RequiresGrad()
                closeNum "Backward" 0.0 0.0 (Tensor.item ((cubeReading x).Backward().[x])) 12.0
            }
            test "its second derivative, which came out 0 (12 is right), now throws naming the rule and the input" {
                let e = refused "grad of grad" (fun () -> grad (grad cubeReading) (scalar 2.0))

                for part in [ "customVjp"; "VJP rule"; "its input"; "ToArray()"; "onceDifferentiable" ] do
                    Expect.stringContains e.Message part "the message"

                refused "hessian" (fun () -> hessian cubeReading (scalar 2.0)) |> ignore
                refused "jvp of grad" (fun () -> diff (grad cubeReading) (scalar 2.0)) |> ignore
                refused "hvp" (fun () -> hvp cubeReading (scalar 2.0) (scalar 1.0)) |> ignore
                let x = Tensor.Scalar(2.0).RequiresGrad()

                refused "createGraph" (fun () -> Autodiff.Grad([| cubeReading x |], [| x |], createGraph = true)[0])
                |> ignore
            }
            test "forward mode derived from a rule that reads the cotangent's values throws, naming the cotangent" {
                // reverse mode hands the rule a plain cotangent; the JVP derived from it transposes the rule through
                // a differentiation of the cotangent, whose values the rule must not read
                let scaled =
                    customVjp (fun x -> 2.0 * x) (fun _ _ g -> Tensor.ofShape (Tensor.shape g) (Tensor.toArray g) * 2.0)

                closeNum "grad" 0.0 0.0 (Tensor.item (grad scaled (scalar 1.0))) 2.0
                let e = refused "diff" (fun () -> diff scaled (scalar 1.0))
                Expect.stringContains e.Message "the cotangent" "names what was read"
            }
            test "a JVP rule reading its inputs works in both modes at first order and is refused at the second" {
                let cube =
                    customJvp (fun x -> x * x * x) (fun x _ dx -> dx * threeSquaresOnArrays x)

                closeNum "diff" 0.0 0.0 (Tensor.item (diff cube (scalar 2.0))) 12.0
                // the transposition differentiates the rule with respect to dx only: reading x, a plain value, is fine
                closeNum "grad" 0.0 0.0 (Tensor.item (grad cube (scalar 2.0))) 12.0
                refused "diffn 2" (fun () -> diffn 2 cube (scalar 2.0)) |> ignore
            }
            test "the function reading a captured tensor that is being differentiated throws" {
                let f (w: Tensor) =
                    Autodiff.Custom(
                        "scaleByW",
                        (fun xs -> xs[0] * Tensor.item w),
                        [| scalar 3.0 |],
                        vjp = (fun g _ _ -> [| g |])
                    )

                let e = refused "grad" (fun () -> grad f (scalar 2.0))
                Expect.stringContains e.Message "scaleByW" "names the op"
                Expect.stringContains e.Message "captured" "says what was read"
            }
            test "once-differentiable: the first derivative works in both modes, the second throws saying why" {
                closeNum "grad" 0.0 0.0 (Tensor.item (grad cubeOnce (scalar 2.0))) 12.0
                closeNum "diff" 0.0 0.0 (Tensor.item (diff cubeOnce (scalar 2.0))) 12.0

                for what, f in
                    [
                        "grad of grad", (fun () -> grad (grad cubeOnce) (scalar 2.0))
                        "hessian", (fun () -> hessian cubeOnce (scalar 2.0))
                        "jvp of grad", (fun () -> diff (grad cubeOnce) (scalar 2.0))
                    ] do
                    let e = refused what f
                    Expect.stringContains e.Message "once-differentiable" what
            }
            test "once-differentiable through vmap and compile at first order" {
                let xs = Tensor.ofList [ 1.0; 2.0; 3.0 ]
                // vmap hands the rule a batch whose values it cannot read: the error is vmap's, as for any read
                raises<VmapException> "vmap of grad" (fun () -> vmap (grad cubeOnce) xs |> ignore)
                |> ignore

                let cubeOps =
                    customVjp (fun x -> x * x * x) (onceDifferentiable (fun x _ g -> g * 3.0 * x * x))

                close "vmap of grad" 0.0 0.0 (vmap (grad cubeOps) xs) (Tensor.ofList [ 3.0; 12.0; 27.0 ])
                close "compile of grad" 0.0 0.0 (compile (grad cubeOps) (scalar 2.0)) (scalar 12.0)
            }
            test "the GP workaround: a two-input custom op reading values gives its gradient and refuses a Hessian" {
                // k(a, l) = a·exp(-1/l), derivatives on arrays
                let kernel (a: Tensor) (l: Tensor) =
                    Autodiff.Custom(
                        "rbf",
                        (fun xs -> xs[0] * exp (-1.0 / xs[1])),
                        [| a; l |],
                        vjp =
                            (fun g xs y ->
                                let av, lv = Tensor.item xs[0], Tensor.item xs[1]
                                let e = Math.Exp(-1.0 / lv)
                                [| g * e; g * (av * e / (lv * lv)) |])
                    )

                let f (p: Tensor) = kernel p.[0] p.[1]
                let p = Tensor.ofList [ 2.0; 0.5 ]
                let e2 = Math.Exp(-2.0)
                close "gradient" 1e-15 0.0 (grad f p) (Tensor.ofList [ e2; 2.0 * e2 / 0.25 ])
                refused "hessian" (fun () -> hessian f p) |> ignore
            }
            test "reading plain values and printing inside a rule stay allowed at every order" {
                let table = Tensor.ofList [ 3.0 ]

                let cube =
                    customVjp (fun x -> x * x * x) (fun x _ g ->
                        let three = Tensor.item table // a plain constant: no derivative to lose
                        sprintf "%O" x |> ignore // printing reads no derivative
                        g * three * x * x)

                closeNum "third" 0.0 0.0 (Tensor.item (diffn 3 cube (scalar 2.0))) 6.0
            }
        ]
