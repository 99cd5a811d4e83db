/// The indexers of Ops/Indexing.cs and the F# slices over them (Tensor/Slicing.fs): values against plain loops over
/// the row-major array, both dtypes, the C# Index and Range forms, negative indices, and gradients in every mode.
/// Finite-difference checks of their rules are the rows "index", "index-ranges" and "fsharp-slices" of OpSpec.fs;
/// bad indices are in ErrorTests.fs.
module Ops.IndexingTests

open System
open Expecto
open FuncGrad
open Support.Check

/// One axis of an index, resolved: a single element (the axis is dropped) or the half-open span [start, stop).
type private Pick =
    | At of int
    | Span of int * int

/// The part of a row-major array that picks select (axes past the last pick are kept whole), by a loop over
/// every element it contains: its shape and its values.
let private reference (shape: int[]) (values: float[]) (picks: Pick list) =
    let picks =
        Array.init shape.Length (fun a -> if a < picks.Length then picks[a] else Span(0, shape[a]))

    let strides = Array.init shape.Length (fun a -> Array.fold (*) 1 shape[a + 1 ..])

    let kept =
        picks
        |> Array.choose (function
            | At _ -> None
            | Span(s, e) -> Some(max 0 (e - s)))

    let out = ResizeArray()

    let rec walk axis offset =
        if axis = shape.Length then
            out.Add values[offset]
        else
            match picks[axis] with
            | At i -> walk (axis + 1) (offset + i * strides[axis])
            | Span(s, e) ->
                for i in s .. e - 1 do
                    walk (axis + 1) (offset + i * strides[axis])

    walk 0 0
    kept, out.ToArray()

let private matches (what: string) (actual: Tensor) (source: Tensor) (picks: Pick list) =
    let shape, values = reference (shapeOf source) (source.ToArray()) picks
    Expect.sequenceEqual (shapeOf actual) shape $"{what}: shape"
    Expect.equal actual.DType source.DType $"{what}: dtype"
    equalValues what actual values

let private ix (i: int) = TensorIndex.op_Implicit i

let private fromEnd (i: int) =
    TensorIndex.op_Implicit (Index(i, true))

let private range (r: Range) = TensorIndex.op_Implicit r

/// A random index of one axis of size n, in one of the forms C# can write, with what it picks.
let private drawIndex (rng: Random) (n: int) : TensorIndex * Pick =
    let bound () =
        if rng.Next 2 = 0 then
            Index(rng.Next(n + 3))
        else
            Index(rng.Next(n + 3), true)

    let resolve (b: Index) =
        Math.Clamp((if b.IsFromEnd then n - b.Value else b.Value), 0, n)

    match if n = 0 then 2 else rng.Next 3 with
    | 0 -> let i = rng.Next(-n, n) in ix i, At(if i < 0 then i + n else i)
    | 1 -> let i = rng.Next(1, n + 1) in fromEnd i, At(n - i)
    | _ ->
        let s, e = bound (), bound ()
        range (Range(s, e)), Span(resolve s, resolve e)

let private sample (rng: Random) (shape: int[]) =
    let t = Tensor.RandomNormal(shape, rng)
    if rng.Next 2 = 0 then t else t.ToDType DType.Float32

let private values =
    testList
        "values"
        [
            testProperty "any mix of integers, C# indices and ranges picks what loops over the array pick"
            <| fun seed ->
                let rng = Random seed
                let shape = Array.init (rng.Next(1, 5)) (fun _ -> rng.Next(0, 5))
                let x = sample rng shape

                let drawn =
                    Array.init (rng.Next(1, shape.Length + 1)) (fun a -> drawIndex rng shape[a])

                let picked = x.At(Array.map fst drawn)
                matches $"{shape} at {Array.map fst drawn}" picked x (Array.map snd drawn |> List.ofArray)

            testProperty "integer indices, negative from the end, drop their axes"
            <| fun (seed: int) ->
                let rng = Random seed
                let shape = Array.init (rng.Next(1, 5)) (fun _ -> rng.Next(1, 5))
                let x = sample rng shape

                let ints =
                    Array.init (rng.Next(1, shape.Length + 1)) (fun a -> rng.Next(-shape[a], shape[a]))

                let picks =
                    ints
                    |> Array.mapi (fun a i -> At(if i < 0 then i + shape[a] else i))
                    |> List.ofArray

                matches $"{shape} at {ints}" (x.At ints) x picks

            test "x.[1] of a [3x4] is its second row, x.[1, 2] a scalar tensor whose Item() reads it" {
                let x = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                Expect.sequenceEqual (shapeOf x.[1]) [| 4 |] "a row"
                equalValues "row 1" x.[1] [| 4.0; 5.0; 6.0; 7.0 |]
                Expect.equal x.[1, 2].Rank 0 "two indices leave rank 0"
                Expect.equal (x.[1, 2].Item()) 6.0 "element (1, 2)"
                Expect.equal (x.[-1, -1].Item()) 11.0 "the last element"
                Expect.equal (x.[1].[2].Item()) 6.0 "indexing twice"
                Expect.equal ((Tensor.Scalar 2.5).Item()) 2.5 "Item() still reads a one-element tensor"
            }

            test "C# forms: ^1 is the last, ranges exclude their end, clamp to the axis and may be empty" {
                let x = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                equalValues "x[^1]" (x.At(fromEnd 1)) [| 8.0; 9.0; 10.0; 11.0 |]
                equalValues "x[^1, 1..3]" (x.At(fromEnd 1, range (Range(Index 1, Index 3)))) [| 9.0; 10.0 |]
                equalValues "x[.., 0]" (x.At(range Range.All, ix 0)) [| 0.0; 4.0; 8.0 |]
                equalValues "x[1, ..^1]" (x.At(ix 1, range (Range.EndAt(Index(1, true))))) [| 4.0; 5.0; 6.0 |]
                equalValues "x[1, 2..10] clamps" (x.At(ix 1, range (Range(Index 2, Index 10)))) [| 6.0; 7.0 |]
                Expect.sequenceEqual (shapeOf (x.At(range (Range(Index 2, Index 1))))) [| 0; 4 |] "x[2..1] is empty"
                Expect.equal (x.At(range Range.All, range Range.All)) x "x[.., ..] is x"
            }

            test "F# slices of rank 1 to 4: inclusive ends, negative bounds from the end, clamped, * for all" {
                let x1 = Tensor.Arange(0.0, 6.0)
                let x2 = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                let x3 = Tensor.Arange(0.0, 24.0).Reshape [| 2; 3; 4 |]
                let x4 = Tensor.Arange(0.0, 120.0, dtype = DType.Float32).Reshape [| 2; 3; 4; 5 |]
                matches "x1.[1..2]" x1.[1..2] x1 [ Span(1, 3) ]
                matches "x1.[-2 ..]" x1.[-2 ..] x1 [ Span(4, 6) ]
                matches "x1.[.. -2]" x1.[.. -2] x1 [ Span(0, 5) ]
                matches "x1.[0 .. -1]" x1.[0 .. -1] x1 [ Span(0, 6) ]
                matches "x1.[3..10]" x1.[3..10] x1 [ Span(3, 6) ]
                matches "x1.[4..2]" x1.[4..2] x1 [ Span(4, 3) ]
                matches "x1.[*]" x1.[*] x1 [ Span(0, 6) ]
                matches "x2.[*, 0]" x2.[*, 0] x2 [ Span(0, 3); At 0 ]
                matches "x2.[0, 1..]" x2.[0, 1..] x2 [ At 0; Span(1, 4) ]
                matches "x2.[1.., ..2]" x2.[1.., ..2] x2 [ Span(1, 3); Span(0, 3) ]
                matches "x2.[-1, -2 ..]" x2.[-1, -2 ..] x2 [ At 2; Span(2, 4) ]
                matches "x3.[1, *, 1..2]" x3.[1, *, 1..2] x3 [ At 1; Span(0, 3); Span(1, 3) ]
                matches "x3.[*, -1, *]" x3.[*, -1, *] x3 [ Span(0, 2); At 2; Span(0, 4) ]
                matches "x3.[0.., 1, 2]" x3.[0.., 1, 2] x3 [ Span(0, 2); At 1; At 2 ]
                matches "x3.[1, 2, ..1]" x3.[1, 2, ..1] x3 [ At 1; At 2; Span(0, 2) ]
                matches "x3.[*, *, *]" x3.[*, *, *] x3 [ Span(0, 2); Span(0, 3); Span(0, 4) ]
                matches "x4.[*, 1, 1..2, -1]" x4.[*, 1, 1..2, -1] x4 [ Span(0, 2); At 1; Span(1, 3); At 4 ]
                matches "x4.[1, 2, 3, 1..]" x4.[1, 2, 3, 1..] x4 [ At 1; At 2; At 3; Span(1, 5) ]

                matches
                    "x4.[0..0, 0..1, 0..2, 0..3]"
                    x4.[0..0, 0..1, 0..2, 0..3]
                    x4
                    [ Span(0, 1); Span(0, 2); Span(0, 3); Span(0, 4) ]

                matches "x4.[1, *, *, *]" x4.[1, *, *, *] x4 [ At 1; Span(0, 3); Span(0, 4); Span(0, 5) ]
                matches "x4.[-1, 0, -1, -1]" x4.[-1, 0, -1, -1] x4 [ At 1; At 0; At 3; At 4 ]
            }
        ]

let private gradients =
    testList
        "gradients"
        [
            test "a slice's gradient scatters ones into zeros" {
                let x = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                let g = Autodiff.Grad((fun t -> t.[1.., 0].Sum()), x)
                let mask = Array.init 12 (fun i -> if i / 4 >= 1 && i % 4 = 0 then 1.0 else 0.0)
                equalValues "ones at rows 1 and 2 of column 0" g mask
                let w = Tensor.FromArray [| 1.0; 2.0; 3.0; 4.0 |]
                let gw = Autodiff.Grad((fun t -> (t.[-1] * w).Sum()), x)

                equalValues
                    "the weights in the last row"
                    gw
                    (Array.append (Array.zeroCreate 8) [| 1.0; 2.0; 3.0; 4.0 |])

                let twice =
                    Autodiff.Grad((fun t -> (t.[0, 1] + t.At(ix 0, range (Range(Index 1, Index 2)))).Sum()), x)

                equalValues "picked twice, 2" twice (Array.init 12 (fun i -> if i = 1 then 2.0 else 0.0))
            }

            test "float32 stays float32 through an index and its gradient" {
                let x = Tensor.Ones([| 2; 3 |], DType.Float32)
                Expect.equal x.[1].DType DType.Float32 "value"
                let g = Autodiff.Grad((fun t -> t.[*, 2].Sum()), x)
                Expect.equal g.DType DType.Float32 "gradient"
                equalValues "column 2" g [| 0.0; 0.0; 1.0; 0.0; 0.0; 1.0 |]
            }

            test "the imperative graph: Backward through an index" {
                let x = Tensor.Arange(0.0, 6.0).Reshape([| 2; 3 |]).RequiresGrad()
                let y = x.[1, 2] * 3.0
                Expect.stringContains (y.ToString()) "grad_fn=" "recorded"
                equalValues "3 at (1, 2)" (y.Backward().[x]) [| 0.0; 0.0; 0.0; 0.0; 0.0; 3.0 |]
            }

            test "forward mode: the tangent of a slice is the slice of the tangent" {
                let x = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                let v = Tensor.Arange(100.0, 112.0).Reshape [| 3; 4 |]
                let struct (y, t) = Autodiff.Jvp((fun (u: Tensor) -> u.[*, 1..2]), x, v)
                matches "value" y x [ Span(0, 3); Span(1, 3) ]
                matches "tangent" t v [ Span(0, 3); Span(1, 3) ]
            }

            test "second order: d²/dx² of x.[1]³ is 6·x.[1] at index 1 and 0 elsewhere" {
                let x = Tensor.FromArray [| 0.5; 2.0; -1.0 |]
                let h = Autodiff.Hessian((fun t -> t.[1].Pow 3.0), x)
                equalValues "Hessian" h [| 0.0; 0.0; 0.0; 0.0; 12.0; 0.0; 0.0; 0.0; 0.0 |]
            }

            test "vmap over rows: indexing each example equals indexing each row in a loop" {
                let xs = Tensor.Arange(0.0, 15.0).Reshape [| 3; 5 |]
                let f (r: Tensor) = r.[-1] * r.[1..2].Sum() + r.[0]
                let batched = Autodiff.Vmap(f, xs)
                let looped = Tensor.Stack [| for i in 0..2 -> f xs.[i] |]
                Expect.equal batched looped "vmap against the loop"
                // row i starts at r = 5i: r[-1] = r + 4, r[1] + r[2] = 2r + 3
                equalValues "by hand" batched [| for r in [ 0.0; 5.0; 10.0 ] -> (r + 4.0) * (2.0 * r + 3.0) + r |]

                let perExample (r: Tensor) =
                    Autodiff.Grad((fun (t: Tensor) -> t.[1..2].Square().Sum()), r)

                let expected =
                    [|
                        for i in 0..2 do
                            for j in 0..4 -> if j = 1 || j = 2 then 2.0 * float (5 * i + j) else 0.0
                    |]

                equalValues "per-example gradients" (Autodiff.Vmap(perExample, xs)) expected
            }
        ]

[<Tests>]
let tests = testList "indexing" [ values; gradients ]
