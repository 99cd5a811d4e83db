/// Tensor.Einsum, Tensordot and Kron (Ops/Einsum.cs, Ops/Contractions.cs) and their F# functions: values against
/// explicit loops over every assignment of the subscripts for each pattern of the notation, in both dtypes; the greedy
/// order; and every error. Derivatives, vmap, compile and the LibTorch device run through their rows in OpSpec.fs.
module Elementwise.EinsumTests

open System
open Expecto
open FuncGrad
open Support.Check

/// The sum over every assignment of the subscripts of the product of the operands' elements, written with letters
/// only (a test spells an ellipsis out as letters), with an axis of size 1 read at 0 whatever its subscript's value
/// (broadcasting); also Σ|product| per output element, which bounds the rounding of any order of summation.
let private loops (inputs: string list) (output: string) (xs: Tensor list) =
    let ops = List.zip inputs xs |> List.map (fun (s, x) -> s, shapeOf x, x.ToArray())
    let letters = inputs |> String.concat "" |> Seq.distinct |> Array.ofSeq

    let size (c: char) =
        ops
        |> List.collect (fun (s, shape, _) ->
            [
                for a in 0 .. s.Length - 1 do
                    if s[a] = c then
                        shape[a]
            ])
        |> List.max

    let sizes = letters |> Array.map size
    let outShape = output |> Seq.map size |> Array.ofSeq
    let total = Array.fold (*) 1 outShape
    let sum, magnitude = Array.zeroCreate total, Array.zeroCreate total
    let value = Array.zeroCreate letters.Length
    let at (c: char) = value[Array.IndexOf(letters, c)]

    let flat (s: string) (shape: int[]) =
        let mutable f = 0

        for a in 0 .. s.Length - 1 do
            f <- f * shape[a] + (if shape[a] = 1 then 0 else at s[a])

        f

    // an odometer over the subscripts' values
    let count = Array.fold (*) 1 sizes

    for _ in 1..count do
        let p =
            ops |> List.fold (fun p (s, shape, data: float[]) -> p * data[flat s shape]) 1.0

        let o = flat output outShape
        sum[o] <- sum[o] + p
        magnitude[o] <- magnitude[o] + abs p
        let mutable d = letters.Length - 1
        let mutable carry = true

        while carry && d >= 0 do
            value[d] <- value[d] + 1

            if value[d] = sizes[d] then
                value[d] <- 0
                d <- d - 1
            else
                carry <- false

    outShape, sum, magnitude, count / max total 1

/// A sum of n products of p factors in any order is within (n + p)·u·Σ|product| of the exact one (Higham, Accuracy and
/// Stability of Numerical Algorithms, §3.1), u the unit roundoff of the dtype; the loop sums in float64, twice that.
let private bound (dtype: DType) (n: int) (p: int) (magnitude: float) =
    let u = Math.ScaleB(1.0, (if dtype = DType.Float64 then -53 else -24))
    2.0 * float (n + p) * u * magnitude

/// (equation, the same with letters only as the loops read it: inputs and output, shapes)
let private patterns =
    [
        "ij,jk->ik", [ "ij"; "jk" ], "ik", [ [| 3; 4 |]; [| 4; 5 |] ] // matrix product
        "ij,kj->ik", [ "ij"; "kj" ], "ik", [ [| 3; 4 |]; [| 5; 4 |] ] // the second transposed
        "ji,jk->ik", [ "ji"; "jk" ], "ik", [ [| 4; 3 |]; [| 4; 5 |] ] // the first transposed
        "ji,kj->ik", [ "ji"; "kj" ], "ik", [ [| 4; 3 |]; [| 5; 4 |] ] // both: (B·A)ᵀ
        "bij,bjk->bik", [ "bij"; "bjk" ], "bik", [ [| 2; 3; 4 |]; [| 2; 4; 5 |] ] // batched
        "bhqd,bhkd->bhqk", [ "bhqd"; "bhkd" ], "bhqk", [ [| 2; 3; 4; 5 |]; [| 2; 3; 6; 5 |] ] // attention scores
        "i,j->ij", [ "i"; "j" ], "ij", [ [| 3 |]; [| 4 |] ] // outer
        "ij,ij->ij", [ "ij"; "ij" ], "ij", [ [| 3; 4 |]; [| 3; 4 |] ] // Hadamard
        "bi,bi->b", [ "bi"; "bi" ], "b", [ [| 5; 4 |]; [| 5; 4 |] ] // a batch of dot products
        "i,i->", [ "i"; "i" ], "", [ [| 7 |]; [| 7 |] ] // dot
        "ii->", [ "ii" ], "", [ [| 4; 4 |] ] // trace
        "ii->i", [ "ii" ], "i", [ [| 4; 4 |] ] // diagonal
        "iii->i", [ "iii" ], "i", [ [| 3; 3; 3 |] ] // a diagonal of three axes
        "iij,jk->ik", [ "iij"; "jk" ], "ik", [ [| 3; 3; 4 |]; [| 4; 2 |] ] // a diagonal, then a product
        "ij->ji", [ "ij" ], "ji", [ [| 3; 4 |] ] // transpose
        "ijk->kij", [ "ijk" ], "kij", [ [| 2; 3; 4 |] ] // permutation
        "ij->", [ "ij" ], "", [ [| 3; 4 |] ] // sum
        "ij->j", [ "ij" ], "j", [ [| 3; 4 |] ] // column sums
        "ij,jk", [ "ij"; "jk" ], "ik", [ [| 3; 4 |]; [| 4; 5 |] ] // implicit: once-only subscripts, sorted
        "ba", [ "ba" ], "ab", [ [| 3; 4 |] ] // implicit: a transpose
        "ii", [ "ii" ], "", [ [| 4; 4 |] ] // implicit: a trace
        "Ab,bA", [ "Ab"; "bA" ], "", [ [| 3; 4 |]; [| 4; 3 |] ] // implicit, capitals: Σ_Ab x_Ab y_bA
        "aB,Bc", [ "aB"; "Bc" ], "ac", [ [| 3; 4 |]; [| 4; 2 |] ] // capitals sort before small letters
        "Ba,c", [ "Ba"; "c" ], "Bac", [ [| 3; 4 |]; [| 2 |] ] // implicit output B, a, c (ASCII order)
        "...ij,...jk->...ik", [ "xyij"; "xyjk" ], "xyik", [ [| 2; 3; 4; 5 |]; [| 2; 3; 5; 2 |] ] // ellipsis both sides
        "...ij,jk", [ "xij"; "jk" ], "xik", [ [| 2; 3; 4 |]; [| 4; 5 |] ] // implicit: ellipsis first
        "...ij->...ji", [ "xyij" ], "xyji", [ [| 2; 3; 4; 5 |] ] // batched transpose
        "i...j->ji...", [ "ixyj" ], "jixy", [ [| 2; 3; 4; 5 |] ] // ellipsis in the middle
        "...i->i", [ "xyi" ], "i", [ [| 2; 3; 4 |] ] // the output leaves the ellipsis out: summed
        "...i,...i->...i", [ "xyi"; "yi" ], "xyi", [ [| 3; 1; 4 |]; [| 5; 4 |] ] // size 1 under ... broadcasts
        "...ij,...jk->...ik", [ "xyij"; "yjk" ], "xyik", [ [| 2; 1; 3; 4 |]; [| 5; 4; 2 |] ] // shorter ellipsis
        "ij,ij->ij", [ "ij"; "ij" ], "ij", [ [| 3; 1 |]; [| 3; 4 |] ] // a subscript of size 1 broadcasts
        "ij,jk,kl->il", [ "ij"; "jk"; "kl" ], "il", [ [| 5; 2 |]; [| 2; 6 |]; [| 6; 3 |] ] // a chain
        "ij,jk,kl,lm->im", [ "ij"; "jk"; "kl"; "lm" ], "im", [ [| 3; 4 |]; [| 4; 2 |]; [| 2; 5 |]; [| 5; 3 |] ]
        "i,i,i->", [ "i"; "i"; "i" ], "", [ [| 6 |]; [| 6 |]; [| 6 |] ] // one index across three operands
        "ij,ij,ij->i", [ "ij"; "ij"; "ij" ], "i", [ [| 3; 4 |]; [| 3; 4 |]; [| 3; 4 |] ]
        "ij,jk,ik->i", [ "ij"; "jk"; "ik" ], "i", [ [| 3; 4 |]; [| 4; 5 |]; [| 3; 5 |] ] // a triangle
        "i,j,k->ijk", [ "i"; "j"; "k" ], "ijk", [ [| 2 |]; [| 3 |]; [| 4 |] ] // no shared index: outer products
        ",ij->ij", [ ""; "ij" ], "ij", [ [||]; [| 2; 3 |] ] // a scalar operand
        " i j , j k -> i k ", [ "ij"; "jk" ], "ik", [ [| 3; 4 |]; [| 4; 2 |] ] // spaces
        "ij,jk->ik", [ "ij"; "jk" ], "ik", [ [| 3; 0 |]; [| 0; 2 |] ] // an empty sum: zeros
        "ij,jk->ik", [ "ij"; "jk" ], "ik", [ [| 0; 4 |]; [| 4; 2 |] ] // no rows
    ]

let private rng = Random 23

[<Tests>]
let tests =
    testList
        "einsum"
        [
            test "every pattern of the notation equals its loops over the subscripts, both dtypes" {
                for equation, inputs, output, shapes in patterns do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let xs = shapes |> List.map (fun s -> (randn rng s).ToDType dtype)
                        let y = Tensor.Einsum(equation, Array.ofList xs)
                        let shape, sum, magnitude, n = loops inputs output xs
                        let what = $"\"{equation}\" {dtype.Name()}"
                        Expect.equal (shapeOf y) shape $"{what}: shape"
                        Expect.equal y.DType dtype $"{what}: dtype"
                        let values = y.ToArray()

                        for i in 0 .. sum.Length - 1 do
                            closeNum $"{what} [{i}]" 0.0 (bound dtype n xs.Length magnitude[i]) values[i] sum[i]

                        bitwise $"{what}: F# Tensor.einsum" y (Tensor.einsum equation xs)
            }

            test "the greedy order contracts the cheaper pair first: ij,jk,kl is a·(b·c) when b·c costs less" {
                // a·b costs 8·2·8 multiply-adds, b·c 2·8·2: the chain is a·(b·c), the very products bit for bit
                let a, b, c = randn rng [| 8; 2 |], randn rng [| 2; 8 |], randn rng [| 8; 2 |]
                bitwise "a·(b·c)" (a.MatMul(b.MatMul c)) (Tensor.Einsum("ij,jk,kl->il", [| a; b; c |]))
                // and with the costs the other way round, (a·b)·c
                let a, b, c = randn rng [| 2; 8 |], randn rng [| 8; 2 |], randn rng [| 2; 8 |]
                bitwise "(a·b)·c" (a.MatMul(b).MatMul c) (Tensor.Einsum("ij,jk,kl->il", [| a; b; c |]))
            }

            test "one operand with nothing to do is the operand itself" {
                let x = randn rng [| 2; 3 |]
                Expect.isTrue (obj.ReferenceEquals(Tensor.Einsum("ij->ij", [| x |]), x)) "ij->ij"
                Expect.isTrue (obj.ReferenceEquals(Tensor.Einsum("...", [| x |]), x)) "..."
            }

            test "tensordot equals its loops: dims 0, 1, 2 and axis lists, negative axes" {
                let cases =
                    [
                        (fun (a: Tensor) (b: Tensor) -> a.Tensordot(b)),
                        [ "ijk"; "jkl" ],
                        "il",
                        [ [| 2; 3; 4 |]; [| 3; 4; 5 |] ]
                        (fun a b -> a.Tensordot(b, 1)), [ "ij"; "jk" ], "ik", [ [| 3; 4 |]; [| 4; 5 |] ]
                        (fun a b -> a.Tensordot(b, 0)), [ "ij"; "kl" ], "ijkl", [ [| 2; 3 |]; [| 4; 2 |] ]
                        (fun a b -> a.Tensordot(b, [| 0 |], [| 1 |])), [ "ij"; "ki" ], "jk", [ [| 3; 2 |]; [| 4; 3 |] ]
                        (fun a b -> a.Tensordot(b, [| 2; 0 |], [| 0; -1 |])),
                        [ "ijk"; "kli" ],
                        "jl",
                        [ [| 2; 3; 4 |]; [| 4; 5; 2 |] ]
                    ]

                for f, inputs, output, shapes in cases do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let xs = shapes |> List.map (fun s -> (randn rng s).ToDType dtype)
                        let y = f xs[0] xs[1]
                        let shape, sum, magnitude, n = loops inputs output xs
                        let what = $"""tensordot {String.concat "," inputs}->{output} {dtype.Name()}"""
                        Expect.equal (shapeOf y) shape $"{what}: shape"

                        for i in 0 .. sum.Length - 1 do
                            closeNum $"{what} [{i}]" 0.0 (bound dtype n 2 magnitude[i]) (y.ToArray()[i]) sum[i]

                let a, b = randn rng [| 2; 3 |], randn rng [| 3; 2 |]
                bitwise "F# Tensor.tensordot" (a.Tensordot(b, 1)) (Tensor.tensordot 1 a b)

                bitwise
                    "F# Tensor.tensordotAxes"
                    (a.Tensordot(b, [| 1 |], [| 0 |]))
                    (Tensor.tensordotAxes [| 1 |] [| 0 |] a b)
            }

            test "kron: result[i·s + k, j·t + l] = a[i, j]·b[k, l], exactly; a lower rank gains leading axes" {
                for dtype in [ DType.Float64; DType.Float32 ] do
                    let a, b =
                        (randn rng [| 2; 3 |]).ToDType dtype, (randn rng [| 4; 5 |]).ToDType dtype

                    let y = a.Kron b
                    Expect.equal (shapeOf y) [| 8; 15 |] "shape"
                    let av, bv, yv = a.ToArray(), b.ToArray(), y.ToArray()
                    // one product of two values rounded once to the dtype: the loop's product rounded the same way
                    let round (v: float) =
                        if dtype = DType.Float32 then float (float32 v) else v

                    for i in 0..1 do
                        for j in 0..2 do
                            for k in 0..3 do
                                for l in 0..4 do
                                    Expect.equal
                                        yv[(i * 4 + k) * 15 + j * 5 + l]
                                        (round (av[i * 3 + j] * bv[k * 5 + l]))
                                        $"{dtype.Name()} [{i},{j},{k},{l}]"

                let v, m = randn rng [| 3 |], randn rng [| 2; 2 |]
                let y = v.Kron m
                Expect.equal (shapeOf y) [| 2; 6 |] "[3] ⊗ [2, 2] is [1, 3] ⊗ [2, 2]"
                let vv, mv, yv = v.ToArray(), m.ToArray(), y.ToArray()

                for k in 0..1 do
                    for j in 0..2 do
                        for l in 0..1 do
                            Expect.equal yv[k * 6 + j * 2 + l] (vv[j] * mv[k * 2 + l]) $"[{k},{j},{l}]"

                Expect.equal ((Tensor.Scalar 3.0).Kron(Tensor.Scalar -2.0).Item()) -6.0 "rank 0: a·b"
                bitwise "F# Tensor.kron" y (Tensor.kron v m)
            }

            test "errors name the op, the operand, the subscript and the sizes, and say what to do" {
                let a, b = randn rng [| 3; 4 |], randn rng [| 5; 6 |]

                let message (e: exn) (parts: string list) =
                    for p in parts do
                        Expect.stringContains e.Message p $"{e.Message} names {p}"

                let arg equation (xs: Tensor list) parts =
                    let e =
                        raises<ArgumentException> equation (fun () ->
                            Tensor.Einsum(equation, Array.ofList xs) |> ignore)

                    message e ("einsum" :: parts)

                arg "ij,j$->ij" [ a; b ] [ "'$'"; "operand 1"; "not a subscript" ]
                arg "ij.->ij" [ a ] [ "'.'"; "three dots" ]
                arg "...i...->i" [ a ] [ "two ellipses" ]
                arg "ij->i->j" [ a ] [ "two '->'" ]
                arg "ij,jk->ik" [ a ] [ "2 operands"; "1 were given" ]
                arg "ij->ii" [ a ] [ "'i' appears twice in the output" ]
                arg "ij->k" [ a ] [ "'k'"; "no operand" ]
                arg "ij->...ij" [ a ] [ "'...'"; "no operand does" ]

                let e =
                    raises<ArgumentException> "no operands" (fun () -> Tensor.Einsum("->", [||]) |> ignore)

                message e [ "einsum"; "no operands" ]

                let e =
                    raises<RankException> "rank" (fun () -> Tensor.Einsum("ijk,jk->i", [| a; b |]) |> ignore)

                message e [ "einsum"; "operand 0"; "[3x4] float64"; "rank 2"; "\"ijk\""; "3 axes" ]

                let e =
                    raises<RankException> "rank under ..." (fun () -> Tensor.Einsum("...ijk->i", [| a |]) |> ignore)

                message e [ "operand 0"; "besides the ellipsis" ]

                let e =
                    raises<ShapeMismatchException> "sizes" (fun () -> Tensor.Einsum("ij,jk->ik", [| a; b |]) |> ignore)

                message
                    e
                    [
                        "einsum"
                        "subscript 'j'"
                        "size 4 in operand 0"
                        "5 in operand 1"
                        "[5x6] float64"
                    ]

                let e =
                    raises<ShapeMismatchException> "ellipsis sizes" (fun () ->
                        Tensor.Einsum("...i,...i", [| randn rng [| 2; 3 |]; randn rng [| 4; 3 |] |])
                        |> ignore)

                message e [ "ellipsis's axis 0"; "size 2"; "4 in operand 1" ]

                let e =
                    raises<ShapeMismatchException> "diagonal sizes" (fun () ->
                        Tensor.Einsum("ii->i", [| a |]) |> ignore)

                message e [ "subscript 'i' repeats in operand 0"; "sizes 3 and 4"; "diagonal" ]

                let e =
                    raises<DTypeMismatchException> "dtypes" (fun () ->
                        Tensor.Einsum("ij,jk", [| a; (randn rng [| 4; 2 |]).ToDType DType.Float32 |])
                        |> ignore)

                message e [ "einsum"; "operand 1"; "float32"; "ToDType" ]

                let e =
                    raises<DTypeMismatchException> "integers" (fun () ->
                        Tensor.Einsum("ij->ji", [| a.ToDType DType.Int64 |]) |> ignore)

                message e [ "einsum"; "int64"; "floats" ]

                let e = raises<RankException> "dims" (fun () -> a.Tensordot(b, 3) |> ignore)

                message e [ "tensordot"; "dims 3"; "from 0 to 2" ]

                let e =
                    raises<ShapeMismatchException> "lengths" (fun () -> a.Tensordot(b, [| 0 |], [| 0; 1 |]) |> ignore)

                message e [ "tensordot"; "different lengths" ]

                let e =
                    raises<ShapeMismatchException> "paired sizes" (fun () -> a.Tensordot(b, [| 1 |], [| 0 |]) |> ignore)

                message
                    e
                    [
                        "tensordot"
                        "axis 1 of [3x4] float64 has size 4"
                        "axis 0 of [5x6] float64"
                        "has 5"
                    ]

                let e =
                    raises<AxisOutOfRangeException> "twice" (fun () ->
                        a.Tensordot(randn rng [| 3; 3 |], [| 0; 0 |], [| 0; 1 |]) |> ignore)

                message e [ "tensordot"; "twice" ]

                let e =
                    raises<DTypeMismatchException> "kron dtypes" (fun () -> a.Kron(a.ToDType DType.Float32) |> ignore)

                message e [ "kron" ]
            }
        ]
