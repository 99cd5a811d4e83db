/// Linalg.Tril and Linalg.Triu (src/Core.CSharp/Linalg/Triangles.cs) against a loop over row and column written here:
/// every diagonal from below the matrix to past it, square, wide, tall, batched and empty matrices, every dtype, bit
/// for bit; and their errors. Finite differences, vmap, compile and LibTorch are the rows "tril" and "triu" of
/// OpSpec.fs.
module Linalg.TrianglesTests

open System
open Expecto
open FuncGrad
open Support.Check

/// Whether element (row, col) is kept: on or below diagonal k (lower), on or above it (upper).
let private kept upper k row col =
    if upper then col - row >= k else col - row <= k

/// The loop: the values of a row-major tensor of shape with the elements off the triangle zeroed.
let private expected upper k (shape: int[]) (zero: 'a) (v: 'a[]) =
    let rows, cols = shape[shape.Length - 2], shape[shape.Length - 1]

    v
    |> Array.mapi (fun i x ->
        let row, col = (i / cols) % rows, i % cols
        if kept upper k row col then x else zero)

let private shapes =
    [
        [| 3; 4 |]
        [| 4; 3 |]
        [| 3; 3 |]
        [| 2; 3; 5 |]
        [| 2; 1; 2; 3 |]
        [| 1; 1 |]
        [| 2; 0; 3 |]
        [| 3; 0 |]
    ]

let private values (rng: Random) (shape: int[]) =
    Array.init (Array.fold (*) 1 shape) (fun _ -> Math.Round(rng.NextDouble() * 8.0 - 4.0, 2) + 0.01)

let private triangle upper (a: Tensor) (k: int) =
    if upper then Linalg.Triu(a, k) else Linalg.Tril(a, k)

[<Tests>]
let tests =
    testList
        "linalg triangles"
        [
            for upper in [ false; true ] do
                let name = if upper then "triu" else "tril"

                test $"{name}: every diagonal of several shapes, each dtype, bit for bit as the loop" {
                    let rng = Random 11

                    for shape in shapes do
                        for k in -6 .. 6 do
                            let v = values rng shape
                            let what = $"{name} {shape} k={k}"
                            let y = triangle upper (Tensor.FromArray(v, shape)) k
                            Expect.sequenceEqual (shapeOf y) shape $"{what}: shape"
                            Expect.equal (y.ToArray()) (expected upper k shape 0.0 v) $"{what}: float64"
                            let v32 = Array.map float32 v
                            let y32 = triangle upper (Tensor.FromArray(v32, shape)) k
                            Expect.equal (y32.ToFloatArray()) (expected upper k shape 0.0f v32) $"{what}: float32"
                            let l = Array.map (fun x -> int64 (x * 100.0)) v
                            let yl = triangle upper (Tensor.FromArray(l, shape)) k
                            Expect.equal yl.DType DType.Int64 $"{what}: int64 stays int64"
                            Expect.equal (yl.ToInt64Array()) (expected upper k shape 0L l) $"{what}: int64"
                            let i = Array.map int l
                            let yi = triangle upper (Tensor.FromArray(i, shape)) k
                            Expect.equal (yi.ToInt32Array()) (expected upper k shape 0 i) $"{what}: int32"
                            let b = Array.map (fun x -> x > 0.0) v
                            let yb = triangle upper (Tensor.FromArray(b, shape)) k
                            Expect.equal (yb.ToBoolArray()) (expected upper k shape false b) $"{what}: bool"
                }

            test "tril and triu: the default is the main diagonal, and the two split a matrix at it" {
                let a = Tensor.RandomNormal([| 2; 4; 4 |], Random 3)
                bitwise "tril default" (Linalg.Tril(a, 0)) (Linalg.Tril a)
                bitwise "triu default" (Linalg.Triu(a, 0)) (Linalg.Triu a)
                // every element lies in exactly one of tril(a, 0) and triu(a, 1): the sum is a, bit for bit
                bitwise "tril + strict triu" a (Linalg.Tril a + Linalg.Triu(a, 1))
            }

            test "tril and triu: a vector is refused, naming the op, the shape and what to do" {
                for f, name in [ (fun a -> Linalg.Tril a), "tril"; (fun a -> Linalg.Triu a), "triu" ] do
                    let e = raises<RankException> name (fun () -> f (Tensor.Ones [| 3 |]) |> ignore)
                    Expect.stringContains e.Message $"{name}: needs a matrix" "names the op and the need"
                    Expect.stringContains e.Message "[3] float64" "names the shape and dtype"
                    Expect.stringContains e.Message "DiagEmbed" "says what to do instead"
            }
        ]
