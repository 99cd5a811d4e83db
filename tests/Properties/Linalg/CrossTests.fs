/// Linalg.Cross (src/Core.CSharp/Linalg/Cross.cs) against the component formula written here, along the last and the
/// first axis, with broadcasting; the right-handed basis and anti-commutativity; its errors. Finite differences, vmap,
/// compile and LibTorch are the row "cross" of OpSpec.fs.
module Linalg.CrossTests

open System
open Expecto
open FuncGrad
open Support.Check

/// The cross product of two 3-vectors by its definition.
let private crossOf (a: float[]) (b: float[]) =
    [|
        a[1] * b[2] - a[2] * b[1]
        a[2] * b[0] - a[0] * b[2]
        a[0] * b[1] - a[1] * b[0]
    |]

[<Tests>]
let tests =
    testList
        "linalg cross"
        [
            test "cross: batches of 3-vectors along the last axis, with a broadcast argument, as the formula" {
                let rng = Random 4
                let a = Tensor.RandomNormal([| 4; 2; 3 |], rng)
                let b = Tensor.RandomNormal([| 2; 3 |], rng).Unsqueeze 0
                let c = Linalg.Cross(a, b)
                Expect.sequenceEqual (shapeOf c) [| 4; 2; 3 |] "shape"
                let av, bv = a.ToArray(), b.ToArray()

                let want =
                    Array.init 8 (fun i -> crossOf av[3 * i .. 3 * i + 2] bv[3 * (i % 2) .. 3 * (i % 2) + 2])
                    |> Array.concat

                Expect.equal (c.ToArray()) want "bit for bit as the formula rounded as written"
            }

            test "cross: along the first axis, float32, as the formula" {
                let a = Tensor.RandomNormal([| 3; 5 |], Random 1, DType.Float32)
                let b = Tensor.RandomNormal([| 3; 5 |], Random 2, DType.Float32)
                let c = Linalg.Cross(a, b, 0)

                let at, bt, ct =
                    a.Transpose().ToFloatArray(), b.Transpose().ToFloatArray(), c.Transpose().ToFloatArray()

                for i in 0..4 do
                    let u, v = at[3 * i .. 3 * i + 2], bt[3 * i .. 3 * i + 2]

                    let w =
                        [|
                            u[1] * v[2] - u[2] * v[1]
                            u[2] * v[0] - u[0] * v[2]
                            u[0] * v[1] - u[1] * v[0]
                        |]

                    Expect.equal ct[3 * i .. 3 * i + 2] w $"column {i}"
            }

            test "cross: e1 × e2 = e3 and its cyclic shifts, b × a = −(a × b), a × a = 0, orthogonal to both" {
                let e = Tensor.Eye 3
                bitwise "e1 × e2" e[2] (Linalg.Cross(e[0], e[1]))
                bitwise "e2 × e3" e[0] (Linalg.Cross(e[1], e[2]))
                bitwise "e3 × e1" e[1] (Linalg.Cross(e[2], e[0]))
                let rng = Random 12

                let a, b =
                    Tensor.RandomNormal([| 6; 3 |], rng), Tensor.RandomNormal([| 6; 3 |], rng)

                bitwise "anti-commutative" (-(Linalg.Cross(a, b))) (Linalg.Cross(b, a))
                Expect.equal (Linalg.Cross(a, a).Abs().Max().Item()) 0.0 "a × a"
                let c = Linalg.Cross(a, b)
                Expect.isLessThan ((c * a).Sum([| 1 |]).Abs().Max().Item()) 1e-14 "⟂ a"
                Expect.isLessThan ((c * b).Sum([| 1 |]).Abs().Max().Item()) 1e-14 "⟂ b"
            }

            test "cross: errors name the op, the shapes and what to do" {
                let e =
                    raises<ShapeMismatchException> "size 4" (fun () ->
                        Linalg.Cross(Tensor.Ones [| 2; 4 |], Tensor.Ones [| 2; 4 |]) |> ignore)

                Expect.stringContains e.Message "cross: axis -1 of [2x4] float64 and [2x4] float64" "names the shapes"
                Expect.stringContains e.Message "must be 3" "says the need"

                let e =
                    raises<RankException> "ranks differ" (fun () ->
                        Linalg.Cross(Tensor.Ones [| 3 |], Tensor.Ones [| 2; 3 |]) |> ignore)

                Expect.stringContains e.Message "Unsqueeze" "says what to do"

                let e =
                    raises<ShapeMismatchException> "no broadcast" (fun () ->
                        Linalg.Cross(Tensor.Ones [| 2; 3 |], Tensor.Ones [| 4; 3 |]) |> ignore)

                Expect.stringContains e.Message "cross: cannot broadcast" "names the op"
            }
        ]
