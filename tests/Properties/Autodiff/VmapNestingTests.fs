/// vmap nested with grad, jvp, vjp, the Jacobians and itself, in each order, with RequiresGrad/Backward, NoGrad,
/// checkpoint and custom rules; perturbation-confusion traps with a batched level between two differentiations;
/// vmap's errors. Expected values come from loops over the examples with transforms that do not batch (jvp
/// column by column, grad per example), or from closed forms.
module Autodiff.VmapNestingTests

open System
open System.Threading.Tasks
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 10
    }

let private tol = 1e-12

let private w = Tensor.randn 11 [| 3; 3 |]

/// R^3 → R and R^3 → R^3, smooth, with a captured matrix.
let private f (x: Tensor) =
    Tensor.sum (tanh (Tensor.matmul w x) * x)

let private g (x: Tensor) = tanh (Tensor.matmul w x) * sin x

/// A loss of parameters p [3x3] at one example x [3].
let private loss (p: Tensor) (x: Tensor) =
    Tensor.sum (Tensor.sigmoid (Tensor.matmul p x) * x)

let private example (i: int) (t: Tensor) =
    t.Slice(0, i, i + 1).Squeeze(Nullable 0)

let private examples (t: Tensor) =
    [ for i in 0 .. t.Shape[0] - 1 -> example i t ]

let private stack (ts: Tensor list) = Tensor.Stack(Array.ofList ts)
let private batch seed = Tensor.randn seed [| 4; 3 |]

/// The Jacobian column by column with plain forward mode: no vmap inside.
let private jacobianByColumns (h: Tensor -> Tensor) (x: Tensor) =
    let n = x.Count

    let columns =
        [
            for j in 0 .. n - 1 ->
                let e =
                    Tensor.FromArray(Array.init n (fun i -> if i = j then 1.0 else 0.0), Seq.toArray x.Shape)

                snd (jvp h x e)
        ]

    let y = columns[0]
    Tensor.Stack(Array.ofList columns, -1).Reshape(Array.append (Seq.toArray y.Shape) (Seq.toArray x.Shape))

let private softplusVjp =
    customVjp (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Tensor.sigmoid x)

let private softplusJvp =
    customJvp (fun x -> log (1.0 + exp x)) (fun x _ dx -> dx * Tensor.sigmoid x)

[<Tests>]
let nesting =
    testList
        "vmap.nesting"
        [
            testPropertyWithConfig config "vmap (grad f) = grad per example" (fun (seed: int) ->
                let xs = batch seed
                close "vmap (grad f)" tol tol (vmap (grad f) xs) (stack [ for x in examples xs -> grad f x ]))
            testPropertyWithConfig
                config
                "grad (sum (vmap (loss p))) = sum of the per-example gradients"
                (fun (seed: int) ->
                    let xs, p = batch seed, Tensor.randn (seed + 1) [| 3; 3 |]

                    let expected =
                        examples xs |> List.map (fun x -> grad (fun p -> loss p x) p) |> List.reduce (+)

                    close "grad of the sum of vmap" tol tol (grad (fun p -> Tensor.sum (vmap (loss p) xs)) p) expected)
            testPropertyWithConfig config "vmap (vmap f) = the double loop" (fun (seed: int) ->
                let xss = Tensor.randn seed [| 2; 4; 3 |]

                let expected =
                    stack [ for xs in examples xss -> stack [ for x in examples xs -> g x ] ]

                close "vmap (vmap g)" tol tol (vmap (vmap g) xss) expected

                close
                    "vmap (vmap (grad f))"
                    tol
                    tol
                    (vmap (vmap (grad f)) xss)
                    (stack [ for xs in examples xss -> stack [ for x in examples xs -> grad f x ] ]))
            testPropertyWithConfig
                config
                "vmap (jvp g x) over tangents, and over points and tangents together"
                (fun (seed: int) ->
                    let x, vs, xs = Tensor.randn seed [| 3 |], batch (seed + 1), batch (seed + 2)

                    close
                        "vmap over tangents"
                        tol
                        tol
                        (vmap (fun v -> snd (jvp g x v)) vs)
                        (stack [ for v in examples vs -> snd (jvp g x v) ])

                    let both =
                        Autodiff.Vmap(
                            (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> snd (jvp g a[0] a[1])),
                            [| xs; vs |],
                            [| Nullable 0; Nullable 0 |]
                        )

                    close
                        "vmap over points and tangents"
                        tol
                        tol
                        both
                        (stack [ for x, v in List.zip (examples xs) (examples vs) -> snd (jvp g x v) ]))
            testPropertyWithConfig config "vmap of a pullback, and the pullback of vmap" (fun (seed: int) ->
                let x, us, xs = Tensor.randn seed [| 3 |], batch (seed + 1), batch (seed + 2)
                let _, back = vjp g x
                close "vmap (pullback)" tol tol (vmap back us) (stack [ for u in examples us -> back u ])
                let _, backAll = vjp (vmap g) xs

                close
                    "vjp (vmap g)"
                    tol
                    tol
                    (backAll us)
                    (stack [ for x, u in List.zip (examples xs) (examples us) -> (snd (vjp g x)) u ]))
            testPropertyWithConfig
                config
                "jacfwd (vmap g) and jacrev (vmap g) = the Jacobian column by column"
                (fun (seed: int) ->
                    let xs = batch seed

                    let expected =
                        jacobianByColumns (fun xs -> stack [ for x in examples xs -> g x ]) xs

                    close "jacfwd (vmap g)" tol tol (jacfwd (vmap g) xs) expected
                    close "jacrev (vmap g)" tol tol (jacrev (vmap g) xs) expected)
            testPropertyWithConfig
                config
                "vmap (jacfwd g), vmap (jacrev g), vmap (hessian f) = per example, column by column"
                (fun (seed: int) ->
                    let xs = batch seed

                    close
                        "vmap (jacfwd g)"
                        tol
                        tol
                        (vmap (jacfwd g) xs)
                        (stack [ for x in examples xs -> jacobianByColumns g x ])

                    close
                        "vmap (jacrev g)"
                        tol
                        tol
                        (vmap (jacrev g) xs)
                        (stack [ for x in examples xs -> jacobianByColumns g x ])

                    close
                        "vmap (hessian f)"
                        tol
                        tol
                        (vmap (hessian f) xs)
                        (stack [ for x in examples xs -> jacobianByColumns (grad f) x ]))
            testPropertyWithConfig
                config
                "vmap with RequiresGrad and Backward: a captured variable gets the sum over examples"
                (fun (seed: int) ->
                    let xs = batch seed
                    let p = (Tensor.randn (seed + 1) [| 3; 3 |]).RequiresGrad()
                    let y = vmap (loss p) xs
                    Expect.isTrue y.RequiresGradient "vmap's result is recorded in the imperative graph"

                    let expected =
                        examples xs |> List.map (fun x -> (loss p x).Backward().[p]) |> List.reduce (+)

                    close "Backward through vmap" tol tol ((Tensor.sum y).Backward().[p]) expected)
            testPropertyWithConfig
                config
                "vmap inside NoGrad records nothing, and a grad inside it still works"
                (fun (seed: int) ->
                    let xs = batch seed
                    let p = (Tensor.randn (seed + 1) [| 3; 3 |]).RequiresGrad()
                    use _ = Autodiff.NoGrad()
                    let y = vmap (loss p) xs
                    Expect.isFalse y.RequiresGradient "nothing recorded under NoGrad"
                    close "values" tol tol y (stack [ for x in examples xs -> loss p x ])

                    close
                        "vmap (grad f) under NoGrad"
                        tol
                        tol
                        (vmap (grad f) xs)
                        (stack [ for x in examples xs -> grad f x ]))
            testPropertyWithConfig config "checkpoint under vmap, and vmap under checkpoint" (fun (seed: int) ->
                let xs, p = batch seed, Tensor.randn (seed + 1) [| 3; 3 |]
                let block (p, x) = tanh (Tensor.matmul p x) * x

                let h x =
                    Tensor.sum (checkpoint (fun v -> tanh (Tensor.matmul w v)) x * x)

                close
                    "vmap (grad (checkpoint))"
                    tol
                    tol
                    (vmap (grad h) xs)
                    (stack [ for x in examples xs -> grad h x ])

                let viaCheckpoint =
                    grad (fun p -> Tensor.sum (vmap (fun x -> checkpointOf block (p, x)) xs)) p

                let expected =
                    examples xs
                    |> List.map (fun x -> grad (fun p -> Tensor.sum (block (p, x))) p)
                    |> List.reduce (+)

                close "grad (sum (vmap (checkpointOf)))" tol tol viaCheckpoint expected

                let inside =
                    grad
                        (fun p -> checkpointOf (fun (p, xs) -> Tensor.sum (vmap (fun x -> block (p, x)) xs)) (p, xs))
                        p

                close "grad (checkpointOf (vmap))" tol tol inside expected)
            testPropertyWithConfig config "custom rules under vmap: the user's rules run batched" (fun (seed: int) ->
                let xs, vs = batch seed, batch (seed + 1)
                let s x = Tensor.sum (softplusVjp x * x)
                close "vmap (grad customVjp)" tol tol (vmap (grad s) xs) (stack [ for x in examples xs -> grad s x ])

                let t =
                    Autodiff.Vmap(
                        (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> snd (jvp softplusJvp a[0] a[1])),
                        [| xs; vs |],
                        [| Nullable 0; Nullable 0 |]
                    )

                close
                    "vmap (jvp customJvp)"
                    tol
                    tol
                    t
                    (stack
                        [
                            for x, v in List.zip (examples xs) (examples vs) -> snd (jvp softplusJvp x v)
                        ])

                let p = Tensor.randn (seed + 2) [| 3 |]
                let shared = grad (fun p -> Tensor.sum (vmap (fun x -> softplusVjp (p * x)) xs)) p

                close
                    "grad (sum (vmap customVjp)) with a shared input"
                    tol
                    tol
                    shared
                    (examples xs
                     |> List.map (fun x -> grad (fun p -> Tensor.sum (softplusVjp (p * x))) p)
                     |> List.reduce (+)))
            testPropertyWithConfig config "Autodiff.Grad with a batch of seeds" (fun (seed: int) ->
                let x = (Tensor.randn seed [| 3 |]).RequiresGrad()
                let y = g x
                let seeds = batch (seed + 1)

                let one (s: Tensor) =
                    (Autodiff.Grad([| y |], [| x |], [| s |])[0])

                close "vmap over seeds" tol tol (vmap one seeds) (stack [ for s in examples seeds -> one s ]))
            testProperty "vmap from four threads at once gives each the single-thread answer" (fun (seed: int) ->
                let batches = [| for k in 0..3 -> batch (seed + k) |]
                let expected = batches |> Array.map (vmap (grad f))

                let actual =
                    Task.WhenAll([| for b in batches -> Task.Run(fun () -> vmap (grad f) b) |]).Result

                Array.iter2
                    (fun (a: Tensor) e -> Expect.isTrue (a.Equals e) "same bits on every thread")
                    actual
                    expected)
        ]

[<Tests>]
let traps =
    testList
        "vmap.perturbation confusion"
        [
            test "d/dx Σ_y (d/dz x·z)(y) over a batch of n points is n, not anything mixing the levels" {
                let ys = Tensor.ofList [ 0.5; -1.0; 2.0; 3.0 ]

                let d =
                    diff (fun x -> Tensor.sum (vmap (fun y -> diff (fun z -> x * z) y) ys)) (scalar 1.5)

                Expect.equal (d.Item()) 4.0 "n = 4"
            }
            test "vmap over x of d/da [a · (d/db (a + b))(1)] is 1 for every x (Siskind and Pearlmutter's trap)" {
                let xs = Tensor.ofList [ 0.5; -1.0; 2.0 ]
                let d = vmap (fun x -> diff (fun a -> a * diff (fun b -> a + b) (scalar 1.0)) x) xs
                equalValues "all ones" d [| 1.0; 1.0; 1.0 |]
            }
            test (
                "grad over w of Σ_examples grad_v ⟨w·v, x⟩ at v = x is Σ x: "
                + "the batched level between them does not leak"
            ) {
                let xs = Tensor.randn 3 [| 4; 3 |]
                let w0 = Tensor.randn 4 [| 3 |]

                let d =
                    grad (fun w -> Tensor.sum (vmap (fun x -> grad (fun v -> Tensor.sum (w * v * x)) x) xs)) w0

                close "Σ over examples of x" 1e-15 1e-15 d (xs.Sum([| 0 |]))
            }
            test (
                "vmap (jvp) with the mapped value captured on both sides: "
                + "d/dt (x + t·v)·x at t=0 is v·x per example"
            ) {
                let xs, vs = Tensor.randn 5 [| 4; 3 |], Tensor.randn 6 [| 4; 3 |]

                let r =
                    Autodiff.Vmap(
                        (fun (a: Collections.Generic.IReadOnlyList<Tensor>) ->
                            snd (jvp (fun t -> Tensor.sum ((a[0] + t * a[1]) * a[0])) (scalar 0.0) (scalar 1.0))),
                        [| xs; vs |],
                        [| Nullable 0; Nullable 0 |]
                    )

                close "Σ v·x per example" 1e-15 1e-15 r ((vs * xs).Sum([| 1 |]))
            }
        ]

let private throwsWith<'E when 'E :> exn> (what: string) (parts: string list) (run: unit -> unit) =
    try
        run ()
        failtestf "%s: no exception" what
    with :? 'E as e ->
        for p in parts do
            Expect.stringContains e.Message p $"{what}: the message names {p}"

[<Tests>]
let errors =
    testList
        "vmap.errors"
        [
            test "inconsistent batch sizes name both sizes and both arguments" {
                throwsWith<ShapeMismatchException>
                    "sizes"
                    [ "argument 0"; "3"; "argument 1"; "4"; "inconsistent" ]
                    (fun () ->
                        Autodiff.Vmap(
                            (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> a[0].Sum() + a[1].Sum()),
                            [| Tensor.ones [| 3; 2 |]; Tensor.ones [| 4; 2 |] |],
                            [| Nullable 0; Nullable 0 |]
                        )
                        |> ignore)
            }
            test "vmapOf names the leaves whose sizes differ" {
                throwsWith<ShapeMismatchException> "leaves" [ "leaf 0"; "leaf 1"; "3"; "5" ] (fun () ->
                    vmapOf (fun (a: Tensor, b: Tensor) -> a.Sum() + b.Sum()) (Tensor.ones [| 3 |], Tensor.ones [| 5 |])
                    |> ignore)
            }
            test "an in-axis out of range says the valid range" {
                throwsWith<AxisOutOfRangeException> "in-axis" [ "in-axis 2"; "[2x3]"; "[-2, 1]" ] (fun () ->
                    vmapAxes 2 0 (fun x -> x) (Tensor.ones [| 2; 3 |]) |> ignore)
            }
            test "an out-axis out of range says the valid range" {
                throwsWith<AxisOutOfRangeException> "out-axis" [ "out-axis -3"; "[-2, 1]" ] (fun () ->
                    vmapAxes 0 -3 (fun x -> x) (Tensor.ones [| 2; 3 |]) |> ignore)
            }
            test "a scalar cannot be mapped" {
                throwsWith<AxisOutOfRangeException> "scalar" [ "scalar"; "unmapped" ] (fun () ->
                    vmap id (scalar 1.0) |> ignore)
            }
            test "Item(), ToArray() and ToFloatArray() inside f say the value is batched and what to do" {
                for name, read in
                    [
                        "Item()", (fun (x: Tensor) -> x.Sum().Item() |> ignore)
                        "ToArray()", (fun x -> x.ToArray() |> ignore)
                        "ToFloatArray()", (fun x -> x.ToFloatArray() |> ignore)
                    ] do
                    throwsWith<VmapException>
                        name
                        [ name; "batched"; "3 examples"; "tensor ops"; "Where"; "outside vmap" ]
                        (fun () ->
                            vmap
                                (fun x ->
                                    read x
                                    x)
                                (Tensor.ones [| 3; 2 |])
                            |> ignore)
            }
            test "Backward on a batched loss inside f says to differentiate inside or sum first" {
                let p = (Tensor.ones [| 2 |]).RequiresGrad()

                throwsWith<VmapException> "backward" [ "batched"; "vmap of grad" ] (fun () ->
                    vmap (fun x -> (Tensor.sum (p * x)).Backward().[p]) (Tensor.ones [| 3; 2 |])
                    |> ignore)
            }
            test "RequiresGrad on a batched value says to mark variables before vmap" {
                throwsWith<VmapException> "requiresGrad" [ "batched inside vmap"; "before vmap" ] (fun () ->
                    vmap (fun x -> x.RequiresGrad()) (Tensor.ones [| 3; 2 |]) |> ignore)
            }
            test "no mapped argument at all is an error" {
                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Autodiff.Vmap(
                            (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> a[0]),
                            [| Tensor.ones [| 2 |] |],
                            [| Nullable() |]
                        )
                        |> ignore)
                    "no mapped argument"
            }
            test "a batched value prints as one, without reading it as a single value" {
                vmap
                    (fun x ->
                        Expect.stringContains (string x) "batched(3 examples of shape [2]" "ToString names the batch"
                        x)
                    (Tensor.ones [| 3; 2 |])
                |> ignore
            }
        ]
