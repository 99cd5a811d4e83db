/// Structured inputs and outputs: trees of tensors.
module Functional.TreeTests

open Expecto
open FuncGrad
open Support.Check

type Layer = { W: Tensor; B: Tensor; Name: string }

type Model =
    {
        Hidden: Layer
        Output: Layer
        Scale: float
    }

let private layer seed n m =
    {
        W = Tensor.randn seed [| n; m |]
        B = Tensor.randn (seed + 1) [| n |]
        Name = $"layer{seed}"
    }

let private loss (model: Model) (x: Tensor) =
    let h = tanh (Tensor.matmul model.Hidden.W x + model.Hidden.B)
    Tensor.sum (Tensor.matmul model.Output.W h + model.Output.B) * model.Scale

[<Tests>]
let tests =
    testList
        "trees"
        [
            test "leaves and rebuild round-trip tuples, lists, arrays, maps and records" {
                let m =
                    {
                        Hidden = layer 1 3 2
                        Output = layer 3 1 3
                        Scale = 0.5
                    }

                Expect.equal (Tree.leaves m |> List.length) 4 "record leaves"
                Expect.isTrue (obj.ReferenceEquals(Tree.leaves m |> List.head, m.Hidden.W)) "declaration order"
                let rebuilt = Tree.rebuild m (Tree.leaves m)
                Expect.equal rebuilt.Hidden.Name "layer1" "non-tensor fields carried through"
                Expect.equal rebuilt.Scale 0.5 "numbers carried through"

                let mixed =
                    (scalar 1.0, [ scalar 2.0; scalar 3.0 ], [| scalar 4.0 |], Map [ "b", scalar 6.0; "a", scalar 5.0 ])

                Expect.equal
                    (Tree.leaves mixed |> List.map Tensor.item)
                    [ 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 ]
                    "order: tuple, list, array, map by key"

                let doubled = Tree.map (fun t -> t * 2.0) mixed
                let _, _, _, mp = doubled
                Expect.equal (Tensor.item mp["b"]) 12.0 "map rebuilt"

                Expect.throwsT<System.ArgumentException>
                    (fun () -> Tree.leaves (System.Text.StringBuilder()) |> ignore)
                    "unsupported type"
            }
            test "gradOf a record model matches per-leaf gradients" {
                let m =
                    {
                        Hidden = layer 1 3 2
                        Output = layer 3 1 3
                        Scale = 0.5
                    }

                let x = Tensor.ofList [ 0.3; -0.7 ]
                let g = gradOf (fun p -> loss p x) m

                close
                    "dW1"
                    0.0
                    0.0
                    g.Hidden.W
                    (grad
                        (fun w ->
                            loss
                                { m with
                                    Hidden = { m.Hidden with W = w }
                                }
                                x)
                        m.Hidden.W)

                close
                    "db1"
                    0.0
                    0.0
                    g.Hidden.B
                    (grad
                        (fun b ->
                            loss
                                { m with
                                    Hidden = { m.Hidden with B = b }
                                }
                                x)
                        m.Hidden.B)

                close
                    "dW2"
                    0.0
                    0.0
                    g.Output.W
                    (grad
                        (fun w ->
                            loss
                                { m with
                                    Output = { m.Output with W = w }
                                }
                                x)
                        m.Output.W)

                close
                    "db2"
                    0.0
                    0.0
                    g.Output.B
                    (grad
                        (fun b ->
                            loss
                                { m with
                                    Output = { m.Output with B = b }
                                }
                                x)
                        m.Output.B)

                Expect.equal g.Scale 0.5 "static field unchanged"
            }
            test "gradOf over tuples, lists and Map<string, Tensor>" {
                let a, b = scalar 2.0, scalar 5.0
                let ga, gb = gradOf (fun (p, q) -> p * q * q) (a, b)
                Expect.equal (Tensor.item ga, Tensor.item gb) (25.0, 20.0) "pair"

                let gl =
                    gradOf (fun (xs: Tensor list) -> xs |> List.reduce (*)) [ scalar 2.0; scalar 3.0; scalar 4.0 ]

                Expect.equal (gl |> List.map Tensor.item) [ 12.0; 8.0; 6.0 ] "list"

                let ga3, gb3, gc3 =
                    gradOf (fun (p, q, r) -> p + q * r) (scalar 1.0, scalar 2.0, scalar 3.0)

                Expect.equal (Tensor.item ga3, Tensor.item gb3, Tensor.item gc3) (1.0, 3.0, 2.0) "triple"

                let gm =
                    gradOf
                        (fun (m: Map<string, Tensor>) -> m["w"] * m["w"] + m["b"])
                        (Map [ "w", scalar 3.0; "b", scalar 1.0 ])

                Expect.equal (Tensor.item gm["w"], Tensor.item gm["b"]) (6.0, 1.0) "map"

                let garr =
                    gradOf
                        (fun (xs: Tensor[]) -> Tensor.sum (xs[0] * xs[1]))
                        [| Tensor.ofList [ 1.0; 2.0 ]; Tensor.ofList [ 3.0; 4.0 ] |]

                equalValues "array 0" garr[0] [| 3.0; 4.0 |]
                equalValues "array 1" garr[1] [| 1.0; 2.0 |]
            }
            test "valueAndGradWithAux returns the auxiliary result from the same forward pass" {
                let mutable calls = 0

                let f (w: Tensor) =
                    calls <- calls + 1
                    let y = w * w
                    Tensor.sum y, (Tensor.item (Tensor.max y), y)

                let (l, (mx, y)), g = valueAndGradWithAux f (Tensor.ofList [ 1.0; 3.0 ])
                Expect.equal calls 1 "one forward pass"
                Expect.equal (Tensor.item l) 10.0 "loss"
                Expect.equal mx 9.0 "aux number"
                Expect.isFalse y.RequiresGradient "aux tensors come back plain"
                equalValues "gradient" g [| 2.0; 6.0 |]
            }
            test "vjpOf and jvpOf with structured inputs and outputs" {
                let f (a: Tensor, b: Tensor) = (a * b, a + b)
                let (p, s), back = vjpOf f (scalar 2.0, scalar 3.0)
                Expect.equal (Tensor.item p, Tensor.item s) (6.0, 5.0) "values"
                let ga, gb = back (scalar 1.0, scalar 10.0)
                Expect.equal (Tensor.item ga, Tensor.item gb) (13.0, 12.0) "pullback: (b + 10, a + 10)"
                let (_, _), (dp, ds) = jvpOf f (scalar 2.0, scalar 3.0) (scalar 1.0, scalar 0.0)
                Expect.equal (Tensor.item dp, Tensor.item ds) (3.0, 1.0) "tangents"
            }
        ]
