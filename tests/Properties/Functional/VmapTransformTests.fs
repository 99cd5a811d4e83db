/// The F# surface of vmap: vmapAxes with negative axes, vmapOf over structures, and the C# overload with a
/// shared (null-axis) argument, each against a loop over the examples.
module Functional.VmapTransformTests

open System
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 10
    }

type private Layer = { W: Tensor; B: Tensor }

/// Slice i of t along axis.
let private along (axis: int) (i: int) (t: Tensor) =
    t.Slice(axis, i, i + 1).Squeeze(Nullable axis)

[<Tests>]
let tests =
    testList
        "transforms.vmap"
        [
            testPropertyWithConfig
                config
                "vmapAxes with negative axes maps and stacks where they count from the end"
                (fun (seed: int) ->
                    let x = Tensor.randn seed [| 2; 5; 3 |]

                    let f (m: Tensor) =
                        Tensor.matmul (tanh m) (Tensor.ones [| 3 |]) // [2x3] -> [2]

                    let expected = Tensor.Stack([| for i in 0..4 -> f (along 1 i x) |], -1)
                    // tanh's vector and scalar paths may differ in the last bits (Ops/OpSpec.fs, transcendental)
                    close "in-axis -2 is axis 1, out-axis -1 is the last" 2e-15 2e-15 (vmapAxes -2 -1 f x) expected)
            testPropertyWithConfig
                config
                "vmapOf maps every leaf of a tuple, a record and a Map, and stacks a structured result"
                (fun (seed: int) ->
                    let xs = Tensor.randn seed [| 4; 3 |]

                    let layers =
                        {
                            W = Tensor.randn (seed + 1) [| 4; 3; 2 |]
                            B = Tensor.randn (seed + 2) [| 4; 2 |]
                        }

                    let scale = Map [ "s", Tensor.randn (seed + 3) [| 4 |] ]

                    let f (x: Tensor, l: Layer, m: Map<string, Tensor>) =
                        let h = Tensor.matmul x l.W + l.B

                        {|
                            Out = h * m["s"]
                            Norm = Tensor.sum (h * h)
                        |}

                    let r =
                        vmapOf (fun (x, l, m) -> let o = f (x, l, m) in (o.Out, o.Norm)) (xs, layers, scale)

                    for i in 0..3 do
                        let o =
                            f (
                                along 0 i xs,
                                {
                                    W = along 0 i layers.W
                                    B = along 0 i layers.B
                                },
                                Map [ "s", along 0 i scale["s"] ]
                            )

                        Expect.isTrue ((along 0 i (fst r)).Equals o.Out) $"example {i}: Out"
                        Expect.isTrue ((along 0 i (snd r)).Equals o.Norm) $"example {i}: Norm")
            testPropertyWithConfig
                config
                "vmapOf of gradOf: per-example gradients of a parameter record"
                (fun (seed: int) ->
                    let p =
                        {
                            W = Tensor.randn seed [| 3; 2 |]
                            B = Tensor.randn (seed + 1) [| 2 |]
                        }

                    let xs, ys = Tensor.randn (seed + 2) [| 5; 3 |], Tensor.randn (seed + 3) [| 5; 2 |]

                    let loss (p: Layer) (x: Tensor) (y: Tensor) =
                        Tensor.sum ((tanh (Tensor.matmul x p.W + p.B) - y) ** 2.0)

                    let per = vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) p) (xs, ys)

                    for i in 0..4 do
                        let g = gradOf (fun p -> loss p (along 0 i xs) (along 0 i ys)) p
                        close $"example {i}: W" 1e-12 1e-13 (along 0 i per.W) g.W
                        close $"example {i}: B" 1e-12 1e-13 (along 0 i per.B) g.B)
            testPropertyWithConfig
                config
                "Autodiff.Vmap from C#: a null in-axis passes the argument whole to every example"
                (fun (seed: int) ->
                    let xs, v = Tensor.randn seed [| 3; 4 |], Tensor.randn (seed + 1) [| 4 |]

                    let r =
                        Autodiff.Vmap(
                            (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> a[0].Dot(a[1]).Sin()),
                            [| xs; v |],
                            [| Nullable 0; Nullable() |]
                        )

                    let expected = Tensor.Stack([| for i in 0..2 -> (along 0 i xs).Dot(v).Sin() |])
                    close "rows · v" 1e-15 1e-15 r expected)
            test "a result that does not depend on the mapped input is repeated for every example" {
                let r = vmap (fun _ -> Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ones [| 3; 5 |])
                equalValues "three copies" r [| 1.0; 2.0; 1.0; 2.0; 1.0; 2.0 |]
                Expect.sequenceEqual r.Shape [ 3; 2 ] "shape [3; 2]"
            }
        ]
